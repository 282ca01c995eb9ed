// bulletin.town.day: building one day's bulletin (每天通报) for the demo town with a year of
// generated cases behind it (~15 a day over its 369 grids and micro-grids, a realistic mix of
// states: mostly closed, a fifth of them late, 1.5% stuck past due, 5% refused, 8% reworked).
import { rows, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import * as areasRepo from '../apps/api/src/modules/areas/areas.repository.js';
import * as peopleRepo from '../apps/api/src/modules/people/people.repository.js';
import { setupDemo, DEMO_TOWN } from '../apps/api/src/modules/demo/demo.js';
import { ensureCalendar } from '../apps/api/src/modules/calendar/calendar.seed.js';
import { computeBulletin } from '../apps/api/src/modules/bulletin/bulletin.service.js';
import * as repo from '../apps/api/src/modules/bulletin/bulletin.repository.js';
import { dayWindow } from '../apps/api/src/modules/bulletin/bulletin.rules.js';
import { todayInChina } from '../apps/api/src/lib/dates.js';
import { explainingDb, log, round, summary, timeRatio, timeRuns, type BenchResult } from './util.js';

export const CASES_PER_DAY = 15;
export const DAYS = 365;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A year of cases up to the end of `day`, in one INSERT … SELECT generate_series. `now` for the
 * generated lifecycles is the end of `day`: what would have happened by then has happened.
 */
export async function generateCases(db: Db, townPath: string, day: string, perDay = CASES_PER_DAY, days = DAYS): Promise<{ cases: number; steps: number }> {
  const first = addDays(day, -(days - 1));
  const start = dayWindow(first).start.toISOString();
  const end = dayWindow(day).end.toISOString();
  const n = perDay * days;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT setseed(0.370321107)`);
    await tx.execute(sql`
      WITH areas AS (SELECT array_agg(id ORDER BY id) AS ids FROM area WHERE path LIKE ${`${townPath}%`} AND level_key IN ('grid', 'micro_grid')),
      cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM case_category WHERE parent_id IS NOT NULL),
      workers AS (SELECT COALESCE(array_agg(u.id ORDER BY u.id), '{}') AS ids FROM app_user u WHERE u.username LIKE 'bjy%'),
      g AS (
        SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9
        FROM generate_series(0, ${n - 1}) AS i),
      t AS (
        SELECT g.*, ${start}::timestamptz + (i / ${perDay}) * interval '1 day' + interval '7 hours' + r1 * interval '12 hours' AS rep
        FROM g),
      life AS (
        SELECT t.*, r2 < 0.05 AS refused, r6 < 0.015 AS stuck,
          rep + interval '30 minutes' + r3 * interval '150 minutes' AS reg
        FROM t),
      life2 AS (
        SELECT life.*, reg + interval '2 days' AS due, reg + interval '1 hour' AS disp,
          reg + interval '2 hours' + r4 * interval '57 hours' AS fix
        FROM life),
      life3 AS (SELECT life2.*, fix + interval '2 hours' + r5 * interval '28 hours' AS clo FROM life2)
      INSERT INTO case_file (no, source, state, category_id, area_id, county_code, description, reported_at, registered_at, dispatched_at,
        assignee_id, due_at, deadline_rule, fixed_at, closed_at, refused_reason, rework_count, demo)
      SELECT 'B' || lpad(i::text, 7, '0'),
        (ARRAY['field', 'field', 'field', 'supervision', 'desk', 'phone', 'public'])[1 + floor(r7 * 7)::int],
        CASE WHEN refused THEN 'refused' WHEN reg > ${end} THEN 'reported' WHEN disp > ${end} THEN 'registered'
          WHEN stuck THEN 'fixing' WHEN clo <= ${end} THEN 'closed' WHEN fix <= ${end} THEN 'fixed' ELSE 'fixing' END,
        cats.ids[1 + floor(r8 * array_length(cats.ids, 1))::int],
        areas.ids[1 + floor(r9 * array_length(areas.ids, 1))::int],
        '370321', '生成的案件（基准测试）', rep,
        CASE WHEN refused OR reg > ${end} THEN NULL ELSE reg END,
        CASE WHEN refused OR disp > ${end} THEN NULL ELSE disp END,
        CASE WHEN refused OR disp > ${end} OR cardinality(workers.ids) = 0 THEN NULL ELSE workers.ids[1 + floor(r5 * cardinality(workers.ids))::int] END,
        CASE WHEN refused OR reg > ${end} THEN NULL ELSE due END,
        CASE WHEN refused OR reg > ${end} THEN NULL ELSE '2 work_day' END,
        CASE WHEN refused OR stuck OR disp > ${end} OR fix > ${end} THEN NULL ELSE fix END,
        CASE WHEN refused OR stuck OR disp > ${end} OR clo > ${end} THEN NULL ELSE clo END,
        CASE WHEN refused THEN 'invalid' END,
        CASE WHEN NOT refused AND NOT stuck AND r7 < 0.08 AND clo <= ${end} THEN 1 ELSE 0 END,
        true
      FROM life3, areas, cats, workers`);
    // The history: the report, a rework for those reworked, the closing step.
    await tx.execute(sql`INSERT INTO case_step (case_id, seq, action, from_state, to_state, at)
      SELECT id, 1, 'report', NULL, 'reported', reported_at FROM case_file WHERE no LIKE 'B%'`);
    await tx.execute(sql`INSERT INTO case_step (case_id, seq, action, from_state, to_state, at)
      SELECT id, 2, 'rework', 'fixed', 'fixing', fixed_at - interval '90 minutes' FROM case_file WHERE no LIKE 'B%' AND rework_count > 0 AND fixed_at IS NOT NULL`);
    await tx.execute(sql`INSERT INTO case_step (case_id, seq, action, from_state, to_state, at)
      SELECT id, 3, 'pass', 'fixed', 'closed', closed_at FROM case_file WHERE no LIKE 'B%' AND state = 'closed'`);
    const [c] = await rows<{ cases: number; steps: number }>(tx, sql`SELECT (SELECT count(*) FROM case_file) AS cases, (SELECT count(*) FROM case_step) AS steps`);
    await tx.execute(sql`ANALYZE area`);
    await tx.execute(sql`ANALYZE case_file`);
    await tx.execute(sql`ANALYZE case_step`);
    return { cases: Number(c!.cases), steps: Number(c!.steps) };
  });
}

/**
 * The plain way, for the baseline: one aggregate query per table row (each district, village and
 * the total over its subtree) and, for each overdue case, its own chain and its own "who answers".
 */
async function plainBulletin(db: Db, townPath: string, day: string) {
  const w = dayWindow(day);
  const [start, end, month] = [w.start.toISOString(), w.end.toISOString(), w.monthStart.toISOString()];
  const scopes = await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE path LIKE ${`${townPath}%`} AND level_key IN ('town', 'district', 'village') ORDER BY path`);
  const out: Record<string, unknown>[] = [];
  for (const s of scopes) {
    const [r] = await rows(db, sql`SELECT
        count(*) FILTER (WHERE c.reported_at >= ${start} AND c.reported_at < ${end} AND c.state <> 'refused') AS new,
        count(*) FILTER (WHERE c.closed_at >= ${start} AND c.closed_at < ${end}) AS closed,
        count(*) FILTER (WHERE c.closed_at >= ${start} AND c.closed_at < ${end} AND (c.due_at IS NULL OR COALESCE(c.fixed_at, c.closed_at) <= c.due_at)) AS on_time,
        count(*) FILTER (WHERE c.closed_at >= ${month} AND c.closed_at < ${end}) AS closed_month,
        count(*) FILTER (WHERE c.registered_at < ${end} AND c.state <> 'refused' AND c.due_at < ${end}
          AND (c.fixed_at IS NULL OR c.fixed_at >= ${end}) AND (c.closed_at IS NULL OR c.closed_at >= ${end})) AS overdue,
        (SELECT count(*) FROM case_step s JOIN case_file c2 ON c2.id = s.case_id JOIN area a2 ON a2.id = c2.area_id
          WHERE s.action = 'rework' AND s.at >= ${start} AND s.at < ${end} AND a2.path LIKE ${`${s.path}%`}) AS reworked
      FROM case_file c JOIN area a ON a.id = c.area_id WHERE a.path LIKE ${`${s.path}%`}`);
    out.push({ path: s.path, ...r });
  }
  const overdue = await repo.overdueCases(db, townPath, w.end);
  for (const c of overdue) {
    const a = await areasRepo.findById(db, c.areaId);
    await peopleRepo.answerable(db, await areasRepo.ancestorIdsOn(db, a!, w.end), day);
  }
  return { rows: out, overdue: overdue.length };
}

export async function benchBulletin(database: Database, runs = 30): Promise<{ result: BenchResult; plans: Record<string, string[]> }> {
  const db = database.db;
  const t0 = performance.now();
  await setupDemo(db, { actorName: 'bench' });
  const town = (await areasRepo.findByCode(db, DEMO_TOWN))!;
  const day = addDays(todayInChina(), -1); // yesterday: a whole day
  await ensureCalendar(db, [Number(day.slice(0, 4)) - 1, Number(day.slice(0, 4))]);
  const made = await generateCases(db, town.path, day);
  log(`bulletin: demo town and ${made.cases} cases (${made.steps} steps) in ${round((performance.now() - t0) / 1000)} s`);

  // The project's answer and the plain one agree.
  const content = await computeBulletin(db, town, day);
  const plain = await plainBulletin(db, town.path, day);
  const total = plain.rows.find((r) => r.path === town.path)!;
  const mine = content.totals;
  const same = Number(total.new) === mine.new && Number(total.closed) === mine.closed && Number(total.on_time) === mine.closedOnTime
    && Number(total.closed_month) === mine.closedMonth && Number(total.overdue) === mine.overdue && Number(total.reworked) === mine.reworked
    && plain.overdue === content.overdue.length;
  if (!same) throw new Error(`bulletin totals differ: ${JSON.stringify(mine)} vs ${JSON.stringify(total)} (${plain.overdue} overdue)`);
  for (const g of content.groups) {
    for (const r of [g.district, ...g.villages]) {
      if (r.areaId === null) continue;
      const a = await areasRepo.findById(db, r.areaId);
      const p = plain.rows.find((x) => x.path === a!.path)!;
      if (Number(p.new) !== r.new || Number(p.overdue) !== r.overdue || Number(p.closed) !== r.closed || Number(p.reworked) !== r.reworked) {
        throw new Error(`bulletin row ${r.name} differs: ${JSON.stringify(r)} vs ${JSON.stringify(p)}`);
      }
    }
  }

  const project = summary(await timeRuns(runs, 3, () => computeBulletin(db, town, day)));
  const base = summary(await timeRuns(runs, 3, () => plainBulletin(db, town.path, day)));
  const plans: string[][] = [];
  await repo.countsByArea(explainingDb(db, plans), town.path, dayWindow(day));
  const plan = plans[0] ?? [];
  const rowsShown = content.groups.reduce((s, g) => s + 1 + g.villages.length, 1);
  const result: BenchResult = {
    name: 'bulletin.town.day', value: round(project.median, 1), unit: 'ms', baseline: round(base.median, 1),
    ratio: timeRatio(project.median, base.median), p99: round(project.p99, 1), baseline_p99: round(base.p99, 1),
    cases: made.cases, steps: made.steps, day, rows: rowsShown, overdue: content.overdue.length,
    totals: `new ${mine.new} fixed ${mine.fixed} overdue ${mine.overdue} reworked ${mine.reworked} on-time ${mine.onTimeRate ?? '—'} month ${mine.onTimeRateMonth ?? '—'}`,
    runs, plan: plan.join('\n'),
  };
  return { result, plans: { 'bulletin.town.day (per-area counts)': plan } };
}
