import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { initTown } from '../areas/network.service.js';
import { rows, sql } from '../../db/client.js';

let t: TestApp;
let admin: string;
let village: { id: number; code: string };
let grid: { id: number };
let worker1: number;
let worker2: number;
const post = (url: string, payload: unknown, cookie = admin) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie } });

beforeAll(async () => {
  t = await buildTestApp();
  await initTown(t.database.db, '370321107', { id: null, name: 'test' });
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  village = (await t.app.inject({ url: '/api/v1/areas/search?q=370321107201', headers: { cookie: admin } })).json()[0];
  grid = (await post('/api/v1/areas', { parentId: village.id, level: 'grid', name: '毛家村第1网格' })).json();
  worker1 = (await post('/api/v1/users', { username: 'wgy1', displayName: '张网格', roles: [{ roleKey: 'grid_worker', areaId: village.id }] })).json().id;
  worker2 = (await post('/api/v1/users', { username: 'wgy2', displayName: '李网格', roles: [{ roleKey: 'grid_worker', areaId: village.id }] })).json().id;
});
afterAll(async () => { await t.close(); });

describe('people and responsibilities', () => {
  it('refuses an unknown role, a role at the wrong level and a duplicate username', async () => {
    expect((await post('/api/v1/users', { username: 'x1', displayName: 'x', roles: [{ roleKey: 'boss', areaId: village.id }] })).statusCode).toBe(400);
    const lvl = await post('/api/v1/users', { username: 'x2', displayName: 'x', roles: [{ roleKey: 'town_admin', areaId: village.id }] });
    expect(lvl.statusCode).toBe(400);
    const dup = await post('/api/v1/users', { username: 'WGY1', displayName: 'x', roles: [{ roleKey: 'grid_worker', areaId: village.id }] });
    expect(dup.statusCode).toBe(409);
  });

  it('hands a grid from one worker to the next; an overlap is refused and nothing is written', async () => {
    const a = await post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: grid.id, userId: worker1, validFrom: '2026-01-01' });
    expect(a.statusCode).toBe(201);
    const before = await rows(t.database.db, sql`SELECT count(*)::int AS n FROM responsibility`);
    const clash = await post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: grid.id, userId: worker2, validFrom: '2026-06-01' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('RESPONSIBILITY_OVERLAP');
    expect(clash.json().error.message).toContain('张网格');
    expect(await rows(t.database.db, sql`SELECT count(*)::int AS n FROM responsibility`)).toEqual(before);
    expect((await post(`/api/v1/responsibilities/${a.json().id}/end`, { validTo: '2026-05-31' })).statusCode).toBe(200);
    expect((await post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: grid.id, userId: worker2, validFrom: '2026-06-01' })).statusCode).toBe(201);
    const who = (d: string) => t.app.inject({ url: `/api/v1/areas/${grid.id}/answerable?date=${d}`, headers: { cookie: admin } })
      .then((r) => r.json().chain.map((c: { userName: string }) => c.userName));
    expect(await who('2026-03-01')).toEqual(['张网格']);
    expect(await who('2026-07-01')).toEqual(['李网格']);
  });

  it('refuses a holder without the role, the wrong area level, and bad dates, naming the field', async () => {
    const cleaner = (await post('/api/v1/users', { username: 'bjy1', displayName: '王保洁', roles: [{ roleKey: 'cleaner', areaId: village.id }] })).json().id;
    const r1 = await post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: grid.id, userId: cleaner, validFrom: '2027-01-01' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details[0].field).toBe('userId');
    const r2 = await post('/api/v1/responsibilities', { kind: 'leader_village', areaId: grid.id, userId: worker1, validFrom: '2027-01-01' });
    expect(r2.json().error.details.map((d: { field: string }) => d.field)).toContain('area');
    const r3 = await post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: grid.id, userId: worker1, validFrom: '2027-13-01' });
    expect(r3.json().error.details[0].field).toBe('validFrom');
  });

  it('JSON nulls stay null: an open end, a household holder, a cleared phone', async () => {
    const m = (await post('/api/v1/areas', { parentId: grid.id, level: 'micro_grid', name: '1-1微网格' })).json();
    const r = await post('/api/v1/responsibilities', { kind: 'household_frontage', areaId: m.id, holderName: '王家', userId: null, validFrom: '2027-01-01', validTo: null, note: null });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ validTo: null, note: null, userId: null, holderName: '王家' });
    expect((await post(`/api/v1/responsibilities/${r.json().id}/end`, { validTo: '2027-06-30' })).json().validTo).toBe('2027-06-30');
    expect((await post(`/api/v1/responsibilities/${r.json().id}/end`, { validTo: null })).json().validTo).toBeNull();
    const u = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${worker1}`, payload: { phone: null }, headers: { cookie: admin } });
    expect(u.json().phone).toBeNull();
    const a = await t.app.inject({ method: 'PATCH', url: `/api/v1/areas/${m.id}`, payload: { population: 0, households: null, sizeClass: null }, headers: { cookie: admin } });
    expect(a.json()).toMatchObject({ population: 0, households: null, sizeClass: null });
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/areas/${m.id}`, payload: { population: '12' }, headers: { cookie: admin } });
    expect(bad.statusCode).toBe(400);
  });

  it('two overlapping responsibilities sent at once: exactly one is stored', async () => {
    const g2 = (await post('/api/v1/areas', { parentId: village.id, level: 'grid', name: '毛家村第2网格' })).json();
    const results = await Promise.all([worker1, worker2, worker1, worker2].map((u) =>
      post('/api/v1/responsibilities', { kind: 'grid_worker_grid', areaId: g2.id, userId: u, validFrom: '2026-01-01' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const n = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM responsibility WHERE area_id = ${g2.id}`);
    expect(n[0]!.n).toBe(1);
  });

  it('a town administrator cannot manage people outside the town', async () => {
    await initTown(t.database.db, '370321109', { id: null, name: 'test' });
    const town = (await t.app.inject({ url: '/api/v1/areas/search?q=370321107&level=town', headers: { cookie: admin } })).json()[0];
    const other = (await t.app.inject({ url: '/api/v1/areas/search?q=370321109&level=town', headers: { cookie: admin } })).json()[0];
    await post('/api/v1/users', { username: 'zhen1', displayName: '镇管理', password: 'town-pass-1', roles: [{ roleKey: 'town_admin', areaId: town.id }] });
    const c = await login(t.app, 'zhen1', 'town-pass-1');
    expect((await post('/api/v1/auth/password', { oldPassword: 'town-pass-1', newPassword: 'town-pass-2' }, c)).statusCode).toBe(200);
    const res = await post('/api/v1/users', { username: 'y1', displayName: 'y', roles: [{ roleKey: 'village_cadre', areaId: other.id }] }, c);
    expect(res.json().error.message).toMatch(/层级/);
    expect(res.statusCode).toBe(400);
    const otherVillage = (await t.app.inject({ url: '/api/v1/areas/search?q=370321109&level=village', headers: { cookie: admin } })).json()[0];
    const res2 = await post('/api/v1/users', { username: 'y2', displayName: 'y', roles: [{ roleKey: 'village_cadre', areaId: otherVillage.id }] }, c);
    expect(res2.statusCode).toBe(403);
    const mine = await post('/api/v1/users', { username: 'y3', displayName: 'y', roles: [{ roleKey: 'village_cadre', areaId: village.id }] }, c);
    expect(mine.statusCode).toBe(201);
    // someone holding roles in both towns: the town administrator sees only the role in their town
    const both = (await post('/api/v1/users', { username: 'y4', displayName: '两镇兼职', roles: [{ roleKey: 'village_cadre', areaId: village.id }, { roleKey: 'village_cadre', areaId: otherVillage.id }] })).json().id;
    const seen = (await t.app.inject({ url: `/api/v1/users/${both}`, headers: { cookie: c } })).json();
    expect(seen.roles.map((r: { areaId: number }) => r.areaId)).toEqual([village.id]);
    const listed = (await t.app.inject({ url: '/api/v1/users?q=y4', headers: { cookie: c } })).json();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0].roles).not.toContain(otherVillage.name);
    expect((await t.app.inject({ url: `/api/v1/users/${both}`, headers: { cookie: admin } })).json().roles).toHaveLength(2);
  });
});

describe('people’s phones', () => {
  it('are found by the whole number only (audited), shown masked in lists, and whole to the person and to those who manage them', async () => {
    const phoned = (await post('/api/v1/users', { username: 'wgy9', displayName: '赵网格', phone: '138 0013 9999', roles: [{ roleKey: 'grid_worker', areaId: village.id }] })).json().id;
    const cadre = (await post('/api/v1/users', { username: 'cun9', displayName: '钱村干', phone: '13900139999', password: 'Cun-pass-2026!x', roles: [{ roleKey: 'village_cadre', areaId: village.id }] })).json().id;
    await t.database.db.execute(sql`UPDATE app_user SET must_change_password = false WHERE id = ${cadre}`);
    const users = async (q: string, cookie = admin) => (await t.app.inject({ url: `/api/v1/users?q=${encodeURIComponent(q)}`, headers: { cookie } })).json() as { total: number; items: { id: number; phone: string | null }[] };
    for (const part of ['1380013', '0013 9999', '138****9999']) expect((await users(part)).items.map((u) => u.id), part).not.toContain(phoned);
    const hit = await users('+86 138-0013-9999');
    expect(hit.items.map((u) => u.id)).toEqual([phoned]);
    expect(hit.items[0]!.phone).toBe('138****9999');
    const [log] = await rows<{ after: unknown }>(t.database.db, sql`SELECT after FROM audit_log WHERE action = 'personal.phone.search' ORDER BY id DESC LIMIT 1`);
    expect(JSON.stringify(log!.after)).toContain('138****9999');
    expect(JSON.stringify(log!.after)).not.toContain('13800139999');
    // the administrator who manages the worker sees the whole number (to edit it); a village cadre does not, except their own
    expect((await t.app.inject({ url: `/api/v1/users/${phoned}`, headers: { cookie: admin } })).json().phone).toBe('138 0013 9999');
    const cun = await login(t.app, 'cun9', 'Cun-pass-2026!x');
    expect((await t.app.inject({ url: `/api/v1/users/${phoned}`, headers: { cookie: cun } })).json().phone).toBe('138****9999');
    expect((await t.app.inject({ url: `/api/v1/users/${cadre}`, headers: { cookie: cun } })).json().phone).toBe('13900139999');
    expect((await users('赵网格', cun)).items[0]!.phone).toContain('*');
  });
});
