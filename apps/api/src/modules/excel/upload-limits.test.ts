// .xlsx imports over HTTP: the permission (duty, then the area) is checked before the file is read,
// and a zip bomb is refused from its directory before anything is inflated.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { multipart } from '../../../test/images.js';
import { rows, sql } from '../../db/client.js';
import { setupDemo } from '../demo/demo.js';
import { XLSX_TYPE } from './workbook.js';

let t: TestApp;
let own: number; // cungan01's village
let other: number; // another village
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= await login(t.app, user, 'demo1234'));

/**
 * A zip of one entry holding `mb` MiB of zeros, about 1 KB per MiB: the same deflate block of 1 MiB of
 * zeros (ended by a full flush, so it stands alone) repeated, then an empty final block. `declared`
 * lies about the inflated size when given.
 */
function zipBomb(mb: number, declared = mb * 1024 * 1024): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array.from({ length: mb }, () => block), Buffer.from([0x03, 0x00])]);
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(declared, 22); local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(declared, 24); central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12); end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

const upload = async (url: string, user: string, file: Buffer) => {
  const m = multipart(file, 'bomb.xlsx', XLSX_TYPE);
  return t.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie: await as(user) } });
};
const mb = (n: number) => Math.round(n / 1024 / 1024);

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
  const [v] = await rows<{ id: number }>(t.database.db, sql`SELECT r.area_id AS id FROM app_user u JOIN user_role r ON r.user_id = u.id
    WHERE u.username = 'cungan01' AND r.role_key = 'village_cadre'`);
  own = Number(v!.id);
  const [o] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE level_key = 'village' AND id <> ${own} ORDER BY id LIMIT 1`);
  other = Number(o!.id);
});
afterAll(async () => { await t.close(); });

describe('an .xlsx import', () => {
  it('is refused 403 for a read-only user or outside the caller\'s villages, before the file is read', async () => {
    // Not an .xlsx at all: had it been read, the answer would be 400 NOT_XLSX.
    const junk = Buffer.from('this is not a workbook');
    const viewer = await upload(`/api/v1/rewards/households/import?villageId=${own}`, 'xianji', junk);
    expect(viewer.statusCode, viewer.body).toBe(403);
    const scores = await upload('/api/v1/scores/other/import?month=202611', 'xianji', junk);
    expect(scores.statusCode, scores.body).toBe(403);
    const areas = await upload('/api/v1/excel/import/areas', 'xianji', junk);
    expect(areas.statusCode, areas.body).toBe(403);
    const elsewhere = await upload(`/api/v1/rewards/households/import?villageId=${other}`, 'cungan01', junk);
    expect(elsewhere.statusCode, elsewhere.body).toBe(403);
    // the same file in the cadre's own village is read, and refused as what it is
    const mine = await upload(`/api/v1/rewards/households/import?villageId=${own}`, 'cungan01', junk);
    expect([mine.statusCode, mine.json().error.code]).toEqual([400, 'NOT_XLSX']);
  });

  it('a zip bomb (500 MB of zeros in about 500 KB) is refused 413 from its directory, before it is inflated', async () => {
    const bomb = zipBomb(500);
    expect(bomb.length).toBeLessThan(600 * 1024);
    const liar = zipBomb(500, 4096); // its directory says 4 KB
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const watch = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    try {
      const r = await upload(`/api/v1/rewards/households/import?villageId=${own}`, 'cungan01', bomb);
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json().error.code).toBe('XLSX_TOO_LARGE');
      expect(r.json().error.message).toContain('MB');
      const l = await upload(`/api/v1/rewards/households/import?villageId=${own}`, 'cungan01', liar);
      expect(l.statusCode, l.body).toBe(413);
      expect(l.json().error.message).toContain('声明的大小');
    } finally {
      clearInterval(watch);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`zip bomb ${Math.round(bomb.length / 1024)} KB → 500 MB: RSS ${mb(before)} MB before, peak ${mb(peak)} MB (+${mb(peak - before)} MB)`);
    // inflated, it would take 500 MB and more (exceljs keeps the XML and the parsed cells)
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });
});
