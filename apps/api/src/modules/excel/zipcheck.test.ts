// The zip directory check an .xlsx passes before exceljs sees it: honest bombs are refused from the
// directory alone, lying ones while inflating within the declared size; real workbooks pass.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { checkZip, zipDirectory, XLSX_LIMITS } from './zipcheck.js';
import { AREAS, writeSheet } from './workbook.js';

interface Entry { name: string; data: Buffer; method?: 0 | 8; declared?: number }

/** A minimal zip writer (local headers, central directory, end record); `declared` lies about the size. */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const deflated = new Map<Buffer, Buffer>(); // the same data in several entries is compressed once
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? deflated.get(e.data) ?? deflated.set(e.data, zlib.deflateRawSync(e.data, { level: 1 })).get(e.data)! : e.data;
    const name = Buffer.from(e.name);
    const size = e.declared ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(method, 10);
    central.writeUInt32LE(body.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const refusal = (f: () => unknown): [number, string] | null => {
  try { f(); } catch (e) { if (e instanceof DomainError) return [e.status, e.code]; throw e; }
  return null;
};

describe('checkZip', () => {
  it('passes a real workbook and lists its entries', async () => {
    const buf = await writeSheet(AREAS, [['370321107001', '毛家村', 'village', '370321107', 1200, 400, '', '否']]);
    const entries = checkZip(buf);
    expect(entries.map((e) => e.name)).toContain('xl/workbook.xml');
    expect(entries.every((e) => e.uncompressed >= 0)).toBe(true);
  });

  it('refuses from the directory alone: too much in total, one entry inflating too far, too many entries', () => {
    // 60 MB in 30 entries of 2 MB of text that compresses only ~25:1 (under the ratio), declared honestly
    const text = Buffer.from(Array.from({ length: 2 * 1024 * 1024 / 16 }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(16, '0')).join(''));
    const many = zip(Array.from({ length: 30 }, (_, i) => ({ name: `xl/worksheets/sheet${i}.xml`, data: text })));
    expect(refusal(() => checkZip(many))).toEqual([413, 'XLSX_TOO_LARGE']);
    // a ratio over 100 on an entry over 1 MB
    const zeros = zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(5 * 1024 * 1024) }]);
    expect(refusal(() => checkZip(zeros))).toEqual([413, 'XLSX_TOO_LARGE']);
    // a small entry may compress well: it cannot bomb
    expect(refusal(() => checkZip(zip([{ name: 'a.xml', data: Buffer.alloc(100_000) }])))).toBeNull();
    const crowd = zip(Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `${i}`, data: Buffer.alloc(0), method: 0 as const })));
    expect(refusal(() => checkZip(crowd))).toEqual([413, 'XLSX_TOO_LARGE']);
  });

  it('an entry lying about its size is stopped at the declared size', () => {
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024), declared: 1000 }]);
    expect(zipDirectory(liar)[0]).toMatchObject({ uncompressed: 1000 });
    expect(refusal(() => checkZip(liar))).toEqual([413, 'XLSX_TOO_LARGE']);
    const short = zip([{ name: 'x.xml', data: Buffer.alloc(10), declared: 1000 }]);
    expect(refusal(() => checkZip(short))).toEqual([400, 'NOT_XLSX']);
  });

  it('refuses broken zips with 400', () => {
    const good = zip([{ name: 'a.xml', data: Buffer.from('<a/>') }]);
    expect(refusal(() => checkZip(good))).toBeNull();
    expect(refusal(() => checkZip(good.subarray(0, good.length - 5)))).toEqual([400, 'NOT_XLSX']);
    expect(refusal(() => checkZip(Buffer.from('PK\u0003\u0004 not really a zip')))).toEqual([400, 'NOT_XLSX']);
    const badCd = Buffer.from(good);
    badCd.writeUInt32LE(good.length - 30, good.length - 6); // directory offset past its start
    expect(refusal(() => checkZip(badCd))).toEqual([400, 'NOT_XLSX']);
    const garbled = Buffer.from(good);
    garbled.fill(0xff, 30 + 5, 30 + 5 + 4); // the deflate stream
    expect(refusal(() => checkZip(garbled))?.[0]).toBe(400);
  });
});
