// Bad input at the edge: every route answers 4xx with a JSON error, never 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../test/helpers.js';
import { initTown } from '../modules/areas/network.service.js';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await buildTestApp();
  await initTown(t.database.db, '370321107', { id: null, name: 'test' });
  cookie = await login(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => { await t.close(); });

const weird: unknown[] = ['', 'abc', -1, 0, 1.5, 99999999999999999999, '9223372036854775808', null, true, [], {}, 'x'.repeat(5000), '\u0000', '毛家村', "'; DROP TABLE area; --"];

describe('no input makes a 5xx', () => {
  it('ids in paths', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', '9223372036854775808', '%00', '毛家村']) {
      for (const url of [`/api/v1/areas/${id}`, `/api/v1/areas/${id}/children`, `/api/v1/areas/${id}/answerable`, `/api/v1/users/${id}`,
        `/api/v1/cases/${id}`, `/api/v1/cases/${id}/assignees`, `/api/v1/photos/${id}/file`, `/api/v1/bulletins/${id}`, `/api/v1/areas/${id}/boundaries`,
        `/api/v1/routines/tasks/${id}`, `/api/v1/routines/templates/${id}`, `/api/v1/scores/ratings/${id}`, `/api/v1/intake/reports/${id}`,
        `/api/public/reports/${id}`, `/api/public/reports/2026112900001/photos/${id}/file`]) {
        const res = await t.app.inject({ url, headers: { cookie } });
        expect(res.statusCode, `${url} → ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} → ${res.body}`).toBeLessThan(500);
        expect(res.json().error.message).toBeTruthy();
      }
    }
  });
  it('query strings', async () => {
    for (const v of weird) {
      const q = encodeURIComponent(String(v));
      for (const url of [`/api/v1/areas/search?q=${q}`, `/api/v1/areas/search?q=a&level=${q}`, `/api/v1/users?q=${q}&limit=${q}`,
        `/api/v1/responsibilities?date=${q}`, `/api/v1/responsibilities?kind=${q}`, `/api/v1/audit?limit=${q}`, `/api/v1/areas/1/answerable?date=${q}`,
        `/api/v1/cases?state=${q}&areaId=${q}`, `/api/v1/cases?from=${q}&to=${q}&q=${q}`, `/api/v1/cases?page=${q}&pageSize=${q}&categoryId=${q}`,
        `/api/v1/cases/map?overdue=${q}`, `/api/v1/cases/export.xlsx?from=${q}`, `/api/v1/bulletins/preview?areaId=1&day=${q}`,
        `/api/v1/bulletins/preview?areaId=${q}`, `/api/v1/calendar?year=${q}`, `/api/v1/calendar/month?month=${q}`, `/api/v1/notifications?limit=${q}`,
        `/api/v1/routines/my-tasks?from=${q}&to=${q}`, `/api/v1/routines/completeness?planId=1&areaId=1&period=${q}`,
        `/api/v1/routines/completeness?planId=${q}&areaId=${q}&period=2026W48`,
        `/api/v1/scores/scorecard?areaId=1&period=${q}`, `/api/v1/scores/scorecard?areaId=${q}&period=202609`, `/api/v1/scores/scorecard.xlsx?areaId=5&period=${q}`,
        `/api/v1/scores/records?areaId=5&period=202609&fact=${q}`, `/api/v1/scores/records?areaId=5&period=${q}&fact=cases_due&limit=${q}`,
        `/api/v1/scores/picks?areaId=${q}&month=${q}`, `/api/v1/scores/other?areaId=5&month=${q}`, `/api/v1/scores/ratings?areaId=${q}`,
        `/api/v1/intake/reports?view=${q}&page=${q}&pageSize=${q}`, `/api/public/reports/${q}?token=${q}`, `/api/public/reports/2026112900001?token=${q}`]) {
        const res = await t.app.inject({ url, headers: { cookie } });
        expect(res.statusCode, `${url} → ${res.body}`).toBeLessThan(500);
      }
    }
  });
  it('bodies', async () => {
    const posts: [string, string, (v: unknown) => unknown][] = [
      ['POST', '/api/v1/areas', (v) => ({ parentId: v, level: 'grid', name: v })],
      ['POST', '/api/v1/areas', (v) => ({ parentId: 5, level: v, name: 'x', code: v })],
      ['POST', '/api/v1/areas', (v) => ({ parentId: 5, level: 'district', name: 'x', population: v, boundary: v })],
      ['PATCH', '/api/v1/areas/5', (v) => ({ name: v, boundary: { type: 'Polygon', coordinates: [v] } })],
      ['POST', '/api/v1/areas/5/move', (v) => ({ parentId: v })],
      ['POST', '/api/v1/users', (v) => ({ username: v, displayName: v, roles: [{ roleKey: v, areaId: v }] })],
      ['POST', '/api/v1/responsibilities', (v) => ({ kind: 'grid_worker_grid', areaId: v, userId: v, validFrom: v, validTo: v })],
      ['POST', '/api/v1/responsibilities/1/end', (v) => ({ validTo: v })],
      ['POST', '/api/v1/auth/password', (v) => ({ oldPassword: v, newPassword: v })],
      ['POST', '/api/v1/auth/login', (v) => ({ username: v, password: v })],
      ['POST', '/api/v1/cases', (v) => ({ clientId: v, source: 'desk', categoryId: v, areaId: v, description: v, lat: v, lng: v, photoIds: v })],
      ['POST', '/api/v1/cases', (v) => ({ source: v, categoryId: 2, areaId: 5, description: 'x', photoIds: [v] })],
      ['POST', '/api/v1/cases/1/steps', (v) => ({ action: v, version: v, note: v })],
      ['POST', '/api/v1/cases/1/steps', (v) => ({ action: 'dispatch', version: 1, assigneeId: v, requestedDueAt: v, duplicateOf: v })],
      ['POST', '/api/v1/case-categories', (v) => ({ code: v, parentId: v, name: v, deadlineAmount: v, deadlineUnit: v, routeKind: v })],
      ['PATCH', '/api/v1/case-categories/2', (v) => ({ code: v, parentId: v, deadlineAmount: v, version: v })],
      ['POST', '/api/v1/bulletins', (v) => ({ areaId: v, day: v, note: v })],
      ['PUT', '/api/v1/calendar/2026-10-01', (v) => ({ workday: v, name: v })],
      ['PUT', '/api/v1/calendar/hours', (v) => ({ morning: v, afternoon: v })],
      ['POST', '/api/v1/webhooks', (v) => ({ name: v, url: v, format: v, events: v, areaId: v })],
      ['PATCH', '/api/v1/routines/plans/1', (v) => ({ recurrence: { type: v, weekday: v, fromDay: v, toDay: v, third: v, month: v, day: v }, graceDays: v, version: 1 })],
      ['PATCH', '/api/v1/routines/plans/1', (v) => ({ recurrence: v, version: v })],
      ['POST', '/api/v1/routines/plans/1/lock', (v) => ({ period: v })],
      ['POST', '/api/v1/routines/templates', (v) => ({ code: 'fz', name: v, items: [{ id: v, section: v, label: v, kind: v, weight: v, maxScore: v }] })],
      ['POST', '/api/v1/routines/tasks/1/turnout', (v) => ({ name: v, kind: v, signIn: v, area: v })],
      ['POST', '/api/v1/routines/tasks/1/visits', (v) => ({ villageId: v, reason: v })],
      ['POST', '/api/v1/routines/tasks/1/result', (v) => ({ clientId: v, answers: [{ itemId: v, value: v, note: v, photoIds: v }], note: v })],
      ['POST', '/api/v1/routines/tasks/1/visits/from-scores', () => ({})],
      ['POST', '/api/v1/scores/indicators', (v) => ({ code: 'fz', name: v, formula: v, direction: v, unit: v, target: v, green: v, yellow: v, baseFact: v, minBase: v, periodTypes: v })],
      ['POST', '/api/v1/scores/indicators', (v) => ({ code: 'fz', name: 'x', formula: String(v), direction: 'up', unit: '%', target: null, green: 1, yellow: 0, baseFact: null, minBase: 0, periodTypes: ['monthly'] })],
      ['PATCH', '/api/v1/scores/indicators/1', (v) => ({ formula: v, green: v, version: v })],
      ['POST', '/api/v1/scores/weights', (v) => ({ validFrom: v, weights: { environment: v, other: v, indicators: { on_time_fix_rate: v } } })],
      ['POST', '/api/v1/scores/weights', (v) => ({ validFrom: '202612', weights: v })],
      ['PUT', '/api/v1/scores/settings', (v) => ({ tiers: { mode: v, thresholds: v, shares: v }, redBlackSize: v, rewards: v, annualAwardCount: v, picksPerDistrict: v })],
      ['PUT', '/api/v1/scores/other', (v) => ({ month: v, items: [{ villageId: v, score: v, note: v }] })],
      ['POST', '/api/v1/scores/ratings', (v) => ({ areaId: v, period: v })],
      ['POST', '/api/v1/scores/ratings/1/approve', () => ({})],
      ['POST', '/api/v1/scores/ratings/1/awards/1/paid', () => ({})],
      ['POST', '/api/v1/intake/reports/1/review', (v) => ({ publicText: v })],
      ['POST', '/api/v1/intake/reports/1/place', (v) => ({ areaId: v })],
      ['POST', '/api/v1/intake/reports/1/merge', (v) => ({ into: v, version: v })],
      ['POST', '/api/v1/intake/photos/1/hidden', (v) => ({ hidden: v })],
      ['PUT', '/api/v1/intake/settings', (v) => ({ perAddress10Min: v, perAddressDay: v, perPhoneDay: v, perPartnerHour: v })],
      ['POST', '/api/public/reports/2026112900001/rating', (v) => ({ token: v, rating: v, note: v })],
      ['POST', '/api/public/reports/2026112900001/reopen', (v) => ({ token: v, reason: v })],
    ];
    for (const [method, url, make] of posts) {
      for (const v of weird) {
        const res = await t.app.inject({ method: method as 'POST', url, payload: make(v) as object, headers: { cookie } });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(v)?.slice(0, 40)} → ${res.body}`).toBeLessThan(500);
      }
    }
  });
  it('a resident\'s report form with odd fields', async () => {
    const { form, jpeg } = await import('../../test/images.js');
    const photo = await jpeg(3);
    for (const v of weird) {
      const f = form({ category: String(v), description: String(v), lat: String(v), lng: String(v), phone: String(v), name: String(v), clientId: String(v) }, [{ buf: photo }]);
      const res = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: f.payload, headers: f.headers, remoteAddress: `10.9.0.${weird.indexOf(v)}` });
      expect(res.statusCode, `${JSON.stringify(v)?.slice(0, 40)} → ${res.body}`).toBeLessThan(500);
    }
    const empty = form({});
    const res = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: empty.payload, headers: empty.headers });
    expect(res.statusCode).toBe(400);
  });
  it('every documented route, with odd ids and odd values for every body field', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
    const odd: unknown[] = ['', 'abc', -1, 1.5, null, [], {}, 'x'.repeat(3000), "'; DROP TABLE area; --"];
    // Logging out or changing the password would end the session the rest of the test uses.
    const skip = /\/auth\/(logout|password)|\/import$/;
    let tried = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (skip.test(path)) continue;
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const props = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
        for (const id of ['1', 'abc', '99999999999']) {
          const url = path.replace(/\{[^}]+\}/g, id);
          const bodies = method === 'get' || method === 'delete' ? [undefined] : odd.map((v) => Object.fromEntries(props.map((k) => [k, v])));
          for (const body of bodies) {
            const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { cookie }, ...(body ? { payload: body } : {}) });
            tried += 1;
            expect(res.statusCode, `${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 60)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
  }, 300_000);
  it('encoded, doubled and odd spellings of a path never get past the session check (and never 5xx)', async () => {
    const targets = ['areas', 'users', 'audit', 'settings/evidence', 'intake/settings', 'case-categories', 'rewards/rules', 'routines/plans', 'duties'];
    const spell = (rest: string) => [
      `/api/%761/${rest}`, `/api/v%31/${rest}`, `/%61pi/v1/${rest}`, `/api/v1/%${rest.charCodeAt(0).toString(16)}${rest.slice(1)}`,
      `/%2561pi/v1/${rest}`, `/api%2fv1/${rest}`, `/api/v1%2f${rest}`, `/api/v1/${rest.replace(/\//g, '%2f')}`, `/api/v1/${rest}%2f1`,
      `/api/v1//${rest}`, `//api/v1/${rest}`, `/api//v1/${rest}`, `/api/v1/${rest}/`, `/api/v1/${rest}//`, `/API/V1/${rest.toUpperCase()}`, `/Api/v1/${rest}`,
      `/api/v1/${rest};x`, `/api/v1;x/${rest}`, `/api/v1/${rest}%3Bx`, `/api/v1/${rest}%00`, `/api/v1/${rest}%20`, `/api/v1/${rest}.json`,
      `/api/v1/./${rest}`, `/api/v1/x/../${rest}`, `/api/v1/%2e/${rest}`, `/api/v1/x/%2e%2e/${rest}`, `/api/public/../v1/${rest}`,
      `/api/public/%2e%2e/v1/${rest}`, `/open311/v2/../../api/v1/${rest}`, `/api/v1/${rest}?x=1`, `/api/v1/${rest}#x`, `/api/v1/${rest}%23x`,
      `/api/v1/${rest}%3Fx=1`, `/api/v1/%EF%BC%8F${rest}`, `/api/v1/${rest}%`, `/api/v1/${rest}%zz`, `/api/\\v1/${rest}`, `/api/v1\\${rest}`,
    ];
    let tried = 0;
    for (const rest of targets) {
      // the plain spelling is a real route that asks for a login
      expect((await t.app.inject({ url: `/api/v1/${rest}` })).statusCode, rest).toBe(401);
      for (const url of spell(rest)) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
          const res = await t.app.inject({ method, url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
          tried += 1;
          expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });
  it('broken JSON and wrong content types', async () => {
    for (const [payload, type] of [['{"a":', 'application/json'], ['a=1', 'application/x-www-form-urlencoded'], ['<x/>', 'text/xml'], ['', 'application/json']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/areas', payload, headers: { cookie, 'content-type': type } });
      expect(res.statusCode, `${type} → ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error.code).toBeTruthy();
    }
  });
});
