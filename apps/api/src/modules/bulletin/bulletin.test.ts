// The daily bulletin against the database: a small town with known cases on known days, every
// number checked by hand; issuing, corrections, the race for a version, access, and .xlsx.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { rows, sql, type Db } from '../../db/client.js';
import { DomainError } from '../../lib/errors.js';
import type { Actor } from '../access/policy.js';
import { initTown } from '../areas/network.service.js';
import * as areasRepo from '../areas/areas.repository.js';
import * as svc from './bulletin.service.js';
import type { BulletinContent, BulletinRow } from './bulletin.rules.js';

const D = '2026-03-10'; // a Tuesday; March 2026 has no public holiday
const PW = 'Test-pass-123';

let t: TestApp;
let db: Db;
let admin: string;
const ids: Record<string, number> = {};
const get = (url: string, cookie = admin) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, payload: unknown, cookie = admin) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie } });
const ok = async <T = any>(p: Promise<{ statusCode: number; body: string; json: () => unknown }>, status = 200): Promise<T> => {
  const r = await p;
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return r.json() as T;
};
/** China wall-clock 'MM-DD HH:MM' of 2026 as an ISO instant. */
const at = (s: string | null) => (s === null ? null : new Date(`2026-${s.replace(' ', 'T')}:00+08:00`).toISOString());

let caseNo = 0;
async function kase(c: { area: number; state: string; reported: string; registered?: string; due?: string; fixed?: string; closed?: string; assignee?: number }) {
  caseNo += 1;
  const no = `T${String(caseNo).padStart(4, '0')}`;
  const [r] = await rows<{ id: number }>(db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, reported_at,
      registered_at, due_at, fixed_at, closed_at, assignee_id, refused_reason)
    VALUES (${no}, 'field', ${c.state}, ${ids.category!}, ${c.area}, ${`测试问题 ${no}：路边暴露垃圾，需要清理`}, ${at(c.reported)},
      ${at(c.registered ?? null)}, ${at(c.due ?? null)}, ${at(c.fixed ?? null)}, ${at(c.closed ?? null)}, ${c.assignee ?? null},
      ${c.state === 'refused' ? 'invalid' : null}) RETURNING id`);
  return { id: Number(r!.id), no };
}
async function step(caseId: number, seq: number, action: string, from: string, to: string, when: string) {
  await db.execute(sql`INSERT INTO case_step (case_id, seq, action, from_state, to_state, at) VALUES (${caseId}, ${seq}, ${action}, ${from}, ${to}, ${at(when)})`);
}
async function user(username: string, displayName: string, roleKey: string, areaId: number) {
  const u = await ok(post('/api/v1/users', { username, displayName, password: PW, roles: [{ roleKey, areaId }] }), 201);
  return u.id as number;
}
async function responsibility(kind: string, areaId: number, userId: number, validFrom = '2026-01-01', validTo: string | null = null) {
  await ok(post('/api/v1/responsibilities', { kind, areaId, userId, validFrom, validTo }), 201);
}

const cases: Record<string, { id: number; no: string }> = {};

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  const actor = { id: null, name: 'test' };
  await initTown(db, '370321107', actor); // 新城镇: 40 villages directly under the town
  await initTown(db, '370321109', actor); // 唐山镇: another town of the county
  const byCode = async (code: string) => (await areasRepo.findByCode(db, code))!;
  const town = await byCode('370321107');
  ids.town = town.id;
  ids.other = (await byCode('370321109')).id;
  ids.otherVillage = (await areasRepo.villagesUnder(db, (await byCode('370321109')).path))[0]!.id;
  ids.d1 = (await ok(post('/api/v1/areas', { parentId: town.id, level: 'district', name: '西北管区' }), 201)).id;
  ids.d2 = (await ok(post('/api/v1/areas', { parentId: town.id, level: 'district', name: '东南管区' }), 201)).id;
  // Villages into districts as they stood long before the day (no move history: as set up by import).
  const into = async (code: string, district: number) => {
    const v = await byCode(code);
    const d = (await areasRepo.findById(db, district))!;
    await areasRepo.moveSubtree(db, v.id, d.id, v.path, `${d.path}${v.id}/`);
    return v.id;
  };
  ids.v1 = await into('370321107201', ids.d1); // 毛家村
  ids.v2 = await into('370321107202', ids.d1);
  ids.v3 = await into('370321107203', ids.d2);
  ids.v4 = (await byCode('370321107204')).id; // stays directly under the town: 镇直属
  ids.g1 = (await ok(post('/api/v1/areas', { parentId: ids.v1, level: 'grid', name: '毛家村第1网格' }), 201)).id;
  ids.m1 = (await ok(post('/api/v1/areas', { parentId: ids.g1, level: 'micro_grid', name: '毛家村1-1微网格' }), 201)).id;
  const [cat] = await rows<{ id: number }>(db, sql`INSERT INTO case_category (code, name, deadline_amount, deadline_unit)
    VALUES ('T01', '测试暴露垃圾', 2, 'work_day') RETURNING id`);
  ids.category = Number(cat!.id);

  ids.gwOld = await user('gw_old', '钱旧网格', 'grid_worker', ids.v1);
  ids.gw = await user('gw', '孙网格', 'grid_worker', ids.v1);
  ids.leader = await user('ld1', '李领导', 'leader', ids.town);
  ids.office = await user('jw', '镇纪委·周', 'discipline_office', ids.d1);
  ids.cleaner = await user('bj', '吴保洁', 'cleaner', ids.v1);
  ids.zhen = await user('zhen', '郑镇管', 'town_admin', ids.town);
  ids.outsider = await user('outsider', '唐山镇管理员', 'town_admin', ids.other);
  // Passwords set by an administrator must be changed at first log-in; these people did.
  await db.execute(sql`UPDATE app_user SET must_change_password = false`);
  await responsibility('grid_worker_grid', ids.g1, ids.gwOld, '2026-01-01', '2026-03-09');
  await responsibility('grid_worker_grid', ids.g1, ids.gw, '2026-03-10');
  await responsibility('leader_village', ids.v1, ids.leader);
  await responsibility('office_district', ids.d1, ids.office);

  // --- the cases (times are China wall-clock in 2026) ---
  cases.c1 = await kase({ area: ids.m1, state: 'reported', reported: '03-10 09:00' }); // new in 毛家村
  cases.c2 = await kase({ area: ids.v1, state: 'refused', reported: '03-10 10:00' }); // refused: not new
  cases.c3 = await kase({ area: ids.g1, state: 'fixing', reported: '03-08 09:00', registered: '03-08 10:00', due: '03-09 17:30', assignee: ids.cleaner }); // overdue
  cases.c4 = await kase({ area: ids.v1, state: 'closed', reported: '03-05 08:00', registered: '03-05 09:00', due: '03-06 17:30', fixed: '03-10 11:00', closed: '03-10 15:00' }); // closed late
  cases.c5 = await kase({ area: ids.v2, state: 'closed', reported: '03-09 08:00', registered: '03-09 09:00', due: '03-12 17:30', fixed: '03-10 09:00', closed: '03-10 16:00' }); // closed on time, reworked once
  await step(cases.c5.id, 1, 'feedback', 'fixing', 'fixed', '03-10 08:00');
  await step(cases.c5.id, 2, 'rework', 'fixed', 'fixing', '03-10 08:30');
  await step(cases.c5.id, 3, 'feedback', 'fixing', 'fixed', '03-10 09:00');
  await step(cases.c5.id, 4, 'pass', 'fixed', 'closed', '03-10 16:00');
  cases.c6 = await kase({ area: ids.v3, state: 'closed', reported: '03-02 08:00', registered: '03-02 09:00', due: '03-04 17:30', fixed: '03-03 10:00', closed: '03-03 12:00' }); // this month, on time
  cases.c7 = await kase({ area: ids.v3, state: 'fixed', reported: '03-09 08:00', registered: '03-09 09:00', due: '03-10 12:00', fixed: '03-11 09:00' }); // fixed only the next day: overdue at the end of D
  cases.c8 = await kase({ area: ids.v4, state: 'registered', reported: '03-10 20:00', registered: '03-10 20:30', due: '03-10 22:00' }); // new and overdue, after working hours
  cases.c9 = await kase({ area: ids.v1, state: 'reported', reported: '03-11 08:00' }); // the next day
  cases.c11 = await kase({ area: ids.d1, state: 'dispatched', reported: '03-01 08:00', registered: '03-01 09:00', due: '03-03 17:30' }); // on the district itself
  cases.c12 = await kase({ area: ids.v1, state: 'closed', reported: '02-20 08:00', registered: '02-20 09:00', due: '02-24 17:30', fixed: '02-24 10:00', closed: '02-28 10:00' }); // last month
  cases.c13 = await kase({ area: ids.v3, state: 'fixing', reported: '03-08 08:00', registered: '03-08 09:00', due: '03-20 17:30' }); // rework the day before: not counted
  await step(cases.c13.id, 1, 'rework', 'fixed', 'fixing', '03-09 15:00');
  cases.c14 = await kase({ area: ids.otherVillage, state: 'reported', reported: '03-10 09:00' }); // another town
}, 120_000);
afterAll(async () => { await t?.close(); });

const row = (c: BulletinContent, areaId: number | null, name?: string): BulletinRow => {
  for (const g of c.groups) {
    if (g.district.areaId === areaId && (name === undefined || g.district.name === name)) return g.district;
    const v = g.villages.find((x) => x.areaId === areaId);
    if (v) return v;
  }
  throw new Error(`no row for ${areaId}`);
};
const nums = (r: BulletinRow) => ({
  new: r.new, fixed: r.fixed, overdue: r.overdue, reworked: r.reworked, closed: r.closed, closedOnTime: r.closedOnTime,
  onTimeRate: r.onTimeRate, closedMonth: r.closedMonth, closedOnTimeMonth: r.closedOnTimeMonth, onTimeRateMonth: r.onTimeRateMonth,
});
const Z = { new: 0, fixed: 0, overdue: 0, reworked: 0, closed: 0, closedOnTime: 0, onTimeRate: null, closedMonth: 0, closedOnTimeMonth: 0, onTimeRateMonth: null };

describe('the numbers of one day, by hand', () => {
  let c: BulletinContent;
  beforeAll(async () => { c = await ok(get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=${D}`)); });

  it('has the scope, the day, the definitions and the groups in order', () => {
    expect(c.scope).toMatchObject({ id: ids.town, name: '新城镇', code: '370321107' });
    expect(c.day).toBe(D);
    expect(Object.keys(c.definitions)).toEqual(expect.arrayContaining(['new', 'fixed', 'overdue', 'reworked', 'onTimeRate', 'onTimeRateMonth']));
    expect(c.groups.map((g) => g.district.name)).toEqual(['西北管区', '东南管区', '镇直属']);
    expect(c.groups[0]!.villages.map((v) => v.areaId)).toEqual([ids.v1, ids.v2]);
    expect(c.groups[1]!.villages.map((v) => v.areaId)).toEqual([ids.v3]);
    expect(c.groups[2]!.villages).toHaveLength(37);
  });

  it('毛家村: c1 new (c2 refused), c4 closed late, c3 overdue; last month\'s c12 not in the month', () => {
    expect(nums(row(c, ids.v1))).toEqual({ ...Z, new: 1, fixed: 1, closed: 1, closedOnTime: 0, onTimeRate: 0, closedMonth: 1, closedOnTimeMonth: 0, onTimeRateMonth: 0, overdue: 1 });
  });
  it('the second village: c5 closed on time after one rework', () => {
    expect(nums(row(c, ids.v2))).toEqual({ ...Z, fixed: 1, closed: 1, closedOnTime: 1, onTimeRate: 1, closedMonth: 1, closedOnTimeMonth: 1, onTimeRateMonth: 1, reworked: 1 });
  });
  it('西北管区 = its two villages + c11 on the district itself', () => {
    expect(nums(row(c, ids.d1))).toEqual({ ...Z, new: 1, fixed: 2, closed: 2, closedOnTime: 1, onTimeRate: 0.5, closedMonth: 2, closedOnTimeMonth: 1, onTimeRateMonth: 0.5, overdue: 2, reworked: 1 });
  });
  it('东南管区 and its village: c7 fixed only the next day is overdue; c6 on time this month; yesterday\'s rework not counted', () => {
    const expected = { ...Z, overdue: 1, closedMonth: 1, closedOnTimeMonth: 1, onTimeRateMonth: 1 };
    expect(nums(row(c, ids.v3))).toEqual(expected);
    expect(nums(row(c, ids.d2))).toEqual(expected);
  });
  it('镇直属: c8 new and overdue; the other villages are all zero', () => {
    expect(nums(row(c, null, '镇直属'))).toEqual({ ...Z, new: 1, overdue: 1 });
    expect(nums(row(c, ids.v4))).toEqual({ ...Z, new: 1, overdue: 1 });
    const others = c.groups[2]!.villages.filter((v) => v.areaId !== ids.v4);
    expect(others.every((v) => JSON.stringify(nums(v)) === JSON.stringify(Z))).toBe(true);
  });
  it('the total: the other town\'s case and the next day\'s are not in it', () => {
    expect(c.totals).toMatchObject({ areaId: ids.town, name: '合计' });
    expect(nums(c.totals)).toEqual({ new: 2, fixed: 2, overdue: 4, reworked: 1, closed: 2, closedOnTime: 1, onTimeRate: 0.5, closedMonth: 3, closedOnTimeMonth: 2, onTimeRateMonth: 0.6667 });
  });

  it('lists the overdue cases, longest first, with working time overdue and who answers that day', () => {
    expect(c.overdue.map((o) => o.no)).toEqual([cases.c11!.no, cases.c3!.no, cases.c7!.no, cases.c8!.no]);
    const [c11, c3, c7, c8] = c.overdue;
    // c11: due Tue 03-03 17:30; Wed–Fri and Mon–Tue are 5 working days of 7.5 h.
    expect(c11).toMatchObject({ overdueWorkHours: 37.5, overdueText: '5个工作日', overdueDays: 7.3, districtName: '西北管区', villageName: null, gridName: null,
      gridWorker: null, villageLeader: null, districtOffice: { userId: ids.office, name: '镇纪委·周' }, assignee: null });
    // c3: due Mon 03-09 17:30 → the whole of Tuesday.
    expect(c3).toMatchObject({
      categoryName: '测试暴露垃圾', areaName: '毛家村第1网格', districtName: '西北管区', villageName: '毛家村', gridName: '毛家村第1网格', microGridName: null,
      reportedAt: at('03-08 09:00'), dueAt: at('03-09 17:30'), overdueWorkHours: 7.5, overdueText: '1个工作日', overdueDays: 1.3,
      assignee: { userId: ids.cleaner, name: '吴保洁' },
      gridWorker: { userId: ids.gw, name: '孙网格' }, // the worker from 03-10, not the one whose term ended 03-09
      villageLeader: { userId: ids.leader, name: '李领导' }, districtOffice: { userId: ids.office, name: '镇纪委·周' },
    });
    expect(c3!.description).toMatch(/^测试问题 T0003/);
    // c7: due 12:00 on the day → the afternoon period, 13:30–17:30.
    expect(c7).toMatchObject({ overdueWorkHours: 4, overdueText: '4工作小时', overdueDays: 0.5, districtName: '东南管区', districtOffice: null });
    // c8: due 22:00, after working hours.
    expect(c8).toMatchObject({ overdueWorkHours: 0, overdueText: '不足0.1工作小时', overdueDays: 0.1, districtName: null, villageName: expect.any(String) });
  });

  it('a district bulletin: one group, the district with its villages', async () => {
    const d = await ok<BulletinContent>(get(`/api/v1/bulletins/preview?areaId=${ids.d1}&day=${D}`));
    expect(d.groups).toHaveLength(1);
    expect(nums(d.groups[0]!.district)).toEqual(nums(row(c, ids.d1)));
    expect(nums(d.totals)).toEqual(nums(row(c, ids.d1)));
    expect(d.overdue.map((o) => o.no)).toEqual([cases.c11!.no, cases.c3!.no]);
  });

  it('the day before: c4 was still overdue, c3 became overdue at its end, the grid worker was the former one', async () => {
    const prev = await ok<BulletinContent>(get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=2026-03-09`));
    // 03-09: c11 overdue; c4 fixed only on 03-10; c3 due 03-09 17:30 → overdue at 24:00; c13's rework counts that day.
    expect(prev.overdue.map((o) => o.no)).toEqual([cases.c11!.no, cases.c4!.no, cases.c3!.no]);
    expect(nums(prev.totals)).toMatchObject({ new: 2, overdue: 3, reworked: 1, fixed: 0, closedMonth: 1 });
    // the grid worker that day was the former one
    expect(prev.overdue[2]!.gridWorker).toEqual({ userId: ids.gwOld, name: '钱旧网格' });
  });
});

describe('bad input and access', () => {
  it('a future day, an impossible date, a village scope and an unknown area are refused', async () => {
    const future = await post('/api/v1/bulletins', { areaId: ids.town, day: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('FUTURE_DAY');
    expect((await get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=2099-01-01`)).statusCode).toBe(400);
    expect((await get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=2026-02-30`)).statusCode).toBe(400);
    expect((await post('/api/v1/bulletins', { areaId: ids.town, day: '2026-3-1' })).statusCode).toBe(400);
    const village = await post('/api/v1/bulletins', { areaId: ids.v1, day: D });
    expect(village.statusCode).toBe(400);
    expect(village.json().error.code).toBe('BAD_SCOPE');
    expect((await get(`/api/v1/bulletins/preview?areaId=999999&day=${D}`)).statusCode).toBe(404);
    expect((await post('/api/v1/bulletins', { day: D })).statusCode).toBe(400);
    expect((await get('/api/v1/bulletins/999999')).statusCode).toBe(404);
  });

  it('someone outside the town gets 403; a grid worker may neither read the town nor issue', async () => {
    const outsider = await login(t.app, 'outsider', PW);
    expect((await get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=${D}`, outsider)).statusCode).toBe(403);
    expect((await post('/api/v1/bulletins', { areaId: ids.town, day: D }, outsider)).statusCode).toBe(403);
    const gw = await login(t.app, 'gw', PW);
    expect((await get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=${D}`, gw)).statusCode).toBe(403);
    expect((await post('/api/v1/bulletins', { areaId: ids.d1, day: D }, gw)).statusCode).toBe(403);
    expect((await get('/api/v1/bulletins', gw)).json()).toEqual([]);
  });

  it('no odd input makes a 5xx', async () => {
    const weird: unknown[] = ['', 'abc', -1, 0, 1.5, '99999999999999999999', null, true, [], {}, 'x'.repeat(600), '毛家村', "'; DROP TABLE bulletin; --", '0001-01-01', '9999-12-31'];
    for (const v of weird) {
      const q = encodeURIComponent(String(v));
      for (const url of [`/api/v1/bulletins/preview?areaId=${q}&day=${D}`, `/api/v1/bulletins/preview?areaId=${ids.town}&day=${q}`,
        `/api/v1/bulletins?areaId=${q}`, `/api/v1/bulletins?day=${q}&limit=${q}`, `/api/v1/bulletins/${q}`, `/api/v1/bulletins/${q}/export.xlsx`]) {
        const res = await get(url);
        expect(res.statusCode, `${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }
      for (const body of [{ areaId: v, day: D }, { areaId: ids.v1, day: v }, { areaId: ids.v1, day: D, note: v }]) {
        const res = await post('/api/v1/bulletins', body);
        expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)} → ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
  });

  it('a district\'s office may issue its district\'s bulletin but not the town\'s', async () => {
    const jw = await login(t.app, 'jw', PW);
    expect((await post('/api/v1/bulletins', { areaId: ids.town, day: D }, jw)).statusCode).toBe(403);
    const r = await ok(post('/api/v1/bulletins', { areaId: ids.d1, day: '2026-03-05' }, jw), 201);
    expect(r).toMatchObject({ version: 1, scopeAreaId: ids.d1, issuedByName: '镇纪委·周' });
  });
});

describe('issuing', () => {
  let v1: any;
  it('the first issue stores version 1, as previewed; the audit log and the leaders\' notifications have it', async () => {
    const zhen = await login(t.app, 'zhen', PW);
    v1 = await ok(post('/api/v1/bulletins', { areaId: ids.town, day: D }, zhen), 201);
    expect(v1).toMatchObject({ version: 1, day: D, note: null, issuedBy: ids.zhen, issuedByName: '郑镇管' });
    const previewed = await ok<BulletinContent>(get(`/api/v1/bulletins/preview?areaId=${ids.town}&day=${D}`));
    expect({ ...v1.content, generatedAt: null }).toEqual({ ...previewed, generatedAt: null });
    const stored = await ok(get(`/api/v1/bulletins/${v1.id}`));
    expect(stored.content).toEqual(v1.content);
    const [a] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'bulletin.issue' AND entity_id = ${String(v1.id)}`);
    expect(a!.n).toBe(1);
    const told = await rows<{ user_id: number; title: string }>(db, sql`SELECT user_id, title FROM notification WHERE kind = 'bulletin.issued' ORDER BY user_id`);
    expect(told.map((n) => Number(n.user_id))).toEqual(expect.arrayContaining([ids.leader, ids.office]));
    expect(told.map((n) => Number(n.user_id))).not.toContain(ids.zhen);
  });

  it('issuing again without a note is refused; with a note it is version 2 with the new numbers, and version 1 is unchanged', async () => {
    await kase({ area: ids.v2, state: 'registered', reported: '03-10 11:00', registered: '03-10 11:30', due: '03-12 17:30' });
    const bare = await post('/api/v1/bulletins', { areaId: ids.town, day: D });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('NOTE_REQUIRED');
    expect((await post('/api/v1/bulletins', { areaId: ids.town, day: D, note: '   ' })).statusCode).toBe(400);
    const v2 = await ok(post('/api/v1/bulletins', { areaId: ids.town, day: D, note: '补录乙村一件当日上报的问题' }), 201);
    expect(v2).toMatchObject({ version: 2, note: '补录乙村一件当日上报的问题' });
    expect(v2.content.totals.new).toBe(3);
    const again = await ok(get(`/api/v1/bulletins/${v1.id}`));
    expect(again.content).toEqual(v1.content);
    expect(again.content.totals.new).toBe(2);
    const list = await ok<any[]>(get(`/api/v1/bulletins?areaId=${ids.town}`));
    expect(list.map((b) => [b.day, b.version])).toEqual([[D, 2], [D, 1]]);
    expect(list[0]).toMatchObject({ id: v2.id, issuedByName: '系统管理员', note: '补录乙村一件当日上报的问题' });
    expect(list[0]).not.toHaveProperty('content');
    expect((await ok<any[]>(get('/api/v1/bulletins?limit=10'))).map((b) => b.scopeAreaId)).toEqual([ids.town, ids.town, ids.d1]);
  });

  it('an issued bulletin cannot be changed or deleted in the database', async () => {
    await expect(db.execute(sql`UPDATE bulletin SET note = 'x' WHERE id = ${v1.id}`)).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM bulletin WHERE id = ${v1.id}`)).rejects.toThrow();
  });

  it('two issuers racing for one version: exactly one stores it, the other gets 409', async () => {
    const [u] = await rows<{ id: number }>(db, sql`SELECT id FROM app_user WHERE username = 'admin'`);
    const actor: Actor = { id: Number(u!.id), username: 'admin', displayName: 'admin', mustChangePassword: false,
      grants: [{ roleKey: 'admin', areaId: null, areaPath: null, areaName: null, canWrite: true, canManage: true }] };
    // The other issuer's version lands between this issuer's read of the last version and its insert.
    const racing = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return async (fn: (tx: Db) => Promise<unknown>) => {
            await target.execute(sql`INSERT INTO bulletin (scope_area_id, day, version, content, issued_by) VALUES (${ids.town}, '2026-03-08', 1, '{}'::jsonb, ${actor.id})`);
            return target.transaction(fn as never);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Db;
    const err = await svc.issue(racing, actor, { areaId: ids.town, day: '2026-03-08' }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).status).toBe(409);
    expect((err as DomainError).code).toBe('BULLETIN_VERSION_TAKEN');
    const stored = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bulletin WHERE scope_area_id = ${ids.town} AND day = '2026-03-08'`);
    expect(stored[0]!.n).toBe(1);
    const [audits] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'bulletin.issue' AND after->>'day' = '2026-03-08'`);
    expect(audits!.n).toBe(0);

    // Through HTTP at once: one is version 1; the other loses the race (409) or, run after it, needs a note (400).
    const res = await Promise.all([post('/api/v1/bulletins', { areaId: ids.town, day: '2026-03-07' }), post('/api/v1/bulletins', { areaId: ids.town, day: '2026-03-07' })]);
    const codes = res.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(201);
    expect([400, 409]).toContain(codes[1]);
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bulletin WHERE scope_area_id = ${ids.town} AND day = '2026-03-07'`);
    expect(n!.n).toBe(1);
  });
});

describe('.xlsx', () => {
  const load = async (body: Buffer) => { const wb = new ExcelJS.Workbook(); await wb.xlsx.load(body as never); return wb; };

  it('an issued bulletin exports its stored table and overdue list', async () => {
    const [b] = await ok<any[]>(get(`/api/v1/bulletins?areaId=${ids.town}&day=${D}&limit=1`));
    expect(b.version).toBe(2);
    const res = await get(`/api/v1/bulletins/${b.id}/export.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('bulletin-370321107-2026-03-10-v2.xlsx');
    const wb = await load(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '超期清单']);
    const ws = wb.getWorksheet('通报')!;
    expect(String(ws.getCell('A1').value)).toBe('新城镇 每日通报 2026-03-10 第 2 版 · 已发布');
    expect(String(ws.getCell('A2').value)).toContain('补录乙村');
    expect(ws.getRow(3).getCell(1).value).toBe('区域');
    const r4 = ws.getRow(4);
    expect([r4.getCell(1).value, r4.getCell(3).value, r4.getCell(4).value, r4.getCell(5).value, r4.getCell(9).value]).toEqual(['西北管区', 2, 2, 2, 0.5]);
    expect(r4.font?.bold).toBe(true);
    const r5 = ws.getRow(5);
    expect([r5.getCell(1).value, r5.getCell(2).value]).toEqual(['毛家村', '370321107201']);
    expect(r5.font?.bold).toBeFalsy();
    let total: ExcelJS.Row | undefined;
    ws.eachRow((r) => { if (r.getCell(1).value === '合计') total = r; });
    expect([total!.getCell(3).value, total!.getCell(5).value, total!.getCell(12).value]).toEqual([3, 4, 0.6667]);
    const od = wb.getWorksheet('超期清单')!;
    expect(String(od.getCell('A1').value)).toContain('超期未改 4 件');
    const first = od.getRow(3);
    expect([first.getCell(2).value, first.getCell(4).value, first.getCell(10).value, first.getCell(15).value]).toEqual([cases.c11!.no, '西北管区', '5个工作日', '镇纪委·周']);
    const c3 = od.getRow(4);
    expect([c3.getCell(5).value, c3.getCell(6).value, c3.getCell(12).value, c3.getCell(13).value, c3.getCell(14).value]).toEqual(['毛家村', '毛家村第1网格', '吴保洁', '孙网格', '李领导']);
  });

  it('a preview says so', async () => {
    const res = await get(`/api/v1/bulletins/preview.xlsx?areaId=${ids.d1}&day=${D}`);
    expect(res.statusCode).toBe(200);
    const wb = await load(res.rawPayload);
    expect(String(wb.getWorksheet('通报')!.getCell('A1').value)).toBe('西北管区 每日通报 2026-03-10 预览（未发布）');
    expect((await get(`/api/v1/bulletins/preview.xlsx?areaId=${ids.v1}&day=${D}`)).statusCode).toBe(400);
  });
});
