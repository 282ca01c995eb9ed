// The first administrator: a generated password (printed once) must be changed at first login; one
// given in WANGGE_ADMIN_PASSWORD was chosen by the operator and is not.
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import { freshDatabase, login, testConfig } from '../../../test/helpers.js';
import { ensureAdmin } from './bootstrap.js';
import * as people from './people.repository.js';

const open: { app?: FastifyInstance; database: Database }[] = [];
afterAll(async () => { for (const o of open) { await o.app?.close(); await o.database.close(); } });

describe('ensureAdmin', () => {
  it('a generated password must be changed at first login', async () => {
    const database = await freshDatabase();
    const app = await buildApp(testConfig(), database);
    open.push({ app, database });
    const made = await ensureAdmin(database.db, null);
    expect(made.created).toBe(true);
    const password = made.created ? made.password! : '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await people.userByName(database.db, 'admin'))!.mustChangePassword).toBe(true);

    const cookie = await login(app, 'admin', password);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);
    const areas = await app.inject({ method: 'GET', url: '/api/v1/areas', headers: { cookie } });
    expect(areas.statusCode).toBe(403);
    expect(areas.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    // a second call makes nothing and shows no password
    expect(await ensureAdmin(database.db, null)).toEqual({ created: false });
  });

  it('a password given in WANGGE_ADMIN_PASSWORD is the operator\'s own: no change asked', async () => {
    const database = await freshDatabase();
    open.push({ database });
    expect(await ensureAdmin(database.db, 'Given-pass-123')).toEqual({ created: true, password: null });
    expect((await people.userByName(database.db, 'admin'))!.mustChangePassword).toBe(false);
  });
});
