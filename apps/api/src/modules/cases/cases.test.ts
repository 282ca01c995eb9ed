import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { jpeg, multipart } from '../../../test/images.js';
import { setupDemo } from '../demo/demo.js';
import { rows, sql } from '../../db/client.js';
import { sweepDeadlines } from './cases.service.js';
import { verifyAudit } from '../audit/audit.service.js';

let t: TestApp;
const cookies: Record<string, string> = {};
let microGrid: number; // a micro-grid in wgy001's grid
let otherVillageMicro: number; // a micro-grid of a village cadre01 does not hold
let category: number; // 暴露垃圾
let major: number; // 市容环境 (a 大类)
let seed = 10;

const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const post = async (url: string, payload: unknown, user = 'zhenadmin') => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: await as(user) } });
const photo = async (user: string): Promise<number> => {
  const m = multipart(await jpeg(seed++));
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie: await as(user) } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
};
const report = async (user = 'wgy001', over: Record<string, unknown> = {}) =>
  post('/api/v1/cases', { source: 'field', categoryId: category, areaId: microGrid, description: '路边有暴露垃圾', lat: 36.95, lng: 118.0, ...over }, user);
const step = async (id: number, action: string, user: string, body: Record<string, unknown> = {}) => {
  const cur = (await get(`/api/v1/cases/${id}`, user)).json();
  return post(`/api/v1/cases/${id}/steps`, { action, version: cur.version, ...body }, user);
};

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
  const [g] = await rows<{ id: number }>(t.database.db, sql`SELECT m.id FROM app_user u JOIN user_role r ON r.user_id = u.id
    JOIN area m ON m.parent_id = r.area_id WHERE u.username = 'wgy001' AND m.level_key = 'micro_grid' ORDER BY m.code LIMIT 1`);
  microGrid = Number(g!.id);
  const [o] = await rows<{ id: number }>(t.database.db, sql`SELECT m.id FROM area m JOIN area v ON m.path LIKE v.path || '%'
    WHERE v.code = '370321107240' AND m.level_key = 'micro_grid' LIMIT 1`);
  otherVillageMicro = Number(o!.id);
  const cats = (await get('/api/v1/case-categories')).json();
  category = cats.find((c: { name: string }) => c.name === '暴露垃圾').id;
  major = cats.find((c: { code: string }) => c.code === '01').id;
});
afterAll(async () => { await t.close(); });

describe('the case loop', () => {
  it('takes a case from report to closed, with rework counted and every step in the history', async () => {
    const before = await photo('wgy001');
    const r = await report('wgy001', { photoIds: [before], clientId: randomUUID() });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({ state: 'reported', categoryName: '暴露垃圾', reporterName: expect.any(String) });
    expect(c.photos).toHaveLength(1);
    expect(c.photos[0].phase).toBe('before');
    expect(c.no).toMatch(/^\d{13}$/);

    expect((await step(c.id, 'register', 'wgy001')).statusCode).toBe(409); // a grid worker does not register
    const reg = await step(c.id, 'register', 'zhenadmin');
    expect(reg.statusCode, reg.body).toBe(200);
    expect(reg.json().dueAt).toBeTruthy();
    expect(reg.json().deadlineRule).toContain('暴露垃圾');

    const who = (await get(`/api/v1/cases/${c.id}/assignees`)).json();
    expect(who.length).toBeGreaterThan(0);
    expect(who[0].suggested).toBe(true);
    const [w] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM app_user WHERE username = 'wgy001'`);
    const disp = await step(c.id, 'dispatch', 'zhenadmin', { assigneeId: Number(w!.id) });
    expect(disp.statusCode, disp.body).toBe(200);
    expect(disp.json()).toMatchObject({ state: 'dispatched', assigneeName: expect.any(String) });

    expect((await step(c.id, 'accept', 'bjy001')).statusCode).toBe(409); // not the assignee
    expect((await step(c.id, 'accept', 'wgy001')).json().state).toBe('fixing');
    const noPhoto = await step(c.id, 'feedback', 'wgy001', { note: '已清理' });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.message).toContain('照片');
    expect((await step(c.id, 'feedback', 'wgy001', { note: '已清理', photoIds: [await photo('wgy001')] })).json().state).toBe('fixed');

    expect((await step(c.id, 'pass', 'wgy001')).json().error.message).toContain('核查'); // a fixer cannot check their own fix
    expect((await step(c.id, 'rework', 'zhenadmin')).statusCode).toBe(400); // a rework needs a reason
    const rw = await step(c.id, 'rework', 'zhenadmin', { note: '路边还有垃圾' });
    expect(rw.json()).toMatchObject({ state: 'fixing', reworkCount: 1, fixedAt: null });
    await step(c.id, 'feedback', 'wgy001', { note: '已全部清理', photoIds: [await photo('wgy001')] });
    const done = await step(c.id, 'pass', 'zhenadmin', { note: '现场核查通过' });
    expect(done.json()).toMatchObject({ state: 'closed', reworkCount: 1 });
    expect(done.json().steps.map((s: { action: string }) => s.action)).toEqual(
      ['report', 'register', 'dispatch', 'accept', 'feedback', 'rework', 'feedback', 'pass']);
    expect(done.json().photos.filter((p: { phase: string }) => p.phase === 'after')).toHaveLength(2);
    expect(done.json().allowed).toEqual([]);
    // the reporter hears of the closure
    const note = await rows(t.database.db, sql`SELECT n.kind FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'wgy001' AND n.case_id = ${c.id}`);
    expect(note.map((n) => (n as { kind: string }).kind)).toContain('case.rework');
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
  });

  it('makes one case of the same clientId sent three times, even at once', async () => {
    const clientId = randomUUID();
    const res = await Promise.all([1, 2, 3].map(() => report('wgy001', { clientId })));
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(res.map((r) => r.json().id)).size).toBe(1);
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM case_file WHERE client_id = ${clientId}`);
    expect(Number(n!.n)).toBe(1);
    // someone else's clientId is not theirs to reuse
    expect((await report('wgy002', { clientId })).statusCode).toBe(409);
  });

  it('refuses bad reports with a clear 4xx and writes nothing', async () => {
    const [before] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM case_file`);
    expect((await report('wgy001', { categoryId: 999999 })).json().error.code).toBe('UNKNOWN_CATEGORY');
    expect((await report('wgy001', { categoryId: major })).statusCode).toBe(400);
    expect((await report('cungan01', { areaId: otherVillageMicro })).statusCode).toBe(403);
    expect((await report('wgy001', { lat: 51.5, lng: -0.1 })).statusCode).toBe(400);
    expect((await report('wgy001', { lat: 36.9, lng: null })).statusCode).toBe(400);
    expect((await report('wgy001', { description: '   ' })).statusCode).toBe(400);
    expect((await report('wgy001', { source: 'supervision' })).statusCode).toBe(403);
    expect((await report('wgy001', { photoIds: [999999] })).statusCode).toBeGreaterThanOrEqual(400);
    const [after] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM case_file`);
    expect(after!.n).toBe(before!.n);
  });

  it('lets exactly one of 50 concurrent "check passed" / "return for rework" win', async () => {
    const id = await fixedCase();
    const cur = (await get(`/api/v1/cases/${id}`)).json();
    const cookie = await as('zhenadmin');
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => t.app.inject({
      method: 'POST', url: `/api/v1/cases/${id}/steps`, headers: { cookie },
      payload: i % 2 ? { action: 'pass', version: cur.version } : { action: 'rework', version: cur.version, note: '不合格' },
    })));
    const codes = res.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const steps = (await get(`/api/v1/cases/${id}`)).json().steps.filter((s: { action: string }) => s.action === 'pass' || s.action === 'rework');
    expect(steps).toHaveLength(1);
  });

  it('answers a stale version with 409 STALE', async () => {
    const c = (await report()).json();
    const r = await post(`/api/v1/cases/${c.id}/steps`, { action: 'register', version: c.version + 5 });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('STALE');
  });

  it('extends a deadline only with a second person\'s approval and within the limits', async () => {
    const id = await dispatchedCase();
    const c = (await get(`/api/v1/cases/${id}`)).json();
    const due = new Date(c.dueAt).getTime();
    const far = new Date(due + 60 * 86_400_000).toISOString();
    const tooFar = await step(id, 'request_extension', 'wgy001', { note: '需要调车', requestedDueAt: far });
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().error.code).toBe('EXTENSION_LIMIT');
    const soon = new Date(due + 86_400_000).toISOString();
    expect((await step(id, 'request_extension', 'wgy001', { note: '需要调车', requestedDueAt: soon })).statusCode).toBe(200);
    expect((await step(id, 'request_extension', 'wgy001', { note: '再申请', requestedDueAt: soon })).statusCode).toBe(409); // one pending at a time
    expect((await step(id, 'approve', 'wgy001')).statusCode).toBe(409); // not by the requester
    const ok = await step(id, 'approve', 'zhenadmin', { note: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(new Date(ok.json().dueAt).getTime()).toBe(new Date(soon).getTime());
    expect(ok.json().extensionCount).toBe(1);
  });

  it('returns a case to the dispatcher on approval', async () => {
    const id = await dispatchedCase();
    expect((await step(id, 'request_return', 'wgy001', { note: '不属于本网格' })).statusCode).toBe(200);
    const ok = await step(id, 'approve', 'zhenadmin', { note: '重新派遣' });
    expect(ok.json()).toMatchObject({ state: 'registered', assigneeId: null });
  });

  it('refuses a duplicate with a link to the original', async () => {
    const a = (await report()).json();
    const b = (await report()).json();
    expect((await step(b.id, 'refuse', 'zhenadmin', { reason: 'duplicate', note: '同一处垃圾' })).statusCode).toBe(400);
    const r = await step(b.id, 'refuse', 'zhenadmin', { reason: 'duplicate', duplicateOf: a.no, note: '同一处垃圾' });
    expect(r.json()).toMatchObject({ state: 'refused', refusedReason: 'duplicate', duplicateOf: a.id });
  });

  it('reminds before the deadline and escalates an overdue case once, to the office and the leader', async () => {
    const id = await dispatchedCase();
    await t.database.db.execute(sql`UPDATE case_file SET due_at = now() - interval '1 hour' WHERE id = ${id}`);
    const list = (await get('/api/v1/cases?overdue=true')).json();
    expect(list.items.map((c: { id: number }) => c.id)).toContain(id);
    expect(list.items.find((c: { id: number }) => c.id === id).overdue).toBe(true);
    const first = await sweepDeadlines(t.database.db);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const again = await sweepDeadlines(t.database.db);
    expect(again.escalated).toBe(0);
    const told = await rows<{ username: string }>(t.database.db, sql`SELECT u.username FROM notification n JOIN app_user u ON u.id = n.user_id
      WHERE n.case_id = ${id} AND n.kind = 'case.overdue'`);
    const names = told.map((r) => r.username);
    expect(names).toContain('wgy001');
    expect(names.some((n) => n.startsWith('lingdao'))).toBe(true);
    expect(names.some((n) => ['jiwei', 'nongwei', 'jianwei'].includes(n))).toBe(true);
  });

  it('lets the global administrator set the evidence distance (an install-wide setting), and nobody else', async () => {
    const put = async (user: string, body: object) => t.app.inject({ method: 'PUT', url: '/api/v1/settings/evidence', payload: body, headers: { cookie: await as(user) } });
    expect((await put('admin', { maxDistanceM: 150, nearThreshold: 5 })).json()).toEqual({ maxDistanceM: 150, nearThreshold: 5 });
    expect((await put('wgy001', { maxDistanceM: 150, nearThreshold: 5 })).statusCode).toBe(403);
    expect((await put('zhenadmin', { maxDistanceM: 150, nearThreshold: 5 })).statusCode).toBe(403); // a town's admin: not install-wide
    expect((await put('admin', { maxDistanceM: 1, nearThreshold: 5 })).statusCode).toBe(400);
    expect((await get('/api/v1/settings/evidence', 'wgy001')).json().maxDistanceM).toBe(150);
  });

  it('lists with filters and stable pages, exports .xlsx, and shows my inbox', async () => {
    const p1 = (await get('/api/v1/cases?pageSize=3&page=1')).json();
    const p2 = (await get('/api/v1/cases?pageSize=3&page=2')).json();
    expect(p1.total).toBeGreaterThan(5);
    expect(new Set([...p1.items, ...p2.items].map((c: { id: number }) => c.id)).size).toBe(6);
    expect((await get('/api/v1/cases?state=closed')).json().items.every((c: { state: string }) => c.state === 'closed')).toBe(true);
    expect((await get('/api/v1/cases?state=nonsense')).statusCode).toBe(400);
    expect((await get('/api/v1/cases?from=2026-02-30')).statusCode).toBe(400);
    expect((await get(`/api/v1/cases?categoryId=${major}`)).json().total).toBe(p1.total);
    const x = await get('/api/v1/cases/export.xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // it names residents who reported: each export is in the audit log
    const [logged] = await rows<{ after: unknown; actor_name: string }>(t.database.db, sql`SELECT after, actor_name FROM audit_log WHERE action = 'personal.export' ORDER BY id DESC LIMIT 1`);
    expect(logged!.actor_name).toBe('zhenadmin');
    expect(JSON.stringify(logged!.after)).toContain('cases.xlsx');
    const mine = (await get('/api/v1/cases/inbox', 'wgy001')).json();
    expect(mine.counts.fix).toBeGreaterThan(0);
    const desk = (await get('/api/v1/cases/inbox', 'zhenadmin')).json();
    expect(desk.counts.register).toBeGreaterThan(0);
    // a village cadre of another village sees none of these
    expect((await get('/api/v1/cases', 'cungan40')).json().total).toBe(0);
  });
});

async function dispatchedCase(): Promise<number> {
  const c = (await report()).json();
  await step(c.id, 'register', 'zhenadmin');
  const [w] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM app_user WHERE username = 'wgy001'`);
  const d = await step(c.id, 'dispatch', 'zhenadmin', { assigneeId: Number(w!.id) });
  expect(d.statusCode, d.body).toBe(200);
  return c.id;
}

async function fixedCase(): Promise<number> {
  const id = await dispatchedCase();
  const r = await step(id, 'feedback', 'wgy001', { note: '已清理', photoIds: [await photo('wgy001')] });
  expect(r.statusCode, r.body).toBe(200);
  return id;
}
