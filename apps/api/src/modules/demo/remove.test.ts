// `wangge demo remove` on a demo install with activity: the demo's people, generated areas and
// everything recorded in the demo town go; the admin, real people, the real town and villages (as
// `init --town` makes them) and the audit chain stay; a second run has nothing to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers.js';
import { rows, sql, type Db } from '../../db/client.js';
import { initTown } from '../areas/network.service.js';
import { verifyAudit } from '../audit/audit.service.js';
import { townsUnder } from '../divisions/divisions.js';
import { PhotoStore } from '../evidence/storage.js';
import * as people from '../people/people.repository.js';
import { settleReportPoints } from '../rewards/rewards.service.js';
import { generateDemoCases } from './cases.js';
import { DEMO_TOWN, setupDemo } from './demo.js';
import { generateDemoPublicReports } from './public.js';
import { setupPublicityDemo } from './publicity.js';
import { hasDemoData, previewDemoRemoval, removeDemo } from './remove.js';
import { setupRewardsDemo } from './rewards.js';
import { generateDemoRoutineHistory } from './routines.js';
import { generateDemoScores } from './scores.js';

const count = async (db: Db, q: ReturnType<typeof sql>) => Number(Object.values((await rows(db, q))[0]!)[0]);
const areaByCode = async (db: Db, code: string) =>
  (await rows<{ id: number; path: string; parent_id: number | null; demo: boolean; population: number | null; boundary: unknown }>(db,
    sql`SELECT id, path, parent_id, demo, population, boundary FROM area WHERE code = ${code}`))[0];
/** A real town of the demo's county, set up beside the demo (it shares the demo-flagged county). */
const OTHER_TOWN = townsUnder('370321').find((t) => t.code !== DEMO_TOWN)!.code;

function jpgFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg'));
}

describe('demo remove (keeping the real town and villages)', () => {
  let t: TestApp;
  let db: Db;
  let store: PhotoStore;
  let realUser: number;
  let adminSession: string;
  beforeAll(async () => {
    t = await buildTestApp();
    db = t.database.db;
    store = new PhotoStore(fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-demo-rm-')));
    await setupDemo(db);
    await initTown(db, OTHER_TOWN, { id: null, name: 'test' });
    await generateDemoCases(db, store, { days: 2, perDay: 3 });
    await generateDemoPublicReports(db, store, { days: 4 });
    await generateDemoRoutineHistory(db, { days: 10 });
    await generateDemoScores(db);
    await setupPublicityDemo(db);
    await setupRewardsDemo(db, { villages: 1, days: 4 });
    await settleReportPoints(db); // residents' points for their reports, on phone accounts
    // A real person with a grant on a demo village (kept) and on a generated grid (goes).
    const village = (await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'village' AND demo ORDER BY code LIMIT 1`))[0]!;
    const grid = (await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'grid' AND demo ORDER BY code LIMIT 1`))[0]!;
    realUser = await people.insertUser(db, { username: 'real01', displayName: '真人', phone: null, passwordHash: null, mustChangePassword: true });
    await people.insertGrant(db, realUser, 'village_cadre', Number(village.id));
    await people.insertGrant(db, realUser, 'grid_worker', Number(grid.id));
    // Sessions of the admin and of a demo person; a bulletin of the demo town (its trigger refuses DELETE);
    // a webhook on a generated district with an outbox row.
    const admin = (await people.userByName(db, 'admin'))!;
    const shuji = (await people.userByName(db, 'shuji'))!;
    adminSession = `test-admin-${Date.now()}`;
    await db.execute(sql`INSERT INTO session (id, user_id, expires_at) VALUES (${adminSession}, ${admin.id}, now() + interval '1 day'),
      (${`test-shuji-${Date.now()}`}, ${shuji.id}, now() + interval '1 day')`);
    const town = (await areaByCode(db, DEMO_TOWN))!;
    await db.execute(sql`INSERT INTO bulletin (scope_area_id, day, version, content) VALUES (${town.id}, '2026-01-05', 1, '{}'::jsonb)`);
    const district = (await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'district' ORDER BY code LIMIT 1`))[0]!;
    const [hook] = await rows<{ id: number }>(db, sql`INSERT INTO webhook (name, url, format, area_id, events)
      VALUES ('管区群', 'https://example.com/hook', 'json', ${district.id}, '["case.overdue"]'::jsonb) RETURNING id`);
    await db.execute(sql`INSERT INTO outbox (webhook_id, event, payload) VALUES (${hook!.id}, 'case.overdue', '{}'::jsonb)`);
  }, 600_000);
  afterAll(async () => { await t?.close(); fs.rmSync(store.root, { recursive: true, force: true }); });

  it('had demo activity to remove', async () => {
    expect(await count(db, sql`SELECT count(*) FROM case_file WHERE demo`)).toBeGreaterThan(3);
    expect(await count(db, sql`SELECT count(*) FROM public_report`)).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) FROM task_result`)).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) FROM household`)).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) FROM publicity_record`)).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) FROM score_other`)).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) FROM points_account WHERE household_id IS NULL`)).toBeGreaterThan(0);
    expect(jpgFiles(store.root).length).toBeGreaterThan(0);
  });

  it('previews without changing anything', async () => {
    const users = await count(db, sql`SELECT count(*) FROM app_user`);
    const p = (await previewDemoRemoval(db))!;
    expect(p.users).toBe(users - 2); // all but admin and real01
    expect(p.areas).toBeGreaterThan(300); // districts, grids and micro-grids
    expect(p.keptAreas).toBe(4 + 40); // province, city, county, town and its 40 villages
    expect(p.cases).toBeGreaterThan(3);
    expect(await count(db, sql`SELECT count(*) FROM app_user`)).toBe(users);
  });

  it('removes the demo data in one go and keeps what is real', async () => {
    const before = await count(db, sql`SELECT count(*) FROM audit_log`);
    const otherVillages = await count(db, sql`SELECT count(*) FROM area a JOIN area t ON a.path LIKE t.path || '%' AND a.id <> t.id WHERE t.code = ${OTHER_TOWN}`);
    const r = (await removeDemo(db, store))!;
    expect(r.deleted.app_user).toBeGreaterThan(300);
    expect(r.deleted.case_step).toBeGreaterThan(0);
    expect(r.deleted.bulletin).toBe(1);
    expect(r.deleted.outbox).toBe(1);
    expect(r.movedAreas).toBe(40);
    expect(r.files).toBeGreaterThan(0);

    // people: no demo user, their sessions gone; the admin and the real person stay
    expect(await count(db, sql`SELECT count(*) FROM app_user WHERE demo`)).toBe(0);
    expect(await people.userByName(db, 'shuji')).toBeUndefined();
    expect(await people.userByName(db, 'admin')).toBeDefined();
    expect(await count(db, sql`SELECT count(*) FROM session`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM session WHERE id = ${adminSession}`)).toBe(1);
    const grants = await rows<{ role_key: string }>(db, sql`SELECT role_key FROM user_role WHERE user_id = ${realUser}`);
    expect(grants.map((g) => g.role_key)).toEqual(['village_cadre']);

    // activity: nothing the demo made is left
    for (const table of ['case_file', 'case_step', 'case_photo', 'case_request', 'public_report', 'task_result', 'cleaning_turnout',
      'observation_visit', 'household', 'points_account', 'points_entry', 'points_exchange', 'model_round', 'frontage_check',
      'publicity_campaign', 'publicity_record', 'score_other', 'score_rating', 'bulletin', 'notification', 'shop_item']) {
      expect(await count(db, sql`SELECT count(*) FROM ${sql.raw(table)}`), table).toBe(0);
    }
    expect(jpgFiles(store.root)).toEqual([]);

    // areas: the real town with its 40 villages straight under it, as init --town makes them
    const town = (await areaByCode(db, DEMO_TOWN))!;
    expect(town).toMatchObject({ demo: false, population: null, boundary: null });
    const below = await rows<{ level_key: string; parent_id: number; path: string; id: number; demo: boolean; population: number | null }>(db,
      sql`SELECT id, level_key, parent_id, path, demo, population FROM area WHERE path LIKE ${`${town.path}%`} AND id <> ${town.id}`);
    expect(below).toHaveLength(40);
    for (const v of below) {
      expect(v).toMatchObject({ level_key: 'village', parent_id: town.id, path: `${town.path}${v.id}/`, demo: false, population: null });
    }
    expect(await count(db, sql`SELECT count(*) FROM area WHERE demo`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM area WHERE level_key IN ('district', 'grid', 'micro_grid')`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM area a JOIN area t ON a.path LIKE t.path || '%' AND a.id <> t.id WHERE t.code = ${OTHER_TOWN}`))
      .toBe(otherVillages);
    expect(await count(db, sql`SELECT count(*) FROM user_role u JOIN area a ON a.id = u.area_id WHERE u.user_id = ${realUser} AND a.parent_id = ${town.id}`)).toBe(1);

    // the guards are back on, the audit log kept whole with one more entry, and the chain verifies
    const triggers = await rows<{ tgname: string; tgenabled: string }>(db, sql`SELECT tgname, tgenabled FROM pg_trigger
      WHERE tgname IN ('case_step_no_change', 'bulletin_no_change')`);
    expect(triggers.map((x) => x.tgenabled)).toEqual(['O', 'O']);
    expect(await count(db, sql`SELECT count(*) FROM audit_log`)).toBe(before + 1);
    const [last] = await rows<{ action: string; after: { deleted: Record<string, number> } }>(db, sql`SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(last!.action).toBe('demo.remove');
    expect(last!.after.deleted.app_user).toBe(r.deleted.app_user);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('has nothing to do the second time', async () => {
    expect(await hasDemoData(db)).toBe(false);
    expect(await previewDemoRemoval(db)).toBeNull();
    expect(await removeDemo(db, store)).toBeNull();
  });
});

describe('demo remove --all-areas', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await setupDemo(t.database.db);
    await initTown(t.database.db, OTHER_TOWN, { id: null, name: 'test' });
  }, 300_000);
  afterAll(async () => { await t?.close(); });

  it('removes the demo town too, and keeps the county that holds a real town', async () => {
    const db = t.database.db;
    const r = (await removeDemo(db, new PhotoStore(fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-demo-rm-'))), { allAreas: true }))!;
    expect(r.movedAreas).toBe(0);
    expect(r.keptAreas).toBe(3); // province, city and county: the other town lies below them
    expect(await areaByCode(db, DEMO_TOWN)).toBeUndefined();
    expect(await count(db, sql`SELECT count(*) FROM area WHERE demo`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM area WHERE code LIKE ${`${DEMO_TOWN}%`}`)).toBe(0);
    expect(await areaByCode(db, '370321')).toMatchObject({ demo: false });
    expect(await areaByCode(db, OTHER_TOWN)).toBeDefined();
    expect(await count(db, sql`SELECT count(*) FROM app_user`)).toBe(1);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
