// The routine benchmarks, on one scratch PostgreSQL database with the city tier (淄博 3703) plus
// four generated districts (管区) per town and the people the routines need:
// - routines.generate.city: a year of tasks for every active plan by the service's generateTasks;
//   baseline one plain INSERT … SELECT per plan of the same rows (the holders joined to the plan's
//   occurrences, passed as arrays) into a plain copy of routine_task without any index.
// - routines.completeness.city: completeness and timeliness of 每天一自查 for 202611 under the
//   city (the service's completeness()), after marking 85% of the tasks up to today done (10% of those late);
//   baseline one COUNT query per area of the report (each village by area_id, each district by a
//   LIKE on the path, and the city), over the raw tasks.
import { migrateDatabase, openPostgres, rows, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import * as areasRepo from '../apps/api/src/modules/areas/areas.repository.js';
import * as repo from '../apps/api/src/modules/routines/routines.repository.js';
import { completeness, generateTasks } from '../apps/api/src/modules/routines/routines.service.js';
import { occurrences, type Recurrence } from '../apps/api/src/modules/routines/periods.rules.js';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor } from '../apps/api/src/modules/access/policy.js';
import { todayInChina } from '../apps/api/src/lib/dates.js';
import { generateResponsibilities, tierTree, TIERS, type AreaSpec } from './generate.js';
import { importAreas } from './province-import.js';
import { explain, log, rateRatio, round, scratchDatabase, summary, timeRatio, timeRuns, type BenchResult } from './util.js';

export const ROUTINE_BENCHMARKS = ['routines.generate.city', 'routines.completeness.city'];

const FROM = '2026-01-01';
const TO = '2026-12-31';
const MONTH = '202611';
const DISTRICTS_PER_TOWN = 4;
const COMPLETENESS_RUNS = 30;
const dialect = new PgDialect();
const BASELINE_RUNS = 3;

const ADMIN: Actor = {
  id: 0, username: 'bench', displayName: 'bench', mustChangePassword: false,
  grants: [{ roleKey: 'admin', areaId: null, areaPath: null, areaName: null, canWrite: true, canManage: true }],
};

const count = async (db: Db, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rowCount: number }).rowCount;

/**
 * The city tier with four districts per town between the town and its villages: village n goes to
 * district 1 + n % 4 (the same grouping as generateResponsibilities' four leaders per town).
 */
export async function cityWithDistricts(): Promise<{ specs: AreaSpec[]; counts: Record<string, number> }> {
  const tree = await tierTree(TIERS.city);
  const specs: AreaSpec[] = [];
  let districts = 0;
  for (const s of tree.specs) {
    if (s.level === 'village') {
      specs.push({ ...s, parent: `${s.code.slice(0, 9)}D${String(1 + (Number(s.code.slice(9, 12)) % DISTRICTS_PER_TOWN)).padStart(2, '0')}` });
      continue;
    }
    specs.push(s);
    if (s.level === 'town') {
      for (let d = 1; d <= DISTRICTS_PER_TOWN; d++) {
        specs.push({ ...s, code: `${s.code}D${String(d).padStart(2, '0')}`, name: `${s.name}第${d}管区`, officialName: null, level: 'district', parent: s.code });
        districts += 1;
      }
    }
  }
  return { specs, counts: { ...tree.counts, district: districts } };
}

/**
 * What the routines need beyond generateResponsibilities (grid workers, cleaners, a resident cadre
 * and a leader per village): per town a town administrator and the three offices (镇纪委、农委、
 * 建委) with their roles in the town, each office supervising some of the town's districts
 * (office_district: district d by office (d − 1) % 3, with the office's role in that district).
 */
export async function routinePeople(db: Db, cityPath: string): Promise<{ users: number; responsibilities: number; roles: number }> {
  const under = `${cityPath}%`;
  const from = '2024-01-01';
  let users = 0; let roles = 0;
  users += await count(db, sql`INSERT INTO app_user (username, display_name) SELECT 'zadm' || a.code, a.name || '镇管理员'
    FROM area a WHERE a.path LIKE ${under} AND a.level_key = 'town'`);
  users += await count(db, sql`INSERT INTO app_user (username, display_name)
    SELECT 'ks' || a.code || o.n, a.name || (ARRAY['纪委', '农委', '建委'])[o.n] FROM area a CROSS JOIN generate_series(1, 3) o(n)
    WHERE a.path LIKE ${under} AND a.level_key = 'town'`);
  roles += await count(db, sql`INSERT INTO user_role (user_id, role_key, area_id) SELECT u.id, 'town_admin', a.id
    FROM area a JOIN app_user u ON u.username = 'zadm' || a.code WHERE a.path LIKE ${under} AND a.level_key = 'town'`);
  roles += await count(db, sql`INSERT INTO user_role (user_id, role_key, area_id)
    SELECT u.id, (ARRAY['discipline_office', 'agriculture_office', 'construction_office'])[o.n], a.id
    FROM area a CROSS JOIN generate_series(1, 3) o(n) JOIN app_user u ON u.username = 'ks' || a.code || o.n
    WHERE a.path LIKE ${under} AND a.level_key = 'town'`);
  // district D0d of town T: office (d - 1) % 3 + 1
  const office = sql`u.username = 'ks' || substr(a.code, 1, 9) || ((substr(a.code, 11, 2)::int - 1) % 3 + 1)`;
  roles += await count(db, sql`INSERT INTO user_role (user_id, role_key, area_id)
    SELECT u.id, (ARRAY['discipline_office', 'agriculture_office', 'construction_office'])[(substr(a.code, 11, 2)::int - 1) % 3 + 1], a.id
    FROM area a JOIN app_user u ON ${office} WHERE a.path LIKE ${under} AND a.level_key = 'district'`);
  const responsibilities = await count(db, sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from)
    SELECT 'office_district', a.id, u.id, true, ${from}::date FROM area a JOIN app_user u ON ${office}
    WHERE a.path LIKE ${under} AND a.level_key = 'district'`);
  await db.execute(sql`ANALYZE app_user`);
  await db.execute(sql`ANALYZE user_role`);
  await db.execute(sql`ANALYZE responsibility`);
  return { users, responsibilities, roles };
}

/** The holders a plan's tasks go to, as the repository selects them, without the day condition. */
function holders(plan: repo.PlanRow) {
  const scope = plan.scopePath ? sql`AND a.path LIKE ${`${plan.scopePath}%`}` : sql``;
  if (plan.assignee.responsibility) {
    return sql`SELECT r.area_id, r.user_id, a.county_code, r.valid_from, r.valid_to FROM responsibility r JOIN area a ON a.id = r.area_id
      JOIN app_user u ON u.id = r.user_id WHERE r.kind = ${plan.assignee.responsibility} AND a.level_key = ${plan.areaLevel}
      AND a.archived_at IS NULL AND u.disabled_at IS NULL ${scope}`;
  }
  if (plan.assignee.roles?.length) {
    return sql`SELECT DISTINCT g.area_id, g.user_id, a.county_code, NULL::date AS valid_from, NULL::date AS valid_to FROM user_role g
      JOIN area a ON a.id = g.area_id JOIN app_user u ON u.id = g.user_id
      WHERE g.role_key IN (${sql.join(plan.assignee.roles.map((x) => sql`${x}`), sql`, `)}) AND a.level_key = ${plan.areaLevel}
      AND a.archived_at IS NULL AND u.disabled_at IS NULL ${scope}`;
  }
  return sql`SELECT a.id AS area_id, NULL::bigint AS user_id, a.county_code, NULL::date AS valid_from, NULL::date AS valid_to FROM area a
    WHERE a.level_key = ${plan.areaLevel} AND a.archived_at IS NULL ${scope}`;
}

const textArray = (xs: string[]) => sql`ARRAY[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/** The baseline: per plan, one INSERT … SELECT of holders × occurrences into routine_task_copy (no index, no key). */
async function plainGenerate(db: Db, into = sql`routine_task_copy`, onConflict = sql``): Promise<number> {
  let n = 0;
  for (const plan of await repo.plans(db, true)) {
    const occ = occurrences(plan.recurrence as Recurrence, FROM, TO, plan.graceDays);
    if (!occ.length) continue;
    n += await count(db, sql`INSERT INTO ${into} (plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date)
      SELECT ${plan.id}, o.period, s.area_id, s.user_id, s.county_code, o.ws::date, o.we::date, o.due::date
      FROM (${holders(plan)}) s
      JOIN unnest(${textArray(occ.map((o) => o.period))}, ${textArray(occ.map((o) => o.windowStart))},
                  ${textArray(occ.map((o) => o.windowEnd))}, ${textArray(occ.map((o) => o.dueDate))}) o(period, ws, we, due)
        ON (s.valid_from IS NULL OR s.valid_from <= o.ws::date) AND (s.valid_to IS NULL OR s.valid_to >= o.ws::date) ${onConflict}`);
  }
  return n;
}

/** The naive report: one COUNT per area of the report (the city, each district by path, each village by id). */
async function naiveCompleteness(db: Db, planId: number, start: string, end: string, city: { id: number; path: string },
  districts: { id: number; path: string }[], villages: { id: number }[], today: string) {
  const counts = sql`count(*) AS expected, count(t.done_at) AS done, count(*) FILTER (WHERE t.on_time) AS "onTime",
    count(*) FILTER (WHERE t.done_at IS NULL AND t.due_date < ${today}) AS missing, count(*) FILTER (WHERE t.done_at IS NOT NULL AND NOT t.on_time) AS late`;
  const month = sql`t.plan_id = ${planId} AND t.window_start >= ${start} AND t.window_start <= ${end}`;
  const out = new Map<number, Record<string, number>>();
  const [total] = await rows<Record<string, number>>(db, sql`SELECT ${counts} FROM routine_task t JOIN area a ON a.id = t.area_id
    WHERE ${month} AND a.path LIKE ${`${city.path}%`}`);
  out.set(city.id, total!);
  for (const d of districts) {
    const [r] = await rows<Record<string, number>>(db, sql`SELECT ${counts} FROM routine_task t JOIN area a ON a.id = t.area_id
      WHERE ${month} AND a.path LIKE ${`${d.path}%`}`);
    out.set(d.id, r!);
  }
  for (const v of villages) {
    const [r] = await rows<Record<string, number>>(db, sql`SELECT ${counts} FROM routine_task t WHERE ${month} AND t.area_id = ${v.id}`);
    out.set(v.id, r!);
  }
  return out;
}

export async function benchRoutinesCity(wanted: (name: string) => boolean): Promise<{ results: BenchResult[]; plans: Record<string, string[]> }> {
  const scratch = await scratchDatabase();
  log(`routines: scratch database ${scratch.name}`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const database: Database = await openPostgres(scratch.url, 4);
  const results: BenchResult[] = [];
  const plans: Record<string, string[]> = {};
  try {
    await migrateDatabase(database);
    const db = database.db;
    const tree = await cityWithDistricts();
    const imported = await importAreas(database, tree.specs);
    await db.execute(sql`ANALYZE area`);
    log(`areas: ${imported.rows} (${tree.counts.village} villages, ${tree.counts.district} districts) in ${round(imported.ms / 1000)} s`);
    const city = (await areasRepo.findByCode(db, TIERS.city))!;
    const made = await generateResponsibilities(db, city.path, todayInChina());
    const extra = await routinePeople(db, city.path);
    log(`people: ${made.users + extra.users} users, ${made.responsibilities + extra.responsibilities} responsibilities, ${extra.roles} roles`);
    const [holdersCount] = await rows<Record<string, number>>(db, sql`SELECT
      count(DISTINCT area_id) FILTER (WHERE kind = 'leader_village') AS leader_village,
      count(DISTINCT area_id) FILTER (WHERE kind = 'resident_cadre_village') AS resident_cadre_village,
      count(DISTINCT area_id) FILTER (WHERE kind = 'office_district') AS office_district FROM responsibility`);
    log(`villages/districts with a holder: ${JSON.stringify(holdersCount)}`);

    // ---------------------------------------------------------------- generate
    await db.execute(sql`CREATE TABLE routine_task_copy (LIKE routine_task INCLUDING DEFAULTS INCLUDING IDENTITY)`);
    let t0 = performance.now();
    const baseRows = await plainGenerate(db);
    const baseSeconds = (performance.now() - t0) / 1000;
    log(`baseline: ${baseRows} rows by INSERT … SELECT in ${round(baseSeconds)} s`);
    // What the table's own keys cost: the same one-statement-per-plan INSERT into routine_task itself
    // (its five indexes, three foreign keys, ON CONFLICT on the occurrence index), then emptied again.
    t0 = performance.now();
    const keyedRows = await plainGenerate(db, sql`routine_task`, sql`ON CONFLICT (plan_id, period, area_id, user_id) DO NOTHING`);
    const keyedSeconds = (performance.now() - t0) / 1000;
    log(`per plan into routine_task (indexes, keys): ${keyedRows} rows in ${round(keyedSeconds)} s`);
    await db.execute(sql`TRUNCATE routine_task CASCADE`); // task_result (empty) refers to it
    await db.execute(sql`VACUUM ANALYZE routine_task`);
    t0 = performance.now();
    const gen = await generateTasks(db, FROM, TO);
    const genSeconds = (performance.now() - t0) / 1000;
    log(`generateTasks: ${gen.inserted} tasks (${gen.occurrences} occurrences) in ${round(genSeconds)} s`);
    const [diff] = await rows<{ a: number; b: number }>(db, sql`SELECT
      (SELECT count(*) FROM (SELECT plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date FROM routine_task
        EXCEPT ALL SELECT plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date FROM routine_task_copy) x) AS a,
      (SELECT count(*) FROM (SELECT plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date FROM routine_task_copy
        EXCEPT ALL SELECT plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date FROM routine_task) x) AS b`);
    const identical = Number(diff!.a) === 0 && Number(diff!.b) === 0;
    const perPlan = await rows<{ code: string; n: number }>(db, sql`SELECT p.code, count(t.id) AS n FROM routine_plan p
      LEFT JOIN routine_task t ON t.plan_id = p.id GROUP BY p.id, p.code ORDER BY p.id`);
    // Idempotence: a second run over the same year adds nothing (timed: the ON CONFLICT path).
    t0 = performance.now();
    const again = await generateTasks(db, FROM, TO);
    const againSeconds = (performance.now() - t0) / 1000;
    log(`generateTasks again: ${again.inserted} new in ${round(againSeconds)} s`);
    await db.execute(sql`DROP TABLE routine_task_copy`);
    if (wanted('routines.generate.city')) {
      const value = gen.inserted / genSeconds;
      const baseline = baseRows / baseSeconds;
      results.push({
        name: 'routines.generate.city', value: round(value, 1), unit: 'tasks/s', baseline: round(baseline, 1), ratio: rateRatio(value, baseline),
        tasks: gen.inserted, seconds: round(genSeconds), occurrences: gen.occurrences, baseline_rows: baseRows, baseline_seconds: round(baseSeconds),
        per_plan_into_routine_task_seconds: round(keyedSeconds), per_plan_into_routine_task_rate: round(keyedRows / keyedSeconds, 1),
        identical_rows: identical, second_run_new: again.inserted, second_run_seconds: round(againSeconds),
        per_plan: perPlan.map((p) => `${p.code}:${p.n}`), villages: tree.counts.village, districts: tree.counts.district, areas: imported.rows,
      });
    }

    if (!wanted('routines.completeness.city')) return { results, plans };
    // ---------------------------------------------------------------- completeness
    // 85% of the tasks up to today done (a hash of the id picks which), a tenth of those late
    // (done 1–3 days after the due date), the rest done within the window.
    t0 = performance.now();
    const h = sql`((hashint8(id)::bigint % 1000 + 1000) % 1000)::int`;
    const h2 = sql`((hashint8(id + 7)::bigint % 1000 + 1000) % 1000)::int`;
    const marked = await count(db, sql`UPDATE routine_task SET
        done_at = CASE WHEN ${h} < 85 THEN (due_date + 1 + ${h2} % 3)::timestamp + interval '9 hours'
          ELSE (window_start + ${h2} % (window_end - window_start + 1))::timestamp + interval '9 hours' END,
        on_time = ${h} >= 85
      WHERE window_start <= ${todayInChina()} AND ${h} < 850`);
    await db.execute(sql`VACUUM ANALYZE routine_task`);
    const markSeconds = (performance.now() - t0) / 1000;
    const [plan] = await rows<{ id: number }>(db, sql`SELECT id FROM routine_plan WHERE code = 'self_check'`);
    const planId = Number(plan!.id);
    const [mix] = await rows<Record<string, number>>(db, sql`SELECT count(*) AS tasks, count(done_at) AS done,
      count(*) FILTER (WHERE on_time = false) AS late FROM routine_task WHERE plan_id = ${planId} AND period LIKE ${`${MONTH}%`}`);
    log(`marked ${marked} tasks done in ${round(markSeconds)} s; self_check ${MONTH}: ${JSON.stringify(mix)}`);

    const q = { planId, period: MONTH, areaId: Number(city.id) };
    const report = await completeness(db, ADMIN, q);
    const mine = summary(await timeRuns(COMPLETENESS_RUNS, 2, () => completeness(db, ADMIN, q)));
    log(`completeness: median ${round(mine.median)} ms, p99 ${round(mine.p99)} ms (${mine.runs} runs); ${report.villages.length} villages, ${report.districts.length} districts, ${report.gaps.length} gaps listed`);
    // Where the time goes: each statement of one completeness() call, timed apart.
    const statementMs: string[] = [];
    const timed = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'execute') {
          return async (query: ReturnType<typeof sql>) => {
            const s0 = performance.now();
            const r = await target.execute(query);
            const text = dialect.sqlToQuery(query).sql.replace(/\s+/g, ' ').slice(0, 70);
            statementMs.push(`${round(performance.now() - s0)} ms  ${text}`);
            return r;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Db;
    await completeness(timed, ADMIN, q);
    log(`statements of one completeness():\n  ${statementMs.join('\n  ')}`);
    const statementsBefore = [...statementMs];

    const p = { start: report.periodStart, end: report.periodEnd };
    const districts = (await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM area WHERE level_key = 'district' AND path LIKE ${`${city.path}%`} ORDER BY code`))
      .map((d) => ({ id: Number(d.id), path: d.path }));
    const villages = (await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'village' AND path LIKE ${`${city.path}%`} ORDER BY code`))
      .map((v) => ({ id: Number(v.id) }));
    const today = todayInChina();
    const naive = await naiveCompleteness(db, planId, p.start, p.end, { id: Number(city.id), path: city.path }, districts, villages, today);
    // The same answer: every village's and district's counts, and the total.
    let mismatches = 0;
    const same = (a: Record<string, number> | undefined, b: { expected: number; done: number; onTime: number; missing: number; late: number }) =>
      a !== undefined && (['expected', 'done', 'onTime', 'missing', 'late'] as const).every((k) => Number(a[k]) === b[k]);
    for (const v of [...report.villages, ...report.districts] as unknown as ({ areaId: number } & typeof report.total)[]) if (!same(naive.get(v.areaId), v)) mismatches += 1;
    if (!same(naive.get(Number(city.id)), report.total)) mismatches += 1;
    const base = summary(await timeRuns(BASELINE_RUNS, 0, () => naiveCompleteness(db, planId, p.start, p.end,
      { id: Number(city.id), path: city.path }, districts, villages, today)));
    log(`naive: median ${round(base.median)} ms, p99 ${round(base.p99)} ms (${base.runs} runs, ${1 + districts.length + villages.length} queries each); mismatches ${mismatches}`);

    const periods = (await rows<{ period: string }>(db, sql`SELECT DISTINCT period FROM routine_task WHERE plan_id = ${planId}
      AND window_start >= ${p.start} AND window_start <= ${p.end}`)).map((r) => r.period);
    plans['routines.completeness.city (periods of the month)'] = await explain(db, sql`SELECT DISTINCT period FROM routine_task WHERE plan_id = ${planId}
      AND window_start >= ${p.start} AND window_start <= ${p.end}`);
    const captured: string[][] = [];
    const explaining = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'execute') {
          return async (query: ReturnType<typeof sql>) => {
            const res = (await target.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] };
            captured.push(res.rows.map((r) => r['QUERY PLAN']));
            return { rows: [] };
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Db;
    await repo.completenessRows(explaining, planId, periods, city.path, today);
    plans['routines.completeness.city (completenessRows)'] = captured[0]!;
    plans['routines.completeness.city (gaps)'] = await explain(db, sql`SELECT t.id, t.period, t.due_date AS "dueDate", t.done_at AS "doneAt", a.name AS "areaName",
      u.display_name AS "userName" FROM routine_task t JOIN area a ON a.id = t.area_id LEFT JOIN app_user u ON u.id = t.user_id
      WHERE t.plan_id = ${planId} AND t.window_start >= ${p.start} AND t.window_start <= ${p.end} AND a.path LIKE ${`${city.path}%`}
      AND ((t.done_at IS NULL AND t.due_date < ${today}) OR t.on_time = false) ORDER BY t.due_date, a.code LIMIT 500`);
    plans['routines.completeness.city (naive: one village)'] = await explain(db, sql`SELECT count(*) FROM routine_task t
      WHERE t.plan_id = ${planId} AND t.window_start >= ${p.start} AND t.window_start <= ${p.end} AND t.area_id = ${Number(villages[0]!.id)}`);

    for (const [k, v] of Object.entries(plans)) log(`== ${k} ==\n${v.join('\n')}`);

    results.push({
      name: 'routines.completeness.city', value: round(mine.p99), unit: 'ms', baseline: round(base.p99), ratio: timeRatio(mine.p99, base.p99),
      median_ms: round(mine.median), runs: mine.runs, baseline_median_ms: round(base.median), baseline_runs: base.runs,
      baseline_queries: 1 + districts.length + villages.length, same_answer: mismatches === 0,
      tasks_in_month: Number(mix!.tasks), done_in_month: Number(mix!.done), late_in_month: Number(mix!.late),
      total: report.total, villages: report.villages.length, districts: report.districts.length, gaps_listed: report.gaps.length,
      statements: statementsBefore,
    });
    return { results, plans };
  } finally {
    await database.close();
    await scratch.drop();
    process.removeListener('SIGINT', onSignal);
  }
}
