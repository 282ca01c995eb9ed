// Residents' reports through the HTTP API: submit, placement, abuse limits, moderation, status,
// duplicates, and the follow-up (rating, one reopen).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exifr from 'exifr';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { form, jpeg, multipart } from '../../../test/images.js';
import { jpegWithExif, scene } from '../evidence/evidence.fixtures.js';
import { setupDemo } from '../demo/demo.js';
import { rows, sql } from '../../db/client.js';
import { polygonsOf } from './placement.rules.js';
import pointInPolygon from 'point-in-polygon-hao';

let t: TestApp;
const cookies: Record<string, string> = {};
let inside: { id: number; lat: number; lng: number; name: string };
let category: string; // 暴露垃圾's code
let seed = 300;
let ipSeq = 1;

const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const post = async (url: string, payload: unknown, user = 'zhenadmin') => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: await as(user) } });
/** Each report from its own address unless one is given (the limits are per address). */
const submit = async (fields: Record<string, string | number>, photos: Buffer[] | null = null, ip = `10.0.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`) => {
  const files = (photos ?? [await jpeg(seed++)]).map((buf) => ({ buf }));
  const f = form({ category, description: '路口有一堆垃圾没人清理', lat: inside.lat, lng: inside.lng, ...fields }, files);
  return t.app.inject({ method: 'POST', url: '/api/public/reports', payload: f.payload, headers: f.headers, remoteAddress: ip });
};
const status = async (no: string, token?: string) => t.app.inject({ url: `/api/public/reports/${no}${token ? `?token=${token}` : ''}` });
const step = async (id: number, action: string, user: string, body: Record<string, unknown> = {}) => {
  const cur = (await get(`/api/v1/cases/${id}`, user)).json();
  return post(`/api/v1/cases/${id}/steps`, { action, version: cur.version, ...body }, user);
};
const photoOf = async (user: string) => {
  const m = multipart(await jpeg(seed++));
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie: await as(user) } });
  return r.json().id as number;
};

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
  // A micro-grid of wgy001's grid, and a point truly inside its boundary.
  const [g] = await rows<{ id: number; boundary: unknown; name: string }>(t.database.db, sql`SELECT m.id, m.boundary, m.name FROM app_user u
    JOIN user_role r ON r.user_id = u.id JOIN area m ON m.parent_id = r.area_id
    WHERE u.username = 'wgy001' AND m.level_key = 'micro_grid' AND m.boundary IS NOT NULL ORDER BY m.code LIMIT 1`);
  const polys = polygonsOf(typeof g!.boundary === 'string' ? JSON.parse(g!.boundary) : g!.boundary);
  const ring = polys[0]![0]!;
  const c = ring.slice(0, -1).reduce((s, p) => [s[0]! + p[0]! / (ring.length - 1), s[1]! + p[1]! / (ring.length - 1)], [0, 0]);
  expect(pointInPolygon([c[0]!, c[1]!], polys[0]!)).toBe(true);
  inside = { id: Number(g!.id), lng: c[0]!, lat: c[1]!, name: g!.name };
  const cats = (await t.app.inject({ url: '/api/public/categories' })).json();
  category = cats.items.find((x: { name: string }) => x.name === '暴露垃圾').code;
});
afterAll(async () => { await t.close(); });

describe('a resident reports', () => {
  it('lists the categories without a login, and takes a report with a photo into its micro-grid', async () => {
    const r = await submit({ phone: '138 0013 8000', name: '张三' });
    expect(r.statusCode, r.body).toBe(201);
    const s = r.json();
    expect(s).toMatchObject({ created: true, placement: 'micro_grid', areaName: inside.name, categoryName: '暴露垃圾', state: 'reported' });
    expect(s.no).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/); // the tracking number: random, not the case number
    expect(s.token.length).toBeGreaterThan(20);
    const c = (await get(`/api/v1/cases/${s.caseId}`)).json();
    expect(c).toMatchObject({ source: 'public', state: 'reported', areaId: inside.id });
    expect(c.photos).toHaveLength(1);
    // The staff see the phone only masked.
    const d = (await get(`/api/v1/intake/reports/${s.caseId}`)).json();
    expect(d.report.phone).toBe('138****8000');
    expect(d.report.reviewed).toBe(false);
    expect(d.report).toMatchObject({ publicNo: s.no, no: c.no });
    expect(c.no).not.toBe(s.no);
    const full = await post(`/api/v1/intake/reports/${s.caseId}/phone`, {});
    expect(full.json().phone).toBe('13800138000');
    // only under the duty 查看完整手机号: a village cadre of the village sees the report, not the number
    expect((await post(`/api/v1/intake/reports/${s.caseId}/phone`, {}, 'cungan01')).statusCode).toBe(403);
  });

  it('sends a point outside every micro-grid to the town queue', async () => {
    const r = await submit({ lat: 39.9, lng: 116.4 }); // Beijing: in China, outside the demo town
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().placement).toBe('queue');
    const q = (await get('/api/v1/intake/reports?view=waiting')).json();
    const mine = q.items.find((x: { publicNo: string }) => x.publicNo === r.json().no);
    expect(mine).toMatchObject({ placement: 'queue', areaLevel: 'town' });
    // The clerk places it in the right micro-grid before registering.
    const placed = await post(`/api/v1/intake/reports/${r.json().caseId}/place`, { areaId: inside.id });
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json().report).toMatchObject({ placement: 'micro_grid', areaId: inside.id });
  });

  it('the same clientId sent twice makes one report', async () => {
    const clientId = randomUUID();
    const a = await submit({ clientId });
    const b = await submit({ clientId });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ created: false, no: a.json().no, token: a.json().token });
  });

  it('refuses bad input with a message a person can act on', async () => {
    const noPhoto = await submit({}, []);
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.message).toContain('照片');
    const notImage = await submit({}, [Buffer.from('%PDF-1.4 not a picture at all')]);
    expect(notImage.statusCode).toBe(415);
    expect(notImage.json().error.message).toContain('JPEG');
    const huge = await submit({}, [Buffer.alloc(30 * 1024 * 1024, 1)]);
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('MB');
    const abroad = await submit({ lat: 48.85, lng: 2.35 });
    expect(abroad.statusCode).toBe(400);
    expect(abroad.json().error.message).toContain('不在中国境内');
    const unknown = await submit({ category: '99999999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_CATEGORY');
    const long = await submit({ description: '垃'.repeat(10 * 1024 / 3 + 10) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('太长');
    const badPhone = await submit({ phone: '12345' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.message).toContain('手机号');
    const onlyTags = await submit({ description: '<script>alert(1)</script>' });
    expect(onlyTags.statusCode).toBe(400);
    const noPoint = await submit({ lat: '', lng: '' });
    expect(noPoint.statusCode).toBe(400);
    expect(noPoint.json().error.message).toContain('位置');
    const notForm = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: { description: 'x' } });
    expect(notForm.statusCode).toBe(400);
  });

  it('strips HTML and script from the text before it is stored', async () => {
    const r = await submit({ description: '<b>河边</b>有垃圾<script>alert("x")</script><img src=x onerror=alert(1)>' });
    expect(r.statusCode, r.body).toBe(201);
    const c = (await get(`/api/v1/cases/${r.json().caseId}`)).json();
    expect(c.description).toBe('河边有垃圾');
  });

  it('limits a flood from one address and from one phone, with a clear message and Retry-After', async () => {
    const ip = '192.168.77.1';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await submit({}, null, ip)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    const last = await submit({}, null, ip);
    expect(last.json().error).toMatchObject({ code: 'TOO_MANY_REPORTS' });
    expect(last.json().error.message).toContain('10 分钟');
    expect(last.headers['retry-after']).toBe('600');
    const phone = '13912345678';
    const byPhone: number[] = [];
    for (let i = 0; i < 11; i++) byPhone.push((await submit({ phone })).statusCode);
    expect(byPhone.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(byPhone[10]).toBe(429);
  });
});

describe('behind a reverse proxy', () => {
  it('limits per resident address from X-Forwarded-For when WANGGE_TRUST_PROXY is set, and per proxy when not', async () => {
    const { buildApp } = await import('../../app.js');
    const { testConfig } = await import('../../../test/helpers.js');
    const proxied = await buildApp(testConfig({ trustProxy: 1 }), t.database);
    const plain = await buildApp(testConfig(), t.database);
    const send = async (app: typeof proxied, forwarded: string) => {
      const f = form({ category, description: '门口垃圾', lat: inside.lat, lng: inside.lng }, [{ buf: await jpeg(seed++) }]);
      return (await app.inject({ method: 'POST', url: '/api/public/reports', payload: f.payload, headers: { ...f.headers, 'x-forwarded-for': forwarded }, remoteAddress: '10.200.0.1' })).statusCode;
    };
    const viaProxy: number[] = [];
    for (let i = 0; i < 7; i++) viaProxy.push(await send(proxied, `203.0.113.${i}`));
    expect(viaProxy.every((c) => c === 201)).toBe(true); // seven residents, one each
    const direct: number[] = [];
    for (let i = 0; i < 7; i++) direct.push(await send(plain, `203.0.113.${i}`));
    expect(direct.filter((c) => c === 429).length).toBeGreaterThan(0); // the header is not trusted: one address
    await proxied.close(); await plain.close();
  });
});

describe('categories as the public sees them', () => {
  it('lists the questions a category asks, and refuses a bad question list', async () => {
    const cats = (await t.app.inject({ url: '/api/public/categories' })).json().items;
    const car = cats.find((c: { name: string }) => c.name === '废弃车辆');
    expect(car.attributes).toEqual([expect.objectContaining({ code: 'plate', datatype: 'string', required: false })]);
    const all = (await get('/api/v1/case-categories', 'admin')).json();
    const target = all.find((c: { name: string }) => c.name === '乱贴乱画');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/case-categories/${target.id}`, headers: { cookie: await as('admin') },
      payload: { publicAttributes: [{ code: 'where', description: '位置', datatype: 'singlevaluelist', required: true, order: 1, values: [] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('选择题');
    const hide = await t.app.inject({ method: 'PATCH', url: `/api/v1/case-categories/${target.id}`, headers: { cookie: await as('admin') }, payload: { publicVisible: false } });
    expect(hide.statusCode, hide.body).toBe(200);
    const after = (await t.app.inject({ url: '/api/public/categories' })).json().items;
    expect(after.map((c: { name: string }) => c.name)).not.toContain('乱贴乱画');
    await t.app.inject({ method: 'PATCH', url: `/api/v1/case-categories/${target.id}`, headers: { cookie: await as('admin') }, payload: { publicVisible: true } });
  });
});

describe('what the public sees', () => {
  it('shows nothing personal, and the text and photos only after review; hidden photos never', async () => {
    const withGps = await jpegWithExif(scene(7), { lat: inside.lat, lng: inside.lng, dateTimeOriginal: '2026:11:01 09:30:00' });
    const r = await submit({ phone: '13700001111', description: '张三家门口 13700001111 堆了杂物' }, [withGps, await jpeg(seed++)]);
    expect(r.statusCode, r.body).toBe(201);
    const { no, token, caseId } = r.json();
    const before = (await status(no)).json();
    // Unreviewed: the category, the status, the dates and the village; no text, no photos, no point.
    expect(before).toMatchObject({ no, status: 'received', statusText: '已收到，待受理', reviewed: false, description: null, photos: [], phone: null, mine: false,
      lat: null, lng: null, address: null, category: { code: category } });
    expect(before.place).toMatch(/村/);
    expect(JSON.stringify(before)).not.toContain('13700001111');
    // The reporter sees their own text and photos, and their phone masked.
    const own = (await status(no, token)).json();
    expect(own).toMatchObject({ mine: true, phone: '137****1111', description: '张三家门口 13700001111 堆了杂物' });
    expect(own.photos).toHaveLength(2);
    // Staff redact the text and hide one photo, then publish.
    const d = (await get(`/api/v1/cases/${caseId}`)).json();
    expect((await post(`/api/v1/intake/photos/${d.photos[1].id}/hidden`, { hidden: true })).statusCode).toBe(200);
    const rev = await post(`/api/v1/intake/reports/${caseId}/review`, { publicText: '某户门口堆了杂物' });
    expect(rev.statusCode, rev.body).toBe(200);
    const after = (await status(no)).json();
    expect(after).toMatchObject({ reviewed: true, description: '某户门口堆了杂物' });
    expect(after.photos).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain('13700001111');
    // The served photo has no capture data (GPS, time) left in it.
    const img = await t.app.inject({ url: after.photos[0].url });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    const meta = await exifr.parse(img.rawPayload, { gps: true }).catch(() => undefined);
    expect(meta?.latitude).toBeUndefined();
    expect(meta?.DateTimeOriginal).toBeUndefined();
    const hidden = await t.app.inject({ url: `/api/public/reports/${no}/photos/${d.photos[1].id}/file` });
    expect(hidden.statusCode).toBe(404);
    // Coordinates are shown only to about 100 m.
    expect(after.lat).toBe(Math.round(inside.lat * 1000) / 1000);
  });

  it('answers a wrong or unknown number clearly', async () => {
    expect((await status('K7QM2XPD93TA')).statusCode).toBe(404);
    const bad = await status('abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('编号');
  });

  it('finds a report by its tracking number as typed, and by the sequential case number only with the reporter’s token', async () => {
    const r = (await submit({})).json();
    const caseNo = (await get(`/api/v1/cases/${r.caseId}`)).json().no as string;
    const typed = `${r.no.slice(0, 4)}-${r.no.slice(4, 8)}-${r.no.slice(8)}`.toLowerCase();
    expect((await status(typed)).json()).toMatchObject({ no: r.no });
    // counting through case numbers finds nothing: without the token a case number is refused, with another's token not found
    const byCase = await status(caseNo);
    expect(byCase.statusCode).toBe(400);
    expect(byCase.json().error.message).toContain('12 位');
    expect((await status(caseNo, 'x'.repeat(24))).statusCode).toBe(404);
    const own = await status(caseNo, r.token); // a link saved on the phone before tracking numbers
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ no: r.no, mine: true });
    expect(JSON.stringify(own.json())).not.toContain(caseNo);
    const rate = await t.app.inject({ method: 'POST', url: `/api/public/reports/${caseNo}/rating`, payload: { token: 'y'.repeat(24), rating: 'satisfied' } });
    expect(rate.statusCode).toBe(404);
  });
});

describe('duplicates and the loop to the resident', () => {
  it('offers open cases of the same category within the radius, and merges one as a duplicate', async () => {
    // A category no other test reports in, so the nearby list holds only these.
    const cats = (await t.app.inject({ url: '/api/public/categories' })).json().items;
    const other = cats.find((c: { name: string }) => c.name === '乱堆物堆料').code;
    const first = (await submit({ category: other })).json();
    const near = (await submit({ category: other, lat: inside.lat + 0.0003 })).json(); // about 33 m north
    const far = (await submit({ category: other, lat: inside.lat + 0.01 })).json(); // about 1.1 km
    const elsewhere = (await submit({ lat: inside.lat + 0.0003 })).json(); // the same place, another category
    const d = (await get(`/api/v1/intake/reports/${near.caseId}`)).json();
    expect(d.duplicates.radiusM).toBeGreaterThan(0);
    const ids = d.duplicates.list.map((x: { id: number }) => x.id);
    expect(ids).toContain(first.caseId);
    expect(ids).not.toContain(far.caseId);
    expect(ids).not.toContain(elsewhere.caseId);
    const hit = d.duplicates.list.find((x: { id: number }) => x.id === first.caseId);
    expect(hit.distanceM).toBeLessThanOrEqual(d.duplicates.radiusM);
    const c = (await get(`/api/v1/cases/${near.caseId}`)).json();
    const m = await post(`/api/v1/intake/reports/${near.caseId}/merge`, { into: hit.no, version: c.version }); // staff merge by the case number
    expect(m.statusCode, m.body).toBe(200);
    const s = (await status(near.no, near.token)).json();
    expect(s).toMatchObject({ status: 'refused', duplicateOf: first.no }); // the public sees the other report's tracking number
    expect(s.timeline.at(-1).label).toContain('重复');
  });

  it('runs from report to closed; the reporter rates, reopens once, and rates again', async () => {
    const r = (await submit({ phone: '13600002222' })).json();
    const early = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'satisfied' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('办结后');
    expect((await step(r.caseId, 'register', 'zhenadmin')).statusCode).toBe(200);
    const [w] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM app_user WHERE username = 'wgy001'`);
    expect((await step(r.caseId, 'dispatch', 'zhenadmin', { assigneeId: Number(w!.id) })).statusCode).toBe(200);
    expect((await step(r.caseId, 'feedback', 'wgy001', { note: '已清理', photoIds: [await photoOf('wgy001')] })).statusCode).toBe(200);
    expect((await step(r.caseId, 'pass', 'zhenadmin')).statusCode).toBe(200);
    const closed = (await status(r.no, r.token)).json();
    expect(closed).toMatchObject({ status: 'closed', statusText: '已办结', canRate: true, canReopen: true });
    expect(closed.timeline.map((x: { action: string }) => x.action)).toEqual(['report', 'register', 'dispatch', 'feedback', 'pass']);
    // No names of staff in the public timeline.
    expect(JSON.stringify(closed.timeline)).not.toMatch(/wgy001|网格员/);

    const wrong = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: 'x'.repeat(24), rating: 'satisfied' } });
    expect(wrong.statusCode).toBe(403);
    const badRating = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'great' } });
    expect(badRating.statusCode).toBe(400);
    const rated = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'unsatisfied', note: '没扫干净' } });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ rating: { key: 'unsatisfied', text: '不满意' }, canRate: false, canReopen: true });
    const twice = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'satisfied' } });
    expect(twice.statusCode).toBe(409);

    const re = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/reopen`, payload: { token: r.token, reason: '角落里还有' } });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ status: 'in_progress', reopened: true, canReopen: false });
    const c = (await get(`/api/v1/cases/${r.caseId}`)).json();
    expect(c).toMatchObject({ state: 'dispatched', closedAt: null, fixedAt: null });
    expect(c.dueAt).toBeTruthy();
    expect(c.steps.at(-1)).toMatchObject({ action: 'reopen', note: '角落里还有' });
    // Fixed again and closed: a second rating is welcome, a second reopen is not.
    expect((await step(r.caseId, 'feedback', 'wgy001', { note: '角落也清了', photoIds: [await photoOf('wgy001')] })).statusCode).toBe(200);
    expect((await step(r.caseId, 'pass', 'zhenadmin')).statusCode).toBe(200);
    const again = (await status(r.no, r.token)).json();
    expect(again).toMatchObject({ canRate: true, canReopen: false });
    expect(again.whyNotReopen).toContain('一次');
    const re2 = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/reopen`, payload: { token: r.token, reason: '还是不行' } });
    expect(re2.statusCode).toBe(409);
    const rated2 = await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'satisfied' } });
    expect(rated2.statusCode, rated2.body).toBe(200);
  });

  it('keeps staff out of reports outside their areas', async () => {
    const r = (await submit({})).json();
    // A resident cadre of the last village does not see a report from wgy001's micro-grid.
    const [v] = await rows<{ path: string }>(t.database.db, sql`SELECT path FROM area WHERE id = ${inside.id}`);
    const [u] = await rows<{ username: string }>(t.database.db, sql`SELECT u.username FROM app_user u JOIN user_role ur ON ur.user_id = u.id
      JOIN area a ON a.id = ur.area_id WHERE ur.role_key = 'resident_cadre' AND ${v!.path} NOT LIKE a.path || '%' ORDER BY u.username LIMIT 1`);
    const other = await get(`/api/v1/intake/reports/${r.caseId}`, u!.username);
    expect(other.statusCode).toBe(403);
    const theirs = (await get('/api/v1/intake/reports?view=all', u!.username)).json();
    expect(theirs.items.map((x: { caseId: number }) => x.caseId)).not.toContain(r.caseId);
    const q = await get('/api/v1/intake/reports');
    expect(q.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/intake/reports' })).statusCode).toBe(401);
  });
});

describe('duplicates stay inside the clerk’s areas', () => {
  it('a district’s clerk is not offered another district’s open case, even 10 m away, and cannot merge into it', async () => {
    const db = t.database.db;
    // 村 A: wgy001's, in district A; 村 B: any village of another district; the clerk: the office holding district A.
    const [a] = await rows<{ path: string; districtPath: string }>(db, sql`SELECT m.path, d.path AS "districtPath" FROM area m
      JOIN area d ON m.path LIKE d.path || '%' AND d.level_key = 'district' WHERE m.id = ${inside.id}`);
    const [clerk] = await rows<{ username: string }>(db, sql`SELECT u.username FROM user_role ur JOIN app_user u ON u.id = ur.user_id
      JOIN area d ON d.id = ur.area_id WHERE d.path = ${a!.districtPath} AND ur.role_key LIKE '%_office' LIMIT 1`);
    const [b] = await rows<{ id: number }>(db, sql`SELECT m.id FROM area m JOIN area d ON m.path LIKE d.path || '%' AND d.level_key = 'district'
      WHERE m.level_key = 'micro_grid' AND d.path <> ${a!.districtPath} ORDER BY m.code LIMIT 1`);
    // A category no other test reports in, so the nearby list holds only these.
    const cats = (await t.app.inject({ url: '/api/public/categories' })).json().items as { code: string; name: string }[];
    const cat = cats.find((c) => !['暴露垃圾', '乱堆物堆料'].includes(c.name))!;
    const catId = ((await get('/api/v1/case-categories')).json() as { id: number; code: string }[]).find((c) => c.code === cat.code)!.id;
    const report = (await submit({ category: cat.code })).json();
    const tenMetres = 0.00009; // of latitude
    const open = async (areaId: number, lat: number) => {
      const r = await post('/api/v1/cases', { source: 'phone', categoryId: catId, areaId, lat, lng: inside.lng, description: '同一处的问题' });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; no: string };
    };
    const theirs = await open(Number(b!.id), inside.lat + tenMetres); // placed in another district's village, 10 m away
    const ours = await open(inside.id, inside.lat - tenMetres);

    const nos = async (user: string) => {
      const r = await get(`/api/v1/intake/reports/${report.caseId}`, user);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().duplicates.list.map((x: { no: string }) => x.no) as string[];
    };
    expect(await nos('zhenadmin')).toEqual(expect.arrayContaining([theirs.no, ours.no])); // the town reads both districts
    const offered = await nos(clerk!.username);
    expect(offered).toContain(ours.no);
    expect(offered).not.toContain(theirs.no);

    const version = (await get(`/api/v1/cases/${report.caseId}`)).json().version;
    const outside = await post(`/api/v1/intake/reports/${report.caseId}/merge`, { into: theirs.no, version }, clerk!.username);
    expect(outside.statusCode).toBe(403);
    const inside_ = await post(`/api/v1/intake/reports/${report.caseId}/merge`, { into: ours.no, version }, clerk!.username);
    expect(inside_.statusCode, inside_.body).toBe(200);
  });
});

describe('the 12345 rates on the scorecard', () => {
  it('counts residents’ reports, answers within 24 h, resolutions and satisfaction per village, matching their records', async () => {
    const [v] = await rows<{ id: number }>(t.database.db, sql`SELECT p.parent_id AS id FROM area m JOIN area p ON p.id = m.parent_id WHERE m.id = ${inside.id}`);
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7).replace('-', '');
    const card = async () => {
      const r = await get(`/api/v1/scores/scorecard?areaId=${v!.id}&period=${month}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const before = (await card()).total.facts;
    const r = (await submit({})).json();
    expect((await step(r.caseId, 'register', 'zhenadmin')).statusCode).toBe(200);
    const [w] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM app_user WHERE username = 'wgy001'`);
    await step(r.caseId, 'dispatch', 'zhenadmin', { assigneeId: Number(w!.id) });
    await step(r.caseId, 'feedback', 'wgy001', { note: '好了', photoIds: [await photoOf('wgy001')] });
    await step(r.caseId, 'pass', 'zhenadmin');
    await t.app.inject({ method: 'POST', url: `/api/public/reports/${r.no}/rating`, payload: { token: r.token, rating: 'basically' } });
    const after = (await card()).total.facts;
    expect(after.public_reports - before.public_reports).toBe(1);
    expect(after.public_responded - before.public_responded).toBe(1);
    expect(after.public_handled - before.public_handled).toBe(1);
    expect(after.public_resolved - before.public_resolved).toBe(1);
    expect(after.public_rated - before.public_rated).toBe(1);
    expect(after.public_satisfied - before.public_satisfied).toBe(1);
    const codes = (await card()).indicators.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['public_response_rate', 'public_resolution_rate', 'public_satisfaction_rate']));
    for (const fact of ['public_reports', 'public_satisfied']) {
      const rec = (await get(`/api/v1/scores/records?areaId=${v!.id}&period=${month}&fact=${fact}`)).json();
      expect(rec.total).toBe(after[fact]);
    }
  });
});

describe('residents’ contact details are kept for a set time only', () => {
  it('the retention setting is read by the intake’s readers, set by a global administrator only, and audited', async () => {
    expect((await get('/api/v1/intake/retention')).json()).toEqual({ contactDays: 180 });
    const put = (body: unknown, user: string) => t.app.inject({ method: 'PUT', url: '/api/v1/intake/retention', payload: body as object, headers: { cookie: cookies[user]! } });
    await as('admin'); await as('zhenadmin');
    expect((await put({ contactDays: 90 }, 'zhenadmin')).statusCode).toBe(403);
    const short = await put({ contactDays: 7 }, 'admin');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('30');
    const ok = await put({ contactDays: 60 }, 'admin');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ contactDays: 60 });
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'intake.retention'`);
    expect(a!.n).toBe(1);
  });

  it('the job removes phone, its hash, name, e-mail and device from reports closed longer ago, once, and keeps the rest', async () => {
    const { purgeContacts } = await import('./intake.service.js');
    const db = t.database.db;
    const old = (await submit({ phone: '13511112222', name: '赵大爷', deviceId: 'dev-1' })).json();
    const recent = (await submit({ phone: '13511113333', name: '钱阿姨' })).json();
    const open = (await submit({ phone: '13511114444', name: '孙师傅' })).json();
    const closeAgo = async (caseId: number, days: number) => db.execute(sql`UPDATE case_file SET state = 'closed',
      closed_at = now() - make_interval(days => ${days}), updated_at = now() - make_interval(days => ${days}) WHERE id = ${caseId}`);
    await closeAgo(old.caseId, 61); // the setting above: 60 days
    await closeAgo(recent.caseId, 59);
    const first = await purgeContacts(db);
    expect(first.purged).toBeGreaterThanOrEqual(1); // this one, and any demo report closed that long ago
    expect((await purgeContacts(db)).purged).toBe(0); // nothing twice
    const contact = async (caseId: number) => (await rows<Record<string, unknown>>(db, sql`SELECT p.phone, p.phone_hash, p.name, p.email, p.device_id, p.ip_hash,
      p.contact_purged_at, p.public_no, p.token, c.reporter_name, c.description FROM public_report p JOIN case_file c ON c.id = p.case_id WHERE p.case_id = ${caseId}`))[0]!;
    const gone = await contact(old.caseId);
    expect(gone).toMatchObject({ phone: null, phone_hash: null, name: null, email: null, device_id: null, ip_hash: null, reporter_name: '群众' });
    expect(gone.contact_purged_at).toBeTruthy();
    expect(gone).toMatchObject({ public_no: old.no, description: '路口有一堆垃圾没人清理' }); // the report itself stays
    expect(await contact(recent.caseId)).toMatchObject({ phone: '13511113333', name: '钱阿姨', contact_purged_at: null });
    expect(await contact(open.caseId)).toMatchObject({ phone: '13511114444', contact_purged_at: null });
    // staff see that it was removed; the reporter still follows it with the token
    const d = (await get(`/api/v1/intake/reports/${old.caseId}`)).json();
    expect(d.report).toMatchObject({ phone: null, name: null, contactPurged: true });
    expect((await post(`/api/v1/intake/reports/${old.caseId}/phone`, {})).json()).toMatchObject({ phone: null, contactPurged: true });
    expect((await status(old.no, old.token)).json()).toMatchObject({ mine: true, phone: null });
    const [audit] = await rows<{ after: { reports: number; caseIds: number[] }; area_path: string | null }>(db,
      sql`SELECT after, area_path FROM audit_log WHERE action = 'intake.contact.purge' ORDER BY id DESC LIMIT 1`);
    const after = typeof audit!.after === 'string' ? JSON.parse(audit!.after) : audit!.after;
    expect(after.caseIds).toContain(old.caseId);
    expect(after.reports).toBe(first.purged);
    expect(audit!.area_path).toMatch(/^\/(\d+\/)+$/);
  });
});
