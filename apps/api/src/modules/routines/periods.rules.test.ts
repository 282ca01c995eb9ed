import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../lib/errors.js';
import {
  addDays, assertRecurrence, checkMonthWindow, checkRecurrence, daysBetween, describeRecurrence, isoWeek, isoWeekday,
  isoWeeksInYear, occurrences, parsePeriodKey, periodBounds, periodKey, periodType, PERIOD_TYPES, thirdKey,
  type PeriodType, type Recurrence,
} from './periods.rules.js';

const bad = (fn: () => unknown) => {
  try { fn(); } catch (e) { return e instanceof DomainError ? e.status : `not a DomainError: ${String(e)}`; }
  return 'no error';
};
const fields = (r: unknown) => checkRecurrence(r).map((p) => p.field);

// Any real day 1900-01-01 .. 2999-12-31.
const BASE = Date.UTC(1900, 0, 1);
const SPAN = Math.round((Date.UTC(2999, 11, 31) - BASE) / 86_400_000);
const dayArb = fc.integer({ min: 0, max: SPAN }).map((n) => new Date(BASE + n * 86_400_000).toISOString().slice(0, 10));
const typeArb = fc.constantFrom(...PERIOD_TYPES);
const recurrenceArb: fc.Arbitrary<Recurrence> = fc.oneof(
  fc.constant<Recurrence>({ type: 'daily' }),
  fc.integer({ min: 1, max: 7 }).map((weekday): Recurrence => ({ type: 'weekly', weekday })),
  fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 28 }))
    .map(([a, b]): Recurrence => ({ type: 'monthly', fromDay: Math.min(a, b), toDay: Math.max(a, b) })),
  fc.constantFrom(1, 2, 3).map((third): Recurrence => ({ type: 'month_third', third: third as 1 | 2 | 3 })),
  fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined })
    .map((withinDays): Recurrence => (withinDays ? { type: 'quarterly', withinDays } : { type: 'quarterly' })),
  fc.option(fc.integer({ min: 1, max: 181 }), { nil: undefined })
    .map((withinDays): Recurrence => (withinDays ? { type: 'half_yearly', withinDays } : { type: 'half_yearly' })),
  fc.constant<Recurrence>({ type: 'yearly' }),
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([month, day]): Recurrence => ({ type: 'yearly', month, day })),
);

describe('calendar helpers', () => {
  it('weekdays and ISO weeks, with the week-year', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // Monday
    expect(isoWeekday('2026-11-29')).toBe(7); // Sunday
    expect(isoWeek('2026-12-31')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2027-01-04')).toEqual({ year: 2027, week: 1 });
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });
});

describe('periodKey', () => {
  it('writes DHIS2 keys', () => {
    const d = '2026-11-28';
    expect(periodKey('daily', d)).toBe('20261128');
    expect(periodKey('weekly', d)).toBe('2026W48');
    expect(periodKey('monthly', d)).toBe('202611');
    expect(periodKey('quarterly', d)).toBe('2026Q4');
    expect(periodKey('sixmonthly', d)).toBe('2026S2');
    expect(periodKey('sixmonthly', '2026-06-30')).toBe('2026S1');
    expect(periodKey('yearly', d)).toBe('2026');
    expect(periodKey('weekly', '2026-01-05')).toBe('2026W2');
    expect(periodKey('weekly', '2026-12-31')).toBe('2026W53');
    expect(periodKey('weekly', '2027-01-01')).toBe('2026W53');
    expect(periodKey('weekly', '2021-01-03')).toBe('2020W53');
    expect(thirdKey('2026-11-15')).toBe('202611T2');
    expect(thirdKey('2026-02-28')).toBe('202602T3');
    expect(thirdKey('2026-02-10')).toBe('202602T1');
  });
  it('refuses bad days and types with a 400', () => {
    expect(bad(() => periodKey('monthly', '2026-02-30'))).toBe(400);
    expect(bad(() => periodKey('monthly', '2026/02/01'))).toBe(400);
    expect(bad(() => periodKey('fortnightly' as PeriodType, '2026-02-01'))).toBe(400);
    expect(bad(() => periodBounds('weekly', 'today'))).toBe(400);
  });
  it('parses keys back', () => {
    expect(parsePeriodKey('20261128')).toEqual({ type: 'daily', start: '2026-11-28', end: '2026-11-28' });
    expect(parsePeriodKey('2026W53')).toEqual({ type: 'weekly', start: '2026-12-28', end: '2027-01-03' });
    expect(parsePeriodKey('2020W53')).toEqual({ type: 'weekly', start: '2020-12-28', end: '2021-01-03' });
    expect(parsePeriodKey('2026W1')).toEqual({ type: 'weekly', start: '2025-12-29', end: '2026-01-04' });
    expect(parsePeriodKey('202802')).toEqual({ type: 'monthly', start: '2028-02-01', end: '2028-02-29' });
    expect(parsePeriodKey('2026Q1')).toEqual({ type: 'quarterly', start: '2026-01-01', end: '2026-03-31' });
    expect(parsePeriodKey('2026S2')).toEqual({ type: 'sixmonthly', start: '2026-07-01', end: '2026-12-31' });
    expect(parsePeriodKey('2026')).toEqual({ type: 'yearly', start: '2026-01-01', end: '2026-12-31' });
    expect(parsePeriodKey('202602T3')).toEqual({ type: 'month_third', start: '2026-02-21', end: '2026-02-28' });
    expect(parsePeriodKey('202611T1')).toEqual({ type: 'month_third', start: '2026-11-01', end: '2026-11-10' });
  });
  it('returns null for malformed keys', () => {
    for (const k of ['20260230', '2026W54', '2025W53', '2026W0', '2026W01', '2026Q5', '2026Q0', '2026S3', '202613', '202600',
      '202611T4', '26', '2026-11', '', ' 2026', '2026w5', '0999', '10000', 'abc']) {
      expect(parsePeriodKey(k), k).toBeNull();
    }
    expect(parsePeriodKey(2026)).toBeNull();
    expect(parsePeriodKey(null)).toBeNull();
  });
  it('round-trips: the parsed period contains the day and has the same key throughout', () => {
    fc.assert(fc.property(typeArb, dayArb, (type, day) => {
      const key = periodKey(type, day);
      const p = parsePeriodKey(key);
      expect(p).not.toBeNull();
      expect(p!.type).toBe(type);
      expect(p!.start <= day && day <= p!.end).toBe(true);
      expect(periodKey(type, p!.start)).toBe(key);
      expect(periodKey(type, p!.end)).toBe(key);
      expect(periodKey(type, addDays(p!.start, -1))).not.toBe(key);
      expect(periodKey(type, addDays(p!.end, 1))).not.toBe(key);
      expect(periodBounds(type, day)).toEqual({ start: p!.start, end: p!.end });
    }), { numRuns: 2000 });
  });
  it('thirds round-trip too', () => {
    fc.assert(fc.property(dayArb, (day) => {
      const p = parsePeriodKey(thirdKey(day))!;
      expect(p.type).toBe('month_third');
      expect(p.start <= day && day <= p.end).toBe(true);
      expect(thirdKey(p.start)).toBe(thirdKey(day));
      expect(thirdKey(p.end)).toBe(thirdKey(day));
    }));
  });
  it('week keys agree with the ISO week Monday..Sunday', () => {
    fc.assert(fc.property(dayArb, (day) => {
      const p = parsePeriodKey(periodKey('weekly', day))!;
      expect(isoWeekday(p.start)).toBe(1);
      expect(daysBetween(p.start, p.end)).toBe(6);
    }));
  });
});

describe('checkRecurrence', () => {
  it('accepts the routines of the demo town', () => {
    for (const r of [
      { type: 'daily' }, { type: 'weekly', weekday: 1 }, { type: 'monthly', fromDay: 15, toDay: 17 },
      { type: 'month_third', third: 1 }, { type: 'month_third', third: 3 }, { type: 'quarterly' }, { type: 'quarterly', withinDays: 10 },
      { type: 'half_yearly', withinDays: 181 }, { type: 'yearly' }, { type: 'yearly', month: 12, day: 31 }, { type: 'yearly', month: 2, day: 28 },
    ]) expect(checkRecurrence(r), JSON.stringify(r)).toEqual([]);
  });
  it('lists every problem, in Chinese with English', () => {
    expect(fields(null)).toEqual(['recurrence']);
    expect(fields([])).toEqual(['recurrence']);
    expect(fields({ type: 'fortnightly' })).toEqual(['type']);
    expect(fields({})).toEqual(['type']);
    expect(fields({ type: 'weekly' })).toEqual(['weekday']);
    expect(fields({ type: 'weekly', weekday: 0 })).toEqual(['weekday']);
    expect(fields({ type: 'weekly', weekday: 8 })).toEqual(['weekday']);
    expect(fields({ type: 'weekly', weekday: 1.5 })).toEqual(['weekday']);
    expect(fields({ type: 'weekly', weekday: '1' })).toEqual(['weekday']);
    expect(fields({ type: 'monthly', fromDay: 17, toDay: 15 })).toEqual(['toDay']); // empty window
    expect(fields({ type: 'monthly', fromDay: 0, toDay: 32 })).toEqual(['fromDay', 'toDay']);
    expect(fields({ type: 'monthly', fromDay: 15 })).toEqual(['toDay']);
    expect(fields({ type: 'month_third', third: 4 })).toEqual(['third']);
    expect(fields({ type: 'quarterly', withinDays: 0 })).toEqual(['withinDays']);
    expect(fields({ type: 'quarterly', withinDays: 91 })).toEqual(['withinDays']);
    expect(fields({ type: 'half_yearly', withinDays: 182 })).toEqual(['withinDays']);
    expect(fields({ type: 'yearly', month: 2, day: 30 })).toEqual(['day']);
    expect(fields({ type: 'yearly', month: 4, day: 31 })).toEqual(['day']);
    expect(fields({ type: 'yearly', month: 13, day: 1 })).toEqual(['month']);
    expect(fields({ type: 'yearly', month: 3 })).toEqual(['day']);
    for (const p of checkRecurrence({ type: 'monthly', fromDay: 17, toDay: 15 })) expect(p.message).toMatch(/[\u4e00-\u9fff].*\(.*[a-z].*\)/);
  });
  it('refuses days 29–31 of a recurring monthly window, saying why', () => {
    const p = checkRecurrence({ type: 'monthly', fromDay: 28, toDay: 30 });
    expect(p.map((x) => x.field)).toEqual(['toDay']);
    expect(p[0]!.message).toContain('并非每个月都有');
    expect(p[0]!.message).toContain('do not exist in every month');
    expect(fields({ type: 'monthly', fromDay: 29, toDay: 31 })).toEqual(['fromDay', 'toDay']);
  });
  it('refuses 29 February for a yearly date, saying why', () => {
    const p = checkRecurrence({ type: 'yearly', month: 2, day: 29 });
    expect(p.map((x) => x.field)).toEqual(['day']);
    expect(p[0]!.message).toContain('not in every year');
  });
  it('checks a window in a fixed month: 30 February and empty windows refused', () => {
    expect(checkMonthWindow('2026-02', 15, 17)).toEqual([]);
    expect(checkMonthWindow('2028-02', 29, 29)).toEqual([]);
    expect(checkMonthWindow('2026-02', 28, 30).map((p) => p.field)).toEqual(['toDay']);
    expect(checkMonthWindow('2026-02', 28, 30)[0]!.message).toContain('30');
    expect(checkMonthWindow('2026-03', 17, 15).map((p) => p.field)).toEqual(['toDay']);
    expect(checkMonthWindow('2026-13', 1, 2).map((p) => p.field)).toEqual(['month']);
    expect(checkMonthWindow('2026-03', 0, 2).map((p) => p.field)).toEqual(['fromDay']);
  });
  it('assertRecurrence throws a 400 with details', () => {
    expect(bad(() => assertRecurrence({ type: 'monthly', fromDay: 30, toDay: 31 }))).toBe(400);
    try { assertRecurrence({ type: 'weekly', weekday: 9 }); } catch (e) {
      expect((e as DomainError).details?.[0]?.field).toBe('weekday');
    }
    expect(assertRecurrence({ type: 'daily' })).toEqual({ type: 'daily' });
  });
  it('periodType and describeRecurrence', () => {
    expect(periodType({ type: 'daily' })).toBe('daily');
    expect(periodType({ type: 'weekly', weekday: 1 })).toBe('weekly');
    expect(periodType({ type: 'monthly', fromDay: 15, toDay: 17 })).toBe('monthly');
    expect(periodType({ type: 'month_third', third: 2 })).toBe('monthly');
    expect(periodType({ type: 'quarterly' })).toBe('quarterly');
    expect(periodType({ type: 'half_yearly' })).toBe('sixmonthly');
    expect(periodType({ type: 'yearly' })).toBe('yearly');
    expect(describeRecurrence({ type: 'weekly', weekday: 1 })).toBe('每周一');
    expect(describeRecurrence({ type: 'monthly', fromDay: 15, toDay: 17 })).toBe('每月 15–17 日');
    expect(describeRecurrence({ type: 'month_third', third: 2 })).toBe('每月中旬');
  });
});

describe('occurrences', () => {
  it('weekly supervision every Monday, due three days later', () => {
    expect(occurrences({ type: 'weekly', weekday: 1 }, '2026-11-25', '2026-12-10', 3)).toEqual([
      { period: '2026W49', windowStart: '2026-11-30', windowEnd: '2026-11-30', dueDate: '2026-12-03' },
      { period: '2026W50', windowStart: '2026-12-07', windowEnd: '2026-12-07', dueDate: '2026-12-10' },
    ]);
  });
  it('a Sunday at the turn of the year belongs to the old week-year', () => {
    expect(occurrences({ type: 'weekly', weekday: 7 }, '2020-12-31', '2021-01-05')).toEqual([
      { period: '2020W53', windowStart: '2021-01-03', windowEnd: '2021-01-03', dueDate: '2021-01-03' },
    ]);
  });
  it('monthly cleaning days 15th–17th, windows that only touch the range count', () => {
    expect(occurrences({ type: 'monthly', fromDay: 15, toDay: 17 }, '2026-01-17', '2026-03-15')).toEqual([
      { period: '202601', windowStart: '2026-01-15', windowEnd: '2026-01-17', dueDate: '2026-01-17' },
      { period: '202602', windowStart: '2026-02-15', windowEnd: '2026-02-17', dueDate: '2026-02-17' },
      { period: '202603', windowStart: '2026-03-15', windowEnd: '2026-03-17', dueDate: '2026-03-17' },
    ]);
    expect(occurrences({ type: 'monthly', fromDay: 15, toDay: 17 }, '2026-01-18', '2026-02-14')).toEqual([]);
  });
  it('the task force thirds: acceptance at month end', () => {
    expect(occurrences({ type: 'month_third', third: 3 }, '2026-02-01', '2026-03-31', 2)).toEqual([
      { period: '202602T3', windowStart: '2026-02-21', windowEnd: '2026-02-28', dueDate: '2026-03-02' },
      { period: '202603T3', windowStart: '2026-03-21', windowEnd: '2026-03-31', dueDate: '2026-04-02' },
    ]);
  });
  it('quarterly and half-yearly windows', () => {
    expect(occurrences({ type: 'quarterly', withinDays: 10 }, '2026-01-01', '2026-12-31').map((o) => [o.period, o.windowStart, o.windowEnd])).toEqual([
      ['2026Q1', '2026-01-01', '2026-01-10'], ['2026Q2', '2026-04-01', '2026-04-10'],
      ['2026Q3', '2026-07-01', '2026-07-10'], ['2026Q4', '2026-10-01', '2026-10-10'],
    ]);
    expect(occurrences({ type: 'half_yearly' }, '2026-06-30', '2026-07-01').map((o) => [o.period, o.windowStart, o.windowEnd])).toEqual([
      ['2026S1', '2026-01-01', '2026-06-30'], ['2026S2', '2026-07-01', '2026-12-31'],
    ]);
  });
  it('yearly: a date or the whole year', () => {
    expect(occurrences({ type: 'yearly', month: 12, day: 20 }, '2026-01-01', '2027-12-31', 5).map((o) => [o.period, o.windowStart, o.dueDate])).toEqual([
      ['2026', '2026-12-20', '2026-12-25'], ['2027', '2027-12-20', '2027-12-25'],
    ]);
    expect(occurrences({ type: 'yearly', month: 12, day: 20 }, '2026-12-21', '2027-01-31')).toEqual([]);
    expect(occurrences({ type: 'yearly' }, '2026-05-05', '2026-05-05')).toEqual([
      { period: '2026', windowStart: '2026-01-01', windowEnd: '2026-12-31', dueDate: '2026-12-31' },
    ]);
  });
  it('refuses bad input with a 400', () => {
    expect(bad(() => occurrences({ type: 'monthly', fromDay: 15, toDay: 31 }, '2026-01-01', '2026-02-01'))).toBe(400);
    expect(bad(() => occurrences({ type: 'daily' }, '2026-02-30', '2026-03-01'))).toBe(400);
    expect(bad(() => occurrences({ type: 'daily' }, '2026-03-02', '2026-03-01'))).toBe(400);
    expect(bad(() => occurrences({ type: 'daily' }, '2026-01-01', '2040-01-01'))).toBe(400);
    expect(bad(() => occurrences({ type: 'daily' }, '2026-01-01', '2026-01-02', -1))).toBe(400);
    expect(bad(() => occurrences({ type: 'daily' }, '2026-01-01', '2026-01-02', 1.5))).toBe(400);
  });

  const rangeArb = fc.tuple(dayArb, fc.integer({ min: 0, max: 800 })).map(([from, n]) => [from, addDays(from, n)] as const);
  it('properties: sorted, unique, ordered windows inside their periods, keyed by their period', () => {
    fc.assert(fc.property(recurrenceArb, rangeArb, fc.integer({ min: 0, max: 30 }), (r, [from, to], grace) => {
      const occ = occurrences(r, from, to, grace);
      const type = periodType(r);
      const periods = occ.map((o) => o.period);
      expect(new Set(periods).size).toBe(periods.length);
      for (let i = 0; i < occ.length; i++) {
        const o = occ[i]!;
        if (i > 0) expect(occ[i - 1]!.windowStart < o.windowStart).toBe(true);
        expect(o.windowStart <= o.windowEnd).toBe(true);
        expect(daysBetween(o.windowEnd, o.dueDate)).toBe(grace);
        expect(o.windowStart <= to && o.windowEnd >= from).toBe(true); // intersects the range
        const key = periodKey(type, o.windowStart);
        expect(periodKey(type, o.windowEnd)).toBe(key);
        if (r.type === 'month_third') {
          expect(o.period).toBe(`${key}T${r.third}`);
          expect(thirdKey(o.windowStart)).toBe(o.period);
          expect(thirdKey(o.windowEnd)).toBe(o.period);
        } else expect(o.period).toBe(key);
        const p = parsePeriodKey(o.period)!;
        expect(p.start <= o.windowStart && o.windowEnd <= p.end).toBe(true);
      }
    }), { numRuns: 500 });
  });
  it('property: nothing is missed — every period touching the range whose window intersects it is listed', () => {
    fc.assert(fc.property(recurrenceArb, rangeArb, (r, [from, to]) => {
      const listed = new Set(occurrences(r, from, to).map((o) => o.period));
      // Walk the range a day at a time: a day inside some occurrence window must be covered.
      const wide = occurrences(r, addDays(from, -400), addDays(to, 400));
      for (const o of wide) {
        const hits = o.windowStart <= to && o.windowEnd >= from;
        expect(listed.has(o.period)).toBe(hits);
      }
    }), { numRuns: 200 });
  });
  it('property: daily occurrences are one per day', () => {
    fc.assert(fc.property(rangeArb, ([from, to]) => {
      const occ = occurrences({ type: 'daily' }, from, to);
      expect(occ).toHaveLength(daysBetween(from, to) + 1);
      expect(occ[0]!.windowStart).toBe(from);
      expect(occ.at(-1)!.windowEnd).toBe(to);
    }), { numRuns: 200 });
  });
  it('property: weekly occurrences fall on the weekday, one per ISO week', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), rangeArb, (weekday, [from, to]) => {
      const occ = occurrences({ type: 'weekly', weekday }, from, to);
      for (const o of occ) expect(isoWeekday(o.windowStart)).toBe(weekday);
      let expected = 0;
      for (let d = from; d <= to; d = addDays(d, 1)) if (isoWeekday(d) === weekday) expected++;
      expect(occ).toHaveLength(expected);
    }), { numRuns: 200 });
  });
});
