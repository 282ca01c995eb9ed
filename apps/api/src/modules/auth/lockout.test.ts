import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterAttempt, blockMs, budgetSpent, isStale, nextLevel, RULES, userDelayMs, verdict, type Counter } from './lockout.js';

const t0 = new Date('2026-03-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;

/** A model of the table: attempts in order, each verified only if the verdict allows; failures start blocks. */
function simulate(rule: typeof RULES.pair, events: { dt: number; success: boolean }[]) {
  let c: Counter | null = null;
  let now = 0;
  const verified: number[] = [];
  for (const e of events) {
    now += e.dt;
    c = afterAttempt(c, at(now), rule);
    const v = verdict(c, at(now), rule);
    if (v.allowed) {
      verified.push(now);
      if (e.success) { c = { ...c, failures: Math.max(0, c.failures - 1) }; continue; }
    }
    if (!v.allowed && v.blocked) continue;
    if (budgetSpent(c, rule)) c = { failures: 0, windowStart: at(now), blockedUntil: at(now + blockMs(rule)) };
  }
  return verified;
}

describe('login throttle rules', () => {
  it('the pair: five attempts are verified, then a wait of 15 minutes, then five more', () => {
    const rule = RULES.pair;
    let c: Counter | null = null;
    const allowed: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      c = afterAttempt(c, t0, rule);
      allowed.push(verdict(c, t0, rule).allowed);
    }
    expect(allowed).toEqual([true, true, true, true, true, false, false, false]);
    const refused = verdict(c!, t0, rule);
    expect(refused).toMatchObject({ allowed: false, blocked: false, retryAfterSec: 15 * 60 });
    // the fifth failure starts the block; attempts during it are refused and not counted
    const blocked: Counter = { failures: 0, windowStart: t0, blockedUntil: at(15 * MIN) };
    const during = afterAttempt(blocked, at(5 * MIN), rule);
    expect(during).toEqual(blocked);
    expect(verdict(during, at(5 * MIN), rule)).toMatchObject({ allowed: false, blocked: true, retryAfterSec: 10 * 60 });
    // after it, a new run
    expect(afterAttempt(blocked, at(15 * MIN + 1), rule)).toEqual({ failures: 1, windowStart: at(15 * MIN + 1), blockedUntil: null });
  });

  it('a run without a block ends after its window', () => {
    const c: Counter = { failures: 4, windowStart: t0, blockedUntil: null };
    expect(isStale(c, at(RULES.pair.windowMs - 1), RULES.pair)).toBe(false);
    expect(isStale(c, at(RULES.pair.windowMs), RULES.pair)).toBe(true);
    expect(afterAttempt(c, at(RULES.pair.windowMs + 1), RULES.pair).failures).toBe(1);
  });

  it('an address that keeps failing waits twice as long each time, at most a day', () => {
    const waits = [1, 2, 3, 4, 5, 20, 100].map((level) => blockMs(RULES.address, level) / MIN);
    expect(waits).toEqual([2, 4, 8, 16, 32, 24 * 60, 24 * 60]);
    let level: Counter | null = null;
    const levels: number[] = [];
    for (const h of [0, 1, 2, 30, 80]) { level = nextLevel(level, at(h * 60 * MIN)); levels.push(level.failures); }
    // blocks at 0 h, 1 h, 2 h, 30 h go on doubling; 50 h without a block starts over
    expect(levels).toEqual([1, 2, 3, 4, 1]);
  });

  it('a name is slowed after many failures from everywhere, never refused', () => {
    expect(userDelayMs(RULES.user.slowAfter)).toBe(0);
    expect(userDelayMs(RULES.user.slowAfter + 1)).toBeGreaterThan(0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => userDelayMs(n) >= 0 && userDelayMs(n) <= RULES.user.maxDelayMs));
  });

  it('property: a pair never gets more than its limit of failed verifications at once, nor twice its limit in any 15 minutes', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4 * MIN }).chain((dt) => fc.constantFrom(0, 0, 0, dt)), { maxLength: 300 }), (gaps) => {
      const verified = simulate(RULES.pair, gaps.map((dt) => ({ dt, success: false })));
      for (let i = 0; i < verified.length; i++) {
        const same = verified.filter((t) => t === verified[i]).length;
        // a fixed window: a run's limit, plus at most the next run's just after its end
        const inWindow = verified.filter((t) => t >= verified[i]! && t < verified[i]! + RULES.pair.windowMs).length;
        if (same > RULES.pair.limit || inWindow > 2 * RULES.pair.limit) return false;
      }
      return true;
    }));
  });

  it('property: a refusal always says how long to wait, at least a second', () => {
    const counter = fc.record({
      failures: fc.integer({ min: 0, max: 1000 }),
      windowStart: fc.integer({ min: -30 * MIN, max: 0 }).map(at),
      blockedUntil: fc.option(fc.integer({ min: -30 * MIN, max: 30 * MIN }).map(at), { nil: null }),
    });
    fc.assert(fc.property(counter, (c) => {
      const v = verdict(c, t0, RULES.address);
      return v.allowed ? c.failures <= RULES.address.limit && !(c.blockedUntil && c.blockedUntil > t0) : v.retryAfterSec >= 1;
    }));
  });
});
