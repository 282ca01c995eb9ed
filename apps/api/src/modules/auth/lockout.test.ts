import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterFailure, isLocked, LOCKOUT } from './lockout.js';

describe('lock-out rule', () => {
  const t0 = new Date('2026-03-01T08:00:00Z');
  it('slows from the third failure and locks at the fifth', () => {
    let s = { failedLogins: 0, lastFailedAt: null as Date | null, lockedUntil: null as Date | null };
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) { const n = afterFailure(s, t0); delays.push(n.delayMs); s = n; }
    expect(delays.slice(0, 2)).toEqual([0, 0]);
    expect(delays[2]).toBeGreaterThan(0);
    expect(isLocked(s, t0)).toBe(true);
    expect(isLocked(s, new Date(t0.getTime() + LOCKOUT.lockMinutes * 60_000 + 1))).toBe(false);
  });
  it('forgets failures older than the reset window', () => {
    const s = { failedLogins: 4, lastFailedAt: t0, lockedUntil: null };
    const later = new Date(t0.getTime() + (LOCKOUT.resetAfterMinutes + 1) * 60_000);
    expect(afterFailure(s, later).failedLogins).toBe(1);
  });
  it('never delays longer than the cap', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (n) => {
      return afterFailure({ failedLogins: n, lastFailedAt: t0, lockedUntil: null }, t0).delayMs <= LOCKOUT.maxDelayMs;
    }));
  });
});
