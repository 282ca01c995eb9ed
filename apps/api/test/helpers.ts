// A fresh database per test file (a copy of the migrated template), and an app on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openPglite, openPostgres, type Database } from '../src/db/client.js';
import { loadConfig, type Config } from '../src/config/index.js';
import { buildApp } from '../src/app.js';
import { ensureAdmin } from '../src/modules/people/bootstrap.js';

export const ADMIN_PASSWORD = 'Admin-pass-1';

export async function freshDatabase(): Promise<Database> {
  const t = inject('dbTemplate');
  if (t.kind === 'pglite') {
    const blob = new Blob([fs.readFileSync(t.file)]);
    return openPglite(undefined, blob);
  }
  const name = `wangge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${t.template}`);
  await admin.end();
  const u = new URL(t.url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 20);
  const close = database.close;
  database.close = async () => {
    await close();
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  return database;
}

/** A fixed audit key, so tests never make <dataDir>/audit.key in the project. */
export const TEST_AUDIT_KEY = 'wangge-test-audit-key-0123456789abcdef';

export function testConfig(over: Partial<Config> = {}): Config {
  return { ...loadConfig({ WANGGE_AUDIT_KEY: TEST_AUDIT_KEY }), webDist: '/nonexistent', photoDir: fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-photos-')), ...over };
}

export interface TestApp { app: FastifyInstance; database: Database; close(): Promise<void> }

export async function buildTestApp(database?: Database): Promise<TestApp> {
  const db = database ?? (await freshDatabase());
  await ensureAdmin(db.db, ADMIN_PASSWORD);
  const app = await buildApp(testConfig(), db);
  return { app, database: db, close: async () => { await app.close(); await db.close(); } };
}

/** Logs in through the API and returns the cookie header to send. */
export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'wangge_session');
  return `wangge_session=${c!.value}`;
}
