// Benchmarks print figures; they are never tests. Each prints one JSON line with --json:
// {name, value, unit, baseline, ratio} (+ extra keys). `baseline` is the same work done the plain
// way in the same run; `ratio` is how many times better the project is (higher is better).
// The database benchmarks run on a scratch PostgreSQL database (wangge_bench_<random>) that is
// dropped at the end; start.embedded runs the server on a temporary PGlite folder.
import { migrateDatabase, openPostgres, type Database } from '../apps/api/src/db/client.js';
import { benchImport, benchSubtree } from './areas.js';
import { benchAnswerable } from './answerable.js';
import { TIERS, type Tier } from './generate.js';
import { benchStart } from './start.js';
import { CASE_BENCHMARKS, runCaseBenchmarks } from './cases.js';
import { benchBulletin } from './bulletin.js';
import { ROUTINE_BENCHMARKS, benchRoutinesCity } from './routines.js';
import { SCORE_BENCHMARKS, runScoreBenchmarks } from './scores.js';
import { INTAKE_BENCHMARKS, runIntakeBenchmarks } from './intake.js';
import { INTAKE_REPORT_BENCHMARKS, runIntakeReportBenchmarks } from './intake-report.js';
import { AUTH_BENCHMARKS, runAuthBenchmarks } from './auth.js';
import { log, scratchDatabase, type BenchResult } from './util.js';

export interface BenchOptions { json?: boolean; only?: string; tier?: string }

export const BENCHMARKS = ['areas.import.province', 'areas.subtree.province', 'people.answerable.province', 'start.embedded.empty', 'start.embedded.existing', 'bulletin.town.day', ...CASE_BENCHMARKS, ...ROUTINE_BENCHMARKS, ...SCORE_BENCHMARKS, ...INTAKE_BENCHMARKS, ...INTAKE_REPORT_BENCHMARKS, ...AUTH_BENCHMARKS];

export async function runBenchmarks(opts: BenchOptions): Promise<void> {
  const tier = (opts.tier ?? 'province') as Tier;
  if (!(tier in TIERS)) {
    console.error(`unknown tier "${opts.tier}": use ${Object.keys(TIERS).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const wanted = (name: string) => !opts.only || name.includes(opts.only);
  if (!BENCHMARKS.some(wanted)) {
    console.error(`no benchmark matches "${opts.only}": ${BENCHMARKS.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const results: BenchResult[] = [];
  const plans: Record<string, string[]> = {};
  const emit = (r: BenchResult) => {
    results.push(r);
    if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  };
  const runs = tier === 'town' ? 100 : 200;
  const failed: string[] = [];
  /** One benchmark failing (e.g. the server does not start) is reported; the others still run. */
  const attempt = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      failed.push(name);
      log(`FAILED ${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = 1;
    }
  };

  const needDb = ['areas.import.province', 'areas.subtree.province', 'people.answerable.province'].some(wanted);
  if (needDb) await attempt('database benchmarks', async () => {
    const scratch = await scratchDatabase();
    log(`scratch database ${scratch.name}, tier ${tier} (${TIERS[tier]})`);
    const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
    process.once('SIGINT', onSignal);
    let database: Database | undefined;
    try {
      database = await openPostgres(scratch.url, 4);
      await migrateDatabase(database);
      const imported = await benchImport(database, tier, wanted('areas.import.province')); // the other two need the areas
      if (imported) emit(imported);
      if (wanted('areas.subtree.province')) {
        await attempt('areas.subtree.province', async () => {
          const s = await benchSubtree(database!, tier, runs);
          emit(s.result);
          Object.assign(plans, s.plans);
        });
      }
      if (wanted('people.answerable.province')) {
        await attempt('people.answerable.province', async () => {
          const a = await benchAnswerable(database!, tier, runs);
          emit(a.result);
          Object.assign(plans, a.plans);
        });
      }
    } finally {
      await database?.close();
      await scratch.drop();
      process.removeListener('SIGINT', onSignal);
    }
  });
  if (wanted('bulletin.town.day')) await attempt('bulletin.town.day', async () => {
    const scratch = await scratchDatabase();
    log(`scratch database ${scratch.name} for bulletin.town.day`);
    let database: Database | undefined;
    try {
      database = await openPostgres(scratch.url, 4);
      await migrateDatabase(database);
      const b = await benchBulletin(database, tier === 'town' ? 20 : 30);
      emit(b.result);
      Object.assign(plans, b.plans);
    } finally {
      await database?.close();
      await scratch.drop();
    }
  });
  if (wanted('start.embedded.empty') || wanted('start.embedded.existing')) {
    await attempt('start.embedded', async () => { for (const r of await benchStart()) if (wanted(r.name)) emit(r); });
  }
  await runCaseBenchmarks({ wanted, emit, attempt, plans });
  if (ROUTINE_BENCHMARKS.some(wanted)) await attempt('routines', async () => {
    const r = await benchRoutinesCity(wanted);
    for (const x of r.results) emit(x);
    Object.assign(plans, r.plans);
  });
  await runScoreBenchmarks({ wanted, emit, attempt, plans });
  await runIntakeBenchmarks({ wanted, emit, attempt }); // pure, no database
  await runIntakeReportBenchmarks({ wanted, emit, attempt }); // the public intake over HTTP, scratch database
  await runAuthBenchmarks({ wanted, emit, attempt }); // logins over HTTP, scratch database
  if (!opts.json) printTable(results, plans);
  if (failed.length) log(`failed: ${failed.join(', ')}`);
}

function printTable(results: BenchResult[], plans: Record<string, string[]>) {
  const fmt = (x: unknown) => (x === null || x === undefined ? '—' : String(x));
  const head = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'notes'];
  const body = results.map((r) => {
    const { name, value, unit, baseline, ratio, plan: _p, ...extra } = r;
    return [name, fmt(value), unit, fmt(baseline), fmt(ratio), Object.entries(extra).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : fmt(v)}`).join(' ')];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  for (const [title, plan] of Object.entries(plans)) {
    console.log(`\n== ${title} ==`);
    console.log(plan.join('\n'));
  }
}
