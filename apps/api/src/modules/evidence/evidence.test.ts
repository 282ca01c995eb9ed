import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, freshDatabase, login, testConfig } from '../../../test/helpers.js';
import { buildApp } from '../../app.js';
import { rows, sql, type Database } from '../../db/client.js';
import { DomainError } from '../../lib/errors.js';
import { ensureAdmin } from '../people/bootstrap.js';
import { initTown } from '../areas/network.service.js';
import { attachPhotos, evidenceSettings, photosOfCase, type AttachInput } from './evidence.service.js';
import { otherCaseMatches } from './evidence.repository.js';
import { jpegWithExif, scene } from './evidence.fixtures.js';

let database: Database;
let app: FastifyInstance;
let photoDir: string;
let admin: string;
const users: Record<string, { id: number; cookie: string }> = {};
const areaIds: Record<string, number> = {};

// Case location and a time just now, written as an EXIF clock (China time).
const LAT = 36.95;
const LNG = 117.97;
const exifClock = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

function multipart(buf: Buffer, filename: string, contentType: string, field = 'file') {
  const boundary = '----evidence-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(buf: Buffer, cookie: string, filename = 'photo.jpg', contentType = 'image/jpeg', on = app) {
  const m = multipart(buf, filename, contentType);
  return on.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie } });
}

async function uploaded(buf: Buffer, who = 'wgy1'): Promise<number> {
  const r = await upload(buf, users[who].cookie);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

beforeAll(async () => {
  database = await freshDatabase();
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-photos-'));
  app = await buildApp(testConfig({ photoDir }), database);
  await initTown(database.db, '370321107', { id: null, name: 'test' });
  admin = await login(app, 'admin', ADMIN_PASSWORD);
  for (const code of ['370321107201', '370321107240']) {
    areaIds[code] = (await app.inject({ url: `/api/v1/areas/search?q=${code}`, headers: { cookie: admin } })).json()[0].id;
  }
  for (const [username, village] of [['wgy1', '370321107201'], ['wgy2', '370321107201'], ['wgy3', '370321107240']]) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: admin },
      payload: { username, displayName: username, password: 'good-pass-1', roles: [{ roleKey: 'grid_worker', areaId: areaIds[village] }] } });
    expect(r.statusCode, r.body).toBe(201);
    // a password set by an administrator must be changed first; these users have done so
    await database.db.execute(sql`UPDATE app_user SET must_change_password = false WHERE id = ${r.json().id}`);
    users[username] = { id: r.json().id, cookie: await login(app, username, 'good-pass-1') };
  }
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

describe('upload and read back', () => {
  let id: number;

  it('stores an upload and answers its view: capture time and GPS read, no flags yet', async () => {
    const now = new Date();
    const buf = await jpegWithExif(scene(1), { dateTimeOriginal: exifClock(now), lat: LAT, lng: LNG, orientation: 6 });
    const r = await upload(buf, users.wgy1.cookie);
    expect(r.statusCode, r.body).toBe(201);
    const v = r.json();
    id = v.id;
    expect(v).toMatchObject({ phase: null, stepSeq: null, flags: [], width: 800, height: 1200, url: `/api/v1/photos/${id}/file`, thumbUrl: `/api/v1/photos/${id}/thumb` });
    expect(Math.abs(new Date(v.takenAt).getTime() - now.getTime())).toBeLessThan(1000);
    expect(v.lat).toBeCloseTo(LAT, 5);
    expect(v.lng).toBeCloseTo(LNG, 5);
    const [row] = await rows<{ storageKey: string; sha256: string; mime: string; caseId: number | null; uploadedBy: number }>(database.db,
      sql`SELECT storage_key AS "storageKey", sha256, mime, case_id AS "caseId", uploaded_by AS "uploadedBy" FROM case_photo WHERE id = ${id}`);
    expect(row).toMatchObject({ mime: 'image/jpeg', caseId: null, uploadedBy: users.wgy1.id });
    expect(row.storageKey).toMatch(new RegExp(`^\\d{4}/\\d{2}/${row.sha256}\\.jpg$`));
    expect(fs.existsSync(path.join(photoDir, row.storageKey))).toBe(true);
    expect(fs.existsSync(path.join(photoDir, row.storageKey.replace('.jpg', '_thumb.jpg')))).toBe(true);
  });

  it('serves the thumbnail and the upright, metadata-free file to the uploader, with cache headers', async () => {
    const th = await app.inject({ url: `/api/v1/photos/${id}/thumb`, headers: { cookie: users.wgy1.cookie } });
    expect(th.statusCode).toBe(200);
    expect(th.headers['content-type']).toBe('image/jpeg');
    expect(th.headers['cache-control']).toContain('private');
    const tm = await sharp(th.rawPayload).metadata();
    expect([tm.width, tm.height]).toEqual([213, 320]);
    const f = await app.inject({ url: `/api/v1/photos/${id}/file`, headers: { cookie: users.wgy1.cookie } });
    expect(f.statusCode).toBe(200);
    const fm = await sharp(f.rawPayload).metadata();
    expect([fm.width, fm.height, fm.exif]).toEqual([800, 1200, undefined]);
    const again = await app.inject({ url: `/api/v1/photos/${id}/file`, headers: { cookie: users.wgy1.cookie, 'if-none-match': f.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('an unattached photo is the uploader’s only: 403 for anyone else, 404 for no such photo', async () => {
    const other = await app.inject({ url: `/api/v1/photos/${id}/thumb`, headers: { cookie: users.wgy2.cookie } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toContain('上传人');
    expect((await app.inject({ url: `/api/v1/photos/${id}/file`, headers: { cookie: admin } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/photos/99999999/file', headers: { cookie: admin } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/photos/abc/file', headers: { cookie: admin } })).statusCode).toBe(400);
    expect((await app.inject({ url: `/api/v1/photos/${id}/file` })).statusCode).toBe(401);
  });

  it('goes by the bytes: a PNG named .jpg is a PNG; a PDF or text named .jpg is 415', async () => {
    const png = await upload(await scene(2).png().toBuffer(), users.wgy1.cookie, 'IMG_0001.jpg', 'image/jpeg');
    expect(png.statusCode).toBe(201);
    const [row] = await rows<{ mime: string }>(database.db, sql`SELECT mime FROM case_photo WHERE id = ${png.json().id}`);
    expect(row.mime).toBe('image/png');
    const pdf = await upload(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n'), users.wgy1.cookie, 'photo.jpg', 'image/jpeg');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(pdf.json().error.message).toContain('JPEG、PNG 或 WebP');
    const txt = await upload(Buffer.from('现场情况说明\n'), users.wgy1.cookie, 'photo.jpg', 'image/jpeg');
    expect(txt.statusCode).toBe(415);
    const broken = await scene(3).jpeg().toBuffer();
    const cut = await upload(broken.subarray(0, broken.length >> 1), users.wgy1.cookie);
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.code).toBe('CORRUPT_IMAGE');
  });

  it('413 with a clear message over the size limit; 400 without a file', async () => {
    const small = await buildApp(testConfig({ photoDir, maxUploadBytes: 20_000 }), database);
    try {
      const big = await upload(await scene(4, 2000, 2000).png().toBuffer(), users.wgy1.cookie, 'big.png', 'image/png', small);
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('TOO_LARGE');
      expect(big.json().error.message).toContain('上限');
    } finally {
      await small.close();
    }
    const json = await app.inject({ method: 'POST', url: '/api/v1/photos', payload: { file: 'x' }, headers: { cookie: users.wgy1.cookie } });
    expect(json.statusCode).toBe(400);
    const m = multipart(Buffer.from('x'), 'a.jpg', 'image/jpeg', 'photo');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie: users.wgy1.cookie } });
    expect(wrong.statusCode).toBe(400);
    const empty = await upload(Buffer.alloc(0), users.wgy1.cookie);
    expect(empty.statusCode).toBe(400);
  });

  it('leaves no temporary files behind', () => {
    const all = fs.readdirSync(photoDir, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('attaching photos to a case', () => {
  const reportedAt = new Date(Date.now() - 3600_000);
  let caseA: number;
  let caseB: number;
  let caseC: number;
  let step1: number;
  let step2: number;

  async function newCase(no: string, areaId: number): Promise<number> {
    const [c] = await rows<{ id: number }>(database.db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, lat, lng, reported_at)
      VALUES (${no}, 'field', 'reported', (SELECT id FROM case_category WHERE code = 'T01'), ${areaId}, '测试', ${LAT}, ${LNG}, ${reportedAt.toISOString()}) RETURNING id`);
    return c.id;
  }
  async function newStep(caseId: number, seq: number): Promise<number> {
    const [s] = await rows<{ id: number }>(database.db, sql`INSERT INTO case_step (case_id, seq, action, to_state) VALUES (${caseId}, ${seq}, 'report', 'reported') RETURNING id`);
    return s.id;
  }
  const attach = (over: Partial<AttachInput> & { photoIds: number[] }) => database.db.transaction((tx) => attachPhotos(tx, {
    actorId: users.wgy1.id, caseId: caseA, stepId: step1, phase: 'before', ctx: { reportedAt, lat: LAT, lng: LNG }, ...over,
  }));
  async function failure(p: Promise<unknown>): Promise<[number, string]> {
    try {
      await p;
    } catch (e) {
      if (e instanceof DomainError) return [e.status, e.code];
      throw e;
    }
    return [0, 'ok'];
  }
  const here = (v: number, o: { at?: Date; lat?: number; q?: number } = {}) =>
    jpegWithExif(scene(v), { dateTimeOriginal: exifClock(o.at ?? new Date()), lat: o.lat ?? LAT, lng: LNG }, o.q ?? 90);

  beforeAll(async () => {
    await database.db.execute(sql`INSERT INTO case_category (code, name) VALUES ('T01', '暴露垃圾')`);
    caseA = await newCase('T-A', areaIds['370321107201']);
    caseB = await newCase('T-B', areaIds['370321107201']);
    caseC = await newCase('T-C', areaIds['370321107240']);
    step1 = await newStep(caseA, 1);
    step2 = await newStep(caseA, 2);
  });

  it('attaches "before" photos, which then readable by whoever reads the case’s area', async () => {
    const p = await uploaded(await here(10));
    expect(await attach({ photoIds: [p] })).toEqual([]);
    expect((await app.inject({ url: `/api/v1/photos/${p}/thumb`, headers: { cookie: users.wgy2.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/photos/${p}/thumb`, headers: { cookie: admin } })).statusCode).toBe(200);
    const far = await app.inject({ url: `/api/v1/photos/${p}/thumb`, headers: { cookie: users.wgy3.cookie } });
    expect(far.statusCode).toBe(403);
    expect(far.json().error.message).toContain('区域');
    const views = await photosOfCase(database.db, caseA);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: p, phase: 'before', stepSeq: 1, flags: [] });
  });

  it('refuses someone else’s photo (403), an attached one (409), a missing one (400), and more than 9 on a step (400)', async () => {
    const mine = await uploaded(await here(11));
    const theirs = await uploaded(await here(11), 'wgy2');
    expect(await failure(attach({ photoIds: [theirs], stepId: step2 }))).toEqual([403, 'FORBIDDEN']);
    const [first] = await photosOfCase(database.db, caseA);
    expect(await failure(attach({ photoIds: [first.id], stepId: step2 }))).toEqual([409, 'PHOTO_ATTACHED']);
    expect(await failure(attach({ photoIds: [99999999], stepId: step2 }))).toEqual([400, 'BAD_INPUT']);
    expect(await failure(attach({ photoIds: [mine, mine], stepId: step2 }))).toEqual([400, 'BAD_INPUT']);
    // the step already holds 1 photo: 9 more is one too many
    const nine = [mine];
    for (let i = 0; i < 8; i++) nine.push(await uploaded(await here(11)));
    expect(await failure(attach({ photoIds: nine }))).toEqual([400, 'BAD_INPUT']);
    // nothing was written by the refused calls
    const [n] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM case_photo WHERE case_id IS NOT NULL`);
    expect(n.n).toBe(1);
    expect(await attach({ photoIds: nine, stepId: step2 })).toEqual([]);
  });

  it('flags an "after" photo that is the before photo again, taken before the report, or far away', async () => {
    const same = await uploaded(await here(10, { q: 60 }));
    const old = await uploaded(await here(20, { at: new Date(reportedAt.getTime() - 86_400_000) }));
    const far = await uploaded(await here(21, { lat: LAT + 0.01 }));
    const bare = await uploaded(await scene(22).jpeg().toBuffer());
    const stepId = await newStep(caseA, 3);
    const flags = await attach({ photoIds: [same, old, far, bare], stepId, phase: 'after' });
    expect(flags.map((f) => [f.photoId, f.code])).toEqual([
      [same, 'same_as_before'], [old, 'taken_before_report'], [far, 'too_far'], [bare, 'no_capture_data'],
    ]);
    const views = await photosOfCase(database.db, caseA);
    expect(views.find((v) => v.id === far)).toMatchObject({ phase: 'after', stepSeq: 3, flags: [{ code: 'too_far', data: { distanceM: 1112, maxDistanceM: 200 } }] });
  });

  it('the distance limit and the threshold are a setting', async () => {
    expect(await evidenceSettings(database.db)).toEqual({ maxDistanceM: 200, nearThreshold: 6 });
    await database.db.execute(sql`INSERT INTO setting (key, value) VALUES ('evidence', ${JSON.stringify({ maxDistanceM: 5000, nearThreshold: 'x' })}::jsonb)`);
    expect(await evidenceSettings(database.db)).toEqual({ maxDistanceM: 5000, nearThreshold: 6 });
    const far = await uploaded(await here(23, { lat: LAT + 0.01 }));
    expect(await attach({ photoIds: [far], stepId: await newStep(caseA, 4), phase: 'check' })).toEqual([]);
    await database.db.execute(sql`DELETE FROM setting WHERE key = 'evidence'`);
  });

  it('flags a photo that another case in the county already has, exact or near', async () => {
    const again = await uploaded(await here(10, { q: 75 }));
    const flags = await attach({ caseId: caseB, stepId: await newStep(caseB, 1), photoIds: [again] });
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ code: 'same_as_other_case', photoId: again });
    expect(flags[0].message).toContain('T-A');
    // the near match is computed in SQL: a hash a few bits off still finds case A's photos
    const [{ phash }] = await rows<{ phash: string }>(database.db, sql`SELECT phash FROM case_photo WHERE id = ${again}`);
    const flipped = (BigInt(`0x${phash}`) ^ 0b1011n).toString(16).padStart(16, '0');
    const county = '370321';
    const since = new Date(reportedAt.getTime() - 90 * 86_400_000);
    const near = await otherCaseMatches(database.db, { caseId: caseC, phash: flipped, county, since, maxBits: 6 });
    expect(new Set(near.map((m) => m.caseNo))).toEqual(new Set(['T-A', 'T-B']));
    expect(await otherCaseMatches(database.db, { caseId: caseC, phash: flipped, county, since, maxBits: 2 })).toEqual([]);
    expect(await otherCaseMatches(database.db, { caseId: caseC, phash: flipped, county: '370322', since, maxBits: 6 })).toEqual([]);
    // a different picture matches nothing
    const fresh = await uploaded(await here(30), 'wgy3');
    expect(await database.db.transaction((tx) => attachPhotos(tx, { actorId: users.wgy3.id, photoIds: [fresh], caseId: caseC, stepId: null, phase: 'before', ctx: { reportedAt, lat: LAT, lng: LNG } }))).toEqual([]);
  });
});
