// The working calendar through the API: seeded holidays and 调休, admins' edits (kept across
// reseeds), working hours, access, and the deadline convenience the case service uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { rows, sql } from '../../db/client.js';
import { initTown } from '../areas/network.service.js';
import * as people from '../people/people.repository.js';
import { hashPassword } from '../auth/password.js';
import { verifyAudit } from '../audit/audit.service.js';
import { ensureCalendar, seedExceptions, seedYears } from './calendar.seed.js';
import { dueFor, loadCalendar, workingHoursBetween } from './calendar.service.js';
import { chinaInstant } from './deadline.rules.js';

let t: TestApp;
let admin: string;
let townAdmin: string;
let villageAdmin: string;
let worker: string;
const req = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown, cookie = admin) =>
  t.app.inject({ method, url: `/api/v1${url}`, payload: payload as object | undefined, headers: cookie ? { cookie } : {} });
const china = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  await initTown(db, '370321107', { id: null, name: 'test' });
  const [town] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = '370321107'`);
  const [village] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = '370321107201'`);
  const passwordHash = await hashPassword('Test-pass-1');
  const user = async (username: string, role: string, areaId: number) => {
    const id = await people.insertUser(db, { username, displayName: username, phone: null, passwordHash, mustChangePassword: false });
    await people.insertGrant(db, id, role, areaId);
    return login(t.app, username, 'Test-pass-1');
  };
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  townAdmin = await user('townadmin', 'town_admin', town!.id);
  villageAdmin = await user('villagecadre', 'village_cadre', village!.id);
  worker = await user('worker', 'grid_worker', village!.id);
});
afterAll(async () => { await t.close(); });

describe('seeding from chinese-days', () => {
  it('covers the published years and names holidays and 调休 days', () => {
    const years = seedYears();
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    const s = seedExceptions(2026);
    expect(s).toContainEqual({ day: '2026-10-01', workday: false, name: '国庆节' });
    expect(s).toContainEqual({ day: '2026-10-10', workday: true, name: '国庆节调休' });
    expect(s).toContainEqual({ day: '2026-02-14', workday: true, name: '春节调休' });
    // Holidays on a weekend are rest days anyway: not stored.
    expect(s.find((d) => d.day === '2026-10-03')).toBeUndefined();
    expect(seedExceptions(2099)).toEqual([]);
  });
  it('ensureCalendar adds missing days only, and says which years it has no data for', async () => {
    const db = t.database.db;
    await db.execute(sql`DELETE FROM work_calendar WHERE day = '2025-10-01'`);
    const r = await ensureCalendar(db, [2025, 2026, 2099]);
    expect(r).toEqual({ inserted: 1, years: [2025, 2026], missing: [2099] });
    expect((await ensureCalendar(db, [2025, 2026])).inserted).toBe(0);
  });
});

describe('reading', () => {
  it('GET /calendar gives a year\'s exceptions and the working hours', async () => {
    const res = await req('GET', '/calendar?year=2026', undefined, worker);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, seedAvailable: true, hours: { morning: { start: '08:30', end: '12:00' }, afternoon: { start: '13:30', end: '17:30' } } });
    expect(body.days).toContainEqual({ day: '2026-10-01', weekday: 4, workday: false, name: '国庆节', source: 'seed' });
    expect(body.days).toContainEqual({ day: '2026-10-10', weekday: 6, workday: true, name: '国庆节调休', source: 'seed' });
    const later = (await req('GET', '/calendar?year=2099')).json();
    expect(later).toMatchObject({ year: 2099, seedAvailable: false, days: [] });
  });
  it('GET /calendar/month lists every day', async () => {
    const body = (await req('GET', '/calendar/month?month=2026-10', undefined, worker)).json();
    expect(body.days).toHaveLength(31);
    expect(body.days[0]).toEqual({ day: '2026-10-01', weekday: 4, workday: false, name: '国庆节', source: 'seed' });
    expect(body.days[2]).toEqual({ day: '2026-10-03', weekday: 6, workday: false, name: null, source: null });
    expect(body.days[9]).toMatchObject({ day: '2026-10-10', workday: true });
    expect(body.days[11]).toEqual({ day: '2026-10-12', weekday: 1, workday: true, name: null, source: null });
    expect(body.workdays).toBe(18);
  });
  it('needs a session and refuses bad years and months', async () => {
    expect((await req('GET', '/calendar?year=2026', undefined, '')).statusCode).toBe(401);
    for (const url of ['/calendar?year=abc', '/calendar?year=1999', '/calendar?year=2026.5', '/calendar/month?month=2026-13',
      '/calendar/month?month=2026-1', '/calendar/month?month=abcd-ef', '/calendar/month?month=1800-01']) {
      const res = await req('GET', url);
      expect(res.statusCode, `${url} → ${res.body}`).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
  });
});

describe('editing', () => {
  it('an admin sets a day off; deadlines follow at once; the change is audited', async () => {
    const db = t.database.db;
    const friday = chinaInstant('2026-10-09', '19:00');
    // Sat 10 (调休), Mon 12, Tue 13.
    expect(china(await dueFor(db, friday, 3, 'work_day'))).toBe('2026-10-13 17:30');
    const res = await req('PUT', '/calendar/2026-10-12', { workday: false, name: ' 镇庆 ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ day: '2026-10-12', weekday: 1, workday: false, name: '镇庆', source: 'admin' });
    expect(china(await dueFor(db, friday, 3, 'work_day'))).toBe('2026-10-14 17:30');
    expect(await workingHoursBetween(db, chinaInstant('2026-10-09', '17:00'), chinaInstant('2026-10-13', '09:30'))).toBe(0.5 + 7.5 + 1);
    const [a] = await rows<{ action: string; after: { name: string } }>(db, sql`SELECT action, after FROM audit_log WHERE entity = 'work_calendar' AND entity_id = '2026-10-12'`);
    expect(a).toMatchObject({ action: 'calendar.set', after: { name: '镇庆' } });
  });
  // The calendar is the whole install's: an install-wide setting (settings.manage, granted globally).
  it('the global administrator may edit; a town administrator, a village cadre and a grid worker may not', async () => {
    expect((await req('PUT', '/calendar/2026-11-02', { workday: false, name: '停电检修' })).statusCode).toBe(200);
    expect((await req('DELETE', '/calendar/2026-11-02')).statusCode).toBe(200);
    for (const c of [townAdmin, villageAdmin, worker]) {
      for (const [m, url, body] of [['PUT', '/calendar/2026-11-02', { workday: false }], ['DELETE', '/calendar/2026-10-12', undefined],
        ['POST', '/calendar/2026/reseed', {}], ['PUT', '/calendar/hours', { morning: { start: '08:00', end: '12:00' }, afternoon: { start: '14:00', end: '18:00' } }]] as const) {
        const res = await req(m, url, body, c);
        expect(res.statusCode, `${m} ${url}`).toBe(403);
        expect(res.json().error.message).toMatch(/修改全局设置/);
      }
    }
  });
  it('DELETE puts a day back to its default: the published schedule where it has one', async () => {
    const back = await req('DELETE', '/calendar/2026-10-12');
    expect(back.json()).toEqual({ day: '2026-10-12', weekday: 1, workday: true, name: null, source: null });
    expect((await req('PUT', '/calendar/2026-10-01', { workday: true, name: '值班' })).statusCode).toBe(200);
    expect((await req('DELETE', '/calendar/2026-10-01')).json()).toEqual({ day: '2026-10-01', weekday: 4, workday: false, name: '国庆节', source: 'seed' });
    // Deleting a day that already is its default changes nothing and is not an error.
    expect((await req('DELETE', '/calendar/2026-10-20')).json()).toMatchObject({ workday: true, source: null });
  });
  it('neither start-up seeding nor a reseed overwrites an administrator\'s day', async () => {
    const db = t.database.db;
    await req('PUT', '/calendar/2026-10-02', { workday: true, name: '值班' });
    await ensureCalendar(db, [2026]);
    await db.execute(sql`DELETE FROM work_calendar WHERE day = '2026-05-01'`);
    await db.execute(sql`UPDATE work_calendar SET name = '旧名称' WHERE day = '2026-05-04'`);
    const res = await req('POST', '/calendar/2026/reseed', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2026, changed: 2, keptAdmin: 1 });
    const days = (await req('GET', '/calendar?year=2026')).json().days as { day: string; name: string; source: string }[];
    expect(days.find((d) => d.day === '2026-10-02')).toMatchObject({ name: '值班', source: 'admin' });
    expect(days.find((d) => d.day === '2026-05-01')).toMatchObject({ name: '劳动节', source: 'seed' });
    expect(days.find((d) => d.day === '2026-05-04')).toMatchObject({ name: '劳动节', source: 'seed' });
    const none = await req('POST', '/calendar/2099/reseed', {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({ code: 'NO_SEED_DATA' });
    expect(none.json().error.message).toMatch(/2099/);
    expect((await req('POST', '/calendar/1999/reseed', {})).statusCode).toBe(400);
  });
  it('refuses bad days and bodies with 400', async () => {
    for (const [url, body] of [
      ['/calendar/2026-02-30', { workday: false }], ['/calendar/26-10-01', { workday: false }], ['/calendar/1999-10-01', { workday: false }],
      ['/calendar/2026-10-01', { workday: 'yes' }], ['/calendar/2026-10-01', {}], ['/calendar/2026-10-01', { workday: false, name: 'x'.repeat(51) }],
      ['/calendar/2026-10-01', { workday: null }],
    ] as const) {
      const res = await req('PUT', url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)} → ${res.body}`).toBe(400);
    }
    expect((await req('DELETE', '/calendar/2026-13-01')).statusCode).toBe(400);
  });
});

describe('working hours', () => {
  it('validates and stores them; deadlines use them', async () => {
    expect((await req('GET', '/calendar/hours', undefined, worker)).json()).toEqual({ morning: { start: '08:30', end: '12:00' }, afternoon: { start: '13:30', end: '17:30' } });
    const bad = [
      { morning: { start: '12:00', end: '08:00' }, afternoon: { start: '13:30', end: '17:30' } },
      { morning: { start: '08:00', end: '12:00' }, afternoon: { start: '11:00', end: '17:30' } },
      { morning: { start: '08:00', end: '12:00' }, afternoon: { start: '13:30', end: '25:00' } },
      { morning: { start: '08:00', end: '12:00' } },
      { morning: { start: '8:00', end: '12:00' }, afternoon: { start: '13:30', end: '17:30' } },
    ];
    for (const b of bad) {
      const res = await req('PUT', '/calendar/hours', b);
      expect(res.statusCode, JSON.stringify(b)).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
    const summer = { morning: { start: '08:00', end: '12:00' }, afternoon: { start: '14:30', end: '18:00' } };
    expect((await req('PUT', '/calendar/hours', summer)).json()).toEqual(summer);
    expect((await req('GET', '/calendar/hours')).json()).toEqual(summer);
    expect((await loadCalendar(t.database.db)).hours).toEqual(summer);
    expect(china(await dueFor(t.database.db, chinaInstant('2026-03-09', '11:00'), 2, 'work_hour'))).toBe('2026-03-09 15:30');
    expect(china(await dueFor(t.database.db, chinaInstant('2026-03-09', '11:00'), 1, 'work_day'))).toBe('2026-03-10 18:00');
  });
  it('dueFor guards its input', async () => {
    await expect(dueFor(t.database.db, new Date(), 0, 'work_day')).rejects.toMatchObject({ status: 400 });
  });
});

it('every change is in the audit chain, which verifies', async () => {
  expect((await verifyAudit(t.database.db)).ok).toBe(true);
  const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'calendar.%'`);
  expect(Number(n!.n)).toBeGreaterThanOrEqual(7);
});
