// The bulk import path for a whole province (560k areas): the same rows `insertTree` makes
// (ids from the area sequence, path '/1/5/23/', depth, county_code, pinyin search text), streamed
// into PostgreSQL with COPY in one transaction instead of multi-row INSERTs.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pinyin } from 'pinyin-pro';
import { drizzle } from 'drizzle-orm/node-postgres';
import { TransactionRollbackError } from 'drizzle-orm';
import { rows, schema, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import * as repo from '../apps/api/src/modules/areas/areas.repository.js';
import { countyOf, searchText } from '../apps/api/src/modules/areas/rules.js';
import { insertTree } from '../apps/api/src/modules/areas/network.service.js';
import { appendAudit } from '../apps/api/src/modules/audit/audit.repository.js';
import type { AreaSpec } from './generate.js';

export const AREA_COLUMNS = ['id', 'code', 'name', 'official_name', 'level_key', 'parent_id', 'path', 'depth', 'county_code',
  'population', 'households', 'size_class', 'is_key', 'boundary', 'search', 'demo'] as const;

// --- search text, memoised -------------------------------------------------------------------
// searchText(name) = "name pinyin initials". Generated names are a village name + a suffix that
// starts with an ASCII digit ("毛家村2号网格", "毛家村2-1微网格"); pinyin-pro segments words
// only within runs of Chinese characters and keeps non-Chinese runs whole, so the pinyin of the
// whole is the pinyin of the stem followed by that of the suffix. Each stem and suffix is
// converted once (checked against searchText on a sample after every import: `checkSearch`).
const partCache = new Map<string, { full: string; init: string }>();
function parts(s: string) {
  let p = partCache.get(s);
  if (!p) {
    p = {
      full: pinyin(s, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase(),
      init: pinyin(s, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase(),
    };
    partCache.set(s, p);
  }
  return p;
}

export function fastSearchText(name: string): string {
  const at = name.search(/[0-9]/);
  if (at <= 0) {
    const p = parts(name);
    return `${name.toLowerCase()} ${p.full} ${p.init}`;
  }
  const a = parts(name.slice(0, at));
  const b = parts(name.slice(at));
  return `${name.toLowerCase()} ${a.full}${b.full} ${a.init}${b.init}`;
}

/** Compares the memoised search text with the project's searchText on every nth name. */
export function checkSearch(specs: AreaSpec[], every = 97): { checked: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checked = 0;
  for (let i = 0; i < specs.length; i += every) {
    const n = specs[i]!.name;
    checked += 1;
    if (fastSearchText(n) !== searchText(n)) mismatches.push(n);
  }
  return { checked, mismatches };
}

// --- rows, as insertTree builds them ---------------------------------------------------------
type Known = { id: number; path: string; depth: number };

const esc = (v: string) => v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
const txt = (v: string | null) => (v === null ? '\\N' : esc(v));
const num = (v: number | null) => (v === null ? '\\N' : String(v));

/** One COPY text line for a spec, with insertTree's id, path, depth, parent, county and search. */
function renderRow(s: AreaSpec, id: number, parent: Known | undefined): { line: string; known: Known } {
  const path = `${parent?.path ?? '/'}${id}/`;
  const depth = (parent?.depth ?? -1) + 1;
  const line = [
    String(id), esc(s.code), esc(s.name), txt(s.officialName), s.level, num(parent?.id ?? null), path, String(depth),
    txt(countyOf(s.code)), num(s.population), num(s.households), txt(s.sizeClass), s.isKey ? 't' : 'f',
    s.boundary == null ? '\\N' : esc(JSON.stringify(s.boundary)), esc(fastSearchText(s.name)), s.demo ? 't' : 'f',
  ].join('\t');
  return { line: `${line}\n`, known: { id, path, depth } };
}

/** Reserves n ids from the area sequence; one range when nobody else drew in between. */
async function reserveIdRange(tx: Db, n: number): Promise<(i: number) => number> {
  const [r] = await rows<{ lo: number; hi: number; n: number }>(tx, sql`SELECT min(x) AS lo, max(x) AS hi, count(*) AS n
    FROM (SELECT nextval(pg_get_serial_sequence('area', 'id')) AS x FROM generate_series(1, ${n})) s`);
  if (Number(r!.hi) - Number(r!.lo) + 1 === n) { const lo = Number(r!.lo); return (i) => lo + i; }
  const list = await repo.reserveIds(tx, n); // someone drew ids meanwhile: take an explicit list
  return (i) => list[i]!;
}

export interface ImportResult { rows: number; ms: number; text?: string[] }

/**
 * Imports areas given parent-before-child (by code; existing codes are reused as parents, as in
 * insertTree), in one transaction: reserve ids, COPY the rendered rows, append one audit entry.
 * `keepText` returns the rendered COPY text (for the raw-COPY baseline).
 */
export async function importAreas(database: Database, specs: AreaSpec[], opts: {
  keepText?: boolean; onProgress?: (done: number) => void; chunkRows?: number; actor?: { id: number | null; name: string };
} = {}): Promise<ImportResult> {
  const t0 = performance.now();
  const client = await database.pool!.connect();
  const tx = drizzle(client, { schema }) as unknown as Db;
  const kept: string[] = [];
  try {
    await client.query('BEGIN');
    const idAt = await reserveIdRange(tx, specs.length);
    const known = new Map<string, Known>();
    const seen = new Set<string>();
    for (const s of specs) { // parents outside the batch already exist (as insertTree looks them up)
      if (s.parent && !seen.has(s.parent) && !known.has(s.parent)) {
        const p = await repo.findByCode(tx, s.parent);
        if (!p) throw new Error(`parent ${s.parent} missing`);
        known.set(s.parent, { id: p.id, path: p.path, depth: p.depth });
      }
      seen.add(s.code);
    }
    seen.clear();
    const chunkRows = opts.chunkRows ?? 2000;
    async function* chunks() {
      for (let i = 0; i < specs.length; i += chunkRows) {
        let out = '';
        const end = Math.min(i + chunkRows, specs.length);
        for (let j = i; j < end; j++) {
          const s = specs[j]!;
          const parent = s.parent ? known.get(s.parent) : undefined;
          if (s.parent && !parent) throw new Error(`parent ${s.parent} of ${s.code} comes after it or is missing`);
          const r = renderRow(s, idAt(j), parent);
          known.set(s.code, r.known);
          out += r.line;
        }
        if (opts.keepText) kept.push(out);
        opts.onProgress?.(end);
        yield out;
      }
    }
    const copy = client.query(copyFrom(`COPY area (${AREA_COLUMNS.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(chunks()), copy);
    const root = specs[0];
    if (root) {
      await appendAudit(tx, { actorId: opts.actor?.id ?? null, actorName: opts.actor?.name ?? 'bench', action: 'areas.import',
        entity: 'area', entityId: known.get(root.code)!.id, after: { root: root.code, created: specs.length } });
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  return { rows: specs.length, ms: performance.now() - t0, text: opts.keepText ? kept : undefined };
}

/** The plain way: COPY pre-rendered text into an empty copy of the table (indexes, no FKs). */
export async function rawCopyBaseline(database: Database, text: string[]): Promise<{ rows: number; ms: number }> {
  const client: pg.PoolClient = await database.pool!.connect();
  try {
    await client.query('DROP TABLE IF EXISTS area_copy');
    await client.query('CREATE TABLE area_copy (LIKE area INCLUDING ALL)');
    const t0 = performance.now();
    const copy = client.query(copyFrom(`COPY area_copy (${AREA_COLUMNS.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(text), copy);
    const ms = performance.now() - t0;
    await client.query('DROP TABLE area_copy');
    return { rows: copy.rowCount, ms };
  } finally {
    client.release();
  }
}

/**
 * Proof that the bulk path makes insertTree's rows: runs the real insertTree for the same specs
 * into a scratch schema's copy of the area table, then compares every column (ids mapped to
 * codes, paths as code chains) with what the bulk import wrote. Returns the differing codes.
 */
export async function compareWithInsertTree(database: Database, specs: AreaSpec[]): Promise<{ compared: number; differing: string[] }> {
  const cols = sql`a.code, a.name, a.official_name, a.level_key, a.depth, a.county_code, a.population, a.households,
    a.size_class, a.is_key, a.boundary, a.search, a.demo, a.path, p.code AS parent_code`;
  type R = Record<string, unknown> & { code: string; path: string };
  const codes = specs.map((s) => s.code);
  const chain = (list: R[], idCode: Map<string, string>) => new Map(list.map((r) => [r.code,
    JSON.stringify({ ...r, path: r.path.split('/').filter(Boolean).map((i) => idCode.get(i) ?? `?${i}`).join('/') })]));
  const byIdCode = async (db: Db, table: SQL) => {
    const list = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM ${table}`);
    return new Map(list.map((r) => [String(r.id), r.code]));
  };
  const mine = await rows<R>(database.db, sql`SELECT ${cols} FROM area a LEFT JOIN area p ON p.id = a.parent_id
    WHERE a.code = ANY(${sql.param(codes)}::text[])`);
  const mineIds = await rows<{ id: number; code: string }>(database.db, sql`SELECT id, code FROM area WHERE code = ANY(${sql.param(codes)}::text[])`);
  const mineMap = chain(mine, new Map(mineIds.map((r) => [String(r.id), r.code])));
  let theirs = new Map<string, string>();
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`CREATE SCHEMA bench_check`);
    await tx.execute(sql`CREATE TABLE bench_check.area (LIKE public.area INCLUDING ALL)`);
    await tx.execute(sql`SET LOCAL search_path = bench_check, public`);
    await insertTree(tx, specs);
    const list = await rows<R>(tx, sql`SELECT ${cols} FROM bench_check.area a LEFT JOIN bench_check.area p ON p.id = a.parent_id`);
    theirs = chain(list, await byIdCode(tx, sql`bench_check.area`));
    tx.rollback();
  }).catch((e: unknown) => { if (!(e instanceof TransactionRollbackError)) throw e; });
  const differing = codes.filter((c) => mineMap.get(c) !== theirs.get(c));
  return { compared: codes.length, differing };
}
type SQL = ReturnType<typeof sql>;
