// Log in, sessions, password change and reset. Sessions live in the database: any API process
// can serve any request.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { badInput, DomainError, notFound, unauthorized } from '../../lib/errors.js';
import { assertManage, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as people from '../people/people.repository.js';
import { afterFailure, isLocked } from './lockout.js';
import { burnTime, hashPassword, passwordProblem, verifyPassword } from './password.js';

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRONG = '用户名或密码错误 (wrong username or password)';

export async function login(db: Db, input: { username: string; password: string; ip: string | null; userAgent: string | null; sessionDays: number }) {
  const user = await people.userByName(db, input.username.trim());
  if (!user || user.disabledAt) {
    await burnTime(input.password);
    throw new DomainError(401, 'BAD_CREDENTIALS', WRONG);
  }
  const now = new Date();
  if (isLocked(user, now)) {
    const minutes = Math.ceil((user.lockedUntil!.getTime() - now.getTime()) / 60_000);
    throw new DomainError(429, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试或请管理员重置密码 (locked for ${minutes} min)`);
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const next = afterFailure(user, now);
    await people.updateUser(db, user.id, { failedLogins: next.failedLogins, lastFailedAt: next.lastFailedAt, lockedUntil: next.lockedUntil });
    if (next.delayMs) await sleep(next.delayMs);
    if (next.locked) {
      await db.transaction((tx) => appendAudit(tx, { actorId: null, actorName: input.ip, action: 'user.locked', entity: 'user', entityId: user.id }));
      throw new DomainError(429, 'ACCOUNT_LOCKED', '登录失败次数过多，账号已锁定 15 分钟 (locked for 15 min)');
    }
    throw new DomainError(401, 'BAD_CREDENTIALS', WRONG);
  }
  if (user.failedLogins || user.lockedUntil) await people.updateUser(db, user.id, { failedLogins: 0, lastFailedAt: null, lockedUntil: null });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.sessionDays * 86_400_000);
  await people.insertSession(db, { id: sessionIdOf(token), userId: user.id, expiresAt, ip: input.ip, userAgent: input.userAgent?.slice(0, 300) ?? null });
  return { token, expiresAt, user: { id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword } };
}

/** The actor behind a session token, or null when the session is unknown, expired or the user disabled. */
export async function actorFromToken(db: Db, token: string): Promise<(Actor & { sessionId: string }) | null> {
  const sid = sessionIdOf(token);
  const u = await people.sessionUser(db, sid);
  if (!u) return null;
  if (Date.now() - new Date(u.lastSeenAt).getTime() > 5 * 60_000) await people.touchSession(db, sid);
  const grants = await people.grantsOf(db, u.id);
  return { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: u.mustChangePassword, grants, sessionId: sid };
}

export async function logout(db: Db, token: string) {
  await people.deleteSession(db, sessionIdOf(token));
}

export async function changePassword(db: Db, actor: Actor & { sessionId?: string }, oldPassword: string, newPassword: string) {
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
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.password_change', entity: 'user', entityId: user.id });
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
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.password_reset', entity: 'user', entityId: userId });
  });
  return { password: newPassword ? undefined : password };
}
