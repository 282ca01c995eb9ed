// Opens the database: PGlite (embedded, in a folder) by default, PostgreSQL with DATABASE_URL.
// One set of generated migrations runs on both; reference data (levels, roles) is upserted after.
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { LEVELS, ROLES } from '../../../../packages/shared/src/mechanism.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
  /** the PGlite instance when embedded (tests copy its data dir) */
  pglite?: PGlite;
  pool?: pg.Pool;
}

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'apps/api/migrations');

// Same JS types from both drivers: int8 as number (ids and counts stay far below 2^53),
// dates as 'YYYY-MM-DD' strings (no time zone shift on a calendar day).
const int8 = (v: string) => Number(v);
const asText = (v: string) => v;
pg.types.setTypeParser(20, int8);
pg.types.setTypeParser(1082, asText);
pg.types.setTypeParser(1700, (v: string) => Number(v));

export const pgliteParsers = {
  [pgliteTypes.INT8]: int8,
  [pgliteTypes.DATE]: asText,
  [pgliteTypes.NUMERIC]: (v: string) => Number(v),
};

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob | File): Promise<Database> {
  const client = await PGlite.create({ dataDir, loadDataDir, parsers: pgliteParsers, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: () => client.close() };
}

export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => { /* a dropped idle client is replaced on next use */ });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string }): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  await migrateDatabase(database);
  return database;
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    // Several API processes may start at once: one migrates, the others wait.
    const client = await database.pool!.connect();
    try {
      await client.query('SELECT pg_advisory_lock(727001)');
      await migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.query('SELECT pg_advisory_unlock(727001)').catch(() => {});
      client.release();
    }
  }
  await seedReference(database.db);
}

async function seedReference(db: Db): Promise<void> {
  for (const l of LEVELS) {
    await db.insert(schema.areaLevel).values({ key: l.key, rank: l.rank, nameZh: l.zh, nameEn: l.en })
      .onConflictDoUpdate({ target: schema.areaLevel.key, set: { nameZh: l.zh, nameEn: l.en } });
  }
  let sort = 0;
  for (const r of ROLES) {
    sort += 1;
    await db.insert(schema.role)
      .values({ key: r.key, nameZh: r.zh, nameEn: r.en, canWrite: r.write, canManage: r.manage, sort })
      .onConflictDoUpdate({
        target: schema.role.key,
        set: { nameZh: r.zh, nameEn: r.en, canWrite: r.write, canManage: r.manage, sort },
      });
  }
}

/** Raw SQL for reports and tree queries; both drivers return { rows }. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export { sql, schema };
