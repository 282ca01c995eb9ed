// Recurrence of the routines and DHIS2 period keys, as pure functions. No clock, no database.
//
// Dates are China calendar dates written 'YYYY-MM-DD' (strings). Arithmetic is done on UTC
// midnights, which has no daylight saving, so a "day" here is always the calendar day.
//
// Period keys follow DHIS2's forms:
//   daily yyyyMMdd ('20261128'), weekly yyyyWn ('2026W48', ISO-8601 week and week-year, no leading
//   zero), monthly yyyyMM ('202611'), quarterly yyyyQn ('2026Q4'), sixmonthly yyyySn ('2026S2',
//   S1 = Jan–Jun, S2 = Jul–Dec), yearly yyyy ('2026').
// DHIS2 has no "third of a month" period. The task force's thirds (days 1–10, 11–20, 21–end) are
// keyed by the monthly key with 'T1', 'T2' or 'T3' appended ('202611T2'); their period type is
// 'monthly' (the DHIS2 aggregate they roll up into), and `periodKey('monthly', windowStart)` is the
// key without the suffix.
import { badInput, type ErrorDetail } from '../../lib/errors.js';
import { isIsoDate } from '../../lib/dates.js';

export type PeriodType = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'sixmonthly' | 'yearly';
export const PERIOD_TYPES: readonly PeriodType[] = ['daily', 'weekly', 'monthly', 'quarterly', 'sixmonthly', 'yearly'];

export type Third = 1 | 2 | 3;
export type Recurrence =
  | { type: 'daily' }
  | { type: 'weekly'; weekday: number /* 1..7, ISO, 1 = Monday */ }
  | { type: 'monthly'; fromDay: number; toDay: number /* 1..28, a window within each month */ }
  | { type: 'month_third'; third: Third }
  | { type: 'quarterly'; withinDays?: number }
  | { type: 'half_yearly'; withinDays?: number }
  | { type: 'yearly'; month?: number; day?: number };
export type RecurrenceType = Recurrence['type'];
export const RECURRENCE_TYPES: readonly RecurrenceType[] = ['daily', 'weekly', 'monthly', 'month_third', 'quarterly', 'half_yearly', 'yearly'];

export interface Occurrence {
  /** DHIS2 key of the period ('2026W48'); for thirds the monthly key plus 'T1'..'T3' ('202611T2'). */
  period: string;
  windowStart: string;
  windowEnd: string;
  /** windowEnd + graceDays (calendar days) */
  dueDate: string;
}

export interface ParsedPeriod {
  /** 'month_third' only for the thirds' keys ('202611T2'); otherwise the DHIS2 period type. */
  type: PeriodType | 'month_third';
  start: string;
  end: string;
}

export type Problem = { field: string; message: string };

/** The shortest quarter (Q1 of a common year) and half-year (H1 of a common year), in days. */
export const MAX_WITHIN_DAYS = { quarterly: 90, half_yearly: 181 } as const;
/** The longest span `occurrences` accepts, in days (ten years), and the largest grace. */
export const MAX_SPAN_DAYS = 3660;
export const MAX_GRACE_DAYS = 366;
/** Years with a four-digit key. */
const MIN_YEAR = 1000;
const MAX_YEAR = 9998;

// ------------------------------------------------------------------ calendar arithmetic

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function ms(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}
function fromMs(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
const ymd = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The day n calendar days after (or before, n < 0) the given day. */
export function addDays(day: string, n: number): string {
  return fromMs(ms(day) + n * DAY_MS);
}
/** Days from a to b (b − a); 0 when equal. */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / DAY_MS);
}
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(ms(day)).getUTCDay();
  return w === 0 ? 7 : w;
}
/** ISO-8601 week of a day: the week-year (the year of that week's Thursday) and the week number. */
export function isoWeek(day: string): { year: number; week: number } {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${pad(year, 4)}-01-01`, thursday) / 7) + 1;
  return { year, week };
}
/** Monday of ISO week `week` of week-year `year`. */
function isoWeekMonday(year: number, week: number): string {
  const jan4 = ymd(year, 1, 4); // always in week 1
  return addDays(addDays(jan4, 1 - isoWeekday(jan4)), (week - 1) * 7);
}
/** 52 or 53. */
export function isoWeeksInYear(year: number): number {
  return isoWeek(ymd(year, 12, 28)).week;
}
/** The task force's third of the month a day falls in: 1 (days 1–10), 2 (11–20), 3 (21–end). */
export function thirdOf(day: string): Third {
  const d = Number(day.slice(8, 10));
  return d <= 10 ? 1 : d <= 20 ? 2 : 3;
}
function thirdBounds(year: number, month: number, third: Third): { start: string; end: string } {
  const from = third === 1 ? 1 : third === 2 ? 11 : 21;
  const to = third === 1 ? 10 : third === 2 ? 20 : daysInMonth(year, month);
  return { start: ymd(year, month, from), end: ymd(year, month, to) };
}

function assertDay(day: unknown, field: string): asserts day is string {
  if (typeof day !== 'string' || !isIsoDate(day)) {
    throw badInput(`日期应为真实的 YYYY-MM-DD (${field}: a real date YYYY-MM-DD)`, [{ field, message: `不是有效日期：${String(day)}` }]);
  }
  const y = Number(day.slice(0, 4));
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw badInput(`年份应在 ${MIN_YEAR}–${MAX_YEAR} 之间 (${field}: year out of range)`, [{ field, message: `年份超出范围：${day}` }]);
  }
}
function assertPeriodType(type: unknown): asserts type is PeriodType {
  if (!PERIOD_TYPES.includes(type as PeriodType)) {
    throw badInput(`未知的周期类型：${String(type)} (unknown period type; one of ${PERIOD_TYPES.join(', ')})`);
  }
}

// ------------------------------------------------------------------ period keys

/** The first and last day of the period of this type that contains the day. */
export function periodBounds(type: PeriodType, day: string): { start: string; end: string } {
  assertPeriodType(type);
  assertDay(day, 'day');
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  switch (type) {
    case 'daily':
      return { start: day, end: day };
    case 'weekly': {
      const start = addDays(day, 1 - isoWeekday(day));
      return { start, end: addDays(start, 6) };
    }
    case 'monthly':
      return { start: ymd(y, m, 1), end: ymd(y, m, daysInMonth(y, m)) };
    case 'quarterly': {
      const q0 = Math.floor((m - 1) / 3) * 3 + 1;
      return { start: ymd(y, q0, 1), end: ymd(y, q0 + 2, daysInMonth(y, q0 + 2)) };
    }
    case 'sixmonthly':
      return m <= 6 ? { start: ymd(y, 1, 1), end: ymd(y, 6, 30) } : { start: ymd(y, 7, 1), end: ymd(y, 12, 31) };
    case 'yearly':
      return { start: ymd(y, 1, 1), end: ymd(y, 12, 31) };
  }
}

/** The DHIS2 key of the period of this type that contains the day. */
export function periodKey(type: PeriodType, day: string): string {
  assertPeriodType(type);
  assertDay(day, 'day');
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  switch (type) {
    case 'daily':
      return day.replaceAll('-', '');
    case 'weekly': {
      const w = isoWeek(day);
      return `${pad(w.year, 4)}W${w.week}`;
    }
    case 'monthly':
      return y + pad(m);
    case 'quarterly':
      return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
    case 'sixmonthly':
      return `${y}S${m <= 6 ? 1 : 2}`;
    case 'yearly':
      return y;
  }
}

/** The key of the third of the month that contains the day ('202611T2'). */
export function thirdKey(day: string): string {
  assertDay(day, 'day');
  return `${periodKey('monthly', day)}T${thirdOf(day)}`;
}

/**
 * A period key back to its type and first and last day; null when the key is malformed or names
 * no real period ('20260230', '2026W54', '2025W53', '2026Q5', '202613', '2026W01' — keys are canonical,
 * no leading zeros in week numbers). Also reads the thirds' keys ('202611T2').
 */
export function parsePeriodKey(key: unknown): ParsedPeriod | null {
  if (typeof key !== 'string') return null;
  let g: RegExpExecArray | null;
  const yearOk = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR;
  if ((g = /^(\d{4})(\d{2})(\d{2})$/.exec(key))) {
    const day = `${g[1]}-${g[2]}-${g[3]}`;
    if (!isIsoDate(day) || !yearOk(Number(g[1]))) return null;
    return { type: 'daily', start: day, end: day };
  }
  if ((g = /^(\d{4})W([1-9]\d?)$/.exec(key))) {
    const y = Number(g[1]);
    const w = Number(g[2]);
    if (!yearOk(y) || w > isoWeeksInYear(y)) return null;
    const start = isoWeekMonday(y, w);
    return { type: 'weekly', start, end: addDays(start, 6) };
  }
  if ((g = /^(\d{4})(\d{2})(T[123])?$/.exec(key))) {
    const y = Number(g[1]);
    const m = Number(g[2]);
    if (!yearOk(y) || m < 1 || m > 12) return null;
    if (g[3]) return { type: 'month_third', ...thirdBounds(y, m, Number(g[3][1]) as Third) };
    return { type: 'monthly', start: ymd(y, m, 1), end: ymd(y, m, daysInMonth(y, m)) };
  }
  if ((g = /^(\d{4})Q([1-4])$/.exec(key))) {
    const y = Number(g[1]);
    if (!yearOk(y)) return null;
    return { type: 'quarterly', ...periodBounds('quarterly', ymd(y, (Number(g[2]) - 1) * 3 + 1, 1)) };
  }
  if ((g = /^(\d{4})S([12])$/.exec(key))) {
    const y = Number(g[1]);
    if (!yearOk(y)) return null;
    return { type: 'sixmonthly', ...periodBounds('sixmonthly', ymd(y, g[2] === '1' ? 1 : 7, 1)) };
  }
  if ((g = /^(\d{4})$/.exec(key))) {
    const y = Number(g[1]);
    if (!yearOk(y)) return null;
    return { type: 'yearly', start: ymd(y, 1, 1), end: ymd(y, 12, 31) };
  }
  return null;
}

// ------------------------------------------------------------------ recurrence

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const WEEKDAY_ZH = ['', '一', '二', '三', '四', '五', '六', '日'];

/** Every problem with a recurrence, field by field; empty when it is usable. */
export function checkRecurrence(r: unknown): Problem[] {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    return [{ field: 'recurrence', message: '周期规则应为对象 (recurrence must be an object with a type)' }];
  }
  const v = r as Record<string, unknown>;
  const out: Problem[] = [];
  const intIn = (field: string, lo: number, hi: number, zh: string, optional = false) => {
    const x = v[field];
    if (x === undefined && optional) return true;
    if (!isInt(x) || x < lo || x > hi) {
      out.push({ field, message: `${zh}应为 ${lo}–${hi} 的整数 (${field}: an integer ${lo}–${hi})，收到 ${JSON.stringify(x)}` });
      return false;
    }
    return true;
  };
  switch (v.type) {
    case 'daily':
      break;
    case 'weekly':
      intIn('weekday', 1, 7, '星期（1 = 周一，7 = 周日）');
      break;
    case 'monthly': {
      const okDays: boolean[] = [];
      for (const f of ['fromDay', 'toDay'] as const) {
        const x = v[f];
        const zh = f === 'fromDay' ? '窗口开始日' : '窗口结束日';
        if (isInt(x) && x >= 29 && x <= 31) {
          out.push({
            field: f,
            message: `${zh}为 ${x} 日，但并非每个月都有 29–31 日，每月重复的窗口只能在 1–28 日之内；月末请用“下旬”（第三旬） (${f}: days 29–31 do not exist in every month; a recurring monthly window must lie within days 1–28, use the third 'T3' for month end)`,
          });
          okDays.push(false);
        } else okDays.push(intIn(f, 1, 28, zh));
      }
      if (okDays[0] && okDays[1] && (v.toDay as number) < (v.fromDay as number)) {
        out.push({ field: 'toDay', message: `窗口为空：结束日 ${String(v.toDay)} 早于开始日 ${String(v.fromDay)} (empty window: toDay before fromDay)` });
      }
      break;
    }
    case 'month_third':
      if (v.third !== 1 && v.third !== 2 && v.third !== 3) {
        out.push({ field: 'third', message: `旬应为 1（上旬 1–10 日）、2（中旬 11–20 日）或 3（下旬 21 日–月末） (third: 1, 2 or 3)，收到 ${JSON.stringify(v.third)}` });
      }
      break;
    case 'quarterly':
      intIn('withinDays', 1, MAX_WITHIN_DAYS.quarterly, '季度内的天数（最短的季度为 90 天）', true);
      break;
    case 'half_yearly':
      intIn('withinDays', 1, MAX_WITHIN_DAYS.half_yearly, '半年内的天数（最短的半年为 181 天）', true);
      break;
    case 'yearly': {
      const hasM = v.month !== undefined;
      const hasD = v.day !== undefined;
      if (hasM !== hasD) {
        out.push({ field: hasM ? 'day' : 'month', message: '月和日须同时给出或同时省略 (month and day go together; omit both for the whole year)' });
        break;
      }
      if (!hasM) break;
      const mOk = intIn('month', 1, 12, '月份');
      const dOk = intIn('day', 1, 31, '日');
      if (mOk && dOk) {
        const m = v.month as number;
        const d = v.day as number;
        if (m === 2 && d === 29) {
          out.push({ field: 'day', message: '2 月 29 日并非每年都有，每年重复的日期不能是它 (29 February is not in every year)' });
        } else if (d > daysInMonth(2001, m)) {
          out.push({ field: 'day', message: `${m} 月没有 ${d} 日 (no such day: ${m}/${d})` });
        }
      }
      break;
    }
    default:
      out.push({ field: 'type', message: `未知的周期类型：${JSON.stringify(v.type)} (unknown recurrence type; one of ${RECURRENCE_TYPES.join(', ')})` });
  }
  return out;
}

/** The recurrence itself when usable; otherwise a 400 listing every problem. */
export function assertRecurrence(r: unknown): Recurrence {
  const problems = checkRecurrence(r);
  if (problems.length) throw badInput(`周期规则无效：${problems[0]!.message}`, problems as ErrorDetail[]);
  return r as Recurrence;
}

/**
 * A window inside one fixed month ('2026-02', days 15–17): problems if a day is past that month's
 * end (30 February) or the window is empty. For one-off windows; recurring windows use checkRecurrence.
 */
export function checkMonthWindow(month: string, fromDay: number, toDay: number): Problem[] {
  if (!/^\d{4}-\d{2}$/.test(month) || !isIsoDate(`${month}-01`)) return [{ field: 'month', message: `月份应为 YYYY-MM (month: YYYY-MM)，收到 ${month}` }];
  const last = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  const out: Problem[] = [];
  for (const [f, x] of [['fromDay', fromDay], ['toDay', toDay]] as const) {
    if (!isInt(x) || x < 1) out.push({ field: f, message: `日应为正整数 (${f}: a positive integer)` });
    else if (x > last) out.push({ field: f, message: `${month} 没有 ${x} 日（该月只有 ${last} 天） (${f}: past the end of ${month})` });
  }
  if (!out.length && toDay < fromDay) out.push({ field: 'toDay', message: `窗口为空：结束日 ${toDay} 早于开始日 ${fromDay} (empty window)` });
  return out;
}

/** The DHIS2 period type a recurrence's occurrences roll up into. */
export function periodType(r: Recurrence): PeriodType {
  switch (r.type) {
    case 'daily': return 'daily';
    case 'weekly': return 'weekly';
    case 'monthly':
    case 'month_third': return 'monthly';
    case 'quarterly': return 'quarterly';
    case 'half_yearly': return 'sixmonthly';
    case 'yearly': return 'yearly';
  }
}

/** A short Chinese description ('每周一', '每月 15–17 日', '每月中旬'). */
export function describeRecurrence(r: Recurrence): string {
  switch (r.type) {
    case 'daily': return '每天';
    case 'weekly': return `每周${WEEKDAY_ZH[r.weekday] ?? '?'}`;
    case 'monthly': return r.fromDay === r.toDay ? `每月 ${r.fromDay} 日` : `每月 ${r.fromDay}–${r.toDay} 日`;
    case 'month_third': return `每月${['', '上旬', '中旬', '下旬'][r.third]}`;
    case 'quarterly': return r.withinDays ? `每季度（前 ${r.withinDays} 天内）` : '每季度';
    case 'half_yearly': return r.withinDays ? `每半年（前 ${r.withinDays} 天内）` : '每半年';
    case 'yearly': return r.month ? `每年 ${r.month} 月 ${r.day} 日` : '每年';
  }
}

/** The occurrence window inside the period that starts on `start` (of the recurrence's period type). */
function windowIn(r: Recurrence, start: string, end: string): { start: string; end: string } {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  switch (r.type) {
    case 'daily': return { start, end };
    case 'weekly': {
      const d = addDays(start, r.weekday - 1);
      return { start: d, end: d };
    }
    case 'monthly': return { start: ymd(y, m, r.fromDay), end: ymd(y, m, r.toDay) };
    case 'month_third': return thirdBounds(y, m, r.third);
    case 'quarterly':
    case 'half_yearly':
      return r.withinDays ? { start, end: addDays(start, r.withinDays - 1) } : { start, end };
    case 'yearly': {
      if (r.month === undefined || r.day === undefined) return { start, end };
      const d = ymd(y, r.month, r.day);
      return { start: d, end: d };
    }
  }
}

/**
 * Every occurrence whose window intersects [from, to] (inclusive), sorted by window and unique by
 * period. dueDate = windowEnd + graceDays. Throws 400 for a bad recurrence, dates, order, span or grace.
 */
export function occurrences(r: Recurrence, from: string, to: string, graceDays = 0): Occurrence[] {
  assertRecurrence(r);
  assertDay(from, 'from');
  assertDay(to, 'to');
  if (to < from) throw badInput(`结束日期 ${to} 早于开始日期 ${from} (to is before from)`, [{ field: 'to', message: '结束日期早于开始日期' }]);
  if (daysBetween(from, to) > MAX_SPAN_DAYS) {
    throw badInput(`时间跨度不能超过 ${MAX_SPAN_DAYS} 天 (span longer than ${MAX_SPAN_DAYS} days)`, [{ field: 'to', message: '时间跨度过长' }]);
  }
  if (!isInt(graceDays) || graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
    throw badInput(`宽限天数应为 0–${MAX_GRACE_DAYS} 的整数 (graceDays: an integer 0–${MAX_GRACE_DAYS})`, [{ field: 'graceDays', message: `收到 ${String(graceDays)}` }]);
  }
  const type = periodType(r);
  const out: Occurrence[] = [];
  let p = periodBounds(type, from);
  for (;;) {
    const w = windowIn(r, p.start, p.end);
    if (w.start <= to && w.end >= from) {
      const key = periodKey(type, p.start);
      out.push({
        period: r.type === 'month_third' ? `${key}T${r.third}` : key,
        windowStart: w.start,
        windowEnd: w.end,
        dueDate: addDays(w.end, graceDays),
      });
    }
    if (p.end >= to) break;
    p = periodBounds(type, addDays(p.end, 1));
  }
  return out;
}
