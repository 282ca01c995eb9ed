// Recurring jobs (deliver the outbox, sweep deadlines …) on pg-boss 10, on both databases.
//
// Why pg-boss on PGlite too: it runs there once its SQL goes through PGlite's own query API (see
// boss-db.ts for what was tried and why not the node-postgres adapter): its install script,
// its BEGIN … pg_advisory_xact_lock … COMMIT maintenance, FOR UPDATE SKIP LOCKED fetches and cron
// all work on the single session. One code path on both databases; on PostgreSQL several API
// processes share the schedule, and each minute's run happens once, in one of them.
//
// Each job has its own queue with the 'stately' policy (at most one run waiting and one running,
// across all processes), no retries (the next minute is the retry), and a time limit: a run
// still going after `timeoutSeconds` counts as failed. If a process dies mid-run (SIGKILL, power
// loss), its run stays 'active' until that limit has passed and pg-boss's maintenance (every two
// minutes) fails it; the queue then moves on. So after a crash a job may pause for up to
// timeoutSeconds + 2 minutes; nothing is lost, since each run starts from what the tables say.
// Handlers therefore must be safe to run again and to be cut short (deliverDue and the
// deadline sweep are: each row is claimed or marked in its own transaction).
//
// buildApp never starts jobs; server.ts does after listen, and stops them on shutdown.
import PgBoss from 'pg-boss';
import type { Database, Db } from '../db/client.js';
import { bossDb } from './boss-db.js';

export interface RecurringJob {
  /** queue name, e.g. 'outbox.deliver' */
  name: string;
  every: 'minute' | 'hour' | 'day';
  handler(db: Db, now: Date): Promise<unknown>;
  /** a run longer than this counts as failed; default 300 */
  timeoutSeconds?: number;
}

export interface JobsLog {
  debug?(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobsOptions {
  log?: JobsLog;
  /** how often workers look for due runs, in seconds (≥ 0.5); default 5. Tests use 0.5. */
  pollSeconds?: number;
}

export interface Jobs {
  boss: PgBoss;
  /** queues a run of a registered job now (ignored while one is already waiting); the job's id or null */
  runNow(name: string): Promise<string | null>;
  stop(): Promise<void>;
}

// 'day' runs at 00:00 China time, when yesterday is complete.
const CRON: Record<RecurringJob['every'], { cron: string; tz: string }> = {
  minute: { cron: '* * * * *', tz: 'UTC' },
  hour: { cron: '0 * * * *', tz: 'UTC' },
  day: { cron: '0 0 * * *', tz: 'Asia/Shanghai' },
};

const consoleLog: JobsLog = {
  info: (o, m) => console.log(m, o),
  error: (o, m) => console.error(m, o),
};

let current: Jobs | null = null;

export async function startJobs(database: Database, jobs: RecurringJob[], opts: JobsOptions = {}): Promise<Jobs> {
  if (current) throw new Error('jobs already started: stopJobs() first');
  const log = opts.log ?? consoleLog;
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.name)) throw new Error(`job "${j.name}" registered twice`);
    names.add(j.name);
    if (!CRON[j.every]) throw new Error(`job "${j.name}": every must be minute, hour or day`);
  }
  const poll = Math.max(0.5, opts.pollSeconds ?? 5);
  const boss = new PgBoss({
    db: bossDb(database) as unknown as PgBoss.Db,
    cronMonitorIntervalSeconds: Math.min(30, Math.max(1, Math.round(poll))),
    cronWorkerIntervalSeconds: Math.min(45, Math.max(1, Math.round(poll))),
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 2,
  });
  boss.on('error', (err: Error) => log.error({ err }, 'job queue error'));
  await boss.start();
  try {
    for (const s of await boss.getSchedules()) {
      if (!names.has(s.name)) await boss.unschedule(s.name); // a job no longer in the code
    }
    for (const j of jobs) {
      const queue = { name: j.name, policy: 'stately' as const, retryLimit: 0, expireInSeconds: j.timeoutSeconds ?? 300 };
      await boss.createQueue(j.name, queue);
      await boss.updateQueue(j.name, queue);
      await boss.schedule(j.name, CRON[j.every].cron, undefined, { tz: CRON[j.every].tz });
      await boss.work(j.name, { pollingIntervalSeconds: poll, batchSize: 1 }, async () => {
        const started = Date.now();
        try {
          const result = await j.handler(database.db, new Date());
          log.debug?.({ job: j.name, ms: Date.now() - started, result }, 'job done');
          return result;
        } catch (err) {
          log.error({ job: j.name, err }, 'job failed');
          throw err;
        }
      });
    }
  } catch (e) {
    await boss.stop({ graceful: false }).catch(() => {});
    throw e;
  }
  const handle: Jobs = {
    boss,
    runNow: async (name) => {
      if (!names.has(name)) throw new Error(`no job named "${name}"`);
      return boss.send(name, {});
    },
    stop: async () => {
      if (current === handle) current = null;
      // Waits up to 10 s for runs in progress; any still going are marked failed (the next run redoes them).
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
  current = handle;
  log.info({ jobs: jobs.map((j) => `${j.name}/${j.every}`), database: database.kind }, 'job queue started');
  return handle;
}

export async function stopJobs(): Promise<void> {
  await current?.stop();
}
