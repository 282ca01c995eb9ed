// Slow-down and lock-out after repeated failed logins, as a pure rule over the user's counters.
export const LOCKOUT = { slowAfter: 3, lockAfter: 5, lockMinutes: 15, maxDelayMs: 2000, resetAfterMinutes: 30 };

export interface FailState { failedLogins: number; lastFailedAt: Date | null; lockedUntil: Date | null }

export const isLocked = (s: FailState, now: Date) => s.lockedUntil !== null && s.lockedUntil > now;

/** The counters after one more failure. Failures older than the reset window start over. */
export function afterFailure(s: FailState, now: Date, rule = LOCKOUT): FailState & { delayMs: number; locked: boolean } {
  const stale = s.lastFailedAt !== null && now.getTime() - s.lastFailedAt.getTime() > rule.resetAfterMinutes * 60_000;
  const failed = (stale ? 0 : s.failedLogins) + 1;
  const locked = failed >= rule.lockAfter;
  const delayMs = failed >= rule.slowAfter ? Math.min(250 * 2 ** (failed - rule.slowAfter), rule.maxDelayMs) : 0;
  return {
    failedLogins: locked ? 0 : failed,
    lastFailedAt: now,
    lockedUntil: locked ? new Date(now.getTime() + rule.lockMinutes * 60_000) : s.lockedUntil,
    delayMs,
    locked,
  };
}
