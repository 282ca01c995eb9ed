// Deny by default. Every route under /api and /open311 declares, in its `config`, one of:
//   public: true        anyone (log-in, the residents' pages, Open311; each limits itself)
//   signedIn: true      any logged-in user, for what is theirs (me, password, my notifications, my tasks)
//   duty: '<key>'       a duty of packages/shared/src/duties.ts, held through the duty table
// A route that declares none of them stops the app at start. The check runs on the route that
// matched (its config), never on the raw URL, so no spelling of a path skips it; it runs in
// onRequest, before any body is read or parsed.
// Under a duty the service sees the actor narrowed to the grants that carry it, so its area checks
// (assertRead/assertWrite, readRoots) are checks of that duty's areas.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DUTY_BY_KEY } from '../../../../packages/shared/src/duties.js';
import type { Db } from '../db/client.js';
import { unauthorized, DomainError } from '../lib/errors.js';
import type { Actor } from '../modules/access/policy.js';
import { actingUnder } from '../modules/access/duties.rules.js';
import { dutyTable } from '../modules/access/duties.service.js';
import { actorFromToken } from '../modules/auth/auth.service.js';
import { appendAudit } from '../modules/audit/audit.repository.js';

export const COOKIE = 'wangge_session';

export type SessionActor = Actor & { sessionId: string; secondFactorPending?: boolean };

export interface RouteAccess { method: string; url: string; access: 'public' | 'signedIn' | { duty: string }; query: string[] }

declare module 'fastify' {
  interface FastifyInstance { routeAccess: RouteAccess[] }
  interface FastifyRequest { actor: SessionActor | null }
  interface FastifyContextConfig {
    public?: boolean;
    signedIn?: boolean;
    duty?: string;
    /** reachable before a password set by an administrator has been changed */
    allowPasswordChange?: boolean;
    /** reachable before the second factor has been set up or entered */
    allowSecondFactorSetup?: boolean;
  }
}

const GUARDED = /^\/(api|open311)(\/|$)/;

/** What a route declares about access, or a reason it cannot be served. */
export function accessOf(config: { public?: boolean; signedIn?: boolean; duty?: string } | undefined): 'public' | 'signedIn' | { duty: string } | { error: string } {
  const n = Number(Boolean(config?.public)) + Number(Boolean(config?.signedIn)) + Number(config?.duty !== undefined);
  if (n !== 1) return { error: n === 0 ? 'declares neither a duty nor public' : 'declares more than one of public, signedIn, duty' };
  if (config!.public) return 'public';
  if (config!.signedIn) return 'signedIn';
  if (!DUTY_BY_KEY[config!.duty!]) return { error: `names an unknown duty "${config!.duty}"` };
  return { duty: config!.duty! };
}

export function registerAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  // every guarded route with what it declares: the access-matrix test walks this list
  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);

  app.addHook('onRoute', (route) => {
    if (!GUARDED.test(route.url ?? '')) return;
    const access = accessOf(route.config as never);
    if (typeof access === 'object' && 'error' in access) throw new Error(`route ${route.method} ${route.url} ${access.error}`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') {
      const query = Object.keys((route.schema?.querystring as { properties?: object } | undefined)?.properties ?? {});
      routeAccess.push({ method, url: route.url, access, query });
    }
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config as { public?: boolean; signedIn?: boolean; duty?: string; allowPasswordChange?: boolean; allowSecondFactorSetup?: boolean } | undefined;
    const access = accessOf(config);
    if (access === 'public') return;
    // Unmatched URLs (404) and pages outside the API carry no declaration; only the guarded
    // prefixes need one, and the onRoute check above makes sure they have it.
    if (typeof access === 'object' && 'error' in access) {
      if (GUARDED.test(req.routeOptions.url ?? '')) throw new DomainError(403, 'FORBIDDEN', '拒绝访问 (denied)');
      return;
    }
    const token = req.cookies[COOKIE];
    const actor: SessionActor | null = token ? await actorFromToken(db, token) : null;
    if (!actor) throw unauthorized();
    req.actor = actor;
    // A password set by an administrator must be changed before anything else.
    if (actor.mustChangePassword && !config?.allowPasswordChange) {
      throw new DomainError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码 (change your password first)');
    }
    if (actor.secondFactorPending && !config?.allowSecondFactorSetup) {
      throw new DomainError(403, 'SECOND_FACTOR_REQUIRED', '您的职责需要第二重验证：请先设置或输入动态验证码 (set up or enter your second factor first)');
    }
    if (access === 'signedIn') return;
    const table = await dutyTable(db);
    const narrowed = actingUnder(table, actor, access.duty);
    if (narrowed.grants.length === 0) {
      const def = DUTY_BY_KEY[access.duty]!;
      await db.transaction((tx) => appendAudit(tx, {
        actorId: actor.id, actorName: actor.username, action: 'access.refused', entity: 'duty', entityId: access.duty,
        after: { method: req.method, route: req.routeOptions.url },
      }));
      throw new DomainError(403, 'DUTY_REQUIRED', `无权操作：需要“${def.zh}”职责${def.scope === 'global' ? '（全局授予）' : ''} (needs the duty "${def.en}")`);
    }
    req.actor = narrowed;
  });
}

export function actorOf(req: FastifyRequest): SessionActor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
