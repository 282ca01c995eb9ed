// Bulk reads for the Excel import and export: the facts a file refers to, and whole subtrees.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { insideRoots } from '../areas/areas.repository.js';
import type { KnownArea } from './areas.rules.js';
import type { KnownResponsibility, KnownUser } from './roster.rules.js';

const CHUNK = 5000;
function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}
const inList = (xs: (string | number)[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);

const AREA_COLS = sql`a.id, a.code, a.name, a.level_key AS level, a.parent_id AS "parentId", p.code AS "parentCode", a.path,
  a.archived_at IS NOT NULL AS archived, a.population, a.households, a.size_class AS "sizeClass", a.is_key AS "isKey"`;

const num = <T extends { id: number; parentId?: number | null }>(r: T): T => ({ ...r, id: Number(r.id), ...(r.parentId != null ? { parentId: Number(r.parentId) } : {}) });

export async function areasByCodes(db: Db, codes: string[]): Promise<Map<string, KnownArea>> {
  const out = new Map<string, KnownArea>();
  for (const part of chunks(codes)) {
    const list = await rows<KnownArea>(db, sql`SELECT ${AREA_COLS} FROM area a LEFT JOIN area p ON p.id = a.parent_id WHERE a.code IN (${inList(part)})`);
    for (const a of list) out.set(a.code, num(a));
  }
  return out;
}

export async function usersByNames(db: Db, names: string[]): Promise<Map<string, KnownUser>> {
  const out = new Map<string, KnownUser>();
  for (const part of chunks(names)) {
    const list = await rows<{ id: number; username: string; displayName: string; phone: string | null; roleKey: string | null; areaId: number | null; areaPath: string | null }>(db, sql`
      SELECT u.id, u.username, u.display_name AS "displayName", u.phone, g.role_key AS "roleKey", g.area_id AS "areaId", a.path AS "areaPath"
      FROM app_user u LEFT JOIN user_role g ON g.user_id = u.id LEFT JOIN area a ON a.id = g.area_id
      WHERE lower(u.username) IN (${inList(part)}) ORDER BY u.id, g.id`);
    for (const r of list) {
      const key = r.username.toLowerCase();
      let u = out.get(key);
      if (!u) { u = { id: Number(r.id), username: r.username, displayName: r.displayName, phone: r.phone, grants: [] }; out.set(key, u); }
      if (r.roleKey) u.grants.push({ roleKey: r.roleKey, areaId: r.areaId == null ? null : Number(r.areaId), areaPath: r.areaPath });
    }
  }
  return out;
}

/** Locks the areas (ascending ids, so two imports cannot deadlock) against concurrent responsibility writes. */
export async function lockAreas(tx: Db, ids: number[]): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (const part of chunks(sorted)) await rows(tx, sql`SELECT id FROM area WHERE id IN (${inList(part)}) ORDER BY id FOR UPDATE`);
}

export async function responsibilitiesOn(db: Db, areaIds: number[]): Promise<Map<number, KnownResponsibility[]>> {
  const out = new Map<number, KnownResponsibility[]>();
  for (const part of chunks([...new Set(areaIds)])) {
    const list = await rows<KnownResponsibility>(db, sql`SELECT r.id, r.kind, r.area_id AS "areaId", r.user_id AS "userId", r.holder_name AS "holderName",
        r.valid_from AS "validFrom", r.valid_to AS "validTo", r.principal, COALESCE(u.display_name || '（' || u.username || '）', r.holder_name, '') AS "holderLabel"
      FROM responsibility r LEFT JOIN app_user u ON u.id = r.user_id WHERE r.area_id IN (${inList(part)})`);
    for (const r of list) {
      const x = { ...r, id: Number(r.id), areaId: Number(r.areaId), userId: r.userId == null ? null : Number(r.userId) };
      out.set(x.areaId, [...(out.get(x.areaId) ?? []), x]);
    }
  }
  return out;
}

export interface ExportArea {
  id: number; code: string; name: string; level: string; parentCode: string | null; path: string;
  population: number | null; households: number | null; sizeClass: string | null; isKey: boolean;
}

const scope = (roots: string[] | 'all', subtree: string | null): SQL =>
  subtree ? sql`${insideRoots(roots)} AND a.path LIKE ${`${subtree}%`}` : insideRoots(roots);

export async function exportAreas(db: Db, roots: string[] | 'all', subtree: string | null): Promise<ExportArea[]> {
  return rows<ExportArea>(db, sql`SELECT a.id, a.code, a.name, a.level_key AS level, p.code AS "parentCode", a.path, a.population,
      a.households, a.size_class AS "sizeClass", a.is_key AS "isKey"
    FROM area a LEFT JOIN area p ON p.id = a.parent_id
    WHERE ${scope(roots, subtree)} AND a.archived_at IS NULL`);
}

export async function exportGrants(db: Db, roots: string[] | 'all', subtree: string | null) {
  // The global administrator's grant has no area: exported only for a whole-install export.
  const global = roots === 'all' && !subtree ? sql`OR g.area_id IS NULL` : sql``;
  return rows<{ userId: number; username: string; displayName: string; phone: string | null; roleKey: string; areaCode: string | null }>(db, sql`
    SELECT u.id AS "userId", u.username, u.display_name AS "displayName", u.phone, g.role_key AS "roleKey", a.code AS "areaCode"
    FROM user_role g JOIN app_user u ON u.id = g.user_id JOIN role ro ON ro.key = g.role_key LEFT JOIN area a ON a.id = g.area_id
    WHERE ((${scope(roots, subtree)} AND a.archived_at IS NULL) ${global}) ORDER BY u.username, ro.sort, a.code`);
}

export async function exportResponsibilities(db: Db, roots: string[] | 'all', subtree: string | null) {
  return rows<{ userId: number | null; username: string | null; displayName: string | null; phone: string | null; kind: string;
    areaCode: string; holderName: string | null; validFrom: string; validTo: string | null; principal: boolean }>(db, sql`
    SELECT r.user_id AS "userId", u.username, u.display_name AS "displayName", u.phone, r.kind, a.code AS "areaCode",
      r.holder_name AS "holderName", r.valid_from AS "validFrom", r.valid_to AS "validTo", r.principal
    FROM responsibility r JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r.user_id
    WHERE ${scope(roots, subtree)} AND a.archived_at IS NULL ORDER BY u.username NULLS LAST, a.code, r.kind, r.valid_from`);
}
