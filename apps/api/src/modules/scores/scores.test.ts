// The scores against a real database: a small hand-made September in three villages of one
// district, every seeded indicator and the composite computed by hand; late edits reflected;
// every number's records; the bad inputs of the issue; ratings approved by a second person and paid
// by a third; nobody enters or approves the score of a village they hold a role in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { setupDemo } from '../demo/demo.js';
import { multipart } from '../../../test/images.js';
import { DUTY_BY_KEY } from '../../../../../packages/shared/src/duties.js';
import { rows, sql, type Db } from '../../db/client.js';
import { villageFactsRaw, villageFacts } from './scores.repository.js';

let t: TestApp;
let db: Db;
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const send = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, user = 'zhenadmin') =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: await as(user) } });

const ids: Record<string, number> = {};
let townId = 0;
let districtId = 0;
let districtPath = '';
let catId = 0;
let planId = 0;
let cleaningPlanId = 0;
let observationPlanId = 0;
let caseNo = 0;
let obsTask = 0;

const at = (d: string) => `2026-${d}T10:00:00+08:00`;
async function addCase(village: number, c: { state: string; due?: string; fixed?: string; closed?: string; rework?: number; reported?: string }) {
  caseNo += 1;
  const registered = c.state === 'refused' || c.state === 'reported' ? null : at(c.reported ?? '09-01');
  const [r] = await rows<{ id: number }>(db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, reported_at,
      registered_at, due_at, fixed_at, closed_at, rework_count)
    VALUES (${`T${caseNo}`}, 'grid_worker', ${c.state}, ${catId}, ${village}, '测试', ${at(c.reported ?? '09-01')}, ${registered},
      ${c.due ? at(c.due) : null}, ${c.fixed ? at(c.fixed) : null}, ${c.closed ? at(c.closed) : null}, ${c.rework ?? 0}) RETURNING id`);
  return Number(r!.id);
}
async function addTask(plan: number, area: number, day: string, done: null | 'on_time' | 'late', percent?: number) {
  const [r] = await rows<{ id: number }>(db, sql`INSERT INTO routine_task (plan_id, period, area_id, window_start, window_end, due_date, done_at, on_time)
    VALUES (${plan}, ${day.replaceAll('-', '')}, ${area}, ${day}, ${day}, ${day}, ${done ? at(day.slice(5)) : null}, ${done === null ? null : done === 'on_time'})
    RETURNING id`);
  const id = Number(r!.id);
  if (percent !== undefined) {
    await db.execute(sql`INSERT INTO task_result (task_id, submitted_by, answers, percent) VALUES (${id}, 1, '[]'::jsonb, ${percent})`);
  }
  return id;
}
const card = async (areaId: number, period: string, user = 'zhenadmin') => {
  const r = await get(`/api/v1/scores/scorecard?areaId=${areaId}&period=${period}`, user);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
/** Gives a duty to these roles (as the global administrator does on 设置 → 职责权限); `reset` puts the defaults back. */
async function setDuty(key: string, roles: string[] | 'reset') {
  const r = await send('PUT', `/api/v1/duties/${key}`, { roles: roles === 'reset' ? [...DUTY_BY_KEY[key]!.roles] : roles }, 'admin');
  expect(r.statusCode, r.body).toBe(200);
}
const userOf = async (role: string, areaId: number) => (await rows<{ username: string; id: number }>(db, sql`SELECT u.username, u.id FROM user_role r
  JOIN app_user u ON u.id = r.user_id WHERE r.role_key = ${role} AND r.area_id = ${areaId} ORDER BY u.id LIMIT 1`))[0]!;
const village = (c: { villages: { id: number }[] }, id: number) => c.villages.find((v) => v.id === id) as Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const valueOf = (v: any, code: string) => (v.values as { code: string; value: number | null }[]).find((x) => x.code === code)!.value;

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  await setupDemo(db);
  const [town] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = '370321107'`);
  townId = Number(town!.id);
  const [d] = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM area WHERE code = '370321107D01'`);
  districtId = Number(d!.id);
  districtPath = d!.path;
  const vs = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE parent_id = ${districtId} ORDER BY code LIMIT 3`);
  [ids.A, ids.B, ids.C] = vs.map((v) => Number(v.id));
  catId = Number((await rows<{ id: number }>(db, sql`SELECT id FROM case_category WHERE code = '0101'`))[0]!.id);
  const plan = async (code: string) => Number((await rows<{ id: number }>(db, sql`SELECT id FROM routine_plan WHERE code = ${code}`))[0]!.id);
  planId = await plan('self_check');
  cleaningPlanId = await plan('cleaning_day');
  observationPlanId = await plan('observation');

  // Village A, September: five cases.
  await addCase(ids.A!, { state: 'closed', due: '09-05', fixed: '09-04', closed: '09-06' }); // due, fixed on time, closed
  await addCase(ids.A!, { state: 'fixed', due: '09-10', fixed: '09-12' }); // due, fixed late
  ids.a3 = await addCase(ids.A!, { state: 'dispatched', due: '09-15' }); // due, overdue
  await addCase(ids.A!, { state: 'closed', due: '09-20', fixed: '09-19', closed: '09-21', rework: 1 }); // on time after a rework, closed
  await addCase(ids.A!, { state: 'refused' });
  // A's tasks: 10 daily self-checks, 8 done (6 on time), 4 with checklists 100, 80, 90, 70.
  const pct = [100, 80, 90, 70];
  for (let i = 0; i < 10; i++) {
    const day = `2026-09-${String(i + 1).padStart(2, '0')}`;
    await addTask(planId, ids.A!, day, i < 6 ? 'on_time' : i < 8 ? 'late' : null, i < 4 ? pct[i] : undefined);
  }
  // Village B: two cases (too few for the case rates), 10 tasks all on time, 2 checklists (too few), 2 of 3 came to the cleaning day, observed 90.
  await addCase(ids.B!, { state: 'closed', due: '09-08', fixed: '09-07', closed: '09-08' });
  await addCase(ids.B!, { state: 'closed', due: '09-09', fixed: '09-09', closed: '09-10' });
  for (let i = 0; i < 10; i++) await addTask(planId, ids.B!, `2026-09-${String(i + 11).padStart(2, '0')}`, 'on_time', i < 2 ? 100 : undefined);
  const cleaning = await addTask(cleaningPlanId, ids.B!, '2026-09-17', 'on_time');
  for (const [name, came] of [['王一', true], ['王二', true], ['王三', false]] as const) {
    await db.execute(sql`INSERT INTO cleaning_turnout (task_id, name, kind, signed_in_at) VALUES (${cleaning}, ${name}, 'volunteer', ${came ? at('09-17') : null})`);
  }
  const obs = await addTask(observationPlanId, districtId, '2026-09-28', 'on_time');
  obsTask = obs;
  await db.execute(sql`INSERT INTO observation_visit (task_id, village_id, picked_by, visited_at, score) VALUES (${obs}, ${ids.B!}, 'hand', ${at('09-25')}, 90)`);
  // Village C: nothing.
  const put = await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 80 }, { villageId: ids.B, score: 90 }] });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => { await t?.close(); });

describe('the scorecard of a known month', () => {
  it('computes every seeded indicator, the 40% environment score and the composite as by hand', async () => {
    const c = await card(districtId, '202609');
    expect(c.period).toMatchObject({ key: '202609', type: 'monthly', provisional: false });
    expect(c.weights).toMatchObject({ environment: 40, other: 60 });
    const A = village(c, ids.A!);
    expect(A.facts).toMatchObject({ cases_reported: 5, cases_refused: 1, cases_registered: 4, cases_due: 4, cases_fixed: 3,
      cases_fixed_on_time: 2, cases_overdue: 1, cases_reworked: 1, cases_closed: 2, tasks_due: 10, tasks_done: 8, tasks_on_time: 6,
      checklist_count: 4, checklist_percent_sum: 340, cleaning_days: 0, cleaning_present: 0, observation_count: 0 });
    expect(valueOf(A, 'on_time_fix_rate')).toBe(50);
    expect(valueOf(A, 'closure_rate')).toBe(50);
    expect(valueOf(A, 'rework_rate')).toBe(25);
    expect(valueOf(A, 'overdue_rate')).toBe(25);
    expect(valueOf(A, 'routine_completeness')).toBe(80);
    expect(valueOf(A, 'routine_timeliness')).toBe(60);
    expect(valueOf(A, 'checklist_avg')).toBe(85);
    expect(A.values.find((x: { code: string }) => x.code === 'cleaning_turnout')).toMatchObject({ value: null, thin: true, score: null });
    expect(valueOf(A, 'observation_score')).toBeNull();
    // (25·50 + 15·50 + 10·75 + 10·75 + 15·80 + 5·60 + 10·85) / 90: no cleaning day and no observation, so they drop out
    expect(A.environment).toBe(65);
    expect(A.composite).toBe(74); // 0.4 · 65 + 0.6 · 80
    const colour = (code: string) => A.values.find((x: { code: string }) => x.code === code).colour;
    expect([colour('on_time_fix_rate'), colour('overdue_rate'), colour('routine_completeness'), colour('checklist_avg')]).toEqual(['red', 'red', 'yellow', 'yellow']);

    const B = village(c, ids.B!);
    expect(B.values.find((x: { code: string }) => x.code === 'on_time_fix_rate')).toMatchObject({ value: 100, thin: true, score: null, colour: null });
    expect(B.values.find((x: { code: string }) => x.code === 'checklist_avg')).toMatchObject({ value: 100, thin: true, score: null });
    expect(valueOf(B, 'cleaning_turnout')).toBe(2);
    expect(B.facts).toMatchObject({ cleaning_days: 1, cleaning_signed_up: 3, cleaning_present: 2 });
    expect(valueOf(B, 'observation_score')).toBe(90);
    // (15·100 + 5·100 + 5·10 + 5·90) / 30: the case rates and the checklists have too little data
    expect(B.environment).toBe(83.33);
    expect(B.composite).toBe(87.33);

    const C = village(c, ids.C!);
    expect(C).toMatchObject({ environment: null, composite: null, rank: null });
    expect(C.reason).toContain('数据不足');
    expect([B.rank, A.rank, B.districtRank, A.districtRank]).toEqual([1, 2, 1, 2]);
    expect([B.tier, A.tier]).toEqual(['good', 'pass']);
    expect(c.redList[0].id).toBe(ids.B);
    expect(c.unranked.map((u: { id: number }) => u.id)).toContain(ids.C);
  });

  it('rolls villages up to the district and the town: facts added, rates from the sums', async () => {
    const c = await card(townId, '202609');
    const d = c.rows.find((r: { area: { id: number } }) => r.area.id === districtId);
    expect(d.facts).toMatchObject({ cases_reported: 7, cases_due: 6, cases_fixed_on_time: 4 });
    expect(valueOf(d, 'on_time_fix_rate')).toBe(66.67);
    expect(d.composite).toBe(80.67); // the mean of 74 and 87.33
    expect(c.total.facts.cases_reported).toBe(7);
    expect(c.villages).toHaveLength(40);
    // the county view: the same, one level up
    const [county] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'county'`);
    const k = await card(Number(county!.id), '202609', 'admin');
    expect(k.rows).toHaveLength(1);
    expect(k.rows[0].facts.cases_reported).toBe(7);
    expect(k.villages).toEqual([]);
  });

  it('exports the scorecard, the villages and the red and black list as .xlsx', async () => {
    const r = await get(`/api/v1/scores/scorecard.xlsx?areaId=${districtId}&period=202609`);
    expect(r.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['评分表', '各村', '红黑榜']);
    const villages = wb.getWorksheet('各村')!;
    const rowOf = (name: string) => villages.getRows(4, villages.rowCount - 3)!.find((row) => row.getCell(2).value === name)!;
    const nameOf = async (id: number) => (await rows<{ name: string }>(db, sql`SELECT name FROM area WHERE id = ${id}`))[0]!.name;
    const a = rowOf(await nameOf(ids.A!));
    expect(a.values).toContain(74); // the composite, as on the page
    expect(a.values).toContain('合格');
  });

  it('leads from every number to its records', async () => {
    const r = await get(`/api/v1/scores/records?areaId=${ids.A}&period=202609&fact=cases_overdue`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'cases', total: 1 });
    expect(r.json().items[0].id).toBe(ids.a3);
    const tasks = (await get(`/api/v1/scores/records?areaId=${ids.A}&period=202609&fact=tasks_on_time`)).json();
    expect(tasks).toMatchObject({ kind: 'tasks', total: 6 });
    const turnout = (await get(`/api/v1/scores/records?areaId=${ids.B}&period=202609&fact=cleaning_present`)).json();
    expect(turnout.items.map((x: { personName: string }) => x.personName).sort()).toEqual(['王一', '王二']);
    const visits = (await get(`/api/v1/scores/records?areaId=${districtId}&period=202609&fact=observation_count`)).json();
    expect(visits).toMatchObject({ kind: 'visits', total: 1 });
    // every fact's list has as many records as its count (the counts are sums for the two score sums)
    const c = await card(districtId, '202609');
    for (const fact of ['cases_reported', 'cases_registered', 'cases_due', 'cases_fixed', 'cases_fixed_on_time', 'cases_reworked', 'cases_closed', 'tasks_due', 'tasks_done', 'cleaning_days', 'checklist_count', 'cleaning_signed_up']) {
      const l = (await get(`/api/v1/scores/records?areaId=${districtId}&period=202609&fact=${fact}`)).json();
      expect(l.total, fact).toBe(c.total.facts[fact]);
    }
  });

  it('picks the best and the worst villages of each district for the observation', async () => {
    const r = await get(`/api/v1/scores/picks?areaId=${townId}&month=202609`);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json().districts.find((x: { districtId: number }) => x.districtId === districtId);
    expect(d.best.map((p: { id: number }) => p.id)).toEqual([ids.B]);
    expect(d.worst.map((p: { id: number }) => p.id)).toEqual([ids.A]);
    expect(d.worst[0].reasonText).toContain('按期处置率 50%');
    expect(d.thin.map((x: { id: number }) => x.id)).toContain(ids.C);
    // the observation task of the district and month takes them as its visits (B was already picked by hand)
    const v = await send('POST', `/api/v1/routines/tasks/${obsTask}/visits/from-scores`, {});
    expect(v.statusCode, v.body).toBe(201);
    const visits = v.json().visits as { villageId: number; pickedBy: string; reason: string }[];
    expect(visits.map((x) => [x.villageId, x.pickedBy])).toEqual([[ids.B, 'hand'], [ids.A, 'scores']]);
    expect(visits[1]!.reason).toContain('最差');
    expect((await send('POST', `/api/v1/routines/tasks/${obsTask}/visits/from-scores`, {}, 'cungan40')).statusCode).toBe(403);
  });

  it('reflects a late edit to an old fact: fixing the overdue case raises the village, never lowers it', async () => {
    const before = village(await card(districtId, '202609'), ids.A!);
    await db.execute(sql`UPDATE case_file SET state = 'fixed', fixed_at = now() WHERE id = ${ids.a3!}`);
    const after = village(await card(districtId, '202609'), ids.A!);
    expect(after.facts).toMatchObject({ cases_overdue: 0, cases_fixed: 4, cases_fixed_on_time: 2 });
    expect(valueOf(after, 'overdue_rate')).toBe(0);
    expect(after.environment).toBe(67.78); // (5850 + 10·25) / 90
    expect(after.environment).toBeGreaterThan(before.environment);
    // the kept facts equal the raw records, village by village
    const kept = await villageFacts(db, districtPath, ['2026-09-01']);
    const raw = await villageFactsRaw(db, districtPath, ['2026-09-01'], new Date());
    for (const v of kept) if (raw.has(v.id)) expect(v.facts).toEqual(raw.get(v.id));
    // the scores follow an edit of the other work and of the weights' inputs at once (nothing served stale)
    await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 90 }] });
    expect(village(await card(districtId, '202609'), ids.A!)).toMatchObject({ other: 90, composite: 81.11 }); // 0.4 · 67.78 + 0.6 · 90
    await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 80 }] });
    expect(village(await card(districtId, '202609'), ids.A!).other).toBe(80);
    // stats --json counts the months with kept facts
    const stats = (await get('/api/v1/stats', 'admin')).json();
    expect(stats.scores.periods).toBeGreaterThanOrEqual(1);
  });

  it('marks a period not yet ended as provisional and refuses one not begun', async () => {
    const now = new Date(Date.now() + 8 * 3600_000).toISOString();
    const month = now.slice(0, 4) + now.slice(5, 7);
    expect((await card(districtId, month)).period.provisional).toBe(true);
    const r = await get(`/api/v1/scores/scorecard?areaId=${districtId}&period=2099Q1`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('尚未开始');
    expect((await get(`/api/v1/scores/scorecard?areaId=${districtId}&period=2026W3`)).statusCode).toBe(400);
    expect((await get(`/api/v1/scores/records?areaId=${districtId}&period=202609&fact=nope`)).statusCode).toBe(400);
  });
});

describe('indicators, weights and settings are data, with their checks', () => {
  it('refuses weights that do not add up to 100%, and scores each period with the weights in force then', async () => {
    const list = (await get('/api/v1/scores/indicators')).json();
    const base = Object.fromEntries(list.map((i: { code: string; weight: number }) => [i.code, i.weight]));
    let r = await send('POST', '/api/v1/scores/weights', { validFrom: '202610', weights: { environment: 40, other: 50, indicators: base } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('100%');
    r = await send('POST', '/api/v1/scores/weights', { validFrom: '202610', weights: { environment: 40, other: 60, indicators: { ...base, on_time_fix_rate: 30 } } });
    expect(r.statusCode).toBe(400);
    r = await send('POST', '/api/v1/scores/weights', { validFrom: '202610', weights: { environment: 40, other: 60, indicators: { ...base, nope: 0 } } });
    expect(r.statusCode).toBe(400);
    r = await send('POST', '/api/v1/scores/weights', { validFrom: '2026-10', weights: { environment: 40, other: 60, indicators: base } });
    expect(r.statusCode).toBe(400);
    // from October the environment weighs 50%: September keeps 40%
    r = await send('POST', '/api/v1/scores/weights', { validFrom: '202610', weights: { environment: 50, other: 50, indicators: base }, note: '测试' });
    expect(r.statusCode, r.body).toBe(201);
    expect((await card(districtId, '202609')).weights.environment).toBe(40);
    expect((await card(districtId, '202610')).weights.environment).toBe(50);
    expect((await send('POST', '/api/v1/scores/weights', { validFrom: '202610', weights: { environment: 50, other: 50, indicators: base } }, 'lingdao01')).statusCode).toBe(403);
  });

  it('refuses thresholds out of order and formulas naming unknown facts', async () => {
    const good = { code: 'closed_count', name: '结案数', formula: 'cases_closed', direction: 'up', unit: '件', target: 10, green: 10, yellow: 5,
      baseFact: null, minBase: 0, periodTypes: ['monthly'] };
    let r = await send('POST', '/api/v1/scores/indicators', { ...good, green: 3 });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('阈值');
    r = await send('POST', '/api/v1/scores/indicators', { ...good, formula: 'cases_closed / cases_lost' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('cases_lost');
    r = await send('POST', '/api/v1/scores/indicators', { ...good, formula: 'process.exit()' });
    expect(r.statusCode).toBe(400);
    r = await send('POST', '/api/v1/scores/indicators', { ...good, unit: '件', target: null });
    expect(r.statusCode).toBe(400);
    r = await send('POST', '/api/v1/scores/indicators', good);
    expect(r.statusCode, r.body).toBe(201);
    expect((await send('POST', '/api/v1/scores/indicators', good)).statusCode).toBe(409);
    const id = r.json().id;
    expect((await send('PATCH', `/api/v1/scores/indicators/${id}`, { yellow: 20, version: 1 })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/scores/indicators/${id}`, { active: false, version: 1 })).statusCode).toBe(200);
    expect((await send('PATCH', `/api/v1/scores/indicators/${id}`, { active: true, version: 1 })).statusCode).toBe(409);
  });

  it('refuses tier thresholds out of order; ranks by shares when set so', async () => {
    const s = (await get('/api/v1/scores/settings')).json();
    // install-wide: a town administrator does not change them, the global administrator does
    expect((await send('PUT', '/api/v1/scores/settings', s)).json().error.code).toBe('DUTY_REQUIRED');
    let r = await send('PUT', '/api/v1/scores/settings', { ...s, tiers: { ...s.tiers, thresholds: { excellent: 80, good: 85, pass: 60 } } }, 'admin');
    expect(r.statusCode).toBe(400);
    r = await send('PUT', '/api/v1/scores/settings', { ...s, tiers: { ...s.tiers, shares: { excellent: 60, good: 30, pass: 30 } } }, 'admin');
    expect(r.statusCode).toBe(400);
    r = await send('PUT', '/api/v1/scores/settings', { ...s, tiers: { ...s.tiers, mode: 'share', shares: { excellent: 50, good: 50, pass: 0 } } }, 'admin');
    expect(r.statusCode, r.body).toBe(200);
    const c = await card(districtId, '202609');
    expect([village(c, ids.B!).tier, village(c, ids.A!).tier]).toEqual(['excellent', 'good']);
    await send('PUT', '/api/v1/scores/settings', s, 'admin');
  });

  it('refuses other-work scores out of range or for what is not a village', async () => {
    expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 120 }] })).statusCode).toBe(400);
    expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: districtId, score: 80 }] })).statusCode).toBe(400);
    expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 80 }, { villageId: ids.A, score: 70 }] })).statusCode).toBe(400);
    expect((await send('PUT', '/api/v1/scores/other', { month: '2026Q3', items: [{ villageId: ids.A, score: 80 }] })).statusCode).toBe(400);
    expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 80 }] }, 'cungan40')).statusCode).toBe(403);
  });

  it('nobody enters the score of their own village, even when the duty table lets village cadres enter scores', async () => {
    const cadre = (await userOf('village_cadre', ids.A!)).username;
    const [a] = await rows<{ name: string }>(db, sql`SELECT name FROM area WHERE id = ${ids.A!}`);
    expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 100 }] }, cadre)).json().error.code).toBe('DUTY_REQUIRED');
    await setDuty('scores.other.enter', ['town_admin', 'village_cadre']);
    delete cookies[cadre]; // a money or scores duty needs the second factor: log in again
    try {
      const own = await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: 100 }] }, cadre);
      expect(own.statusCode).toBe(403);
      expect(own.json().error).toEqual({ code: 'OWN_UNIT', message: `不能为自己所在的村录入得分：您在${a!.name}任村两委 (you belong to this village)` });
      expect((await send('PUT', '/api/v1/scores/other', { month: '202609', items: [{ villageId: ids.A, score: null }] }, cadre)).statusCode).toBe(403); // nor clears it
      // the sheet as well
      const sheet = await get(`/api/v1/scores/other.xlsx?areaId=${ids.A}&month=202609`);
      expect(sheet.statusCode).toBe(200);
      const m = multipart(sheet.rawPayload, 'other.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/scores/other/import?month=202609', payload: m.payload, headers: { ...m.headers, cookie: await as(cadre) } });
      expect(imported.statusCode, imported.body).toBe(403);
      expect(imported.json().error.code).toBe('OWN_UNIT');
      expect(village(await card(districtId, '202609'), ids.A!).other).toBe(80); // unchanged
    } finally {
      await setDuty('scores.other.enter', 'reset');
    }
  });
});

describe('the quarterly rating and the annual award', () => {
  it('needs an ended period, a second person to approve, and pays each award once', async () => {
    let r = await send('POST', '/api/v1/scores/ratings', { areaId: townId, period: '2026Q4' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('PERIOD_NOT_ENDED');
    r = await send('POST', '/api/v1/scores/ratings', { areaId: districtId, period: '2026Q3' });
    expect(r.statusCode).toBe(400);
    r = await send('POST', '/api/v1/scores/ratings', { areaId: townId, period: '2026Q3' });
    expect(r.statusCode, r.body).toBe(201);
    const rating = r.json();
    expect(rating).toMatchObject({ kind: 'quarter', status: 'proposed' });
    expect(rating.awards.map((a: { villageId: number }) => a.villageId)).toEqual([ids.B, ids.A]);
    expect(rating.awards[0].amount).toBeGreaterThan(rating.awards[1].amount);
    expect((await send('POST', '/api/v1/scores/ratings', { areaId: townId, period: '2026Q3' })).statusCode).toBe(409);
    const award = rating.awards[0].id;
    expect((await send('POST', `/api/v1/scores/ratings/${rating.id}/awards/${award}/paid`, {})).statusCode).toBe(409);
    r = await send('POST', `/api/v1/scores/ratings/${rating.id}/approve`, {}); // the office proposes, leaders approve
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('DUTY_REQUIRED');
    await setDuty('scores.rating.approve', ['party_secretary', 'leader', 'town_admin']);
    try {
      r = await send('POST', `/api/v1/scores/ratings/${rating.id}/approve`, {});
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatchObject({ code: 'SECOND_PERSON_REQUIRED', message: expect.stringContaining('不能审批自己提议的评比') });
    } finally {
      await setDuty('scores.rating.approve', 'reset');
    }
    // a town leader who is also the resident cadre (驻村干部) of a rated village does not approve it
    const [mayor] = await rows<{ id: number; username: string }>(db, sql`SELECT id, username FROM app_user WHERE username = 'zhenzhang'`);
    const [g] = await rows<{ id: number }>(db, sql`INSERT INTO user_role (user_id, role_key, area_id) VALUES (${mayor!.id}, 'resident_cadre', ${ids.C!}) RETURNING id`);
    r = await send('POST', `/api/v1/scores/ratings/${rating.id}/approve`, {}, mayor!.username);
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: 'OWN_UNIT', message: expect.stringContaining('不能审批自己所在的村参评的评比') });
    await db.execute(sql`DELETE FROM user_role WHERE id = ${g!.id}`);
    r = await send('POST', `/api/v1/scores/ratings/${rating.id}/approve`, {}, 'shuji');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'approved', approvedByName: expect.any(String) });
    expect((await send('DELETE', `/api/v1/scores/ratings/${rating.id}`, {})).statusCode).toBe(409);
    // paid by a third person: not the proposer, not the approver
    r = await send('POST', `/api/v1/scores/ratings/${rating.id}/awards/${award}/paid`, {});
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', message: expect.stringContaining('不能登记自己提议的评比奖励为已发放') });
    await setDuty('scores.rating.pay', ['town_admin', 'party_secretary']);
    try {
      r = await send('POST', `/api/v1/scores/ratings/${rating.id}/awards/${award}/paid`, {}, 'shuji');
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', message: expect.stringContaining('不能登记自己审批的评比奖励为已发放') });
    } finally {
      await setDuty('scores.rating.pay', 'reset');
    }
    const created = await send('POST', '/api/v1/users', { username: 'caiwu', displayName: '镇财务', password: 'demo1234-x', roles: [{ roleKey: 'town_admin', areaId: townId }] }, 'admin');
    expect(created.statusCode, created.body).toBe(201);
    await db.execute(sql`UPDATE app_user SET must_change_password = FALSE WHERE username = 'caiwu'`);
    cookies.caiwu = await login(t.app, 'caiwu', 'demo1234-x');
    expect((await send('POST', `/api/v1/scores/ratings/${rating.id}/awards/${award}/paid`, {}, 'caiwu')).statusCode).toBe(200);
    expect((await send('POST', `/api/v1/scores/ratings/${rating.id}/awards/${award}/paid`, {}, 'caiwu')).statusCode).toBe(409);
    const list = (await get(`/api/v1/scores/ratings?areaId=${townId}`)).json();
    expect(list[0].paidAmount).toBe(rating.awards[0].amount);
  });
});

describe('the kept facts follow every change', () => {
  it('equal the raw records after any sequence of inserts and late edits', async () => {
    const D = districtPath;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ v: fc.constantFrom('A', 'B', 'C'), day: fc.integer({ min: 1, max: 28 }), state: fc.constantFrom('reported', 'dispatched', 'fixed', 'closed', 'refused'),
        dueIn: fc.integer({ min: 1, max: 20 }), late: fc.boolean(), fixLater: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      async (list) => {
        const made: number[] = [];
        for (const c of list) {
          const day = String(c.day).padStart(2, '0');
          const due = new Date(Date.parse(`2026-08-${day}T10:00:00+08:00`) + c.dueIn * 86400_000);
          const fixed = c.state === 'fixed' || c.state === 'closed' ? new Date(due.getTime() + (c.late ? 1 : -1) * 3600_000) : null;
          const [r] = await rows<{ id: number }>(db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, reported_at, registered_at, due_at, fixed_at, closed_at)
            VALUES (${`P${++caseNo}`}, 'grid_worker', ${c.state}, ${catId}, ${ids[c.v]!}, 'p', ${`2026-08-${day}T09:00:00+08:00`},
              ${c.state === 'reported' || c.state === 'refused' ? null : `2026-08-${day}T09:30:00+08:00`}, ${due.toISOString()},
              ${fixed?.toISOString() ?? null}, ${c.state === 'closed' ? fixed!.toISOString() : null}) RETURNING id`);
          made.push(Number(r!.id));
          await card(districtId, '202608'); // read in between: the kept facts must follow what comes after
        }
        for (const [i, c] of list.entries()) {
          if (c.fixLater && c.state === 'dispatched') await db.execute(sql`UPDATE case_file SET state = 'fixed', fixed_at = now() WHERE id = ${made[i]!}`);
        }
        const kept = (await card(districtId, '202608')).villages.filter((v: { id: number }) => [ids.A, ids.B, ids.C].includes(v.id));
        const raw = await villageFactsRaw(db, D, ['2026-08-01'], new Date());
        for (const v of kept) expect(v.facts).toEqual(raw.get(v.id) ?? expect.objectContaining({ cases_reported: 0 }));
      },
    ), { numRuns: 8 });
  });
});
