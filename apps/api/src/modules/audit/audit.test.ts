// The audit log on a real database: each reader sees the entries of their areas only, and the
// keyed chain with its anchor tells a rewritten entry or a cut-off tail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, TEST_AUDIT_KEY, type TestApp } from '../../../test/helpers.js';
import { rows, sql, type Db } from '../../db/client.js';
import type { Actor, Grant } from '../access/policy.js';
import { initTown } from '../areas/network.service.js';
import { setupDemo } from '../demo/demo.js';
import { appendAudit } from './audit.repository.js';
import { auditAnchor, readAudit, sendAnchor, verifyAudit } from './audit.service.js';
import { insertWebhook } from '../notify/notify.repository.js';
import { wecomBody } from '../notify/formats.js';
import { entryHash, entryMac, parseAnchor } from './chain.js';
import { auditKey, setAuditKey } from './key.js';

let t: TestApp;
let db: Db;
type Area = { id: number; path: string; name: string };
let town: Area;
let villageA: Area;
let villageB: Area;
let otherTown: Area;

const area = async (where: ReturnType<typeof sql>) => {
  const [a] = await rows<Area>(db, sql`SELECT id, path, name FROM area WHERE ${where} ORDER BY code LIMIT 1`);
  return { ...a!, id: Number(a!.id) };
};

function actor(grants: { roleKey: string; area: Area | null; manage?: boolean }[]): Actor {
  return {
    id: 1, username: 'x', displayName: 'x', mustChangePassword: false,
    grants: grants.map((g): Grant => ({ roleKey: g.roleKey, areaId: g.area?.id ?? null, areaPath: g.area?.path ?? null, areaName: g.area?.name ?? null,
      canWrite: true, canManage: g.manage ?? false })),
  };
}

const mark = (entityId: string, areaPath: string | null) => db.transaction((tx) =>
  appendAudit(tx, { actorId: null, actorName: 'test', action: 'test.mark', entity: 'test_mark', entityId, after: { entityId }, areaPath }));

const marksSeenBy = async (a: Actor) => (await readAudit(db, a, { entity: 'test_mark', limit: 500 })).map((e) => e.entityId).sort();

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  await setupDemo(db);
  await initTown(db, '370321110', { id: null, name: 'test' });
  town = await area(sql`code = '370321107'`);
  otherTown = await area(sql`code = '370321110'`);
  villageA = await area(sql`level_key = 'village' AND path LIKE ${`${town.path}%`}`);
  villageB = await area(sql`level_key = 'village' AND path LIKE ${`${town.path}%`} AND id <> ${villageA.id}`);
  await mark('A', villageA.path);
  await mark('B', villageB.path);
  await mark('town', town.path);
  await mark('other', otherTown.path);
  await mark('wide', null);
});
afterAll(async () => { await t?.close(); });

describe('who reads which entries', () => {
  it('a global reader sees every entry, install-wide ones too', async () => {
    expect(await marksSeenBy(actor([{ roleKey: 'admin', area: null, manage: true }]))).toEqual(['A', 'B', 'other', 'town', 'wide']);
  });
  it('a town administrator sees the entries of that town only', async () => {
    expect(await marksSeenBy(actor([{ roleKey: 'town_admin', area: town, manage: true }]))).toEqual(['A', 'B', 'town']);
    expect(await marksSeenBy(actor([{ roleKey: 'town_admin', area: otherTown, manage: true }]))).toEqual(['other']);
  });
  it('a reader in village A does not see village B, the town or install-wide entries', async () => {
    expect(await marksSeenBy(actor([{ roleKey: 'village_cadre', area: villageA }]))).toEqual(['A']);
    expect(await marksSeenBy(actor([{ roleKey: 'village_cadre', area: villageA }, { roleKey: 'town_admin', area: otherTown, manage: true }]))).toEqual(['A', 'other']);
    expect(await marksSeenBy(actor([]))).toEqual([]);
  });
  it('through the API: a change in a village is the town administrator\'s to read, another town\'s is not', async () => {
    const zhen = await login(t.app, 'zhenadmin', 'demo1234');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/areas/${villageA.id}`, headers: { cookie: zhen }, payload: { population: 1234 } });
    expect(res.statusCode, res.body).toBe(200);
    const list = await t.app.inject({ url: '/api/v1/audit?limit=500', headers: { cookie: zhen } });
    expect(list.statusCode, list.body).toBe(200);
    const seen = list.json() as { action: string; entityId: string | null; areaPath: string | null }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.areaPath?.startsWith(town.path))).toBe(true);
    expect(seen).toContainEqual(expect.objectContaining({ action: 'area.update', entityId: String(villageA.id), areaPath: villageA.path }));
    expect(seen.map((e) => e.entityId)).not.toContain('wide');
    const other = await readAudit(db, actor([{ roleKey: 'town_admin', area: otherTown, manage: true }]), { entity: 'area' });
    expect(other.map((e) => e.entityId)).not.toContain(String(villageA.id));
    const admin = await login(t.app, 'admin', ADMIN_PASSWORD);
    const all = (await t.app.inject({ url: '/api/v1/audit?entity=test_mark', headers: { cookie: admin } })).json() as { entityId: string }[];
    expect(all.map((e) => e.entityId).sort()).toEqual(['A', 'B', 'other', 'town', 'wide']);
  });
});

describe('the keyed chain on the database', () => {
  const tamper = async (statement: ReturnType<typeof sql>) => {
    await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
    try { await db.execute(statement); } finally { await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`); }
  };
  const last = async () => ({ id: Number((await rows<{ id: number }>(db, sql`SELECT max(id) AS id FROM audit_log`))[0]!.id) });

  it('entries written since the app started carry a mac under the configured key', async () => {
    expect(auditKey()).toBe(TEST_AUDIT_KEY);
    const r = await verifyAudit(db);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.firstKeyedId).not.toBeNull();
    expect(r.unkeyed).toBe(r.firstKeyedId! - 1); // the first administrator, made before the app had its key
    const [e] = await rows<{ hash: string; mac: string | null }>(db, sql`SELECT hash, mac FROM audit_log WHERE entity = 'test_mark' AND entity_id = 'A'`);
    expect(e!.mac).toBe(entryMac(TEST_AUDIT_KEY, e!.hash));
  });

  it('the last entry rewritten with its hash recomputed passes the hash chain but not the mac', async () => {
    await mark('tail', villageA.path);
    const { id } = await last();
    const [row] = await rows<{ at: Date; prev_hash: string }>(db, sql`SELECT at, prev_hash FROM audit_log WHERE id = ${id}`);
    const forged = { id, at: new Date(row!.at).toISOString(), actorId: null, actorName: 'test', action: 'test.mark', entity: 'test_mark', entityId: 'tail',
      before: null, after: { entityId: 'changed' }, areaPath: villageA.path };
    const hash = entryHash(forged, row!.prev_hash);
    await tamper(sql`UPDATE audit_log SET after = '{"entityId":"changed"}'::jsonb, hash = ${hash} WHERE id = ${id}`);
    const r = await verifyAudit(db);
    expect(r).toMatchObject({ ok: false, brokenId: id });
    expect(!r.ok && r.reason).toMatch(/mac does not match/);
    // put it right again (as if restored from a backup) for the next test
    await tamper(sql`DELETE FROM audit_log WHERE id = ${id}`);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('a cut-off tail verifies as a chain, and the anchor tells; so does a tail written again', async () => {
    await mark('before-anchor', villageB.path);
    const a = (await auditAnchor(db))!;
    expect(parseAnchor(a.line)).toEqual(a.anchor);
    expect(await verifyAudit(db, { anchor: a.anchor })).toMatchObject({ ok: true, anchor: { id: a.anchor.id, ok: true } });
    expect(await verifyAudit(db, { anchor: { id: a.anchor.id, hash: a.anchor.hash } })).toMatchObject({ ok: true });
    await tamper(sql`DELETE FROM audit_log WHERE id = ${a.anchor.id}`);
    expect((await verifyAudit(db)).ok).toBe(true); // the hash chain alone cannot tell
    const cut = await verifyAudit(db, { anchor: a.anchor });
    expect(cut).toMatchObject({ ok: false, brokenId: a.anchor.id, anchor: { ok: false } });
    expect(!cut.ok && cut.reason).toMatch(/gone/);
    await mark('after-cut', villageB.path); // takes the anchored id again
    const again = await verifyAudit(db, { anchor: a.anchor });
    expect(again).toMatchObject({ ok: false, brokenId: a.anchor.id });
    expect(!again.ok && again.reason).toMatch(/hash differs/);
  });

  it('anchor --webhook queues the head line to the robot through the outbox', async () => {
    const a = (await auditAnchor(db))!;
    const hook = await insertWebhook(db, { name: '审计锚点群', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x', format: 'wecom', secret: null, areaId: null, events: [], active: true });
    const outboxId = await sendAnchor(db, hook, a);
    const [o] = await rows<{ event: string; payload: Parameters<typeof wecomBody>[0]; status: string }>(db, sql`SELECT event, payload, status FROM outbox WHERE id = ${outboxId}`);
    expect(o).toMatchObject({ event: 'audit.anchor', status: 'pending' });
    expect(JSON.stringify(wecomBody(o!.payload))).toContain(a.anchor.hash);
    await expect(sendAnchor(db, hook + 1000, a)).rejects.toMatchObject({ status: 404 });
  });

  it('an entry without a mac after keyed ones is a break, and appendAudit refuses to write one', async () => {
    const { id } = await last();
    await tamper(sql`UPDATE audit_log SET mac = NULL WHERE id = ${id}`);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenId: id });
    await tamper(sql`UPDATE audit_log SET mac = ${entryMac(TEST_AUDIT_KEY, (await rows<{ hash: string }>(db, sql`SELECT hash FROM audit_log WHERE id = ${id}`))[0]!.hash)} WHERE id = ${id}`);
    expect((await verifyAudit(db)).ok).toBe(true);
    setAuditKey(null);
    try {
      await expect(mark('unkeyed', null)).rejects.toThrow(/audit key is not set/);
    } finally {
      setAuditKey(TEST_AUDIT_KEY);
    }
  });
});
