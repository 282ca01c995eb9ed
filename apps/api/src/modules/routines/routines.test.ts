import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { setupDemo } from '../demo/demo.js';
import { rows, sql } from '../../db/client.js';
import { generateTasks } from './routines.service.js';
import { jpeg, multipart } from '../../../test/images.js';

let t: TestApp;
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const send = async (method: 'POST' | 'PATCH', url: string, payload: unknown, user = 'zhenadmin') => t.app.inject({ method, url, payload: payload as object, headers: { cookie: await as(user) } });
// A Monday with no holiday, in the past: every window has opened.
const MONDAY = '2026-11-23';
const plan = async (code: string) => (await get('/api/v1/routines/plans')).json().find((p: { code: string }) => p.code === code);

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
});
afterAll(async () => { await t.close(); });

describe('routine tasks', () => {
  it('generates each occurrence once per holder, and again nothing', async () => {
    const first = await generateTasks(t.database.db, MONDAY, '2026-11-29');
    expect(first.inserted).toBeGreaterThan(0);
    const again = await generateTasks(t.database.db, MONDAY, '2026-11-29');
    expect(again.inserted).toBe(0);
    const count = async (code: string) => Number((await rows<{ n: number }>(t.database.db, sql`SELECT count(*) AS n FROM routine_task t
      JOIN routine_plan p ON p.id = t.plan_id WHERE p.code = ${code}`))[0]!.n);
    expect(await count('self_check')).toBe(40 * 7); // every village's leader, every day
    expect(await count('resident_visit')).toBe(40 * 7);
    expect(await count('supervision')).toBe(5); // each district's office, on Monday
    expect(await count('cleaning_day')).toBe(0); // the 15th–17th is not in this week
  });

  it('shows a leader their tasks, takes one result, scores it and raises a case for the failed item', async () => {
    const mine = (await get(`/api/v1/routines/my-tasks?from=${MONDAY}&to=${MONDAY}`, 'lingdao01')).json();
    const task = mine.find((x: { planCode: string }) => x.planCode === 'self_check');
    expect(task).toBeTruthy();
    const detail = (await get(`/api/v1/routines/tasks/${task.id}`, 'lingdao01')).json();
    const items = detail.template.items as { id: string; kind: string; maxScore?: number }[];
    const m = multipart(await jpeg(77));
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie: await as('lingdao01') } });
    const photoId = up.json().id;
    const answers = items.map((i) => ({ itemId: i.id, value: i.kind === 'yes_no' ? i.id !== 'a1' : i.kind === 'score' ? i.maxScore : i.kind === 'count' ? 3 : null,
      note: i.id === 'a1' ? '村东路口有暴露垃圾' : undefined, photoIds: i.kind === 'photo' ? [photoId] : undefined }));
    const clientId = randomUUID();
    const r = await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { clientId, answers }, 'lingdao01');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().percent).toBe(80);
    expect(r.json().cases).toHaveLength(1);
    const c = (await get(`/api/v1/cases/${r.json().cases[0].id}`)).json();
    expect(c).toMatchObject({ source: 'routine', state: 'reported', categoryName: '暴露垃圾' });
    expect(c.description).toContain('村东路口有暴露垃圾');
    // the self-check's photo belongs to the result: the town can see it
    expect((await get(`/api/v1/photos/${photoId}/thumb`)).statusCode).toBe(200);
    expect((await get(`/api/v1/photos/${photoId}/thumb`, 'cungan40')).statusCode).toBe(403);
    // the same submission again: the same result; another one: refused; someone else's task: 403
    expect((await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { clientId, answers }, 'lingdao01')).statusCode).toBe(200);
    const twice = await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { clientId: randomUUID(), answers }, 'lingdao01');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_SUBMITTED');
    const other = mine.find((x: { planCode: string; id: number }) => x.planCode === 'self_check' && x.id !== task.id);
    if (other) expect((await send('POST', `/api/v1/routines/tasks/${other.id}/result`, { answers }, 'lingdao02')).statusCode).toBe(403);
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM task_result WHERE task_id = ${task.id}`);
    expect(n!.n).toBe(1);
    expect((await get(`/api/v1/routines/my-tasks?from=${MONDAY}&to=${MONDAY}`, 'lingdao01')).json().find((x: { id: number }) => x.id === task.id).status).toMatch(/done|late/);
  });

  it('refuses answers that do not fit the checklist, and results for a locked period', async () => {
    const mine = (await get(`/api/v1/routines/my-tasks?from=2026-11-24&to=2026-11-24`, 'lingdao01')).json();
    const task = mine.find((x: { planCode: string }) => x.planCode === 'self_check');
    const bad = await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { answers: [{ itemId: 'd1', value: 99 }, { itemId: 'zz', value: true }] }, 'lingdao01');
    expect(bad.statusCode).toBe(400);
    const p = await plan('self_check');
    expect((await send('POST', `/api/v1/routines/plans/${p.id}/lock`, { period: task.period })).statusCode).toBe(200);
    const locked = await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { answers: [] }, 'lingdao01');
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('PERIOD_LOCKED');
  });

  it('turns a weekly-supervision finding into a case with the three-day rule', async () => {
    const mine = (await get(`/api/v1/routines/my-tasks?from=${MONDAY}&to=${MONDAY}`, 'nongwei')).json();
    const task = mine.find((x: { planCode: string }) => x.planCode === 'supervision');
    expect(task).toBeTruthy();
    const detail = (await get(`/api/v1/routines/tasks/${task.id}`, 'nongwei')).json();
    const answers = (detail.template.items as { id: string; kind: string; maxScore?: number }[]).map((i) => ({ itemId: i.id,
      value: i.kind === 'yes_no' ? i.id !== 's3' : i.kind === 'score' ? i.maxScore : i.kind === 'count' ? 1 : null }));
    const r = await send('POST', `/api/v1/routines/tasks/${task.id}/result`, { answers }, 'nongwei');
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().cases[0].id;
    const c = (await get(`/api/v1/cases/${id}`)).json();
    expect(c.source).toBe('supervision');
    const reg = await send('POST', `/api/v1/cases/${id}/steps`, { action: 'register', version: c.version });
    expect(reg.json().deadlineRule).toContain('三天工作法');
  });

  it('reports completeness and timeliness by district, village and person, with the gaps listed', async () => {
    const p = await plan('self_check');
    const [town] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107'`);
    const r = await get(`/api/v1/routines/completeness?planId=${p.id}&period=2026W48&areaId=${town!.id}`);
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json();
    expect(c.total.expected).toBe(280);
    expect(c.total.done).toBe(1);
    expect(c.districts).toHaveLength(5);
    expect(c.villages).toHaveLength(40);
    const villages = c.villages as { areaId: number; name: string; expected: number }[];
    expect(villages.map((v) => v.name)).toContain('毛家村');
    expect(villages.every((v) => v.expected === 7 && !v.name.includes('undefined'))).toBe(true);
    const [mjc] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107201'`);
    expect(villages.find((v) => v.name === '毛家村')!.areaId).toBe(Number(mjc!.id));
    expect(c.gaps.length).toBeGreaterThan(0);
    expect((await get(`/api/v1/routines/completeness?planId=${p.id}&period=2026-11&areaId=${town!.id}`)).statusCode).toBe(400);
  });

  it('refuses an impossible recurrence and a checklist whose weights do not add up', async () => {
    const p = await plan('cleaning_day');
    const r1 = await send('PATCH', `/api/v1/routines/plans/${p.id}`, { recurrence: { type: 'monthly', fromDay: 17, toDay: 15 }, version: p.version });
    expect(r1.statusCode).toBe(400);
    const r2 = await send('PATCH', `/api/v1/routines/plans/${p.id}`, { recurrence: { type: 'yearly', month: 2, day: 30 }, version: p.version });
    expect(r2.statusCode).toBe(400);
    const ok = await send('PATCH', `/api/v1/routines/plans/${p.id}`, { recurrence: { type: 'monthly', fromDay: 14, toDay: 16 }, version: p.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await send('PATCH', `/api/v1/routines/plans/${p.id}`, { graceDays: 2, version: p.version })).statusCode).toBe(409); // stale
    expect((await send('PATCH', `/api/v1/routines/plans/${p.id}`, { graceDays: 2, version: ok.json().version }, 'lingdao01')).statusCode).toBe(403);
    const empty = await send('POST', '/api/v1/routines/templates', { code: 'empty_one', name: '空表', items: [] });
    expect(empty.statusCode).toBe(400);
    const weights = await send('POST', '/api/v1/routines/templates', { code: 'bad_weights', name: '权重不对', items: [
      { id: 'x', section: 'A', label: '一', kind: 'yes_no', weight: 30 }, { id: 'y', section: 'A', label: '二', kind: 'yes_no', weight: 30 }] });
    expect(weights.statusCode).toBe(400);
  });
});

describe('field records of the routines', () => {
  it('keeps the cleaning day\'s sign-ups and sign-ins, with turnout', async () => {
    await generateTasks(t.database.db, '2026-11-15', '2026-11-17');
    const mine = (await get('/api/v1/routines/my-tasks?from=2026-11-15&to=2026-11-17', 'cungan01')).json();
    const task = mine.find((x: { planCode: string }) => x.planCode === 'cleaning_day');
    expect(task).toBeTruthy();
    const a = await send('POST', `/api/v1/routines/tasks/${task.id}/turnout`, { name: '王党员', kind: 'party_member', signIn: true, area: '村东主街' }, 'cungan01');
    expect(a.statusCode, a.body).toBe(201);
    const b = await send('POST', `/api/v1/routines/tasks/${task.id}/turnout`, { name: '李志愿', kind: 'volunteer' }, 'cungan01');
    expect(b.json().totals).toEqual({ signedUp: 2, came: 1, partyMembers: 1, volunteers: 0 });
    expect((await send('POST', `/api/v1/routines/tasks/${task.id}/turnout`, { name: '李志愿', kind: 'volunteer' }, 'cungan01')).statusCode).toBe(409);
    expect((await send('POST', `/api/v1/routines/tasks/${task.id}/turnout`, { name: '外村人', kind: 'volunteer' }, 'cungan40')).statusCode).toBe(403);
    const li = b.json().people.find((p: { name: string }) => p.name === '李志愿');
    const c = await send('POST', `/api/v1/routines/tasks/${task.id}/turnout/${li.id}/sign-in`, { area: '村西坑塘' }, 'cungan01');
    expect(c.json().totals.came).toBe(2);
  });

  it('lists the villages an observation visits, picked by hand inside the district, with each visit\'s score', async () => {
    await generateTasks(t.database.db, '2026-11-20', '2026-11-28');
    const mine = (await get('/api/v1/routines/my-tasks?from=2026-11-20&to=2026-11-28', 'nongwei')).json();
    const task = mine.find((x: { planCode: string }) => x.planCode === 'observation');
    expect(task).toBeTruthy();
    const inside = await rows<{ id: number }>(t.database.db, sql`SELECT v.id FROM area v JOIN area d ON v.path LIKE d.path || '%'
      WHERE d.id = ${task.areaId} AND v.level_key = 'village' ORDER BY v.code LIMIT 1`);
    const outside = await rows<{ id: number }>(t.database.db, sql`SELECT v.id FROM area v JOIN area d ON v.path NOT LIKE d.path || '%'
      WHERE d.id = ${task.areaId} AND v.level_key = 'village' ORDER BY v.code LIMIT 1`);
    expect((await send('POST', `/api/v1/routines/tasks/${task.id}/visits`, { villageId: Number(outside[0]!.id) }, 'nongwei')).statusCode).toBe(400);
    const p = await send('POST', `/api/v1/routines/tasks/${task.id}/visits`, { villageId: Number(inside[0]!.id), reason: '上月得分最低' }, 'nongwei');
    expect(p.statusCode, p.body).toBe(201);
    const visit = p.json().visits[0];
    const r = await t.app.inject({ method: 'PUT', url: `/api/v1/routines/tasks/${task.id}/visits/${visit.id}`, payload: { score: 86, note: '村容明显改善' }, headers: { cookie: await as('nongwei') } });
    expect(r.json().visits[0]).toMatchObject({ score: 86, note: '村容明显改善' });
    expect(r.json().visits[0].visitedAt).toBeTruthy();
  });
});

describe('areas with routine tasks', () => {
  it('refuses to delete a village that has tasks (409, not a 5xx): archive it instead', async () => {
    const [d] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE level_key = 'district' ORDER BY code LIMIT 1`);
    const v = await send('POST', '/api/v1/areas', { parentId: Number(d!.id), level: 'village', name: '新建测试村' }, 'admin');
    expect(v.statusCode, v.body).toBe(201);
    await generateTasks(t.database.db, '2026-11-15', '2026-11-17');
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM routine_task WHERE area_id = ${v.json().id}`);
    expect(n!.n).toBeGreaterThan(0);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/areas/${v.json().id}`, headers: { cookie: await as('admin') } });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('HAS_RECORDS');
  });
});
