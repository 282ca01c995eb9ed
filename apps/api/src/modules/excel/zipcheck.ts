// An .xlsx is a zip. Before exceljs is given one, its directory is read (the end-of-central-directory
// record and the central directory, ZIP64 included): too many entries, too much inflated in total or
// one entry inflating far beyond its compressed size is refused without inflating anything. Then
// each entry is inflated once, in memory bounded by the size its directory entry declares, so an
// entry lying about its size is caught before exceljs inflates it without bounds.
import zlib from 'node:zlib';
import { DomainError, badInput } from '../../lib/errors.js';

export interface ZipLimits {
  /** uncompressed bytes of all entries together */
  maxTotal: number;
  /** uncompressed ÷ compressed of one entry, looked at for entries over `ratioFrom` bytes */
  maxRatio: number;
  ratioFrom: number;
  maxEntries: number;
}
export const XLSX_LIMITS: ZipLimits = { maxTotal: 50 * 1024 * 1024, maxRatio: 100, ratioFrom: 1024 * 1024, maxEntries: 10_000 };

export interface ZipEntry { name: string; method: number; compressed: number; uncompressed: number; offset: number; flags: number }

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const notXlsx = (why: string) => badInput(`无法读取此 .xlsx 文件：文件已损坏或不是 Excel 工作簿 (not a readable .xlsx: ${why})`, undefined, 'NOT_XLSX');
const tooLarge = (message: string) => new DomainError(413, 'XLSX_TOO_LARGE', message);
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

/** A 64-bit little-endian number that must fit a double exactly (larger is a broken file anyway). */
function u64(b: Buffer, at: number): number {
  const n = b.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw notXlsx('size out of range');
  return Number(n);
}

/** The central directory's entries, read from the end of the file; throws 400 for a broken zip. */
export function zipDirectory(buf: Buffer, maxEntries = XLSX_LIMITS.maxEntries): ZipEntry[] {
  // The EOCD record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) { eocd = i; break; }
  }
  if (eocd < 0) throw notXlsx('no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let start = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== EOCD64_LOCATOR) throw notXlsx('no ZIP64 locator');
    const rec = u64(buf, loc + 8);
    if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== EOCD64) throw notXlsx('no ZIP64 end of central directory');
    count = u64(buf, rec + 32);
    size = u64(buf, rec + 40);
    start = u64(buf, rec + 48);
  }
  if (count > maxEntries) throw tooLarge(`文件中的条目过多（${count} 个，最多 ${maxEntries} 个），不像 Excel 工作簿 (too many zip entries)`);
  if (start + size > buf.length) throw notXlsx('central directory out of range');
  const entries: ZipEntry[] = [];
  let at = start;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw notXlsx('broken central directory');
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    if (at + 46 + nameLen + extraLen + commentLen > buf.length) throw notXlsx('broken central directory');
    const e: ZipEntry = {
      name: buf.toString('utf8', at + 46, at + 46 + nameLen), flags: buf.readUInt16LE(at + 8), method: buf.readUInt16LE(at + 10),
      compressed: buf.readUInt32LE(at + 20), uncompressed: buf.readUInt32LE(at + 24), offset: buf.readUInt32LE(at + 42),
    };
    // ZIP64: the fields set to 0xFFFFFFFF are in the extra field 0x0001, in this order.
    if (e.uncompressed === 0xffffffff || e.compressed === 0xffffffff || e.offset === 0xffffffff) {
      let x = at + 46 + nameLen;
      const end = x + extraLen;
      while (x + 4 <= end) {
        const id = buf.readUInt16LE(x);
        const len = buf.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let p = x + 4;
          const take = () => { if (p + 8 > x + 4 + len) throw notXlsx('broken ZIP64 field'); const v = u64(buf, p); p += 8; return v; };
          if (e.uncompressed === 0xffffffff) e.uncompressed = take();
          if (e.compressed === 0xffffffff) e.compressed = take();
          if (e.offset === 0xffffffff) e.offset = take();
          break;
        }
        x += 4 + len;
      }
    }
    entries.push(e);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Refuses a zip whose directory promises too much (413) or that is broken (400), then inflates each
 * entry bounded by its declared size to make sure the directory told the truth. Nothing of the file
 * is inflated past `maxTotal` bytes, and nothing at all when the directory alone is over a limit.
 */
export function checkZip(buf: Buffer, limits: ZipLimits = XLSX_LIMITS): ZipEntry[] {
  const entries = zipDirectory(buf, limits.maxEntries);
  let total = 0;
  for (const e of entries) {
    total += e.uncompressed;
    if (e.uncompressed > limits.ratioFrom && e.uncompressed > limits.maxRatio * Math.max(1, e.compressed)) {
      throw tooLarge(`文件中的“${e.name.slice(0, 60)}”解压后有 ${mb(e.uncompressed)} MB，是压缩后的 ${Math.round(e.uncompressed / Math.max(1, e.compressed))} 倍（最多 ${limits.maxRatio} 倍），不像 Excel 工作簿 (zip entry inflates too far)`);
    }
  }
  if (total > limits.maxTotal) {
    throw tooLarge(`文件解压后共 ${mb(total)} MB，超过 ${mb(limits.maxTotal)} MB 上限：请分成几个文件导入 (the workbook inflates to more than ${mb(limits.maxTotal)} MB)`);
  }
  for (const e of entries) {
    if (e.flags & 0x1) throw notXlsx('encrypted entry');
    const at = e.offset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw notXlsx('broken local header');
    const from = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    if (from + e.compressed > buf.length) throw notXlsx('entry out of range');
    const data = buf.subarray(from, from + e.compressed);
    if (e.method === 0) {
      if (e.compressed !== e.uncompressed) throw notXlsx('stored entry of the wrong size');
    } else if (e.method === 8) {
      let out: Buffer;
      try {
        // one byte more than declared: an entry that inflates past its size stops there
        out = zlib.inflateRawSync(data, { maxOutputLength: e.uncompressed + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw tooLarge(`文件中的“${e.name.slice(0, 60)}”解压后超过它声明的大小，文件有问题或是恶意构造的 (zip entry larger than declared)`);
        }
        throw notXlsx(`entry ${e.name.slice(0, 60)} does not inflate`);
      }
      if (out.length !== e.uncompressed) throw notXlsx(`entry ${e.name.slice(0, 60)} is not the size declared`);
    } else {
      throw notXlsx(`compression method ${e.method}`);
    }
  }
  return entries;
}
