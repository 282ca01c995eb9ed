// The job runner on the test database (PGlite, or PostgreSQL with DATABASE_URL): pg-boss installs,
// schedules and runs registered handlers; buildApp alone starts nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/helpers.js';
import { rows, sql, type Db } from '../db/client.js';
import { initTown } from '../modules/areas/network.service.js';
import { notify } from '../modules/notify/notify.service.js';
import { startJobs, stopJobs, type JobsLog } from './jobs.js';
import { coreJobs } from './registry.js';

let t: TestApp;
const errors: { obj: object; msg: string }[] = [];
const log: JobsLog = { info: () => {}, error: (obj, msg) => { errors.push({ obj, msg }); } };

beforeAll(async () => {
  // the test's robot listens on 127.0.0.1, which delivery refuses unless allowed (for tests only)
  process.env.WANGGE_WEBHOOK_ALLOW_PRIVATE = '1';
  t = await buildTestApp();
});
afterEach(async () => { await stopJobs(); });
afterAll(async () => { await t.close(); });

/** Resolves when `check` holds, polling; fails after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('job queue', () => {
  it('building the app starts no jobs: pg-boss is not even installed', async () => {
    const [r] = await rows<{ t: string | null }>(t.database.db, sql`SELECT to_regclass('pgboss.job')::text AS t`);
    expect(r!.t).toBeNull();
  });

  it('runs a registered handler with the database and the time', async () => {
    const calls: { db: Db; now: Date }[] = [];
    await startJobs(t.database, [{ name: 'test.tick', every: 'minute', handler: async (db, now) => { calls.push({ db, now }); return { ok: true }; } }],
      { pollSeconds: 0.5, log });
    await until(() => calls.length > 0);
    expect(calls[0]!.db).toBe(t.database.db);
    expect(calls[0]!.now).toBeInstanceOf(Date);
    const [s] = await rows<{ name: string; cron: string }>(t.database.db, sql`SELECT name, cron FROM pgboss.schedule WHERE name = 'test.tick'`);
    expect(s).toEqual({ name: 'test.tick', cron: '* * * * *' });
  });

  it('a failing run is logged, and the next run happens all the same', async () => {
    let n = 0;
    const jobs = await startJobs(t.database, [{ name: 'test.flaky', every: 'minute', handler: async () => {
      n += 1;
      if (n === 1) throw new Error('first run fails');
    } }], { pollSeconds: 0.5, log });
    await until(() => n >= 1);
    await until(() => errors.some((e) => e.msg === 'job failed'));
    await jobs.runNow('test.flaky'); // null if a run is already waiting: either way one comes
    await until(() => n >= 2);
    await expect(jobs.runNow('no.such.job')).rejects.toThrow('no job named');
    // the schedule of a job no longer registered is dropped at the next start
    await stopJobs();
    await startJobs(t.database, [], { pollSeconds: 0.5, log });
    const names = await rows<{ name: string }>(t.database.db, sql`SELECT name FROM pgboss.schedule ORDER BY name`);
    expect(names).toEqual([]);
  });

  it('refuses a second start, a duplicate name and an unknown cadence', async () => {
    await startJobs(t.database, [], { pollSeconds: 0.5, log });
    await expect(startJobs(t.database, [], { log })).rejects.toThrow('already started');
    await stopJobs();
    const h = async () => {};
    await expect(startJobs(t.database, [{ name: 'a', every: 'minute', handler: h }, { name: 'a', every: 'hour', handler: h }], { log })).rejects.toThrow('twice');
    await expect(startJobs(t.database, [{ name: 'b', every: 'week' as 'minute', handler: h }], { log })).rejects.toThrow('every');
  });

  it('outbox.deliver: a queued webhook message goes out without anyone calling deliverDue', async () => {
    const got: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { got.push(JSON.parse(body)); res.writeHead(200).end('{"errcode":0}'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const db = t.database.db;
      await initTown(db, '370321107', { id: null, name: 'test' });
      const [town] = await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE code = '370321107'`);
      await db.execute(sql`INSERT INTO webhook (name, url, format, events)
        VALUES ('job test', ${`http://127.0.0.1:${(server.address() as AddressInfo).port}/k`}, 'wecom', '["bulletin.issued"]'::jsonb)`);
      const { outbox: [id] } = await db.transaction((tx) => notify(tx as unknown as Db, { userIds: [], kind: 'bulletin.issued', title: '今日通报', areaPath: town!.path }));
      await startJobs(t.database, coreJobs, { pollSeconds: 0.5, log });
      await until(async () => (await rows<{ status: string }>(db, sql`SELECT status FROM outbox WHERE id = ${id}`))[0]!.status === 'delivered');
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('今日通报') } });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
