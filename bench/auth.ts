// auth.login.postgres: POST /api/v1/auth/login with the right password, at 32 connections kept busy by a
// closed-loop HTTP client in a worker thread, on the real app (buildApp, listening on 127.0.0.1, the API's
// pool of 10) over a scratch PostgreSQL database. 32 people of the town office (镇纪委, a role whose duties
// need no second factor), one per connection, all from one address (an office behind one NAT): each login
// takes its numbers from the throttle (address, name from the address, name), reads the user, verifies the
// argon2id hash (OWASP parameters, as configured), gives the numbers back, writes the session and the
// audit entry. Baseline: the raw argon2id verification of the same hash by 32 loops in the same process,
// for the same time, in the same run (the ceiling: a login cannot be faster than its hash).
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { verify } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { migrateDatabase, openPostgres, rows, sql, type Database } from '../apps/api/src/db/client.js';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config/index.js';
import { initTown } from '../apps/api/src/modules/areas/network.service.js';
import { ensureAdmin } from '../apps/api/src/modules/people/bootstrap.js';
import { hashPassword, argonVerifications } from '../apps/api/src/modules/auth/password.js';
import { log, rateRatio, round, scratchDatabase, summary, type BenchResult } from './util.js';

export const AUTH_BENCHMARKS = ['auth.login.postgres'];

const CONNECTIONS = 32;
const WARMUP_MS = 2_000;
const DURATION_MS = (Number(process.env.WANGGE_BENCH_LOGIN_SECONDS) || 10) * 1000;
const PASSWORD = 'Bench-login-1';
const TOWN = '370321107';

interface LoadResult { ok: number; errors: number; firstError: string | null; seconds: number; latencies: number[] }

const CLIENT = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, connections, warmupMs, durationMs, users, password } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function send(body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { if (text.length < 400) text += c; });
      res.on('end', () => resolve({ status: res.statusCode, t0, t1: performance.now(), text, cookie: String(res.headers['set-cookie'] || '') }));
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
    const body = JSON.stringify({ username: users[i % users.length], password });
    while (performance.now() < end) {
      const r = await send(body);
      if (r.status !== 200 || !r.cookie.includes('wangge_session=') || !r.text.includes('"secondFactor":"none"')) {
        out.errors++; if (!out.firstError) out.firstError = r.status + ' ' + r.text; continue;
      }
      if (r.t1 >= warmEnd && r.t1 <= end) { out.ok++; out.latencies.push(r.t1 - r.t0); }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  agent.destroy();
  parentPort.postMessage({ ...out, seconds: durationMs / 1000 });
}
main().catch((e) => parentPort.postMessage({ ok: 0, errors: 1, firstError: String(e && e.stack || e), latencies: [], seconds: durationMs / 1000 }));
`;

async function drive(port: number, users: string[]): Promise<LoadResult> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { port, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, users, password: PASSWORD } });
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

/** The plain way: argon2id verifications of the same hash by 32 loops, counted over the same window. */
async function rawVerify(hash: string): Promise<{ rate: number; latencies: number[] }> {
  const start = performance.now();
  const warmEnd = start + WARMUP_MS;
  const end = warmEnd + DURATION_MS;
  let ok = 0;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      if (!(await verify(hash, PASSWORD))) throw new Error('verify failed');
      const t1 = performance.now();
      if (t1 >= warmEnd && t1 <= end) { ok++; latencies.push(t1 - t0); }
    }
  }));
  return { rate: ok / (DURATION_MS / 1000), latencies };
}

export async function benchLoginPostgres(): Promise<BenchResult> {
  const scratch = await scratchDatabase();
  log(`scratch database ${scratch.name} for auth.login.postgres`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const database: Database = await openPostgres(scratch.url); // the API's pool, as the server opens it
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-login-'));
  let app: FastifyInstance | undefined;
  try {
    const db = database.db;
    await migrateDatabase(database);
    await ensureAdmin(db, 'Bench-pass-1');
    await initTown(db, TOWN, { id: null, name: 'bench' });
    const [town] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = ${TOWN}`);
    const passwordHash = await hashPassword(PASSWORD);
    const users = Array.from({ length: CONNECTIONS }, (_, i) => `jiwei${String(i + 1).padStart(2, '0')}`);
    for (const u of users) {
      await db.execute(sql`WITH n AS (INSERT INTO app_user (username, display_name, password_hash) VALUES (${u}, ${`纪委${u.slice(5)}`}, ${passwordHash}) RETURNING id)
        INSERT INTO user_role (user_id, role_key, area_id) SELECT id, 'discipline_office', ${Number(town!.id)} FROM n`);
    }
    const config = { ...loadConfig({ WANGGE_AUDIT_KEY: 'wangge-bench-audit-key-0123456789abcdef' }), webDist: '/nonexistent', photoDir: path.join(dataDir, 'photos'), logLevel: 'warn', dataDir };
    app = await buildApp(config, database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;

    const verifications0 = argonVerifications.count;
    const [audit0] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.login'`);
    const r = await drive(port, users);
    if (r.ok === 0) throw new Error(`no login: ${r.errors} errors, first: ${r.firstError}`);
    if (r.errors) log(`WARNING: ${r.errors} logins failed, first: ${r.firstError}`);
    const [audit1] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.login'`);
    const logins = Number(audit1!.n) - Number(audit0!.n);
    const perLogin = round((argonVerifications.count - verifications0) / Math.max(1, logins), 2);
    const rate = r.ok / r.seconds;
    const lat = summary(r.latencies);
    log(`logins: ${round(rate, 1)}/s over ${r.seconds} s (${r.ok} in the window, ${logins} audited in all), p99 ${round(lat.p99, 1)} ms; argon2 verifications per login ${perLogin}`);

    await app.close();
    app = undefined;
    const raw = await rawVerify(passwordHash);
    const rawLat = summary(raw.latencies);
    log(`raw argon2id verify: ${round(raw.rate, 1)}/s at ${CONNECTIONS} loops, p99 ${round(rawLat.p99, 1)} ms`);
    return {
      name: 'auth.login.postgres', value: round(rate, 1), unit: 'logins/s', baseline: round(raw.rate, 1), ratio: rateRatio(rate, raw.rate),
      connections: CONNECTIONS, p99: round(lat.p99, 1), median_ms: round(lat.median, 1), baseline_p99: round(rawLat.p99, 1),
      argon2_per_login: perLogin, errors: r.errors, argon2: 'argon2id m=19456 KiB t=2 p=1',
    };
  } finally {
    await app?.close();
    await database.close();
    await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
  }
}

export async function runAuthBenchmarks(ctx: { wanted: (name: string) => boolean; emit: (r: BenchResult) => void; attempt: (name: string, fn: () => Promise<void>) => Promise<void> }) {
  if (ctx.wanted('auth.login.postgres')) await ctx.attempt('auth.login.postgres', async () => ctx.emit(await benchLoginPostgres()));
}
