// Open311 GeoReport v2 through HTTP, as a partner's app would use it: discovery, services and
// their definitions, posting with an api_key, querying requests and updates, in JSON and XML,
// errors in the spec's shape; and the partner keys' administration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { form as multipartForm, jpeg, multipart } from '../../../test/images.js';
import { setupDemo } from '../demo/demo.js';
import { rows, sql } from '../../db/client.js';
import { polygonsOf } from '../intake/placement.rules.js';

let t: TestApp;
const cookies: Record<string, string> = {};
let inside: { lat: number; lng: number };
let service: string; // 暴露垃圾, with attributes
let plain: string; // another public category, without attributes
let key: string;
let ipSeq = 1;
const TOWN = '370321107';
const PERSONAL = ['13700001111', 'li.si@example.org', '李四', 'ACC-778'];

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (n) => ['service', 'request', 'error', 'attribute', 'value', 'format', 'endpoint', 'request_update'].includes(n),
});
const as = async (user: string) => (cookies[user] ??= user === 'admin' ? await login(t.app, 'admin', ADMIN_PASSWORD) : await login(t.app, user, 'demo1234'));
const get = async (url: string, user = 'zhenadmin') => t.app.inject({ url, headers: { cookie: await as(user) } });
const post = async (url: string, payload: unknown, user = 'zhenadmin') => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: await as(user) } });
const encode = (o: Record<string, string | number | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of [v].flat()) p.append(k, String(x));
  return p.toString();
};
const open311 = (url: string) => t.app.inject({ url: `/open311/v2/${url}` });
/** A partner's POST, form-encoded as the spec says, each from its own address. */
const submit = (fields: Record<string, string | number | string[]>, format = 'json') => t.app.inject({
  method: 'POST', url: `/open311/v2/requests.${format}`, payload: encode(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: `10.9.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`,
});
const good = () => ({ api_key: key, service_code: service, lat: inside.lat, long: inside.lng, description: '路口有一堆垃圾没人清理', 'attribute[SIZE]': 'L' });
const step = async (id: number, action: string, user: string, body: Record<string, unknown> = {}) => {
  const cur = (await get(`/api/v1/cases/${id}`, user)).json();
  const r = await post(`/api/v1/cases/${id}/steps`, { action, version: cur.version, ...body }, user);
  expect(r.statusCode, r.body).toBe(200);
};
const caseOf = async (no: string) => {
  const [c] = await rows<{ id: number; source: string; channel: string; partnerId: number; attributes: unknown; phone: string; email: string; name: string }>(t.database.db, sql`
    SELECT c.id, c.source, p.channel, p.partner_id AS "partnerId", p.attributes, p.phone, p.email, p.name FROM case_file c JOIN public_report p ON p.case_id = c.id WHERE p.public_no = ${no}`);
  return { ...c!, id: Number(c!.id), partnerId: Number(c!.partnerId), attributes: typeof c!.attributes === 'string' ? JSON.parse(c!.attributes) : c!.attributes };
};
/** Checks an error answer is the spec's: [{code, description}] in JSON, <errors><error> in XML, with the HTTP status. */
const specError = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, format: 'json' | 'xml') => {
  expect(res.statusCode, res.body).toBe(status);
  if (format === 'json') {
    expect(String(res.headers['content-type'])).toContain('application/json');
    const list = JSON.parse(res.body);
    expect(Array.isArray(list)).toBe(true);
    expect(list[0]).toMatchObject({ code: status, description: expect.any(String) });
    return list[0].description as string;
  }
  expect(String(res.headers['content-type'])).toContain('text/xml');
  const e = parser.parse(res.body).errors.error;
  expect(e[0].code).toBe(String(status));
  return e[0].description as string;
};

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
  const [g] = await rows<{ boundary: unknown }>(t.database.db, sql`SELECT m.boundary FROM app_user u JOIN user_role r ON r.user_id = u.id
    JOIN area m ON m.parent_id = r.area_id WHERE u.username = 'wgy001' AND m.level_key = 'micro_grid' AND m.boundary IS NOT NULL ORDER BY m.code LIMIT 1`);
  const ring = polygonsOf(typeof g!.boundary === 'string' ? JSON.parse(g!.boundary) : g!.boundary)[0]![0]!;
  const c = ring.slice(0, -1).reduce((s, p) => [s[0]! + p[0]! / (ring.length - 1), s[1]! + p[1]! / (ring.length - 1)], [0, 0]);
  inside = { lng: c[0]!, lat: c[1]! };
  const cats = (await t.app.inject({ url: '/api/public/categories' })).json().items as { code: string; name: string }[];
  service = cats.find((x) => x.name === '暴露垃圾')!.code;
  plain = cats.find((x) => x.code !== service)!.code;
  await t.database.db.execute(sql`UPDATE case_category SET public_attributes = ${JSON.stringify([
    { code: 'SIZE', datatype: 'singlevaluelist', required: true, description: '垃圾大约有多少', values: [{ key: 'S', name: '一两袋' }, { key: 'L', name: '一车以上' }] },
    { code: 'KINDS', datatype: 'multivaluelist', description: '有哪些垃圾', values: [{ key: 'food', name: '厨余' }, { key: 'plastic', name: '塑料' }, { key: 'rubble', name: '建筑垃圾' }] },
    { code: 'NOTE', datatype: 'text', description: '补充说明' },
  ])}::jsonb WHERE code = ${service}`);
  const created = await post('/api/v1/open311/partners', { name: '城市服务 App' }, 'admin'); // an install-wide duty: the global administrator
  expect(created.statusCode, created.body).toBe(201);
  key = created.json().key;
});
afterAll(async () => { await t.close(); });

describe('partner keys', () => {
  it('are made by an administrator, shown once, kept as a hash, and audited', async () => {
    expect(key).toMatch(/^w311_[A-Za-z0-9_-]{32}$/);
    const list = await get('/api/v1/open311/partners', 'admin');
    expect(list.statusCode).toBe(200);
    const p = list.json().items.find((x: { name: string }) => x.name === '城市服务 App');
    expect(p).toMatchObject({ keyPrefix: key.slice(0, 9), active: true, createdBy: expect.any(String), lastUsedAt: null });
    expect(list.body).not.toContain(key);
    const [row] = await rows<{ keyHash: string }>(t.database.db, sql`SELECT key_hash AS "keyHash" FROM open311_partner WHERE id = ${p.id}`);
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.keyHash).not.toContain(key);
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'open311.partner.create' AND entity_id = ${String(p.id)}`);
    expect(a!.n).toBe(1);
  });
  it('are not for other staff, and a name is required', async () => {
    expect((await get('/api/v1/open311/partners', 'wgy001')).statusCode).toBe(403);
    expect((await post('/api/v1/open311/partners', { name: 'x' }, 'wgy001')).statusCode).toBe(403);
    expect((await get('/api/v1/open311/partners')).statusCode).toBe(403); // a town administrator neither
    expect((await post('/api/v1/open311/partners', { name: '  <b></b> ' }, 'admin')).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/open311/partners' })).statusCode).toBe(401);
    expect((await post('/api/v1/open311/partners/999999/deactivate', {}, 'admin')).statusCode).toBe(404);
  });
});

describe('discovery and services', () => {
  it('answers discovery in JSON and XML', async () => {
    const j = await open311('discovery.json');
    expect(j.statusCode).toBe(200);
    expect(j.json()).toMatchObject({ changeset: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] }] });
    expect(j.json().endpoints[0].url).toMatch(/^http:\/\/[^/]+\/open311\/v2$/);
    const x = await open311('discovery.xml');
    expect(x.headers['content-type']).toContain('text/xml');
    const d = parser.parse(x.body).discovery;
    expect(d.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    // Behind a proxy: the address partners reach us at.
    const proxied = await t.app.inject({ url: '/open311/v2/discovery.json', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'wangge.example.gov.cn' } });
    expect(proxied.json().endpoints[0].url).toBe('https://wangge.example.gov.cn/open311/v2');
    const odd = await t.app.inject({ url: '/open311/v2/discovery.json', headers: { 'x-forwarded-host': '<script>' } });
    expect(odd.json().endpoints[0].url).toBe('http://localhost/open311/v2');
  });

  it('lists the categories as services, with metadata where they ask questions', async () => {
    const j = (await open311('services.json')).json();
    expect(Array.isArray(j)).toBe(true);
    const s = j.find((x: { service_code: string }) => x.service_code === service);
    expect(s).toMatchObject({ service_name: '暴露垃圾', metadata: true, type: 'realtime', group: expect.any(String) });
    expect(j.find((x: { service_code: string }) => x.service_code === plain).metadata).toBe(false);
    const xml = await open311('services.xml');
    expect(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const list = parser.parse(xml.body).services.service;
    expect(list).toHaveLength(j.length);
    expect(Object.keys(list[0])).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    // No extension: XML, the spec's required format.
    expect(parser.parse((await open311('services')).body).services.service).toHaveLength(j.length);
  });

  it('gives a service definition in JSON and XML, and 404 for an unknown code', async () => {
    const j = (await open311(`services/${service}.json`)).json();
    expect(j.service_code).toBe(service);
    expect(j.attributes[0]).toEqual({ variable: true, code: 'SIZE', datatype: 'singlevaluelist', required: true, datatype_description: null, order: 1,
      description: '垃圾大约有多少', values: [{ key: 'S', name: '一两袋' }, { key: 'L', name: '一车以上' }] });
    const x = parser.parse((await open311(`services/${service}.xml`)).body).service_definition;
    expect(x.attributes.attribute.map((a: { code: string }) => a.code)).toEqual(['SIZE', 'KINDS', 'NOTE']);
    expect(x.attributes.attribute[1].values.value[2]).toEqual({ key: 'rubble', name: '建筑垃圾' });
    expect(specError(await open311('services/nope.json'), 404, 'json')).toContain('service_code');
    specError(await open311('services/nope.xml'), 404, 'xml');
    specError(await open311(`services/${service}.csv`), 400, 'xml');
    specError(await open311('nothing-here.json'), 404, 'json');
  });
});

describe('POST requests', () => {
  it('makes a resident report from a partner, with the id at once', async () => {
    const r = await submit({ ...good(), 'attribute[KINDS][]': ['food', 'plastic'], account_id: 'ACC-778', phone: '13700001111', email: 'li.si@example.org',
      first_name: '四', last_name: '李', device_id: 'dev-1', media_url: 'https://cdn.example.org/p/1.jpg' });
    expect(r.statusCode, r.body).toBe(200);
    const [body] = r.json();
    expect(body).toMatchObject({ service_request_id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/), service_notice: expect.stringContaining('已收到'), account_id: 'ACC-778' });
    const c = await caseOf(body.service_request_id);
    expect(c).toMatchObject({ source: 'public', channel: 'open311', phone: '13700001111', email: 'li.si@example.org', name: '李四' });
    expect(c.attributes).toEqual({ SIZE: 'L', KINDS: ['food', 'plastic'], media_url: 'https://cdn.example.org/p/1.jpg' });
    const p = (await get('/api/v1/open311/partners', 'admin')).json().items.find((x: { name: string }) => x.name === '城市服务 App');
    expect(c.partnerId).toBe(p.id);
    expect(p.lastUsedAt).not.toBeNull();
    const staff = (await get(`/api/v1/cases/${c.id}`)).json();
    expect(staff).toMatchObject({ source: 'public', state: 'reported' });
  });

  it('answers in XML, and takes an address instead of a point', async () => {
    const r = await submit({ api_key: key, service_code: plain, address_string: '毛家村村委会东 50 米' }, 'xml');
    expect(r.statusCode, r.body).toBe(200);
    const req = parser.parse(r.body).service_requests.request[0];
    expect(req.service_request_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/); // the tracking number, not the case number
    expect(Object.keys(req)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    // No description: the service's name stands for it.
    const [c] = await rows<{ description: string; placement: string }>(t.database.db, sql`SELECT c.description, p.placement FROM case_file c
      JOIN public_report p ON p.case_id = c.id WHERE p.public_no = ${req.service_request_id}`);
    expect(c!.description).toContain('未附描述');
    expect(c!.placement).toBe('queue');
  });

  it('takes a photo sent as multipart', async () => {
    const f = multipartForm({ api_key: key, service_code: plain, lat: inside.lat, long: inside.lng, description: '墙角有建筑垃圾' }, [{ name: 'media', buf: await jpeg(41) }]);
    const r = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: f.payload, headers: f.headers });
    expect(r.statusCode, r.body).toBe(200);
    const c = await caseOf(r.json()[0].service_request_id);
    expect((await get(`/api/v1/cases/${c.id}`)).json().photos).toHaveLength(1);
  });

  it('refuses a missing, wrong or deactivated key with 403, in both formats', async () => {
    const { api_key: _k, ...noKey } = good();
    for (const format of ['json', 'xml'] as const) {
      expect(specError(await submit(noKey, format), 403, format)).toContain('api_key');
      expect(specError(await submit({ ...good(), api_key: 'w311_' + 'x'.repeat(32) }, format), 403, format)).toContain('api_key');
    }
    const made = (await post('/api/v1/open311/partners', { name: '旧合作方' }, 'admin')).json();
    expect((await submit({ ...good(), api_key: made.key })).statusCode).toBe(200);
    const off = await post(`/api/v1/open311/partners/${made.partner.id}/deactivate`, {}, 'admin');
    expect(off.json()).toMatchObject({ active: false });
    for (const format of ['json', 'xml'] as const) expect(specError(await submit({ ...good(), api_key: made.key }, format), 403, format)).toContain('停用');
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'open311.partner.deactivate'`);
    expect(a!.n).toBe(1);
  });

  it('answers 404 for an unknown service_code and 400 for bad fields, in the spec’s shape', async () => {
    for (const format of ['json', 'xml'] as const) {
      expect(specError(await submit({ ...good(), service_code: '99999999' }, format), 404, format)).toContain('service_code');
      expect(specError(await submit({ ...good(), lat: 'north' }, format), 400, format)).toContain('经纬度');
      expect(specError(await submit({ ...good(), lat: 48.85, long: 2.35 }, format), 400, format)).toContain('不在中国境内');
      const { 'attribute[SIZE]': _s, ...noSize } = good();
      expect(specError(await submit(noSize, format), 400, format)).toContain('attribute[SIZE]');
      expect(specError(await submit({ ...good(), 'attribute[SIZE]': 'XXL' }, format), 400, format)).toContain('S, L');
    }
    specError(await submit({ ...good(), 'attribute[KINDS][]': ['food', 'glass'] }), 400, 'json');
    specError(await submit({ ...good(), service_code: '' }), 400, 'json');
    specError(await submit({ api_key: key, service_code: plain }), 400, 'json'); // no place at all
    specError(await submit({ ...good(), media_url: 'javascript:alert(1)' }), 400, 'json');
    specError(await submit({ ...good(), phone: '12345' }), 400, 'json');
    specError(await submit({ ...good(), service_code: [service, plain] }), 400, 'json');
    const twoErrors = JSON.parse((await submit({ ...good(), 'attribute[SIZE]': 'XXL', media_url: 'ftp://x' })).body);
    expect(twoErrors).toHaveLength(2);
    const notForm = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(notForm.statusCode).toBeGreaterThanOrEqual(400);
    expect(notForm.statusCode).toBeLessThan(500);
    specError(notForm, notForm.statusCode, 'json');
  });
});

describe('GET requests', () => {
  let a: string; let b: string; let old: string;
  beforeAll(async () => {
    a = (await submit({ ...good(), phone: '13700001111', email: 'li.si@example.org', first_name: '四', last_name: '李', account_id: 'ACC-778',
      description: '李四家门口 13700001111 堆了杂物' })).json()[0].service_request_id;
    b = (await submit({ api_key: key, service_code: plain, lat: inside.lat, long: inside.lng, description: '路灯不亮' })).json()[0].service_request_id;
    old = (await submit({ ...good(), description: '很久以前的垃圾' })).json()[0].service_request_id;
    await t.database.db.execute(sql`UPDATE case_file SET reported_at = now() - interval '120 days' WHERE id = (SELECT case_id FROM public_report WHERE public_no = ${old})`);
  });

  it('filters by service_code, status and dates; the default window is the last 90 days', async () => {
    const all = (await open311('requests.json')).json() as { service_request_id: string; service_code: string; status: string }[];
    const ids = all.map((x) => x.service_request_id);
    expect(ids).toContain(a);
    expect(ids).toContain(b);
    expect(ids).not.toContain(old);
    const onlyPlain = (await open311(`requests.json?service_code=${plain}`)).json() as { service_code: string; service_request_id: string }[];
    expect(onlyPlain.every((x) => x.service_code === plain)).toBe(true);
    expect(onlyPlain.map((x) => x.service_request_id)).toContain(b);
    expect((await open311(`requests.json?service_code=${plain},${service}&status=open`)).json().map((x: { service_request_id: string }) => x.service_request_id)).toContain(a);
    const unknownCode = await open311('requests.json?service_code=9999');
    expect(unknownCode.statusCode).toBe(404);
    expect(unknownCode.json()).toEqual([{ code: 404, description: expect.stringContaining('service_code') }]);
    expect((await open311('requests.json?status=closed')).json().map((x: { service_request_id: string }) => x.service_request_id)).not.toContain(a);
    const day = 86_400_000;
    const start = new Date(Date.now() - 130 * day).toISOString(); const end = new Date(Date.now() - 100 * day).toISOString();
    const then = (await open311(`requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`)).json();
    expect(then.map((x: { service_request_id: string }) => x.service_request_id)).toEqual(expect.arrayContaining([old]));
    expect(then.map((x: { service_request_id: string }) => x.service_request_id)).not.toContain(a);
    const far = new Date(Date.now() - 91 * day).toISOString();
    for (const format of ['json', 'xml'] as const) {
      expect(specError(await open311(`requests.${format}?start_date=${encodeURIComponent(far)}&end_date=${encodeURIComponent(new Date().toISOString())}`), 400, format)).toContain('90');
    }
    specError(await open311('requests.json?start_date=yesterday'), 400, 'json');
    specError(await open311('requests.json?status=pending'), 400, 'json');
  });

  it('looks up a list of ids (which overrides the other filters), one id, and tokens', async () => {
    const list = (await open311(`requests.json?service_request_id=${a},${old}&status=closed`)).json();
    expect(list.map((x: { service_request_id: string }) => x.service_request_id).sort()).toEqual([a, old].sort());
    specError(await open311('requests.json?service_request_id=abc'), 400, 'json');
    const one = (await open311(`requests/${a}.json`)).json();
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ service_request_id: a, status: 'open', service_code: service, service_name: '暴露垃圾', description: null, address_id: null });
    expect(one[0].requested_datetime).toMatch(/\+08:00$/);
    expect(one[0]).toMatchObject({ lat: null, long: null }); // not reviewed: the village only, no point
    expect(one[0].agency_responsible).toMatch(/村/);
    const x = parser.parse((await open311(`requests/${a}.xml`)).body).service_requests.request[0];
    expect(x).toMatchObject({ service_request_id: a, status: 'open', long: '' });
    // a tracking number is read as typed; a case number is no service_request_id
    expect((await open311(`requests/${a.slice(0, 4)}-${a.slice(4, 8)}-${a.slice(8).toLowerCase()}.json`)).json()[0]).toMatchObject({ service_request_id: a });
    const caseNo = (await get(`/api/v1/cases/${(await caseOf(a)).id}`)).json().no as string;
    specError(await open311(`requests/${caseNo}.json`), 404, 'json');
    specError(await open311(`requests.json?service_request_id=${caseNo}`), 400, 'json');
    for (const format of ['json', 'xml'] as const) {
      specError(await open311(`requests/2026010100001.${format}`), 404, format);
      specError(await open311(`requests/abc.${format}`), 404, format);
      specError(await open311(`tokens/2026010100001.${format}`), 404, format);
    }
    expect((await open311(`tokens/${a}.json`)).json()).toEqual([{ token: a, service_request_id: a }]);
    expect(parser.parse((await open311(`tokens/${a}.xml`)).body).service_requests.request[0]).toEqual({ token: a, service_request_id: a });
  });

  it('shows nothing personal, and the text, address and photo only after review', async () => {
    for (const url of [`requests.json?service_request_id=${a}`, `requests/${a}.xml`, `tokens/${a}.json`, 'requests.json', 'requests.xml', 'servicerequestupdates.json']) {
      const r = await open311(url);
      expect(r.statusCode).toBe(200);
      for (const p of PERSONAL) expect(r.body, `${url} holds ${p}`).not.toContain(p);
    }
    // A photo sent with the report, reviewed and redacted by staff.
    const f = multipartForm({ api_key: key, service_code: plain, lat: inside.lat, long: inside.lng, description: '王五 13911112222 家门口', address_string: '王五家' },
      [{ name: 'media', buf: await jpeg(77) }]);
    const no = (await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: f.payload, headers: f.headers })).json()[0].service_request_id;
    const before = (await open311(`requests/${no}.json`)).json()[0];
    expect(before).toMatchObject({ description: null, address: null, media_url: null });
    const c = await caseOf(no);
    expect((await post(`/api/v1/intake/reports/${c.id}/review`, { publicText: '某户门口有垃圾' })).statusCode).toBe(200);
    const after = (await open311(`requests/${no}.json`)).json()[0];
    expect(after).toMatchObject({ description: '某户门口有垃圾', address: '王五家' });
    expect(after.lat).toBe(Math.round(inside.lat * 1000) / 1000); // reviewed: the point, to about 100 m
    expect(after.media_url).toMatch(new RegExp(`^http://[^/]+/api/public/reports/${no}/photos/\\d+/file$`));
    const img = await t.app.inject({ url: after.media_url.replace(/^http:\/\/[^/]+/, '') });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await open311(`requests/${no}.json`)).body).not.toContain('13911112222');
  });

  it('accepts the install’s jurisdictions and refuses others with 404', async () => {
    expect((await open311(`requests.json?jurisdiction_id=${TOWN}&service_request_id=${a}`)).json()).toHaveLength(1);
    expect((await open311('services.json?jurisdiction_id=370321')).statusCode).toBe(200); // the county above
    expect((await open311(`requests/${a}.json?jurisdiction_id=${TOWN}`)).statusCode).toBe(200);
    for (const format of ['json', 'xml'] as const) {
      expect(specError(await open311(`services.${format}?jurisdiction_id=110101`), 404, format)).toContain('jurisdiction_id');
      specError(await open311(`requests/${a}.${format}?jurisdiction_id=nowhere`), 404, format);
    }
    const [v] = await rows<{ code: string }>(t.database.db, sql`SELECT code FROM area WHERE level_key = 'village' LIMIT 1`);
    specError(await open311(`requests.json?jurisdiction_id=${v!.code}`), 404, 'json'); // a village is not a jurisdiction
    specError(await submit({ ...good(), jurisdiction_id: '110101' }), 404, 'json');
    expect((await submit({ ...good(), jurisdiction_id: TOWN })).statusCode).toBe(200);
  });
});

describe('the loop seen from outside', () => {
  it('shows the steps as updates, closes the request and says why a refused one is closed', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const no = (await submit(good())).json()[0].service_request_id;
    const { id } = await caseOf(no);
    await step(id, 'register', 'zhenadmin');
    const [w] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM app_user WHERE username = 'wgy001'`);
    await step(id, 'dispatch', 'zhenadmin', { assigneeId: Number(w!.id) });
    const m = multipart(await jpeg(99));
    const photo = (await t.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie: await as('wgy001') } })).json().id;
    await step(id, 'feedback', 'wgy001', { note: '已清理', photoIds: [photo] });
    await step(id, 'pass', 'zhenadmin');
    const closed = (await open311(`requests/${no}.json`)).json()[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: expect.stringContaining('已办结'), expected_datetime: null });

    const url = `servicerequestupdates.json?start_date=${encodeURIComponent(since)}&end_date=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`;
    const ups = ((await open311(url)).json() as { service_request_id: string; status: string; description: string; update_id: string; media_url: string | null }[])
      .filter((u) => u.service_request_id === no);
    expect(ups.map((u) => u.status)).toEqual(['open', 'investigating', 'in_progress', 'in_progress', 'fixed']);
    expect(ups[4]!.description).toContain('办结');
    expect(new Set(ups.map((u) => u.update_id)).size).toBe(5);
    expect(ups.every((u) => u.media_url === null)).toBe(true); // not reviewed: no photos
    expect(JSON.stringify(ups)).not.toMatch(/wgy001|已清理/);
    const xml = parser.parse((await open311(url.replace('.json', '.xml'))).body);
    expect(xml.service_requests_updates.request_update.filter((u: { service_request_id: string }) => u.service_request_id === no)).toHaveLength(5);
    // Reviewed: the fix's photo is the update's media.
    await post(`/api/v1/intake/reports/${id}/review`, {});
    const shown = ((await open311(url)).json() as { service_request_id: string; status: string; media_url: string | null }[]).filter((u) => u.service_request_id === no);
    expect(shown[3]!.media_url).toMatch(new RegExp(`/api/public/reports/${no}/photos/\\d+/file$`));
    specError(await open311('servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, 'json');

    const dup = (await submit(good())).json()[0].service_request_id;
    const d = await caseOf(dup);
    const cur = (await get(`/api/v1/cases/${d.id}`)).json();
    expect((await post(`/api/v1/intake/reports/${d.id}/merge`, { into: id, version: cur.version })).statusCode).toBe(200); // staff merge by the case
    const refused = (await open311(`requests/${dup}.json`)).json()[0];
    expect(refused).toMatchObject({ status: 'closed', status_notes: expect.stringContaining(no) });
    const upd = ((await open311(url.replace(/end_date=[^&]+/, `end_date=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`))).json() as { service_request_id: string; status: string }[])
      .filter((u) => u.service_request_id === dup);
    expect(upd.map((u) => u.status)).toEqual(['open', 'duplicate']);
  });

  it('works for an off-the-shelf client: discovery → services → definition → POST form → GET by id', async () => {
    // What a plain GeoReport client does, through a fetch-like function (no test helpers of ours).
    const fetch311 = async (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => {
      const u = new URL(url);
      const r = await t.app.inject({ method: (init?.method ?? 'GET') as 'GET', url: u.pathname + u.search, payload: init?.body, headers: init?.headers });
      return { ok: r.statusCode < 300, status: r.statusCode, json: async () => JSON.parse(r.body), text: async () => r.body };
    };
    const disc = await (await fetch311('http://localhost/open311/v2/discovery.json')).json();
    const endpoint = disc.endpoints.find((e: { type: string; formats: string[] }) => e.type === 'production' && e.formats.includes('application/json')).url as string;
    const list = await (await fetch311(`${endpoint}/services.json`)).json();
    const chosen = list.find((s: { metadata: boolean }) => s.metadata);
    const def = await (await fetch311(`${endpoint}/services/${chosen.service_code}.json`)).json();
    const body = new URLSearchParams({ api_key: key, service_code: chosen.service_code, lat: String(inside.lat), long: String(inside.lng), description: 'pothole-like pile of rubbish' });
    for (const a of def.attributes.filter((x: { required: boolean; variable: boolean }) => x.required && x.variable)) body.append(`attribute[${a.code}]`, a.values[0].key);
    const created = await fetch311(`${endpoint}/requests.json`, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(created.status).toBe(200);
    const [{ service_request_id: id }] = await created.json();
    const got = await fetch311(`${endpoint}/requests/${id}.json`);
    expect(got.ok).toBe(true);
    expect((await got.json())[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: chosen.service_code });
    // The same in XML, as FixMyStreet's client reads it.
    const xml = parser.parse(await (await fetch311(`${endpoint}/requests.xml?service_request_id=${id}`)).text());
    expect(xml.service_requests.request[0].service_request_id).toBe(id);
  });

  it('never answers a 5xx to odd input', async () => {
    const odd = ['', 'abc', '-1', '%00', '9'.repeat(30), '毛家村', "'; DROP TABLE area; --", 'x'.repeat(3000)];
    for (const v of odd) {
      const q = encodeURIComponent(v);
      for (const url of [`requests.json?service_request_id=${q}`, `requests.json?service_code=${q}&status=${q}`, `requests.xml?start_date=${q}&end_date=${q}`,
        `requests/${q}.json`, `services/${q}.json`, `tokens/${q}.xml`, `servicerequestupdates.json?start_date=${q}`, `discovery.json?jurisdiction_id=${q}`]) {
        const r = await open311(url);
        expect(r.statusCode, `${url} → ${r.body}`).toBeLessThan(500);
      }
      const r = await submit({ api_key: key, service_code: v, lat: v, long: v, description: v, [`attribute[${v}]`]: v, email: v, phone: v });
      expect(r.statusCode, r.body).toBeLessThan(500);
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
    }
    const json = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: key, service_code: plain, address_string: '村口', attribute: { X: 1 } } });
    expect(json.statusCode, json.body).toBe(200);
    const broken = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    specError(broken, 400, 'json');
  });

  it('answers a partner over its hourly limit with 429 and Retry-After, in the spec’s shape', async () => {
    const limits = (await get('/api/v1/intake/settings')).json();
    const admin = await as('admin'); // an install-wide setting
    const put = (body: unknown) => t.app.inject({ method: 'PUT', url: '/api/v1/intake/settings', payload: body as object, headers: { cookie: admin } });
    expect((await put({ ...limits, perPartnerHour: 1 })).statusCode).toBe(200);
    try {
      const r = await submit(good(), 'xml');
      expect(specError(r, 429, 'xml')).toContain('合作方');
      expect(r.headers['retry-after']).toBe('600');
    } finally {
      expect((await put(limits)).statusCode).toBe(200);
    }
    expect((await submit(good())).statusCode).toBe(200);
  });
});
