// The SQL of the login throttle (login_throttle): one atomic UPSERT per key and attempt (or failure),
// applying lockout.ts's `afterAttempt` in the database, so parallel requests each get their own number.
// Usable for any other counter of attempts per key (a prefix per use: 'ip:', 'pair:', …).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { staleBefore, type Counter } from './lockout.js';

/** A throttle key for a value that must not be stored in clear (an address, a typed name). */
export const throttleKey = (kind: string, ...parts: string[]) =>
  `${kind}:${createHash('sha256').update(`wangge-throttle\0${kind}\0${parts.join('\0')}`).digest('hex').slice(0, 40)}`;

type Row = { failures: number; windowStart: unknown; blockedUntil: unknown };
const counter = (r: Row): Counter => ({ failures: Number(r.failures), windowStart: toDate(r.windowStart)!, blockedUntil: toDate(r.blockedUntil) });
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * One more attempt on the key (lockout.ts `afterAttempt`, atomically): a new run when the old one
 * is over, no change while a block is in force, else one more. Returns the counter after it.
 */
export async function countAttempt(db: Db, key: string, rule: { windowMs: number }, now = new Date()): Promise<Counter> {
  const stale = sql`(t.window_start <= ${ts(staleBefore(now, rule))} AND (t.blocked_until IS NULL OR t.blocked_until <= ${ts(now)}))`;
  const [r] = await rows<Row>(db, sql`INSERT INTO login_throttle AS t (key, failures, window_start) VALUES (${key}, 1, ${ts(now)})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN ${stale} THEN 1 WHEN t.blocked_until > ${ts(now)} THEN t.failures ELSE t.failures + 1 END,
      window_start = CASE WHEN ${stale} THEN ${ts(now)} ELSE t.window_start END,
      blocked_until = CASE WHEN ${stale} THEN NULL ELSE t.blocked_until END
    RETURNING t.failures, t.window_start AS "windowStart", t.blocked_until AS "blockedUntil"`);
  return counter(r!);
}

/** A successful attempt gives its number back (the run's failures stay counted). */
export async function giveBack(db: Db, key: string) {
  await db.execute(sql`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`);
}

export async function clearKey(db: Db, key: string) {
  await db.execute(sql`DELETE FROM login_throttle WHERE key = ${key}`);
}

/**
 * Starts a block when the run's budget is spent and none is in force; true for the one caller that
 * started it (the row lock makes a second caller see the reset count). The run begins again after it.
 */
export async function startBlock(db: Db, key: string, limit: number, until: Date, now = new Date()): Promise<boolean> {
  const r = await rows(db, sql`UPDATE login_throttle SET blocked_until = ${ts(until)}, failures = 0, window_start = ${ts(now)}
    WHERE key = ${key} AND failures >= ${limit} AND (blocked_until IS NULL OR blocked_until <= ${ts(now)}) RETURNING key`);
  return r.length > 0;
}

export async function extendBlock(db: Db, key: string, until: Date) {
  await db.execute(sql`UPDATE login_throttle SET blocked_until = GREATEST(blocked_until, ${ts(until)}) WHERE key = ${key}`);
}

/** lockout.ts `nextLevel`, atomically: the level of the block that starts now. */
export async function bumpLevel(db: Db, key: string, levelMs: number, now = new Date()): Promise<number> {
  const [r] = await rows<{ failures: number }>(db, sql`INSERT INTO login_throttle AS t (key, failures, window_start) VALUES (${key}, 1, ${ts(now)})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start <= ${ts(new Date(now.getTime() - levelMs))} THEN 1 ELSE t.failures + 1 END,
      window_start = ${ts(now)}
    RETURNING t.failures`);
  return Number(r!.failures);
}

/** The counters of some keys (one statement); absent keys are missing from the map. */
export async function readKeys(db: Db, keys: string[]): Promise<Map<string, Counter>> {
  const list = await rows<Row & { key: string }>(db, sql`SELECT key, failures, window_start AS "windowStart", blocked_until AS "blockedUntil"
    FROM login_throttle WHERE key IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`);
  return new Map(list.map((r) => [r.key, counter(r)]));
}

/** Rows whose run and block ended long ago (keeps the table small; the rules never read them). */
export async function purgeThrottle(db: Db, olderThanMs: number, now = new Date()) {
  const before = new Date(now.getTime() - olderThanMs);
  await db.execute(sql`DELETE FROM login_throttle WHERE window_start < ${ts(before)} AND (blocked_until IS NULL OR blocked_until < ${ts(before)})`);
}
