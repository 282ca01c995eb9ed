import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { IdParams } from '../../lib/schemas.js';
import type { Db } from '../../db/client.js';
import type { Config } from '../../config/index.js';
import { actorOf, COOKIE } from '../../plugins/auth.js';
import * as auth from './auth.service.js';
import { capabilities } from '../access/duties.rules.js';
import { dutyTable } from '../access/duties.service.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether the session cookie is marked Secure: as WANGGE_COOKIE_SECURE says (1/0), else always,
 * except for a request that came over plain http to this machine's own name (npm start on a laptop).
 */
export function secureCookie(setting: boolean | null, protocol: string, hostname: string): boolean {
  if (setting !== null) return setting;
  return !(protocol === 'http' && LOOPBACK.has(hostname.toLowerCase()));
}

const SECOND_FACTOR_STEP = { signedIn: true, allowPasswordChange: true, allowSecondFactorSetup: true } as const;

export const authRoutes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  auth.configureSessions(db, { idleMinutes: config.idleMinutes });
  const cookieOptions = (req: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookie(config.cookieSecure, req.protocol, req.hostname) });

  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '登录 Log in',
      description: '200 and a session cookie. `secondFactor`: "none" (done), "verify" (POST /auth/second-factor next) or "setup" (the caller\'s duties need a second factor: POST /auth/second-factor/setup next); until then the session reaches only those routes and /me.',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
    },
  }, async (req, reply) => {
    const r = await auth.login(db, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, sessionDays: config.sessionDays });
    reply.setCookie(COOKIE, r.token, { ...cookieOptions(req), expires: r.expiresAt });
    return { user: r.user, secondFactor: r.secondFactor };
  });

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: '退出 Log out' } }, async (req, reply) => {
    const token = req.cookies[COOKIE];
    if (token) await auth.logout(db, token);
    reply.clearCookie(COOKIE, cookieOptions(req));
    return { ok: true };
  });

  app.post('/auth/second-factor', {
    config: SECOND_FACTOR_STEP,
    schema: {
      tags: ['auth'], summary: '输入动态验证码 Enter the second factor',
      description: 'A 6-digit code from the authenticator app (each code once), or one of the recovery codes (each once).',
      body: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })), recoveryCode: Type.Optional(Type.String({ maxLength: 40 })) }),
    },
  }, async (req) => auth.verifySecondFactor(db, actorOf(req) as auth.SessionActor, req.body));

  app.post('/auth/second-factor/setup', {
    config: SECOND_FACTOR_STEP,
    schema: { tags: ['auth'], summary: '设置动态验证码：生成密钥 Set up the second factor: a new secret', description: 'The secret (base32) and its otpauth:// URI for an authenticator app; confirm with a code.' },
  }, async (req) => auth.setupSecondFactor(db, actorOf(req) as auth.SessionActor));

  app.post('/auth/second-factor/confirm', {
    config: SECOND_FACTOR_STEP,
    schema: {
      tags: ['auth'], summary: '设置动态验证码：确认 Confirm the second factor',
      description: 'Turns the second factor on and answers ten one-time recovery codes (shown only this once).',
      body: Type.Object({ code: Type.String({ maxLength: 20 }) }),
    },
  }, async (req) => auth.confirmSecondFactor(db, actorOf(req) as auth.SessionActor, req.body.code));

  app.post('/auth/second-factor/recovery-codes', {
    config: { signedIn: true },
    schema: { tags: ['auth'], summary: '重新生成恢复码 New recovery codes', description: 'Ten new one-time recovery codes; the old ones stop working.' },
  }, async (req) => auth.renewRecoveryCodes(db, actorOf(req) as auth.SessionActor));

  app.post('/users/:id/reset-second-factor', {
    config: { duty: 'people.manage' },
    schema: { tags: ['people'], summary: '管理员重置动态验证码 Reset someone\'s second factor', params: IdParams },
  }, async (req) => auth.resetSecondFactor(db, actorOf(req), req.params.id));

  app.post('/auth/password', {
    config: { signedIn: true, allowPasswordChange: true, allowSecondFactorSetup: true },
    schema: {
      tags: ['auth'], summary: '修改密码 Change password',
      body: Type.Object({ oldPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) }),
    },
  }, async (req) => {
    await auth.changePassword(db, actorOf(req), req.body.oldPassword, req.body.newPassword);
    return { ok: true };
  });

  app.get('/me', { config: { signedIn: true, allowPasswordChange: true, allowSecondFactorSetup: true }, schema: { tags: ['auth'], summary: '当前用户 Who am I' } }, async (req) => {
    const a = actorOf(req);
    const caps = capabilities(await dutyTable(db), a);
    return {
      id: a.id, username: a.username, displayName: a.displayName, mustChangePassword: a.mustChangePassword,
      roles: a.grants.map((g) => ({ roleKey: g.roleKey, areaId: g.areaId, areaName: g.areaName, canWrite: g.canWrite, canManage: g.canManage })),
      areas: [...new Map(a.grants.filter((g) => g.areaId !== null).map((g) => [g.areaId, {
        id: g.areaId, name: g.areaName, level: (g as { areaLevel?: string | null }).areaLevel ?? null, depth: g.areaPath ? g.areaPath.split('/').filter(Boolean).length : null,
      }])).values()],
      global: a.grants.some((g) => g.areaId === null),
      // 'ok' | 'none': done; 'verify': enter a code; 'setup': set one up (the web app shows that screen)
      secondFactor: (a as Partial<auth.SessionActor>).secondFactor ?? 'none',
      // what the caller may do (the screens show only these; the server still checks every request)
      capabilities: caps.map((c) => c.duty),
      capabilityAreas: Object.fromEntries(caps.map((c) => [c.duty, c.areaIds])),
    };
  });
};
