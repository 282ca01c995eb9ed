// The demo's residents' reports go through the real intake: placed, handled, rated, counted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, testConfig, type TestApp } from '../../../test/helpers.js';
import { rows, sql } from '../../db/client.js';
import { PhotoStore } from '../evidence/storage.js';
import { setupDemo } from './demo.js';
import { generateDemoPublicReports } from './public.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); await setupDemo(t.database.db); });
afterAll(async () => { await t.close(); });

it('makes resident reports placed in micro-grids, most closed and rated, one reopened', async () => {
  const r = await generateDemoPublicReports(t.database.db, new PhotoStore(testConfig().photoDir), { days: 30 });
  expect(r.reports).toBeGreaterThan(10);
  const [s] = await rows<Record<string, number>>(t.database.db, sql`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE p.placement = 'micro_grid')::int AS placed, count(*) FILTER (WHERE p.rating IS NOT NULL)::int AS rated,
      count(*) FILTER (WHERE p.reopened_at IS NOT NULL)::int AS reopened, count(*) FILTER (WHERE p.responded_at IS NOT NULL)::int AS responded,
      count(*) FILTER (WHERE c.state = 'closed')::int AS closed, count(*) FILTER (WHERE p.phone IS NOT NULL)::int AS phones
    FROM public_report p JOIN case_file c ON c.id = p.case_id`);
  expect(s!.n).toBe(r.reports);
  expect(s!.placed).toBe(s!.n);
  expect(s!.closed).toBeGreaterThan(0);
  expect(s!.rated).toBeGreaterThan(0);
  expect(s!.responded).toBeGreaterThan(s!.closed - 1);
  expect(s!.phones).toBeGreaterThan(0);
  expect(s!.reopened).toBeLessThanOrEqual(1);
});
