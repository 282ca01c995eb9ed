// When a failed webhook delivery is tried again. Pure.
// Failure n (1-based) waits 30 s · 2^(n-1), capped at one hour, plus up to 10% jitter so that
// many rows failing together (a robot down for a while) do not all come back in the same second.
// After MAX_ATTEMPTS tries the row is 'dead': kept, shown, and retried only by hand.

export const MAX_ATTEMPTS = 10;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 3600_000;
export const JITTER = 0.1;
/** How long a claimed row is held by its worker before another may take it (a crashed worker's rows come back). */
export const CLAIM_LEASE_MS = 5 * 60_000;

/** The wait after the `attempts`-th failed try. `random` in [0, 1). */
export function backoffMs(attempts: number, random: number = Math.random()): number {
  const n = Math.max(1, Math.floor(attempts));
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(n - 1, 30));
  return Math.round(base * (1 + JITTER * Math.min(Math.max(random, 0), 1)));
}

export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'dead'; nextAttemptAt: Date };

/** The row's state after its `attempts`-th try failed at `now`. */
export function afterFailure(attempts: number, now: Date, random: number = Math.random()): AfterFailure {
  if (attempts >= MAX_ATTEMPTS) return { status: 'dead', nextAttemptAt: now };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, random)) };
}
