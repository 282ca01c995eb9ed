// Log in, sessions, the second factor, password change and reset. Sessions live in the database:
// any API process can serve any request.
//
// Log-in: the throttle (lockout.ts; one atomic UPSERT per key) gives the (name, address) pair a
// number before any password is verified, and counts failures per address and per name; unknown
// names, wrong passwords and blocked pairs answer alike. A session then starts; for a holder of a manage or money
// duty (or anyone with a second factor set up) it is pending until the second factor is set up or
// entered: the gate (plugins/auth.ts) lets it reach only the routes that allow that.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { badInput, conflict, DomainError, forbidden, notFound, unauthorized } from '../../lib/errors.js';
import { assertManage, type Actor } from '../access/policy.js';
import { needsSecondFactor } from '../access/duties.rules.js';
import { dutyTable } from '../access/duties.service.js';
import { appendAudit, type AuditInput } from '../audit/audit.repository.js';
import { commonArea } from '../audit/area.js';
import * as people from '../people/people.repository.js';
import { blockMs, budgetSpent, failuresIn, RULES, userDelayMs, verdict, verdictBefore, type Counter, type WindowRule } from './lockout.js';
import { burnTime, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { codeStep, newRecoveryCodes, newSecret, otpauthUri, PERIOD_SECONDS, recoveryHash } from './second-factor.js';
import * as throttle from './throttle.repository.js';

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRONG = '用户名或密码错误 (wrong username or password)';

/**
 * 'ok' the session passed the second factor; 'verify' the user has one and must enter a code;
 * 'setup' the user's duties need one and none is set up; 'none' neither needed nor set up.
 */
export type SecondFactorState = 'ok' | 'setup' | 'verify' | 'none';
export type SessionActor = Actor & { sessionId: string; secondFactor: SecondFactorState; secondFactorPending: boolean };

/** A session waiting for its second factor ends this long after the password was given. */
export const PENDING_MINUTES = 15;

// The session rules a Db's app was built with (authRoutes sets them from the config).
const policies = new WeakMap<Db, { idleMinutes: number }>();
export function configureSessions(db: Db, p: { idleMinutes: number }) { policies.set(db, p); }
const idleMinutesOf = (db: Db) => policies.get(db)?.idleMinutes ?? 30;

const audit = (db: Db, entry: AuditInput) => db.transaction((tx) => appendAudit(tx, entry));
/** The area of a person's log-in events (their areas' common ancestor): that area's audit readers see them. */
const areaOf = (grants: { areaPath?: string | null }[]) => (grants.length ? commonArea(grants.map((g) => g.areaPath ?? null)) : null);
const userArea = async (db: Db, userId: number | undefined) => (userId === undefined ? null : areaOf(await people.grantsOf(db, userId)));

const tooMany = (retryAfterSec: number) => new DomainError(429, 'TOO_MANY_ATTEMPTS',
  `尝试次数过多，请 ${Math.ceil(retryAfterSec / 60)} 分钟后再试 (too many attempts: try again in ${Math.ceil(retryAfterSec / 60)} min)`,
  [{ field: 'retryAfter', message: String(retryAfterSec) }]);

/** Starts the block of a key whose budget is spent (once, by whoever gets there first); true if this call started it. */
async function startBlock(db: Db, key: string, rule: WindowRule, now: Date, levelKey?: string): Promise<{ started: boolean; ms: number }> {
  const first = blockMs(rule, 1);
  if (!(await throttle.startBlock(db, key, rule.limit, new Date(now.getTime() + first), now))) return { started: false, ms: 0 };
  if (!levelKey) return { started: true, ms: first };
  const ms = blockMs(rule, await throttle.bumpLevel(db, levelKey, RULES.addressLevelMs, now));
  if (ms > first) await throttle.extendBlock(db, key, new Date(now.getTime() + ms));
  return { started: true, ms };
}

export interface LoginInput { username: string; password: string; ip: string | null; userAgent: string | null; sessionDays: number }

/** The local machine: where a demo install's shared accounts may log in from. */
export const isLoopback = (ip: string | null) => ip !== null && (/^127\./.test(ip) || ip === '::1' || /^::ffff:127\./.test(ip));

export async function login(db: Db, input: LoginInput) {
  const now = new Date();
  const name = input.username.trim().toLowerCase();
  const ip = input.ip ?? 'unknown';
  const keys = {
    address: throttle.throttleKey('ip', ip), level: throttle.throttleKey('iplevel', ip),
    pair: throttle.throttleKey('pair', name, ip), user: throttle.throttleKey('user', name),
  };
  // 1. the address (its failures so far) and the name from everywhere (to slow it down), one read
  const counters = await throttle.readKeys(db, [keys.address, keys.user]);
  const av = verdictBefore(counters.get(keys.address) ?? null, now, RULES.address);
  if (!av.allowed) throw tooMany(av.retryAfterSec);
  // 2. this name from this address: a number before any verification
  const p = await throttle.countAttempt(db, keys.pair, RULES.pair, now);
  const pv = verdict(p, now, RULES.pair);
  const user = await people.userByName(db, name);
  const pairFailed = async () => {
    if (!budgetSpent(p, RULES.pair)) return;
    const b = await startBlock(db, keys.pair, RULES.pair, now);
    if (b.started) {
      await audit(db, { actorId: null, actorName: ip, action: 'login.blocked', entity: 'user', entityId: user?.id ?? null,
        after: { minutes: Math.round(b.ms / 60_000), failures: RULES.pair.limit, known: Boolean(user) }, areaPath: await userArea(db, user?.id) });
    }
  };
  if (!pv.allowed) {
    if (!pv.blocked) await pairFailed();
    throw tooMany(pv.retryAfterSec);
  }
  // 3. slower after many failures of this name from everywhere, never refused
  const delay = userDelayMs(failuresIn(counters.get(keys.user) ?? null, now, RULES.user));
  if (delay) await sleep(delay);

  // 4. the password (as slow for an unknown or disabled name as for a real one)
  // A demo account (shared demo password) logs in only from this machine; elsewhere it is as unknown.
  let ok = false;
  if (!user || user.disabledAt || !user.passwordHash || (user.demo && !isLoopback(input.ip))) await burnTime(input.password);
  else ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok || !user) {
    const [a] = await Promise.all([throttle.countAttempt(db, keys.address, RULES.address, now), throttle.countAttempt(db, keys.user, RULES.user, now)]);
    if (budgetSpent(a, RULES.address)) {
      const b = await startBlock(db, keys.address, RULES.address, now, keys.level);
      if (b.started) {
        await audit(db, { actorId: null, actorName: ip, action: 'login.address_blocked', entity: 'address', entityId: keys.address,
          after: { minutes: Math.round(b.ms / 60_000), failures: RULES.address.limit } });
      }
    }
    await pairFailed();
    // Audited once per run of the pair (its first failure) and when a block starts, never per attempt.
    if (user && p.failures === 1) {
      await audit(db, { actorId: null, actorName: ip, action: 'login.failed', entity: 'user', entityId: user.id, areaPath: await userArea(db, user.id) });
    }
    throw new DomainError(401, 'BAD_CREDENTIALS', WRONG);
  }
  await throttle.clearKey(db, keys.pair);
  if (user.failedLogins || user.lockedUntil) await people.updateUser(db, user.id, { failedLogins: 0, lastFailedAt: null, lockedUntil: null });

  const grants = await people.grantsOf(db, user.id);
  const secondFactor: SecondFactorState = user.totpEnabledAt ? 'verify'
    : needsSecondFactor(await dutyTable(db), { id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword, grants }) ? 'setup' : 'none';
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.sessionDays * 86_400_000);
  await db.transaction(async (tx) => {
    await people.insertSession(tx, { id: sessionIdOf(token), userId: user.id, expiresAt, ip: input.ip, userAgent: input.userAgent?.slice(0, 300) ?? null });
    await appendAudit(tx, { actorId: user.id, actorName: user.username, action: 'user.login', entity: 'user', entityId: user.id, after: { ip: input.ip, secondFactor },
      areaPath: areaOf(grants) });
  });
  return {
    token, expiresAt, secondFactor,
    user: { id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword },
  };
}

/**
 * The actor behind a session token, or null when the session is unknown, expired or the user
 * disabled. A session idle for longer than the idle time, or left waiting for its second factor,
 * is deleted and refused with a message to log in again.
 */
export async function actorFromToken(db: Db, token: string): Promise<SessionActor | null> {
  const sid = sessionIdOf(token);
  const u = await people.sessionUser(db, sid);
  if (!u) return null;
  const now = Date.now();
  const idle = idleMinutesOf(db);
  if (now - u.lastSeenAt.getTime() > idle * 60_000) {
    await people.deleteSession(db, sid);
    throw new DomainError(401, 'SESSION_IDLE', `已 ${idle} 分钟未操作，请重新登录 (idle for ${idle} min: log in again)`);
  }
  const grants = await people.grantsOf(db, u.id);
  const actor: Actor = { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: u.mustChangePassword, grants };
  const secondFactor: SecondFactorState = u.secondFactorAt ? 'ok' : u.totpEnabledAt ? 'verify'
    : needsSecondFactor(await dutyTable(db), actor) ? 'setup' : 'none';
  const pending = secondFactor === 'verify' || secondFactor === 'setup';
  if (pending && now - u.sessionCreatedAt.getTime() > PENDING_MINUTES * 60_000) {
    await people.deleteSession(db, sid);
    throw new DomainError(401, 'SESSION_IDLE', `第二重验证超过 ${PENDING_MINUTES} 分钟未完成，请重新登录 (second factor not given within ${PENDING_MINUTES} min: log in again)`);
  }
  if (now - u.lastSeenAt.getTime() > 60_000) await people.touchSession(db, sid);
  return { ...actor, sessionId: sid, secondFactor, secondFactorPending: pending };
}

export async function logout(db: Db, token: string) {
  const userId = await people.deleteSession(db, sessionIdOf(token));
  if (userId !== null) await audit(db, { actorId: userId, actorName: null, action: 'user.logout', entity: 'user', entityId: userId, areaPath: await userArea(db, userId) });
}

// ------------------------------------------------------------------ the second factor

type SessionOf = Actor & { sessionId: string; secondFactor?: SecondFactorState };

/** A new secret for the caller's authenticator app (replacing one not yet confirmed). */
export async function setupSecondFactor(db: Db, actor: SessionOf) {
  const sf = await people.secondFactorOf(db, actor.id);
  if (!sf) throw unauthorized();
  if (sf.totpEnabledAt) throw conflict('SECOND_FACTOR_ENABLED', '动态验证码已经设置；换手机请管理员重置 (already set up: an administrator can reset it)');
  const secret = newSecret();
  if (!(await people.setPendingSecret(db, actor.id, secret))) throw conflict('SECOND_FACTOR_ENABLED', '动态验证码已经设置 (already set up)');
  return { secret, uri: otpauthUri(actor.username, secret), digits: 6, period: PERIOD_SECONDS };
}

/** Counts an attempt at a code for the user; refuses when too many went wrong. */
async function codeAttempt(db: Db, userId: number, now: Date) {
  const key = `second:${userId}`;
  const c = await throttle.countAttempt(db, key, RULES.second, now);
  const v = verdict(c, now, RULES.second);
  return { key, c, v };
}

async function codeFailed(db: Db, actor: SessionOf, t: { key: string; c: Counter }, now: Date, refused = false) {
  if (t.c.failures === 1 && !refused) {
    await audit(db, { actorId: actor.id, actorName: actor.username, action: 'user.second_factor_failed', entity: 'user', entityId: actor.id, areaPath: areaOf(actor.grants) });
  }
  if (budgetSpent(t.c, RULES.second)) {
    const b = await startBlock(db, t.key, RULES.second, now);
    if (b.started) {
      await audit(db, { actorId: actor.id, actorName: actor.username, action: 'user.second_factor_blocked', entity: 'user', entityId: actor.id,
        after: { minutes: Math.round(b.ms / 60_000) }, areaPath: areaOf(actor.grants) });
    }
  }
}

const WRONG_CODE = () => new DomainError(400, 'WRONG_CODE', '验证码不正确或已用过 (wrong or already used code)', [{ field: 'code', message: 'wrong' }]);

/** Confirms the new secret with a code from the app: the second factor is on; ten recovery codes, shown once. */
export async function confirmSecondFactor(db: Db, actor: SessionOf, code: string) {
  const now = new Date();
  const sf = await people.secondFactorOf(db, actor.id);
  if (!sf) throw unauthorized();
  if (sf.totpEnabledAt) throw conflict('SECOND_FACTOR_ENABLED', '动态验证码已经设置 (already set up)');
  if (!sf.totpSecret) throw conflict('SETUP_FIRST', '请先生成密钥 (start the setup first)');
  const t = await codeAttempt(db, actor.id, now);
  if (!t.v.allowed) { if (!t.v.blocked) await codeFailed(db, actor, t, now, true); throw tooMany(t.v.retryAfterSec); }
  const step = await codeStep(sf.totpSecret, code, null, now.getTime());
  if (step === null) { await codeFailed(db, actor, t, now); throw WRONG_CODE(); }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    if (!(await people.enableSecondFactor(tx, actor.id, sf.totpSecret!, step, codes.map(recoveryHash)))) {
      throw conflict('SECOND_FACTOR_CHANGED', '密钥已变更，请重新设置 (the secret changed meanwhile: start again)');
    }
    await people.markSessionSecondFactor(tx, actor.sessionId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.second_factor_enabled', entity: 'user', entityId: actor.id, areaPath: areaOf(actor.grants) });
  });
  await throttle.clearKey(db, t.key);
  return { recoveryCodes: codes };
}

/** Enters the second factor for this session: a code from the app (each time step once) or a recovery code (each once). */
export async function verifySecondFactor(db: Db, actor: SessionOf, input: { code?: string; recoveryCode?: string }) {
  if (actor.secondFactor === 'ok') return { ok: true as const };
  const now = new Date();
  const sf = await people.secondFactorOf(db, actor.id);
  if (!sf) throw unauthorized();
  if (!sf.totpEnabledAt || !sf.totpSecret) throw conflict('SETUP_FIRST', '尚未设置动态验证码，请先设置 (no second factor yet: set one up)');
  if (!input.code === !input.recoveryCode) throw badInput('请输入验证码或恢复码之一 (give a code or a recovery code)', [{ field: 'code', message: 'one of code, recoveryCode' }]);
  const t = await codeAttempt(db, actor.id, now);
  if (!t.v.allowed) { if (!t.v.blocked) await codeFailed(db, actor, t, now, true); throw tooMany(t.v.retryAfterSec); }
  let method: 'totp' | 'recovery';
  let recoveryLeft: number | undefined;
  if (input.code) {
    method = 'totp';
    const step = await codeStep(sf.totpSecret, input.code, sf.totpLastStep, now.getTime());
    // the conditional UPDATE makes a step usable once, even by two requests at the same moment
    if (step === null || !(await people.useTotpStep(db, actor.id, step))) { await codeFailed(db, actor, t, now); throw WRONG_CODE(); }
  } else {
    method = 'recovery';
    const left = await people.useRecoveryCode(db, actor.id, recoveryHash(input.recoveryCode!));
    if (left === null) { await codeFailed(db, actor, t, now); throw WRONG_CODE(); }
    recoveryLeft = left;
  }
  await throttle.clearKey(db, t.key);
  await db.transaction(async (tx) => {
    await people.markSessionSecondFactor(tx, actor.sessionId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.second_factor', entity: 'user', entityId: actor.id,
      after: { method, ...(recoveryLeft === undefined ? {} : { recoveryLeft }) }, areaPath: areaOf(actor.grants) });
  });
  return { ok: true as const, ...(recoveryLeft === undefined ? {} : { recoveryLeft }) };
}

/** Ten new recovery codes in place of the old ones (after the second factor, in this session). */
export async function renewRecoveryCodes(db: Db, actor: SessionOf) {
  if (actor.secondFactor !== 'ok') throw new DomainError(403, 'SECOND_FACTOR_REQUIRED', '请先输入动态验证码 (enter your second factor first)');
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await people.setRecoveryCodes(tx, actor.id, codes.map(recoveryHash));
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.recovery_codes_renewed', entity: 'user', entityId: actor.id, areaPath: areaOf(actor.grants) });
  });
  return { recoveryCodes: codes };
}

/** An administrator clears someone's second factor (a lost phone); they set up a new one at next login. */
export async function resetSecondFactor(db: Db, actor: Actor, userId: number) {
  const user = await people.userById(db, userId);
  if (!user) throw notFound(`用户 ${userId} 不存在`);
  if (user.id === actor.id) throw forbidden('不能重置自己的动态验证码，请另一位管理员操作 (ask another administrator)');
  const grants = await people.grantsOf(db, userId);
  const target = grants.length ? grants : [{ areaPath: '/' }];
  for (const g of target) assertManage(actor, g.areaPath ?? '/', `用户“${user.displayName}”`);
  await db.transaction(async (tx) => {
    await people.clearSecondFactor(tx, userId);
    await people.deleteUserSessions(tx, userId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.second_factor_reset', entity: 'user', entityId: userId, areaPath: areaOf(grants) });
  });
  return { ok: true };
}

export async function changePassword(db: Db, actor: Actor & { sessionId?: string; secondFactor?: SecondFactorState }, oldPassword: string, newPassword: string) {
  // With a second factor set up, the password alone does not let anyone change it.
  if (actor.secondFactor === 'verify') throw new DomainError(403, 'SECOND_FACTOR_REQUIRED', '请先输入动态验证码 (enter your second factor first)');
  const user = await people.userById(db, actor.id);
  if (!user) throw unauthorized();
  if (!(await verifyPassword(user.passwordHash, oldPassword))) {
    throw badInput('原密码不正确 (current password is wrong)', [{ field: 'oldPassword', message: 'wrong' }], 'WRONG_PASSWORD');
  }
  const problem = passwordProblem(newPassword, user.username);
  if (problem) throw badInput(problem, [{ field: 'newPassword', message: problem }], 'WEAK_PASSWORD');
  if (newPassword === oldPassword) throw badInput('新密码不能与原密码相同', [{ field: 'newPassword', message: 'same' }], 'WEAK_PASSWORD');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await people.updateUser(tx, user.id, { passwordHash, mustChangePassword: false });
    await people.deleteUserSessions(tx, user.id, actor.sessionId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.password_change', entity: 'user', entityId: user.id, areaPath: areaOf(actor.grants) });
  });
}

/** An administrator sets a new (or random) password; the user must change it at next login. */
export async function resetPassword(db: Db, actor: Actor, userId: number, newPassword?: string) {
  const user = await people.userById(db, userId);
  if (!user) throw notFound(`用户 ${userId} 不存在`);
  const grants = await people.grantsOf(db, userId);
  // An admin may reset anyone holding a role inside the admin's areas (the global admin: anyone).
  const target = grants.length ? grants : [{ areaPath: '/' }];
  for (const g of target) assertManage(actor, g.areaPath ?? '/', `用户“${user.displayName}”`);
  const password = newPassword ?? `${randomBytes(9).toString('base64url')}a1`;
  const problem = passwordProblem(password, user.username);
  if (problem) throw badInput(problem, [{ field: 'password', message: problem }], 'WEAK_PASSWORD');
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await people.updateUser(tx, userId, { passwordHash, mustChangePassword: true, failedLogins: 0, lastFailedAt: null, lockedUntil: null });
    await people.deleteUserSessions(tx, userId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.password_reset', entity: 'user', entityId: userId, areaPath: areaOf(grants) });
  });
  return { password: newPassword ? undefined : password };
}

/**
 * The operator at the server gives someone back their access (the last administrator lost both the
 * phone and the recovery codes): a new random password to change at first login, the second factor
 * cleared (set up again at that login), every session ended, the name's failure count forgiven.
 * Only the command line calls this: whoever runs it already holds the database and the key.
 */
export async function recoverAccess(db: Db, username: string, operator: string) {
  const user = await people.userByName(db, username.trim());
  if (!user) throw notFound(`没有用户“${username}” (no such user)`);
  const password = `${randomBytes(9).toString('base64url')}a1`;
  const passwordHash = await hashPassword(password);
  const grants = await people.grantsOf(db, user.id);
  await db.transaction(async (tx) => {
    await people.updateUser(tx, user.id, { passwordHash, mustChangePassword: true, failedLogins: 0, lastFailedAt: null, lockedUntil: null });
    await people.clearSecondFactor(tx, user.id);
    await people.deleteUserSessions(tx, user.id);
    await throttle.clearKey(tx, throttle.throttleKey('user', user.username.toLowerCase()));
    await appendAudit(tx, { actorId: null, actorName: operator, action: 'user.access_recovered', entity: 'user', entityId: user.id, areaPath: areaOf(grants) });
  });
  return { username: user.username, password };
}
