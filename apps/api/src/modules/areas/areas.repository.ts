// The only place with area queries. Subtrees are prefix scans on `path` (text_pattern_ops index).
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import type { LevelKey } from '../../../../../packages/shared/src/mechanism.js';

export interface AreaRow {
  id: number;
  code: string;
  name: string;
  officialName: string | null;
  level: LevelKey;
  parentId: number | null;
  path: string;
  depth: number;
  countyCode: string | null;
  population: number | null;
  households: number | null;
  sizeClass: string | null;
  isKey: boolean;
  boundary: unknown;
  demo: boolean;
  archivedAt: Date | null;
  version: number;
  childCount?: number;
}

const COLS = sql`a.id, a.code, a.name, a.official_name AS "officialName", a.level_key AS level,
  a.parent_id AS "parentId", a.path, a.depth, a.county_code AS "countyCode", a.population, a.households,
  a.size_class AS "sizeClass", a.is_key AS "isKey", a.boundary, a.demo, a.archived_at AS "archivedAt", a.version`;
const CHILDREN = sql`(SELECT count(*) FROM area c WHERE c.parent_id = a.id AND c.archived_at IS NULL) AS "childCount"`;

/** SQL condition: the area `a` lies inside one of the given subtree roots. */
export function insideRoots(roots: string[] | 'all'): SQL {
  if (roots === 'all') return sql`TRUE`;
  if (roots.length === 0) return sql`FALSE`;
  return sql`(${sql.join(roots.map((p) => sql`a.path LIKE ${`${p}%`}`), sql` OR `)})`;
}

export async function findById(db: Db, id: number): Promise<AreaRow | undefined> {
  const [r] = await rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a WHERE a.id = ${id}`);
  return r;
}

export async function findByCode(db: Db, code: string): Promise<AreaRow | undefined> {
  const [r] = await rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a WHERE a.code = ${code}`);
  return r;
}

export async function findByIdForUpdate(tx: Db, id: number): Promise<AreaRow | undefined> {
  const [r] = await rows<AreaRow>(tx, sql`SELECT ${COLS} FROM area a WHERE a.id = ${id} FOR UPDATE`);
  return r;
}

export async function listChildren(db: Db, parentId: number, includeArchived: boolean): Promise<AreaRow[]> {
  return rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a WHERE a.parent_id = ${parentId}
    ${includeArchived ? sql`` : sql`AND a.archived_at IS NULL`} ORDER BY a.code`);
}

export async function listTop(db: Db, roots: string[] | 'all'): Promise<AreaRow[]> {
  if (roots === 'all') {
    return rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a WHERE a.parent_id IS NULL ORDER BY a.code`);
  }
  if (roots.length === 0) return [];
  return rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a WHERE a.path IN (${sql.join(roots.map((p) => sql`${p}`), sql`, `)}) ORDER BY a.code`);
}

export async function listByIds(db: Db, ids: number[]): Promise<AreaRow[]> {
  if (ids.length === 0) return [];
  return rows<AreaRow>(db, sql`SELECT ${COLS} FROM area a WHERE a.id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) ORDER BY a.depth`);
}

export async function search(db: Db, q: string, roots: string[] | 'all', level: string | null, limit: number): Promise<AreaRow[]> {
  const needle = `%${q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
  return rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a
    WHERE ${insideRoots(roots)} AND a.archived_at IS NULL
      ${level ? sql`AND a.level_key = ${level}` : sql``}
      AND (a.code LIKE ${`${q.replace(/[%_\\]/g, '')}%`} OR a.search LIKE ${needle})
    ORDER BY a.depth, a.code LIMIT ${limit}`);
}

export async function nextId(tx: Db): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`SELECT nextval(pg_get_serial_sequence('area', 'id')) AS id`);
  return Number(r!.id);
}

export async function childCodes(db: Db, parentId: number): Promise<string[]> {
  const list = await rows<{ code: string }>(db, sql`SELECT code FROM area WHERE parent_id = ${parentId}`);
  return list.map((r) => r.code);
}

export interface NewArea {
  id: number; code: string; name: string; officialName: string | null; level: LevelKey; parentId: number | null;
  path: string; depth: number; countyCode: string | null; population: number | null; households: number | null;
  sizeClass: string | null; isKey: boolean; boundary: unknown; search: string; demo: boolean;
}

export async function insertAreas(tx: Db, list: NewArea[]): Promise<void> {
  // Batches keep each statement's parameter count well under the protocol's limit.
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000);
    await tx.execute(sql`INSERT INTO area (id, code, name, official_name, level_key, parent_id, path, depth, county_code,
      population, households, size_class, is_key, boundary, search, demo) VALUES ${sql.join(chunk.map((a) => sql`(${a.id}, ${a.code},
      ${a.name}, ${a.officialName}, ${a.level}, ${a.parentId}, ${a.path}, ${a.depth}, ${a.countyCode}, ${a.population},
      ${a.households}, ${a.sizeClass}, ${a.isKey}, ${a.boundary == null ? null : JSON.stringify(a.boundary)}::jsonb, ${a.search}, ${a.demo})`), sql`, `)}`);
  }
}

export async function reserveIds(tx: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const list = await rows<{ id: number }>(tx, sql`SELECT nextval(pg_get_serial_sequence('area', 'id')) AS id FROM generate_series(1, ${n})`);
  return list.map((r) => Number(r.id));
}

export interface AreaPatch {
  name?: string; population?: number | null; households?: number | null; sizeClass?: string | null;
  isKey?: boolean; boundary?: unknown; search?: string;
}

export async function updateArea(tx: Db, id: number, p: AreaPatch): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`, sql`version = version + 1`];
  if (p.name !== undefined) sets.push(sql`name = ${p.name}`);
  if (p.search !== undefined) sets.push(sql`search = ${p.search}`);
  if (p.population !== undefined) sets.push(sql`population = ${p.population}`);
  if (p.households !== undefined) sets.push(sql`households = ${p.households}`);
  if (p.sizeClass !== undefined) sets.push(sql`size_class = ${p.sizeClass}`);
  if (p.isKey !== undefined) sets.push(sql`is_key = ${p.isKey}`);
  if (p.boundary !== undefined) sets.push(sql`boundary = ${p.boundary === null ? null : JSON.stringify(p.boundary)}::jsonb`);
  await tx.execute(sql`UPDATE area SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

/** Re-roots a whole subtree in one statement: every descendant's path and depth follow. */
export async function moveSubtree(tx: Db, id: number, newParentId: number, oldPath: string, newPath: string): Promise<void> {
  const depthShift = newPath.split('/').length - oldPath.split('/').length;
  await tx.execute(sql`UPDATE area SET parent_id = ${newParentId}, updated_at = now(), version = version + 1 WHERE id = ${id}`);
  await tx.execute(sql`UPDATE area SET path = ${newPath} || substr(path, ${oldPath.length + 1}), depth = depth + ${depthShift}
    WHERE path LIKE ${`${oldPath}%`}`);
}

export async function setArchived(tx: Db, path: string, archived: boolean): Promise<number> {
  const res = await rows<{ id: number }>(tx, sql`UPDATE area SET archived_at = ${archived ? sql`now()` : sql`NULL`},
    updated_at = now(), version = version + 1
    WHERE path LIKE ${`${path}%`} AND ${archived ? sql`archived_at IS NULL` : sql`archived_at IS NOT NULL`} RETURNING id`);
  return res.length;
}

export async function subtreeRecordCounts(db: Db, path: string, today: string) {
  const [r] = await rows<{ descendants: number; responsibilities: number; active: number; grants: number; moves: number; cases: number; other: number }>(db, sql`
    WITH sub AS (SELECT id FROM area WHERE path LIKE ${`${path}%`})
    SELECT (SELECT count(*) FROM sub) - 1 AS descendants,
      (SELECT count(*) FROM responsibility WHERE area_id IN (SELECT id FROM sub)) AS responsibilities,
      (SELECT count(*) FROM responsibility WHERE area_id IN (SELECT id FROM sub) AND (valid_to IS NULL OR valid_to >= ${today})) AS active,
      (SELECT count(*) FROM user_role WHERE area_id IN (SELECT id FROM sub)) AS grants,
      (SELECT count(*) FROM area_move WHERE area_id IN (SELECT id FROM sub)) AS moves,
      (SELECT count(*) FROM case_file WHERE area_id IN (SELECT id FROM sub)) AS cases,
      (SELECT count(*) FROM bulletin WHERE scope_area_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM webhook WHERE area_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM routine_task WHERE area_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM routine_plan WHERE scope_area_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM observation_visit WHERE village_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM score_other WHERE village_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM score_rating WHERE area_id IN (SELECT id FROM sub))
        + (SELECT count(*) FROM score_award WHERE village_id IN (SELECT id FROM sub)) AS other`);
  return r!;
}

export async function deleteArea(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM area WHERE id = ${id}`);
}

export async function insertMove(tx: Db, m: { areaId: number; fromParentId: number | null; toParentId: number;
  fromPath: string; toPath: string; actorId: number | null; note: string | null }): Promise<void> {
  await tx.execute(sql`INSERT INTO area_move (area_id, from_parent_id, to_parent_id, from_path, to_path, actor_id, note)
    VALUES (${m.areaId}, ${m.fromParentId}, ${m.toParentId}, ${m.fromPath}, ${m.toPath}, ${m.actorId}, ${m.note})`);
}

export async function listMoves(db: Db, areaId: number) {
  return rows<{ id: number; at: Date; note: string | null; fromParent: string | null; toParent: string | null; actor: string | null }>(db, sql`
    SELECT m.id, m.at, m.note, fp.name AS "fromParent", tp.name AS "toParent", u.display_name AS actor
    FROM area_move m LEFT JOIN area fp ON fp.id = m.from_parent_id LEFT JOIN area tp ON tp.id = m.to_parent_id
    LEFT JOIN app_user u ON u.id = m.actor_id WHERE m.area_id = ${areaId} ORDER BY m.id DESC`);
}

export async function countByLevel(db: Db): Promise<Record<string, number>> {
  const list = await rows<{ level: string; n: number }>(db, sql`SELECT level_key AS level, count(*) AS n FROM area
    WHERE archived_at IS NULL GROUP BY level_key`);
  return Object.fromEntries(list.map((r) => [r.level, Number(r.n)]));
}

/**
 * The area's ancestors-or-self as the tree stood at the end of a day: a later move is undone by
 * taking the parent it moved away from. Nearest first. At most one short query per level.
 */
export async function ancestorIdsOn(db: Db, area: { id: number; path: string }, endOfDay: Date): Promise<number[]> {
  const current = area.path.split('/').filter(Boolean).map(Number).reverse();
  // The usual case: nothing on the current chain moved since that day, so the chain is the path.
  const [m] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM area_move
    WHERE area_id IN (${sql.join(current.map((i) => sql`${i}`), sql`, `)}) AND at >= ${endOfDay.toISOString()}`);
  if (Number(m!.n) === 0) return current;
  const areaId = area.id;
  const out: number[] = [];
  let cur: number | null = areaId;
  while (cur !== null && out.length < 32 && !out.includes(cur)) {
    out.push(cur);
    const [r]: { parentId: number | null; movedFrom: number | null; moved: boolean }[] = await rows(db, sql`
      SELECT a.parent_id AS "parentId", m.from_parent_id AS "movedFrom", m.id IS NOT NULL AS moved
      FROM area a LEFT JOIN LATERAL (SELECT id, from_parent_id FROM area_move
        WHERE area_id = a.id AND at >= ${endOfDay.toISOString()} ORDER BY at, id LIMIT 1) m ON TRUE
      WHERE a.id = ${cur}`);
    if (!r) break;
    cur = r.moved ? r.movedFrom : r.parentId;
  }
  return out;
}

/** The villages under a subtree, with their number of children, in code order. */
export async function villagesUnder(db: Db, path: string): Promise<AreaRow[]> {
  return rows<AreaRow>(db, sql`SELECT ${COLS}, ${CHILDREN} FROM area a
    WHERE a.path LIKE ${`${path}%`} AND a.level_key = 'village' AND a.archived_at IS NULL ORDER BY a.code`);
}

// ---------------------------------------------------------------- boundaries (the map)

/** A subtree's live areas, parents before children, for generating boundaries. */
export async function subtreeForBoundaries(db: Db, path: string) {
  return rows<{ id: number; code: string; name: string; level: LevelKey; parentId: number | null; population: number | null; demo: boolean; hasBoundary: boolean }>(db, sql`
    SELECT a.id, a.code, a.name, a.level_key AS level, a.parent_id AS "parentId", a.population, a.demo, a.boundary IS NOT NULL AS "hasBoundary"
    FROM area a WHERE a.path LIKE ${`${path}%`} AND a.archived_at IS NULL ORDER BY a.depth, a.code`);
}

export async function setBoundaries(tx: Db, list: { id: number; boundary: unknown }[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    await tx.execute(sql`UPDATE area a SET boundary = v.b::jsonb, updated_at = now(), version = a.version + 1
      FROM (VALUES ${sql.join(chunk.map((u) => sql`(${u.id}::bigint, ${JSON.stringify(u.boundary)}::text)`), sql`, `)}) AS v(id, b)
      WHERE a.id = v.id`);
  }
}

/** The boundaries of a subtree's live areas at one level, in code order, and how many have none. */
export async function boundariesUnder(db: Db, path: string, level: LevelKey, limit: number) {
  const list = await rows<{ id: number; code: string; name: string; level: LevelKey; boundary: unknown }>(db, sql`
    SELECT a.id, a.code, a.name, a.level_key AS level, a.boundary FROM area a
    WHERE a.path LIKE ${`${path}%`} AND a.level_key = ${level} AND a.archived_at IS NULL AND a.boundary IS NOT NULL
    ORDER BY a.code LIMIT ${limit}`);
  const [c] = await rows<{ total: number; without: number }>(db, sql`SELECT count(*) AS total, count(*) FILTER (WHERE a.boundary IS NULL) AS without
    FROM area a WHERE a.path LIKE ${`${path}%`} AND a.level_key = ${level} AND a.archived_at IS NULL`);
  return { list, total: Number(c!.total), without: Number(c!.without) };
}
