// Excel templates, exports and imports over HTTP, on a real database with 新城镇 and its 40 villages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, freshDatabase, login, testConfig, type TestApp } from '../../../test/helpers.js';
import { rows, sql, type Db } from '../../db/client.js';
import { buildApp } from '../../app.js';
import { initTown } from '../areas/network.service.js';
import { ensureAdmin } from '../people/bootstrap.js';
import { importCommand } from './excel.cli.js';
import { AREAS, ROSTER, XLSX_TYPE, writeSheet } from './workbook.js';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await buildTestApp();
  await initTown(t.database.db, '370321107', { id: null, name: 'test' });
  cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => { await t?.close(); });

function form(buf: Buffer, field = 'file') {
  const boundary = `----wangge${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="upload.xlsx"\r\nContent-Type: ${XLSX_TYPE}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const post = (app: TestApp['app'], c: string, kind: string, buf: Buffer, query = '', field = 'file') => {
  const f = form(buf, field);
  return app.inject({ method: 'POST', url: `/api/v1/excel/import/${kind}${query}`, payload: f.payload, headers: { ...f.headers, cookie: c } });
};
const count = async (db: Db, table: string) => Number((await rows<{ n: number }>(db, sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]!.n);
const counts = async (db: Db) => ({ users: await count(db, 'app_user'), roles: await count(db, 'user_role'), resp: await count(db, 'responsibility'),
  areas: await count(db, 'area'), audit: await count(db, 'audit_log') });
const areaByCode = async (db: Db, code: string) => (await rows<{ id: number; name: string; level: string; parentCode: string | null; population: number | null }>(db,
  sql`SELECT a.id, a.name, a.level_key AS level, p.code AS "parentCode", a.population FROM area a LEFT JOIN area p ON p.id = a.parent_id WHERE a.code = ${code}`))[0];

async function readBook(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

const AREA_FILE = () => writeSheet(AREAS, [
  ['370321107D01', '第一管区', '管区', '370321107', null, null, null, '否'],
  ['370321107D02', '第二管区', 'district', '370321107'],
  ['370321107201', '毛家村', '村', '370321107D01', 1200, 400, '大', '是'], // moved into 第一管区, attributes set
  ['370321107201001', '毛家村一网格', '网格', '370321107201', 300, 100, '中', '否'],
  ['370321107201002', '毛家村二网格', '网格', '370321107201'],
  ['370321107201001001', '一网格一号微网格', '微网格', '370321107201001', 60, 20, '小'],
  ['370321107201001002', '一网格二号微网格', 'micro_grid', '370321107201001'],
]);

describe('templates', () => {
  it('downloads both templates: bold frozen header, widths, examples and a 说明 sheet', async () => {
    for (const [kind, shape] of [['areas', AREAS], ['roster', ROSTER]] as const) {
      const res = await t.app.inject({ url: `/api/v1/excel/template/${kind}.xlsx`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX_TYPE);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${kind}-template.xlsx"; filename\\*=UTF-8''%`));
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toBe(`${shape.sheet}模板.xlsx`);
      const wb = await readBook(res.rawPayload);
      expect(wb.worksheets.map((w) => w.name)).toEqual([shape.sheet, '说明']);
      const ws = wb.getWorksheet(shape.sheet)!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(shape.columns.map((c) => c.header));
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getColumn(1).width).toBeGreaterThan(10);
      expect(ws.rowCount).toBeGreaterThanOrEqual(3);
      const help = JSON.stringify(wb.getWorksheet('说明')!.getSheetValues());
      for (const word of kind === 'areas' ? ['管区', '微网格', 'micro_grid'] : ['网格员', 'grid_worker', '门前三包', '保洁员包片']) expect(help).toContain(word);
    }
  });
  it('needs a session', async () => {
    expect((await t.app.inject({ url: '/api/v1/excel/template/roster.xlsx' })).statusCode).toBe(401);
  });
});

describe('malformed uploads', () => {
  it('a non-xlsx upload is 400, checked by its bytes', async () => {
    const res = await post(t.app, cookie, 'roster', Buffer.from('用户名,姓名\nzhang3,张三\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'NOT_XLSX' });
    const zipJunk = await post(t.app, cookie, 'areas', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
    expect(zipJunk.statusCode).toBe(400);
    expect(zipJunk.json().error.message).toMatch(/无法读取/);
  });
  it('wrong headers, no rows, no file, wrong field: 400 with a clear message', async () => {
    const wrong = await post(t.app, cookie, 'areas', await writeSheet(ROSTER, [['a1', '甲', null, '网格员', '370321107201']]));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'BAD_HEADER' });
    expect(wrong.json().error.message).toMatch(/缺少 「代码」/);
    const empty = await post(t.app, cookie, 'areas', await writeSheet(AREAS, []));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('NO_ROWS');
    const noFile = await t.app.inject({ method: 'POST', url: '/api/v1/excel/import/areas', headers: { cookie }, payload: {} });
    expect(noFile.statusCode).toBe(400);
    const field = await post(t.app, cookie, 'areas', await AREA_FILE(), '', 'upload');
    expect(field.statusCode).toBe(400);
  });
  it('too large: 413; too many rows: 400', async () => {
    const small = await buildApp(testConfig({ maxUploadBytes: 4000 }), t.database);
    try {
      const res = await post(small, cookie, 'areas', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(10_000)]));
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('TOO_LARGE');
    } finally { await small.close(); }
    const { readSheet } = await import('./workbook.js');
    const buf = await writeSheet(AREAS, Array.from({ length: 12 }, (_, i) => [`370321107D${String(i + 10)}`, `管区${i}`, '管区', '370321107']));
    await expect(readSheet(buf, AREAS, 10)).rejects.toMatchObject({ status: 400, code: 'TOO_MANY_ROWS' });
  });
});

describe('area list import', () => {
  it('dry run validates only; then the import creates districts, grids and micro-grids and moves a village', async () => {
    const before = await counts(t.database.db);
    const dry = await post(t.app, cookie, 'areas', await AREA_FILE(), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, rows: 7, created: { areas: 6 }, updated: { areas: 1, moved: 1 } });
    expect(await counts(t.database.db)).toEqual(before);

    const res = await post(t.app, cookie, 'areas', await AREA_FILE());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, dryRun: false, rows: 7, created: { areas: 6 }, updated: { areas: 1, moved: 1 }, unchanged: { areas: 0 } });
    const db = t.database.db;
    expect(await areaByCode(db, '370321107D01')).toMatchObject({ level: 'district', parentCode: '370321107', name: '第一管区' });
    expect(await areaByCode(db, '370321107201')).toMatchObject({ level: 'village', parentCode: '370321107D01', population: 1200 });
    expect(await areaByCode(db, '370321107201001')).toMatchObject({ level: 'grid', parentCode: '370321107201' });
    expect(await areaByCode(db, '370321107201001002')).toMatchObject({ level: 'micro_grid', parentCode: '370321107201001' });
    // The subtree moved with its village: the micro-grid's path runs through the district.
    const [m] = await rows<{ path: string; d: string }>(db, sql`SELECT a.path, d.path AS d FROM area a, area d WHERE a.code = '370321107201001001' AND d.code = '370321107D01'`);
    expect(m!.path.startsWith(m!.d)).toBe(true);
    const after = await counts(db);
    expect(after.areas - before.areas).toBe(6);
    // One audit entry per created, updated and moved area, plus the import's own entry with the file's hash.
    expect(after.audit - before.audit).toBe(6 + 1 + 1 + 1);
    const [imp] = await rows<{ after: { sha256: string; sheet: string } }>(db, sql`SELECT after FROM audit_log WHERE action = 'excel.import' ORDER BY id DESC LIMIT 1`);
    expect(imp!.after).toMatchObject({ sheet: 'areas', sha256: res.json().sha256 });
  });
  it('a failing row writes nothing and is named in a 422', async () => {
    const before = await counts(t.database.db);
    const res = await post(t.app, cookie, 'areas', await writeSheet(AREAS, [
      ['370321107D03', '第三管区', '管区', '370321107'],
      ['370321107202001', '王家一网格', '网格', '370321107202'],
      ['370321108201001', '外镇网格', '网格', '370321107202'],
    ]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('IMPORT_INVALID');
    expect(res.json().error.details).toEqual([{ row: 4, column: '代码', message: '代码 370321108201001 应以上级代码 370321107202 开头' }]);
    expect(res.json().error.message).toMatch(/第 4 行「代码」/);
    expect(await counts(t.database.db)).toEqual(before);
  });
});

const GOOD_ROSTER = () => writeSheet(ROSTER, [
  ['wgy_zhang', '张网格', '13800000001', '网格员', '370321107201'],
  ['wgy_zhang', null, null, null, null, '网格员包网格', '370321107201001', '2026-01-01'],
  ['bjy_li', '李保洁', null, '保洁员', '370321107201001'],
  ['bjy_li', '李保洁', null, null, null, '保洁员包片', '370321107201001001', new Date(Date.UTC(2026, 0, 1)), '2026-06-30'],
  ['bjy_li', null, null, null, null, '保洁员包片', '370321107201001002', '2026-01-01'],
  ['zhucun_wang', '王驻村', null, '驻村干部', '370321107201', '驻村干部驻村', '370321107201', '2026-01-01'],
  [null, null, null, null, null, '门前三包', '370321107201001001', '2026-01-01', null, '赵家（3 号院）'],
]);

describe('roster import', () => {
  it('one bad row: 422 naming it, nothing written', async () => {
    const before = await counts(t.database.db);
    const res = await post(t.app, cookie, 'roster', await writeSheet(ROSTER, [
      ['ok_person', '好人', null, '网格员', '370321107201'],
      ['bad_person', '坏行', null, '队长', '370321107201'],
    ]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([{ row: 3, column: '角色', message: "未知角色 '队长'" }]);
    expect(res.json().error.message).toContain("第 3 行「角色」：未知角色 '队长'");
    expect(await counts(t.database.db)).toEqual(before);
  });
  it('overlapping responsibilities in the file: an error naming both rows', async () => {
    const res = await post(t.app, cookie, 'roster', await writeSheet(ROSTER, [
      ['g1', '甲', null, '网格员', '370321107201', '网格员包网格', '370321107201002', '2026-01-01', '2026-12-31'],
      ['g2', '乙', null, '网格员', '370321107201', '网格员包网格', '370321107201002', '2026-12-01'],
    ]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([{ row: 3, column: '开始日期', message: expect.stringContaining('与第 2 行') }]);
  });
  it('a good roster creates people (without passwords), roles and responsibilities', async () => {
    const before = await counts(t.database.db);
    const res = await post(t.app, cookie, 'roster', await GOOD_ROSTER());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, rows: 7, created: { users: 3, roles: 3, responsibilities: 5 }, updated: { users: 0 },
      usersWithoutPassword: ['wgy_zhang', 'bjy_li', 'zhucun_wang'] });
    expect(res.json().notice).toMatch(/重置密码/);
    const after = await counts(t.database.db);
    expect(after).toMatchObject({ users: before.users + 3, roles: before.roles + 3, resp: before.resp + 5 });
    const [u] = await rows<{ passwordHash: string | null; must: boolean }>(t.database.db, sql`SELECT password_hash AS "passwordHash", must_change_password AS must FROM app_user WHERE username = 'bjy_li'`);
    expect(u).toEqual({ passwordHash: null, must: true });
    // The answer chain for the micro-grid now names the household, the cleaner and the grid worker.
    const mg = (await areaByCode(t.database.db, '370321107201001001'))!;
    const who = await t.app.inject({ url: `/api/v1/areas/${mg.id}/answerable?date=2026-03-01`, headers: { cookie } });
    expect(who.statusCode).toBe(200);
    const chain = JSON.stringify(who.json().chain);
    for (const name of ['赵家', '李保洁', '张网格', '王驻村']) expect(chain).toContain(name);
    // The same file again: everything already there, nothing new, no overlap errors.
    const again = await post(t.app, cookie, 'roster', await GOOD_ROSTER());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: { users: 0, roles: 0, responsibilities: 0 }, unchanged: { roles: 3, responsibilities: 5 } });
  });
  it('an overlap with a stored responsibility is refused', async () => {
    const res = await post(t.app, cookie, 'roster', await writeSheet(ROSTER, [
      ['wgy_zhang', null, null, null, null, '网格员包网格', '370321107201001', '2027-01-01'],
    ]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ row: 2, column: '开始日期', message: expect.stringMatching(/与已有责任重叠.*张网格/) });
  });
});

describe('export', () => {
  it('exports the subtree asked for, in the import shape', async () => {
    const village = (await areaByCode(t.database.db, '370321107201'))!;
    const res = await t.app.inject({ url: `/api/v1/excel/export/areas.xlsx?areaId=${village.id}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toMatch(/^区域清单-毛家村-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const ws = (await readBook(res.rawPayload)).getWorksheet('区域清单')!;
    const codes = ws.getColumn(1).values.slice(2);
    expect(codes).toEqual(['370321107201', '370321107201001', '370321107201001001', '370321107201001002', '370321107201002']);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['370321107201', '毛家村', '村', '370321107D01', 1200, 400, '大', '是']);
    const missing = await t.app.inject({ url: '/api/v1/excel/export/roster.xlsx?areaId=999999', headers: { cookie } });
    expect(missing.statusCode).toBe(404);
  });
  it('round trip: export → import into a fresh database with the same town → no errors', async () => {
    const areasX = await t.app.inject({ url: '/api/v1/excel/export/areas.xlsx', headers: { cookie } });
    const rosterX = await t.app.inject({ url: '/api/v1/excel/export/roster.xlsx', headers: { cookie } });
    expect(rosterX.statusCode).toBe(200);
    // the roster holds phones: each export is in the audit log
    const [logged] = await rows<{ after: unknown }>(t.database.db, sql`SELECT after FROM audit_log WHERE action = 'personal.export' ORDER BY id DESC LIMIT 1`);
    expect(JSON.stringify(logged!.after)).toContain('roster.xlsx');
    // Into the same database: everything is already there.
    const same = await post(t.app, cookie, 'areas', areasX.rawPayload);
    expect(same.json()).toMatchObject({ created: { areas: 0 }, updated: { areas: 0, moved: 0 } });
    const sameRoster = await post(t.app, cookie, 'roster', rosterX.rawPayload);
    expect(sameRoster.json()).toMatchObject({ created: { users: 0, roles: 0, responsibilities: 0 } });

    const other = await freshDatabase();
    try {
      await ensureAdmin(other.db, ADMIN_PASSWORD);
      await initTown(other.db, '370321107', { id: null, name: 'test' });
      const app2 = await buildApp(testConfig(), other);
      try {
        const c2 = await login(app2, 'admin', ADMIN_PASSWORD);
        const a = await post(app2, c2, 'areas', areasX.rawPayload);
        expect(a.statusCode, a.body).toBe(200);
        expect(a.json()).toMatchObject({ created: { areas: 6 }, updated: { moved: 1 } });
        const r = await post(app2, c2, 'roster', rosterX.rawPayload);
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json()).toMatchObject({ created: { users: 3, roles: 3, responsibilities: 5 } });
        const again = await app2.inject({ url: '/api/v1/excel/export/roster.xlsx', headers: { cookie: c2 } });
        const rowsOf = async (b: Buffer) => (await readBook(b)).getWorksheet('人员名册')!.getSheetValues().slice(1).map((v) => JSON.stringify(v));
        expect(await rowsOf(again.rawPayload)).toEqual(await rowsOf(rosterX.rawPayload));
      } finally { await app2.close(); }
    } finally { await other.close(); }
  });
});

describe('command line', () => {
  it('imports a file as admin and prints the row-by-row report on failure (exit code 1)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-excel-'));
    const lines: string[] = [];
    const out = { log: (s: string) => lines.push(s), error: (s: string) => lines.push(s) } as unknown as Console;
    const bad = path.join(dir, 'bad.xlsx');
    fs.writeFileSync(bad, await writeSheet(AREAS, [['370321107D04', '第四管区', '队', '370321107']]));
    expect(await importCommand(t.database.db, 'areas', bad, {}, out)).toBe(1);
    expect(lines.join('\n')).toMatch(/第 2 行「层级」：未知层级 '队'/);
    const good = path.join(dir, 'good.xlsx');
    fs.writeFileSync(good, await writeSheet(AREAS, [['370321107D04', '第四管区', '管区', '370321107']]));
    expect(await importCommand(t.database.db, 'areas', good, { dryRun: true }, out)).toBe(0);
    expect(await areaByCode(t.database.db, '370321107D04')).toBeUndefined();
    expect(await importCommand(t.database.db, 'areas', good, {}, out)).toBe(0);
    expect(await areaByCode(t.database.db, '370321107D04')).toMatchObject({ level: 'district' });
    expect(await importCommand(t.database.db, 'people', good, {}, out)).toBe(1);
  });
});
