// The only place with calendar queries: the stored exceptions (work_calendar) and the working
// hours (a row in `setting`).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';

export interface CalendarRow { day: string; workday: boolean; name: string | null; source: string; updatedBy: number | null; updatedAt: Date }

const COLS = sql`day::text AS day, workday, name, source, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

export async function listRange(db: Db, from: string, to: string): Promise<CalendarRow[]> {
  return rows<CalendarRow>(db, sql`SELECT ${COLS} FROM work_calendar WHERE day BETWEEN ${from}::date AND ${to}::date ORDER BY day`);
}

/** Every stored exception (a few dozen rows a year). */
export async function listAll(db: Db): Promise<{ day: string; workday: boolean; name: string | null }[]> {
  return rows(db, sql`SELECT day::text AS day, workday, name FROM work_calendar ORDER BY day`);
}

export async function findDayForUpdate(tx: Db, day: string): Promise<CalendarRow | undefined> {
  const [r] = await rows<CalendarRow>(tx, sql`SELECT ${COLS} FROM work_calendar WHERE day = ${day}::date FOR UPDATE`);
  return r;
}

export async function upsertDay(tx: Db, d: { day: string; workday: boolean; name: string | null; source: 'seed' | 'admin'; updatedBy: number | null }): Promise<void> {
  await tx.execute(sql`INSERT INTO work_calendar (day, workday, name, source, updated_by, updated_at)
    VALUES (${d.day}::date, ${d.workday}, ${d.name}, ${d.source}, ${d.updatedBy}, now())
    ON CONFLICT (day) DO UPDATE SET workday = EXCLUDED.workday, name = EXCLUDED.name, source = EXCLUDED.source,
      updated_by = EXCLUDED.updated_by, updated_at = now()`);
}

export async function deleteDay(tx: Db, day: string): Promise<void> {
  await tx.execute(sql`DELETE FROM work_calendar WHERE day = ${day}::date`);
}

/** Inserts seed rows where the day has none; returns how many were added. */
export async function insertSeed(db: Db, list: { day: string; workday: boolean; name: string }[]): Promise<number> {
  if (list.length === 0) return 0;
  const added = await rows<{ day: string }>(db, sql`INSERT INTO work_calendar (day, workday, name, source)
    VALUES ${sql.join(list.map((d) => sql`(${d.day}::date, ${d.workday}, ${d.name}, 'seed')`), sql`, `)}
    ON CONFLICT (day) DO NOTHING RETURNING day`);
  return added.length;
}

/**
 * Re-applies the package's exceptions of a year: adds missing days and refreshes seed rows whose
 * value differs; rows set by an administrator (source 'admin') are left alone. Returns the days
 * added or changed.
 */
export async function refreshSeed(tx: Db, list: { day: string; workday: boolean; name: string }[]): Promise<string[]> {
  if (list.length === 0) return [];
  const changed = await rows<{ day: string }>(tx, sql`INSERT INTO work_calendar AS w (day, workday, name, source)
    VALUES ${sql.join(list.map((d) => sql`(${d.day}::date, ${d.workday}, ${d.name}, 'seed')`), sql`, `)}
    ON CONFLICT (day) DO UPDATE SET workday = EXCLUDED.workday, name = EXCLUDED.name, updated_by = NULL, updated_at = now()
      WHERE w.source = 'seed' AND (w.workday IS DISTINCT FROM EXCLUDED.workday OR w.name IS DISTINCT FROM EXCLUDED.name)
    RETURNING day::text AS day`);
  return changed.map((r) => r.day);
}

export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const [r] = await rows<{ value: T }>(db, sql`SELECT value FROM setting WHERE key = ${key}`);
  return r?.value;
}

export async function putSetting(tx: Db, key: string, value: unknown): Promise<void> {
  await tx.execute(sql`INSERT INTO setting (key, value, updated_at) VALUES (${key}, ${JSON.stringify(value)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`);
}
