// The edge: headers on every answer, no state change from another site, names that cannot be markup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../test/helpers.js';
import { initTown } from '../modules/areas/network.service.js';
import { rows, sql } from '../db/client.js';
import { nameProblem } from '../lib/schemas.js';
import { crossSiteProblem } from './edge.js';
import { loggableUrl } from '../app.js';

let t: TestApp;
let admin: string;
let village: number;
beforeAll(async () => {
  t = await buildTestApp();
  await initTown(t.database.db, '370321107', { id: null, name: 'test' });
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  village = Number((await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107201'`))[0]!.id);
});
afterAll(async () => { await t.close(); });

describe('cross-site requests (pure)', () => {
  const base = { method: 'POST', url: '/api/v1/areas/1/archive', host: 'town.example:3000' };
  it('refuses another origin, a null origin and a cross-site fetch; lets the same origin, reads and non-browsers through', () => {
    expect(crossSiteProblem({ ...base, origin: 'http://evil.example:3000' })).toMatch(/Origin/);
    expect(crossSiteProblem({ ...base, origin: 'http://town.example:4000' })).toMatch(/Origin/); // another port is another origin
    expect(crossSiteProblem({ ...base, origin: 'null' })).toMatch(/null/);
    expect(crossSiteProblem({ ...base, secFetchSite: 'same-site' })).toMatch(/same-site/);
    expect(crossSiteProblem({ ...base, secFetchSite: 'cross-site', origin: 'http://town.example:3000' })).toMatch(/cross-site/);
    expect(crossSiteProblem({ ...base, origin: 'http://town.example:3000', secFetchSite: 'same-origin' })).toBeNull();
    expect(crossSiteProblem({ ...base })).toBeNull();
    expect(crossSiteProblem({ ...base, method: 'GET', origin: 'http://evil.example' })).toBeNull();
    expect(crossSiteProblem({ ...base, url: '/open311/v2/requests.json', origin: 'http://partner.example' })).toBeNull();
    expect(crossSiteProblem({ ...base, origin: 'http://partner.example' }, ['http://partner.example'])).toBeNull();
  });
  it('any origin other than the host itself is refused for every changing method', () => {
    fc.assert(fc.property(fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), fc.webUrl(), (method, origin) => {
      const o = new URL(origin).origin;
      const problem = crossSiteProblem({ method, url: '/api/v1/x', host: 'town.example:3000', origin: o });
      return new URL(o).host === 'town.example:3000' ? problem === null : problem !== null;
    }));
  });
});

describe('the edge over HTTP', () => {
  it('puts the security headers on every answer, and no-store on authenticated JSON', async () => {
    for (const url of ['/api/health', '/api/v1/me', '/api/v1/areas', '/docs/json', '/no-such-page']) {
      const res = await t.app.inject({ url, headers: url.startsWith('/api/v1') ? { cookie: admin } : {} });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain("script-src 'self' 'unsafe-inline'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
    }
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: admin } })).headers['cache-control']).toBe('no-store');
  });

  it('a logged-in browser on another site cannot archive an area (text/plain form, multipart, fetch)', async () => {
    const tries = [
      { 'content-type': 'text/plain', origin: 'http://127.0.0.1:9999' },
      { 'content-type': 'multipart/form-data; boundary=x', origin: 'http://evil.example' },
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      { 'content-type': 'application/json', origin: 'null' },
    ];
    for (const h of tries) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/areas/${village}/archive`, headers: { cookie: admin, ...h }, payload: h['content-type'].startsWith('multipart') ? '--x--' : '{}' });
      expect(res.statusCode, JSON.stringify(h)).toBe(403);
      expect(res.json().error.code).toBe('CROSS_SITE');
    }
    const [a] = await rows<{ archived_at: string | null }>(t.database.db, sql`SELECT archived_at FROM area WHERE id = ${village}`);
    expect(a!.archived_at).toBeNull();
    // the same origin (what the web app sends) passes the edge
    const same = await t.app.inject({ method: 'PATCH', url: `/api/v1/areas/${village}`, headers: { cookie: admin, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' }, payload: { population: 1234 } });
    expect(same.json().error?.code).not.toBe('CROSS_SITE');
  });

  it('a name cannot hold markup or control characters: 400 with a message a person can act on', async () => {
    for (const name of ['<img src=x onerror=alert(1)>', '毛家村>', '毛家\u0007村', 'a\nb']) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/areas/${village}`, headers: { cookie: admin }, payload: { name } });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.message).toContain('名称不能包含 < > 或控制字符');
    }
    expect(nameProblem('毛家村第1网格（东）')).toBeNull();
    fc.assert(fc.property(fc.string(), (s) => (nameProblem(s) === null) === !/[<>\u0000-\u001f\u007f]/.test(s)));
  });
});

describe('the request log', () => {
  it('never holds a token or a key from a query string', () => {
    expect(loggableUrl('/api/public/reports/K7QM2XPD93TA?token=abc123secret')).toBe('/api/public/reports/K7QM2XPD93TA?token=***');
    expect(loggableUrl('/open311/v2/requests.json?jurisdiction_id=370321107&api_key=w311_abcdef&x=1')).toBe('/open311/v2/requests.json?jurisdiction_id=370321107&api_key=***&x=1');
    expect(loggableUrl('/api/v1/cases?q=token')).toBe('/api/v1/cases?q=token');
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), (secret) => {
      const logged = loggableUrl(`/x?a=1&token=${secret}&api_key=${secret}`);
      return !logged.includes(`token=${secret}`) && !logged.includes(`api_key=${secret}`);
    }));
  });
});
