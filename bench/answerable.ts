// people.answerable.province: "who answers for this micro-grid today", at the tier's scale.
import { rows, sql, type Database } from '../apps/api/src/db/client.js';
import * as areasRepo from '../apps/api/src/modules/areas/areas.repository.js';
import * as peopleRepo from '../apps/api/src/modules/people/people.repository.js';
import { pathIds } from '../apps/api/src/modules/areas/areas.service.js';
import { todayInChina } from '../apps/api/src/lib/dates.js';
import { generateResponsibilities, type Tier } from './generate.js';
import { explain, explainingDb, log, round, summary, timeRatio, timeRuns, type BenchResult } from './util.js';

/**
 * The naive way: walk up parent_id with a recursive CTE and join the responsibilities to it.
 * `table` is responsibility_plain (the same rows, no index: a full scan, as without the
 * project's responsibility_area_idx) for the baseline, or responsibility for comparison.
 */
export const answerableNaive = (areaId: number, day: string, table = 'responsibility_plain') => sql`WITH RECURSIVE anc AS (
    SELECT id, parent_id FROM area WHERE id = ${areaId}
    UNION ALL SELECT p.id, p.parent_id FROM area p JOIN anc ON p.id = anc.parent_id)
  SELECT r.id, r.kind, r.area_id AS "areaId", a.name AS "areaName", a.code AS "areaCode", a.level_key AS "areaLevel",
    r.user_id AS "userId", u.display_name AS "userName", u.phone, r.holder_name AS "holderName", r.principal,
    r.valid_from AS "validFrom", r.valid_to AS "validTo", r.note, a.depth AS "areaDepth"
  FROM ${sql.identifier(table)} r JOIN anc ON anc.id = r.area_id JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r.user_id
  WHERE r.valid_from <= ${day} AND (r.valid_to IS NULL OR r.valid_to >= ${day})
  ORDER BY a.depth DESC, r.kind`;

export async function benchAnswerable(database: Database, tier: Tier, runs: number): Promise<{ result: BenchResult; plans: Record<string, string[]> }> {
  const db = database.db;
  const day = todayInChina();
  const province = await areasRepo.findByCode(db, '37');
  if (!province) throw new Error('province 37 not imported');
  const t0 = performance.now();
  const made = await generateResponsibilities(db, province.path, day);
  log(`responsibilities: ${made.responsibilities} for ${made.users} users in ${round((performance.now() - t0) / 1000)} s`);
  await db.execute(sql`DROP TABLE IF EXISTS responsibility_plain`);
  await db.execute(sql`CREATE TABLE responsibility_plain AS SELECT * FROM responsibility`);
  await db.execute(sql`ANALYZE responsibility_plain`);

  const sample = (await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'micro_grid' ORDER BY random() LIMIT ${runs}`))
    .map((r) => Number(r.id));
  if (sample.length === 0) throw new Error('no micro-grids');
  const pick = (i: number) => sample[i % sample.length]!;
  // The project's way, as whoAnswers does it: the chain as the tree stood that day (from the path
  // when nothing on it moved since), then one indexed lookup of the responsibilities.
  const endOfDay = new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
  const project = async (id: number) => {
    const a = await areasRepo.findById(db, id);
    return peopleRepo.answerable(db, await areasRepo.ancestorIdsOn(db, a!, endOfDay), day);
  };
  // Same answers both ways (a few areas checked).
  for (const id of sample.slice(0, 5)) {
    const x = (await project(id)).map((r) => Number(r.id)).sort();
    const y = (await rows<{ id: number }>(db, answerableNaive(id, day))).map((r) => Number(r.id)).sort();
    if (x.join() !== y.join()) throw new Error(`answerable differs for area ${id}: ${x.join()} vs ${y.join()}`);
  }
  const chainLength = (await project(sample[0]!)).length;
  const mine = summary(await timeRuns(runs, 10, (i) => project(pick(i))));
  const base = summary(await timeRuns(runs, 10, (i) => rows(db, answerableNaive(pick(i), day))));
  const indexed = summary(await timeRuns(runs, 10, (i) => rows(db, answerableNaive(pick(i), day, 'responsibility'))));

  const plans: string[][] = [];
  const a = await areasRepo.findById(db, sample[0]!);
  await peopleRepo.answerable(explainingDb(db, plans), pathIds(a!.path), day);
  const plan = plans[0]!;
  const basePlan = await explain(db, answerableNaive(sample[0]!, day));
  await db.execute(sql`DROP TABLE responsibility_plain`);
  const result: BenchResult = {
    name: 'people.answerable.province', value: round(mine.median, 3), unit: 'ms', baseline: round(base.median, 3),
    ratio: timeRatio(mine.median, base.median), p99: round(mine.p99, 3), baseline_p99: round(base.p99, 3),
    recursive_cte_indexed_ms: round(indexed.median, 3), recursive_cte_indexed_p99: round(indexed.p99, 3),
    tier, responsibilities: made.responsibilities, users: made.users, chain_length: chainLength, runs, day,
    uses_index: plan.some((l) => l.includes('responsibility_area_idx')), plan: plan.join('\n'),
  };
  return { result, plans: { 'people.answerable.province (project: ids from path)': plan, 'people.answerable.province (baseline: recursive CTE, responsibilities without index)': basePlan } };
}
