import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { codeAt, enrolledAs, scopeOf } from '../../../test/second-factor.js';
import { argonVerifications } from './password.js';
import { RULES } from './lockout.js';
import { secureCookie } from './auth.routes.js';

let t: TestApp;
let townId: number;
beforeAll(async () => {
  t = await buildTestApp();
  const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
  const town = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: { cookie }, payload: { parentId: null, level: 'town', code: '370321107', name: '新城镇' } });
  townId = town.json().id;
});
afterAll(async () => { await t.close(); });

let nextAddress = 10;
/** A fresh client address per test, so one test's failures do not block another's. */
const address = () => `10.0.0.${nextAddress++}`;
const loginRaw = (username: string, password: string, ip = '127.0.0.1', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip, headers });
const cookieOf = (res: { cookies: { name: string; value: string }[] }) => `wangge_session=${res.cookies.find((c) => c.name === 'wangge_session')!.value}`;
const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const auditCount = async (action: string) =>
  Number((await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`))[0]!.n);

async function createUser(username: string, roleKey: string, password = 'good-pass-1') {
  const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
  const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie },
    payload: { username, displayName: username, password, roles: [{ roleKey, areaId: townId }] } });
  expect(u.statusCode, u.body).toBe(201);
  // an administrator's password must be changed at first login: set it as the user's own
  await t.database.db.execute(sql`UPDATE app_user SET must_change_password = false WHERE id = ${u.json().id}`);
  return u.json().id as number;
}

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

  it('logs in with an httpOnly SameSite cookie, stores only a hash of the token, and logs out (audited)', async () => {
    await createUser('jw_a', 'discipline_office');
    const res = await loginRaw('jw_a', 'good-pass-1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'jw_a' }, secondFactor: 'none' });
    const c = res.cookies.find((x) => x.name === 'wangge_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `wangge_session=${c.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'jw_a', secondFactor: 'none' });
    const stored = await rows<{ id: string }>(t.database.db, sql`SELECT id FROM session`);
    expect(stored.map((r) => r.id)).not.toContain(c.value);
    const logouts = await auditCount('user.logout');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `wangge_session=${c.value}` } });
    const after = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `wangge_session=${c.value}` } });
    expect(after.statusCode).toBe(401);
    expect(await auditCount('user.logout')).toBe(logouts + 1);
  });

  it('the cookie is Secure except over plain http to this machine, unless the setting says otherwise', async () => {
    expect(secureCookie(null, 'http', 'localhost')).toBe(false);
    expect(secureCookie(null, 'http', '127.0.0.1')).toBe(false);
    expect(secureCookie(null, 'http', '[::1]')).toBe(false);
    expect(secureCookie(null, 'https', 'localhost')).toBe(true);
    expect(secureCookie(null, 'http', 'wangge.example.gov.cn')).toBe(true);
    expect(secureCookie(true, 'http', 'localhost')).toBe(true);
    expect(secureCookie(false, 'https', 'wangge.example.gov.cn')).toBe(false);
    const remote = await loginRaw('jw_a', 'good-pass-1', address(), { host: 'wangge.example.gov.cn' });
    expect(remote.cookies.find((x) => x.name === 'wangge_session')!.secure).toBe(true);
    const local = await loginRaw('jw_a', 'good-pass-1', '127.0.0.1', { host: 'localhost:3000' });
    expect(local.cookies.find((x) => x.name === 'wangge_session')!.secure).toBeFalsy();
  });

  it('a wrong password, an unknown name and a disabled account answer alike; bad input is 400 with a message', async () => {
    const ip = address();
    const wrong = await loginRaw('admin', 'nope-nope-1', ip);
    const unknown = await loginRaw('nobody-at-all', 'nope-nope-1', ip);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json().error.code).toBe('BAD_CREDENTIALS');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/password/);
  });

  it('a demo account logs in from this machine only; from elsewhere it answers like an unknown name', async () => {
    const { hashPassword } = await import('./password.js');
    const hash = await hashPassword('demo1234');
    await t.database.db.execute(sql`INSERT INTO app_user (username, display_name, password_hash, demo) VALUES ('demo_wgy', '演示网格员', ${hash}, true)`);
    const far = await loginRaw('demo_wgy', 'demo1234', address());
    expect(far.statusCode).toBe(401);
    expect(far.json()).toEqual((await loginRaw('nobody-at-all', 'demo1234', address())).json());
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await loginRaw('demo_wgy', 'demo1234', local)).statusCode, local).toBe(200);
  });

  it('an admin creates a user; a reset password must be changed before anything else', async () => {
    const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
    const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie },
      payload: { username: 'wang', displayName: '王伟', password: 'first-pass-1', roles: [{ roleKey: 'town_admin', areaId: townId }] } });
    expect(u.statusCode).toBe(201);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${u.json().id}/reset-password`, headers: { cookie }, payload: {} });
    expect(reset.statusCode).toBe(200);
    const temp = reset.json().password as string;
    const wang = await login(t.app, 'wang', temp);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie: wang } })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await post('/api/v1/auth/password', wang, { oldPassword: temp, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    const ok = await post('/api/v1/auth/password', wang, { oldPassword: temp, newPassword: 'new-pass-22' });
    expect(ok.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie: wang } })).statusCode).toBe(200);
  });

  it('a session idle for longer than the idle time is refused with a message to log in again, and deleted', async () => {
    const cookie = cookieOf(await loginRaw('jw_a', 'good-pass-1', address()));
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    const sid = (await rows<{ id: string }>(t.database.db, sql`SELECT id FROM session ORDER BY created_at DESC LIMIT 1`))[0]!.id;
    await t.database.db.execute(sql`UPDATE session SET last_seen_at = now() - interval '31 minutes' WHERE id = ${sid}`);
    const idle = await t.app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error).toMatchObject({ code: 'SESSION_IDLE' });
    expect(idle.json().error.message).toMatch(/重新登录/);
    expect(await rows(t.database.db, sql`SELECT 1 FROM session WHERE id = ${sid}`)).toHaveLength(0);
    // just under the limit it still works (and is touched at most once a minute)
    const fresh = cookieOf(await loginRaw('jw_a', 'good-pass-1', address()));
    await t.database.db.execute(sql`UPDATE session SET last_seen_at = now() - interval '29 minutes' WHERE user_id = (SELECT id FROM app_user WHERE username = 'jw_a')`);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: fresh } })).statusCode).toBe(200);
    const seen = await rows<{ ok: boolean }>(t.database.db, sql`SELECT last_seen_at > now() - interval '1 minute' AS ok FROM session ORDER BY created_at DESC LIMIT 1`);
    expect(seen[0]!.ok).toBe(true);
  });
});

describe('the login throttle', () => {
  it('40 parallel wrong passwords for one user: at most 5 are verified, the rest refused before; an admin is not locked out for others', async () => {
    await createUser('li', 'discipline_office');
    const ip = address();
    const before = argonVerifications.count;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => loginRaw('li', `wrong-pass-${i}`, ip)));
    const verified = argonVerifications.count - before;
    expect(verified).toBeLessThanOrEqual(5);
    expect(verified).toBeGreaterThan(0);
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401).length).toBe(verified);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // the right password from that address waits too …
    expect((await loginRaw('li', 'good-pass-1', ip)).statusCode).toBe(429);
    // … but not from anywhere else: nobody can keep an account locked from outside
    expect((await loginRaw('li', 'good-pass-1', address())).statusCode).toBe(200);
  });

  it('a known and an unknown name are throttled alike (same answers, same number of tries)', async () => {
    const run = async (name: string) => {
      const ip = address();
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await loginRaw(name, `wrong-pass-${i}`, ip);
        out.push(`${r.statusCode} ${r.json().error.code} ${r.json().error.message} ${r.headers['retry-after'] ?? ''}`);
      }
      return out;
    };
    const known = await run('li');
    const unknown = await run('no-such-person');
    expect(unknown).toEqual(known);
    expect(known.filter((x) => x.startsWith('401')).length).toBe(RULES.pair.limit);
  });

  it('an address that fails for many names is blocked for all of them, each block longer, and it is audited once per block', async () => {
    const ip = address();
    const blocks = await auditCount('login.address_blocked');
    const failed = await auditCount('login.failed');
    for (let i = 0; i < RULES.address.limit; i++) expect((await loginRaw(`guess${i}`, 'wrong-pass-1', ip)).statusCode).toBe(401);
    const refused = await loginRaw('jw_a', 'good-pass-1', ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(RULES.address.blockMs / 1000);
    for (let i = 0; i < 20; i++) await loginRaw('admin', 'wrong-pass-1', ip);
    expect(await auditCount('login.address_blocked')).toBe(blocks + 1);
    expect(await auditCount('login.failed')).toBe(failed); // unknown names write nothing per attempt
    // when the block has passed, ten more failures bring a block twice as long
    await t.database.db.execute(sql`UPDATE login_throttle SET blocked_until = now() - interval '1 second' WHERE key LIKE 'ip:%' AND blocked_until > now()`);
    for (let i = 0; i < RULES.address.limit; i++) await loginRaw(`again${i}`, 'wrong-pass-1', ip);
    const second = await loginRaw('jw_a', 'good-pass-1', ip);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(RULES.address.blockMs / 1000);
    expect(await auditCount('login.address_blocked')).toBe(blocks + 2);
  });

  it('many people behind one address (an office) log in at once: successes are not counted against it', async () => {
    const cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
    const names = Array.from({ length: RULES.address.limit + 6 }, (_, i) => `office${i}`);
    for (const username of names) {
      const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie },
        payload: { username, displayName: username, password: 'good-pass-1', roles: [{ roleKey: 'construction_office', areaId: townId }] } });
      expect(u.statusCode, u.body).toBe(201);
    }
    await t.database.db.execute(sql`UPDATE app_user SET must_change_password = false WHERE username LIKE 'office%'`);
    const ip = address();
    const answers = await Promise.all(names.map((n) => loginRaw(n, 'good-pass-1', ip)));
    expect(answers.map((a) => a.statusCode)).toEqual(names.map(() => 200));
  });

  it('a good login from an address does not count; failures of a known user are audited once per run', async () => {
    const ip = address();
    const failed = await auditCount('login.failed');
    for (let i = 0; i < 3; i++) await loginRaw('li', 'wrong-pass-1', ip);
    expect(await auditCount('login.failed')).toBe(failed + 1);
    for (let i = 0; i < 20; i++) expect((await loginRaw('jw_a', 'good-pass-1', ip)).statusCode).toBe(200);
  });
});

describe('the second factor', () => {
  it('a holder of a manage duty sets it up at first login: nothing else until then; ten recovery codes once', async () => {
    await createUser('zhen', 'town_admin');
    const res = await loginRaw('zhen', 'good-pass-1', address());
    expect(res.statusCode).toBe(200);
    expect(res.json().secondFactor).toBe('setup');
    const cookie = cookieOf(res);
    const areas = await t.app.inject({ url: '/api/v1/areas', headers: { cookie } });
    expect(areas.statusCode).toBe(403);
    expect(areas.json().error.code).toBe('SECOND_FACTOR_REQUIRED');
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).json().secondFactor).toBe('setup');
    // recovery codes need a finished second factor
    expect((await post('/api/v1/auth/second-factor/recovery-codes', cookie)).statusCode).toBe(403);
    const setup = await post('/api/v1/auth/second-factor/setup', cookie);
    expect(setup.statusCode).toBe(200);
    const { secret, uri } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Wangge:zhen\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect((await post('/api/v1/auth/second-factor/confirm', cookie, { code: '000000' })).json().error.code).toBe('WRONG_CODE');
    const confirm = await post('/api/v1/auth/second-factor/confirm', cookie, { code: await codeAt(secret) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const codes = confirm.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(codes[0]).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).json().secondFactor).toBe('ok');
    // stored hashed, never in clear
    const stored = await rows<{ r: string }>(t.database.db, sql`SELECT recovery_codes::text AS r FROM app_user WHERE username = 'zhen'`);
    expect(stored[0]!.r).not.toContain(codes[0]!.replace('-', ''));
    expect(await auditCount('user.second_factor_enabled')).toBeGreaterThan(0);
    // set up once: a second setup is refused
    expect((await post('/api/v1/auth/second-factor/setup', cookie)).statusCode).toBe(409);

    // next login: a code; the same code (the same time step) is refused after that
    const again = await loginRaw('zhen', 'good-pass-1', address());
    expect(again.json().secondFactor).toBe('verify');
    const c2 = cookieOf(again);
    expect((await t.app.inject({ url: '/api/v1/cases', headers: { cookie: c2 } })).json().error.code).toBe('SECOND_FACTOR_REQUIRED');
    // the password alone does not change the password
    expect((await post('/api/v1/auth/password', c2, { oldPassword: 'good-pass-1', newPassword: 'other-pass-2' })).statusCode).toBe(403);
    const nextStep = await codeAt(secret, Date.now() + 30_000);
    expect((await post('/api/v1/auth/second-factor', c2, { code: nextStep })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/areas', headers: { cookie: c2 } })).statusCode).toBe(200);
    const third = cookieOf(await loginRaw('zhen', 'good-pass-1', address()));
    expect((await post('/api/v1/auth/second-factor', third, { code: nextStep })).json().error.code).toBe('WRONG_CODE');
    // an earlier step than the last one used is refused too
    expect((await post('/api/v1/auth/second-factor', third, { code: await codeAt(secret) })).json().error.code).toBe('WRONG_CODE');
    // a recovery code works once
    const rc = await post('/api/v1/auth/second-factor', third, { recoveryCode: codes[0]!.toUpperCase() });
    expect(rc.statusCode, rc.body).toBe(200);
    expect(rc.json().recoveryLeft).toBe(9);
    const fourth = cookieOf(await loginRaw('zhen', 'good-pass-1', address()));
    expect((await post('/api/v1/auth/second-factor', fourth, { recoveryCode: codes[0] })).json().error.code).toBe('WRONG_CODE');
    expect(await auditCount('user.second_factor_failed')).toBeGreaterThan(0);
  });

  it('the same code sent twice at once lets only one session in', async () => {
    await createUser('zhen2', 'town_admin');
    const scope = scopeOf(t.app);
    await login(t.app, 'zhen2', 'good-pass-1');
    const secret = enrolledAs(scope, 'zhen2')!.secret;
    const [a, b] = await Promise.all([loginRaw('zhen2', 'good-pass-1', address()), loginRaw('zhen2', 'good-pass-1', address())]);
    const code = await codeAt(secret, Date.now() + 30_000);
    const both = await Promise.all([post('/api/v1/auth/second-factor', cookieOf(a), { code }), post('/api/v1/auth/second-factor', cookieOf(b), { code })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('too many wrong codes wait, with Retry-After', async () => {
    await createUser('zhen3', 'town_admin');
    await login(t.app, 'zhen3', 'good-pass-1');
    const cookie = cookieOf(await loginRaw('zhen3', 'good-pass-1', address()));
    const statuses: number[] = [];
    for (let i = 0; i < RULES.second.limit + 1; i++) statuses.push((await post('/api/v1/auth/second-factor', cookie, { code: '000000' })).statusCode);
    expect(statuses.slice(0, RULES.second.limit).every((s) => s === 400)).toBe(true);
    const last = await post('/api/v1/auth/second-factor', cookie, { code: '000000' });
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(await auditCount('user.second_factor_blocked')).toBeGreaterThan(0);
  });

  it('someone whose duties need none logs in with the password alone; anyone may still set one up', async () => {
    const res = await loginRaw('jw_a', 'good-pass-1', address());
    expect(res.json().secondFactor).toBe('none');
    const cookie = cookieOf(res);
    expect((await t.app.inject({ url: '/api/v1/cases', headers: { cookie } })).statusCode).toBe(200);
  });

  it('an administrator resets a lost second factor (audited); the person sets a new one up at next login; not one\'s own', async () => {
    const id = await createUser('zhen4', 'town_admin');
    const own = await login(t.app, 'zhen4', 'good-pass-1');
    const admin = await login(t.app, 'admin', ADMIN_PASSWORD);
    const self = await post(`/api/v1/users/${id}/reset-second-factor`, own);
    expect(self.statusCode).toBe(403);
    const resets = await auditCount('user.second_factor_reset');
    const r = await post(`/api/v1/users/${id}/reset-second-factor`, admin);
    expect(r.statusCode, r.body).toBe(200);
    expect(await auditCount('user.second_factor_reset')).toBe(resets + 1);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: own } })).statusCode).toBe(401); // its sessions ended
    expect((await loginRaw('zhen4', 'good-pass-1', address())).json().secondFactor).toBe('setup');
    // someone without people.manage may not reset anyone's
    const worker = await login(t.app, 'jw_a', 'good-pass-1');
    expect((await post(`/api/v1/users/${id}/reset-second-factor`, worker)).statusCode).toBe(403);
  });

  it('logins are audited with their second-factor state', async () => {
    const list = await rows<{ after: { secondFactor: string } }>(t.database.db, sql`SELECT after FROM audit_log WHERE action = 'user.login'`);
    expect(new Set(list.map((l) => l.after.secondFactor))).toEqual(new Set(['none', 'setup', 'verify']));
    expect(await auditCount('user.second_factor')).toBeGreaterThan(0);
    // a town's people's logins are entries of the town: its audit readers see them
    const town = await rows<{ path: string }>(t.database.db, sql`SELECT path FROM area WHERE id = ${townId}`);
    const zhen = await rows<{ areaPath: string | null }>(t.database.db, sql`SELECT area_path AS "areaPath" FROM audit_log
      WHERE action = 'user.login' AND actor_name = 'zhen' LIMIT 1`);
    expect(zhen[0]!.areaPath).toBe(town[0]!.path);
  });
});
