import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

describe('log in and sessions', () => {
  it('health names the database', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: t.database.kind });
  });

  it('every /api/v1 route needs a session', async () => {
    for (const url of ['/api/v1/me', '/api/v1/areas', '/api/v1/users', '/api/v1/audit']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
  });

  it('logs in with an httpOnly SameSite cookie, stores only a hash of the token, and logs out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'wangge_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `wangge_session=${c.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'admin', global: true });
    const stored = await t.database.db.execute('SELECT id FROM session' as never) as unknown as { rows: { id: string }[] };
    expect(stored.rows.map((r) => r.id)).not.toContain(c.value);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `wangge_session=${c.value}` } });
    const after = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `wangge_session=${c.value}` } });
    expect(after.statusCode).toBe(401);
  });

  it('a wrong password is 401; bad input is 400 with a message', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('BAD_CREDENTIALS');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/password/);
    // the one failure above is forgotten after a good login
    await login(t.app, 'admin', ADMIN_PASSWORD);
  });

  it('an admin creates a user; a reset password must be changed before anything else', async () => {
    const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
    const town = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: { cookie }, payload: { parentId: null, level: 'town', code: '370321107', name: '新城镇' } });
    expect(town.statusCode).toBe(201);
    const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie },
      payload: { username: 'wang', displayName: '王伟', password: 'first-pass-1', roles: [{ roleKey: 'town_admin', areaId: town.json().id }] } });
    expect(u.statusCode).toBe(201);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${u.json().id}/reset-password`, headers: { cookie }, payload: {} });
    expect(reset.statusCode).toBe(200);
    const temp = reset.json().password as string;
    const wang = await login(t.app, 'wang', temp);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie: wang } })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: wang }, payload: { oldPassword: temp, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: wang }, payload: { oldPassword: temp, newPassword: 'new-pass-22' } });
    expect(ok.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie: wang } })).statusCode).toBe(200);
  });

  it('slows down, then locks the account after repeated failures; an admin reset unlocks it', async () => {
    const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
    const town = (await t.app.inject({ url: '/api/v1/areas', headers: { cookie } })).json()[0];
    const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie },
      payload: { username: 'li', displayName: '李娜', password: 'good-pass-1', roles: [{ roleKey: 'leader', areaId: town.id }] } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li', password: `wrong-${i}` } })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li', password: 'good-pass-1' } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    await t.app.inject({ method: 'POST', url: `/api/v1/users/${u.json().id}/reset-password`, headers: { cookie }, payload: { password: 'reset-pass-9' } });
    await login(t.app, 'li', 'reset-pass-9');
  });
});
