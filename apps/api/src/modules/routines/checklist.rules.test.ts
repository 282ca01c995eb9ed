import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../lib/errors.js';
import {
  assertAnswers, assertTemplate, bestAnswers, checkAnswers, checkTemplate, isScored, scoreResult,
  type Answer, type ChecklistItem, type ChecklistTemplate,
} from './checklist.rules.js';

const bad = (fn: () => unknown) => {
  try { fn(); } catch (e) { return e instanceof DomainError ? e.status : `not a DomainError: ${String(e)}`; }
  return 'no error';
};

// A leader's daily self-check of a village.
const selfCheck: ChecklistTemplate = {
  name: '挂包领导每日自查',
  items: [
    { id: 'road', section: '道路沿线', label: '路面无垃圾、无杂物堆放', kind: 'yes_no', weight: 30, required: true, categoryCode: 'road_litter' },
    { id: 'ditch', section: '道路沿线', label: '边沟畅通', kind: 'yes_no', weight: 20, categoryCode: 'ditch' },
    { id: 'yards', section: '村内环境', label: '庭院整洁程度', kind: 'score', weight: 50, maxScore: 5, required: true, categoryCode: 'yard' },
    { id: 'cleaners', section: '村内环境', label: '在岗保洁员人数', kind: 'count', weight: 0 },
    { id: 'photo', section: '现场', label: '现场照片', kind: 'photo', weight: 0, required: true },
    { id: 'remark', section: '现场', label: '其他情况', kind: 'note', weight: 0 },
  ],
};
const fieldsOf = (t: unknown) => checkTemplate(t).map((p) => p.field);
const answerFields = (a: unknown, draft = false) => checkAnswers(selfCheck, a, { draft }).map((p) => p.field);
const full: Answer[] = [
  { itemId: 'road', value: true },
  { itemId: 'ditch', value: false, note: '村东边沟堵塞', photoIds: [7] },
  { itemId: 'yards', value: 2 },
  { itemId: 'cleaners', value: 3 },
  { itemId: 'photo', value: null, photoIds: [5, 6] },
  { itemId: 'remark', value: null, note: '无' },
];

describe('checkTemplate', () => {
  it('accepts a sound template', () => {
    expect(checkTemplate(selfCheck)).toEqual([]);
    expect(assertTemplate(selfCheck)).toBe(selfCheck);
  });
  it('accepts a template with no scored items (a turnout sheet) and weights within the tolerance', () => {
    expect(checkTemplate({ name: '清洁日签到', items: [{ id: 'n', section: '签到', label: '到场人数', kind: 'count', weight: 0 }] })).toEqual([]);
    const thirds = [1, 2, 3].map((i) => ({ id: `i${i}`, section: 's', label: `l${i}`, kind: 'yes_no', weight: 33.3333 }));
    expect(checkTemplate({ name: 'x', items: thirds })).toEqual([]);
  });
  it('lists every problem', () => {
    expect(fieldsOf(null)).toEqual(['template']);
    expect(fieldsOf({ name: '', items: [] })).toEqual(['name', 'items']);
    expect(fieldsOf({ name: 'x' })).toEqual(['items']);
    const t = {
      name: 'x',
      items: [
        { id: 'a', section: 's', label: 'A', kind: 'yes_no', weight: 50 },
        { id: 'a', section: 's', label: 'B', kind: 'yes_no', weight: 50 }, // duplicate id
        { id: 'c', section: '', label: ' ', kind: 'score', weight: 0 }, // empty section and label, no maxScore
        { id: 'd', section: 's', label: 'D', kind: 'score', weight: 0, maxScore: 0 },
        { id: 'e', section: 's', label: 'E', kind: 'yes_no', weight: -5 },
        { id: 'f', section: 's', label: 'F', kind: 'count', weight: 5 },
        { id: 'g', section: 's', label: 'G', kind: 'stars', weight: 0 },
        { id: '', section: 's', label: 'H', kind: 'note', weight: 0, required: 'yes' },
        'nonsense',
      ],
    };
    expect(fieldsOf(t)).toEqual([
      'items[1].id', 'items[2].section', 'items[2].label', 'items[2].maxScore', 'items[3].maxScore', 'items[4].weight',
      'items[5].weight', 'items[6].kind', 'items[7].id', 'items[7].required', 'items[8]',
    ]);
  });
  it('refuses weights that do not add up to 100, saying the sum', () => {
    const t = { name: 'x', items: [
      { id: 'a', section: 's', label: 'A', kind: 'yes_no', weight: 40 },
      { id: 'b', section: 's', label: 'B', kind: 'score', weight: 50, maxScore: 10 },
    ] };
    const p = checkTemplate(t);
    expect(p.map((x) => x.field)).toEqual(['items']);
    expect(p[0]!.message).toContain('90');
    expect(p[0]!.message).toMatch(/add up to 100/);
    expect(bad(() => assertTemplate(t))).toBe(400);
    expect(fieldsOf({ name: 'x', items: [{ id: 'a', section: 's', label: 'A', kind: 'yes_no', weight: 100.01 }] })).toEqual(['items']);
  });
  it('refuses a maxScore on an item that is not a score', () => {
    expect(fieldsOf({ name: 'x', items: [{ id: 'a', section: 's', label: 'A', kind: 'yes_no', weight: 100, maxScore: 5 }] })).toEqual(['items[0].maxScore']);
  });
});

describe('checkAnswers', () => {
  it('accepts a full result, and a draft without the required items', () => {
    expect(checkAnswers(selfCheck, full)).toEqual([]);
    expect(answerFields([{ itemId: 'ditch', value: true }], true)).toEqual([]);
    expect(assertAnswers(selfCheck, full)).toBe(full);
  });
  it('wants the required answers: a value, a photo', () => {
    expect(answerFields([])).toEqual(['items.road', 'items.yards', 'items.photo']);
    expect(answerFields([{ itemId: 'road', value: null }, { itemId: 'yards', value: 'na' }, { itemId: 'photo', value: null, photoIds: [] }]))
      .toEqual(['items.road', 'items.photo']);
    expect(bad(() => assertAnswers(selfCheck, []))).toBe(400);
  });
  it('refuses unknown items, doubles and values of the wrong kind', () => {
    const base = full.filter((a) => !['road', 'yards'].includes(a.itemId));
    const f = (extra: unknown[]) => answerFields([...base, ...extra]);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: 6 }])).toEqual(['answers[5].value']);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: -1 }])).toEqual(['answers[5].value']);
    expect(f([{ itemId: 'road', value: 1 }, { itemId: 'yards', value: 3 }])).toEqual(['answers[4].value']);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: '3' }])).toEqual(['answers[5].value']);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: 3 }, { itemId: 'nope', value: true }])).toEqual(['answers[6].itemId']);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: 3 }, { itemId: 'road', value: false }])).toEqual(['answers[6].itemId']);
    expect(f([{ itemId: 'road', value: true }, { itemId: 'yards', value: 3 }, 'x'])).toEqual(['answers[6]']);
    expect(answerFields('x')).toEqual(['answers']);
  });
  it('counts are whole numbers ≥ 0; na only for yes/no and scores; photos and notes carry no value', () => {
    const withItem = (a: Answer) => answerFields([...full.filter((x) => x.itemId !== a.itemId), a]);
    expect(withItem({ itemId: 'cleaners', value: -1 })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'cleaners', value: 1.5 })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'cleaners', value: true })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'cleaners', value: 'na' })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'cleaners', value: 0 })).toEqual([]);
    expect(withItem({ itemId: 'remark', value: 'na' })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'remark', value: 3 })).toEqual(['answers[5].value']);
    expect(withItem({ itemId: 'photo', value: null, photoIds: [0] })).toEqual(['answers[5].photoIds']);
    expect(withItem({ itemId: 'photo', value: null, photoIds: [4, 4] })).toEqual(['answers[5].photoIds']);
    expect(withItem({ itemId: 'ditch', value: 'na' })).toEqual([]);
    expect(withItem({ itemId: 'ditch', value: true, note: 5 as unknown as string })).toEqual(['answers[5].note']);
    expect(withItem({ itemId: 'yards', value: 2.5 })).toEqual([]);
  });
  it('every message is Chinese with an English part', () => {
    for (const p of checkAnswers(selfCheck, [{ itemId: 'cleaners', value: -1 }, { itemId: 'x', value: 1 }])) {
      expect(p.message).toMatch(/[\u4e00-\u9fff].*\(.*[a-z].*\)/);
    }
  });
});

describe('scoreResult', () => {
  it('scores yes/no and scores, lists failures with their category', () => {
    const r = scoreResult(selfCheck, full);
    // road 30 + ditch 0 + yards 50 × 2/5 = 20 → 50 of 100
    expect(r.score).toBe(50);
    expect(r.max).toBe(100);
    expect(r.percent).toBe(50);
    expect(r.failed).toEqual([
      { itemId: 'ditch', section: '道路沿线', label: '边沟畅通', categoryCode: 'ditch', note: '村东边沟堵塞', photoIds: [7] },
      { itemId: 'yards', section: '村内环境', label: '庭院整洁程度', categoryCode: 'yard', note: null, photoIds: [] },
    ]);
  });
  it('leaves na out of the denominator; an unanswered item counts 0', () => {
    const r = scoreResult(selfCheck, [{ itemId: 'road', value: true }, { itemId: 'ditch', value: 'na' }, { itemId: 'yards', value: 5 }]);
    expect(r).toMatchObject({ score: 80, max: 80, percent: 100, failed: [] });
    const u = scoreResult(selfCheck, [{ itemId: 'road', value: true }]);
    expect(u).toMatchObject({ score: 30, max: 100, percent: 30, failed: [] });
  });
  it('a score of exactly half passes; below half fails', () => {
    expect(scoreResult(selfCheck, [{ itemId: 'yards', value: 2.5 }]).failed).toEqual([]);
    expect(scoreResult(selfCheck, [{ itemId: 'yards', value: 2.4 }]).failed.map((f) => f.itemId)).toEqual(['yards']);
  });
  it('percent is null when nothing is scorable', () => {
    expect(scoreResult(selfCheck, [{ itemId: 'road', value: 'na' }, { itemId: 'ditch', value: 'na' }, { itemId: 'yards', value: 'na' }]).percent).toBeNull();
    const sheet: ChecklistTemplate = { name: 's', items: [{ id: 'n', section: 's', label: 'n', kind: 'count', weight: 0 }] };
    expect(scoreResult(sheet, [{ itemId: 'n', value: 12 }])).toMatchObject({ score: 0, max: 0, percent: null, failed: [] });
  });
  it('refuses answers of the wrong shape', () => {
    expect(bad(() => scoreResult(selfCheck, [{ itemId: 'yards', value: 9 }]))).toBe(400);
    expect(bad(() => scoreResult(selfCheck, [{ itemId: 'ghost', value: true }]))).toBe(400);
  });

  // ---- properties over random valid templates and answers
  const itemArb = (i: number): fc.Arbitrary<Omit<ChecklistItem, 'weight'> & { raw: number }> => fc.record({
    kind: fc.constantFrom('yes_no', 'score', 'count', 'photo', 'note') as fc.Arbitrary<ChecklistItem['kind']>,
    maxScore: fc.integer({ min: 1, max: 10 }),
    raw: fc.integer({ min: 0, max: 100 }),
  }).map(({ kind, maxScore, raw }) => ({
    id: `i${i}`, section: `s${i % 3}`, label: `item ${i}`, kind, raw,
    ...(kind === 'score' ? { maxScore } : {}),
  }));
  const templateArb: fc.Arbitrary<ChecklistTemplate> = fc.integer({ min: 1, max: 12 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => itemArb(i))))
    .filter((items) => items.some((it) => isScored(it.kind) && it.raw > 0))
    .map((items) => {
      const sum = items.reduce((s, it) => s + (isScored(it.kind) ? it.raw : 0), 0);
      return {
        name: 't',
        items: items.map(({ raw, ...it }) => ({ ...it, weight: isScored(it.kind) ? (raw * 100) / sum : 0 })),
      };
    });
  const answerFor = (it: ChecklistItem): fc.Arbitrary<Answer> => {
    switch (it.kind) {
      case 'yes_no': return fc.constantFrom<Answer['value']>(true, false, 'na', null).map((value) => ({ itemId: it.id, value }));
      case 'score': return fc.oneof(fc.constant<Answer['value']>('na'), fc.constant(null), fc.integer({ min: 0, max: it.maxScore! }))
        .map((value) => ({ itemId: it.id, value }));
      case 'count': return fc.nat(50).map((value) => ({ itemId: it.id, value }));
      default: return fc.constant({ itemId: it.id, value: null });
    }
  };
  const caseArb = templateArb.chain((t) => fc.tuple(fc.constant(t), fc.tuple(...t.items.map(answerFor))));

  it('property: the generated templates are valid', () => {
    fc.assert(fc.property(templateArb, (t) => { expect(checkTemplate(t)).toEqual([]); }));
  });
  it('property: percent is within 0..100 and score ≤ max', () => {
    fc.assert(fc.property(caseArb, ([t, answers]) => {
      const r = scoreResult(t, answers);
      if (r.percent !== null) {
        expect(r.percent).toBeGreaterThanOrEqual(0);
        expect(r.percent).toBeLessThanOrEqual(100);
        expect(Math.round(r.percent * 100)).toBeCloseTo(r.percent * 100, 6);
      } else expect(r.max).toBe(0);
      expect(r.score).toBeLessThanOrEqual(r.max + 1e-9);
    }), { numRuns: 500 });
  });
  it('property: marking an item na never changes the other items\u2019 contribution', () => {
    fc.assert(fc.property(caseArb, fc.nat(), ([t, answers], pick) => {
      const scored = t.items.filter((it) => isScored(it.kind));
      const target = scored[pick % scored.length]!;
      const before = scoreResult(t, answers);
      const after = scoreResult(t, answers.map((a) => (a.itemId === target.id ? { ...a, value: 'na' as const } : a)));
      const others = (r: typeof before) => r.contributions.filter((c) => c.itemId !== target.id);
      expect(others(after)).toEqual(others(before));
      expect(after.contributions.find((c) => c.itemId === target.id)).toEqual({ itemId: target.id, earned: 0, possible: 0, na: true });
      expect(after.failed.map((f) => f.itemId)).toEqual(before.failed.map((f) => f.itemId).filter((id) => id !== target.id));
    }), { numRuns: 500 });
  });
  it('property: the best answer to every scorable item gives 100, with or without some na', () => {
    fc.assert(fc.property(templateArb, fc.array(fc.boolean(), { maxLength: 12 }), (t, naMask) => {
      expect(scoreResult(t, bestAnswers(t))).toMatchObject({ percent: 100, failed: [] });
      const best = bestAnswers(t);
      const some = best.map((a, i) => (naMask[i] && i < best.length - 1 ? { ...a, value: 'na' as const } : a));
      const r = scoreResult(t, some);
      expect(r.percent === 100 || r.percent === null).toBe(true);
      expect(r.failed).toEqual([]);
    }), { numRuns: 300 });
  });
});
