// The score benchmarks (考核评价):
// - scorecard.city.month: one month's scorecard of the city tier 淄博 (2,931 villages) through the
//   real service (`scorecard`, an administrator), over a year of generated cases, routine tasks,
//   checklist results, cleaning-day turnout, observation visits and other-work scores, with the
//   kept facts (score_fact) warm; baseline the same scorecard computed from the raw records
//   (`villageFactsRaw`: the same grouped query per month straight over case_file, routine_task, …)
//   with the same scoring rules. Both must give the same facts for every village and the same rows.
// - scorecard.town.month.pglite: the demo town as `npm start` sets it up, on an embedded PGlite
//   folder: the scorecard of the last full month and of the current month; baseline the same naive
//   computation in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrateDatabase, openPglite, openPostgres, rows, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import { loadConfig } from '../apps/api/src/config/index.js';
import { prepare } from '../apps/api/src/runtime.js';
import { DEMO_TOWN } from '../apps/api/src/modules/demo/demo.js';
import * as areasRepo from '../apps/api/src/modules/areas/areas.repository.js';
import type { AreaRow } from '../apps/api/src/modules/areas/areas.repository.js';
import type { Actor } from '../apps/api/src/modules/access/policy.js';
import { generateTasks } from '../apps/api/src/modules/routines/routines.service.js';
import { addDays } from '../apps/api/src/modules/routines/periods.rules.js';
import * as repo from '../apps/api/src/modules/scores/scores.repository.js';
import * as setup from '../apps/api/src/modules/scores/setup.repository.js';
import { forgetScores, getSettings, periodInfo, scorecard, type PeriodInfo } from '../apps/api/src/modules/scores/scores.service.js';
import { FACT_KEYS, sumFacts, zeroFacts, type Facts } from '../apps/api/src/modules/scores/facts.js';
import { assignTiers, evaluate, prepare as prepareIndicator, rankBy, round2, scoreVillage } from '../apps/api/src/modules/scores/scoring.rules.js';
import { todayInChina } from '../apps/api/src/lib/dates.js';
import { CITY_CASES, generateCases } from './cases.js';
import { cityWithDistricts, routinePeople } from './routines.js';
import { generateResponsibilities, TIERS } from './generate.js';
import { importAreas } from './province-import.js';
import { DEFAULT_URL, log, round, scratchDatabase, summary, timeRatio, timeRuns, type BenchResult } from './util.js';

export const SCORE_BENCHMARKS = ['scorecard.city.month', 'scorecard.town.month.pglite'];

const CITY_RUNS = 30;
const CITY_BASELINE_RUNS = 3;
const TOWN_RUNS = 30;
const TOWN_BASELINE_RUNS = 10;
const KEPT_DB = 'wangge_bench_scores_kept';
const dialect = new PgDialect();

const ADMIN: Actor = {
  id: 0, username: 'bench', displayName: 'bench', mustChangePassword: false,
  grants: [{ roleKey: 'admin', areaId: null, areaPath: null, areaName: null, canWrite: true, canManage: true }],
};

const count = async (db: Db, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rowCount: number }).rowCount;
/** The first day of the month before `day`'s, 'YYYY-MM-01'. */
const monthBefore = (day: string) => `${addDays(`${day.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
const keyOf = (month: string) => month.slice(0, 4) + month.slice(5, 7);

// ------------------------------------------------------------------ a database of its own

/**
 * A scratch database named wangge_bench_scores_<random>, dropped at the end. With
 * WANGGE_BENCH_SCORES_KEEP=1 it is wangge_bench_scores_kept instead, kept after the run and reused
 * by the next one (the generated year is made once; its facts are cleared at each run).
 */
async function scoresDatabase(serverUrl = process.env.DATABASE_URL?.trim() || DEFAULT_URL) {
  const keep = process.env.WANGGE_BENCH_SCORES_KEEP === '1';
  return scratchDatabase(serverUrl, keep ? { keepAs: KEPT_DB } : { prefix: 'wangge_bench_scores' });
}

// ------------------------------------------------------------------ a year of facts for the city

interface YearMeta { now: Date; cases: number; tasks: number; results: number; turnout: number; visits: number; other: number; generateSeconds: number }

/**
 * The city tier with four districts per town (routines.ts), its people, a year of cases up to
 * `now` (cases.ts, CITY_CASES), the routine tasks of the twelve months up to the end of this month
 * (the service's generateTasks), 85% of the tasks up to today done (10% of those late), a checklist
 * result for every done self-check (percent 60–100), turnout for every done cleaning day (six
 * people, four or five of them came), a visit with a score to about a quarter of the villages of
 * each done observation, and other-work scores for 97% of the villages in every month.
 * Every step is a few set-based statements, so the score triggers fire once per statement.
 */
async function generateYear(database: Database, now: Date): Promise<YearMeta> {
  const db = database.db;
  const t0 = performance.now();
  const tree = await cityWithDistricts();
  const imported = await importAreas(database, tree.specs);
  await db.execute(sql`ANALYZE area`);
  log(`areas: ${imported.rows} (${tree.counts.village} villages, ${tree.counts.district} districts) in ${round(imported.ms / 1000)} s`);
  const city = (await areasRepo.findByCode(db, TIERS.city))!;
  const today = todayInChina(now);
  const made = await generateResponsibilities(db, city.path, today);
  const extra = await routinePeople(db, city.path);
  log(`people: ${made.users + extra.users} users, ${made.responsibilities + extra.responsibilities} responsibilities`);
  const gen = await generateCases(database, city.path, CITY_CASES, now);
  log(`cases: ${gen.cases} in ${round(gen.seconds)} s`);

  const thisMonth = `${today.slice(0, 7)}-01`;
  let from = thisMonth;
  for (let i = 0; i < 11; i++) from = monthBefore(from);
  const to = addDays(repo.nextMonth(thisMonth), -1);
  let t = performance.now();
  const tasks = await generateTasks(db, from, to);
  log(`tasks: ${tasks.inserted} (${from} to ${to}, ${tasks.occurrences} occurrences) in ${round((performance.now() - t) / 1000)} s`);

  t = performance.now();
  const h = sql`((hashint8(id)::bigint % 1000 + 1000) % 1000)::int`;
  const h2 = sql`((hashint8(id + 7)::bigint % 1000 + 1000) % 1000)::int`;
  const late = sql`(${h} < 85 AND due_date + 3 <= ${today}::date)`;
  const nineAm = (day: ReturnType<typeof sql>) => sql`((${day})::timestamp + interval '9 hours') AT TIME ZONE 'Asia/Shanghai'`;
  const marked = await count(db, sql`UPDATE routine_task SET
      done_at = least(${now.toISOString()}::timestamptz, CASE WHEN ${late} THEN ${nineAm(sql`due_date + 1 + ${h2} % 3`)}
        ELSE ${nineAm(sql`window_start + ${h2} % (least(window_end, ${today}::date) - window_start + 1)`)} END),
      on_time = NOT ${late}
    WHERE window_start <= ${today}::date AND ${h} < 850`);
  log(`tasks done: ${marked} in ${round((performance.now() - t) / 1000)} s`);

  t = performance.now();
  const pct = sql`(60 + ((hashint8(t.id + 11)::bigint % 41 + 41) % 41))`;
  const results = await count(db, sql`INSERT INTO task_result (task_id, submitted_by, submitted_at, answers, score, max_score, percent)
    SELECT t.id, t.user_id, t.done_at, '[]'::jsonb, ${pct}, 100, ${pct} FROM routine_task t JOIN routine_plan p ON p.id = t.plan_id
    WHERE p.code = 'self_check' AND t.done_at IS NOT NULL AND t.user_id IS NOT NULL`);
  const turnout = await count(db, sql`INSERT INTO cleaning_turnout (task_id, name, kind, signed_up_at, signed_in_at)
    SELECT t.id, '村民' || n, (ARRAY['party_member', 'volunteer', 'villager'])[1 + n % 3], t.done_at - interval '1 day',
      CASE WHEN n <= 4 + (t.id % 2) THEN t.done_at END
    FROM routine_task t JOIN routine_plan p ON p.id = t.plan_id CROSS JOIN generate_series(1, 6) n
    WHERE p.code = 'cleaning_day' AND t.done_at IS NOT NULL`);
  const visits = await count(db, sql`INSERT INTO observation_visit (task_id, village_id, picked_by, visited_at, score, visited_by)
    SELECT t.id, v.id, 'hand', t.done_at, 60 + ((hashint8(t.id * 7 + v.id)::bigint % 41 + 41) % 41), t.user_id
    FROM routine_task t JOIN routine_plan p ON p.id = t.plan_id JOIN area v ON v.parent_id = t.area_id AND v.level_key = 'village'
    WHERE p.code = 'observation' AND t.done_at IS NOT NULL AND (hashint8(t.id + v.id)::bigint % 4 + 4) % 4 = 0`);
  const other = await count(db, sql`INSERT INTO score_other (village_id, month, score, source)
    SELECT v.id, m::date, 60 + ((hashint8(v.id * 13 + extract(month FROM m)::bigint)::bigint % 41 + 41) % 41), 'imported'
    FROM area v CROSS JOIN generate_series(${from}::date, ${thisMonth}::date, interval '1 month') m
    WHERE v.level_key = 'village' AND v.path LIKE ${`${city.path}%`} AND (hashint8(v.id)::bigint % 100 + 100) % 100 >= 3`);
  log(`results ${results}, turnout ${turnout}, visits ${visits}, other-work scores ${other} in ${round((performance.now() - t) / 1000)} s`);
  t = performance.now();
  for (const table of ['routine_task', 'task_result', 'cleaning_turnout', 'observation_visit', 'score_other', 'score_dirty', 'app_user', 'responsibility']) {
    await db.execute(sql.raw(`VACUUM ANALYZE ${table}`));
  }
  log(`VACUUM ANALYZE in ${round((performance.now() - t) / 1000)} s`);
  return { now, cases: gen.cases, tasks: tasks.inserted, results, turnout, visits, other, generateSeconds: (performance.now() - t0) / 1000 };
}

/** The generated year: made now, or read back from a kept database. */
async function cityYear(database: Database): Promise<YearMeta> {
  const db = database.db;
  await migrateDatabase(database);
  const [m] = await rows<Record<string, unknown>>(db, sql`SELECT to_regclass('bench_scores_meta') IS NOT NULL AS present`);
  if (m!.present) {
    const [r] = await rows<Record<string, unknown>>(db, sql`SELECT * FROM bench_scores_meta`);
    if (r) {
      log(`reusing the generated year of ${KEPT_DB} (made ${new Date(String(r.now)).toISOString()})`);
      return { now: new Date(String(r.now)), cases: Number(r.cases), tasks: Number(r.tasks), results: Number(r.results), turnout: Number(r.turnout),
        visits: Number(r.visits), other: Number(r.other), generateSeconds: Number(r.generate_seconds) };
    }
    throw new Error(`${KEPT_DB} holds an unfinished generation: drop it and run again`);
  }
  const [areasThere] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM area`);
  if (areasThere!.n > 0) throw new Error(`${KEPT_DB} holds an unfinished generation: drop it and run again`);
  const meta = await generateYear(database, new Date());
  await db.execute(sql`CREATE TABLE bench_scores_meta AS SELECT ${meta.now.toISOString()}::timestamptz AS now, ${meta.cases}::int AS cases,
    ${meta.tasks}::int AS tasks, ${meta.results}::int AS results, ${meta.turnout}::int AS turnout, ${meta.visits}::int AS visits,
    ${meta.other}::int AS other, ${meta.generateSeconds}::float8 AS generate_seconds`);
  return meta;
}

// ------------------------------------------------------------------ the baseline: the scorecard from the raw records

interface PlainVillage { id: number; code: string; path: string; facts: Facts; environment: number | null; other: number | null; composite: number | null; rank: number | null }
interface PlainScope { villages: PlainVillage[]; indicators: ReturnType<typeof prepareIndicator>[] }

/** Every village under the scope scored for the period, its facts straight from the raw records (villageFactsRaw). */
async function plainScope(db: Db, scope: AreaRow, p: PeriodInfo, now: Date): Promise<PlainScope> {
  const [raw, list, inds, w, others, settings] = await Promise.all([
    repo.villageFactsRaw(db, scope.path, p.months, now),
    rows<{ id: number; code: string; path: string; archived: boolean }>(db, sql`SELECT id, code, path, archived_at IS NOT NULL AS archived
      FROM area WHERE path LIKE ${`${scope.path}%`} AND level_key = 'village' ORDER BY code`),
    setup.listIndicators(db, true),
    setup.weightSetOn(db, p.start),
    setup.otherScores(db, scope.path, p.months),
    getSettings(db),
  ]);
  if (!w) throw new Error(`no weights in force on ${p.start}`);
  const indicators = inds.filter((i) => i.periodTypes.includes(p.type)).map(prepareIndicator);
  const otherBy = new Map<number, number[]>();
  for (const o of others) otherBy.set(o.villageId, [...(otherBy.get(o.villageId) ?? []), o.score]);
  const villages = list.filter((v) => !v.archived || raw.has(Number(v.id))).map((v) => {
    const id = Number(v.id);
    const os = otherBy.get(id) ?? [];
    const other = os.length ? round2(os.reduce((a, b) => a + b, 0) / os.length) : null;
    const facts = raw.get(id) ?? zeroFacts();
    const s = scoreVillage(facts, indicators, w.weights, other);
    return { id, code: v.code, path: v.path, facts, environment: s.environment, other: s.other, composite: s.composite, rank: null as number | null };
  });
  const ranks = rankBy(villages, (v) => v.composite, (v) => v.code);
  for (const v of villages) v.rank = ranks.get(v.code) ?? null;
  assignTiers(villages.map((v) => ({ key: v.code, composite: v.composite, rank: v.rank })), settings.tiers);
  return { villages, indicators };
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null).map((x) => Math.round(x * 100));
  return v.length ? round2(v.reduce((a, b) => a + b, 0) / v.length / 100) : null;
};

/** What the comparison looks at in a row of a scorecard: facts, indicator values and scores, composite, rank, the previous composite. */
interface CardRow { code: string; facts: Facts; values: { code: string; value: number | null; score: number | null }[]; environment: number | null; composite: number | null; villages: number; ranked: number; rank: number | null; previous: number | null }

function plainGroup(code: string, vs: PlainVillage[], s: PlainScope) {
  const facts = sumFacts(vs.map((v) => v.facts));
  return {
    code, facts, values: s.indicators.map((i) => evaluate(i, facts)).map((x) => ({ code: x.code, value: x.value, score: x.score })),
    environment: mean(vs.map((v) => v.environment)), composite: mean(vs.map((v) => v.composite)),
    villages: vs.length, ranked: vs.filter((v) => v.rank !== null).length,
  };
}

/** The baseline scorecard: the period and the previous one (for the arrows) from the raw records, rows per child area and the total. */
async function plainScorecard(db: Db, scope: AreaRow, key: string, now: Date): Promise<{ rows: CardRow[]; total: CardRow }> {
  const today = todayInChina(now);
  const p = periodInfo(key, today);
  const cur = await plainScope(db, scope, p, now);
  let prev: PlainScope | null = null;
  try {
    prev = await plainScope(db, scope, periodInfo(p.previous, today), now);
  } catch {
    prev = null;
  }
  const children = (await areasRepo.listChildren(db, scope.id, true)).filter((c) => c.level !== 'grid');
  const list = children.map((a) => {
    const r = plainGroup(a.code, cur.villages.filter((v) => v.path.startsWith(a.path)), cur);
    const pr = prev ? plainGroup(a.code, prev.villages.filter((v) => v.path.startsWith(a.path)), prev) : null;
    const own = a.level === 'village' ? cur.villages.find((v) => v.id === a.id) : undefined;
    return { ...r, level: a.level, rank: own ? own.rank : null as number | null, previous: pr ? pr.composite : null };
  }).filter((r) => r.villages > 0 || r.level === 'village');
  if (scope.level !== 'village') {
    const rr = rankBy(list, (r) => r.composite, (r) => r.code);
    for (const r of list) r.rank = rr.get(r.code) ?? null;
  }
  return { rows: list.map(({ level: _l, ...r }) => r), total: { ...plainGroup(scope.code, cur.villages, cur), rank: null, previous: null } };
}

type Card = Awaited<ReturnType<typeof scorecard>>;
const projectCard = (c: Card): { rows: CardRow[]; total: CardRow } => {
  const one = (r: Card['rows'][number] | Card['total'], previous: number | null): CardRow => ({
    code: r.area.code, facts: r.facts, values: r.values.map((x) => ({ code: x.code, value: x.value, score: x.score })),
    environment: r.environment, composite: r.composite, villages: r.villages, ranked: r.ranked, rank: r.rank, previous,
  });
  return { rows: c.rows.map((r) => one(r, r.previous?.composite ?? null)), total: { ...one(c.total, null), rank: null } };
};

const sameNumber = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Kept facts against the raw records, for every village under the scope and each month: any difference is an error. */
async function checkFacts(db: Db, scope: AreaRow, months: string[], now: Date): Promise<{ villages: number; totals: Record<string, Facts> }> {
  const totals: Record<string, Facts> = {};
  let villages = 0;
  for (const m of months) {
    const kept = await repo.villageFacts(db, scope.path, [m]);
    const raw = await repo.villageFactsRaw(db, scope.path, [m], now);
    const keptIds = new Set(kept.map((v) => v.id));
    for (const id of raw.keys()) if (!keptIds.has(id)) throw new Error(`facts differ: village ${id} has raw facts in ${m} but is not in the scorecard`);
    for (const v of kept) {
      const r = raw.get(v.id) ?? zeroFacts();
      const bad = FACT_KEYS.filter((k) => !sameNumber(v.facts[k], r[k]));
      if (bad.length) throw new Error(`facts differ for village ${v.code} in ${m}: ${bad.map((k) => `${k} kept ${v.facts[k]} raw ${r[k]}`).join(', ')}`);
    }
    totals[m] = sumFacts(kept.map((v) => v.facts));
    villages = kept.length;
  }
  return { villages, totals };
}

/** The service's scorecard against the baseline's: every row and the total. */
function checkCards(mine: Card, base: { rows: CardRow[]; total: CardRow }) {
  const a = projectCard(mine);
  const eq = (x: CardRow, y: CardRow) => x.code === y.code && FACT_KEYS.every((k) => sameNumber(x.facts[k], y.facts[k]))
    && JSON.stringify([x.values, x.environment, x.composite, x.villages, x.ranked, x.rank, x.previous])
      === JSON.stringify([y.values, y.environment, y.composite, y.villages, y.ranked, y.rank, y.previous]);
  if (a.rows.length !== base.rows.length) throw new Error(`scorecards differ: ${a.rows.length} rows vs ${base.rows.length} from the raw records`);
  a.rows.forEach((r, i) => {
    if (!eq(r, base.rows[i]!)) throw new Error(`scorecards differ in row ${r.code}: ${JSON.stringify(r)} vs ${JSON.stringify(base.rows[i])}`);
  });
  if (!eq(a.total, base.total)) throw new Error(`scorecard totals differ: ${JSON.stringify(a.total)} vs ${JSON.stringify(base.total)}`);
}

// ------------------------------------------------------------------ where the time goes

/** A Db that records each statement's time (and each transaction's: the refresh) of what runs through it. */
function timingDb(db: Db, out: string[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return async (query: ReturnType<typeof sql>) => {
          const t0 = performance.now();
          const r = await target.execute(query);
          out.push(`${round(performance.now() - t0)} ms  ${dialect.sqlToQuery(query).sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`);
          return r;
        };
      }
      if (prop === 'transaction') {
        return async (fn: (tx: Db) => Promise<unknown>) => {
          const t0 = performance.now();
          const r = await target.transaction(fn as never);
          out.push(`${round(performance.now() - t0)} ms  (transaction: refresh)`);
          return r;
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** A Db that, for statements whose text matches, records EXPLAIN (ANALYZE, BUFFERS) first and then runs them. */
function planningDb(db: Db, match: RegExp, out: string[][]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return async (query: ReturnType<typeof sql>) => {
          if (match.test(dialect.sqlToQuery(query).sql)) {
            const res = (await target.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] };
            out.push(res.rows.map((r) => r['QUERY PLAN']));
          }
          return target.execute(query);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

// ------------------------------------------------------------------ scorecard.city.month

export async function benchCityMonth(): Promise<{ result: BenchResult; plans: Record<string, string[]> }> {
  const scratch = await scoresDatabase();
  log(`scorecard.city.month: database ${scratch.name}${scratch.keep ? ' (kept)' : ''}`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const database = await openPostgres(scratch.url, 4);
  // The same database through connections with PostgreSQL's JIT compiler off: the raw grouped query
  // is costed above jit_above_cost, and compiling it takes about half its time (see README).
  const noJitUrl = new URL(scratch.url);
  noJitUrl.searchParams.set('options', '-c jit=off');
  const noJit = await openPostgres(noJitUrl.toString(), 4);
  try {
    const db = database.db;
    const year = await cityYear(database);
    const now = year.now; // every call below is "as of" the generation instant, so the kept and the raw facts see the same clock
    const city = (await areasRepo.findByCode(db, TIERS.city))!;
    const today = todayInChina(now);
    const month = monthBefore(today); // the last full month
    const previous = monthBefore(month);
    const key = keyOf(month);
    const q = { areaId: city.id, period: key };
    const counties = await repo.countiesUnder(db, city.path);
    // Nothing computed yet (a kept database starts over too).
    await db.execute(sql`TRUNCATE score_fact, score_month`);
    const [dirty] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM score_dirty`);

    // The first refresh of the month, all counties (the change log read, the month computed).
    let t0 = performance.now();
    const firstCount = await repo.refresh(db, { counties, months: [month] }, now);
    const firstRefreshMs = performance.now() - t0;
    log(`first refresh of ${key}: ${firstCount} county-months in ${round(firstRefreshMs)} ms (${dirty!.n} change-log rows waiting)`);
    // The first scorecard also computes the previous month (the arrows).
    t0 = performance.now();
    const first = await scorecard(db, ADMIN, q, now);
    const coldMs = performance.now() - t0;
    log(`first scorecard (computes ${keyOf(previous)}): ${round(coldMs)} ms`);

    const facts = await checkFacts(db, city, [month, previous], now);
    checkCards(first, await plainScorecard(db, city, key, now));
    log(`kept facts equal the raw ones for all ${facts.villages} villages in ${key} and ${keyOf(previous)}; scorecard rows equal the baseline's`);
    const f = facts.totals[month]!;
    log(`${key}: ${f.cases_reported} cases, ${f.cases_due} due, ${f.cases_overdue} overdue; ${f.tasks_due} tasks due, ${f.tasks_done} done; ${f.checklist_count} checklists; ${f.cleaning_present} came to the cleaning days; ${f.observation_count} visits`);

    const mine = summary(await timeRuns(CITY_RUNS, 2, () => scorecard(db, ADMIN, q, now)));
    log(`scorecard.city.month: median ${round(mine.median)} ms, p99 ${round(mine.p99)} ms (${mine.runs} runs; nothing changed between runs, so the scored scopes are reused)`);
    // The same with the scored scopes dropped before each run: kept facts read and every village scored again.
    const rescored = summary(await timeRuns(CITY_RUNS, 2, () => { forgetScores(db); return scorecard(db, ADMIN, q, now); }));
    log(`  scored afresh each run (kept facts): median ${round(rescored.median)} ms, p99 ${round(rescored.p99)} ms`);
    const base = summary(await timeRuns(CITY_BASELINE_RUNS, 1, () => plainScorecard(db, city, key, now)));
    log(`  baseline (raw records): median ${round(base.median)} ms, p99 ${round(base.p99)} ms (${base.runs} runs)`);
    const baseNoJit = summary(await timeRuns(CITY_BASELINE_RUNS, 1, () => plainScorecard(noJit.db, city, key, now)));
    log(`  baseline with jit off: median ${round(baseNoJit.median)} ms, p99 ${round(baseNoJit.p99)} ms (${baseNoJit.runs} runs): ratio ${timeRatio(mine.median, baseNoJit.median)}`);

    const statements: string[] = [];
    await scorecard(timingDb(db, statements), ADMIN, q, now);
    log(`statements of one scorecard():\n  ${statements.join('\n  ')}`);

    // A late edit to one case of the month: the trigger logs its county-month, the next refresh recomputes that one only.
    const [edited] = await rows<{ id: number; county: string; code: string }>(db, sql`UPDATE case_file c SET rework_count = c.rework_count + 1
      WHERE c.id = (SELECT id FROM case_file WHERE state = 'closed' AND reported_at >= ${repo.monthStart(month).toISOString()}
        AND reported_at < ${repo.monthStart(repo.nextMonth(month)).toISOString()} ORDER BY id LIMIT 1)
      RETURNING c.id, c.county_code AS county, (SELECT code FROM area WHERE id = c.area_id) AS code`);
    t0 = performance.now();
    const lateCount = await repo.refresh(db, { counties, months: [month] }, now);
    const lateRefreshMs = performance.now() - t0;
    t0 = performance.now();
    await scorecard(db, ADMIN, q, now);
    const afterEditMs = performance.now() - t0;
    await checkFacts(db, city, [month], now);
    log(`late edit of case ${edited!.id} (county ${edited!.county}): refresh ${round(lateRefreshMs)} ms, ${lateCount} county-month recomputed; the next scorecard ${round(afterEditMs)} ms; facts still equal`);


    // The plans: the kept facts' read and one month of the raw grouped query.
    const keptPlans: string[][] = [];
    await scorecard(planningDb(db, /LEFT JOIN score_fact f/, keptPlans), ADMIN, q, now);
    const rawPlans: string[][] = [];
    await repo.villageFactsRaw(planningDb(db, /vmap AS MATERIALIZED/, rawPlans), city.path, [month], now);

    // The same refreshes with jit off (what `SET LOCAL jit = off` in the refresh would give): another late edit, then the month from nothing.
    await db.execute(sql`UPDATE case_file SET rework_count = rework_count - 1 WHERE id = ${edited!.id}`);
    t0 = performance.now();
    await repo.refresh(noJit.db, { counties, months: [month] }, now);
    const lateRefreshNoJitMs = performance.now() - t0;
    await db.execute(sql`TRUNCATE score_fact, score_month`);
    t0 = performance.now();
    await repo.refresh(noJit.db, { counties, months: [month] }, now);
    const firstRefreshNoJitMs = performance.now() - t0;
    log(`with jit off: the late edit's refresh ${round(lateRefreshNoJitMs)} ms, the month's first refresh ${round(firstRefreshNoJitMs)} ms`);

    const result: BenchResult = {
      name: 'scorecard.city.month', value: round(mine.median), unit: 'ms', baseline: round(base.median), ratio: timeRatio(mine.median, base.median),
      p99: round(mine.p99), runs: mine.runs, baseline_p99: round(base.p99), baseline_runs: base.runs,
      baseline_nojit_ms: round(baseNoJit.median), baseline_nojit_p99: round(baseNoJit.p99), ratio_nojit: timeRatio(mine.median, baseNoJit.median),
      rescored_median_ms: round(rescored.median), rescored_p99: round(rescored.p99), rescored_ratio: timeRatio(rescored.median, base.median),
      rescored_ratio_nojit: timeRatio(rescored.median, baseNoJit.median),
      period: key, as_of: now.toISOString(), villages: facts.villages, counties: counties.length, same_facts: true, same_rows: true,
      first_refresh_ms: round(firstRefreshMs), first_refresh_county_months: firstCount, first_scorecard_ms: round(coldMs),
      late_edit_refresh_ms: round(lateRefreshMs), late_edit_county_months: lateCount, scorecard_after_edit_ms: round(afterEditMs),
      first_refresh_nojit_ms: round(firstRefreshNoJitMs), late_edit_refresh_nojit_ms: round(lateRefreshNoJitMs),
      cases: year.cases, tasks: year.tasks, task_results: year.results, turnout: year.turnout, visits: year.visits, other_scores: year.other,
      cases_in_month: f.cases_reported, tasks_due_in_month: f.tasks_due, checklists_in_month: f.checklist_count,
      generate_seconds: round(year.generateSeconds, 1), statements,
    };
    return {
      result,
      plans: {
        'scorecard.city.month (villageFacts: the kept facts)': keptPlans[0] ?? [],
        [`scorecard.city.month (baseline: villageFactsRaw for ${key})`]: rawPlans[0] ?? [],
      },
    };
  } finally {
    await noJit.close();
    await database.close();
    await scratch.drop();
    process.removeListener('SIGINT', onSignal);
  }
}

// ------------------------------------------------------------------ scorecard.town.month.pglite

export async function benchTownPglite(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-scores-'));
  const photoDir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-scores-photos-'));
  log(`scorecard.town.month.pglite: PGlite in ${dir}`);
  const database = await openPglite(dir);
  try {
    const db = database.db;
    await migrateDatabase(database);
    let t0 = performance.now();
    // What `npm start` does on an empty folder: the administrator, the calendar, the demo town with its cases and routine history.
    await prepare(database, { ...loadConfig({}), dataDir: dir, photoDir, adminPassword: 'Bench-pass-1' }, (s) => log(`  ${s}`));
    const setupSeconds = (performance.now() - t0) / 1000;
    const town = (await areasRepo.findByCode(db, DEMO_TOWN))!;
    const now = new Date();
    const today = todayInChina(now);
    const last = monthBefore(today);
    const lastKey = keyOf(last);
    const curKey = keyOf(today);

    t0 = performance.now();
    const firstLast = await scorecard(db, ADMIN, { areaId: town.id, period: lastKey }, now);
    const coldLastMs = performance.now() - t0;
    t0 = performance.now();
    const firstCur = await scorecard(db, ADMIN, { areaId: town.id, period: curKey }, now);
    const coldCurMs = performance.now() - t0;
    const facts = await checkFacts(db, town, [`${today.slice(0, 7)}-01`, last, monthBefore(last)], now);
    checkCards(firstLast, await plainScorecard(db, town, lastKey, now));
    checkCards(firstCur, await plainScorecard(db, town, curKey, now));
    const fl = facts.totals[last]!;
    const fc = facts.totals[`${today.slice(0, 7)}-01`]!;
    log(`demo town set up in ${round(setupSeconds)} s; first scorecards ${round(coldLastMs)} ms (${lastKey}) and ${round(coldCurMs)} ms (${curKey}); facts and rows equal the raw ones for ${facts.villages} villages`);
    log(`${lastKey}: ${fl.cases_reported} cases, ${fl.tasks_due} tasks due, ${fl.checklist_count} checklists; ${curKey}: ${fc.cases_reported} cases, ${fc.tasks_due} tasks due, ${fc.checklist_count} checklists`);

    const lastRuns = summary(await timeRuns(TOWN_RUNS, 2, () => scorecard(db, ADMIN, { areaId: town.id, period: lastKey }, now)));
    const rescored = summary(await timeRuns(TOWN_RUNS, 2, () => { forgetScores(db); return scorecard(db, ADMIN, { areaId: town.id, period: lastKey }, now); }));
    const curRuns = summary(await timeRuns(TOWN_RUNS, 2, () => scorecard(db, ADMIN, { areaId: town.id, period: curKey }, now)));
    const base = summary(await timeRuns(TOWN_BASELINE_RUNS, 1, () => plainScorecard(db, town, lastKey, now)));
    const baseCur = summary(await timeRuns(TOWN_BASELINE_RUNS, 1, () => plainScorecard(db, town, curKey, now)));
    log(`scorecard.town.month.pglite: ${lastKey} median ${round(lastRuns.median)} ms, p99 ${round(lastRuns.p99)} ms; ${curKey} median ${round(curRuns.median)} ms, p99 ${round(curRuns.p99)} ms (${lastRuns.runs} runs each)`);
    log(`  baseline (raw records): ${lastKey} median ${round(base.median)} ms; ${curKey} median ${round(baseCur.median)} ms (${base.runs} runs each)`);
    const statements: string[] = [];
    await scorecard(timingDb(db, statements), ADMIN, { areaId: town.id, period: lastKey }, now);
    log(`statements of one scorecard() on PGlite:\n  ${statements.join('\n  ')}`);
    return {
      name: 'scorecard.town.month.pglite', value: round(lastRuns.median), unit: 'ms', baseline: round(base.median), ratio: timeRatio(lastRuns.median, base.median),
      p99: round(lastRuns.p99), runs: lastRuns.runs, period: lastKey, as_of: now.toISOString(),
      rescored_median_ms: round(rescored.median), rescored_ratio: timeRatio(rescored.median, base.median),
      current_period: curKey, current_median_ms: round(curRuns.median), current_p99: round(curRuns.p99),
      current_baseline_median_ms: round(baseCur.median), baseline_runs: base.runs,
      first_scorecard_ms: round(coldLastMs), first_scorecard_current_ms: round(coldCurMs), villages: facts.villages, same_facts: true, same_rows: true,
      cases_in_period: fl.cases_reported, tasks_due_in_period: fl.tasks_due, cases_in_current: fc.cases_reported, tasks_due_in_current: fc.tasks_due,
      setup_seconds: round(setupSeconds, 1), statements,
    };
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
    await rm(photoDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ entry from index.ts

export async function runScoreBenchmarks(ctx: {
  wanted: (name: string) => boolean; emit: (r: BenchResult) => void; plans: Record<string, string[]>;
  attempt: (name: string, fn: () => Promise<void>) => Promise<void>;
}): Promise<void> {
  if (ctx.wanted('scorecard.city.month')) {
    await ctx.attempt('scorecard.city.month', async () => {
      const r = await benchCityMonth();
      ctx.emit(r.result);
      Object.assign(ctx.plans, r.plans);
    });
  }
  if (ctx.wanted('scorecard.town.month.pglite')) await ctx.attempt('scorecard.town.month.pglite', async () => ctx.emit(await benchTownPglite()));
}
