import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FACT_KEYS, sumFacts, zeroFacts, type Facts } from './facts.js';
import {
  DEFAULT_SETTINGS, assignTiers, checkIndicator, checkSettings, checkWeights, colourOf, evalFormula, evaluate, indicatorScore,
  observationPicks, parseFormula, prepare, rankBy, round2, scoreVillage, type Indicator, type PickCandidate, type Weights,
} from './scoring.rules.js';

// The seeded indicators and weights (migration 0013), as the rules see them.
const SEEDED: Indicator[] = [
  { code: 'on_time_fix_rate', name: '按期处置率', formula: 'cases_fixed_on_time / cases_due * 100', direction: 'up', unit: '%', target: 90, green: 90, yellow: 75, baseFact: 'cases_due', minBase: 3, periodTypes: ['monthly'] },
  { code: 'closure_rate', name: '结案率', formula: 'cases_closed / cases_registered * 100', direction: 'up', unit: '%', target: 90, green: 90, yellow: 70, baseFact: 'cases_registered', minBase: 3, periodTypes: ['monthly'] },
  { code: 'rework_rate', name: '返工率', formula: 'cases_reworked / cases_registered * 100', direction: 'down', unit: '%', target: 10, green: 10, yellow: 20, baseFact: 'cases_registered', minBase: 3, periodTypes: ['monthly'] },
  { code: 'overdue_rate', name: '超期率', formula: 'cases_overdue / cases_due * 100', direction: 'down', unit: '%', target: 5, green: 5, yellow: 15, baseFact: 'cases_due', minBase: 3, periodTypes: ['monthly'] },
  { code: 'routine_completeness', name: '例行工作完成率', formula: 'tasks_done / tasks_due * 100', direction: 'up', unit: '%', target: 95, green: 95, yellow: 80, baseFact: 'tasks_due', minBase: 5, periodTypes: ['monthly'] },
  { code: 'routine_timeliness', name: '例行工作及时率', formula: 'tasks_on_time / tasks_due * 100', direction: 'up', unit: '%', target: 90, green: 90, yellow: 75, baseFact: 'tasks_due', minBase: 5, periodTypes: ['monthly'] },
  { code: 'checklist_avg', name: '自查平均得分', formula: 'checklist_percent_sum / checklist_count', direction: 'up', unit: '分', target: 90, green: 90, yellow: 75, baseFact: 'checklist_count', minBase: 3, periodTypes: ['monthly'] },
  { code: 'cleaning_turnout', name: '清洁日平均到场人次', formula: 'cleaning_present / cleaning_days', direction: 'up', unit: '人次', target: 20, green: 20, yellow: 10, baseFact: 'cleaning_days', minBase: 1, periodTypes: ['monthly'] },
  { code: 'observation_score', name: '观摩得分', formula: 'observation_score_sum / observation_count', direction: 'up', unit: '分', target: 85, green: 85, yellow: 70, baseFact: 'observation_count', minBase: 1, periodTypes: ['monthly'] },
];
const INDICATORS = SEEDED.map(prepare);
const WEIGHTS: Weights = { environment: 40, other: 60, indicators: { on_time_fix_rate: 25, closure_rate: 15, rework_rate: 10, overdue_rate: 10, routine_completeness: 15, routine_timeliness: 5, checklist_avg: 10, cleaning_turnout: 5, observation_score: 5 } };
const facts = (f: Partial<Facts>): Facts => ({ ...zeroFacts(), ...f });

describe('formulas', () => {
  it('name only known facts, numbers, + - * / and brackets', () => {
    expect(parseFormula('cases_fixed_on_time / cases_due * 100')).toMatchObject({ facts: ['cases_fixed_on_time', 'cases_due'] });
    expect(parseFormula('(tasks_done - 1) / -tasks_due')).toHaveProperty('ast');
    for (const bad of ['', 'cases_lost / 2', 'process.exit()', 'a ? b : c', 'cases_due ** 2', 'cases_due % 2', '"x"', 'this', '100', 'cases_due +', 'x'.repeat(301)]) {
      expect(parseFormula(bad), bad).toHaveProperty('problem');
    }
    expect((parseFormula('cases_due / cases_lost') as { problem: string }).problem).toContain('cases_lost');
  });

  it('evaluate over facts, with no value when dividing by zero', () => {
    const f = facts({ cases_fixed_on_time: 2, cases_due: 4 });
    const astOf = (f: string) => { const p = parseFormula(f); if (!('ast' in p)) throw new Error(p.problem); return p.ast; };
    const ast = astOf('cases_fixed_on_time / cases_due * 100');
    expect(evalFormula(ast, f)).toBe(50);
    expect(evalFormula(ast, zeroFacts())).toBeNull();
    expect(evalFormula(astOf('-cases_due + 1'), f)).toBe(-3);
  });
});

describe('indicators', () => {
  it('score a rate as itself (or 100 minus it) and anything else against its target', () => {
    expect(indicatorScore({ direction: 'up', unit: '%', target: 90 }, 85)).toBe(85);
    expect(indicatorScore({ direction: 'down', unit: '%', target: 5 }, 25)).toBe(75);
    expect(indicatorScore({ direction: 'up', unit: '人次', target: 20 }, 10)).toBe(50);
    expect(indicatorScore({ direction: 'up', unit: '人次', target: 20 }, 40)).toBe(100);
    expect(indicatorScore({ direction: 'down', unit: '件', target: 2 }, 4)).toBe(50);
    expect(indicatorScore({ direction: 'up', unit: '%', target: 90 }, 130)).toBe(100);
  });

  it('colour by the legend in the indicator\'s direction', () => {
    const up = { direction: 'up' as const, green: 90, yellow: 75 };
    expect([colourOf(up, 90), colourOf(up, 80), colourOf(up, 74.99)]).toEqual(['green', 'yellow', 'red']);
    const down = { direction: 'down' as const, green: 5, yellow: 15 };
    expect([colourOf(down, 5), colourOf(down, 15), colourOf(down, 15.01)]).toEqual(['green', 'yellow', 'red']);
  });

  it('show a value with too little data but neither score nor colour it', () => {
    const v = evaluate(INDICATORS[0]!, facts({ cases_due: 2, cases_fixed_on_time: 2 }));
    expect(v).toEqual({ code: 'on_time_fix_rate', value: 100, base: 2, thin: true, colour: null, score: null });
  });

  it('are checked field by field', () => {
    const ok = SEEDED[0]!;
    expect(checkIndicator(ok)).toEqual([]);
    expect(checkIndicator({ ...ok, green: 70 })[0]!.field).toBe('green');
    expect(checkIndicator({ ...SEEDED[3]!, green: 20 })[0]!.message).toContain('不能高于');
    expect(checkIndicator({ ...ok, direction: 'sideways' as never })[0]!.field).toBe('direction');
    expect(checkIndicator({ ...ok, baseFact: 'nope' as never })[0]!.field).toBe('baseFact');
    expect(checkIndicator({ ...ok, unit: '人次', target: null })[0]!.field).toBe('target');
    expect(checkIndicator({ ...ok, periodTypes: ['weekly'] })[0]!.field).toBe('periodTypes');
    expect(checkIndicator({ ...ok, formula: 'cases_lost' })[0]!.field).toBe('formula');
  });
});

describe('weights', () => {
  const codes = SEEDED.map((i) => i.code);
  it('must add up to 100% at both levels and name known indicators', () => {
    expect(checkWeights(WEIGHTS, codes)).toEqual([]);
    expect(checkWeights({ ...WEIGHTS, other: 50 }, codes)[0]!.message).toContain('100%');
    expect(checkWeights({ ...WEIGHTS, indicators: { ...WEIGHTS.indicators, on_time_fix_rate: 20 } }, codes)[0]!.message).toContain('95%');
    expect(checkWeights({ ...WEIGHTS, indicators: { ...WEIGHTS.indicators, nope: 0 } }, codes)[0]!.field).toBe('indicators.nope');
    expect(checkWeights({ ...WEIGHTS, environment: -10, other: 110 }, codes)).not.toEqual([]);
    expect(checkWeights({ environment: 33.3, other: 66.7, indicators: { on_time_fix_rate: 33.3, closure_rate: 33.3, rework_rate: 33.4 } }, codes)).toEqual([]);
  });
});

describe('a village\'s scores', () => {
  it('weigh the environment 40% and the other work 60%, dropping indicators without data', () => {
    const f = facts({ cases_registered: 4, cases_due: 4, cases_fixed: 3, cases_fixed_on_time: 2, cases_overdue: 1, cases_reworked: 1, cases_closed: 2,
      tasks_due: 10, tasks_done: 8, tasks_on_time: 6, checklist_count: 4, checklist_percent_sum: 340 });
    const s = scoreVillage(f, INDICATORS, WEIGHTS, 80);
    expect(s.environment).toBe(65);
    expect(s.composite).toBe(74);
    expect(scoreVillage(f, INDICATORS, WEIGHTS, null)).toMatchObject({ environment: 65, composite: null, reason: expect.stringContaining('其他工作') });
    expect(scoreVillage(zeroFacts(), INDICATORS, WEIGHTS, 80)).toMatchObject({ environment: null, composite: null, reason: expect.stringContaining('数据不足') });
  });

  it('round half up to 0.01 as a person would', () => {
    expect([round2(80.665), round2(1.005), round2(2.675), round2(-1.5), round2(1e-9)]).toEqual([80.67, 1.01, 2.68, -1.5, 0]);
    // the fast path agrees with rounding the decimal text, for any value a score can take
    const byText = (v: number) => Number(`${Math.round(Number(`${v}e2`))}e-2`) + 0;
    fc.assert(fc.property(fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: -100000, max: 100000 }).map((n) => n / 1000)), (v) => {
      if (!String(v).includes('e')) expect(round2(v)).toBe(byText(v));
    }), { numRuns: 5000 });
  });
});

// A consistent month of facts for one village: counts that could come from real records.
const villageFacts = fc.record({
  registered: fc.integer({ min: 0, max: 30 }), dueShare: fc.double({ min: 0, max: 1, noNaN: true }), fixedShare: fc.double({ min: 0, max: 1, noNaN: true }),
  onTimeShare: fc.double({ min: 0, max: 1, noNaN: true }), reworkShare: fc.double({ min: 0, max: 1, noNaN: true }), closedShare: fc.double({ min: 0, max: 1, noNaN: true }),
  tasks: fc.integer({ min: 0, max: 40 }), doneShare: fc.double({ min: 0, max: 1, noNaN: true }), checklists: fc.integer({ min: 0, max: 10 }),
  pct: fc.double({ min: 0, max: 100, noNaN: true }), cleaning: fc.integer({ min: 0, max: 2 }), present: fc.integer({ min: 0, max: 40 }),
}).map((r) => {
  const due = Math.floor(r.registered * r.dueShare);
  const fixed = Math.floor(due * r.fixedShare);
  const onTime = Math.floor(fixed * r.onTimeShare);
  const done = Math.floor(r.tasks * r.doneShare);
  return facts({
    cases_reported: r.registered, cases_registered: r.registered, cases_due: due, cases_fixed: fixed, cases_fixed_on_time: onTime,
    cases_overdue: due - fixed, cases_reworked: Math.floor(r.registered * r.reworkShare), cases_closed: Math.floor(fixed * r.closedShare),
    tasks_due: r.tasks, tasks_done: done, tasks_on_time: Math.floor(done / 2), checklist_count: r.checklists, checklist_percent_sum: r.checklists * r.pct,
    cleaning_days: r.cleaning, cleaning_present: r.cleaning ? r.present : 0,
  });
});

describe('properties', () => {
  it('fixing an overdue case never lowers the village\'s score', () => {
    fc.assert(fc.property(villageFacts, fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }), (f, other) => {
      fc.pre(f.cases_overdue > 0);
      // fixed late: one more fixed, one fewer overdue; due, on time, registered and the rest unchanged
      const after = { ...f, cases_fixed: f.cases_fixed + 1, cases_overdue: f.cases_overdue - 1 };
      const a = scoreVillage(f, INDICATORS, WEIGHTS, other);
      const b = scoreVillage(after, INDICATORS, WEIGHTS, other);
      expect(b.environment ?? -1).toBeGreaterThanOrEqual(a.environment ?? -1);
      expect(b.composite ?? -1).toBeGreaterThanOrEqual(a.composite ?? -1);
    }), { numRuns: 500 });
  });

  it('adding an on-time fix never lowers the on-time rate', () => {
    fc.assert(fc.property(villageFacts, (f) => {
      const after = { ...f, cases_reported: f.cases_reported + 1, cases_registered: f.cases_registered + 1, cases_due: f.cases_due + 1,
        cases_fixed: f.cases_fixed + 1, cases_fixed_on_time: f.cases_fixed_on_time + 1 };
      const rate = (x: Facts) => evaluate(INDICATORS[0]!, x).value;
      expect(rate(after)!).toBeGreaterThanOrEqual(rate(f) ?? 0);
    }), { numRuns: 500 });
  });

  it('scores, ranks, tiers and picks do not depend on the order the villages come in', () => {
    const village = fc.record({ facts: villageFacts, other: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), district: fc.integer({ min: 1, max: 3 }) });
    fc.assert(fc.property(fc.array(village, { minLength: 1, maxLength: 25 }), fc.boolean(), (vs, share) => {
      const list = vs.map((v, i) => ({ code: `V${String(i).padStart(3, '0')}`, id: i + 1, district: v.district, ...scoreVillage(v.facts, INDICATORS, WEIGHTS, v.other), overdue: v.facts.cases_overdue }));
      const tiersOf = (xs: typeof list) => {
        const ranks = rankBy(xs, (x) => x.composite, (x) => x.code);
        const tiers = assignTiers(xs.map((x) => ({ key: x.code, composite: x.composite, rank: ranks.get(x.code) ?? null })),
          { ...DEFAULT_SETTINGS.tiers, mode: share ? 'share' : 'threshold' });
        const picks = observationPicks(xs.map((x): PickCandidate => ({ id: x.id, code: x.code, name: x.code, districtId: x.district, environment: x.environment, overdue: x.overdue, values: x.values })), 2);
        return { ranks: [...ranks].sort(), tiers: [...tiers].sort(), picks };
      };
      const reversed = [...list].reverse();
      const shuffled = [...list].sort((a, b) => ((a.id * 7919) % 31) - ((b.id * 7919) % 31));
      expect(tiersOf(reversed)).toEqual(tiersOf(list));
      expect(tiersOf(shuffled)).toEqual(tiersOf(list));
    }), { numRuns: 200 });
  });

  it('a district\'s facts are the sum of its villages\' in any order', () => {
    fc.assert(fc.property(fc.array(villageFacts, { maxLength: 10 }), (list) => {
      const a = sumFacts(list);
      const b = sumFacts([...list].reverse());
      for (const k of FACT_KEYS) expect(a[k]).toBeCloseTo(b[k], 6);
    }));
  });
});

describe('rankings, tiers and picks', () => {
  it('share a rank on a tie and leave villages without a composite unranked', () => {
    const r = rankBy([{ k: 'a', v: 90 }, { k: 'b', v: 95 }, { k: 'c', v: 90 }, { k: 'd', v: null }, { k: 'e', v: 80 }], (x) => x.v, (x) => x.k);
    expect(Object.fromEntries(r)).toEqual({ b: 1, a: 2, c: 2, e: 4, d: null });
  });

  it('tier by thresholds or by shares of the ranking, a tie on a boundary taking the better tier', () => {
    const items = [95, 91, 85, 85, 70, 50].map((c, i) => ({ key: `v${i}`, composite: c, rank: 0 }));
    const ranks = rankBy(items, (x) => x.composite, (x) => x.key);
    for (const i of items) i.rank = ranks.get(i.key)!;
    expect([...assignTiers(items, DEFAULT_SETTINGS.tiers).values()]).toEqual(['excellent', 'excellent', 'good', 'good', 'pass', 'fail']);
    const share = assignTiers(items, { ...DEFAULT_SETTINGS.tiers, mode: 'share', shares: { excellent: 20, good: 30, pass: 30 } });
    // 6 villages: 1 excellent, 2 good (places 2–3), 2 pass (4–5); the tie at places 3–4 shares rank 3: good
    expect([...share.values()]).toEqual(['excellent', 'good', 'good', 'good', 'pass', 'fail']);
  });

  it('check settings: thresholds in order, shares within 100%, rewards by tier', () => {
    expect(checkSettings(DEFAULT_SETTINGS)).toEqual([]);
    expect(checkSettings({ ...DEFAULT_SETTINGS, tiers: { ...DEFAULT_SETTINGS.tiers, thresholds: { excellent: 80, good: 80, pass: 60 } } })[0]!.message).toContain('从高到低');
    expect(checkSettings({ ...DEFAULT_SETTINGS, tiers: { ...DEFAULT_SETTINGS.tiers, shares: { excellent: 50, good: 40, pass: 20 } } })[0]!.field).toBe('tiers.shares');
    expect(checkSettings({ ...DEFAULT_SETTINGS, rewards: { excellent: 100, good: 200, pass: 0, fail: 0 } })[0]!.field).toBe('rewards');
  });

  it('pick the 2 best and the 2 worst of each district, thin villages apart, a split when there are few', () => {
    const c = (id: number, districtId: number, environment: number | null, overdue = 0): PickCandidate =>
      ({ id, code: `C${id}`, name: `村${id}`, districtId, environment, overdue, values: [] });
    const p = observationPicks([c(1, 1, 90), c(2, 1, 80), c(3, 1, 70), c(4, 1, 60), c(5, 1, 50), c(6, 1, null), c(7, 2, 75), c(8, 2, 65), c(9, 2, 55)], 2);
    expect(p[0]!.best.map((x) => x.id)).toEqual([1, 2]);
    expect(p[0]!.worst.map((x) => x.id)).toEqual([5, 4]);
    expect(p[0]!.thin.map((x) => x.id)).toEqual([6]);
    expect(p[1]!.best.map((x) => x.id)).toEqual([7, 8]);
    expect(p[1]!.worst.map((x) => x.id)).toEqual([9]);
    // a tie at the boundary: fewer overdue cases come first, and the pick is marked
    const t = observationPicks([c(1, 1, 90), c(2, 1, 80, 3), c(3, 1, 80, 1), c(4, 1, 60), c(5, 1, 50)], 2);
    expect(t[0]!.best.map((x) => x.id)).toEqual([1, 3]);
    expect(t[0]!.best[1]!.tie).toBe(true);
  });
});
