// Shared pieces of the benchmarks: results, timing statistics, a scratch PostgreSQL database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { rows, sql, type Db } from '../apps/api/src/db/client.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  [extra: string]: unknown;
}

/** ratio for a rate (higher is better) or a time (lower is better), rounded for reading. */
export const rateRatio = (value: number, baseline: number) => round(value / baseline, 3);
export const timeRatio = (value: number, baseline: number) => round(baseline / value, 3);
export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p99: quantile(s, 0.99), min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** Times `fn` runs times after `warmup` untimed runs, in milliseconds. */
export async function timeRuns(runs: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** EXPLAIN (ANALYZE, BUFFERS) of a query, as text lines. */
export async function explain(db: Db, query: ReturnType<typeof sql>): Promise<string[]> {
  const list = await rows<{ 'QUERY PLAN': string }>(db, sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
  return list.map((r) => r['QUERY PLAN']);
}

/** A Db whose every execute() returns the EXPLAIN ANALYZE of the project's own query instead. */
export function explainingDb(db: Db, plans: string[][]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return async (query: ReturnType<typeof sql>) => {
          const res = (await target.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] };
          plans.push(res.rows.map((r) => r['QUERY PLAN']));
          return { rows: [] };
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

export const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database on the server (wangge_bench_<random>, or `<prefix>_<random>`); drop() removes it and only
 * it. With `keepAs`, the database of that name is created if missing, reused, and never dropped.
 */
export async function scratchDatabase(serverUrl = process.env.DATABASE_URL?.trim() || DEFAULT_URL, opts: { prefix?: string; keepAs?: string } = {}) {
  const keep = Boolean(opts.keepAs);
  const name = opts.keepAs ?? `${opts.prefix ?? 'wangge_bench'}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows: found } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.length) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = keep;
  return {
    name,
    url: url.toString(),
    keep,
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const log = (s: string) => process.stderr.write(`${s}\n`);
