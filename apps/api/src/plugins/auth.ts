// Reads the session cookie into request.actor. Every /api/v1 route needs one, except login and
// the routes that declare `config: { public: true }`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { unauthorized, DomainError } from '../lib/errors.js';
import type { Actor } from '../modules/access/policy.js';
import { actorFromToken } from '../modules/auth/auth.service.js';

export const COOKIE = 'wangge_session';

declare module 'fastify' {
  interface FastifyRequest { actor: (Actor & { sessionId: string }) | null }
  interface FastifyContextConfig { public?: boolean; allowPasswordChange?: boolean }
}

export function registerAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const token = req.cookies[COOKIE];
    if (token) req.actor = await actorFromToken(db, token);
    if (req.routeOptions.config?.public) return;
    if (!req.actor) throw unauthorized();
    // A password set by an administrator must be changed before anything else.
    if (req.actor.mustChangePassword && !req.routeOptions.config?.allowPasswordChange) {
      throw new DomainError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码 (change your password first)');
    }
  });
}

export function actorOf(req: FastifyRequest): Actor & { sessionId: string } {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
