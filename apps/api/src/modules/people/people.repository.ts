// The only place with queries on people, their roles, responsibilities and sessions.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import type { Grant } from '../access/policy.js';
import { insideRoots } from '../areas/areas.repository.js';
import { toDate } from '../../lib/dates.js';

export interface UserRow {
  id: number; username: string; displayName: string; phone: string | null; passwordHash: string | null;
  mustChangePassword: boolean; failedLogins: number; lastFailedAt: Date | null; lockedUntil: Date | null;
  disabledAt: Date | null; demo: boolean; createdAt: Date;
  /** when the second factor (TOTP) was confirmed; null: none */
  totpEnabledAt: Date | null;
}

const USER_COLS = sql`u.id, u.username, u.display_name AS "displayName", u.phone, u.password_hash AS "passwordHash",
  u.must_change_password AS "mustChangePassword", u.failed_logins AS "failedLogins", u.last_failed_at AS "lastFailedAt",
  u.locked_until AS "lockedUntil", u.disabled_at AS "disabledAt", u.demo, u.created_at AS "createdAt", u.totp_enabled_at AS "totpEnabledAt"`;

function withDates<T extends UserRow>(u: T | undefined): T | undefined {
  if (!u) return u;
  return { ...u, lastFailedAt: toDate(u.lastFailedAt), lockedUntil: toDate(u.lockedUntil), disabledAt: toDate(u.disabledAt), createdAt: toDate(u.createdAt)!,
    totpEnabledAt: toDate(u.totpEnabledAt) };
}

export async function userByName(db: Db, username: string): Promise<UserRow | undefined> {
  const [u] = await rows<UserRow>(db, sql`SELECT ${USER_COLS} FROM app_user u WHERE lower(u.username) = lower(${username})`);
  return withDates(u);
}

export async function userById(db: Db, id: number, forUpdate = false): Promise<UserRow | undefined> {
  const [u] = await rows<UserRow>(db, sql`SELECT ${USER_COLS} FROM app_user u WHERE u.id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  return withDates(u);
}

export async function grantsOf(db: Db, userId: number): Promise<(Grant & { id: number; roleName: string; areaCode: string | null; areaLevel: string | null })[]> {
  return rows(db, sql`SELECT g.id, g.role_key AS "roleKey", r.name_zh AS "roleName", g.area_id AS "areaId", a.path AS "areaPath",
      a.name AS "areaName", a.code AS "areaCode", a.level_key AS "areaLevel", r.can_write AS "canWrite", r.can_manage AS "canManage"
    FROM user_role g JOIN role r ON r.key = g.role_key LEFT JOIN area a ON a.id = g.area_id
    WHERE g.user_id = ${userId} ORDER BY r.sort, a.code`);
}

export async function insertUser(tx: Db, u: { username: string; displayName: string; phone: string | null;
  passwordHash: string | null; mustChangePassword: boolean; demo?: boolean }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO app_user (username, display_name, phone, password_hash, must_change_password, demo)
    VALUES (${u.username}, ${u.displayName}, ${u.phone}, ${u.passwordHash}, ${u.mustChangePassword}, ${u.demo ?? false}) RETURNING id`);
  return Number(r!.id);
}

export async function updateUser(tx: Db, id: number, p: { displayName?: string; phone?: string | null; disabled?: boolean;
  passwordHash?: string; mustChangePassword?: boolean; failedLogins?: number; lastFailedAt?: Date | null; lockedUntil?: Date | null }) {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (p.displayName !== undefined) sets.push(sql`display_name = ${p.displayName}`);
  if (p.phone !== undefined) sets.push(sql`phone = ${p.phone}`);
  if (p.disabled !== undefined) sets.push(p.disabled ? sql`disabled_at = COALESCE(disabled_at, now())` : sql`disabled_at = NULL`);
  if (p.passwordHash !== undefined) sets.push(sql`password_hash = ${p.passwordHash}`);
  if (p.mustChangePassword !== undefined) sets.push(sql`must_change_password = ${p.mustChangePassword}`);
  if (p.failedLogins !== undefined) sets.push(sql`failed_logins = ${p.failedLogins}`);
  if (p.lastFailedAt !== undefined) sets.push(sql`last_failed_at = ${p.lastFailedAt ? p.lastFailedAt.toISOString() : null}`);
  if (p.lockedUntil !== undefined) sets.push(sql`locked_until = ${p.lockedUntil ? p.lockedUntil.toISOString() : null}`);
  await tx.execute(sql`UPDATE app_user SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function insertGrant(tx: Db, userId: number, roleKey: string, areaId: number | null): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO user_role (user_id, role_key, area_id) VALUES (${userId}, ${roleKey}, ${areaId})
    ON CONFLICT DO NOTHING RETURNING id`);
  return r ? Number(r.id) : 0;
}

export async function deleteGrant(tx: Db, grantId: number) {
  await tx.execute(sql`DELETE FROM user_role WHERE id = ${grantId}`);
}

export async function grantById(db: Db, grantId: number) {
  const [g] = await rows<{ id: number; userId: number; roleKey: string; areaId: number | null; areaPath: string | null }>(db, sql`
    SELECT g.id, g.user_id AS "userId", g.role_key AS "roleKey", g.area_id AS "areaId", a.path AS "areaPath"
    FROM user_role g LEFT JOIN area a ON a.id = g.area_id WHERE g.id = ${grantId}`);
  return g;
}

/** Users with a role inside the given subtrees (or anywhere, for 'all'), with their roles there only (never another area's). */
export async function listUsers(db: Db, roots: string[] | 'all', f: { q?: string; phone?: string | null; role?: string; areaPath?: string; limit: number; offset: number }) {
  const conds: SQL[] = [insideRoots(roots)];
  if (f.role) conds.push(sql`g.role_key = ${f.role}`);
  if (f.areaPath) conds.push(sql`a.path LIKE ${`${f.areaPath}%`}`);
  const scoped = roots === 'all' && !f.role && !f.areaPath
    ? sql`SELECT id AS user_id FROM app_user`
    : sql`SELECT g.user_id FROM user_role g LEFT JOIN area a ON a.id = g.area_id WHERE ${sql.join(conds, sql` AND `)}`;
  const q = f.q?.trim();
  // a phone by its whole number only (`phone`, normalised), never by a part of it
  const byPhone = f.phone ? sql` OR regexp_replace(coalesce(u.phone, ''), '[^0-9]', '', 'g') IN (${f.phone}, ${`86${f.phone}`}, ${`0086${f.phone}`})` : sql``;
  const nameCond = q ? sql`AND (u.username ILIKE ${`%${q}%`} OR u.display_name ILIKE ${`%${q}%`}${byPhone})` : sql``;
  const list = await rows<{ id: number; username: string; displayName: string; phone: string | null; disabled: boolean; locked: boolean; roles: string; total: number }>(db, sql`
    SELECT u.id, u.username, u.display_name AS "displayName", u.phone, u.disabled_at IS NOT NULL AS disabled,
      (u.locked_until IS NOT NULL AND u.locked_until > now()) AS locked,
      COALESCE((SELECT string_agg(r.name_zh || COALESCE('@' || a2.name, ''), '、' ORDER BY r.sort)
        FROM user_role g2 JOIN role r ON r.key = g2.role_key LEFT JOIN area a2 ON a2.id = g2.area_id WHERE g2.user_id = u.id
          AND ${roots === 'all' ? sql`TRUE` : roots.length ? sql`(${sql.join(roots.map((p) => sql`a2.path LIKE ${`${p}%`}`), sql` OR `)})` : sql`FALSE`}), '') AS roles,
      count(*) OVER () AS total
    FROM app_user u WHERE u.id IN (${scoped}) ${nameCond}
    ORDER BY u.id LIMIT ${f.limit} OFFSET ${f.offset}`);
  return { total: Number(list[0]?.total ?? 0), items: list.map(({ total: _t, ...r }) => r) };
}

// --- sessions ---
export async function insertSession(db: Db, s: { id: string; userId: number; expiresAt: Date; ip: string | null; userAgent: string | null; secondFactor?: boolean }) {
  await db.execute(sql`INSERT INTO session (id, user_id, expires_at, ip, user_agent, second_factor_at)
    VALUES (${s.id}, ${s.userId}, ${s.expiresAt.toISOString()}, ${s.ip}, ${s.userAgent}, ${s.secondFactor ? sql`now()` : sql`NULL`})`);
}

export type SessionUserRow = UserRow & { lastSeenAt: Date; expiresAt: Date; sessionCreatedAt: Date; secondFactorAt: Date | null };

export async function sessionUser(db: Db, sessionId: string): Promise<SessionUserRow | undefined> {
  const [r] = await rows<SessionUserRow>(db, sql`SELECT ${USER_COLS}, s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
      s.created_at AS "sessionCreatedAt", s.second_factor_at AS "secondFactorAt"
    FROM session s JOIN app_user u ON u.id = s.user_id
    WHERE s.id = ${sessionId} AND s.expires_at > now() AND u.disabled_at IS NULL`);
  return r && { ...withDates(r)!, lastSeenAt: toDate(r.lastSeenAt)!, expiresAt: toDate(r.expiresAt)!, sessionCreatedAt: toDate(r.sessionCreatedAt)!,
    secondFactorAt: toDate(r.secondFactorAt) };
}

export async function touchSession(db: Db, sessionId: string) {
  await db.execute(sql`UPDATE session SET last_seen_at = now() WHERE id = ${sessionId}`);
}
/** Deletes the session; the user it belonged to, if it existed. */
export async function deleteSession(db: Db, sessionId: string): Promise<number | null> {
  const [r] = await rows<{ userId: number }>(db, sql`DELETE FROM session WHERE id = ${sessionId} RETURNING user_id AS "userId"`);
  return r ? Number(r.userId) : null;
}
export async function deleteUserSessions(db: Db, userId: number, except?: string) {
  await db.execute(sql`DELETE FROM session WHERE user_id = ${userId} ${except ? sql`AND id <> ${except}` : sql``}`);
}
/** Expired sessions, and login-throttle rows long over (neither is ever used again; this keeps the tables small). */
export async function purgeExpiredSessions(db: Db) {
  await db.execute(sql`DELETE FROM session WHERE expires_at < now()`);
  await db.execute(sql`DELETE FROM login_throttle WHERE window_start < now() - interval '3 days'
    AND (blocked_until IS NULL OR blocked_until < now() - interval '3 days')`);
}
export async function markSessionSecondFactor(db: Db, sessionId: string) {
  await db.execute(sql`UPDATE session SET second_factor_at = now() WHERE id = ${sessionId}`);
}

// --- second factor (TOTP, RFC 6238) ---
export interface SecondFactorRow { totpSecret: string | null; totpEnabledAt: Date | null; totpLastStep: number | null; recoveryLeft: number }

export async function secondFactorOf(db: Db, userId: number): Promise<SecondFactorRow | undefined> {
  const [r] = await rows<SecondFactorRow>(db, sql`SELECT totp_secret AS "totpSecret", totp_enabled_at AS "totpEnabledAt", totp_last_step AS "totpLastStep",
      COALESCE(jsonb_array_length(recovery_codes), 0) AS "recoveryLeft" FROM app_user WHERE id = ${userId}`);
  return r && { ...r, totpEnabledAt: toDate(r.totpEnabledAt), totpLastStep: r.totpLastStep === null ? null : Number(r.totpLastStep), recoveryLeft: Number(r.recoveryLeft) };
}

/** A new secret to be confirmed; refused (false) once a second factor is enabled. */
export async function setPendingSecret(db: Db, userId: number, secret: string): Promise<boolean> {
  const r = await rows(db, sql`UPDATE app_user SET totp_secret = ${secret}, totp_last_step = NULL, recovery_codes = NULL, updated_at = now()
    WHERE id = ${userId} AND totp_enabled_at IS NULL RETURNING id`);
  return r.length > 0;
}

/** Enables the pending secret the code was checked against (false if it changed meanwhile or is already enabled). */
export async function enableSecondFactor(tx: Db, userId: number, secret: string, step: number, recoveryHashes: string[]): Promise<boolean> {
  const r = await rows(tx, sql`UPDATE app_user SET totp_enabled_at = now(), totp_last_step = ${step}, recovery_codes = ${JSON.stringify(recoveryHashes)}::jsonb, updated_at = now()
    WHERE id = ${userId} AND totp_enabled_at IS NULL AND totp_secret = ${secret} RETURNING id`);
  return r.length > 0;
}

/** Uses a time step: true only if it is later than every step used before (no replay, even in parallel). */
export async function useTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const r = await rows(db, sql`UPDATE app_user SET totp_last_step = ${step}
    WHERE id = ${userId} AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ${step}) RETURNING id`);
  return r.length > 0;
}

/** Uses up a recovery code (by its hash): the codes left, or null when it is not (or no longer) one of them. */
export async function useRecoveryCode(db: Db, userId: number, hash: string): Promise<number | null> {
  const [r] = await rows<{ left: number }>(db, sql`UPDATE app_user SET recovery_codes = recovery_codes - ${hash}::text
    WHERE id = ${userId} AND totp_enabled_at IS NOT NULL AND recovery_codes @> jsonb_build_array(${hash}::text)
    RETURNING jsonb_array_length(recovery_codes) AS left`);
  return r ? Number(r.left) : null;
}

export async function setRecoveryCodes(db: Db, userId: number, hashes: string[]) {
  await db.execute(sql`UPDATE app_user SET recovery_codes = ${JSON.stringify(hashes)}::jsonb, updated_at = now() WHERE id = ${userId} AND totp_enabled_at IS NOT NULL`);
}

export async function clearSecondFactor(tx: Db, userId: number) {
  await tx.execute(sql`UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, recovery_codes = NULL, updated_at = now() WHERE id = ${userId}`);
}

// --- responsibilities ---
export interface ResponsibilityRow {
  id: number; kind: string; areaId: number; areaName: string; areaCode: string; areaLevel: string;
  userId: number | null; userName: string | null; phone: string | null; holderName: string | null; principal: boolean;
  validFrom: string; validTo: string | null; note: string | null;
}

const RESP_COLS = sql`r.id, r.kind, r.area_id AS "areaId", a.name AS "areaName", a.code AS "areaCode", a.level_key AS "areaLevel",
  r.user_id AS "userId", u.display_name AS "userName", u.phone, r.holder_name AS "holderName", r.principal,
  r.valid_from AS "validFrom", r.valid_to AS "validTo", r.note`;

export async function overlapping(tx: Db, kind: string, areaId: number, from: string, to: string | null, exceptId?: number) {
  return rows<ResponsibilityRow>(tx, sql`SELECT ${RESP_COLS} FROM responsibility r JOIN area a ON a.id = r.area_id
    LEFT JOIN app_user u ON u.id = r.user_id
    WHERE r.kind = ${kind} AND r.area_id = ${areaId} AND r.valid_from <= ${to ?? '9999-12-31'}
      AND (r.valid_to IS NULL OR r.valid_to >= ${from}) ${exceptId ? sql`AND r.id <> ${exceptId}` : sql``}`);
}

export async function insertResponsibility(tx: Db, r: { kind: string; areaId: number; userId: number | null; holderName: string | null;
  principal: boolean; validFrom: string; validTo: string | null; note: string | null; createdBy: number | null }): Promise<number> {
  const [x] = await rows<{ id: number }>(tx, sql`INSERT INTO responsibility (kind, area_id, user_id, holder_name, principal, valid_from, valid_to, note, created_by)
    VALUES (${r.kind}, ${r.areaId}, ${r.userId}, ${r.holderName}, ${r.principal}, ${r.validFrom}, ${r.validTo}, ${r.note}, ${r.createdBy}) RETURNING id`);
  return Number(x!.id);
}

export async function responsibilityById(db: Db, id: number, forUpdate = false) {
  const [r] = await rows<ResponsibilityRow & { areaPath: string }>(db, sql`SELECT ${RESP_COLS}, a.path AS "areaPath" FROM responsibility r
    JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r.user_id WHERE r.id = ${id} ${forUpdate ? sql`FOR UPDATE OF r` : sql``}`);
  return r;
}

export async function setValidTo(tx: Db, id: number, validTo: string | null) {
  await tx.execute(sql`UPDATE responsibility SET valid_to = ${validTo} WHERE id = ${id}`);
}

export async function listResponsibilities(db: Db, f: { areaPath?: string; areaId?: number; userId?: number; day?: string; kind?: string; roots: string[] | 'all'; limit: number; offset: number }) {
  const conds: SQL[] = [insideRoots(f.roots)];
  if (f.areaId) conds.push(sql`r.area_id = ${f.areaId}`);
  if (f.areaPath) conds.push(sql`a.path LIKE ${`${f.areaPath}%`}`);
  if (f.userId) conds.push(sql`r.user_id = ${f.userId}`);
  if (f.kind) conds.push(sql`r.kind = ${f.kind}`);
  if (f.day) conds.push(sql`r.valid_from <= ${f.day} AND (r.valid_to IS NULL OR r.valid_to >= ${f.day})`);
  const list = await rows<ResponsibilityRow & { total: number }>(db, sql`SELECT ${RESP_COLS}, count(*) OVER () AS total
    FROM responsibility r JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r.user_id
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY a.path, r.kind, r.valid_from LIMIT ${f.limit} OFFSET ${f.offset}`);
  return { total: Number(list[0]?.total ?? 0), items: list.map(({ total: _t, ...r }) => r) };
}

/** Everyone answering for an area on a day: its own and every ancestor's responsibilities. */
export async function answerable(db: Db, areaIds: number[], day: string) {
  return rows<ResponsibilityRow & { areaDepth: number }>(db, sql`SELECT ${RESP_COLS}, a.depth AS "areaDepth"
    FROM responsibility r JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r.user_id
    WHERE r.area_id IN (${sql.join(areaIds.map((i) => sql`${i}`), sql`, `)})
      AND r.valid_from <= ${day} AND (r.valid_to IS NULL OR r.valid_to >= ${day})
    ORDER BY a.depth DESC, r.kind`);
}

/** Town leadership (party secretary, town administrators) over the given areas. */
export async function leadershipOver(db: Db, areaIds: number[]) {
  return rows<{ roleKey: string; roleName: string; userId: number; userName: string; phone: string | null; areaName: string }>(db, sql`
    SELECT g.role_key AS "roleKey", r.name_zh AS "roleName", u.id AS "userId", u.display_name AS "userName", u.phone, a.name AS "areaName"
    FROM user_role g JOIN role r ON r.key = g.role_key JOIN app_user u ON u.id = g.user_id JOIN area a ON a.id = g.area_id
    WHERE g.role_key IN ('party_secretary') AND g.area_id IN (${sql.join(areaIds.map((i) => sql`${i}`), sql`, `)}) AND u.disabled_at IS NULL
    ORDER BY a.depth DESC`);
}

export async function countUsers(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM app_user WHERE disabled_at IS NULL`);
  return Number(r!.n);
}
