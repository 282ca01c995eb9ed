// The working calendar: yearly exceptions an administrator can edit, the working hours, and the
// deadline convenience the case service uses (`dueFor`).
import type { Db } from '../../db/client.js';
import { badInput, forbidden } from '../../lib/errors.js';
import { isIsoDate, todayInChina } from '../../lib/dates.js';
import { isGlobal, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as repo from './calendar.repository.js';
import { cached, currentGeneration, invalidateCalendar, remember } from './calendar.cache.js';
import { hasSeed, seedExceptions, seedFor, seedYears } from './calendar.seed.js';
import {
  checkHours, computeDue, DEFAULT_HOURS, isWeekend, makeCalendar, monthView, weekdayOf, workingTimeBetween,
  type DeadlineUnit, type WorkCalendar, type WorkingHours,
} from './deadline.rules.js';

export const HOURS_KEY = 'calendar.hours';
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

// ------------------------------------------------------------------ for other modules

async function loadHours(db: Db): Promise<WorkingHours> {
  const stored = await repo.getSetting<WorkingHours>(db, HOURS_KEY);
  return stored && checkHours(stored).length === 0 ? stored : DEFAULT_HOURS;
}

/** The calendar (exceptions and working hours), cached in-process and reloaded after any change. */
export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const hit = cached(db);
  if (hit) return hit;
  const gen = currentGeneration();
  const cal = makeCalendar(await repo.listAll(db), await loadHours(db));
  remember(db, cal, gen);
  return cal;
}

/** When something started at `start` with a limit of `amount` `unit`s is due, on the stored calendar. */
export async function dueFor(db: Db, start: Date, amount: number, unit: DeadlineUnit): Promise<Date> {
  return computeDue(start, amount, unit, await loadCalendar(db));
}

/** Working hours between two instants on the stored calendar (negative when `to` is earlier). */
export async function workingHoursBetween(db: Db, from: Date, to: Date): Promise<number> {
  return workingTimeBetween(from, to, await loadCalendar(db));
}

// ------------------------------------------------------------------ access

/** The calendar is the whole install's: settings.manage is global, so the actor arrives with a global grant. */
async function assertCalendarAdmin(_db: Db, actor: Actor) {
  if (!isGlobal(actor)) throw forbidden('工作日历是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
}

// ------------------------------------------------------------------ reading

function checkYear(year: number) {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw badInput(`年份应在 ${MIN_YEAR} 到 ${MAX_YEAR} 之间，收到 ${year} (year out of range)`, [{ field: 'year', message: `${MIN_YEAR}..${MAX_YEAR}` }]);
  }
}

function checkDay(day: string) {
  if (!isIsoDate(day)) throw badInput(`日期应写作 YYYY-MM-DD 的真实日期，收到 "${day}" (bad date)`, [{ field: 'day', message: 'YYYY-MM-DD' }]);
  checkYear(Number(day.slice(0, 4)));
}

const seedRange = () => { const y = seedYears(); return { from: y[0] ?? null, to: y[y.length - 1] ?? null }; };

export async function getYear(db: Db, year: number = Number(todayInChina().slice(0, 4))) {
  checkYear(year);
  const rows = await repo.listRange(db, `${year}-01-01`, `${year}-12-31`);
  return {
    year,
    hours: await loadHours(db),
    // Whether the holiday package has this year's published schedule; if not, add the days by hand.
    seedAvailable: hasSeed(year),
    seedYears: seedRange(),
    days: rows.map((r) => ({ day: r.day, weekday: weekdayOf(r.day), workday: r.workday, name: r.name, source: r.source })),
  };
}

export async function getMonth(db: Db, month: string = todayInChina().slice(0, 7)) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw badInput(`月份应写作 YYYY-MM，收到 "${month}" (bad month)`, [{ field: 'month', message: 'YYYY-MM' }]);
  checkYear(Number(month.slice(0, 4)));
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const rows = await repo.listRange(db, `${month}-01`, last);
  const source = new Map(rows.map((r) => [r.day, r.source]));
  const cal = makeCalendar(rows, await loadHours(db));
  return {
    month,
    hours: cal.hours,
    seedAvailable: hasSeed(Number(month.slice(0, 4))),
    days: monthView(cal, month).map((d) => ({ day: d.day, weekday: d.weekday, workday: d.workday, name: d.name, source: source.get(d.day) ?? null })),
    workdays: monthView(cal, month).filter((d) => d.workday).length,
  };
}

export const getHours = (db: Db) => loadHours(db);

// ------------------------------------------------------------------ changing

const view = (day: string, r: { workday: boolean; name: string | null; source: string } | undefined) => ({
  day, weekday: weekdayOf(day), workday: r?.workday ?? !isWeekend(day), name: r?.name ?? null, source: r?.source ?? null,
});

/** Sets one day (a holiday on a weekday, a worked weekend, or an ordinary day overriding the seed). */
export async function setDay(db: Db, actor: Actor, day: string, input: { workday: boolean; name?: string | null }) {
  checkDay(day);
  if (typeof input.workday !== 'boolean') throw badInput('workday 应为 true 或 false', [{ field: 'workday', message: 'boolean' }]);
  const name = input.name?.trim() || null;
  if (name && name.length > 50) throw badInput('名称不超过 50 字 (name too long)', [{ field: 'name', message: 'max 50' }]);
  await assertCalendarAdmin(db, actor);
  const out = await db.transaction(async (tx) => {
    const before = await repo.findDayForUpdate(tx, day);
    await repo.upsertDay(tx, { day, workday: input.workday, name, source: 'admin', updatedBy: actor.id });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'calendar.set', entity: 'work_calendar', entityId: day,
      before: before ? { workday: before.workday, name: before.name, source: before.source } : null, after: { workday: input.workday, name, source: 'admin' } });
    return view(day, { workday: input.workday, name, source: 'admin' });
  });
  invalidateCalendar();
  return out;
}

/** Puts a day back to its default: the published schedule's value if it has one, else weekday/weekend. */
export async function resetDay(db: Db, actor: Actor, day: string) {
  checkDay(day);
  await assertCalendarAdmin(db, actor);
  const seed = seedFor(day);
  const out = await db.transaction(async (tx) => {
    const before = await repo.findDayForUpdate(tx, day);
    const same = seed ? before?.source === 'seed' && before.workday === seed.workday && before.name === seed.name : !before;
    if (same) return view(day, before);
    await repo.deleteDay(tx, day);
    if (seed) await repo.upsertDay(tx, { day, workday: seed.workday, name: seed.name, source: 'seed', updatedBy: null });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'calendar.reset', entity: 'work_calendar', entityId: day,
      before: before ? { workday: before.workday, name: before.name, source: before.source } : null,
      after: seed ? { workday: seed.workday, name: seed.name, source: 'seed' } : null });
    return view(day, seed ? { ...seed, source: 'seed' } : undefined);
  });
  invalidateCalendar();
  return out;
}

/** Re-applies a year's published schedule: missing days added, seed rows refreshed, administrators' rows kept. */
export async function reseed(db: Db, actor: Actor, year: number) {
  checkYear(year);
  await assertCalendarAdmin(db, actor);
  if (!hasSeed(year)) {
    const r = seedRange();
    throw badInput(`节假日数据包（chinese-days）尚无 ${year} 年的安排（现有 ${r.from}–${r.to} 年）：请在日历上逐日设置，或更新该数据包 (no published schedule for ${year})`,
      [{ field: 'year', message: 'no seed data' }], 'NO_SEED_DATA');
  }
  const list = seedExceptions(year);
  const out = await db.transaction(async (tx) => {
    const changed = await repo.refreshSeed(tx, list);
    const rows = await repo.listRange(tx, `${year}-01-01`, `${year}-12-31`);
    const kept = rows.filter((r) => r.source === 'admin').map((r) => r.day);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'calendar.reseed', entity: 'work_calendar', entityId: String(year),
      after: { changed, keptAdmin: kept } });
    return { year, seedDays: list.length, changed: changed.length, keptAdmin: kept.length };
  });
  invalidateCalendar();
  return out;
}

export async function setHours(db: Db, actor: Actor, hours: WorkingHours) {
  const details = checkHours(hours);
  if (details.length) throw badInput(`工作时间设置有误：${details.map((d) => d.message).join('；')}`, details);
  await assertCalendarAdmin(db, actor);
  const clean: WorkingHours = { morning: { start: hours.morning.start, end: hours.morning.end }, afternoon: { start: hours.afternoon.start, end: hours.afternoon.end } };
  const out = await db.transaction(async (tx) => {
    const before = await loadHours(tx);
    await repo.putSetting(tx, HOURS_KEY, clean);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'calendar.hours', entity: 'setting', entityId: HOURS_KEY, before, after: clean });
    return clean;
  });
  invalidateCalendar();
  return out;
}
