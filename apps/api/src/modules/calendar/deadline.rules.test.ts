import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../lib/errors.js';
import {
  checkHours, chinaDay, chinaInstant, computeDue, DEFAULT_HOURS, hoursPerDay, isWorkday, isWorkingInstant, makeCalendar,
  monthView, nextWorkday, workingTimeBetween, type DayException, type DeadlineUnit, type WorkCalendar,
} from './deadline.rules.js';

const at = (day: string, hhmm: string) => chinaInstant(day, hhmm);
const china = (t: Date) => `${chinaDay(t)} ${new Date(t.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
const plain = makeCalendar();
// October 2026 as published: 1–7 off (the weekdays among them stored), Saturday 10 worked (调休).
const october = makeCalendar(new Map<string, DayException>([
  ['2026-10-01', { workday: false, name: '国庆节' }], ['2026-10-02', { workday: false, name: '国庆节' }],
  ['2026-10-05', { workday: false, name: '国庆节' }], ['2026-10-06', { workday: false, name: '国庆节' }],
  ['2026-10-07', { workday: false, name: '国庆节' }], ['2026-10-10', { workday: true, name: '国庆节调休' }],
]));

const bad = (fn: () => unknown) => {
  try { fn(); } catch (e) { return e instanceof DomainError ? e.status : 'not a DomainError'; }
  return 'no error';
};

describe('workdays', () => {
  it('weekdays work, weekends rest, exceptions win', () => {
    expect(isWorkday(plain, '2026-03-06')).toBe(true); // Friday
    expect(isWorkday(plain, '2026-03-07')).toBe(false); // Saturday
    expect(isWorkday(october, '2026-10-01')).toBe(false);
    expect(isWorkday(october, '2026-10-10')).toBe(true);
    expect(isWorkday(october, '2026-10-11')).toBe(false);
    expect(nextWorkday(october, '2026-09-30')).toBe('2026-10-08');
    expect(bad(() => isWorkday(plain, '2026-02-30'))).toBe(400);
  });
  it('lists a month with names', () => {
    const m = monthView(october, '2026-10');
    expect(m).toHaveLength(31);
    expect(m[0]).toMatchObject({ day: '2026-10-01', weekday: 4, workday: false, name: '国庆节', exception: true });
    expect(m[9]).toMatchObject({ day: '2026-10-10', weekday: 6, workday: true, name: '国庆节调休' });
    expect(m[10]).toMatchObject({ day: '2026-10-11', weekday: 7, workday: false, name: null, exception: false });
    expect(monthView(plain, '2028-02')).toHaveLength(29);
    expect(bad(() => monthView(plain, '2026-13'))).toBe(400);
  });
});

describe('computeDue', () => {
  it('work_day: the end of the Nth workday after the start day', () => {
    expect(china(computeDue(at('2026-03-06', '19:00'), 3, 'work_day', plain))).toBe('2026-03-11 17:30'); // Friday evening → Wednesday
    expect(china(computeDue(at('2026-03-09', '10:00'), 3, 'work_day', plain))).toBe('2026-03-12 17:30'); // Monday → Thursday
    expect(china(computeDue(at('2026-03-07', '10:00'), 1, 'work_day', plain))).toBe('2026-03-09 17:30'); // Saturday → Monday
    // Over the National Day holidays, with the 调休 Saturday counted.
    expect(china(computeDue(at('2026-09-30', '09:00'), 3, 'work_day', october))).toBe('2026-10-10 17:30');
    expect(computeDue(at('2026-03-09', '10:00'), 3, 'work_day', plain).toISOString()).toBe('2026-03-12T09:30:00.000Z');
  });
  it('work_hour: counts only working time, lunch and nights skipped', () => {
    expect(china(computeDue(at('2026-03-09', '16:30'), 2, 'work_hour', plain))).toBe('2026-03-10 09:30');
    expect(china(computeDue(at('2026-03-09', '17:00'), 2, 'work_hour', plain))).toBe('2026-03-10 10:00');
    expect(china(computeDue(at('2026-03-09', '11:00'), 2, 'work_hour', plain))).toBe('2026-03-09 14:30');
    expect(china(computeDue(at('2026-03-09', '12:30'), 1, 'work_hour', plain))).toBe('2026-03-09 14:30');
    expect(china(computeDue(at('2026-03-09', '07:00'), 1, 'work_hour', plain))).toBe('2026-03-09 09:30');
    expect(china(computeDue(at('2026-03-06', '17:00'), 1, 'work_hour', plain))).toBe('2026-03-09 09:00'); // Friday → Monday
    expect(china(computeDue(at('2026-09-30', '17:00'), 1, 'work_hour', october))).toBe('2026-10-08 09:00');
    // 7.5 working hours a day: 15 hours from Monday 08:30 end on Tuesday 17:30.
    expect(hoursPerDay()).toBe(7.5);
    expect(china(computeDue(at('2026-03-09', '08:30'), 15, 'work_hour', plain))).toBe('2026-03-10 17:30');
  });
  it('day: N × 24 hours', () => {
    expect(china(computeDue(at('2026-03-06', '19:00'), 3, 'day', plain))).toBe('2026-03-09 19:00');
  });
  it('uses other working hours when set', () => {
    const summer = { morning: { start: '08:00', end: '12:00' }, afternoon: { start: '14:30', end: '18:00' } };
    expect(china(computeDue(at('2026-03-09', '11:00'), 2, 'work_hour', makeCalendar([], summer)))).toBe('2026-03-09 15:30');
    expect(china(computeDue(at('2026-03-09', '11:00'), 1, 'work_day', plain, summer))).toBe('2026-03-10 18:00');
  });
  it('refuses bad input with 400', () => {
    const s = at('2026-03-09', '10:00');
    for (const amount of [0, -1, 1.5, 366, Number.NaN, Infinity]) expect(bad(() => computeDue(s, amount, 'work_day', plain))).toBe(400);
    expect(bad(() => computeDue(s, 1, 'week' as DeadlineUnit, plain))).toBe(400);
    expect(bad(() => computeDue(new Date('nope'), 1, 'day', plain))).toBe(400);
    expect(bad(() => computeDue(s, 1, 'work_hour', plain, { morning: { start: '12:00', end: '08:00' }, afternoon: DEFAULT_HOURS.afternoon }))).toBe(400);
  });
  it('a calendar with no working days ahead is a 409, not a hang', () => {
    const off = new Map<string, DayException>();
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2030-01-01T00:00:00Z'); t += 86_400_000) {
      off.set(new Date(t).toISOString().slice(0, 10), { workday: false, name: '停工' });
    }
    expect(bad(() => computeDue(at('2026-01-01', '10:00'), 1, 'work_day', makeCalendar(off)))).toBe(409);
  });
});

describe('working hours validation', () => {
  it('start before end, morning before afternoon, HH:MM', () => {
    expect(checkHours(DEFAULT_HOURS)).toEqual([]);
    expect(checkHours({ morning: { start: '12:00', end: '08:30' }, afternoon: DEFAULT_HOURS.afternoon })[0]!.field).toBe('morning');
    expect(checkHours({ morning: DEFAULT_HOURS.morning, afternoon: { start: '11:00', end: '17:30' } })[0]!.field).toBe('afternoon.start');
    expect(checkHours({ morning: { start: '8:30', end: '12:00' }, afternoon: DEFAULT_HOURS.afternoon })[0]!.field).toBe('morning.start');
    expect(checkHours({ morning: DEFAULT_HOURS.morning, afternoon: { start: '13:30', end: '24:00' } })[0]!.field).toBe('afternoon.end');
    expect(checkHours(null)).toHaveLength(1);
  });
});

describe('workingTimeBetween', () => {
  it('counts working hours only, negative when reversed', () => {
    expect(workingTimeBetween(at('2026-03-09', '08:30'), at('2026-03-09', '17:30'), plain)).toBe(7.5);
    expect(workingTimeBetween(at('2026-03-06', '17:00'), at('2026-03-09', '09:00'), plain)).toBe(1); // over the weekend
    expect(workingTimeBetween(at('2026-03-09', '17:30'), at('2026-03-09', '11:00'), plain)).toBe(-5);
    expect(workingTimeBetween(at('2026-10-01', '00:00'), at('2026-10-08', '00:00'), october)).toBe(0);
  });
});

// ------------------------------------------------------------------ properties

const DAY = 86_400_000;
const BASE = Date.parse('2025-12-01T00:00:00Z');
const calendarArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 800 }), fc.boolean()), { maxLength: 120 }).map((list) => {
  const m = new Map<string, DayException>();
  for (const [d, w] of list) m.set(new Date(BASE + d * DAY).toISOString().slice(0, 10), { workday: w, name: w ? '调休' : '假日' });
  return makeCalendar(m);
});
const startArb = fc.integer({ min: 0, max: 500 * 24 * 60 }).map((min) => new Date(BASE + min * 60_000 + 17_000));
const unitArb = fc.constantFrom<DeadlineUnit>('work_hour', 'work_day', 'day');
const amountArb = fc.integer({ min: 1, max: 364 });

describe('deadline properties', () => {
  it('due is never before the start', () => {
    fc.assert(fc.property(calendarArb, startArb, amountArb, unitArb, (cal: WorkCalendar, s, n, u) => {
      expect(computeDue(s, n, u, cal).getTime()).toBeGreaterThan(s.getTime());
    }), { numRuns: 300 });
  });
  it('more amount never gives an earlier due', () => {
    fc.assert(fc.property(calendarArb, startArb, amountArb, unitArb, (cal, s, n, u) => {
      expect(computeDue(s, n + 1, u, cal).getTime()).toBeGreaterThanOrEqual(computeDue(s, n, u, cal).getTime());
    }), { numRuns: 300 });
  });
  it('a later start never gives an earlier due', () => {
    fc.assert(fc.property(calendarArb, startArb, fc.integer({ min: 0, max: 5000 }), amountArb, unitArb, (cal, s, later, n, u) => {
      const s2 = new Date(s.getTime() + later * 60_000);
      expect(computeDue(s2, n, u, cal).getTime()).toBeGreaterThanOrEqual(computeDue(s, n, u, cal).getTime());
    }), { numRuns: 300 });
  });
  it('for working units the due instant lies inside working time', () => {
    fc.assert(fc.property(calendarArb, startArb, amountArb, fc.constantFrom<DeadlineUnit>('work_hour', 'work_day'), (cal, s, n, u) => {
      expect(isWorkingInstant(computeDue(s, n, u, cal), cal)).toBe(true);
    }), { numRuns: 300 });
  });
  it('work_hour: exactly the amount of working time lies between start and due', () => {
    fc.assert(fc.property(calendarArb, startArb, amountArb, (cal, s, n) => {
      expect(workingTimeBetween(s, computeDue(s, n, 'work_hour', cal), cal)).toBeCloseTo(n, 9);
    }), { numRuns: 200 });
  });
  it('workingTimeBetween is additive and antisymmetric', () => {
    fc.assert(fc.property(calendarArb, startArb, startArb, startArb, (cal, a, b, c) => {
      const ab = workingTimeBetween(a, b, cal);
      expect(workingTimeBetween(b, a, cal)).toBeCloseTo(-ab, 9);
      expect(workingTimeBetween(a, c, cal)).toBeCloseTo(ab + workingTimeBetween(b, c, cal), 9);
    }), { numRuns: 200 });
  });
});
