// The access matrix, generated from the duty table and the route list: every guarded route ×
// every role × inside/outside the role's areas, each with the expected allow or deny.
// "Allow" means the gate let the request through (the handler may still answer 400/404/409 for the
// made-up ids and empty bodies used here); "deny" means 401 without a session, or 403 DUTY_REQUIRED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUTY_BY_KEY } from '../../../../../packages/shared/src/duties.js';
import { ROLES, type RoleKey } from '../../../../../packages/shared/src/mechanism.js';
import { buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { rows, sql } from '../../db/client.js';
import { initTown } from '../areas/network.service.js';
import { hashPassword } from '../auth/password.js';
import * as people from '../people/people.repository.js';
import type { RouteAccess } from '../../plugins/auth.js';

const PASSWORD = 'Matrix-pass-1';
const NO_ID = '999999999';
let t: TestApp;
let routes: RouteAccess[];
const cookies = new Map<RoleKey, string>();
let villageA: number;
let villageB: number;

/** Where each role is held in the matrix: the narrowest level it may be granted at. */
const GRANT_LEVEL: Record<RoleKey, 'global' | 'county' | 'town' | 'village'> = {
  admin: 'global', county_viewer: 'county', town_admin: 'town', finance: 'town', party_secretary: 'town', leader: 'town',
  discipline_office: 'town', agriculture_office: 'town', construction_office: 'town', volunteer: 'town',
  resident_cadre: 'village', village_cadre: 'village', grid_worker: 'village', cleaner: 'village',
};

const holdsByDefault = (role: RoleKey, duty: string) => {
  const def = DUTY_BY_KEY[duty]!;
  if (def.scope === 'global' && GRANT_LEVEL[role] !== 'global') return false;
  return def.roles.includes(role);
};

const fill = (url: string, id = NO_ID) => url.replace(/:[A-Za-z]+/g, id);

beforeAll(async () => {
  t = await buildTestApp();
  await initTown(t.database.db, '370321107', { id: null, name: 'test' });
  const areaId = async (code: string) => Number((await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = ${code}`))[0]!.id);
  const town = await areaId('370321107');
  const county = await areaId('370321');
  villageA = await areaId('370321107201');
  villageB = await areaId('370321107240');
  const hash = await hashPassword(PASSWORD);
  for (const r of ROLES) {
    const level = GRANT_LEVEL[r.key];
    const where = level === 'global' ? null : level === 'county' ? county : level === 'town' ? town : villageA;
    await t.database.db.transaction(async (tx) => {
      const id = await people.insertUser(tx, { username: `m_${r.key}`, displayName: r.zh, phone: null, passwordHash: hash, mustChangePassword: false });
      await people.insertGrant(tx, id, r.key, where);
    });
    cookies.set(r.key, await login(t.app, `m_${r.key}`, PASSWORD));
  }
  routes = t.app.routeAccess.filter((r) => r.url !== '/api/v1/auth/logout');
});
afterAll(async () => { await t.close(); });

describe('the access matrix', () => {
  it('every guarded route declares a duty, signedIn or public (deny by default), and the list is complete', () => {
    expect(routes.length).toBeGreaterThan(180);
    for (const r of t.app.routeAccess) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
    // the routes that anyone may call are few and named
    const open = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    for (const o of open) expect(o, o).toMatch(/^(GET|POST) \/(api\/public\/|open311\/v2\/|api\/health$|api\/v1\/auth\/login$)/);
  });

  it('without a session every route but the public ones answers 401', async () => {
    for (const r of routes) {
      const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (r.access === 'public') expect(res.statusCode, `${r.method} ${r.url}`).not.toBe(401);
      else expect(res.statusCode, `${r.method} ${r.url} → ${res.body}`).toBe(401);
    }
  });

  it('every route × every role: allowed exactly when the duty table gives the role the duty', async () => {
    const surprises: string[] = [];
    let allowed = 0;
    let denied = 0;
    for (const role of ROLES.map((r) => r.key)) {
      for (const r of routes) {
        if (r.access === 'public') continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url), headers: { cookie: cookies.get(role)! },
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        const refused = res.statusCode === 401 || (res.statusCode === 403 && res.json().error?.code === 'DUTY_REQUIRED');
        const expectAllow = r.access === 'signedIn' || holdsByDefault(role, r.access.duty);
        if (expectAllow === refused) surprises.push(`${role} ${r.method} ${r.url}: expected ${expectAllow ? 'allow' : 'deny'}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 500) surprises.push(`${role} ${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (refused) denied += 1; else allowed += 1;
      }
    }
    expect(surprises).toEqual([]);
    // both sides of the matrix are exercised
    expect(allowed).toBeGreaterThan(500);
    expect(denied).toBeGreaterThan(500);
  });

  it('inside and outside the areas: a role held in village A reads A and is refused B', async () => {
    // the reads keyed by an area: the area in the path, or areaId / villageId in the query
    const QUERY: Record<string, string> = { period: '202611', month: '202611', day: '2026-11-20', date: '2026-11-20', fact: 'cases_due', year: '2026', q: 'a' };
    const checked: string[] = [];
    const surprises: string[] = [];
    for (const role of ROLES.filter((r) => GRANT_LEVEL[r.key] === 'village').map((r) => r.key)) {
      for (const r of routes) {
        if (r.method !== 'GET' || r.access === 'public' || r.access === 'signedIn' || !holdsByDefault(role, r.access.duty)) continue;
        const byPath = /^\/api\/v1\/areas\/:id(\/[a-z]+)?$/.test(r.url);
        const key = r.query.find((k) => k === 'areaId' || k === 'villageId');
        if (!byPath && (!key || r.url.includes(':'))) continue;
        const urlFor = (area: number) => {
          if (byPath) return fill(r.url, String(area));
          const qs = new URLSearchParams({ [key!]: String(area) });
          for (const k of r.query) if (QUERY[k] && k !== key) qs.set(k, QUERY[k]!);
          return `${r.url}?${qs}`;
        };
        const inside = await t.app.inject({ url: urlFor(villageA), headers: { cookie: cookies.get(role)! } });
        const outside = await t.app.inject({ url: urlFor(villageB), headers: { cookie: cookies.get(role)! } });
        if (outside.statusCode < 300) surprises.push(`${role} ${urlFor(villageB)} outside: ${outside.statusCode}`);
        if (inside.statusCode === 400) continue; // a village is not the level this read is kept at (a town's bulletin): not a scope case
        checked.push(`${role} ${r.url}`);
        if (inside.statusCode !== 200) surprises.push(`${role} ${urlFor(villageA)} inside: ${inside.statusCode} ${inside.body.slice(0, 120)}`);
        if (outside.statusCode !== 403 && outside.statusCode !== 404) surprises.push(`${role} ${urlFor(villageB)} outside: ${outside.statusCode} ${outside.body.slice(0, 120)}`);
      }
    }
    expect(surprises).toEqual([]);
    expect(checked.length).toBeGreaterThan(30);
  });

  it('a refusal says which duty is needed and is kept in the audit log', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/scores/other', headers: { cookie: cookies.get('village_cadre')! }, payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('录入其他工作得分');
    const [last] = await rows<{ action: string; entity_id: string }>(t.database.db, sql`SELECT action, entity_id FROM audit_log WHERE action = 'access.refused' ORDER BY id DESC LIMIT 1`);
    expect(last).toEqual({ action: 'access.refused', entity_id: 'scores.other.enter' });
  });
  it('the table is the authority: a duty given to another role is honoured by the service too, and taken back', async () => {
    const admin = cookies.get('admin')!;
    const put = (roles: string[]) => t.app.inject({ method: 'PUT', url: '/api/v1/duties/scores.indicators.manage', headers: { cookie: admin }, payload: { roles } });
    const weights = () => t.app.inject({ method: 'POST', url: '/api/v1/scores/weights', headers: { cookie: cookies.get('party_secretary')! },
      payload: { validFrom: '202610', weights: { environment: 40, other: 50, indicators: {} } } });
    expect((await weights()).json().error.code).toBe('DUTY_REQUIRED');
    expect((await put(['admin', 'town_admin', 'party_secretary'])).statusCode).toBe(200);
    const allowed = await weights(); // past the gate and the service: refused only for its content (40 + 50 ≠ 100)
    expect(allowed.statusCode, allowed.body).toBe(400);
    expect(allowed.json().error.message).toContain('100%');
    expect((await put(['admin', 'town_admin'])).statusCode).toBe(200);
    expect((await weights()).json().error.code).toBe('DUTY_REQUIRED');
  });
});
