// The yearly exceptions from the `chinese-days` package (the State Council's published holiday
// schedule): public holidays that fall on weekdays (workday false, named) and the make-up working
// weekends (调休, workday true, named e.g. '国庆节调休'). Holidays on a weekend are rest days anyway
// and are not stored. The package covers the years whose schedule has been published (2004 to the
// current release's last year); later years are added when the package is updated, or by hand.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Db } from '../../db/client.js';
import { isWeekend } from './deadline.rules.js';
import * as repo from './calendar.repository.js';
import { invalidateCalendar } from './calendar.cache.js';

interface ChineseDays {
  holidays: Record<string, string>; // day → "National Day,国庆节,3"
  workdays: Record<string, string>; // day → the holiday the weekend is worked for
}

let data: ChineseDays | null = null;
function load(): ChineseDays {
  // The package documents this JSON file as its data; reading it avoids its date library.
  if (!data) {
    const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as ChineseDays;
  }
  return data;
}

const zhName = (v: string) => v.split(',')[1]?.trim() || v;

export interface SeedDay { day: string; workday: boolean; name: string }

/** The years the package has a published schedule for, ascending. */
export function seedYears(): number[] {
  return [...new Set(Object.keys(load().holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
}

export const hasSeed = (year: number) => seedYears().includes(year);

/** The exceptions of one year, by day; empty when the package has no schedule for it. */
export function seedExceptions(year: number): SeedDay[] {
  const d = load();
  const prefix = `${year}-`;
  const out: SeedDay[] = [];
  for (const [day, v] of Object.entries(d.holidays)) {
    if (day.startsWith(prefix) && !isWeekend(day)) out.push({ day, workday: false, name: zhName(v) });
  }
  for (const [day, v] of Object.entries(d.workdays)) {
    if (day.startsWith(prefix) && isWeekend(day)) out.push({ day, workday: true, name: `${zhName(v)}调休` });
  }
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

/** The seed exception of one day, if the package has one. */
export function seedFor(day: string): SeedDay | undefined {
  return seedExceptions(Number(day.slice(0, 4))).find((s) => s.day === day);
}

/**
 * Adds the package's exceptions for the given years where no row exists yet. Rows already there,
 * above all those an administrator set (source 'admin'), are never overwritten.
 */
export async function ensureCalendar(db: Db, years: number[]): Promise<{ inserted: number; years: number[]; missing: number[] }> {
  const covered = new Set(seedYears());
  let inserted = 0;
  const done: number[] = [];
  const missing: number[] = [];
  for (const y of [...new Set(years)].sort()) {
    if (!covered.has(y)) { missing.push(y); continue; }
    inserted += await repo.insertSeed(db, seedExceptions(y));
    done.push(y);
  }
  if (inserted > 0) invalidateCalendar();
  return { inserted, years: done, missing };
}
