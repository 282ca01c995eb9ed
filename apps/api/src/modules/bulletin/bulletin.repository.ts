// The only place with bulletin queries: counts per area for a day, the overdue cases, and the
// issued versions. A scope's cases are a prefix scan on area.path joined through case_file.area_id.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import type { AreaCounts, BulletinContent, ScopeArea } from './bulletin.rules.js';

const under = (scopePath: string) => `${scopePath}%`;

/** The districts and villages of the scope (archived ones too: they may have cases). */
export async function scopeAreas(db: Db, scopePath: string): Promise<ScopeArea[]> {
  const list = await rows<ScopeArea>(db, sql`SELECT a.id, a.code, a.name, a.level_key AS level, a.parent_id AS "parentId", a.path,
      a.archived_at IS NOT NULL AS archived
    FROM area a WHERE a.path LIKE ${under(scopePath)} AND a.level_key IN ('district', 'village')`);
  return list.map((a) => ({ ...a, id: Number(a.id), parentId: a.parentId == null ? null : Number(a.parentId) }));
}

export interface Window { start: Date; end: Date; monthStart: Date }

/** Still open at the end of the day `end`: registered before it, not fixed nor closed by then, past due. */
const overdueAt = (end: string): SQL => sql`(c.registered_at < ${end} AND c.state <> 'refused' AND c.due_at < ${end}
  AND (c.fixed_at IS NULL OR c.fixed_at >= ${end}) AND (c.closed_at IS NULL OR c.closed_at >= ${end}))`;

/** Per case area: new, closed (and on time) on the day and in the month so far, overdue at the end of the day, rework steps. */
export async function countsByArea(db: Db, scopePath: string, w: Window): Promise<AreaCounts[]> {
  const [start, end, month] = [w.start.toISOString(), w.end.toISOString(), w.monthStart.toISOString()];
  const onTime = sql`(c.due_at IS NULL OR COALESCE(c.fixed_at, c.closed_at) <= c.due_at)`;
  const closedDay = sql`(c.closed_at >= ${start} AND c.closed_at < ${end})`;
  const closedMonth = sql`(c.closed_at >= ${month} AND c.closed_at < ${end})`;
  const reportedDay = sql`(c.reported_at >= ${start} AND c.reported_at < ${end})`;
  const list = await rows<AreaCounts>(db, sql`
    WITH cases AS (
      SELECT a.path,
        count(*) FILTER (WHERE ${reportedDay} AND c.state <> 'refused') AS new,
        count(*) FILTER (WHERE ${closedDay}) AS closed,
        count(*) FILTER (WHERE ${closedDay} AND ${onTime}) AS "closedOnTime",
        count(*) FILTER (WHERE ${closedMonth}) AS "closedMonth",
        count(*) FILTER (WHERE ${closedMonth} AND ${onTime}) AS "closedOnTimeMonth",
        count(*) FILTER (WHERE ${overdueAt(end)}) AS overdue
      FROM case_file c JOIN area a ON a.id = c.area_id
      WHERE a.path LIKE ${under(scopePath)} AND (${reportedDay} OR ${closedMonth} OR ${overdueAt(end)})
      GROUP BY a.path),
    reworks AS (
      SELECT a.path, count(*) AS reworked
      FROM case_step s JOIN case_file c ON c.id = s.case_id JOIN area a ON a.id = c.area_id
      WHERE s.action = 'rework' AND s.at >= ${start} AND s.at < ${end} AND a.path LIKE ${under(scopePath)}
      GROUP BY a.path)
    SELECT COALESCE(x.path, r.path) AS path, COALESCE(x.new, 0) AS new, COALESCE(x.closed, 0) AS closed,
      COALESCE(x."closedOnTime", 0) AS "closedOnTime", COALESCE(x."closedMonth", 0) AS "closedMonth",
      COALESCE(x."closedOnTimeMonth", 0) AS "closedOnTimeMonth", COALESCE(x.overdue, 0) AS overdue, COALESCE(r.reworked, 0) AS reworked
    FROM cases x FULL JOIN reworks r ON r.path = x.path`);
  return list.map((r) => ({
    path: r.path, new: Number(r.new), closed: Number(r.closed), closedOnTime: Number(r.closedOnTime), closedMonth: Number(r.closedMonth),
    closedOnTimeMonth: Number(r.closedOnTimeMonth), overdue: Number(r.overdue), reworked: Number(r.reworked),
  }));
}

export interface OverdueRow {
  id: number; no: string; categoryName: string; areaId: number; areaName: string; areaPath: string; description: string;
  reportedAt: Date; dueAt: Date; assigneeId: number | null; assigneeName: string | null;
}

/** The cases overdue at the end of the day, longest overdue first. */
export async function overdueCases(db: Db, scopePath: string, end: Date): Promise<OverdueRow[]> {
  const list = await rows<OverdueRow>(db, sql`SELECT c.id, c.no, k.name AS "categoryName", c.area_id AS "areaId", a.name AS "areaName",
      a.path AS "areaPath", c.description, c.reported_at AS "reportedAt", c.due_at AS "dueAt",
      c.assignee_id AS "assigneeId", u.display_name AS "assigneeName"
    FROM case_file c JOIN area a ON a.id = c.area_id JOIN case_category k ON k.id = c.category_id
    LEFT JOIN app_user u ON u.id = c.assignee_id
    WHERE a.path LIKE ${under(scopePath)} AND ${overdueAt(end.toISOString())}
    ORDER BY c.due_at, c.id`);
  return list.map((r) => ({
    ...r, id: Number(r.id), areaId: Number(r.areaId), assigneeId: r.assigneeId == null ? null : Number(r.assigneeId),
    reportedAt: toDate(r.reportedAt)!, dueAt: toDate(r.dueAt)!,
  }));
}

/** Names and levels of areas by id. */
export async function areaNames(db: Db, ids: number[]): Promise<{ id: number; name: string; level: string }[]> {
  if (ids.length === 0) return [];
  const list = await rows<{ id: number; name: string; level: string }>(db, sql`SELECT id, name, level_key AS level FROM area
    WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return list.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Whether any of these areas moved at or after an instant (then their chain that day differs from the path). */
export async function movedSince(db: Db, ids: number[], at: Date): Promise<boolean> {
  if (ids.length === 0) return false;
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM area_move
    WHERE area_id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) AND at >= ${at.toISOString()}`);
  return Number(r!.n) > 0;
}

/** People to tell that a bulletin was issued: the offices, leaders and resident cadres answering in the scope that day. */
export async function recipients(db: Db, scopePath: string, day: string): Promise<number[]> {
  const list = await rows<{ userId: number }>(db, sql`SELECT DISTINCT r.user_id AS "userId"
    FROM responsibility r JOIN area a ON a.id = r.area_id JOIN app_user u ON u.id = r.user_id
    WHERE a.path LIKE ${under(scopePath)} AND r.kind IN ('office_district', 'leader_village', 'resident_cadre_village')
      AND r.valid_from <= ${day} AND (r.valid_to IS NULL OR r.valid_to >= ${day}) AND u.disabled_at IS NULL
    ORDER BY 1`);
  return list.map((r) => Number(r.userId));
}

// --- issued versions ---

export async function lastVersion(db: Db, scopeAreaId: number, day: string): Promise<number> {
  const [r] = await rows<{ v: number | null }>(db, sql`SELECT max(version) AS v FROM bulletin WHERE scope_area_id = ${scopeAreaId} AND day = ${day}`);
  return Number(r?.v ?? 0);
}

export async function insertBulletin(tx: Db, b: { scopeAreaId: number; day: string; version: number; content: BulletinContent; note: string | null; issuedBy: number }) {
  const [r] = await rows<{ id: number; issuedAt: unknown }>(tx, sql`INSERT INTO bulletin (scope_area_id, day, version, content, note, issued_by)
    VALUES (${b.scopeAreaId}, ${b.day}, ${b.version}, ${JSON.stringify(b.content)}::jsonb, ${b.note}, ${b.issuedBy})
    RETURNING id, issued_at AS "issuedAt"`);
  return { id: Number(r!.id), issuedAt: toDate(r!.issuedAt)! };
}

export interface BulletinMeta {
  id: number; scopeAreaId: number; scopeName: string; scopeCode: string; scopePath: string; day: string; version: number;
  note: string | null; issuedBy: number | null; issuedByName: string | null; issuedAt: Date;
}

const META = sql`b.id, b.scope_area_id AS "scopeAreaId", a.name AS "scopeName", a.code AS "scopeCode", a.path AS "scopePath",
  b.day, b.version, b.note, b.issued_by AS "issuedBy", u.display_name AS "issuedByName", b.issued_at AS "issuedAt"`;
const META_FROM = sql`bulletin b JOIN area a ON a.id = b.scope_area_id LEFT JOIN app_user u ON u.id = b.issued_by`;
const toMeta = <T extends BulletinMeta>(r: T): T => ({
  ...r, id: Number(r.id), scopeAreaId: Number(r.scopeAreaId), version: Number(r.version),
  issuedBy: r.issuedBy == null ? null : Number(r.issuedBy), issuedAt: toDate(r.issuedAt)!,
});

/** Issued versions inside the given subtrees (or of one scope), newest day first, then newest version. */
export async function listBulletins(db: Db, f: { roots: string[] | 'all'; scopeAreaId?: number; day?: string; limit: number }): Promise<BulletinMeta[]> {
  const conds: SQL[] = [];
  if (f.roots !== 'all') conds.push(f.roots.length ? sql`(${sql.join(f.roots.map((p) => sql`a.path LIKE ${`${p}%`}`), sql` OR `)})` : sql`FALSE`);
  if (f.scopeAreaId) conds.push(sql`b.scope_area_id = ${f.scopeAreaId}`);
  if (f.day) conds.push(sql`b.day = ${f.day}`);
  const list = await rows<BulletinMeta>(db, sql`SELECT ${META} FROM ${META_FROM}
    ${conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``}
    ORDER BY b.day DESC, b.version DESC, b.id DESC LIMIT ${f.limit}`);
  return list.map(toMeta);
}

export async function bulletinById(db: Db, id: number): Promise<(BulletinMeta & { content: BulletinContent }) | undefined> {
  const [r] = await rows<BulletinMeta & { content: BulletinContent | string }>(db, sql`SELECT ${META}, b.content FROM ${META_FROM} WHERE b.id = ${id}`);
  if (!r) return undefined;
  return { ...toMeta(r), content: typeof r.content === 'string' ? JSON.parse(r.content) as BulletinContent : r.content };
}
