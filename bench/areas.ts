// areas.import.province and areas.subtree.province.
import { SingleBar, Presets } from 'cli-progress';
import { rows, sql, type Database } from '../apps/api/src/db/client.js';
import * as repo from '../apps/api/src/modules/areas/areas.repository.js';
import { tierTree, TIERS, type Tier } from './generate.js';
import { checkSearch, compareWithInsertTree, importAreas, rawCopyBaseline } from './province-import.js';
import { explain, log, rateRatio, round, summary, timeRatio, timeRuns, type BenchResult } from './util.js';

/** Imports the tier; with `measure` false (another benchmark only needs the areas) it skips the baseline and checks. */
export async function benchImport(database: Database, tier: Tier, measure = true): Promise<BenchResult | null> {
  const prefix = TIERS[tier];
  const t0 = performance.now();
  const tree = await tierTree(prefix);
  const readMs = performance.now() - t0;
  const total = tree.specs.length;
  log(`areas: ${Object.entries(tree.counts).map(([k, v]) => `${k} ${v}`).join(', ')} = ${total} rows (divisions read in ${round(readMs / 1000)} s)`);
  const bar = tier === 'province' ? new SingleBar({ format: 'import {bar} {percentage}% {value}/{total} rows {eta}s', stream: process.stderr }, Presets.shades_classic) : null;
  bar?.start(total, 0);
  let imported;
  try {
    imported = await importAreas(database, tree.specs, { keepText: measure, onProgress: (n) => bar?.update(n) });
  } finally {
    bar?.stop();
  }
  const projectMs = imported.ms; // from parsed division rows to committed area rows (reading the CSV apart)
  const rate = total / (projectMs / 1000);
  await database.db.execute(sql`ANALYZE area`);
  if (!measure) return null;

  const base = await rawCopyBaseline(database, imported.text!);
  if (base.rows !== total) throw new Error(`baseline copied ${base.rows} rows, expected ${total}`);
  const baseRate = total / (base.ms / 1000);

  // Proof of identical rows: the project's insertTree on one town, column by column; search text on a sample.
  const town = await tierTree(TIERS.town);
  const same = await compareWithInsertTree(database, town.specs);
  const search = checkSearch(tree.specs);
  if (same.differing.length || search.mismatches.length) {
    log(`WARNING: rows differ from insertTree: ${same.differing.slice(0, 5).join(', ')} search: ${search.mismatches.slice(0, 5).join(', ')}`);
  }
  return {
    name: 'areas.import.province', value: round(rate, 0), unit: 'rows/s', baseline: round(baseRate, 0), ratio: rateRatio(rate, baseRate),
    tier, rows: total, seconds: round(projectMs / 1000, 2), read_seconds: round(readMs / 1000, 2), baseline_seconds: round(base.ms / 1000, 2),
    identical_to_insertTree: same.differing.length === 0 && search.mismatches.length === 0,
    compared_rows: same.compared, search_checked: search.checked,
  };
}

/**
 * The project's subtree query: one range scan of area_path_idx (a prefix LIKE on path,
 * text_pattern_ops) gives the whole subtree, then its micro-grids are kept. MATERIALIZED keeps the
 * planner from AND-ing in area_level_idx (310k micro-grids in a province: 12 ms of bitmap work
 * to filter 3k rows, chosen whenever ANALYZE's sample overestimates the prefix).
 */
export const microGridsUnder = (path: string) => sql`WITH sub AS MATERIALIZED (
    SELECT a.id, a.code, a.name, a.path, a.depth, a.level_key, a.archived_at FROM area a WHERE ${repo.insideRoots([path])})
  SELECT id, code, name, path, depth FROM sub WHERE level_key = 'micro_grid' AND archived_at IS NULL ORDER BY code`;

/** The plain way: walk down parent_id with a recursive CTE. */
export const microGridsRecursive = (id: number) => sql`WITH RECURSIVE sub AS (
    SELECT id FROM area WHERE id = ${id}
    UNION ALL SELECT c.id FROM area c JOIN sub ON c.parent_id = sub.id)
  SELECT a.id, a.code, a.name, a.path, a.depth FROM area a JOIN sub ON sub.id = a.id
  WHERE a.level_key = 'micro_grid' AND a.archived_at IS NULL ORDER BY a.code`;

export async function benchSubtree(database: Database, tier: Tier, runs: number): Promise<{ result: BenchResult; plans: Record<string, string[]> }> {
  const db = database.db;
  const county = await repo.findByCode(db, '370321');
  if (!county) throw new Error('county 370321 not imported');
  const project = microGridsUnder(county.path);
  const plain = microGridsRecursive(county.id);
  const [a, b] = [await rows<{ id: number }>(db, project), await rows<{ id: number }>(db, plain)];
  if (a.length !== b.length || a.some((r, i) => r.id !== b[i]!.id)) throw new Error(`subtree answers differ: ${a.length} vs ${b.length}`);
  const mine = summary(await timeRuns(runs, 10, () => rows(db, project)));
  const base = summary(await timeRuns(runs, 10, () => rows(db, plain)));
  const plan = await explain(db, project);
  const basePlan = await explain(db, plain);
  const result: BenchResult = {
    name: 'areas.subtree.province', value: round(mine.median, 3), unit: 'ms', baseline: round(base.median, 3),
    ratio: timeRatio(mine.median, base.median), p99: round(mine.p99, 3), baseline_p99: round(base.p99, 3),
    tier, county: county.code, micro_grids: a.length, runs,
    uses_path_index: plan.some((l) => l.includes('area_path_idx')), plan: plan.join('\n'),
  };
  return { result, plans: { 'areas.subtree.province (project: path prefix)': plan, 'areas.subtree.province (baseline: WITH RECURSIVE)': basePlan } };
}
