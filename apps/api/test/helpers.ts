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
import { loginWith, scopeOf, type Post } from './second-factor.js';

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

/** `Post` through app.inject (the test transport of second-factor.ts). */
export const injectPost = (app: FastifyInstance, ip?: string): Post => async (url, body, cookie) => {
  const res = await app.inject({ method: 'POST', url, payload: (body ?? {}) as object, headers: cookie ? { cookie } : {}, ...(ip ? { remoteAddress: ip } : {}) });
  let json: unknown = null;
  try { json = res.json(); } catch { json = res.body; }
  const c = res.cookies.find((x) => x.name === 'wangge_session' && x.value);
  return { status: res.statusCode, json, cookie: c ? `wangge_session=${c.value}` : undefined };
};

/**
 * Logs in through the API and returns the cookie header to send. A user whose duties need a second
 * factor sets it up at first login and enters a code after that (second-factor.ts), so the session
 * is a full one.
 */
export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  return loginWith(injectPost(app), scopeOf(app), username, password);
}
