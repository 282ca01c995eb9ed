// The only place with score queries. The facts of each village-month are computed from the raw
// records by one grouped query per month and kept in score_fact; triggers log changed
// county-months in score_dirty (migration 0013), and `refresh` recomputes exactly those, plus
// any whose facts would change by the clock alone (a case or task falling due: score_month.stale_at).
// The conditions that define each fact are written once (FACT_SQL) and serve both the counts and
// the drill-down lists, so a number and its records always agree.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { FACT_KEYS, type FactKey, type Facts, type RecordKind } from './facts.js';

/** A month as its first day, 'YYYY-MM-01'. */
export type Month = string;

/** The first instant of a China calendar day (UTC+8). */
const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const monthStart = (m: Month) => chinaMidnight(m);
export function nextMonth(m: Month): Month {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
}
const lastDay = (m: Month) => new Date(chinaMidnight(nextMonth(m)).getTime() - 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);

// ------------------------------------------------------------------ fact definitions

interface Asof { at: string; day: string }
const reg = sql`(c.registered_at IS NOT NULL AND c.state <> 'refused')`;
const fixTime = sql`COALESCE(c.fixed_at, c.closed_at)`;

/** Each case fact as a condition on case_file c (the case cohort of the month). */
const CASE_SQL = (a: Asof): Record<string, SQL> => ({
  cases_reported: sql`true`,
  cases_refused: sql`c.state = 'refused'`,
  cases_registered: reg,
  cases_due: sql`${reg} AND (${fixTime} IS NOT NULL OR c.due_at <= ${a.at})`,
  cases_fixed: sql`${reg} AND ${fixTime} IS NOT NULL`,
  cases_fixed_on_time: sql`${reg} AND ${fixTime} IS NOT NULL AND (c.due_at IS NULL OR ${fixTime} <= c.due_at)`,
  cases_overdue: sql`${reg} AND ${fixTime} IS NULL AND c.due_at < ${a.at}`,
  cases_reworked: sql`${reg} AND c.rework_count > 0`,
  cases_closed: sql`c.state = 'closed'`,
  // the 12345 rates over residents' reports (p: public_report, left-joined)
  public_reports: sql`p.id IS NOT NULL`,
  public_responded: sql`p.responded_at IS NOT NULL AND p.responded_at <= c.reported_at + interval '24 hours'`,
  public_handled: sql`p.id IS NOT NULL AND ${reg}`,
  public_resolved: sql`p.id IS NOT NULL AND c.state = 'closed'`,
  public_rated: sql`p.rating IS NOT NULL`,
  public_satisfied: sql`p.rating IN ('satisfied', 'basically')`,
});
/** Cases with their resident report, if any: CASE_SQL's conditions read both. */
const CASES = sql`case_file c LEFT JOIN public_report p ON p.case_id = c.id`;
/** Each task fact as a condition on routine_task t (the tasks due in the month). */
const TASK_SQL = (a: Asof): Record<string, SQL> => ({
  tasks_due: sql`(t.done_at IS NOT NULL OR t.due_date < ${a.day})`,
  tasks_done: sql`t.done_at IS NOT NULL`,
  tasks_on_time: sql`t.on_time IS TRUE`,
  cleaning_days: sql`t.plan_id IN (SELECT id FROM routine_plan WHERE kind = 'cleaning_day')`,
});

/** The villages of some counties, with every area under them mapped to its village. */
const villageMap = (counties: SQL) => sql`SELECT a.id AS area_id,
    CASE a.level_key WHEN 'village' THEN a.id WHEN 'grid' THEN a.parent_id ELSE p.parent_id END AS village_id
  FROM area a LEFT JOIN area p ON p.id = a.parent_id
  WHERE a.level_key IN ('village', 'grid', 'micro_grid') AND ${counties}`;

const inList = (col: SQL, values: string[]) => {
  const real = values.filter((v) => v !== '');
  const parts: SQL[] = [];
  if (real.length) parts.push(sql`${col} IN (${sql.join(real.map((v) => sql`${v}`), sql`, `)})`);
  if (real.length < values.length) parts.push(sql`${col} IS NULL`);
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
};

// ------------------------------------------------------------------ recomputing

const asofOf = (now: Date): Asof => ({ at: now.toISOString(), day: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10) });

/**
 * One grouped query over the raw records: per village of these counties, its facts for the month
 * as of `now`, and when they would next change by the clock alone (next_case, next_task).
 */
function factsQuery(month: Month, counties: string[], now: Date): SQL {
  const a = asofOf(now);
  const from = monthStart(month).toISOString();
  const to = monthStart(nextMonth(month)).toISOString();
  const [first, last] = [month, lastDay(month)];
  const counts = (defs: Record<string, SQL>) => sql.join(Object.entries(defs).map(([k, cond]) => sql`count(*) FILTER (WHERE ${cond}) AS ${sql.raw(k)}`), sql`, `);
  return sql`
    WITH vmap AS MATERIALIZED (${villageMap(inList(sql`a.county_code`, counties))}),
    c AS (
      SELECT m.village_id, ${counts(CASE_SQL(a))},
        min(c.due_at) FILTER (WHERE ${reg} AND ${fixTime} IS NULL AND c.due_at >= ${a.at}) AS next_case
      FROM ${CASES} JOIN vmap m ON m.area_id = c.area_id
      WHERE c.reported_at >= ${from} AND c.reported_at < ${to} AND ${inList(sql`c.county_code`, counties)}
      GROUP BY m.village_id),
    tk AS (
      SELECT t.id, m.village_id, t.plan_id, t.done_at, t.due_date, t.on_time
      FROM routine_task t JOIN vmap m ON m.area_id = t.area_id
      WHERE t.due_date >= ${first} AND t.due_date <= ${last} AND ${inList(sql`t.county_code`, counties)}),
    t AS (
      SELECT village_id, ${counts(TASK_SQL(a))}, min(t.due_date) FILTER (WHERE t.done_at IS NULL AND t.due_date >= ${a.day}) AS next_task
      FROM tk t GROUP BY village_id),
    r AS (
      SELECT tk.village_id, count(*) AS checklist_count, sum(r.percent) AS checklist_percent_sum
      FROM task_result r JOIN tk ON tk.id = r.task_id WHERE r.percent IS NOT NULL GROUP BY tk.village_id),
    o AS (
      SELECT tk.village_id, count(*) AS cleaning_signed_up, count(*) FILTER (WHERE o.signed_in_at IS NOT NULL) AS cleaning_present
      FROM cleaning_turnout o JOIN tk ON tk.id = o.task_id GROUP BY tk.village_id),
    v AS (
      SELECT m.village_id, count(*) AS observation_count, sum(v.score) AS observation_score_sum
      FROM observation_visit v JOIN routine_task t ON t.id = v.task_id JOIN vmap m ON m.area_id = v.village_id
      WHERE v.score IS NOT NULL AND t.due_date >= ${first} AND t.due_date <= ${last} GROUP BY m.village_id),
    ids AS (SELECT village_id FROM c UNION SELECT village_id FROM t UNION SELECT village_id FROM r
      UNION SELECT village_id FROM o UNION SELECT village_id FROM v)
    SELECT ids.village_id, COALESCE(va.county_code, '') AS county_code,
      ${sql.raw(FACT_KEYS.map((k) => `COALESCE(${k}, 0) AS ${k}`).join(', '))},
      c.next_case, t.next_task::text AS next_task
    FROM ids JOIN area va ON va.id = ids.village_id
      LEFT JOIN c USING (village_id) LEFT JOIN t USING (village_id) LEFT JOIN r USING (village_id)
      LEFT JOIN o USING (village_id) LEFT JOIN v USING (village_id)
    WHERE ids.village_id IS NOT NULL`;
}

/** Recomputes the facts of these counties for one month, as of `now`. Returns when they next change by the clock alone. */
async function recomputeMonth(tx: Db, month: Month, counties: string[], now: Date): Promise<Date | null> {
  await tx.execute(sql`DELETE FROM score_fact WHERE month = ${month} AND county_code IN (${sql.join(counties.map((c) => sql`${c}`), sql`, `)})`);
  const [r] = await rows<{ next_case: unknown; next_task: string | null }>(tx, sql`
    WITH q AS (${factsQuery(month, counties, now)}),
    ins AS (INSERT INTO score_fact (village_id, month, county_code, ${sql.raw(FACT_KEYS.join(', '))})
      SELECT village_id, ${month}, county_code, ${sql.raw(FACT_KEYS.join(', '))} FROM q RETURNING 1)
    SELECT (SELECT min(next_case) FROM q) AS next_case, (SELECT min(next_task) FROM q) AS next_task, (SELECT count(*) FROM ins) AS inserted`);
  const nextCase = toDate(r?.next_case ?? null);
  // a task not done falls due when its due day is over (China midnight after it)
  const nextTask = r?.next_task ? new Date(chinaMidnight(r.next_task).getTime() + 86400_000) : null;
  const candidates = [nextCase, nextTask].filter((d): d is Date => d !== null);
  return candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
}

/**
 * Brings the facts of these county-months up to date: recomputes what was never computed, what the
 * clock has made stale, and every computed county-month the change log names. One refresher at a
 * time (an advisory lock), and the log rows it read are deleted only after their months are
 * recomputed in the same transaction, so no change is ever lost.
 */
export async function refresh(db: Db, wanted: { counties: string[]; months: Month[]; allStale?: boolean }, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(730521)`);
    // One grouped query over a month of a city's records costs more to JIT-compile than to run.
    await tx.execute(sql`SET LOCAL jit = off`);
    const dirty = await rows<{ id: string; county: string; month: string }>(tx,
      sql`SELECT id::text, county_code AS county, month::text FROM score_dirty ORDER BY id LIMIT 200000`);
    const known = await rows<{ county: string; month: string; stale: boolean }>(tx, sql`SELECT county_code AS county, month::text,
        (stale_at IS NOT NULL AND stale_at <= ${now.toISOString()}) AS stale FROM score_month`);
    const computed = new Map(known.map((k) => [`${k.county}|${k.month}`, k.stale]));
    const toRecompute = new Set<string>();
    for (const d of dirty) if (computed.has(`${d.county}|${d.month}`)) toRecompute.add(`${d.county}|${d.month}`);
    if (wanted.allStale) for (const [k, stale] of computed) if (stale) toRecompute.add(k);
    for (const c of wanted.counties) for (const m of wanted.months) {
      const k = `${c}|${m}`;
      if (!computed.has(k) || computed.get(k)) toRecompute.add(k);
    }
    const byMonth = new Map<string, string[]>();
    for (const k of toRecompute) {
      const [c, m] = k.split('|') as [string, string];
      byMonth.set(m, [...(byMonth.get(m) ?? []), c]);
    }
    for (const [m, counties] of byMonth) {
      const staleAt = await recomputeMonth(tx, m, counties, now);
      for (const c of counties) {
        // computed_at is the real clock (not the as-of time): it stamps the kept facts for the scored-scope cache.
        await tx.execute(sql`INSERT INTO score_month (county_code, month, computed_at, stale_at) VALUES (${c}, ${m}, clock_timestamp(), ${staleAt?.toISOString() ?? null})
          ON CONFLICT (county_code, month) DO UPDATE SET computed_at = EXCLUDED.computed_at, stale_at = EXCLUDED.stale_at`);
      }
    }
    if (dirty.length) await tx.execute(sql`DELETE FROM score_dirty WHERE id = ANY(${`{${dirty.map((d) => d.id).join(',')}}`}::bigint[])`);
    return toRecompute.size;
  });
}

/** The county codes of the villages under a scope ('' for villages without one). */
export async function countiesUnder(db: Db, scopePath: string): Promise<string[]> {
  const list = await rows<{ c: string }>(db, sql`SELECT DISTINCT COALESCE(county_code, '') AS c FROM area
    WHERE path LIKE ${`${scopePath}%`} AND level_key = 'village'`);
  return list.map((r) => r.c);
}

// ------------------------------------------------------------------ reading

export interface VillageFacts { id: number; code: string; name: string; path: string; parentId: number | null; facts: Facts }

/** Every village under the scope with its facts summed over the months (archived villages only when they have facts). */
export async function villageFacts(db: Db, scopePath: string, months: Month[]): Promise<VillageFacts[]> {
  const sums = sql.raw(FACT_KEYS.map((k) => `COALESCE(sum(f.${k}), 0) AS ${k}`).join(', '));
  const list = await rows<Record<string, unknown>>(db, sql`
    SELECT v.id, v.code, v.name, v.path, v.parent_id AS "parentId", count(f.village_id) AS n, v.archived_at IS NOT NULL AS archived, ${sums}
    FROM area v LEFT JOIN score_fact f ON f.village_id = v.id
      AND ${months.length ? sql`f.month IN (${sql.join(months.map((m) => sql`${m}`), sql`, `)})` : sql`false`}
    WHERE v.path LIKE ${`${scopePath}%`} AND v.level_key = 'village'
    GROUP BY v.id ORDER BY v.code`);
  return list.filter((r) => !r.archived || Number(r.n) > 0).map((r) => ({
    id: Number(r.id), code: String(r.code), name: String(r.name), path: String(r.path),
    parentId: r.parentId == null ? null : Number(r.parentId),
    facts: Object.fromEntries(FACT_KEYS.map((k) => [k, Number(r[k])])) as Facts,
  }));
}

/** The same facts straight from the raw records, without score_fact: the benchmark's baseline and the tests' check. */
export async function villageFactsRaw(db: Db, scopePath: string, months: Month[], now: Date): Promise<Map<number, Facts>> {
  const out = new Map<number, Facts>();
  const counties = await countiesUnder(db, scopePath);
  for (const m of months) {
    for (const r of await rows<Record<string, unknown>>(db, factsQuery(m, counties, now))) {
      const id = Number(r.village_id);
      const prev = out.get(id);
      out.set(id, Object.fromEntries(FACT_KEYS.map((k) => [k, Number(r[k]) + (prev?.[k] ?? 0)])) as Facts);
    }
  }
  return out;
}

/**
 * A stamp of everything a scope's scores are computed from: the kept facts of its county-months,
 * the indicators, the other-work scores, the settings, the weight sets and the areas. Equal stamps,
 * equal scores (the service caches on it).
 */
export async function scoresStamp(db: Db, scopePath: string, counties: string[], months: Month[]): Promise<string> {
  const inCounties = counties.length ? sql`county_code IN (${sql.join(counties.map((c) => sql`${c}`), sql`, `)})` : sql`false`;
  const monthList = sql.join(months.map((m) => sql`${m}`), sql`, `);
  const [r] = await rows<Record<string, unknown>>(db, sql`SELECT
      (SELECT COALESCE(max(computed_at)::text, '') || '/' || count(*) FROM score_month WHERE ${inCounties} AND month IN (${monthList})) AS facts,
      (SELECT COALESCE(max(updated_at)::text, '') || '/' || count(*) FROM score_indicator) AS indicators,
      (SELECT COALESCE(max(o.entered_at)::text, '') || '/' || count(*) FROM score_other o JOIN area v ON v.id = o.village_id
        WHERE v.path LIKE ${`${scopePath}%`} AND o.month IN (${monthList})) AS other,
      (SELECT COALESCE(max(updated_at)::text, '') FROM setting WHERE key = 'scores') AS settings,
      (SELECT COALESCE(max(id), 0) || '/' || count(*) FROM score_weight_set) AS weights,
      (SELECT COALESCE(max(updated_at)::text, '') || '/' || count(*) FROM area WHERE path LIKE ${`${scopePath}%`}) AS areas`);
  return JSON.stringify(r);
}

/** When the facts of these county-months were computed and whether any is waiting for a recompute. */
export async function freshness(db: Db, counties: string[], months: Month[]): Promise<Date | null> {
  const [r] = await rows<{ at: unknown }>(db, sql`SELECT min(computed_at) AS at FROM score_month
    WHERE county_code IN (${sql.join(counties.map((c) => sql`${c}`), sql`, `)}) AND month IN (${sql.join(months.map((m) => sql`${m}`), sql`, `)})`);
  return toDate(r?.at ?? null);
}

// ------------------------------------------------------------------ the records behind a number

export interface RecordList { kind: RecordKind; total: number; items: Record<string, unknown>[] }

/** The records a fact counts, for the villages under a scope and the months: every number leads to its records. */
export async function recordsOf(db: Db, scopePath: string, months: Month[], fact: FactKey, now: Date, limit: number): Promise<RecordList> {
  const a = asofOf(now);
  const scope = sql`SELECT a.id AS area_id FROM area a WHERE a.path LIKE ${`${scopePath}%`}
    AND (a.level_key IN ('grid', 'micro_grid') OR a.level_key = 'village')`;
  const monthRanges = (col: SQL, asDates: boolean) => sql`(${sql.join(months.map((m) => asDates
    ? sql`(${col} >= ${m} AND ${col} <= ${lastDay(m)})`
    : sql`(${col} >= ${monthStart(m).toISOString()} AND ${col} < ${monthStart(nextMonth(m)).toISOString()})`), sql` OR `)})`;
  const cs = CASE_SQL(a);
  if (fact in cs) {
    const where = sql`c.area_id IN (${scope}) AND ${monthRanges(sql`c.reported_at`, false)} AND ${cs[fact]!}`;
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${CASES} WHERE ${where}`);
    const items = await rows(db, sql`SELECT c.id, c.no, c.state, c.description, c.reported_at AS "reportedAt", c.due_at AS "dueAt",
        c.fixed_at AS "fixedAt", c.closed_at AS "closedAt", c.rework_count AS "reworkCount", a.name AS "areaName", cat.name AS "categoryName"
      FROM ${CASES} JOIN area a ON a.id = c.area_id JOIN case_category cat ON cat.id = c.category_id
      WHERE ${where} ORDER BY c.reported_at, c.id LIMIT ${limit}`);
    return { kind: 'cases', total: Number(n!.n), items };
  }
  const taskScope = sql`t.area_id IN (${scope}) AND ${monthRanges(sql`t.due_date`, true)}`;
  const ts = TASK_SQL(a);
  const taskCols = sql`t.id, t.period, t.due_date::text AS "dueDate", t.done_at AS "doneAt", t.on_time AS "onTime",
    p.name AS "planName", a.name AS "areaName", u.display_name AS "userName"`;
  const taskJoins = sql`routine_task t JOIN routine_plan p ON p.id = t.plan_id JOIN area a ON a.id = t.area_id LEFT JOIN app_user u ON u.id = t.user_id`;
  let from: SQL;
  let cols: SQL;
  let kind: RecordKind;
  if (fact in ts) {
    kind = 'tasks';
    from = sql`${taskJoins} WHERE ${taskScope} AND ${ts[fact]!}`;
    cols = taskCols;
  } else if (fact === 'checklist_count' || fact === 'checklist_percent_sum') {
    kind = 'results';
    from = sql`${taskJoins} JOIN task_result r ON r.task_id = t.id WHERE ${taskScope} AND r.percent IS NOT NULL`;
    cols = sql`${taskCols}, r.percent, r.submitted_at AS "submittedAt"`;
  } else if (fact === 'cleaning_signed_up' || fact === 'cleaning_present') {
    kind = 'turnout';
    from = sql`${taskJoins} JOIN cleaning_turnout o ON o.task_id = t.id WHERE ${taskScope}
      ${fact === 'cleaning_present' ? sql`AND o.signed_in_at IS NOT NULL` : sql``}`;
    cols = sql`${taskCols}, o.name AS "personName", o.kind AS "personKind", o.signed_in_at AS "signedInAt"`;
  } else {
    kind = 'visits';
    from = sql`observation_visit v JOIN routine_task t ON t.id = v.task_id JOIN routine_plan p ON p.id = t.plan_id
      JOIN area a ON a.id = v.village_id LEFT JOIN app_user u ON u.id = v.visited_by
      WHERE v.village_id IN (${scope}) AND ${monthRanges(sql`t.due_date`, true)} AND v.score IS NOT NULL`;
    cols = sql`${taskCols}, v.score, v.visited_at AS "visitedAt", v.note`;
  }
  const [n] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${from}`);
  const items = await rows(db, sql`SELECT ${cols} FROM ${from} ORDER BY t.due_date, t.id LIMIT ${limit}`);
  return { kind, total: Number(n!.n), items };
}
