import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers.js';
import type { Database } from '../../db/client.js';
import { rows, sql } from '../../db/client.js';
import { DomainError } from '../../lib/errors.js';
import { verifyAudit } from '../audit/audit.service.js';
import { stats } from '../stats/stats.service.js';
import { generateGrids, initTown } from './network.service.js';

let d: Database;
beforeAll(async () => { d = await freshDatabase(); });
afterAll(async () => { await d.close(); });

const actor = { id: null, name: 'test' };

describe('any town in China, offline', () => {
  it('creates the town with its real villages and the county, city and province above it', async () => {
    const r = await initTown(d.db, '370321107', actor);
    expect(r).toMatchObject({ town: { name: '新城镇' }, villages: 40 });
    const s = await stats(d.db);
    expect(s.areas).toMatchObject({ province: 1, city: 1, county: 1, town: 1, village: 40, district: 0, grid: 0 });
    const [v] = await rows<{ name: string; official_name: string; county_code: string }>(d.db, sql`SELECT name, official_name, county_code FROM area WHERE code = '370321107240'`);
    expect(v).toEqual({ name: '赵苏村', official_name: '赵苏村委会', county_code: '370321' });
  });

  it('a second town of the same county shares the county above it', async () => {
    const r = await initTown(d.db, '370321109', actor);
    expect(r.town.name).toBe('唐山镇');
    const s = await stats(d.db);
    expect(s.areas).toMatchObject({ county: 1, town: 2 });
    const towns = await rows<{ parent: string }>(d.db, sql`SELECT p.code AS parent FROM area t JOIN area p ON p.id = t.parent_id WHERE t.level_key = 'town'`);
    expect(towns.map((t) => t.parent)).toEqual(['370321', '370321']);
  });

  it('a town far away gets its own chain', async () => {
    const r = await initTown(d.db, '110101001', actor);
    expect(r.town.name).toBe('东华门街道');
    expect((await stats(d.db)).areas.province).toBe(2);
  });

  it('refuses an unknown code, a malformed code and a town set up twice, writing nothing', async () => {
    const before = await stats(d.db);
    for (const [code, expected] of [['999999999', 'UNKNOWN_TOWN'], ['37032110', 'BAD_INPUT'], ['370321107', 'TOWN_EXISTS']] as const) {
      const err = await initTown(d.db, code, actor).catch((e) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(expected);
    }
    expect(await stats(d.db)).toEqual(before);
  });

  it('generates grids and micro-grids for a demo, codes extending the village, totals exact', async () => {
    const r = await initTown(d.db, '370321110', actor);
    const g = await generateGrids(d.db, '370321110', { grids: r.villages * 2 + 5, microGrids: r.villages * 3 }, actor);
    expect(g).toMatchObject({ villages: r.villages });
    const [c] = await rows<{ grids: number; micro: number; bad: number }>(d.db, sql`SELECT
      count(*) FILTER (WHERE level_key = 'grid') AS grids, count(*) FILTER (WHERE level_key = 'micro_grid') AS micro,
      count(*) FILTER (WHERE level_key IN ('grid', 'micro_grid') AND NOT demo) AS bad
      FROM area WHERE code LIKE '370321110%'`);
    expect({ grids: Number(c!.grids), micro: Number(c!.micro), bad: Number(c!.bad) }).toEqual({ grids: r.villages * 2 + 5, micro: r.villages * 3, bad: 0 });
    const err = await generateGrids(d.db, '370321110', { grids: 200, microGrids: 300 }, actor).catch((e) => e);
    expect((err as DomainError).code).toBe('NOTHING_TO_GENERATE');
    const few = await generateGrids(d.db, '370321107', { grids: 3, microGrids: 10 }, actor).catch((e) => e);
    expect((few as DomainError).status).toBe(400);
  });

  it('audit verify names the first entry changed behind the log\'s back', async () => {
    expect((await verifyAudit(d.db)).ok).toBe(true);
    // Only someone able to drop the guard can do this; the chain still tells.
    await d.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
    await d.db.execute(sql`UPDATE audit_log SET after = '{"villages": 41}'::jsonb WHERE id = 2`);
    await d.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
    const r = await verifyAudit(d.db);
    expect(r).toMatchObject({ ok: false, brokenId: 2, checked: 1 });
  });
});
