// Rewards and credit against a real database, through the API: households and their import,
// settling residents' report points (idempotent; refused and duplicate reports earn nothing; the
// category's own rule wins), 门前三包 checks (once a day), model-household rounds (ties on the
// boundary win; points once), the 积分超市 (no overdraft, even at once), and bounties (50–1,000
// yuan, a second person approves, paid once). Separation of powers: whoever the duty table lets act,
// a proposer never approves or pays, an approver never pays, who prepared a round never decides it,
// nobody decides a round of their own village or exchanges from their own household's points.
import { createHash, randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { multipart } from '../../../test/images.js';
import { setupDemo } from '../demo/demo.js';
import { rows, sql, type Db } from '../../db/client.js';
import { verifyAudit } from '../audit/audit.service.js';
import { settleReportPoints } from './rewards.service.js';
import { DUTY_BY_KEY } from '../../../../../packages/shared/src/duties.js';

let t: TestApp;
let db: Db;
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const send = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, user = 'zhenadmin') =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: await as(user) } });

let village = 0; // cungan01's village
let villageName = '';
let otherVillage = 0; // a village cungan01 does not hold
let micro = 0; // a micro-grid in that village
let category = 0; // 暴露垃圾
let otherCategory = 0; // another sub-category, of another major category
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A resident's report as the public intake makes it: a case (source public) in a state, and its public_report row. */
async function publicReport(o: { phone: string | null; name?: string; state: string; refusedReason?: 'invalid' | 'duplicate'; categoryId?: number }) {
  const r = await send('POST', '/api/v1/cases', { source: 'phone', categoryId: o.categoryId ?? category, areaId: micro, description: '群众反映：路边有垃圾' });
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as number;
  let dup: number | null = null;
  if (o.refusedReason === 'duplicate') dup = Number((await rows<{ id: number }>(db, sql`SELECT min(id) AS id FROM case_file`))[0]!.id);
  await db.execute(sql`UPDATE case_file SET source = 'public', state = ${o.state}, refused_reason = ${o.refusedReason ?? null}, duplicate_of = ${dup},
    registered_at = CASE WHEN ${o.state} IN ('reported', 'refused') THEN NULL ELSE now() END WHERE id = ${id}`);
  await db.execute(sql`INSERT INTO public_report (case_id, token, channel, placement, phone, phone_hash, name)
    VALUES (${id}, ${randomBytes(16).toString('hex')}, 'web', 'micro_grid', ${o.phone}, ${o.phone ? sha(o.phone) : null}, ${o.name ?? null})`);
  return id;
}
async function setState(caseId: number, state: string) {
  await db.execute(sql`UPDATE case_file SET state = ${state} WHERE id = ${caseId}`);
}
const entriesFor = async (caseId: number) => rows<{ kind: string; delta: number; accountId: number }>(db,
  sql`SELECT kind, delta, account_id AS "accountId" FROM points_entry WHERE ref_type = 'case' AND ref_id = ${caseId} ORDER BY kind`);
async function household(no: string, headName: string, phone: string | null = null, villageId = village) {
  const r = await send('POST', '/api/v1/rewards/households', { villageId, no, headName, phone, address: `东街${no}号`, members: 3 });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: number; version: number; phone: string | null };
}
/** Gives a duty to these roles (as the global administrator does on 设置 → 职责权限); `reset` puts the defaults back. */
async function setDuty(key: string, roles: string[] | 'reset') {
  const r = await send('PUT', `/api/v1/duties/${key}`, { roles: roles === 'reset' ? [...DUTY_BY_KEY[key]!.roles] : roles }, 'admin');
  expect(r.statusCode, r.body).toBe(200);
}
/** A second person of the town office (镇管理员), who marks money paid when the first proposed it. */
async function secondTownAdmin(username: string) {
  const [town] = await rows<{ id: number }>(db, sql`SELECT r.area_id AS id FROM user_role r JOIN app_user u ON u.id = r.user_id WHERE u.username = 'zhenadmin'`);
  const r = await send('POST', '/api/v1/users', { username, displayName: '镇财务', password: 'demo1234-x', roles: [{ roleKey: 'town_admin', areaId: Number(town!.id) }] }, 'admin');
  expect(r.statusCode, r.body).toBe(201);
  await db.execute(sql`UPDATE app_user SET must_change_password = FALSE WHERE username = ${username}`);
  cookies[username] = await login(t.app, username, 'demo1234-x');
}
const statementOf = async (householdId: number, user = 'zhenadmin') => {
  const r = await get(`/api/v1/rewards/households/${householdId}/statement`, user);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { balance: number; account: { id: number | null }; entries: { kind: string; delta: number; balance: number; text: string }[] };
};

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  await setupDemo(db);
  const [v] = await rows<{ id: number; name: string }>(db, sql`SELECT a.id, a.name FROM app_user u JOIN user_role r ON r.user_id = u.id JOIN area a ON a.id = r.area_id
    WHERE u.username = 'cungan01'`);
  village = Number(v!.id);
  villageName = v!.name;
  const [m] = await rows<{ id: number }>(db, sql`SELECT m.id FROM area m JOIN area v ON m.path LIKE v.path || '%' WHERE v.id = ${village} AND m.level_key = 'micro_grid' ORDER BY m.code LIMIT 1`);
  micro = Number(m!.id);
  const [o] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'village' AND id <> ${village} ORDER BY code DESC LIMIT 1`);
  otherVillage = Number(o!.id);
  const cats = (await get('/api/v1/case-categories')).json() as { id: number; name: string; parentId: number | null }[];
  const c = cats.find((x) => x.name === '暴露垃圾')!;
  category = c.id;
  otherCategory = cats.find((x) => x.parentId !== null && x.parentId !== c.parentId)!.id;
});
afterAll(async () => { await t?.close(); });

describe('households', () => {
  it('are created per village with a unique 户号, listed, edited, and only by those who may write there', async () => {
    const h = await household('1', '王建国', '138 0000 1001');
    expect(h.phone).toBe('138****1001'); // kept whole, shown masked
    const dup = await send('POST', '/api/v1/rewards/households', { villageId: village, no: '1', headName: '李四' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('HOUSEHOLD_EXISTS');
    expect((await send('POST', '/api/v1/rewards/households', { villageId: otherVillage, no: '1', headName: '李四' })).statusCode).toBe(201); // another village
    const bad = await send('POST', '/api/v1/rewards/households', { villageId: village, no: '', headName: '', phone: '12', members: 500 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(['headName', 'members', 'no', 'phone']);
    const notVillage = await send('POST', '/api/v1/rewards/households', { villageId: micro, no: '9', headName: '张三' });
    expect(notVillage.statusCode).toBe(400);
    // a village cadre writes in their village, not in another; a county viewer reads only
    expect((await send('POST', '/api/v1/rewards/households', { villageId: village, no: '2', headName: '李秀英' }, 'cungan01')).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/rewards/households', { villageId: otherVillage, no: '2', headName: '李秀英' }, 'cungan01')).statusCode).toBe(403);
    expect((await send('POST', '/api/v1/rewards/households', { villageId: village, no: '3', headName: '赵六' }, 'xianji')).statusCode).toBe(403);
    expect((await get(`/api/v1/rewards/households?areaId=${village}`, 'xianji')).statusCode).toBe(200);

    const edit = await send('PATCH', `/api/v1/rewards/households/${h.id}`, { address: '东街 1 号', version: h.version });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await send('PATCH', `/api/v1/rewards/households/${h.id}`, { address: '旧地址', version: h.version })).statusCode).toBe(409); // stale
    const list = (await get(`/api/v1/rewards/households?areaId=${village}&q=王建国`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ no: '1', headName: '王建国', address: '东街 1 号', balance: 0, villageName });
  });

  it('import from the template: a bad row reports and writes nothing; a good file adds and updates', async () => {
    const tpl = await get(`/api/v1/rewards/households.xlsx?villageId=${village}`);
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('户名册')!;
    expect(ws.getRow(1).values).toEqual([undefined, '户号', '户主', '地址', '电话', '人口', '状态']);
    expect(ws.rowCount).toBeGreaterThanOrEqual(3); // the households so far
    ws.addRow(['10', '孙秀兰', '西街 3 号', '13800001010', 4, '在册']);
    ws.addRow(['11', '', '西街 5 号', 'abc', 'x', '迁出']);
    ws.addRow(['10', '孙某', null, null, null, null]);
    const upload = async (buf: Buffer) => {
      const m = multipart(buf, 'h.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return t.app.inject({ method: 'POST', url: `/api/v1/rewards/households/import?villageId=${village}`, payload: m.payload, headers: { ...m.headers, cookie: await as('zhenadmin') } });
    };
    const bad = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(bad.statusCode).toBe(400);
    const details = bad.json().error.details as { row: number; column: string; message: string }[];
    expect(details.filter((d) => d.row === ws.rowCount - 1).map((d) => d.column).sort()).toEqual(['人口', '户主', '状态', '电话']);
    expect(details.some((d) => d.row === ws.rowCount && d.column === '户号' && d.message.includes('重复'))).toBe(true);
    expect((await get(`/api/v1/rewards/households?areaId=${village}&q=孙秀兰`)).json().total).toBe(0);

    const good = new ExcelJS.Workbook();
    await good.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    good.getWorksheet('户名册')!.addRow(['10', '孙秀兰', '西街 3 号', '13800001010', 4, '在册']);
    const ok = await upload(Buffer.from(await good.xlsx.writeBuffer()));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, created: { households: 1 }, updated: { households: 0 } });
    expect((await get(`/api/v1/rewards/households?areaId=${village}&q=孙秀兰`)).json().items[0]).toMatchObject({ phone: '138****1010', members: 4 });
    const notXlsx = await upload(Buffer.from('hello'));
    expect(notXlsx.statusCode).toBe(400);
  });
});

describe('settling report points', () => {
  it('credits valid and confirmed reports once, to the household with the phone or else an account by phone; refused and duplicate earn nothing', async () => {
    const h = (await get(`/api/v1/rewards/households?areaId=${village}&q=王建国`)).json().items[0];
    const a = await publicReport({ phone: '13800001001', name: '王建国', state: 'registered' }); // the household's phone
    const b = await publicReport({ phone: '13900002002', name: '刘女士', state: 'closed' }); // nobody's household
    const c = await publicReport({ phone: '13900002002', name: '刘女士', state: 'refused', refusedReason: 'invalid' });
    const d = await publicReport({ phone: '13900002002', name: '刘女士', state: 'refused', refusedReason: 'duplicate' });
    const e = await publicReport({ phone: '13900002002', state: 'reported' }); // not yet registered
    const f = await publicReport({ phone: null, state: 'closed' }); // anonymous

    const first = await settleReportPoints(db);
    expect(first.entries).toBe(3);
    const again = await settleReportPoints(db);
    expect(again.entries).toBe(0);
    expect((await entriesFor(a)).map((x) => [x.kind, x.delta])).toEqual([['report_valid', 5]]);
    expect((await entriesFor(b)).map((x) => [x.kind, x.delta])).toEqual([['report_confirmed', 10], ['report_valid', 5]]);
    for (const x of [c, d, e, f]) expect(await entriesFor(x)).toEqual([]);
    const [acc] = await rows<{ id: number; phone: string; name: string; householdId: number | null }>(db,
      sql`SELECT id, phone, name, household_id AS "householdId" FROM points_account WHERE phone_hash = ${sha('13900002002')}`);
    expect(acc).toMatchObject({ phone: '13900002002', name: '刘女士', householdId: null });
    expect((await entriesFor(b))[0]!.accountId).toBe(Number(acc!.id));

    // the case moves on: closing it later adds the confirmation, once
    await setState(a, 'closed');
    const s = await statementOf(h.id);
    expect(s.balance).toBe(15);
    expect(s.entries.map((x) => x.kind)).toEqual(['report_confirmed', 'report_valid']);
    expect(s.entries[0]!.balance).toBe(15);
    expect(s.entries[1]!.text).toContain('有效上报');
    expect((await statementOf(h.id)).balance).toBe(15);
    // the reporter known by phone has a statement of their own
    const st = await get(`/api/v1/rewards/accounts/${acc!.id}/statement`);
    expect(st.json()).toMatchObject({ balance: 15, account: { type: 'reporter', name: '刘女士', phone: '139****2002' } });
    const bal = (await get(`/api/v1/rewards/balances?areaId=${village}`)).json();
    expect(bal.items.find((x: { accountId: number }) => x.accountId === Number(acc!.id))).toMatchObject({ type: 'reporter', balance: 15 });
  });

  it('a reporter known by phone who becomes a registered household keeps the points, and later reports go to the household', async () => {
    const h = await household('51', '刘秀兰', '+86 139-0000-2002'); // 刘女士's phone, as the office typed it
    expect(h.phone).toBe('139****2002');
    expect((await rows<{ phone: string }>(db, sql`SELECT phone FROM household WHERE id = ${h.id}`))[0]!.phone).toBe('13900002002');
    await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-02-01', items: [{ householdId: h.id, grade: 'good' }] });
    const s = await statementOf(h.id);
    expect(s.balance).toBe(18); // 15 from the reports, 3 from the check
    const [acc] = await rows<{ householdId: number }>(db, sql`SELECT household_id AS "householdId" FROM points_account WHERE phone_hash = ${sha('13900002002')}`);
    expect(Number(acc!.householdId)).toBe(h.id);
    const next = await publicReport({ phone: '13900002002', state: 'registered' });
    await settleReportPoints(db);
    expect((await entriesFor(next))[0]!.accountId).toBe(s.account.id);
  });

  it('takes the category’s own rule over the general one, and rules are edited by town administrators only', async () => {
    const body = { event: 'report_valid', categoryId: category, points: 8, note: '暴露垃圾上报加分' };
    expect((await send('POST', '/api/v1/rewards/rules', body, 'cungan01')).statusCode).toBe(403);
    const created = await send('POST', '/api/v1/rewards/rules', body);
    expect(created.statusCode, created.body).toBe(201);
    expect((await send('POST', '/api/v1/rewards/rules', body)).json().error.code).toBe('RULE_EXISTS');
    expect((await send('POST', '/api/v1/rewards/rules', { event: 'report_valid', grade: 'good', points: 1 })).statusCode).toBe(400);
    expect((await send('POST', '/api/v1/rewards/rules', { event: 'frontage_check', grade: 'excellent', points: 1 })).statusCode).toBe(400);
    expect((await send('POST', '/api/v1/rewards/rules', { event: 'report_valid', points: -3 })).statusCode).toBe(400);

    const mine = await publicReport({ phone: '13700003003', state: 'registered' });
    const theirs = await publicReport({ phone: '13700003003', state: 'registered', categoryId: otherCategory });
    await settleReportPoints(db);
    expect((await entriesFor(mine)).map((x) => x.delta)).toEqual([8]);
    expect((await entriesFor(theirs)).map((x) => x.delta)).toEqual([5]);
    // switched off, the general rule applies again (to new reports)
    const off = await send('PATCH', `/api/v1/rewards/rules/${created.json().id}`, { active: false });
    expect(off.json()).toMatchObject({ active: false, points: 8 });
    const later = await publicReport({ phone: '13700003003', state: 'registered' });
    await settleReportPoints(db);
    expect((await entriesFor(later)).map((x) => x.delta)).toEqual([5]);
    const rules = (await get('/api/v1/rewards/rules', 'wgy001')).json();
    expect(rules.length).toBeGreaterThanOrEqual(8);
  });
});

describe('门前三包', () => {
  it('records a village’s grades in one request, earns points by grade, and refuses a second check the same day', async () => {
    const hs = [await household('21', '周一'), await household('22', '周二'), await household('23', '周三')];
    const on = '2026-03-02';
    const r = await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: on,
      items: [{ householdId: hs[0]!.id, grade: 'good' }, { householdId: hs[1]!.id, grade: 'fair' }, { householdId: hs[2]!.id, grade: 'poor', note: '柴草乱堆' }] }, 'cungan01');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ saved: 3, points: 4 });
    expect((await statementOf(hs[0]!.id)).balance).toBe(3);
    expect((await statementOf(hs[1]!.id)).balance).toBe(1);
    expect((await statementOf(hs[2]!.id)).balance).toBe(0);

    const twice = await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-03-03',
      items: [{ householdId: hs[0]!.id, grade: 'good' }, { householdId: hs[1]!.id, grade: 'good' }] });
    expect(twice.statusCode).toBe(201);
    const again = await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-03-03',
      items: [{ householdId: hs[2]!.id, grade: 'good' }, { householdId: hs[1]!.id, grade: 'fair' }] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ALREADY_CHECKED' });
    expect(again.json().error.message).toContain('周二');
    expect((await statementOf(hs[2]!.id)).balance).toBe(0); // nothing of the batch was written
    const day = (await get(`/api/v1/rewards/frontage?villageId=${village}&on=2026-03-03`)).json();
    expect(day.households.find((x: { householdId: number }) => x.householdId === hs[2]!.id).grade).toBeNull();
    expect(day.households.find((x: { householdId: number }) => x.householdId === hs[1]!.id).grade).toBe('good');

    const bad = await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2099-01-01', items: [{ householdId: hs[0]!.id, grade: 'good' }] });
    expect(bad.statusCode).toBe(400);
    const grade = await send('POST', '/api/v1/rewards/frontage', { villageId: village, items: [{ householdId: hs[0]!.id, grade: 'excellent' }] });
    expect(grade.statusCode).toBe(400);
    const elsewhere = await send('POST', '/api/v1/rewards/frontage', { villageId: otherVillage, items: [{ householdId: hs[0]!.id, grade: 'good' }] });
    expect(elsewhere.statusCode).toBe(400);
    expect((await send('POST', '/api/v1/rewards/frontage', { villageId: village, items: [{ householdId: hs[0]!.id, grade: 'good' }] }, 'xianji')).statusCode).toBe(403);
  });
});

describe('model-household rounds', () => {
  it('names the top quota (ties on the boundary win), credits the winners once, and is read-only after', async () => {
    const hs = [await household('31', '吴甲'), await household('32', '吴乙'), await household('33', '吴丙'), await household('34', '吴丁')];
    const created = await send('POST', '/api/v1/rewards/rounds', { villageId: village, kind: 'courtyard', period: '2026Q1', quota: 2 });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await send('POST', '/api/v1/rewards/rounds', { villageId: village, kind: 'courtyard', period: '2026Q1', quota: 3 })).statusCode).toBe(409);
    expect((await send('POST', '/api/v1/rewards/rounds', { villageId: village, kind: 'garden', period: '2026Q5', quota: 0 })).json().error.details).toHaveLength(3);
    const put = await send('PUT', `/api/v1/rewards/rounds/${id}/entries`, {
      items: [{ householdId: hs[0]!.id, score: 95 }, { householdId: hs[1]!.id, score: 88 }, { householdId: hs[2]!.id, score: 88 }, { householdId: hs[3]!.id, score: 70 }] });
    expect(put.statusCode, put.body).toBe(200);
    expect((await send('PUT', `/api/v1/rewards/rounds/${id}/entries`, { items: [{ householdId: hs[0]!.id, score: 101 }] })).statusCode).toBe(400);
    const version = (await get(`/api/v1/rewards/rounds/${id}`)).json().version;
    expect((await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version: version - 1 }, 'shuji')).statusCode).toBe(409); // stale
    expect((await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version })).json().error.code).toBe('DUTY_REQUIRED'); // the office runs it, leaders decide
    const decided = await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version }, 'shuji');
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'decided', winners: 3 });
    expect(decided.json().entries.filter((e: { winner: boolean }) => e.winner).map((e: { householdId: number }) => e.householdId).sort())
      .toEqual([hs[0]!.id, hs[1]!.id, hs[2]!.id].sort());
    const again = await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version: decided.json().version }, 'shuji');
    expect(again.json().error.code).toBe('ROUND_DECIDED');
    expect((await send('PUT', `/api/v1/rewards/rounds/${id}/entries`, { items: [{ householdId: hs[3]!.id, score: 99 }] })).statusCode).toBe(409);
    expect((await send('DELETE', `/api/v1/rewards/rounds/${id}/entries/${hs[0]!.id}`, undefined)).statusCode).toBe(409);
    expect((await statementOf(hs[0]!.id)).balance).toBe(50);
    expect((await statementOf(hs[2]!.id)).entries.map((e) => e.kind)).toEqual(['model_household']);
    expect((await statementOf(hs[3]!.id)).balance).toBe(0);
    const list = (await get(`/api/v1/rewards/rounds?areaId=${village}`)).json();
    expect(list.find((r: { id: number }) => r.id === id)).toMatchObject({ kind: 'courtyard', period: '2026Q1', entries: 4, winners: 3 });
  });
});

describe('积分超市', () => {
  it('items are kept by town administrators; an exchange beyond the balance or the stock is refused', async () => {
    expect((await send('POST', '/api/v1/rewards/shop/items', { name: '毛巾', points: 5, stock: 10 }, 'cungan01')).statusCode).toBe(403);
    const towel = (await send('POST', '/api/v1/rewards/shop/items', { name: '毛巾', points: 5, stock: 10 })).json();
    expect(towel).toMatchObject({ name: '毛巾', points: 5, stock: 10, active: true });
    expect((await send('POST', '/api/v1/rewards/shop/items', { name: '', points: 0, stock: -1 })).json().error.details).toHaveLength(3);
    const oil = (await send('POST', '/api/v1/rewards/shop/items', { name: '食用油', points: 40, stock: 1 })).json();

    const h = await household('41', '郑红');
    await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-04-01', items: [{ householdId: h.id, grade: 'good' }] });
    await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-04-02', items: [{ householdId: h.id, grade: 'good' }] });
    expect((await statementOf(h.id)).balance).toBe(6);

    const over = await send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: towel.id, quantity: 2 }, 'cungan01');
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    expect(over.json().error.message).toContain('需要 10 分，余额 6 分');
    expect((await send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: towel.id, quantity: 0 })).statusCode).toBe(400);
    const ok = await send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: towel.id, quantity: 1 }, 'cungan01');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ points: 5, balance: 1 });
    const s = await statementOf(h.id);
    expect(s.balance).toBe(1);
    expect(s.entries[0]).toMatchObject({ kind: 'exchange', delta: -5, balance: 1 });
    expect((await get('/api/v1/rewards/shop/items')).json().find((i: { id: number }) => i.id === towel.id)).toMatchObject({ stock: 9, exchanged: 1 });
    const record = (await get(`/api/v1/rewards/exchanges?areaId=${village}`)).json();
    expect(record[0]).toMatchObject({ itemName: '毛巾', quantity: 1, points: 5, name: '郑红' });
    expect((await send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: oil.id, quantity: 2 })).json().error.code).toBe('OUT_OF_STOCK');
    // another village's staff cannot exchange for this household
    expect((await send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: towel.id, quantity: 1 }, 'cungan02')).statusCode).toBe(403);
    const stale = await send('PATCH', `/api/v1/rewards/shop/items/${towel.id}`, { points: 6, version: towel.version });
    expect(stale.statusCode).toBe(409); // the exchange moved its version
  });

  it('concurrent exchanges never overdraw an account or the stock', async () => {
    const soap = (await send('POST', '/api/v1/rewards/shop/items', { name: '洗衣粉', points: 3, stock: 100 })).json();
    const h = await household('42', '钱多');
    for (const d of ['2026-05-01', '2026-05-02', '2026-05-03']) {
      await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: d, items: [{ householdId: h.id, grade: 'good' }] });
    }
    expect((await statementOf(h.id)).balance).toBe(9);
    const res = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: soap.id, quantity: 2 })));
    const codes = res.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await statementOf(h.id)).balance).toBe(3);
    const lone = (await send('POST', '/api/v1/rewards/shop/items', { name: '香皂', points: 1, stock: 2 })).json();
    const many = await Promise.all(Array.from({ length: 5 }, () => send('POST', '/api/v1/rewards/exchanges', { householdId: h.id, itemId: lone.id, quantity: 1 })));
    expect(many.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(many.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'OUT_OF_STOCK')).toBe(true);
    const [b] = await rows<{ b: number }>(db, sql`SELECT sum(e.delta) AS b FROM points_entry e JOIN points_account a ON a.id = e.account_id WHERE a.household_id = ${h.id}`);
    expect(Number(b!.b)).toBe(1);
  });
});

describe('爆料奖励', () => {
  it('refuses amounts outside 50–1,000 yuan; a second person approves; paid once; withdrawn while proposed', async () => {
    const caseId = await publicReport({ phone: '13600006006', name: '陈先生', state: 'registered' });
    for (const amount of [20, 5000, 50.5]) {
      const r = await send('POST', '/api/v1/rewards/bounties', { caseId, amountYuan: amount, reason: '举报私搭乱建线索重要' });
      expect(r.statusCode, String(amount)).toBe(400);
      expect(r.json().error.code).toBe('BOUNTY_AMOUNT');
      expect(r.json().error.message).toContain('50–1000');
    }
    expect((await send('POST', '/api/v1/rewards/bounties', { caseId, amountYuan: 200, reason: '' })).statusCode).toBe(400);
    const p = await send('POST', '/api/v1/rewards/bounties', { caseId, amountYuan: 200, reason: '举报私搭乱建线索重要' });
    expect(p.statusCode, p.body).toBe(201);
    const b = p.json();
    expect(b).toMatchObject({ status: 'proposed', amountYuan: 200, reporterName: '陈先生', reporterPhone: '136****6006' });
    expect(b.accountId).toBeTruthy();
    expect((await send('POST', '/api/v1/rewards/bounties', { caseId, amountYuan: 300, reason: '再提一次' })).json().error.code).toBe('BOUNTY_EXISTS');

    const self = await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: true }); // the office proposes, leaders approve
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('DUTY_REQUIRED');
    expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: true }, 'cungan01')).statusCode).toBe(403); // not the town
    expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {})).json().error.code).toBe('NOT_APPROVED');
    const ok = await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: true, note: '同意' }, 'shuji');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', decisionNote: '同意' });
    expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: false, note: '不同意' }, 'shuji')).statusCode).toBe(409);
    expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/withdraw`, {})).statusCode).toBe(409);
    // a third person pays: not the proposer (who holds the duty), not the approver (who does not)
    const byProposer = await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {});
    expect(byProposer.statusCode).toBe(403);
    expect(byProposer.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES' });
    expect(byProposer.json().error.message).toContain('不能登记自己提议的爆料奖励为已发放');
    expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {}, 'shuji')).json().error.code).toBe('DUTY_REQUIRED');
    await secondTownAdmin('caiwu');
    const paid = await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, { note: '现金发放，已签收' }, 'caiwu');
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', payNote: '现金发放，已签收' });
    const twice = await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {}, 'caiwu');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_PAID');

    // a case of staff's own: no reporter; withdrawn by its proposer; a refused case earns nothing
    const own = (await send('POST', '/api/v1/cases', { source: 'phone', categoryId: category, areaId: micro, description: '电话举报' })).json();
    expect((await send('POST', '/api/v1/rewards/bounties', { caseNo: own.no, amountYuan: 50, reason: '电话举报属实' }, 'cungan01')).json().error.code).toBe('DUTY_REQUIRED');
    const w = (await send('POST', '/api/v1/rewards/bounties', { caseNo: own.no, amountYuan: 50, reason: '电话举报属实' }, 'zhucun01')).json();
    expect(w).toMatchObject({ status: 'proposed', accountId: null, caseId: own.id });
    expect((await send('POST', `/api/v1/rewards/bounties/${w.id}/withdraw`, {}, 'wgy001')).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/rewards/bounties/${w.id}/withdraw`, {}, 'zhucun01')).json().status).toBe('withdrawn');
    const refused = await publicReport({ phone: '13600006007', state: 'refused', refusedReason: 'invalid' });
    expect((await send('POST', '/api/v1/rewards/bounties', { caseId: refused, amountYuan: 100, reason: '无效' })).json().error.code).toBe('CASE_REFUSED');
    const list = (await get(`/api/v1/rewards/bounties?areaId=${village}`)).json();
    expect(list.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([b.id, w.id]));
    expect((await get(`/api/v1/rewards/bounties?status=paid`, 'shuji')).json().map((x: { id: number }) => x.id)).toContain(b.id);
  });
});

describe('separation of powers, whoever the duty table lets act', () => {
  it('bounties: the proposer never approves, the approver never pays', async () => {
    await setDuty('rewards.bounty.decide', ['town_admin', 'party_secretary', 'leader']);
    await setDuty('rewards.bounty.pay', ['town_admin', 'party_secretary']);
    try {
      const caseId = await publicReport({ phone: '13600007007', name: '林女士', state: 'registered' });
      const b = (await send('POST', '/api/v1/rewards/bounties', { caseId, amountYuan: 300, reason: '举报偷倒建筑垃圾' })).json();
      const self = await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: true });
      expect(self.statusCode).toBe(403);
      expect(self.json().error).toMatchObject({ code: 'SECOND_PERSON_REQUIRED', message: expect.stringContaining('不能审批自己提议的爆料奖励') });
      expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/decide`, { approve: true }, 'shuji')).statusCode).toBe(200);
      const byApprover = await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {}, 'shuji');
      expect(byApprover.statusCode).toBe(403);
      expect(byApprover.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', message: expect.stringContaining('不能登记自己审批的爆料奖励为已发放') });
      expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {})).json().error.code).toBe('SEPARATION_OF_DUTIES'); // the proposer
      expect((await send('POST', `/api/v1/rewards/bounties/${b.id}/paid`, {}, 'caiwu')).json()).toMatchObject({ status: 'paid' });
    } finally {
      await setDuty('rewards.bounty.decide', 'reset');
      await setDuty('rewards.bounty.pay', 'reset');
    }
  });

  it('model-household rounds: who created it or entered scores never decides it, nor anyone of the village', async () => {
    await setDuty('rewards.round.decide', ['party_secretary', 'leader', 'town_admin', 'village_cadre', 'resident_cadre']);
    for (const u of ['cungan01', 'zhucun01']) delete cookies[u]; // a money duty needs the second factor: log in again
    try {
      const hs = [await household('61', '冯甲'), await household('62', '冯乙')];
      const id = (await send('POST', '/api/v1/rewards/rounds', { villageId: village, kind: 'family', period: '2026Q1', quota: 1 })).json().id;
      const put = await send('PUT', `/api/v1/rewards/rounds/${id}/entries`, { items: [{ householdId: hs[0]!.id, score: 90 }, { householdId: hs[1]!.id, score: 80 }] }, 'cungan01');
      expect(put.statusCode, put.body).toBe(200);
      const version = put.json().version;
      for (const who of ['zhenadmin', 'cungan01']) { // created it; entered the scores
        const r = await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version }, who);
        expect(r.statusCode, who).toBe(403);
        expect(r.json().error).toMatchObject({ code: 'SECOND_PERSON_REQUIRED', message: expect.stringContaining('须由另一人') });
      }
      const resident = await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version }, 'zhucun01'); // touched nothing, but is the village's
      expect(resident.statusCode).toBe(403);
      expect(resident.json().error).toMatchObject({ code: 'OWN_UNIT', message: `不能评定自己所在的村的示范户：您在${villageName}任驻村干部 (you belong to this village)` });
      const ok = await send('POST', `/api/v1/rewards/rounds/${id}/decide`, { version }, 'zhenzhang');
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await statementOf(hs[0]!.id)).entries.map((e) => e.kind)).toEqual(['model_household']);
    } finally {
      await setDuty('rewards.round.decide', 'reset');
    }
  });

  it('points exchanges: nobody spends from their own household or their own phone’s account', async () => {
    const phone = '13912340001';
    await db.execute(sql`UPDATE app_user SET phone = ${phone} WHERE username = 'cungan01'`);
    const soap = (await send('POST', '/api/v1/rewards/shop/items', { name: '肥皂', points: 1, stock: 100 })).json();
    const mine = await household('71', '村干部家', phone);
    await send('POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: '2026-06-01', items: [{ householdId: mine.id, grade: 'good' }] });
    const own = await send('POST', '/api/v1/rewards/exchanges', { householdId: mine.id, itemId: soap.id, quantity: 1 }, 'cungan01');
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toMatchObject({ code: 'OWN_UNIT', message: expect.stringContaining('不能为自己家的户办理积分兑换') });
    expect((await send('POST', '/api/v1/rewards/exchanges', { householdId: mine.id, itemId: soap.id, quantity: 1 }, 'zhucun01')).statusCode).toBe(201);
    // a reporter's account by the operator's phone
    await db.execute(sql`UPDATE app_user SET phone = '13912340002' WHERE username = 'cungan01'`);
    await publicReport({ phone: '13912340002', state: 'closed' });
    await settleReportPoints(db);
    const [acc] = await rows<{ id: number }>(db, sql`SELECT id FROM points_account WHERE phone_hash = ${sha('13912340002')}`);
    const fromOwn = await send('POST', '/api/v1/rewards/exchanges', { accountId: Number(acc!.id), itemId: soap.id, quantity: 1 }, 'cungan01');
    expect(fromOwn.statusCode).toBe(403);
    expect(fromOwn.json().error.message).toContain('不能为自己的积分账户办理兑换');
    expect((await send('POST', '/api/v1/rewards/exchanges', { accountId: Number(acc!.id), itemId: soap.id, quantity: 1 }, 'zhucun01')).statusCode).toBe(201);
  });
});

describe('personal data', () => {
  const audits = async (action: string) => rows<{ actor_name: string; entity_id: string | null; area_path: string | null; after: unknown }>(db,
    sql`SELECT actor_name, entity_id, area_path, after FROM audit_log WHERE action = ${action} ORDER BY id`);
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  let villagePath = '';
  beforeAll(async () => {
    villagePath = (await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE id = ${village}`))[0]!.path;
  });

  it('a phone is found by the whole number only (however typed), never by a part or a mask, and each look-up is audited', async () => {
    const find = async (q: string, user = 'zhenadmin') => (await get(`/api/v1/rewards/households?areaId=${village}&q=${encodeURIComponent(q)}`, user)).json();
    const before = (await audits('personal.phone.search')).length;
    for (const part of ['1380000', '00001001', '138****1001', '1380000100']) expect((await find(part)).total, part).toBe(0);
    expect((await audits('personal.phone.search')).length).toBe(before); // a part finds nothing, so nothing was looked up
    for (const whole of ['13800001001', '138 0000 1001', '+86 138-0000-1001']) {
      const r = await find(whole);
      expect(r.items.map((x: { headName: string }) => x.headName), whole).toEqual(['王建国']);
      expect(r.items[0].phone).toBe('138****1001');
    }
    expect((await find('王建')).items.map((x: { headName: string }) => x.headName)).toEqual(['王建国']); // names by a part, as before
    const logged = await audits('personal.phone.search');
    expect(logged.length).toBe(before + 3);
    expect(logged.at(-1)).toMatchObject({ actor_name: 'zhenadmin', entity_id: String(village), area_path: villagePath });
    expect(json(logged.at(-1)!.after)).toMatchObject({ search: 'rewards.households', phone: '138****1001', found: 1 });
    expect(JSON.stringify(logged.map((x) => x.after))).not.toContain('13800001001');

    // the points-account search: a masked 137****3003 cannot be rebuilt by trying parts
    const accounts = async (q: string) => (await get(`/api/v1/rewards/accounts/search?areaId=${village}&q=${encodeURIComponent(q)}`)).json() as { phone: string | null; type: string }[];
    for (const part of ['137', '1370000', '3003', '00003003', '137****3003']) expect(await accounts(part), part).toEqual([]);
    const hit = await accounts('13700003003');
    expect(hit).toHaveLength(1);
    expect(hit[0]).toMatchObject({ type: 'reporter', phone: '137****3003' });
    expect(json((await audits('personal.phone.search')).at(-1)!.after)).toMatchObject({ search: 'rewards.accounts', phone: '137****3003', found: 1 });
  });

  it('phones are masked in every list and detail, for the county viewer too; the whole number comes from an audited reveal under its duty', async () => {
    const [h] = (await get(`/api/v1/rewards/households?areaId=${village}&q=王建国`, 'xianji')).json().items;
    expect(h.phone).toBe('138****1001');
    expect((await get(`/api/v1/rewards/households/${h.id}`, 'xianji')).json().phone).toBe('138****1001');
    const bal = (await get(`/api/v1/rewards/balances?areaId=${village}`, 'xianji')).json().items as { phone: string | null }[];
    expect(bal.filter((x) => x.phone).every((x) => /\*{4}/.test(x.phone!))).toBe(true);
    expect(JSON.stringify(bal)).not.toContain('13800001001');
    // 查看完整号码: not for the county viewer or a village cadre; for the town office, audited in the village
    expect((await send('POST', `/api/v1/rewards/households/${h.id}/phone`, {}, 'xianji')).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/rewards/households/${h.id}/phone`, {}, 'cungan01')).statusCode).toBe(403);
    const full = await send('POST', `/api/v1/rewards/households/${h.id}/phone`, {});
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json()).toEqual({ id: h.id, phone: '13800001001' });
    expect((await audits('personal.phone.reveal')).at(-1)).toMatchObject({ actor_name: 'zhenadmin', entity_id: String(h.id), area_path: villagePath });
    expect((await send('POST', '/api/v1/rewards/households/999999999/phone', {})).statusCode).toBe(404);
  });

  it('editing a household keeps its phone unless a new one is given', async () => {
    const h = await household('91', '冯七', '13800006161');
    const edit = await send('PATCH', `/api/v1/rewards/households/${h.id}`, { address: '南街 1 号', version: h.version }, 'cungan01');
    expect(edit.statusCode, edit.body).toBe(200);
    const phoneOf = async () => (await rows<{ phone: string }>(db, sql`SELECT phone FROM household WHERE id = ${h.id}`))[0]!.phone;
    expect(await phoneOf()).toBe('13800006161');
    const masked = await send('PATCH', `/api/v1/rewards/households/${h.id}`, { phone: '138****6161', version: edit.json().version }, 'cungan01');
    expect(masked.statusCode).toBe(400); // a mask is not a number
    const changed = await send('PATCH', `/api/v1/rewards/households/${h.id}`, { phone: '139 0000 6161', version: edit.json().version }, 'cungan01');
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().phone).toBe('139****6161');
    expect(await phoneOf()).toBe('13900006161');
    const [log] = (await audits('rewards.household.update')).slice(-1);
    expect(JSON.stringify(log!.after)).not.toContain('13900006161');
    expect(json(log!.after)).toMatchObject({ phone: '139****6161', phoneChanged: true });
  });

  it('the households .xlsx has whole phones only for a reader who may reveal them; a masked one imported back changes nothing; each download is audited', async () => {
    const sheet = async (user: string) => {
      const r = await get(`/api/v1/rewards/households.xlsx?villageId=${village}`, user);
      expect(r.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      return { wb, phones: wb.getWorksheet('户名册')!.getColumn(4).values.slice(2).map(String) };
    };
    const viewer = await sheet('cungan01');
    expect(viewer.phones).toContain('138****1001');
    expect(viewer.phones.join()).not.toMatch(/1\d{10}/);
    expect(json((await audits('personal.export')).at(-1)!.after)).toMatchObject({ export: 'households.xlsx', phones: 'masked' });
    expect((await audits('personal.export')).at(-1)).toMatchObject({ actor_name: 'cungan01', area_path: villagePath });
    const office = await sheet('zhenadmin');
    expect(office.phones).toContain('13800001001');
    expect(json((await audits('personal.export')).at(-1)!.after)).toMatchObject({ phones: 'whole' });
    // the village cadre edits the masked sheet (an address) and imports it: phones stay as they were
    const ws = viewer.wb.getWorksheet('户名册')!;
    ws.eachRow((row, n) => { if (n > 1 && row.getCell(1).text === '1') row.getCell(3).value = '东街 1 号院'; });
    const m = multipart(Buffer.from(await viewer.wb.xlsx.writeBuffer()), 'h.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const imp = await t.app.inject({ method: 'POST', url: `/api/v1/rewards/households/import?villageId=${village}`, payload: m.payload, headers: { ...m.headers, cookie: await as('cungan01') } });
    expect(imp.statusCode, imp.body).toBe(200);
    expect(imp.json()).toMatchObject({ updated: { households: 1 } });
    const [wang] = await rows<{ phone: string; address: string }>(db, sql`SELECT phone, address FROM household WHERE area_id = ${village} AND no = '1'`);
    expect(wang).toEqual({ phone: '13800001001', address: '东街 1 号院' });
  });

  it('a reporter’s account stays in its areas when their reports’ contact details have been purged', async () => {
    const [acc] = await rows<{ id: number }>(db, sql`SELECT id FROM points_account WHERE phone_hash = ${sha('13700003003')}`);
    await db.execute(sql`UPDATE public_report SET phone = NULL, phone_hash = NULL, contact_purged_at = now() WHERE phone_hash = ${sha('13700003003')}`);
    const st = await get(`/api/v1/rewards/accounts/${acc!.id}/statement`, 'cungan01');
    expect(st.statusCode, st.body).toBe(200);
    expect(st.json().balance).toBeGreaterThan(0);
    const bal = (await get(`/api/v1/rewards/balances?areaId=${village}`)).json().items as { accountId: number }[];
    expect(bal.map((x) => x.accountId)).toContain(Number(acc!.id));
    expect((await get(`/api/v1/rewards/accounts/${acc!.id}/statement`, 'cungan02')).statusCode).toBe(403);
  });
});

describe('edges', () => {
  it('no bad id or body makes a 5xx, and the audit chain holds', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', '9223372036854775807']) {
      for (const url of [`/api/v1/rewards/households/${id}`, `/api/v1/rewards/households/${id}/statement`, `/api/v1/rewards/accounts/${id}/statement`,
        `/api/v1/rewards/rounds/${id}`, `/api/v1/rewards/bounties/${id}`, `/api/v1/rewards/balances?areaId=${id}`, `/api/v1/rewards/frontage?villageId=${id}&on=x`,
        `/api/v1/rewards/households?areaId=${id}`, `/api/v1/rewards/exchanges?accountId=${id}`]) {
        const r = await get(url);
        expect(r.statusCode, `${url} ${r.body}`).toBeGreaterThanOrEqual(400);
        expect(r.statusCode, `${url} ${r.body}`).toBeLessThan(500);
      }
    }
    const weird: unknown[] = ['', 'abc', -1, 0, 1.5, null, true, [], {}, 'x'.repeat(3000), '毛家村'];
    for (const v of weird) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/rewards/households', { villageId: v, no: v, headName: v, phone: v, members: v }],
        ['POST', '/api/v1/rewards/frontage', { villageId: village, checkedOn: v, items: [{ householdId: v, grade: v }] }],
        ['POST', '/api/v1/rewards/rounds', { villageId: village, kind: v, period: v, quota: v }],
        ['PUT', '/api/v1/rewards/rounds/1/entries', { quota: v, items: [{ householdId: 1, score: v }] }],
        ['POST', '/api/v1/rewards/rules', { event: v, categoryId: v, grade: v, points: v }],
        ['POST', '/api/v1/rewards/shop/items', { name: v, points: v, stock: v }],
        ['POST', '/api/v1/rewards/exchanges', { accountId: v, itemId: v, quantity: v }],
        ['POST', '/api/v1/rewards/bounties', { caseId: v, caseNo: v, amountYuan: v, reason: v }],
        ['POST', '/api/v1/rewards/bounties/1/decide', { approve: v, note: v }],
      ] as const) {
        const r = await send(method, url, body);
        expect(r.statusCode, `${url} ${JSON.stringify(v)?.slice(0, 30)} ${r.body}`).toBeLessThan(500);
      }
    }
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
