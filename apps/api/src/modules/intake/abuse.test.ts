// Abuse at the public edge and at uploads: limits before a body is read or a photo decoded, the
// pixel limit, the decoding gate, and no file left behind by a refused or failed request.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, freshDatabase, login, testConfig } from '../../../test/helpers.js';
import { form, jpeg, multipart } from '../../../test/images.js';
import { buildApp } from '../../app.js';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { ensureAdmin } from '../people/bootstrap.js';
import { setupDemo } from '../demo/demo.js';
import { PhotoStore } from '../evidence/storage.js';
import { submitReport } from './intake.service.js';

let app: FastifyInstance;
let database: Database;
let config: Config;
let category: string;
let point: { lat: number; lng: number };
let seed = 7000;
let ipSeq = 1;
const cookies: Record<string, string> = {};
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(app, 'admin', ADMIN_PASSWORD) : await login(app, user, 'demo1234'));

/** Every file under the photo folder (temporary names included), so "as it was" is exact. */
function photoFiles(): string[] {
  if (!fs.existsSync(config.photoDir)) return [];
  return (fs.readdirSync(config.photoDir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile()).map((d) => path.join(d.parentPath ?? d.path, d.name)).sort();
}

/** A PNG whose header claims width × height; its pixel data is a few bytes (a "pixel bomb"). */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(64 * 1024))), chunk('IEND', Buffer.alloc(0))]);
}

const report = async (photos: Buffer[], o: { ip?: string; phone?: string } = {}) => {
  const fields: Record<string, string | number> = { category, description: '路边有一堆垃圾', lat: point.lat, lng: point.lng };
  if (o.phone) fields.phone = o.phone;
  const f = form(fields, photos.map((buf) => ({ buf })));
  const t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/api/public/reports', payload: f.payload, headers: f.headers, remoteAddress: o.ip ?? `10.77.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}` });
  return Object.assign(res, { ms: performance.now() - t0 });
};

beforeAll(async () => {
  database = await freshDatabase();
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  config = testConfig();
  app = await buildApp(config, database);
  await setupDemo(database.db);
  const cats = (await app.inject({ url: '/api/public/categories' })).json();
  category = cats.items.find((x: { name: string }) => x.name === '暴露垃圾').code;
  point = { lat: 36.96, lng: 117.98 }; // near the demo town: placed in a micro-grid or queued, either is a report
});
afterAll(async () => { await app.close(); await database.close(); });

describe('a pixel bomb', () => {
  it('is refused as too large (413) from its header, with no file written, by the public intake and the staff upload', async () => {
    const bomb = pngClaiming(30_000, 30_000); // 900 megapixels claimed, 130 bytes of data
    expect(bomb.length).toBeLessThan(1024);
    const before = photoFiles();
    await report([await jpeg(seed++)]); // warm: the first request pays for loading modules
    const warm = photoFiles();
    expect(warm.length).toBe(before.length + 2);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await report([bomb]);
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json().error.code).toBe('IMAGE_TOO_LARGE');
      expect(r.json().error.message).toContain('照片像素过大');
      expect(r.json().error.message).toContain('40 百万像素');
      times.push(r.ms);
    }
    // printed, never asserted (tests never assert on time)
    console.log(`pixel bomb (30000×30000 PNG, ${bomb.length} bytes) refused by POST /api/public/reports in ${times.map((x) => x.toFixed(1)).join(', ')} ms`);
    // with a good photo before it in the same report: nothing decoded, nothing written
    const both = await report([await jpeg(seed++), bomb]);
    expect(both.statusCode).toBe(413);
    expect(photoFiles()).toEqual(warm);

    const m = multipart(bomb, 'bomb.png', 'image/png');
    const cookie = await as('wgy001');
    const t0 = performance.now();
    const staff = await app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie } });
    const ms = performance.now() - t0;
    expect(staff.statusCode, staff.body).toBe(413);
    expect(staff.json().error.code).toBe('IMAGE_TOO_LARGE');
    console.log(`pixel bomb refused by POST /api/v1/photos in ${ms.toFixed(1)} ms`);
    expect(photoFiles()).toEqual(warm);
  });
});

describe('limits before the body', () => {
  it('6 quick reports from one address: the 6th is 429 with Retry-After before its body is read, and writes no file', async () => {
    const ip = '192.0.2.66';
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await report([await jpeg(seed++)], { ip })).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201]);
    const files = photoFiles();
    // The 6th carries a broken photo: refused for the address (429), not for the photo (400), so its
    // body was never looked at.
    const full = await jpeg(seed++);
    const broken = full.subarray(0, full.length >> 1);
    const sixth = await report([broken], { ip });
    expect(sixth.statusCode, sixth.body).toBe(429);
    expect(sixth.json().error.code).toBe('TOO_MANY_REPORTS');
    expect(sixth.headers['retry-after']).toBe('600');
    const good = await report([await jpeg(seed++)], { ip });
    expect(good.statusCode).toBe(429);
    expect(photoFiles()).toEqual(files);
  });

  it('a phone over its daily limit is refused before its photos are decoded', async () => {
    const admin = await as('admin');
    const limits = (await app.inject({ url: '/api/v1/intake/settings', headers: { cookie: admin } })).json();
    const put = (body: object) => app.inject({ method: 'PUT', url: '/api/v1/intake/settings', payload: body, headers: { cookie: admin } });
    expect((await put({ ...limits, perPhoneDay: 2 })).statusCode).toBe(200);
    try {
      const phone = '13700001111';
      expect((await report([await jpeg(seed++)], { phone })).statusCode).toBe(201);
      expect((await report([await jpeg(seed++)], { phone })).statusCode).toBe(201);
      const files = photoFiles();
      const half = await jpeg(seed++);
      // its header is whole, its pixels are not: decoding it would answer 400 CORRUPT_IMAGE
      const r = await report([half.subarray(0, half.length >> 1)], { phone });
      expect(r.statusCode, r.body).toBe(429);
      expect(r.json().error.message).toContain('手机号');
      expect(photoFiles()).toEqual(files);
    } finally {
      await put(limits);
    }
  });

  it('public reads: 120 a minute per address, then 429 with Retry-After (status lookups, photos, Open311)', async () => {
    /** Requests from one address until the first 429: how many passed, and that answer. */
    const until429 = async (ip: string, url: (i: number) => string) => {
      for (let i = 0; i < 1000; i++) {
        const r = await app.inject({ url: url(i), remoteAddress: ip });
        if (r.statusCode === 429) return { passed: i, r };
      }
      throw new Error('never limited');
    };
    const ip = '192.0.2.120';
    // tracking numbers tried in turn, and photos: the bucket holds 120 and refills 2 a second
    const intake = await until429(ip, (i) => (i % 2 ? `/api/public/reports/2026112900${String(i).padStart(3, '0')}` : '/api/public/reports/2026112900001/photos/1/thumb'));
    expect(intake.passed).toBeGreaterThanOrEqual(120);
    expect(intake.r.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(intake.r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Open311 counts apart, and answers in its own error shape
    const o = await until429(ip, () => '/open311/v2/requests/1.json');
    expect(o.passed).toBeGreaterThanOrEqual(120);
    expect(Number(o.r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(o.r.json()).toEqual([{ code: 429, description: expect.stringContaining('too many requests') }]);
    // another address is not held up
    expect((await app.inject({ url: '/api/public/reports/2026112900001', remoteAddress: '192.0.2.121' })).statusCode).not.toBe(429);
  });
});

describe('files of failed requests', () => {
  it('a report whose transaction fails leaves the photo folder as it was', async () => {
    const store = new PhotoStore(config.photoDir);
    const files = photoFiles();
    // the database as is, except that its transaction fails (as a lost connection or a refused row would)
    const failing = Object.create(database.db, { transaction: { value: async () => { throw new Error('transaction failed'); } } });
    await expect(submitReport(failing, store, {
      fields: { category, description: '桥下有垃圾', lat: point.lat, lng: point.lng }, photos: [await jpeg(seed++), await jpeg(seed++)],
      channel: 'web', partnerId: null, ip: '192.0.2.200', requirePhoto: true, needLocation: true,
    })).rejects.toThrow('transaction failed');
    expect(photoFiles()).toEqual(files);
  });

  it('a picture already stored for another report is kept when a later report of it fails', async () => {
    const store = new PhotoStore(config.photoDir);
    const pic = await jpeg(seed++);
    expect((await report([pic])).statusCode).toBe(201);
    const files = photoFiles();
    const failing = Object.create(database.db, { transaction: { value: async () => { throw new Error('transaction failed'); } } });
    await expect(submitReport(failing, store, {
      fields: { category, description: '桥下有垃圾', lat: point.lat, lng: point.lng }, photos: [pic],
      channel: 'web', partnerId: null, ip: '192.0.2.201', requirePhoto: true, needLocation: true,
    })).rejects.toThrow('transaction failed');
    expect(photoFiles()).toEqual(files);
  });

  it('two reports racing past the address limit: the one refused in its transaction leaves no file', async () => {
    const admin = await as('admin');
    const limits = (await app.inject({ url: '/api/v1/intake/settings', headers: { cookie: admin } })).json();
    const put = (body: object) => app.inject({ method: 'PUT', url: '/api/v1/intake/settings', payload: body, headers: { cookie: admin } });
    expect((await put({ ...limits, perAddress10Min: 1 })).statusCode).toBe(200);
    try {
      const files = photoFiles();
      const ip = '192.0.2.77';
      const both = await Promise.all([report([await jpeg(seed++)], { ip }), report([await jpeg(seed++)], { ip })]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([201, 429]);
      // only the accepted report's two files are new
      expect(photoFiles().length).toBe(files.length + 2);
    } finally {
      await put(limits);
    }
  });
});
