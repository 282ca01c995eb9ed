// Reliability: kill the server (SIGKILL) in the middle of a burst of case reports, start it again,
// and every report that was answered 2xx is there, whole. On PGlite and, with DATABASE_URL, PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { migrateDatabase, openPglite, openPostgres, rows, sql, type Database } from '../../db/client.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { initTown } from '../areas/network.service.js';
import { ensureAdmin } from '../people/bootstrap.js';
import { httpPost, loginWith } from '../../../test/second-factor.js';

const PASSWORD = 'Crash-test-1';
const env: Record<string, string> = {};
let dropDb: (() => Promise<void>) | null = null;
let dataDir = '';
let areaId = 0;
let categoryId = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function openTarget(): Promise<Database> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL, 2) : openPglite(dataDir);
}

beforeAll(async () => {
  const t = inject('dbTemplate');
  if (t.kind === 'postgres') {
    const name = `wangge_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${t.template}`);
    await admin.end();
    const u = new URL(t.url); u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: t.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-crash-'));
  env.WANGGE_DATA_DIR = dataDir;
  env.WANGGE_ADMIN_PASSWORD = PASSWORD;
  // A town with no demo: the server then starts straight away.
  const d = await openTarget();
  await migrateDatabase(d);
  await ensureAdmin(d.db, PASSWORD);
  await initTown(d.db, '370321107', { id: null, name: 'test' });
  const [a] = await rows<{ id: number }>(d.db, sql`SELECT id FROM area WHERE code = '370321107201'`);
  const [c] = await rows<{ id: number }>(d.db, sql`SELECT id FROM case_category WHERE code = '0101'`);
  areaId = Number(a!.id); categoryId = Number(c!.id);
  await d.close();
}, 120_000);

afterAll(async () => {
  await dropDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'apps/api/src/server.ts')], {
    cwd: PROJECT_ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', WANGGE_JOBS: 'off' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b) => { err += String(b); });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
    try { if ((await fetch(`${url}/api/health`)).ok) return { child, url }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${err}`);
}

/** admin's password and second factor (one remembered secret for both servers: the same database) */
const loginTo = (url: string) => loginWith(httpPost(url), 'crash-test', 'admin', PASSWORD);

describe('a server killed mid-burst', () => {
  it('keeps every case it answered 2xx', async () => {
    const first = await start();
    const cookie = await loginTo(first.url);
    const answered: { id: number; clientId: string }[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const clientId = randomUUID();
        try {
          const r = await fetch(`${first.url}/api/v1/cases`, {
            method: 'POST', headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ clientId, source: 'desk', categoryId, areaId, description: '突击测试' }),
          });
          if (r.status === 201 || r.status === 200) answered.push({ id: (await r.json()).id, clientId });
        } catch { return; } // the connection died with the server
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (answered.length < 40) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((r) => first.child.once('exit', r));
    expect(answered.length).toBeGreaterThanOrEqual(40);

    const second = await start();
    try {
      const c2 = await loginTo(second.url);
      for (const a of answered) {
        const r = await fetch(`${second.url}/api/v1/cases/${a.id}`, { headers: { cookie: c2 } });
        expect(r.status).toBe(200);
        const body = await r.json();
        expect(body.steps.map((s: { action: string }) => s.action)).toEqual(['report']);
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    // Nothing half-written: every case has its report step and its audit entry.
    const d = await openTarget();
    try {
      const [bad] = await rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM case_file c
        WHERE NOT EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id)
           OR NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entity = 'case' AND l.entity_id = c.id::text)`);
      expect(Number(bad!.n)).toBe(0);
    } finally { await d.close(); }
  }, 180_000);
});
