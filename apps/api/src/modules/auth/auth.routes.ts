import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import type { Config } from '../../config/index.js';
import { actorOf, COOKIE } from '../../plugins/auth.js';
import * as auth from './auth.service.js';

export const authRoutes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '登录 Log in',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
    },
  }, async (req, reply) => {
    const r = await auth.login(db, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, sessionDays: config.sessionDays });
    reply.setCookie(COOKIE, r.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, expires: r.expiresAt });
    return { user: r.user };
  });

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: '退出 Log out' } }, async (req, reply) => {
    const token = req.cookies[COOKIE];
    if (token) await auth.logout(db, token);
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  app.post('/auth/password', {
    config: { allowPasswordChange: true },
    schema: {
      tags: ['auth'], summary: '修改密码 Change password',
      body: Type.Object({ oldPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) }),
    },
  }, async (req) => {
    await auth.changePassword(db, actorOf(req), req.body.oldPassword, req.body.newPassword);
    return { ok: true };
  });

  app.get('/me', { config: { allowPasswordChange: true }, schema: { tags: ['auth'], summary: '当前用户 Who am I' } }, async (req) => {
    const a = actorOf(req);
    return {
      id: a.id, username: a.username, displayName: a.displayName, mustChangePassword: a.mustChangePassword,
      roles: a.grants.map((g) => ({ roleKey: g.roleKey, areaId: g.areaId, areaName: g.areaName, canWrite: g.canWrite, canManage: g.canManage })),
      areas: [...new Map(a.grants.filter((g) => g.areaId !== null).map((g) => [g.areaId, {
        id: g.areaId, name: g.areaName, level: (g as { areaLevel?: string | null }).areaLevel ?? null, depth: g.areaPath ? g.areaPath.split('/').filter(Boolean).length : null,
      }])).values()],
      global: a.grants.some((g) => g.areaId === null),
    };
  });
};
