import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BOUNTY_MAX, BOUNTY_MIN, applicableRule, balanceOf, bountyAmountProblem, checkRule, exchangeRefusal, isRoundPeriod, maskPhone,
  normalisePhone, phoneHash, pointsFor, roundWinners, ruleSpecificity, withRunningBalance, type PointsRule,
} from './rewards.rules.js';

// The rules seeded by migration 0015, with ids as there.
const SEEDED: PointsRule[] = [
  { id: 1, event: 'report_valid', categoryId: null, grade: null, points: 5, active: true },
  { id: 2, event: 'report_confirmed', categoryId: null, grade: null, points: 10, active: true },
  { id: 3, event: 'frontage_check', categoryId: null, grade: 'good', points: 3, active: true },
  { id: 4, event: 'frontage_check', categoryId: null, grade: 'fair', points: 1, active: true },
  { id: 5, event: 'frontage_check', categoryId: null, grade: 'poor', points: 0, active: true },
  { id: 6, event: 'model_household', categoryId: null, grade: 'courtyard', points: 50, active: true },
  { id: 7, event: 'model_household', categoryId: null, grade: 'family', points: 50, active: true },
];
const SUB = 12; // 暴露垃圾
const MAJOR = 1; // 市容环境

describe('which rule applies', () => {
  it('uses the seeded defaults', () => {
    expect(pointsFor(SEEDED, { event: 'report_valid', categoryIds: [SUB, MAJOR] })).toBe(5);
    expect(pointsFor(SEEDED, { event: 'report_confirmed', categoryIds: [SUB, MAJOR] })).toBe(10);
    expect(pointsFor(SEEDED, { event: 'frontage_check', grade: 'good' })).toBe(3);
    expect(pointsFor(SEEDED, { event: 'frontage_check', grade: 'poor' })).toBe(0);
    expect(pointsFor(SEEDED, { event: 'model_household', grade: 'family' })).toBe(50);
    expect(pointsFor(SEEDED, { event: 'frontage_check', grade: 'excellent' })).toBe(0); // no rule: nothing
  });

  it('prefers the sub-category over the major category over the general rule, and ignores inactive ones', () => {
    const rules: PointsRule[] = [
      ...SEEDED,
      { id: 10, event: 'report_valid', categoryId: MAJOR, grade: null, points: 7, active: true },
      { id: 11, event: 'report_valid', categoryId: SUB, grade: null, points: 9, active: true },
      { id: 12, event: 'report_valid', categoryId: 99, grade: null, points: 100, active: true },
    ];
    expect(pointsFor(rules, { event: 'report_valid', categoryIds: [SUB, MAJOR] })).toBe(9);
    expect(pointsFor(rules, { event: 'report_valid', categoryIds: [13, MAJOR] })).toBe(7); // another sub-category of the same major
    expect(pointsFor(rules, { event: 'report_valid', categoryIds: [50, 5] })).toBe(5); // another major: the general rule
    const off = rules.map((r) => (r.id === 11 ? { ...r, active: false } : r));
    expect(pointsFor(off, { event: 'report_valid', categoryIds: [SUB, MAJOR] })).toBe(7);
    expect(applicableRule(off.filter((r) => r.event !== 'report_valid' || r.id === 11), { event: 'report_valid', categoryIds: [SUB] })).toBeNull();
  });

  it('a grade-specific rule beats an all-grades one; between equals the newest wins', () => {
    const rules: PointsRule[] = [
      { id: 1, event: 'frontage_check', categoryId: null, grade: null, points: 2, active: true },
      { id: 2, event: 'frontage_check', categoryId: null, grade: 'good', points: 4, active: true },
      { id: 3, event: 'frontage_check', categoryId: null, grade: 'good', points: 6, active: true },
    ];
    expect(pointsFor(rules, { event: 'frontage_check', grade: 'good' })).toBe(6);
    expect(pointsFor(rules, { event: 'frontage_check', grade: 'fair' })).toBe(2);
  });

  it('property: the chosen rule applies, and no applicable rule is more specific', () => {
    const rule = fc.record({
      id: fc.integer({ min: 1, max: 50 }),
      event: fc.constantFrom('report_valid', 'frontage_check'),
      categoryId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      grade: fc.option(fc.constantFrom('good', 'fair'), { nil: null }),
      points: fc.integer({ min: 0, max: 100 }),
      active: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(rule, { maxLength: 12 }), fc.constantFrom('report_valid', 'frontage_check'),
      fc.subarray([1, 2, 3, 4]), fc.option(fc.constantFrom('good', 'fair'), { nil: null }), (rules, event, cats, grade) => {
        const ctx = { event: event as 'report_valid', categoryIds: cats, grade };
        const chosen = applicableRule(rules, ctx);
        const applicable = rules.filter((r) => ruleSpecificity(r, ctx) !== null);
        if (chosen === null) return applicable.length === 0;
        const s = ruleSpecificity(chosen, ctx)!;
        return chosen.active && chosen.event === event && applicable.every((r) => ruleSpecificity(r, ctx)! <= s);
      }));
  });

  it('checks a rule before it is saved', () => {
    expect(checkRule({ event: 'report_valid', categoryId: 3, grade: null, points: 8 })).toEqual([]);
    expect(checkRule({ event: 'frontage_check', categoryId: null, grade: 'good', points: 3 })).toEqual([]);
    expect(checkRule({ event: 'lottery', categoryId: null, grade: null, points: 1 })[0]!.field).toBe('event');
    expect(checkRule({ event: 'report_valid', categoryId: null, grade: 'good', points: 1 })[0]!.field).toBe('grade');
    expect(checkRule({ event: 'frontage_check', categoryId: null, grade: 'excellent', points: 1 })[0]!.field).toBe('grade');
    expect(checkRule({ event: 'frontage_check', categoryId: 3, grade: 'good', points: 1 })[0]!.field).toBe('categoryId');
    for (const p of [-1, 1.5, 10_001, Number.NaN]) expect(checkRule({ event: 'report_valid', categoryId: null, grade: null, points: p })[0]!.field).toBe('points');
  });
});

describe('the bounty amount', () => {
  it('is a whole number of yuan from 50 to 1,000', () => {
    for (const ok of [50, 51, 500, 999, 1000]) expect(bountyAmountProblem(ok)).toBeNull();
    expect(bountyAmountProblem(20)).toContain('50–1000');
    expect(bountyAmountProblem(5000)).toContain('5000');
    for (const bad of [49, 1001, 0, -50, 50.5, Number.NaN, Infinity, '100', null]) expect(bountyAmountProblem(bad), String(bad)).not.toBeNull();
  });
  it('property: accepted exactly on the integers of [50, 1000]', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -5000, max: 5000 }), fc.double({ noNaN: false })), (v) =>
      (bountyAmountProblem(v) === null) === (Number.isInteger(v) && v >= BOUNTY_MIN && v <= BOUNTY_MAX)));
  });
});

describe('balances', () => {
  it('the running balance ends at the balance and steps by each delta', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 60 }), fc.integer({ min: -100, max: 100 }), (deltas, opening) => {
      const run = withRunningBalance(deltas.map((delta) => ({ delta })), opening);
      const last = run.length ? run[run.length - 1]!.balance : opening;
      return last === opening + balanceOf(deltas) && run.every((e, i) => e.balance - (i === 0 ? opening : run[i - 1]!.balance) === e.delta);
    }));
    expect(withRunningBalance([{ delta: 5 }, { delta: 10 }, { delta: -12 }]).map((e) => e.balance)).toEqual([5, 15, 3]);
  });
});

describe('exchanges', () => {
  const base = { balance: 30, itemPoints: 10, stock: 5 as number | null, active: true, quantity: 1 };
  it('need points, stock, an active item and a whole quantity', () => {
    expect(exchangeRefusal(base)).toBeNull();
    expect(exchangeRefusal({ ...base, quantity: 3 })).toBeNull();
    expect(exchangeRefusal({ ...base, quantity: 4 })!.code).toBe('INSUFFICIENT_POINTS');
    expect(exchangeRefusal({ ...base, stock: 0 })!.code).toBe('OUT_OF_STOCK');
    expect(exchangeRefusal({ ...base, stock: null, quantity: 3 })).toBeNull();
    expect(exchangeRefusal({ ...base, active: false })!.code).toBe('ITEM_INACTIVE');
    for (const q of [0, -1, 1.5, 1001]) expect(exchangeRefusal({ ...base, quantity: q })!.code).toBe('BAD_QUANTITY');
    expect(exchangeRefusal({ ...base, quantity: 4 })!.message).toContain('需要 40 分，余额 30 分');
  });
  it('property: an allowed exchange never leaves a negative balance or stock', () => {
    fc.assert(fc.property(fc.integer({ min: -50, max: 500 }), fc.integer({ min: 1, max: 100 }), fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
      fc.integer({ min: -2, max: 30 }), (balance, itemPoints, stock, quantity) => {
        const r = exchangeRefusal({ balance, itemPoints, stock, active: true, quantity });
        if (r !== null) return true;
        return balance - itemPoints * quantity >= 0 && (stock === null || stock - quantity >= 0) && quantity >= 1;
      }));
  });
});

describe('model-household rounds', () => {
  const e = (householdId: number, score: number | null) => ({ householdId, score });
  it('the top quota win; ties on the boundary all win; no score, no part', () => {
    expect(roundWinners([e(1, 90), e(2, 80), e(3, 70), e(4, 60)], 2)).toEqual([1, 2]);
    expect(roundWinners([e(1, 90), e(2, 80), e(3, 80), e(4, 60)], 2)).toEqual([1, 2, 3]);
    expect(roundWinners([e(1, 90), e(2, null), e(3, 70)], 5)).toEqual([1, 3]);
    expect(roundWinners([], 3)).toEqual([]);
    expect(roundWinners([e(1, 1)], 0)).toEqual([]);
  });
  it('property: at least min(quota, scored) winners; every winner scores at least every loser; losers only below the bar', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.record({ householdId: fc.integer({ min: 1, max: 200 }), score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }) }),
      { selector: (x) => x.householdId, maxLength: 30 }), fc.integer({ min: 1, max: 10 }), (entries, quota) => {
      const w = new Set(roundWinners(entries, quota));
      const scored = entries.filter((x) => x.score !== null);
      const winners = scored.filter((x) => w.has(x.householdId));
      const losers = scored.filter((x) => !w.has(x.householdId));
      if (winners.length < Math.min(quota, scored.length)) return false;
      if (entries.some((x) => x.score === null && w.has(x.householdId))) return false;
      if (winners.some((a) => losers.some((b) => b.score! >= a.score!))) return false;
      // more than quota only through a tie at the lowest winning score
      if (winners.length > quota) {
        const low = Math.min(...winners.map((x) => x.score!));
        if (winners.filter((x) => x.score! > low).length >= quota) return false;
      }
      return true;
    }));
  });
  it('periods are a year or a quarter', () => {
    for (const ok of ['2026', '2026Q1', '2026Q4']) expect(isRoundPeriod(ok)).toBe(true);
    for (const bad of ['2026Q5', '26Q1', '2026-Q1', '202601', '1999', '']) expect(isRoundPeriod(bad)).toBe(false);
  });
});

describe('phones', () => {
  it('normalise to digits without the country code, and hash as sha-256 hex', () => {
    expect(normalisePhone('+86 138-0000-1234')).toBe('13800001234');
    expect(normalisePhone('0086 13800001234')).toBe('13800001234');
    expect(normalisePhone('0533-7123456')).toBe('05337123456');
    expect(normalisePhone('12')).toBeNull();
    expect(normalisePhone(null)).toBeNull();
    expect(phoneHash('13800001234')).toMatch(/^[0-9a-f]{64}$/);
    expect(maskPhone('13800001234')).toBe('138****1234');
  });
});
