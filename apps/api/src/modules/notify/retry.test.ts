import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs, MAX_ATTEMPTS, MAX_DELAY_MS } from './retry.js';

describe('retry backoff', () => {
  it('30 s, 1 min, 2 min, 4 min … capped at one hour, before jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffMs(n, 0) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(backoffMs(50, 0)).toBe(MAX_DELAY_MS);
  });

  it('jitter adds at most 10%, and waits still grow with every failure below the cap', () => {
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(33_000);
    for (let n = 1; n < 7; n++) expect(backoffMs(n + 1, 0)).toBeGreaterThan(backoffMs(n, 0.999));
  });

  it('pending with a later time until the 10th failure, then dead', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const a = afterFailure(1, now, 0);
    expect(a).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 30_000) });
    expect(afterFailure(MAX_ATTEMPTS - 1, now, 0).status).toBe('pending');
    expect(afterFailure(MAX_ATTEMPTS, now, 0).status).toBe('dead');
  });
});
