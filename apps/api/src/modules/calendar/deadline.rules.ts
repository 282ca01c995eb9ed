// The working calendar and deadlines, as pure functions. All clock arithmetic is in China time
// (UTC+8, no daylight saving): an instant is shifted by eight hours and then read as UTC, so a
// "day" is the calendar day in China and a "minute" the wall-clock minute there.
//
// A calendar stores only exceptions: a weekday off (a public holiday) or a weekend worked (调休).
// Any other day is a workday Monday–Friday and a rest day on Saturday and Sunday.
import { badInput, conflict, type ErrorDetail } from '../../lib/errors.js';
import { isIsoDate } from '../../lib/dates.js';
import type { DeadlineUnit } from '../../../../../packages/shared/src/cases.js';

export type { DeadlineUnit };
export const UNITS: readonly DeadlineUnit[] = ['work_hour', 'work_day', 'day'];

export interface DayException { workday: boolean; name: string | null }

/** Working hours, wall-clock 'HH:MM' in China time: a morning and an afternoon period. */
export interface WorkingHours {
  morning: { start: string; end: string };
  afternoon: { start: string; end: string };
}

export const DEFAULT_HOURS: WorkingHours = {
  morning: { start: '08:30', end: '12:00' },
  afternoon: { start: '13:30', end: '17:30' },
};

export interface WorkCalendar {
  /** day 'YYYY-MM-DD' → the exception stored for it */
  days: ReadonlyMap<string, DayException>;
  hours: WorkingHours;
}

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How far a search for working time looks ahead before it gives up (a calendar with years off). */
const MAX_SEARCH_DAYS = 3 * 366;
export const MAX_AMOUNT = 365;

/** A calendar from its exceptions: a Map day → {workday, name}, or stored rows {day, workday, name}. */
export function makeCalendar(
  exceptions: ReadonlyMap<string, DayException> | Iterable<{ day: string; workday: boolean; name: string | null }> = [],
  hours: WorkingHours = DEFAULT_HOURS,
): WorkCalendar {
  const days = new Map<string, DayException>();
  if (exceptions instanceof Map) for (const [d, e] of exceptions) days.set(d, { workday: e.workday, name: e.name ?? null });
  else for (const r of exceptions as Iterable<{ day: string; workday: boolean; name: string | null }>) days.set(r.day, { workday: r.workday, name: r.name ?? null });
  return { days, hours };
}

// ------------------------------------------------------------------ working hours

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** What is wrong with a working-hours value, field by field; empty when it is usable. */
export function checkHours(h: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const v = h as WorkingHours;
  if (typeof v !== 'object' || v === null) return [{ field: 'hours', message: '工作时间应为 {morning:{start,end}, afternoon:{start,end}}' }];
  for (const p of ['morning', 'afternoon'] as const) {
    for (const k of ['start', 'end'] as const) {
      const s = (v[p] as Record<string, unknown> | undefined)?.[k];
      if (typeof s !== 'string' || !HHMM.test(s)) out.push({ field: `${p}.${k}`, message: `${p === 'morning' ? '上午' : '下午'}${k === 'start' ? '上班' : '下班'}时间应写作 HH:MM（如 08:30）` });
    }
  }
  if (out.length) return out;
  const [ms, me, as, ae] = [v.morning.start, v.morning.end, v.afternoon.start, v.afternoon.end].map(minutesOf) as [number, number, number, number];
  if (ms >= me) out.push({ field: 'morning', message: `上午上班时间 ${v.morning.start} 应早于下班时间 ${v.morning.end}` });
  if (as >= ae) out.push({ field: 'afternoon', message: `下午上班时间 ${v.afternoon.start} 应早于下班时间 ${v.afternoon.end}` });
  if (me > as) out.push({ field: 'afternoon.start', message: `下午上班时间 ${v.afternoon.start} 不应早于上午下班时间 ${v.morning.end}（上午应在下午之前）` });
  return out;
}

function assertHours(h: WorkingHours) {
  const d = checkHours(h);
  if (d.length) throw badInput(`工作时间设置有误：${d.map((x) => x.message).join('；')} (bad working hours)`, d);
}

/** The working periods of a workday as [start, end) offsets in ms from local midnight. */
function periods(h: WorkingHours): [number, number][] {
  return [
    [minutesOf(h.morning.start) * 60_000, minutesOf(h.morning.end) * 60_000],
    [minutesOf(h.afternoon.start) * 60_000, minutesOf(h.afternoon.end) * 60_000],
  ];
}

/** Working hours in one workday (7.5 with the defaults). */
export function hoursPerDay(h: WorkingHours = DEFAULT_HOURS): number {
  return periods(h).reduce((s, [a, b]) => s + (b - a), 0) / HOUR_MS;
}

// ------------------------------------------------------------------ days

const localMs = (t: Date) => t.getTime() + CHINA_OFFSET_MS;
const dayStartOf = (local: number) => Math.floor(local / DAY_MS) * DAY_MS;
const dayString = (dayStart: number) => new Date(dayStart).toISOString().slice(0, 10);

/** The calendar day in China of an instant, 'YYYY-MM-DD'. */
export function chinaDay(t: Date): string {
  return dayString(dayStartOf(localMs(t)));
}

/** The instant of a wall-clock time in China on a day: ('2026-10-09', '17:30') → 09:30Z. */
export function chinaInstant(day: string, hhmm = '00:00'): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS + minutesOf(hhmm) * 60_000);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export const isWeekend = (day: string) => weekdayOf(day) >= 6;

function assertDay(day: string) {
  if (typeof day !== 'string' || !isIsoDate(day)) throw badInput(`日期应写作 YYYY-MM-DD，收到 "${String(day)}" (bad date)`, [{ field: 'day', message: 'YYYY-MM-DD' }]);
}

const workdayAt = (cal: WorkCalendar, day: string) => cal.days.get(day)?.workday ?? !isWeekend(day);

export function isWorkday(cal: WorkCalendar, day: string): boolean {
  assertDay(day);
  return workdayAt(cal, day);
}

export interface DayView { day: string; weekday: number; workday: boolean; name: string | null; exception: boolean }

export function dayView(cal: WorkCalendar, day: string): DayView {
  assertDay(day);
  const e = cal.days.get(day);
  return { day, weekday: weekdayOf(day), workday: e?.workday ?? !isWeekend(day), name: e?.name ?? null, exception: e !== undefined };
}

/** Every day of a month 'YYYY-MM', as the calendar has it. */
export function monthView(cal: WorkCalendar, month: string): DayView[] {
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw badInput(`月份应写作 YYYY-MM，收到 "${String(month)}" (bad month)`, [{ field: 'month', message: 'YYYY-MM' }]);
  }
  const out: DayView[] = [];
  for (let t = Date.parse(`${month}-01T00:00:00Z`); dayString(t).startsWith(month); t += DAY_MS) out.push(dayView(cal, dayString(t)));
  return out;
}

/** The next day strictly after `day` that is a workday. */
export function nextWorkday(cal: WorkCalendar, day: string): string {
  assertDay(day);
  let t = Date.parse(`${day}T00:00:00Z`);
  for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
    t += DAY_MS;
    const d = dayString(t);
    if (workdayAt(cal, d)) return d;
  }
  throw noWorkdays(day);
}

const noWorkdays = (from: string) =>
  conflict('NO_WORKING_TIME', `日历中 ${from} 之后三年内没有工作日，无法计算期限，请检查工作日历 (the calendar has no working days ahead)`);

// ------------------------------------------------------------------ deadlines

function assertInstant(t: unknown, field: string): asserts t is Date {
  if (!(t instanceof Date) || Number.isNaN(t.getTime())) throw badInput(`${field} 不是有效的时间 (not a valid time)`, [{ field, message: 'invalid date' }]);
  // Keep day arithmetic well inside what Date holds (years 1970–9999 are plenty).
  if (t.getTime() < 0 || t.getTime() > 253402300799000 - 10 * 366 * DAY_MS) throw badInput(`${field} 超出可计算的范围 (out of range)`, [{ field, message: 'out of range' }]);
}

function assertAmount(amount: unknown, unit: unknown) {
  if (!UNITS.includes(unit as DeadlineUnit)) {
    throw badInput(`期限单位应为 ${UNITS.join(' / ')}，收到 "${String(unit)}" (unknown unit)`, [{ field: 'unit', message: 'unknown unit' }]);
  }
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
    throw badInput(`期限应为 1 到 ${MAX_AMOUNT} 之间的整数，收到 ${String(amount)} (amount must be an integer 1..${MAX_AMOUNT})`, [{ field: 'amount', message: `integer 1..${MAX_AMOUNT}` }]);
  }
}

/**
 * When a job started at `start` with a limit of `amount` `unit`s is due.
 * - work_day: the end of the working day (17:30 by default) of the Nth workday after the start's
 *   day (reported Friday evening with 3 → Wednesday 17:30; Monday 10:00 → Thursday 17:30).
 * - work_hour: only working time counts (17:00 with 2 → 30 min that day, then 1.5 h the next
 *   workday: 10:00; a period that runs out at 12:00 continues at 13:30).
 * - day: start + N × 24 h.
 */
export function computeDue(start: Date, amount: number, unit: DeadlineUnit, cal: WorkCalendar, hours: WorkingHours = cal.hours): Date {
  assertInstant(start, 'start');
  assertAmount(amount, unit);
  if (unit === 'day') return new Date(start.getTime() + amount * DAY_MS);
  assertHours(hours);
  if (unit === 'work_day') {
    let day = chinaDay(start);
    for (let i = 0; i < amount; i++) day = nextWorkday(cal, day);
    return chinaInstant(day, hours.afternoon.end);
  }
  // work_hour: walk the working periods from the start until the amount is used up.
  const ps = periods(hours);
  let remaining = amount * HOUR_MS;
  let cur = localMs(start);
  let dayStart = dayStartOf(cur);
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, dayStart += DAY_MS, cur = dayStart) {
    if (!workdayAt(cal, dayString(dayStart))) continue;
    for (const [a, b] of ps) {
      const from = Math.max(cur, dayStart + a);
      const to = dayStart + b;
      if (from >= to) continue;
      if (to - from >= remaining) return new Date(from + remaining - CHINA_OFFSET_MS);
      remaining -= to - from;
    }
  }
  throw noWorkdays(chinaDay(start));
}

/** Whether an instant lies within working time (period ends included) on a workday. */
export function isWorkingInstant(t: Date, cal: WorkCalendar, hours: WorkingHours = cal.hours): boolean {
  const local = localMs(t);
  const dayStart = dayStartOf(local);
  if (!workdayAt(cal, dayString(dayStart))) return false;
  const off = local - dayStart;
  return periods(hours).some(([a, b]) => off >= a && off <= b);
}

/**
 * Working time between two instants, in hours (negative when `b` is before `a`): how long a case
 * has been overdue in working hours, for example.
 */
export function workingTimeBetween(a: Date, b: Date, cal: WorkCalendar, hours: WorkingHours = cal.hours): number {
  assertInstant(a, 'from');
  assertInstant(b, 'to');
  assertHours(hours);
  if (b.getTime() < a.getTime()) return -workingTimeBetween(b, a, cal, hours);
  const ps = periods(hours);
  const la = localMs(a);
  const lb = localMs(b);
  let total = 0;
  for (let dayStart = dayStartOf(la); dayStart <= lb; dayStart += DAY_MS) {
    if (!workdayAt(cal, dayString(dayStart))) continue;
    for (const [s, e] of ps) total += Math.max(0, Math.min(lb, dayStart + e) - Math.max(la, dayStart + s));
  }
  return total / HOUR_MS;
}
