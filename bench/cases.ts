// The case benchmarks:
// - cases.create.postgres / cases.create.pglite: POST /api/v1/cases through the real app (buildApp,
//   listening on a local port, real session cookies of 32 grid workers of the demo town) at 32
//   connections kept busy by a closed-loop HTTP client in a worker thread; baseline a raw
//   single-row INSERT of the same row into case_file (pg.Pool of 32, or PGlite's own query).
// - cases.overdue.city: "overdue cases under one county" (the repository's listCases, first page
//   of 20 with the total) over a year of generated cases for the city tier; baseline the same
//   query on plain copies of case_file and area (no case_open_due_idx, no area_path_idx).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { performance as perfHooks } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { migrateDatabase, openPglite, openPostgres, rows, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import { buildApp } from '../apps/api/src/app.js';
import { loginOverHttp } from '../apps/api/test/second-factor.js';
import { loadConfig } from '../apps/api/src/config/index.js';
import { ensureAdmin } from '../apps/api/src/modules/people/bootstrap.js';
import { DEMO_PASSWORD, DEMO_TOWN, setupDemo } from '../apps/api/src/modules/demo/demo.js';
import * as areasRepo from '../apps/api/src/modules/areas/areas.repository.js';
import * as casesRepo from '../apps/api/src/modules/cases/cases.repository.js';
import { todayInChina } from '../apps/api/src/lib/dates.js';
import { generateResponsibilities, tierTree, TIERS } from './generate.js';
import { importAreas } from './province-import.js';
import { explainingDb, log, rateRatio, round, scratchDatabase, summary, timeRatio, type BenchResult } from './util.js';

export const CASE_BENCHMARKS = ['cases.create.postgres', 'cases.create.pglite', 'cases.overdue.city'];

export const CONNECTIONS = 32;
export const WARMUP_MS = 2_000;
export const DURATION_MS = 10_000;
/** A year of cases for the city tier: the scoring issue's size (about 1,000 a village a year); WANGGE_BENCH_CITY_CASES to change. */
export const CITY_CASES = Number(process.env.WANGGE_BENCH_CITY_CASES) || 3_000_000;
const ADMIN_PASSWORD = 'Bench-pass-1';
const DESCRIPTIONS = ['路边有一堆生活垃圾未清理', '门前堆放砖块木料', '排水沟内有漂浮垃圾', '主街路面有泥土和落叶',
  '路边柴草垛占道', '垃圾桶满溢未及时清运', '院外私搭彩钢棚', '墙面张贴小广告'];

interface Harness {
  /** the API's database (what the server uses) */
  database: Database;
  app: FastifyInstance;
  port: number;
  users: { username: string; cookie: string; areaIds: number[] }[];
  categoryIds: number[];
  reporterId: number;
}

interface LoadResult {
  ok: number; errors: number; firstError: string | null; seconds: number; latencies: number[];
}

// ------------------------------------------------------------------ the HTTP load generator

/**
 * A closed-loop HTTP client in a worker thread (its own event loop, so it does not share the
 * server's): `connections` loops, each with a keep-alive socket and one request in flight, each
 * sending POST /api/v1/cases as one of the grid workers (new clientId every time). Requests that
 * complete during the warm-up are not counted; the rate is completions in the measured window.
 */
const CLIENT = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { port, connections, warmupMs, durationMs, users, categoryIds, descriptions } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function send(body, cookie) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/cases', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { if (res.statusCode !== 201 && text.length < 400) text += c; });
      res.on('end', () => resolve({ status: res.statusCode, t0, t1: performance.now(), text }));
    });
    req.on('error', (e) => resolve({ status: 0, t0, t1: performance.now(), text: e.message }));
    req.end(body);
  });
}
async function main() {
  const start = performance.now();
  const warmEnd = start + warmupMs;
  const end = warmEnd + durationMs;
  const out = { ok: 0, errors: 0, firstError: null, latencies: [] };
  const loop = async (i) => {
    const u = users[i % users.length];
    for (let n = 0; performance.now() < end; n++) {
      const body = JSON.stringify({
        clientId: randomUUID(), source: 'field', categoryId: categoryIds[(i * 7 + n) % categoryIds.length],
        areaId: u.areaIds[n % u.areaIds.length], description: descriptions[(i + n) % descriptions.length],
        address: '村委会东 ' + (n % 50) + ' 米', lat: 36.95 + ((i * 31 + n) % 100) / 2000, lng: 118.08 + ((i * 17 + n) % 100) / 2000,
      });
      const r = await send(body, u.cookie);
      if (r.status !== 201) { out.errors++; if (!out.firstError) out.firstError = r.status + ' ' + r.text; continue; }
      if (r.t1 >= warmEnd && r.t1 <= end) { out.ok++; out.latencies.push(r.t1 - r.t0); }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  agent.destroy();
  parentPort.postMessage({ ...out, seconds: durationMs / 1000 });
}
main().catch((e) => parentPort.postMessage({ ok: 0, errors: 1, firstError: String(e && e.stack || e), latencies: [], seconds: durationMs / 1000 }));
`;

async function drive(h: Harness, warmupMs = WARMUP_MS, durationMs = DURATION_MS): Promise<LoadResult> {
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { port: h.port, connections: CONNECTIONS, warmupMs, durationMs, users: h.users, categoryIds: h.categoryIds, descriptions: DESCRIPTIONS },
  });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The same row the API writes, inserted the plain way, by `connections` loops for the same window. */
async function rawInserts(insert: (no: string, clientId: string, i: number) => Promise<unknown>, connections: number,
  warmupMs = WARMUP_MS, durationMs = DURATION_MS): Promise<LoadResult> {
  const start = performance.now();
  const warmEnd = start + warmupMs;
  const end = warmEnd + durationMs;
  const out: LoadResult = { ok: 0, errors: 0, firstError: null, seconds: durationMs / 1000, latencies: [] };
  const run = randomUUID().slice(0, 8);
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    for (let n = 0; performance.now() < end; n++) {
      const t0 = performance.now();
      await insert(`B${run}-${c}-${n}`, randomUUID(), c * 100_003 + n);
      const t1 = performance.now();
      if (t1 >= warmEnd && t1 <= end) { out.ok++; out.latencies.push(t1 - t0); }
    }
  }));
  return out;
}

const INSERT_CASE = `INSERT INTO case_file (no, client_id, source, state, category_id, area_id, county_code, description,
    address, lat, lng, reported_by, reporter_name, reported_at, demo)
  VALUES ($1, $2, 'field', 'reported', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, false)`;

function insertParams(h: Harness, no: string, clientId: string, i: number, countyCode: string) {
  const u = h.users[i % h.users.length]!;
  return [no, clientId, h.categoryIds[i % h.categoryIds.length], u.areaIds[i % u.areaIds.length], countyCode,
    DESCRIPTIONS[i % DESCRIPTIONS.length], `村委会东 ${i % 50} 米`, 36.95 + (i % 100) / 2000, 118.08 + (i % 100) / 2000,
    h.reporterId, '网格员', new Date().toISOString()];
}

// ------------------------------------------------------------------ the app on a database with the demo town

export async function harness(database: Database, photoDir: string): Promise<Harness> {
  const db = database.db;
  await migrateDatabase(database);
  await ensureAdmin(db, ADMIN_PASSWORD);
  const t0 = performance.now();
  await setupDemo(db);
  log(`demo town set up in ${round((performance.now() - t0) / 1000)} s`);
  const config = { ...loadConfig({}), webDist: '/nonexistent', photoDir, logLevel: 'warn' };
  const app = await buildApp(config, database);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/api/v1`;
  const loginAs = async (username: string, password: string) => {
    const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('wangge_session='));
    if (res.status !== 200 || !cookie) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return cookie;
  };
  // A webhook on the town for new cases, so every report also writes an outbox row (delivery is
  // not running here: the rows wait, as they would for a slow robot).
  const [town] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = ${DEMO_TOWN}`);
  const hook = await fetch(`${base}/webhooks`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: await loginOverHttp(`http://127.0.0.1:${port}`, 'admin', ADMIN_PASSWORD) },
    body: JSON.stringify({ name: '镇指挥中心群', url: 'https://oapi.dingtalk.com/robot/send?access_token=bench', format: 'dingtalk', areaId: Number(town!.id), events: ['case.reported'] }),
  });
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${await hook.text()}`);
  // 32 grid workers, each reporting in the micro-grids of their own grid.
  const workers = await rows<{ username: string; areaIds: number[] }>(db, sql`SELECT u.username, array_agg(m.id ORDER BY m.id) AS "areaIds"
    FROM app_user u JOIN user_role g ON g.user_id = u.id AND g.role_key = 'grid_worker'
    JOIN area m ON m.parent_id = g.area_id AND m.level_key = 'micro_grid'
    WHERE u.username ~ '^wgy[0-9]{3}$' GROUP BY u.username ORDER BY u.username LIMIT ${CONNECTIONS}`);
  if (workers.length < CONNECTIONS) throw new Error(`only ${workers.length} grid workers with micro-grids`);
  const users = [];
  for (const w of workers) users.push({ username: w.username, cookie: await loginAs(w.username, DEMO_PASSWORD), areaIds: w.areaIds.map(Number) });
  const categoryIds = (await rows<{ id: number }>(db, sql`SELECT id FROM case_category WHERE parent_id IS NOT NULL AND active ORDER BY sort`)).map((r) => Number(r.id));
  const [reporter] = await rows<{ id: number }>(db, sql`SELECT id FROM app_user WHERE username = ${workers[0]!.username}`);
  return { database, app, port, users, categoryIds, reporterId: Number(reporter!.id) };
}

/** Fraction of the machine's CPU time that was busy between two readings of /proc/stat (all cores). */
function cpuTimes(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + (f[4] ?? 0);
    const total = f.reduce((s, x) => s + x, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
const busyBetween = (a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>) =>
  (a && b && b.total > a.total ? round((b.busy - a.busy) / (b.total - a.total), 2) : null);

export async function measureApi(h: Harness) {
  const cpu0 = cpuTimes();
  const elu0 = perfHooks.eventLoopUtilization();
  const r = await drive(h);
  const elu = perfHooks.eventLoopUtilization(elu0);
  const busy = busyBetween(cpu0, cpuTimes());
  if (r.ok === 0) throw new Error(`no case created: ${r.errors} errors, first: ${r.firstError}`);
  if (r.errors) log(`WARNING: ${r.errors} requests failed, first: ${r.firstError}`);
  return { ...r, rate: r.ok / r.seconds, lat: summary(r.latencies), serverElu: round(elu.utilization, 2), cpuBusy: busy };
}

// ------------------------------------------------------------------ where the time goes (PostgreSQL)

interface Profile {
  requests: number; queriesPerRequest: number; dbMsPerRequest: number; lockWaitMs: number; lockHeldMs: number; statementsUnderLock: number;
  poolWaiting: number; top: { statement: string; perRequest: number; meanMs: number; totalShare: number }[];
}

/**
 * A short second run with every statement of the app's pool timed (pg.Client.prototype.query
 * wrapped): statements per request, database time per request, the wait for the audit log's
 * advisory lock and how long it is held (from the lock to the COMMIT: the serial section).
 */
export async function profileApi(h: Harness): Promise<Profile> {
  type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const stats = new Map<string, { n: number; ms: number }>();
  const lockAt = new Map<pg.Client, number>();
  const underLock = new Map<pg.Client, number>();
  const lockedStatements: number[] = [];
  let inserts = 0;
  const held: number[] = [];
  const waits: number[] = [];
  let measuring = false;
  const record = (client: pg.Client, text: string, t0: number) => {
    const t1 = performance.now();
    if (!measuring) return;
    const label = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    const s = stats.get(label) ?? { n: 0, ms: 0 };
    s.n += 1; s.ms += t1 - t0;
    stats.set(label, s);
    if (/^INSERT INTO case_file/.test(label)) inserts += 1;
    if (text.includes('pg_advisory_xact_lock')) { lockAt.set(client, t1); underLock.set(client, 0); waits.push(t1 - t0); return; }
    if (lockAt.has(client)) underLock.set(client, underLock.get(client)! + 1);
    if (/^\s*(commit|rollback)/i.test(text) && lockAt.has(client)) {
      held.push(t1 - lockAt.get(client)!); lockedStatements.push(underLock.get(client)!); lockAt.delete(client); underLock.delete(client);
    }
  };
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : String((first as { text?: string } | null)?.text ?? '');
    const t0 = performance.now();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...cb: unknown[]) => { record(this, text, t0); return (last as (...x: unknown[]) => unknown)(...cb); };
      return original.apply(this, args);
    }
    const r = original.apply(this, args);
    if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(() => record(this, text, t0), () => record(this, text, t0));
    return r;
  };
  const pool = h.database.pool!;
  let samples = 0; let waiting = 0;
  const sampler = setInterval(() => { if (measuring) { samples += 1; waiting += pool.waitingCount; } }, 20);
  try {
    const warm = 1000; const dur = 4000;
    setTimeout(() => { measuring = true; }, warm);
    const r = await drive(h, warm, dur);
    measuring = false;
    // Per request = per case row written in the window (the client's count has a different window).
    const requests = Math.max(1, inserts || r.ok);
    const all = [...stats.entries()];
    const totalMs = all.reduce((s, [, v]) => s + v.ms, 0);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
    return {
      requests, queriesPerRequest: round(all.reduce((s, [, v]) => s + v.n, 0) / requests, 1), dbMsPerRequest: round(totalMs / requests, 2),
      lockWaitMs: round(mean(waits), 2), lockHeldMs: round(mean(held), 2), statementsUnderLock: round(mean(lockedStatements), 1), poolWaiting: round(samples ? waiting / samples : 0, 1),
      top: all.sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)
        .map(([statement, v]) => ({ statement, perRequest: round(v.n / requests, 2), meanMs: round(v.ms / v.n, 2), totalShare: round(v.ms / totalMs, 3) })),
    };
  } finally {
    clearInterval(sampler);
    proto.query = original;
  }
}

// ------------------------------------------------------------------ cases.create.postgres

export async function benchCreatePostgres(): Promise<BenchResult> {
  const scratch = await scratchDatabase();
  log(`cases.create.postgres: scratch database ${scratch.name}`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const photoDir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-photos-'));
  // The API's pool as the server opens it (openDatabase: 10 connections).
  const database = await openPostgres(scratch.url);
  let h: Harness | undefined;
  let raw: pg.Pool | undefined;
  try {
    h = await harness(database, photoDir);
    const db = database.db;
    const before = await counts(db);
    const api = await measureApi(h);
    const after = await counts(db);
    log(`cases.create.postgres: ${round(api.rate)} cases/s, p99 ${round(api.lat.p99)} ms, server event loop ${api.serverElu}, machine CPU ${api.cpuBusy}`);
    const made = after.cases - before.cases;
    const profile = await profileApi(h);
    log(`  profile: ${profile.queriesPerRequest} statements and ${profile.dbMsPerRequest} ms of database time per request; audit lock: wait ${profile.lockWaitMs} ms, held ${profile.lockHeldMs} ms (lock → COMMIT, ${profile.statementsUnderLock} statements incl. COMMIT); requests waiting for a pool connection: ${profile.poolWaiting} on average`);
    for (const t of profile.top) log(`  ${String(t.totalShare * 100).slice(0, 4).padStart(5)}%  ${String(t.perRequest).padStart(5)}×  ${String(t.meanMs).padStart(6)} ms  ${t.statement}`);

    const [county] = await rows<{ c: string }>(db, sql`SELECT county_code AS c FROM area WHERE code = ${DEMO_TOWN}`);
    raw = new pg.Pool({ connectionString: scratch.url, max: CONNECTIONS });
    const cpu0 = cpuTimes();
    const base = await rawInserts((no, clientId, i) => raw!.query(INSERT_CASE, insertParams(h!, no, clientId, i, county!.c)), CONNECTIONS);
    const baseBusy = busyBetween(cpu0, cpuTimes());
    const baseRate = base.ok / base.seconds;
    const baseLat = summary(base.latencies);
    log(`  baseline: ${round(baseRate)} raw INSERTs/s, p99 ${round(baseLat.p99)} ms`);
    return {
      name: 'cases.create.postgres', value: round(api.rate, 1), unit: 'requests/s', baseline: round(baseRate, 1), ratio: rateRatio(api.rate, baseRate),
      p99: round(api.lat.p99, 1), median_ms: round(api.lat.median, 1), baseline_p99: round(baseLat.p99, 2), goal: 0.4,
      connections: CONNECTIONS, seconds: api.seconds, warmup_seconds: WARMUP_MS / 1000, api_pool: database.pool!.options.max,
      errors: api.errors, cases_written: made, audit_entries_written: after.audit - before.audit, outbox_rows_written: after.outbox - before.outbox,
      notifications_written: after.notifications - before.notifications,
      server_event_loop: api.serverElu, machine_cpu_busy: api.cpuBusy, baseline_machine_cpu_busy: baseBusy,
      statements_per_request: profile.queriesPerRequest, db_ms_per_request: profile.dbMsPerRequest,
      audit_lock_wait_ms: profile.lockWaitMs, audit_lock_held_ms: profile.lockHeldMs, statements_under_lock: profile.statementsUnderLock,
      pool_waiting: profile.poolWaiting,
    };
  } finally {
    await raw?.end();
    await h?.app.close();
    await database.close();
    await rm(photoDir, { recursive: true, force: true });
    await scratch.drop();
    process.removeListener('SIGINT', onSignal);
  }
}

async function counts(db: Db) {
  const [r] = await rows<{ cases: number; audit: number; outbox: number; notifications: number }>(db, sql`SELECT
    (SELECT count(*) FROM case_file) AS cases, (SELECT count(*) FROM audit_log) AS audit,
    (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM notification) AS notifications`);
  return { cases: Number(r!.cases), audit: Number(r!.audit), outbox: Number(r!.outbox), notifications: Number(r!.notifications) };
}

// ------------------------------------------------------------------ cases.create.pglite

export async function benchCreatePglite(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-pglite-'));
  const photoDir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-photos-'));
  log(`cases.create.pglite: PGlite in ${dir}`);
  const database = await openPglite(dir);
  let h: Harness | undefined;
  try {
    h = await harness(database, photoDir);
    const db = database.db;
    const before = await counts(db);
    const api = await measureApi(h);
    const after = await counts(db);
    log(`cases.create.pglite: ${round(api.rate)} cases/s, p99 ${round(api.lat.p99)} ms, server event loop ${api.serverElu}`);
    const [county] = await rows<{ c: string }>(db, sql`SELECT county_code AS c FROM area WHERE code = ${DEMO_TOWN}`);
    const lite = database.pglite!;
    // PGlite has one connection: the 32 loops queue on it, as the API's requests do.
    const base = await rawInserts((no, clientId, i) => lite.query(INSERT_CASE, insertParams(h!, no, clientId, i, county!.c)), CONNECTIONS);
    const baseRate = base.ok / base.seconds;
    const baseLat = summary(base.latencies);
    log(`  baseline: ${round(baseRate)} raw INSERTs/s (PGlite query), p99 ${round(baseLat.p99)} ms`);
    return {
      name: 'cases.create.pglite', value: round(api.rate, 1), unit: 'requests/s', baseline: round(baseRate, 1), ratio: rateRatio(api.rate, baseRate),
      p99: round(api.lat.p99, 1), median_ms: round(api.lat.median, 1), baseline_p99: round(baseLat.p99, 2),
      connections: CONNECTIONS, seconds: api.seconds, warmup_seconds: WARMUP_MS / 1000, errors: api.errors,
      cases_written: after.cases - before.cases, audit_entries_written: after.audit - before.audit, outbox_rows_written: after.outbox - before.outbox,
      server_event_loop: api.serverElu, machine_cpu_busy: api.cpuBusy,
    };
  } finally {
    await h?.app.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
    await rm(photoDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ a year of cases (cases.overdue.city)

/**
 * `n` cases over the past year in the micro-grids under `rootPath`, in one INSERT … SELECT from
 * generate_series (seeded, so a run repeats). The mix: 2% refused; of the last day's cases most are
 * open in every state; of the last two weeks' 45% are still open (registered, dispatched, being
 * fixed, fix reported); of older ones 0.8% are long-running stragglers; the rest closed, ~90% of
 * fixes within the deadline (4 hours to 14 days by category), some reworked. Each case's grid
 * worker is its assignee once dispatched. Rows go in in time order (ids grow with reported_at, as
 * in a live table). The secondary indexes are dropped for the load and made
 * again after it (the same definitions, read from pg_indexes); the foreign keys stay on.
 */
export async function generateCases(database: Database, rootPath: string, n: number, now = new Date()): Promise<{ cases: number; seconds: number }> {
  const t0 = performance.now();
  const client = await database.pool!.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT setseed(0.3703)');
    await client.query(`CREATE TEMP TABLE bench_mg ON COMMIT DROP AS
      SELECT (row_number() OVER (ORDER BY m.id))::int AS k, m.id, m.county_code, u.id AS worker
      FROM area m JOIN area g ON g.id = m.parent_id LEFT JOIN app_user u ON u.username = 'wgy' || g.code
      WHERE m.level_key = 'micro_grid' AND m.path LIKE ${client.escapeLiteral(`${rootPath}%`)}`);
    await client.query('CREATE UNIQUE INDEX ON bench_mg (k)');
    const { rows: [mg] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_mg');
    if (!mg?.n) throw new Error(`no micro-grids under ${rootPath}`);
    const { rows: cats } = await client.query<{ id: number }>('SELECT id FROM case_category WHERE parent_id IS NOT NULL AND active ORDER BY id');
    const { rows: defs } = await client.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = 'case_file' AND indexname <> 'case_file_pkey'`);
    for (const d of defs) await client.query(`DROP INDEX ${d.name}`);
    const res = await client.query(`INSERT INTO case_file (no, source, state, category_id, area_id, county_code, description, address,
        lat, lng, reported_by, reporter_name, reported_at, registered_at, dispatched_at, assignee_id, due_at, deadline_rule,
        fixed_at, closed_at, refused_reason, rework_count, version, updated_at)
      SELECT 'G' || to_char(rep AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(g::text, 8, '0'), CASE WHEN rx < 0.85 THEN 'field' WHEN rx < 0.93 THEN 'routine' WHEN rx < 0.97 THEN 'phone' ELSE 'supervision' END,
        state, cat, area_id, county_code, descr, NULL, 36.6 + rf * 0.8, 117.8 + rt * 0.9, worker, '网格员', rep,
        reg, CASE WHEN state IN ('dispatched', 'fixing', 'fixed', 'closed') THEN reg + interval '40 minutes' END,
        CASE WHEN state IN ('dispatched', 'fixing', 'fixed', 'closed') THEN worker END,
        reg + dl, CASE WHEN reg IS NOT NULL THEN '生成：立案后 ' || dl::text END,
        fix, CASE WHEN state = 'closed' THEN least($3::timestamptz, fix + interval '3 hours') END,
        CASE WHEN state = 'refused' THEN 'invalid' END, CASE WHEN state IN ('closed', 'fixed', 'fixing') AND rx > 0.94 THEN 1 ELSE 0 END,
        1, rep
      FROM (
        SELECT s.*, m.id AS area_id, m.county_code, m.worker,
          CASE WHEN s.state IN ('reported', 'refused') THEN NULL ELSE s.rep + interval '30 minutes' * (1 + s.rf * 3) END AS reg,
          CASE WHEN s.state IN ('fixed', 'closed')
            THEN least($3::timestamptz, s.rep + interval '2 hours' + s.dl * (0.2 + s.rf * 0.9)) END AS fix
        FROM (
          SELECT r.*, ($2::bigint[])[1 + floor(r.rc * ${cats.length})::int] AS cat,
            ($4::text[])[1 + floor(r.rx * ${DESCRIPTIONS.length})::int] AS descr,
            (ARRAY['4 hours', '1 day', '2 days', '3 days', '5 days', '14 days']::interval[])[1 + floor(r.rt * 6)::int] AS dl,
            CASE WHEN r.rs < 0.02 THEN 'refused'
              WHEN r.age < 1 THEN (CASE WHEN r.ro < 0.25 THEN 'reported' WHEN r.ro < 0.45 THEN 'registered' WHEN r.ro < 0.65 THEN 'dispatched'
                WHEN r.ro < 0.85 THEN 'fixing' WHEN r.ro < 0.95 THEN 'fixed' ELSE 'closed' END)
              WHEN r.age < 14 AND r.ro < 0.45 THEN (CASE WHEN r.rd < 0.1 THEN 'registered' WHEN r.rd < 0.4 THEN 'dispatched'
                WHEN r.rd < 0.75 THEN 'fixing' ELSE 'fixed' END)
              WHEN r.ro < 0.008 THEN (CASE WHEN r.rd < 0.5 THEN 'dispatched' ELSE 'fixing' END)
              ELSE 'closed' END AS state
          FROM (
            SELECT g, random() AS ra, random() AS rs, random() AS ro, random() AS rc, random() AS rd, random() AS rf, random() AS rt,
              random() AS rx, random() * 365 AS age
            FROM generate_series(1, $1::int) g OFFSET 0
          ) r0 CROSS JOIN LATERAL (SELECT r0.*, $3::timestamptz - r0.age * interval '1 day' AS rep) r
        ) s JOIN bench_mg m ON m.k = 1 + floor(s.ra * ${mg.n})::int
      ) c ORDER BY rep`, [n, cats.map((c) => Number(c.id)), now.toISOString(), DESCRIPTIONS]);
    log(`cases: ${res.rowCount} rows inserted in ${round((performance.now() - t0) / 1000)} s; making the indexes again`);
    for (const d of defs) await client.query(d.def);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  await database.db.execute(sql`VACUUM ANALYZE case_file`);
  return { cases: n, seconds: (performance.now() - t0) / 1000 };
}

export async function benchOverdueCity(runs = 200): Promise<{ result: BenchResult; plans: Record<string, string[]> }> {
  const scratch = await scratchDatabase();
  log(`cases.overdue.city: scratch database ${scratch.name}`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const database = await openPostgres(scratch.url, 4);
  let plainDb: Database | undefined;
  try {
    await migrateDatabase(database);
    const db = database.db;
    const tree = await tierTree(TIERS.city);
    const imported = await importAreas(database, tree.specs);
    await db.execute(sql`ANALYZE area`);
    log(`areas: ${imported.rows} (${tree.counts.village} villages) in ${round(imported.ms / 1000)} s`);
    const city = (await areasRepo.findByCode(db, TIERS.city))!;
    const made = await generateResponsibilities(db, city.path, todayInChina());
    log(`people: ${made.users} users, ${made.responsibilities} responsibilities`);
    const now = new Date();
    const gen = await generateCases(database, city.path, CITY_CASES, now);
    log(`cases: ${gen.cases} in ${round(gen.seconds)} s (with the indexes and VACUUM ANALYZE)`);
    const [mix] = await rows<Record<string, number>>(db, sql`SELECT count(*) AS total,
      count(*) FILTER (WHERE state IN ('reported', 'registered', 'dispatched', 'fixing', 'fixed')) AS open,
      count(*) FILTER (WHERE state IN ('registered', 'dispatched', 'fixing') AND due_at < ${now.toISOString()}) AS overdue,
      count(*) FILTER (WHERE state = 'closed') AS closed, count(*) FILTER (WHERE state = 'refused') AS refused FROM case_file`);
    const counties = await rows<{ id: number; code: string; name: string; path: string }>(db, sql`SELECT id, code, name, path FROM area
      WHERE level_key = 'county' AND path LIKE ${`${city.path}%`} ORDER BY code`);

    // The baseline's tables: plain copies (no case_open_due_idx, no area_path_idx; area keeps its
    // primary key), found first on the search_path of a second pool, so the repository's own
    // query runs unchanged against them.
    await db.execute(sql`DROP SCHEMA IF EXISTS bench_plain CASCADE`);
    await db.execute(sql`CREATE SCHEMA bench_plain`);
    await db.execute(sql`CREATE TABLE bench_plain.case_file AS SELECT * FROM public.case_file`);
    await db.execute(sql`CREATE TABLE bench_plain.area AS SELECT * FROM public.area`);
    await db.execute(sql`ALTER TABLE bench_plain.area ADD PRIMARY KEY (id)`);
    await db.execute(sql`VACUUM ANALYZE bench_plain.case_file`);
    await db.execute(sql`VACUUM ANALYZE bench_plain.area`);
    const plainUrl = new URL(scratch.url);
    plainUrl.searchParams.set('options', '-c search_path=bench_plain,public');
    plainDb = await openPostgres(plainUrl.toString(), 2);

    // As a city-level reader (roots: the city) asking for one county's overdue cases, page 1 of 20.
    const filter = (countyPath: string): casesRepo.ListFilter => ({ roots: [city.path], areaPath: countyPath, overdue: true, now: new Date() });
    const project = (i: number) => casesRepo.listCases(db, filter(counties[i % counties.length]!.path), 20, 0);
    const plain = (i: number) => casesRepo.listCases(plainDb!.db, filter(counties[i % counties.length]!.path), 20, 0);
    const totals: Record<string, number> = {};
    for (const [i, c] of counties.entries()) {
      const a = await project(i);
      const b = await plain(i);
      if (a.total !== b.total || a.items.map((x) => x.id).join() !== b.items.map((x) => x.id).join()) {
        throw new Error(`overdue answers differ for ${c.code}: ${a.total} vs ${b.total}`);
      }
      totals[c.name] = a.total;
    }
    log(`overdue per county: ${Object.entries(totals).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    // Up to `runs` runs (counties in turn), within a time budget when each run takes long (at least 3 per county).
    const time = async (fn: (i: number) => Promise<unknown>, count: number, budgetMs: number) => {
      for (let i = 0; i < counties.length; i++) await fn(i);
      const ms: number[] = [];
      const t = performance.now();
      for (let i = 0; i < count && (i < 3 * counties.length || performance.now() - t < budgetMs); i++) {
        const t0 = performance.now(); await fn(i); ms.push(performance.now() - t0);
      }
      return summary(ms);
    };
    const mine = await time(project, runs, 90_000);
    const base = await time(plain, runs, 45_000);
    log(`cases.overdue.city: p99 ${round(mine.p99)} ms, median ${round(mine.median)} ms; baseline p99 ${round(base.p99)} ms, median ${round(base.median)} ms`);

    const busiest = counties.reduce((a, b) => (totals[b.name]! > totals[a.name]! ? b : a));
    const plans: string[][] = [];
    await casesRepo.listCases(explainingDb(db, plans), filter(busiest.path), 20, 0);
    const basePlans: string[][] = [];
    await casesRepo.listCases(explainingDb(plainDb.db, basePlans), filter(busiest.path), 20, 0);
    const plan = plans[0]!;
    const result: BenchResult = {
      name: 'cases.overdue.city', value: round(mine.p99, 2), unit: 'ms', baseline: round(base.p99, 2), ratio: timeRatio(mine.p99, base.p99),
      median_ms: round(mine.median, 2), baseline_median_ms: round(base.median, 2), runs: mine.runs, baseline_runs: base.runs,
      tier: 'city', villages: tree.counts.village, areas: imported.rows, counties: counties.length,
      cases: Number(mix!.total), open: Number(mix!.open), overdue: Number(mix!.overdue), closed: Number(mix!.closed), refused: Number(mix!.refused),
      overdue_in_plan_county: totals[busiest.name], generate_seconds: round(gen.seconds, 1),
      case_file_access: plan.map((l) => /(\w[\w ]*Scan(?: Backward)?(?: using \w+)?) on case_file/.exec(l)?.[1]).filter(Boolean).join('; '),
      plan: plan.join('\n'),
    };
    return {
      result,
      plans: {
        [`cases.overdue.city (project: ${busiest.name} ${busiest.code})`]: plan,
        [`cases.overdue.city (baseline: plain copies of case_file and area)`]: basePlans[0]!,
      },
    };
  } finally {
    await plainDb?.close();
    await database.close();
    await scratch.drop();
    process.removeListener('SIGINT', onSignal);
  }
}

// ------------------------------------------------------------------ entry from index.ts

export async function runCaseBenchmarks(ctx: {
  wanted: (name: string) => boolean; emit: (r: BenchResult) => void; plans: Record<string, string[]>;
  attempt: (name: string, fn: () => Promise<void>) => Promise<void>;
}): Promise<void> {
  if (ctx.wanted('cases.create.postgres')) await ctx.attempt('cases.create.postgres', async () => ctx.emit(await benchCreatePostgres()));
  if (ctx.wanted('cases.create.pglite')) await ctx.attempt('cases.create.pglite', async () => ctx.emit(await benchCreatePglite()));
  if (ctx.wanted('cases.overdue.city')) {
    await ctx.attempt('cases.overdue.city', async () => {
      const r = await benchOverdueCity();
      ctx.emit(r.result);
      Object.assign(ctx.plans, r.plans);
    });
  }
}
