// The database pg-boss talks to: its `db` option, `executeSql(text, values)`, on our own connections.
//
// PGlite is one Postgres session shared by the whole process. Its node-postgres adapter
// (`@electric-sql/pglite/node-postgres`) writes protocol messages straight into that session,
// past the mutex that PGlite's own query()/exec()/transaction() hold. Tried (scratch scripts, not
// kept): a query sent through the adapter while the app has a transaction open runs *inside* that
// transaction, and pg-boss's maintenance SQL (`BEGIN; … pg_advisory_xact_lock …; COMMIT;`) sent
// in that window committed the app's half-done transaction, which the app then meant to roll back.
// So pg-boss does not use the adapter: it goes through PGlite's public API, which queues behind any
// open transaction:
//   - with parameters: pglite.query(text, values), the values prepared as node-postgres prepares
//     them (arrays → Postgres array literals, objects → JSON, dates → timestamps);
//   - without (pg-boss's multi-statement scripts, with their own BEGIN/COMMIT): run by exec inside
//     pglite.transaction(), so the script holds the session alone from start to end, and a script
//     that fails half way is rolled back instead of leaving the shared session in a failed
//     transaction. (Its own BEGIN inside ours only draws a warning; its COMMIT ends both.)
// Advisory locks work: on one session pg_advisory_xact_lock is always granted at once, which is
// right since nothing else can run while the script holds the session.
//
// On PostgreSQL the same object runs on the app's pool; a script without parameters gets a client
// of its own and a ROLLBACK if it fails, so no pooled connection is handed back mid-transaction.
import pg from 'pg';
import type { Database } from '../db/client.js';

export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue;

type Result = { rows: unknown[] };
const last = (results: Result | Result[]): Result =>
  Array.isArray(results) ? (results[results.length - 1] ?? { rows: [] }) : results;

export function bossDb(database: Database): BossDb {
  if (database.kind === 'pglite') {
    const pglite = database.pglite!;
    return {
      async executeSql(text, values) {
        if (values && values.length) return pglite.query(text, values.map((v) => prepareValue(v)));
        return last(await pglite.transaction((tx) => tx.exec(text)));
      },
    };
  }
  const pool = database.pool!;
  return {
    async executeSql(text, values) {
      if (values && values.length) return pool.query(text, values);
      const client = await pool.connect();
      try {
        return last((await client.query(text)) as unknown as Result | Result[]);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}
