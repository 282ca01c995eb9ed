// Throttling failed logins, as pure rules over counters (OWASP ASVS 2.2.1, 等保 2.0 登录失败处理).
//
// A counter is a row of login_throttle: the count in the current run, when the run started, and
// until when the key is blocked. The database applies `afterAttempt` atomically, one UPSERT per key
// (throttle.repository.ts). Keys are hashed (no address or typed name is stored in clear):
//   pair      one name from one address. Every attempt takes a number *before* its password is
//             verified, and only numbers up to the limit (5) are verified, so parallel requests
//             cannot get more guesses than that; then the pair waits 15 minutes. A success clears it.
//   address   every name from one address: failed verifications are counted (after them, so that
//             many people behind one office NAT logging in at once are not refused); at the limit
//             (10 in 15 minutes) the address is blocked for 2 minutes, and each further block of the
//             same address doubles (4, 8 … at most a day). The doubling is kept on its own key
//             (`iplevel`) and forgotten when no block started for two days.
//   user      one name from everywhere: never blocked (so nobody can keep `admin` out from outside),
//             only slowed down after many failures within an hour.
//   second    the second factor of one user (the password is already known there): numbers taken
//             before checking, like the pair; a few codes, then 15 minutes.
// Unknown names are counted exactly like known ones, so the answers never tell them apart.

export interface Counter { failures: number; windowStart: Date; blockedUntil: Date | null }

export interface WindowRule {
  /** attempts per run that are verified */
  limit: number;
  /** a run with no block in force ends this long after it started */
  windowMs: number;
  /** the first block (the address doubles it per block, up to maxBlockMs) */
  blockMs: number;
  maxBlockMs?: number;
}

const MIN = 60_000;
export const RULES = {
  address: { limit: 10, windowMs: 15 * MIN, blockMs: 2 * MIN, maxBlockMs: 24 * 60 * MIN } satisfies WindowRule,
  /** an address's block level is forgotten when no block started for this long (more than the longest block) */
  addressLevelMs: 48 * 60 * MIN,
  pair: { limit: 5, windowMs: 15 * MIN, blockMs: 15 * MIN } satisfies WindowRule,
  /** counted like a window rule (limit only sets where slowing starts); never blocks */
  user: { slowAfter: 50, windowMs: 60 * MIN, stepMs: 100, maxDelayMs: 3_000 },
  second: { limit: 6, windowMs: 15 * MIN, blockMs: 15 * MIN } satisfies WindowRule,
} as const;

/** Runs that started at or before this time and have no block in force are over. */
export const staleBefore = (now: Date, rule: { windowMs: number }) => new Date(now.getTime() - rule.windowMs);

export const isBlocked = (c: Counter | null, now: Date) => c?.blockedUntil != null && c.blockedUntil > now;

/** Whether the counter's run is over (the next attempt starts a new one). Mirrors the SQL. */
export function isStale(c: Counter, now: Date, rule: { windowMs: number }): boolean {
  return c.windowStart <= staleBefore(now, rule) && !isBlocked(c, now);
}

/**
 * The counter after one more attempt, as the UPSERT computes it: a new run when the old one is
 * over; no change while blocked (an attempt refused by a block is not verified and not counted).
 */
export function afterAttempt(c: Counter | null, now: Date, rule: { windowMs: number }): Counter {
  if (c === null || isStale(c, now, rule)) return { failures: 1, windowStart: now, blockedUntil: null };
  if (isBlocked(c, now)) return c;
  return { ...c, failures: c.failures + 1 };
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterSec: number; blocked: boolean };

/**
 * Whether the attempt that got this counter (from `afterAttempt`) may be verified. Attempts past the
 * limit without a block yet (a burst in flight) are refused with the wait the coming block will have.
 */
export function verdict(c: Counter, now: Date, rule: WindowRule): Verdict {
  if (isBlocked(c, now)) return { allowed: false, blocked: true, retryAfterSec: secondsUntil(c.blockedUntil!, now) };
  if (c.failures <= rule.limit) return { allowed: true };
  return { allowed: false, blocked: false, retryAfterSec: Math.ceil(rule.blockMs / 1000) };
}

/**
 * For a counter of failures read before an attempt (the address): whether the attempt may go on.
 * At the limit without a block yet (one is being started) it waits as long as the block will.
 */
export function verdictBefore(c: Counter | null, now: Date, rule: WindowRule): Verdict {
  if (c === null || isStale(c, now, rule)) return { allowed: true };
  if (isBlocked(c, now)) return { allowed: false, blocked: true, retryAfterSec: secondsUntil(c.blockedUntil!, now) };
  if (c.failures >= rule.limit) return { allowed: false, blocked: false, retryAfterSec: Math.ceil(rule.blockMs / 1000) };
  return { allowed: true };
}

/** The failures of the counter's current run (0 when it is over). */
export const failuresIn = (c: Counter | null, now: Date, rule: { windowMs: number }) => (c === null || isStale(c, now, rule) ? 0 : c.failures);

/** After a failed or refused attempt: the run's budget is spent, so a block should start. */
export const budgetSpent = (c: Counter, rule: WindowRule) => c.failures >= rule.limit;

/** How long the nth block in a row lasts (n ≥ 1): blockMs doubled per block, at most maxBlockMs. */
export function blockMs(rule: WindowRule, level = 1): number {
  const n = Math.max(1, Math.min(level, 40));
  return Math.min(rule.blockMs * 2 ** (n - 1), rule.maxBlockMs ?? rule.blockMs);
}

/**
 * The address's block level after one more block starts: one more than before, or 1 when no block
 * started within `levelMs`. The level key's windowStart is when its latest block started.
 */
export function nextLevel(prev: Counter | null, now: Date, levelMs: number = RULES.addressLevelMs): Counter {
  const fresh = prev === null || prev.windowStart.getTime() <= now.getTime() - levelMs;
  return { failures: fresh ? 1 : prev.failures + 1, windowStart: now, blockedUntil: null };
}

/** The wait added to an attempt on a name that has failed `failures` times within the hour (0 below the threshold). */
export function userDelayMs(failures: number, rule: { slowAfter: number; stepMs: number; maxDelayMs: number } = RULES.user): number {
  if (failures <= rule.slowAfter) return 0;
  return Math.min(rule.stepMs * (failures - rule.slowAfter), rule.maxDelayMs);
}

export const secondsUntil = (t: Date, now: Date) => Math.max(1, Math.ceil((t.getTime() - now.getTime()) / 1000));
