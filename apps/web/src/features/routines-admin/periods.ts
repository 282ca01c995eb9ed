// DHIS2 period keys for the report pickers (the same forms as the API's periods.rules.ts, which the
// web does not import): daily yyyyMMdd, weekly yyyyWn (ISO week and week-year, no leading zero),
// monthly yyyyMM, quarterly yyyyQn, sixmonthly yyyySn, yearly yyyy. Dates are 'YYYY-MM-DD'.
import type { Recurrence } from './api';

export type PeriodType = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'sixmonthly' | 'yearly';
export const PERIOD_TYPES: readonly PeriodType[] = ['daily', 'weekly', 'monthly', 'quarterly', 'sixmonthly', 'yearly'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ms = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const addDays = (day: string, n: number) => new Date(ms(day) + n * 86_400_000).toISOString().slice(0, 10);

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(ms(day)).getUTCDay();
  return w === 0 ? 7 : w;
}
/** The ISO-8601 week of a day: the year of that week's Thursday, and the week number. */
export function isoWeek(day: string): { year: number; week: number } {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  return { year, week: Math.floor((ms(thursday) - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1 };
}

/** The DHIS2 key of the period of this type that holds the day. */
export function periodKey(type: PeriodType, day: string): string {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  switch (type) {
    case 'daily': return day.replaceAll('-', '');
    case 'weekly': { const w = isoWeek(day); return `${pad(w.year, 4)}W${w.week}`; }
    case 'monthly': return y + pad(m);
    case 'quarterly': return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
    case 'sixmonthly': return `${y}S${m <= 6 ? 1 : 2}`;
    case 'yearly': return y;
  }
}

/** The period type a plan's tasks roll up into (a month for the thirds). */
export function planPeriodType(r: Recurrence | undefined): PeriodType {
  switch (r?.type) {
    case 'daily': return 'daily';
    case 'weekly': return 'weekly';
    case 'quarterly': return 'quarterly';
    case 'half_yearly': return 'sixmonthly';
    case 'yearly': return 'yearly';
    default: return 'monthly';
  }
}

/** Report period types no shorter than the plan's own (a monthly plan has no daily completeness). */
export function reportTypesFor(r: Recurrence | undefined): PeriodType[] {
  const own = PERIOD_TYPES.indexOf(planPeriodType(r));
  return PERIOD_TYPES.filter((_, i) => i >= own);
}
