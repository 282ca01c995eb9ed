// Publicity against a real database: a hand-made campaign over one district of the demo town, its
// records of every kind, every bad input of the issue answered 4xx with a clear message, access
// by the grid, the summary's totals and banner check computed by hand, WeChat reads entered and
// imported (a bad row first: nothing written), stale versions, the .xlsx, and the demo campaign.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { setupDemo } from '../demo/demo.js';
import { DEMO_CAMPAIGN, setupPublicityDemo } from '../demo/publicity.js';
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { addDays } from '../routines/periods.rules.js';
import { XLSX_TYPE } from '../excel/workbook.js';

let t: TestApp;
let db: Db;
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const send = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, user = 'zhenadmin') =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: await as(user) } });
const ok = <T = any>(r: { statusCode: number; body: string; json(): unknown }, status = 200): T => { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as T;
};
const refused = (r: { statusCode: number; body: string; json(): unknown }, status: number, text: string) => {
  expect(r.statusCode, r.body).toBe(status);
  const e = (r.json() as { error: { message: string; code: string } }).error;
  expect(e.message).toContain(text);
  return e;
};

function form(buf: Buffer) {
  const boundary = `----wangge${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="posts.xlsx"\r\nContent-Type: ${XLSX_TYPE}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const importFile = async (campaign: number, buf: Buffer, user = 'zhenadmin') => {
  const f = form(buf);
  return t.app.inject({ method: 'POST', url: `/api/v1/publicity/campaigns/${campaign}/wechat/import`, payload: f.payload, headers: { ...f.headers, cookie: await as(user) } });
};
async function postsSheet(rowsIn: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('公众号文章');
  ws.addRow(['编号', '标题', '链接', '发布日期', '阅读数', '备注']);
  for (const r of rowsIn) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const today = todayInChina();
const day = (n: number) => addDays(today, n);
const ids: Record<string, number> = {};
let district = 0;
let otherVillage = 0;
let grid = 0;
let cadreA = '';
let campaign = 0;
const rec = (body: Record<string, unknown>, user = 'zhenadmin', c = campaign) => send('POST', `/api/v1/publicity/campaigns/${c}/records`, body, user);

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  await setupDemo(db);
  const [d] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = '370321107D01'`);
  district = Number(d!.id);
  const vs = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE parent_id = ${district} ORDER BY code LIMIT 3`);
  [ids.A, ids.B, ids.C] = vs.map((v) => Number(v.id));
  // A: 450 households (7 banners), B: 150 (5), C: size unknown (the minimum, 5, with a note).
  await db.execute(sql`UPDATE area SET households = 450 WHERE id = ${ids.A}`);
  await db.execute(sql`UPDATE area SET households = 150 WHERE id = ${ids.B}`);
  await db.execute(sql`UPDATE area SET households = NULL, size_class = NULL WHERE id = ${ids.C}`);
  const [o] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE parent_id = (SELECT id FROM area WHERE code = '370321107D02') ORDER BY code LIMIT 1`);
  otherVillage = Number(o!.id);
  const [g] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE parent_id = ${ids.A} LIMIT 1`);
  grid = Number(g!.id);
  const [u] = await rows<{ username: string }>(db, sql`SELECT u.username FROM user_role r JOIN app_user u ON u.id = r.user_id
    WHERE r.role_key = 'village_cadre' AND r.area_id = ${ids.A}`);
  cadreA = u!.username;
}, 120_000);
afterAll(async () => { await t.close(); });

describe('campaigns', () => {
  const good = () => ({ scopeAreaId: district, name: '环境整治宣传（西北管区）', startsOn: day(-60), endsOn: day(200), targets: { letters: 8000, lectures: 30, attendees: 1000 } });
  it('refuses bad campaigns with a clear message', async () => {
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), endsOn: day(-61) }), 400, '早于开始日期');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), startsOn: '2026-02-30' }), 400, '真实日期');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), targets: { letters: -8000 } }), 400, '不能为负数');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), targets: { letters: 80.5 } }), 400, '整数');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), targets: { posters: 3 } }), 400, '未知的目标');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), name: ' ' }), 400, '名称');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), scopeAreaId: grid }), 400, '网格');
    refused(await send('POST', '/api/v1/publicity/campaigns', { ...good(), scopeAreaId: 99_999_999 }), 400, '不存在');
    refused(await send('POST', '/api/v1/publicity/campaigns', good(), 'xianji'), 403, '无权');
    refused(await send('POST', '/api/v1/publicity/campaigns', good(), cadreA), 403, '无权');
  });
  it('creates one; it is listed for the people whose areas overlap it', async () => {
    const c = ok(await send('POST', '/api/v1/publicity/campaigns', good()), 201);
    campaign = c.id;
    expect(c).toMatchObject({ name: '环境整治宣传（西北管区）', targets: { letters: 8000, lectures: 30, attendees: 1000 }, version: 1, canWrite: true });
    expect(c.villages.map((v: { id: number }) => v.id)).toEqual(expect.arrayContaining([ids.A, ids.B, ids.C]));
    const mine = ok(await get(`/api/v1/publicity/campaigns/${campaign}`, cadreA));
    expect(mine.villages).toEqual([expect.objectContaining({ id: ids.A, canWrite: true })]);
    expect(mine.canWrite).toBe(false);
    expect(ok(await get('/api/v1/publicity/campaigns', 'xianji')).map((x: { id: number }) => x.id)).toContain(campaign);
    // The cadre of a village in another district does not see it.
    const [o] = await rows<{ username: string }>(db, sql`SELECT u.username FROM user_role r JOIN app_user u ON u.id = r.user_id
      WHERE r.role_key = 'village_cadre' AND r.area_id = ${otherVillage}`);
    expect(ok(await get('/api/v1/publicity/campaigns', o!.username)).map((x: { id: number }) => x.id)).not.toContain(campaign);
    refused(await get(`/api/v1/publicity/campaigns/${campaign}`, o!.username), 403, '无权');
    refused(await get('/api/v1/publicity/campaigns/99999999'), 404, '不存在');
  });
});

describe('records: every bad input gets a 4xx with a clear message', () => {
  it('negative counts, a date outside the campaign, an unknown kind, a lecture with 0 attendance, a javascript: url, a village outside the scope', async () => {
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(-5), quantity: -300 }), 400, '不能为负数');
    refused(await rec({ kind: 'banner', areaId: ids.A, on: day(-5), quantity: -1 }), 400, '不能为负数');
    refused(await rec({ kind: 'wechat', title: 'x', on: day(-5), reads: -10 }), 400, '不能为负数');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(-61), quantity: 300 }), 400, '不在活动期间');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(1), quantity: 300 }), 400, '晚于今天');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: '2026-13-01', quantity: 300 }), 400, '真实日期');
    refused(await rec({ kind: 'poster', areaId: ids.A, on: day(-5), quantity: 3 }), 400, '未知的类型');
    refused(await rec({ kind: 'lecture', areaId: ids.A, title: '政策宣讲', on: day(-5), attendance: 0 }), 400, '至少为 1');
    refused(await rec({ kind: 'lecture', areaId: ids.A, title: '政策宣讲', on: day(-5), attendance: 5001 }), 400, '最多 5000');
    refused(await rec({ kind: 'wechat', title: 'x', url: 'javascript:alert(1)', on: day(-5) }), 400, 'http');
    refused(await rec({ kind: 'letter', areaId: otherVillage, on: day(-5), quantity: 300 }), 400, '不在活动');
    refused(await rec({ kind: 'letter', areaId: grid, on: day(-5), quantity: 300 }), 400, '不是村');
    refused(await rec({ kind: 'letter', on: day(-5), quantity: 300 }), 400, '村或学校');
    refused(await rec({ kind: 'letter', areaId: ids.A, place: '小学', on: day(-5), quantity: 300 }), 400, '二选一');
    refused(await rec({ kind: 'audio', areaId: ids.A, mode: 'radio', on: day(-5), quantity: 2 }), 400, 'van');
    refused(await rec({ kind: 'audio', areaId: ids.A, mode: 'van', on: day(-5), quantity: 0 }), 400, '至少为 1');
    refused(await rec({ kind: 'banner', areaId: ids.A, on: day(-5), quantity: 51 }), 400, '最多 50');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(-5), quantity: 10, attendance: 4 }), 400, '不填写');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(-5), quantity: 'many' }), 400, 'quantity');
    refused(await send('POST', '/api/v1/publicity/campaigns/99999999/records', { kind: 'letter', areaId: ids.A, on: day(-5), quantity: 3 }), 404, '不存在');
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM publicity_record`);
    expect(Number(n!.n)).toBe(0);
  });
  it('writes follow the grid: a village cadre in their village only; campaign-wide records need the scope; viewers read only', async () => {
    refused(await rec({ kind: 'letter', areaId: ids.B, on: day(-5), quantity: 30 }, cadreA), 403, '无权');
    refused(await rec({ kind: 'letter', place: '新城镇中心小学', on: day(-5), quantity: 30 }, cadreA), 403, '无权');
    refused(await rec({ kind: 'letter', areaId: ids.A, on: day(-5), quantity: 30 }, 'xianji'), 403, '无权');
    const r = ok(await rec({ kind: 'letter', areaId: ids.A, on: day(-40), quantity: 300 }, cadreA), 201);
    expect(r).toMatchObject({ kind: 'letter', areaId: ids.A, quantity: 300, version: 1, canWrite: true });
    ids.letterA = r.id;
  });
});

describe('the summary on hand-made data', () => {
  it('totals by kind against the targets, the per-village table with the banner check, schools, the best post', async () => {
    const add = async (b: Record<string, unknown>) => ok(await rec(b), 201);
    await add({ kind: 'letter', areaId: ids.B, on: day(-40), quantity: 200 });
    await add({ kind: 'letter', place: '新城镇中心小学', on: day(-39), quantity: 800 });
    await add({ kind: 'audio', areaId: ids.A, mode: 'van', on: day(-30), quantity: 2 });
    await add({ kind: 'audio', areaId: ids.A, mode: 'loudspeaker', on: day(-20), quantity: 14 });
    await add({ kind: 'banner', areaId: ids.A, on: day(-35), quantity: 4 });
    await add({ kind: 'banner', areaId: ids.A, on: day(-10), quantity: 7 }); // the later count replaces the earlier one
    await add({ kind: 'banner', areaId: ids.B, on: day(-35), quantity: 3 });
    await add({ kind: 'lecture', areaId: ids.B, title: '垃圾分类进万家', on: day(-25), attendance: 40 });
    await add({ kind: 'lecture', place: '镇文化站', title: '城乡环境综合整治政策宣讲', on: day(-15), attendance: 120 });
    ids.post1 = (await add({ kind: 'wechat', title: '环境整治进行时', url: 'https://mp.weixin.qq.com/s/demo', on: day(-12), reads: 1200 })).id;
    ids.post2 = (await add({ kind: 'wechat', title: '拆除残垣断壁', on: day(-8) })).id;

    const s = ok(await get(`/api/v1/publicity/campaigns/${campaign}/summary`));
    expect(s.totals).toMatchObject({ letters: 1300, lettersToVillages: 500, lettersToSchools: 800, audioRounds: 2, audioPlays: 16, vanRounds: 1,
      loudspeakerRounds: 1, banners: 10, lectures: 2, attendees: 160, posts: 2, reads: 1200 });
    const p = Object.fromEntries(s.progress.map((x: { key: string }) => [x.key, x]));
    expect(p.letters).toMatchObject({ target: 8000, actual: 1300, percent: 16.3, met: false });
    expect(p.lectures).toMatchObject({ target: 30, actual: 2, percent: 6.7 });
    expect(p.attendees).toMatchObject({ target: 1000, actual: 160, percent: 16 });
    expect(p.posts).toMatchObject({ target: null, actual: 2, percent: null });
    const v = (id: number) => s.villages.find((x: { id: number }) => x.id === id);
    expect(v(ids.A)).toMatchObject({ letters: 300, audioRounds: 2, audioPlays: 16, bannersUp: 7, bannersCountedOn: day(-10), required: 7, status: 'ok', lectures: 0 });
    expect(v(ids.B)).toMatchObject({ letters: 200, bannersUp: 3, required: 5, status: 'short', lectures: 1, attendance: 40 });
    expect(v(ids.C)).toMatchObject({ bannersUp: null, required: 5, basis: 'minimum', status: 'unknown' });
    expect(v(ids.C).note).toContain('最少 5 条');
    expect(s.bannerCheck).toMatchObject({ villages: s.villages.length, ok: 1, short: 1, over: 0, unknown: s.villages.length - 2 });
    expect(s.schools).toEqual([{ place: '新城镇中心小学', letters: 800, records: 1 }]);
    expect(s.bestPost).toMatchObject({ id: ids.post1, reads: 1200 });

    // The village cadre sees their village's row only, and the whole campaign's totals.
    const mine = ok(await get(`/api/v1/publicity/campaigns/${campaign}/summary`, cadreA));
    expect(mine.villages.map((x: { id: number }) => x.id)).toEqual([ids.A]);
    expect(mine.totals.letters).toBe(1300);
    const list = ok(await get(`/api/v1/publicity/campaigns/${campaign}/records?kind=letter`, cadreA));
    expect(list.items.map((x: { areaId: number | null }) => x.areaId).sort()).toEqual([ids.A, null].sort());
    refused(await get(`/api/v1/publicity/campaigns/${campaign}/records?kind=poster`), 400, '未知的类型');
  });

  it('the banner rule is an install-wide setting: checked, for the global administrator, and the check follows it', async () => {
    const rule = ok(await get('/api/v1/publicity/banner-rule'));
    expect(rule).toMatchObject({ min: 5, max: 10, above: 10 });
    const stricter = { ...rule, steps: [{ upTo: 100, required: 5 }, { upTo: 500, required: 8 }, { upTo: 999, required: 9 }] };
    refused(await send('PUT', '/api/v1/publicity/banner-rule', stricter, cadreA), 403, '修改全局设置');
    refused(await send('PUT', '/api/v1/publicity/banner-rule', stricter), 403, '全局授予'); // a town admin: not install-wide
    refused(await send('PUT', '/api/v1/publicity/banner-rule', { ...stricter, steps: [{ upTo: 500, required: 8 }, { upTo: 100, required: 5 }] }, 'admin'), 400, '须大于上一档');
    refused(await send('PUT', '/api/v1/publicity/banner-rule', { ...stricter, above: 12 }, 'admin'), 400, '5–10');
    ok(await send('PUT', '/api/v1/publicity/banner-rule', stricter, 'admin'));
    const s = ok(await get(`/api/v1/publicity/campaigns/${campaign}/summary`));
    expect(s.villages.find((x: { id: number }) => x.id === ids.A)).toMatchObject({ bannersUp: 7, required: 8, status: 'short' });
    ok(await send('PUT', '/api/v1/publicity/banner-rule', rule, 'admin'));
  });

  it('exports the summary as .xlsx', async () => {
    const r = await get(`/api/v1/publicity/campaigns/${campaign}/summary.xlsx`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['目标完成', '各村', '学校', '公众号文章']);
    const villages = wb.getWorksheet('各村')!;
    const rowOf = (name: string) => villages.getRows(1, villages.rowCount)!.find((x) => x.getCell(2).value === name)!;
    const [b] = await rows<{ name: string }>(db, sql`SELECT name FROM area WHERE id = ${ids.B}`);
    expect(rowOf(b!.name).getCell(12).value).toBe('不足');
  });
});

describe('editing: versions, reads, dates', () => {
  it('a stale version gets 409; the kind cannot change; reads are for posts', async () => {
    const r = ok(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}`, { quantity: 320, version: 1 }));
    expect(r).toMatchObject({ quantity: 320, version: 2 });
    const stale = refused(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}`, { quantity: 330, version: 1 }), 409, '他人修改');
    expect(stale.code).toBe('STALE');
    refused(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}`, { kind: 'banner', version: 2 }), 400, '不能修改');
    refused(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}`, { quantity: -1, version: 2 }), 400, '不能为负数');
    refused(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}`, { on: day(-70), version: 2 }), 400, '不在活动期间');
    refused(await send('PATCH', `/api/v1/publicity/records/${ids.letterA}/reads`, { reads: 5, version: 2 }), 400, '阅读数');
  });
  it('WeChat reads entered later, with the time', async () => {
    refused(await send('PATCH', `/api/v1/publicity/records/${ids.post2}/reads`, { reads: -1, version: 1 }), 400, '不能为负数');
    const r = ok(await send('PATCH', `/api/v1/publicity/records/${ids.post2}/reads`, { reads: 6838, version: 1 }));
    expect(r).toMatchObject({ reads: 6838, version: 2 });
    expect(r.readsAt).toBeTruthy();
    expect(refused(await send('PATCH', `/api/v1/publicity/records/${ids.post2}/reads`, { reads: 7000, version: 1 }), 409, '他人修改').code).toBe('STALE');
    expect(ok(await get(`/api/v1/publicity/campaigns/${campaign}/summary`)).bestPost).toMatchObject({ id: ids.post2, reads: 6838 });
  });
  it('a campaign keeps its records inside its dates and scope; one with records is not deleted', async () => {
    const c = ok(await get(`/api/v1/publicity/campaigns/${campaign}`));
    refused(await send('PATCH', `/api/v1/publicity/campaigns/${campaign}`, { startsOn: day(-20), version: c.version }), 409, '不在');
    refused(await send('PATCH', `/api/v1/publicity/campaigns/${campaign}`, { targets: { letters: -1 }, version: c.version }), 400, '不能为负数');
    const [d2] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = '370321107D02'`);
    refused(await send('PATCH', `/api/v1/publicity/campaigns/${campaign}`, { scopeAreaId: Number(d2!.id), version: c.version }), 409, '不在');
    const u = ok(await send('PATCH', `/api/v1/publicity/campaigns/${campaign}`, { targets: { letters: 8000, lectures: 30, attendees: 1000, posts: 10 }, version: c.version }));
    expect(u).toMatchObject({ version: c.version + 1, targets: { posts: 10 } });
    refused(await send('PATCH', `/api/v1/publicity/campaigns/${campaign}`, { name: '改名', version: c.version }), 409, '他人修改');
    refused(await send('DELETE', `/api/v1/publicity/campaigns/${campaign}?version=${u.version}`, undefined), 409, '不能删除');
    // A record is deleted with its version (a stale one is refused).
    const extra = ok(await rec({ kind: 'audio', areaId: ids.B, mode: 'van', on: day(-3), quantity: 1 }), 201);
    refused(await send('DELETE', `/api/v1/publicity/records/${extra.id}?version=7`, undefined), 409, '他人修改');
    ok(await send('DELETE', `/api/v1/publicity/records/${extra.id}?version=1`, undefined));
    refused(await get(`/api/v1/publicity/records/${extra.id}`), 404, '不存在');
    // An empty campaign can be deleted.
    const empty = ok(await send('POST', '/api/v1/publicity/campaigns', { scopeAreaId: district, name: '空活动', startsOn: day(-1), endsOn: day(1), targets: {} }), 201);
    ok(await send('DELETE', `/api/v1/publicity/campaigns/${empty.id}?version=1`, undefined));
  });
  it('every write is audited', async () => {
    const list = await rows<{ action: string }>(db, sql`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'publicity.%' ORDER BY action`);
    expect(list.map((r) => r.action)).toEqual(expect.arrayContaining(['publicity.banner_rule', 'publicity.campaign.create', 'publicity.campaign.delete',
      'publicity.campaign.update', 'publicity.record.create', 'publicity.record.delete', 'publicity.record.update']));
  });
});

describe('WeChat posts from .xlsx', () => {
  it('the template lists the posts; a bad row stops the import with the rows named; a good file updates and adds', async () => {
    const r = await get(`/api/v1/publicity/campaigns/${campaign}/wechat.xlsx`);
    expect(r.statusCode, r.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('公众号文章')!;
    expect(ws.getRow(1).values).toEqual([undefined, '编号', '标题', '链接', '发布日期', '阅读数', '备注']);
    expect(ws.getRow(2).getCell(1).value).toBe(String(ids.post1));

    const bad = await importFile(campaign, await postsSheet([
      [String(ids.post1), null, null, null, 2500, null],
      [null, '新文章', 'javascript:alert(1)', day(-2), 100, null],
      [null, '另一篇', null, day(-2), 'abc', null],
      ['99999', null, null, null, 5, null],
      [null, '太早的文章', null, day(-90), 5, null],
    ]));
    refused(bad, 400, '导入未进行');
    expect((bad.json() as { error: { details: { row: number; column: string }[] } }).error.details.map((d) => [d.row, d.column])).toEqual([
      [3, '链接'], [4, '阅读数'], [5, '编号'], [6, '发布日期'],
    ]);
    expect(ok(await get(`/api/v1/publicity/records/${ids.post1}`)).reads).toBe(1200);

    const good = await importFile(campaign, await postsSheet([
      [String(ids.post1), null, null, null, 2500, null],
      [null, '拆除残垣断壁', null, day(-8), 6900, null], // same title and date: that post
      [null, '每月一清洁', 'https://mp.weixin.qq.com/s/clean', day(-2), 880, '清洁日'],
    ]));
    expect(ok(good)).toMatchObject({ rows: 3, created: 1, updated: 2, unchanged: 0 });
    expect(ok(await get(`/api/v1/publicity/records/${ids.post1}`))).toMatchObject({ reads: 2500, version: 2 });
    const s = ok(await get(`/api/v1/publicity/campaigns/${campaign}/summary`));
    expect(s.totals.posts).toBe(3);
    expect(s.bestPost).toMatchObject({ id: ids.post2, reads: 6900 });
    refused(await importFile(campaign, Buffer.from('not a workbook')), 400, 'xlsx');
    refused(await importFile(campaign, await postsSheet([[null, 'x', null, day(-2), 1, null]]), cadreA), 403, '无权');
  });
});

describe('the API documentation', () => {
  it('lists the publicity routes', async () => {
    const doc = ok(await t.app.inject({ url: '/docs/json' }));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/publicity/campaigns', '/api/v1/publicity/campaigns/{id}/summary',
      '/api/v1/publicity/records/{id}/reads', '/api/v1/publicity/campaigns/{id}/wechat/import', '/api/v1/publicity/banner-rule']));
  });
});

describe('the demo campaign', () => {
  it('has the article\'s targets and believable records, some villages short of banners, the best post read 6,838 times', async () => {
    const r = await setupPublicityDemo(db);
    expect(r.records).toBeGreaterThan(200);
    expect((await setupPublicityDemo(db)).campaignId).toBeNull(); // only once
    const c = ok(await get('/api/v1/publicity/campaigns')).find((x: { name: string }) => x.name === DEMO_CAMPAIGN);
    expect(c.targets).toEqual({ letters: 8000, lectures: 30, attendees: 1000 });
    const s = ok(await get(`/api/v1/publicity/campaigns/${c.id}/summary`));
    expect(s.totals.letters).toBeGreaterThan(6000);
    expect(s.totals.lectures).toBe(26);
    expect(s.bestPost.reads).toBe(6838);
    expect(s.villages).toHaveLength(40);
    expect(s.bannerCheck.short).toBeGreaterThan(0);
    expect(s.bannerCheck.short).toBeLessThan(20);
    expect(s.schools.length).toBe(3);
  });
});
