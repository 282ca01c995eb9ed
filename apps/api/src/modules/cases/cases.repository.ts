// The only place with case queries. A case's area subtree is a prefix scan on area.path.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { insideRoots } from '../areas/areas.repository.js';
import type { CaseSource, CaseState } from '../../../../../packages/shared/src/cases.js';

export interface CaseRow {
  id: number; no: string; clientId: string | null; source: CaseSource; state: CaseState;
  categoryId: number; categoryCode: string; categoryName: string; closingRequirement: string | null;
  areaId: number; areaCode: string; areaName: string; areaPath: string; countyCode: string | null;
  description: string; address: string | null; lat: number | null; lng: number | null;
  reportedBy: number | null; reporterName: string | null; reportedAt: Date;
  registeredAt: Date | null; dispatchedAt: Date | null; assigneeId: number | null; assigneeName: string | null;
  dispatcherId: number | null; dueAt: Date | null; deadlineRule: string | null; fixedAt: Date | null; closedAt: Date | null;
  refusedReason: string | null; duplicateOf: number | null; reworkCount: number; extensionCount: number;
  remindedAt: Date | null; escalatedAt: Date | null; demo: boolean; version: number;
}

const COLS = sql`c.id, c.no, c.client_id AS "clientId", c.source, c.state, c.category_id AS "categoryId",
  k.code AS "categoryCode", k.name AS "categoryName", k.closing_requirement AS "closingRequirement",
  c.area_id AS "areaId", a.code AS "areaCode", a.name AS "areaName", a.path AS "areaPath", c.county_code AS "countyCode",
  c.description, c.address, c.lat, c.lng, c.reported_by AS "reportedBy", c.reporter_name AS "reporterName",
  c.reported_at AS "reportedAt", c.registered_at AS "registeredAt", c.dispatched_at AS "dispatchedAt",
  c.assignee_id AS "assigneeId", u.display_name AS "assigneeName", c.dispatcher_id AS "dispatcherId",
  c.due_at AS "dueAt", c.deadline_rule AS "deadlineRule", c.fixed_at AS "fixedAt", c.closed_at AS "closedAt",
  c.refused_reason AS "refusedReason", c.duplicate_of AS "duplicateOf", c.rework_count AS "reworkCount",
  c.extension_count AS "extensionCount", c.reminded_at AS "remindedAt", c.escalated_at AS "escalatedAt", c.demo, c.version`;
const FROM = sql`case_file c JOIN area a ON a.id = c.area_id JOIN case_category k ON k.id = c.category_id
  LEFT JOIN app_user u ON u.id = c.assignee_id`;

const TIMES = ['reportedAt', 'registeredAt', 'dispatchedAt', 'dueAt', 'fixedAt', 'closedAt', 'remindedAt', 'escalatedAt'] as const;
function toCase(r: Record<string, unknown>): CaseRow {
  for (const t of TIMES) r[t] = toDate(r[t]);
  for (const n of ['id', 'categoryId', 'areaId', 'reportedBy', 'assigneeId', 'dispatcherId', 'duplicateOf']) if (r[n] != null) r[n] = Number(r[n]);
  for (const n of ['lat', 'lng']) if (r[n] != null) r[n] = Number(r[n]);
  return r as unknown as CaseRow;
}

export async function nextCaseId(tx: Db): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`SELECT nextval(pg_get_serial_sequence('case_file', 'id')) AS id`);
  return Number(r!.id);
}

export interface NewCase {
  id: number; no: string; clientId: string | null; source: string; state: string; categoryId: number; areaId: number;
  countyCode: string | null; description: string; address: string | null; lat: number | null; lng: number | null;
  reportedBy: number | null; reporterName: string | null; reportedAt: Date; demo?: boolean;
}
export async function insertCase(tx: Db, c: NewCase) {
  await tx.execute(sql`INSERT INTO case_file (id, no, client_id, source, state, category_id, area_id, county_code, description,
      address, lat, lng, reported_by, reporter_name, reported_at, demo)
    VALUES (${c.id}, ${c.no}, ${c.clientId}, ${c.source}, ${c.state}, ${c.categoryId}, ${c.areaId}, ${c.countyCode}, ${c.description},
      ${c.address}, ${c.lat}, ${c.lng}, ${c.reportedBy}, ${c.reporterName}, ${c.reportedAt.toISOString()}, ${c.demo ?? false})`);
}

export async function caseById(db: Db, id: number, forUpdate = false): Promise<CaseRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${COLS} FROM ${FROM} WHERE c.id = ${id} ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`);
  return r ? toCase(r) : undefined;
}

export async function caseByClientId(db: Db, clientId: string): Promise<CaseRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${COLS} FROM ${FROM} WHERE c.client_id = ${clientId}`);
  return r ? toCase(r) : undefined;
}

export async function caseByNo(db: Db, no: string): Promise<CaseRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${COLS} FROM ${FROM} WHERE c.no = ${no}`);
  return r ? toCase(r) : undefined;
}

/** Column names the service may change on a step; version always goes up by one. */
export type CasePatch = Partial<Record<'state' | 'registeredAt' | 'dispatchedAt' | 'assigneeId' | 'dispatcherId' | 'dueAt' | 'deadlineRule'
  | 'fixedAt' | 'closedAt' | 'refusedReason' | 'duplicateOf' | 'reworkCount' | 'extensionCount' | 'remindedAt' | 'escalatedAt', unknown>>;
const COLUMN: Record<keyof CasePatch, string> = {
  state: 'state', registeredAt: 'registered_at', dispatchedAt: 'dispatched_at', assigneeId: 'assignee_id', dispatcherId: 'dispatcher_id',
  dueAt: 'due_at', deadlineRule: 'deadline_rule', fixedAt: 'fixed_at', closedAt: 'closed_at', refusedReason: 'refused_reason',
  duplicateOf: 'duplicate_of', reworkCount: 'rework_count', extensionCount: 'extension_count', remindedAt: 'reminded_at', escalatedAt: 'escalated_at',
};
export async function updateCase(tx: Db, id: number, patch: CasePatch, bumpVersion = true) {
  const sets = Object.entries(patch).map(([k, v]) => sql`${sql.raw(COLUMN[k as keyof CasePatch])} = ${v instanceof Date ? v.toISOString() : v}`);
  if (bumpVersion) sets.push(sql`version = version + 1`);
  sets.push(sql`updated_at = now()`);
  await tx.execute(sql`UPDATE case_file SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function insertStep(tx: Db, s: { caseId: number; action: string; fromState: string | null; toState: string; actorId: number | null;
  actorName: string | null; note: string | null; data: unknown; at?: Date }): Promise<{ id: number; seq: number }> {
  const [r] = await rows<{ id: number; seq: number }>(tx, sql`INSERT INTO case_step (case_id, seq, action, from_state, to_state, actor_id, actor_name, at, note, data)
    VALUES (${s.caseId}, (SELECT coalesce(max(seq), 0) + 1 FROM case_step WHERE case_id = ${s.caseId}), ${s.action}, ${s.fromState}, ${s.toState},
      ${s.actorId}, ${s.actorName}, ${(s.at ?? new Date()).toISOString()}, ${s.note}, ${s.data == null ? null : JSON.stringify(s.data)}::jsonb)
    RETURNING id, seq`);
  return { id: Number(r!.id), seq: Number(r!.seq) };
}

export async function stepsOf(db: Db, caseId: number) {
  return (await rows<Record<string, unknown>>(db, sql`SELECT seq, action, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId",
    actor_name AS "actorName", at, note, data FROM case_step WHERE case_id = ${caseId} ORDER BY seq`))
    .map((r) => ({ ...r, at: toDate(r.at), actorId: r.actorId == null ? null : Number(r.actorId) }));
}

export interface RequestRow {
  id: number; caseId: number; kind: 'extension' | 'return'; reason: string; requestedDueAt: Date | null; requestedBy: number;
  requesterName: string | null; requestedAt: Date; decision: string | null; decidedBy: number | null; decidedAt: Date | null; decisionNote: string | null;
}
const REQ = sql`q.id, q.case_id AS "caseId", q.kind, q.reason, q.requested_due_at AS "requestedDueAt", q.requested_by AS "requestedBy",
  u.display_name AS "requesterName", q.requested_at AS "requestedAt", q.decision, q.decided_by AS "decidedBy", q.decided_at AS "decidedAt",
  q.decision_note AS "decisionNote"`;
const toRequest = (r: Record<string, unknown>) => ({
  ...r, id: Number(r.id), caseId: Number(r.caseId), requestedBy: Number(r.requestedBy), decidedBy: r.decidedBy == null ? null : Number(r.decidedBy),
  requestedDueAt: toDate(r.requestedDueAt), requestedAt: toDate(r.requestedAt)!, decidedAt: toDate(r.decidedAt),
}) as RequestRow;

export async function requestsOf(db: Db, caseIds: number[], pendingOnly = false): Promise<RequestRow[]> {
  if (caseIds.length === 0) return [];
  return (await rows<Record<string, unknown>>(db, sql`SELECT ${REQ} FROM case_request q LEFT JOIN app_user u ON u.id = q.requested_by
    WHERE q.case_id IN (${sql.join(caseIds.map((i) => sql`${i}`), sql`, `)}) ${pendingOnly ? sql`AND q.decision IS NULL` : sql``}
    ORDER BY q.id`)).map(toRequest);
}

export async function insertRequest(tx: Db, r: { caseId: number; kind: string; reason: string; requestedDueAt: Date | null; requestedBy: number }) {
  await tx.execute(sql`INSERT INTO case_request (case_id, kind, reason, requested_due_at, requested_by)
    VALUES (${r.caseId}, ${r.kind}, ${r.reason}, ${r.requestedDueAt?.toISOString() ?? null}, ${r.requestedBy})`);
}

export async function decideRequest(tx: Db, id: number, decision: string, by: number | null, note: string | null) {
  await tx.execute(sql`UPDATE case_request SET decision = ${decision}, decided_by = ${by}, decided_at = now(), decision_note = ${note} WHERE id = ${id}`);
}

export interface ListFilter {
  roots: string[] | 'all'; areaPath?: string; states?: string[]; categoryIds?: number[]; overdue?: boolean; assigneeId?: number;
  mineId?: number; from?: string; to?: string; q?: string; now: Date; notAssigneeId?: number; pendingRequestNotBy?: number;
}
function where(f: ListFilter): SQL {
  const conds: SQL[] = [insideRoots(f.roots)];
  if (f.areaPath) conds.push(sql`a.path LIKE ${`${f.areaPath}%`}`);
  if (f.states?.length) conds.push(sql`c.state IN (${sql.join(f.states.map((s) => sql`${s}`), sql`, `)})`);
  if (f.categoryIds?.length) conds.push(sql`c.category_id IN (${sql.join(f.categoryIds.map((s) => sql`${s}`), sql`, `)})`);
  if (f.overdue) conds.push(sql`c.state IN ('registered', 'dispatched', 'fixing') AND c.due_at < ${f.now.toISOString()}`);
  if (f.assigneeId) conds.push(sql`c.assignee_id = ${f.assigneeId}`);
  if (f.notAssigneeId) conds.push(sql`c.assignee_id IS DISTINCT FROM ${f.notAssigneeId}`);
  if (f.pendingRequestNotBy) conds.push(sql`EXISTS (SELECT 1 FROM case_request q WHERE q.case_id = c.id AND q.decision IS NULL AND q.requested_by <> ${f.pendingRequestNotBy})`);
  if (f.mineId) conds.push(sql`(c.assignee_id = ${f.mineId} OR c.reported_by = ${f.mineId})`);
  // Report days are China dates: [from 00:00, to + 1 day 00:00) at UTC+8.
  if (f.from) conds.push(sql`c.reported_at >= ${`${f.from}T00:00:00+08:00`}::timestamptz`);
  if (f.to) conds.push(sql`c.reported_at < (${`${f.to}T00:00:00+08:00`}::timestamptz + interval '1 day')`);
  if (f.q) conds.push(sql`(c.no = ${f.q} OR c.description ILIKE ${`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`})`);
  return sql.join(conds, sql` AND `);
}

export async function listCases(db: Db, f: ListFilter, limit: number, offset: number) {
  // The matching ids first (MATERIALIZED: the planner must not walk the report-time index of every
  // case hoping to stop after one page), then the count, then the columns for one page only.
  // With the partial index of running cases by area, "overdue under a county" reads no closed case.
  const list = await rows<Record<string, unknown>>(db, sql`WITH m AS MATERIALIZED (
      SELECT c.id, c.reported_at FROM case_file c JOIN area a ON a.id = c.area_id WHERE ${where(f)})
    SELECT ${COLS}, (SELECT count(*) FROM m) AS total
    FROM (SELECT id, reported_at FROM m ORDER BY reported_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}) p
      JOIN ${FROM} ON c.id = p.id
    ORDER BY p.reported_at DESC, p.id DESC`);
  const total = Number(list[0]?.total ?? 0);
  if (list.length === 0 && offset > 0) {
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM case_file c JOIN area a ON a.id = c.area_id WHERE ${where(f)}`);
    return { total: Number(n!.n), items: [] as CaseRow[] };
  }
  return { total, items: list.map(({ total: _t, ...r }) => toCase(r)) };
}

export async function mapCases(db: Db, f: ListFilter, limit: number) {
  return (await rows<Record<string, unknown>>(db, sql`SELECT c.id, c.no, c.lat, c.lng, c.state, c.due_at AS "dueAt", k.name AS "categoryName", c.area_id AS "areaId"
    FROM ${FROM} WHERE ${where(f)} AND c.lat IS NOT NULL AND c.lng IS NOT NULL ORDER BY c.reported_at DESC, c.id DESC LIMIT ${limit}`))
    .map((r) => ({ id: Number(r.id), no: String(r.no), lat: Number(r.lat), lng: Number(r.lng), state: String(r.state), dueAt: toDate(r.dueAt),
      categoryName: String(r.categoryName), areaId: Number(r.areaId) }));
}

/** Names of the areas on the given paths, for trails such as "西北管区 / 毛家村 / 第1网格". */
export async function areaNames(db: Db, ids: number[]): Promise<Map<number, { name: string; level: string }>> {
  if (ids.length === 0) return new Map();
  const list = await rows<{ id: number; name: string; level: string }>(db, sql`SELECT id, name, level_key AS level FROM area
    WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(list.map((r) => [Number(r.id), { name: r.name, level: r.level }]));
}

/** People who hold a writing role covering the area: who a case there may be dispatched to. */
export async function writersCovering(db: Db, ancestorIds: number[]) {
  return rows<{ userId: number; displayName: string; roleKey: string; roleName: string; areaName: string; depth: number }>(db, sql`
    SELECT DISTINCT ON (u.id) u.id AS "userId", u.display_name AS "displayName", g.role_key AS "roleKey", r.name_zh AS "roleName",
      a.name AS "areaName", a.depth
    FROM user_role g JOIN role r ON r.key = g.role_key JOIN app_user u ON u.id = g.user_id JOIN area a ON a.id = g.area_id
    WHERE g.area_id IN (${sql.join(ancestorIds.map((i) => sql`${i}`), sql`, `)}) AND r.can_write AND u.disabled_at IS NULL
    ORDER BY u.id, a.depth DESC`);
}

export async function userCanWriteAt(db: Db, userId: number, ancestorIds: number[]): Promise<{ displayName: string } | undefined> {
  const [r] = await rows<{ displayName: string }>(db, sql`SELECT u.display_name AS "displayName" FROM user_role g
    JOIN role r ON r.key = g.role_key JOIN app_user u ON u.id = g.user_id
    WHERE g.user_id = ${userId} AND r.can_write AND u.disabled_at IS NULL
      AND (g.area_id IS NULL OR g.area_id IN (${sql.join(ancestorIds.map((i) => sql`${i}`), sql`, `)})) LIMIT 1`);
  return r;
}

export async function categoryById(db: Db, id: number) {
  const [r] = await rows<Record<string, unknown>>(db, sql`SELECT id, code, parent_id AS "parentId", name, deadline_amount AS "deadlineAmount",
    deadline_unit AS "deadlineUnit", closing_requirement AS "closingRequirement", route_kind AS "routeKind", active FROM case_category WHERE id = ${id}`);
  return r as undefined | { id: number; code: string; parentId: number | null; name: string; deadlineAmount: number | null;
    deadlineUnit: string | null; closingRequirement: string | null; routeKind: string | null; active: boolean };
}

export async function childCategoryIds(db: Db, id: number): Promise<number[]> {
  const list = await rows<{ id: number }>(db, sql`SELECT id FROM case_category WHERE id = ${id} OR parent_id = ${id}`);
  return list.map((r) => Number(r.id));
}

// --- deadlines sweep ---
export async function dueSoon(db: Db, now: Date, before: Date, limit: number) {
  return (await rows<Record<string, unknown>>(db, sql`SELECT ${COLS} FROM ${FROM}
    WHERE c.state IN ('registered', 'dispatched', 'fixing') AND c.due_at >= ${now.toISOString()} AND c.due_at < ${before.toISOString()}
      AND c.reminded_at IS NULL ORDER BY c.due_at LIMIT ${limit}`)).map(toCase);
}
export async function newlyOverdue(db: Db, now: Date, limit: number) {
  return (await rows<Record<string, unknown>>(db, sql`SELECT ${COLS} FROM ${FROM}
    WHERE c.state IN ('registered', 'dispatched', 'fixing') AND c.due_at < ${now.toISOString()} AND c.escalated_at IS NULL
    ORDER BY c.due_at LIMIT ${limit}`)).map(toCase);
}
/** Marks a case reminded or escalated once: true if this call did it (a concurrent sweep gets false). */
export async function markOnce(tx: Db, id: number, column: 'reminded_at' | 'escalated_at', at: Date): Promise<boolean> {
  const r = await rows(tx, sql`UPDATE case_file SET ${sql.raw(column)} = ${at.toISOString()} WHERE id = ${id} AND ${sql.raw(column)} IS NULL RETURNING id`);
  return r.length === 1;
}

export async function countByState(db: Db, now: Date) {
  const [r] = await rows<{ open: number; overdue: number; closed: number }>(db, sql`SELECT
    count(*) FILTER (WHERE state IN ('reported', 'registered', 'dispatched', 'fixing', 'fixed')) AS open,
    count(*) FILTER (WHERE state IN ('registered', 'dispatched', 'fixing') AND due_at < ${now.toISOString()}) AS overdue,
    count(*) FILTER (WHERE state = 'closed') AS closed FROM case_file`);
  return { open: Number(r!.open), overdue: Number(r!.overdue), closed: Number(r!.closed) };
}
