// The intake's queries (public_report, placement); Open311's own reads and partner keys live in open311.repository.ts.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { insideRoots } from '../areas/areas.repository.js';
import type { CaseState } from '../../../../../packages/shared/src/cases.js';

/** Areas of one level with a boundary, for the placement index. */
export async function boundariesOf(db: Db, level: string): Promise<{ id: number; geometry: unknown }[]> {
  const list = await rows<{ id: number; geometry: unknown }>(db, sql`SELECT id, boundary AS geometry FROM area
    WHERE level_key = ${level} AND boundary IS NOT NULL AND archived_at IS NULL`);
  return list.map((r) => ({ id: Number(r.id), geometry: typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry }));
}

/** Changes to any boundary or archive flag change this stamp (the placement index is rebuilt). */
export async function boundaryStamp(db: Db): Promise<string> {
  const [r] = await rows<{ n: number; t: unknown }>(db, sql`SELECT count(*)::int AS n, max(updated_at) AS t FROM area WHERE boundary IS NOT NULL`);
  return `${r?.n ?? 0}:${toDate(r?.t)?.getTime() ?? 0}`;
}

/** Where a point outside every boundary goes: the top town (or the shallowest area) of the install. */
export async function fallbackArea(db: Db): Promise<{ id: number; path: string; name: string } | undefined> {
  const [r] = await rows<{ id: number; path: string; name: string }>(db, sql`SELECT id, path, name FROM area
    WHERE archived_at IS NULL ORDER BY (level_key = 'town') DESC, depth, id LIMIT 1`);
  return r && { ...r, id: Number(r.id) };
}

export async function recentCounts(db: Db, o: { ipHash: string | null; phoneHash: string | null; partnerId: number | null; now: Date }) {
  const t10 = new Date(o.now.getTime() - 10 * 60_000).toISOString();
  const tDay = new Date(o.now.getTime() - 86_400_000).toISOString();
  const tHour = new Date(o.now.getTime() - 3_600_000).toISOString();
  const [r] = await rows<Record<string, number>>(db, sql`SELECT
      (SELECT count(*)::int FROM public_report WHERE ${o.ipHash}::text IS NOT NULL AND ip_hash = ${o.ipHash} AND created_at > ${t10}) AS "address10Min",
      (SELECT count(*)::int FROM public_report WHERE ${o.ipHash}::text IS NOT NULL AND ip_hash = ${o.ipHash} AND created_at > ${tDay}) AS "addressDay",
      (SELECT count(*)::int FROM public_report WHERE ${o.phoneHash}::text IS NOT NULL AND phone_hash = ${o.phoneHash} AND created_at > ${tDay}) AS "phoneDay",
      (SELECT count(*)::int FROM public_report WHERE ${o.partnerId}::bigint IS NOT NULL AND partner_id = ${o.partnerId} AND created_at > ${tHour}) AS "partnerHour"`);
  return { address10Min: r!.address10Min!, addressDay: r!.addressDay!, phoneDay: r!.phoneDay!, partnerHour: r!.partnerHour! };
}

export interface NewPublicReport {
  caseId: number; publicNo: string; token: string; channel: 'web' | 'open311'; partnerId: number | null; phone: string | null; phoneHash: string | null;
  name: string | null; email: string | null; deviceId: string | null; ipHash: string | null; placement: 'micro_grid' | 'queue';
  attributes: unknown; createdAt: Date;
}
export async function insertReport(tx: Db, r: NewPublicReport): Promise<number> {
  const [x] = await rows<{ id: number }>(tx, sql`INSERT INTO public_report (case_id, public_no, token, channel, partner_id, phone, phone_hash, name, email,
      device_id, ip_hash, placement, attributes, created_at)
    VALUES (${r.caseId}, ${r.publicNo}, ${r.token}, ${r.channel}, ${r.partnerId}, ${r.phone}, ${r.phoneHash}, ${r.name}, ${r.email}, ${r.deviceId},
      ${r.ipHash}, ${r.placement}, ${r.attributes === null ? null : JSON.stringify(r.attributes)}::jsonb, ${r.createdAt.toISOString()})
    RETURNING id`);
  return Number(x!.id);
}

/** Whether a tracking number is taken already (a new one is drawn again: 60 random bits, so practically never). */
export async function publicNoTaken(db: Db, no: string): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM public_report WHERE public_no = ${no}`)).length > 0;
}

export interface PublicRow {
  /** no: the case number (staff); publicNo: the resident's tracking number (null only for rows made outside the intake) */
  id: number; caseId: number; no: string; publicNo: string | null; contactPurgedAt: Date | null; token: string; channel: string; partnerId: number | null; phone: string | null;
  name: string | null; email: string | null; placement: string; attributes: Record<string, unknown> | null;
  reviewedAt: Date | null; reviewedBy: number | null; publicText: string | null; rating: string | null; ratingNote: string | null;
  ratedAt: Date | null; reopenedAt: Date | null; reopenNote: string | null; createdAt: Date;
  state: CaseState; description: string; categoryId: number; categoryCode: string; categoryName: string;
  areaId: number; areaName: string; areaPath: string; areaLevel: string; lat: number | null; lng: number | null; address: string | null;
  reportedAt: Date; closedAt: Date | null; dueAt: Date | null; updatedAt: Date; refusedReason: string | null; duplicateOf: number | null;
}

const PUBLIC_COLS = sql`p.id, p.case_id AS "caseId", c.no, p.public_no AS "publicNo", p.contact_purged_at AS "contactPurgedAt", p.token, p.channel, p.partner_id AS "partnerId", p.phone, p.name, p.email,
  p.placement, p.attributes, p.reviewed_at AS "reviewedAt", p.reviewed_by AS "reviewedBy", p.public_text AS "publicText", p.rating,
  p.rating_note AS "ratingNote", p.rated_at AS "ratedAt", p.reopened_at AS "reopenedAt", p.reopen_note AS "reopenNote",
  p.created_at AS "createdAt", c.state, c.description, c.category_id AS "categoryId", k.code AS "categoryCode", k.name AS "categoryName",
  c.area_id AS "areaId", a.name AS "areaName", a.path AS "areaPath", a.level_key AS "areaLevel", c.lat, c.lng, c.address,
  c.reported_at AS "reportedAt", c.closed_at AS "closedAt", c.due_at AS "dueAt", c.updated_at AS "updatedAt",
  c.refused_reason AS "refusedReason", c.duplicate_of AS "duplicateOf"`;
const PUBLIC_FROM = sql`public_report p JOIN case_file c ON c.id = p.case_id JOIN area a ON a.id = c.area_id
  JOIN case_category k ON k.id = c.category_id`;

function toPublic(r: Record<string, unknown>): PublicRow {
  for (const k of ['contactPurgedAt', 'reviewedAt', 'ratedAt', 'reopenedAt', 'createdAt', 'reportedAt', 'closedAt', 'dueAt', 'updatedAt']) r[k] = toDate(r[k]);
  for (const k of ['id', 'caseId', 'partnerId', 'reviewedBy', 'categoryId', 'areaId', 'duplicateOf', 'lat', 'lng']) if (r[k] != null) r[k] = Number(r[k]);
  if (typeof r.attributes === 'string') r.attributes = JSON.parse(r.attributes);
  return r as unknown as PublicRow;
}

/** By the resident's tracking number (public_no). */
export async function reportByPublicNo(db: Db, publicNo: string, forUpdate = false): Promise<PublicRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${PUBLIC_COLS} FROM ${PUBLIC_FROM} WHERE p.public_no = ${publicNo} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`);
  return r ? toPublic(r) : undefined;
}
/** By the case number: staff only, or the public together with the reporter's token. */
export async function reportByNo(db: Db, no: string, forUpdate = false): Promise<PublicRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${PUBLIC_COLS} FROM ${PUBLIC_FROM} WHERE c.no = ${no} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`);
  return r ? toPublic(r) : undefined;
}
export async function reportByCase(db: Db, caseId: number, forUpdate = false): Promise<PublicRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${PUBLIC_COLS} FROM ${PUBLIC_FROM} WHERE p.case_id = ${caseId} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`);
  return r ? toPublic(r) : undefined;
}

export interface PublicFilter {
  /** tracking numbers (public_no) */
  nos?: string[]; categoryCodes?: string[]; states?: CaseState[]; from?: Date; to?: Date; roots?: string[] | 'all'; reviewedOnly?: boolean;
  queueOnly?: boolean; unreviewedOnly?: boolean; updatedSince?: Date;
}
function where(f: PublicFilter) {
  const parts = [sql`TRUE`];
  if (f.nos?.length) parts.push(sql`p.public_no IN (${sql.join(f.nos.map((n) => sql`${n}`), sql`, `)})`);
  if (f.categoryCodes?.length) parts.push(sql`k.code IN (${sql.join(f.categoryCodes.map((n) => sql`${n}`), sql`, `)})`);
  if (f.states?.length) parts.push(sql`c.state IN (${sql.join(f.states.map((n) => sql`${n}`), sql`, `)})`);
  if (f.from) parts.push(sql`c.reported_at >= ${f.from.toISOString()}`);
  if (f.to) parts.push(sql`c.reported_at <= ${f.to.toISOString()}`);
  if (f.updatedSince) parts.push(sql`c.updated_at >= ${f.updatedSince.toISOString()}`);
  if (f.reviewedOnly) parts.push(sql`p.reviewed_at IS NOT NULL`);
  if (f.unreviewedOnly) parts.push(sql`p.reviewed_at IS NULL`);
  if (f.queueOnly) parts.push(sql`c.state = 'reported'`);
  if (f.roots && f.roots !== 'all') {
    parts.push(f.roots.length ? sql`(${sql.join(f.roots.map((r) => sql`a.path LIKE ${`${r}%`}`), sql` OR `)})` : sql`FALSE`);
  }
  return sql.join(parts, sql` AND `);
}
export async function listReports(db: Db, f: PublicFilter, limit: number, offset = 0): Promise<PublicRow[]> {
  const list = await rows(db, sql`SELECT ${PUBLIC_COLS} FROM ${PUBLIC_FROM} WHERE ${where(f)} ORDER BY c.reported_at DESC, p.id DESC
    LIMIT ${limit} OFFSET ${offset}`);
  return list.map(toPublic);
}
export async function countReports(db: Db, f: PublicFilter): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${PUBLIC_FROM} WHERE ${where(f)}`);
  return r!.n;
}

export async function setFollowUp(tx: Db, id: number, p: { rating?: string; ratingNote?: string | null; ratedAt?: Date; reopenedAt?: Date; reopenNote?: string }) {
  await tx.execute(sql`UPDATE public_report SET
      rating = coalesce(${p.rating ?? null}, rating), rating_note = CASE WHEN ${p.rating ?? null}::text IS NULL THEN rating_note ELSE ${p.ratingNote ?? null} END,
      rated_at = coalesce(${p.ratedAt?.toISOString() ?? null}::timestamptz, rated_at),
      reopened_at = coalesce(${p.reopenedAt?.toISOString() ?? null}::timestamptz, reopened_at),
      reopen_note = coalesce(${p.reopenNote ?? null}, reopen_note)
    WHERE id = ${id}`);
}

export async function setReview(tx: Db, id: number, by: number, publicText: string | null, at: Date) {
  await tx.execute(sql`UPDATE public_report SET reviewed_at = ${at.toISOString()}, reviewed_by = ${by}, public_text = ${publicText} WHERE id = ${id}`);
}

export async function setPhotoHidden(tx: Db, photoId: number, by: number | null, at: Date | null) {
  await tx.execute(sql`UPDATE case_photo SET hidden_at = ${at?.toISOString() ?? null}, hidden_by = ${by} WHERE id = ${photoId}`);
}

export async function moveCaseArea(tx: Db, caseId: number, areaId: number, countyCode: string | null) {
  await tx.execute(sql`UPDATE case_file SET area_id = ${areaId}, county_code = ${countyCode}, version = version + 1, updated_at = now() WHERE id = ${caseId}`);
}

/** Open cases of a category within a box, inside the reader's subtrees (the caller measures the exact distance). */
export async function openCasesNear(db: Db, o: { categoryId: number; exceptId: number; roots: string[] | 'all'; box: { minLat: number; maxLat: number; minLng: number; maxLng: number } }) {
  const list = await rows<{ id: number; no: string; state: CaseState; lat: number; lng: number; description: string; reportedAt: unknown; source: string; areaName: string }>(db, sql`
    SELECT c.id, c.no, c.state, c.lat, c.lng, c.description, c.reported_at AS "reportedAt", c.source, a.name AS "areaName"
    FROM case_file c JOIN area a ON a.id = c.area_id
    WHERE c.category_id = ${o.categoryId} AND c.id <> ${o.exceptId} AND c.state IN ('reported', 'registered', 'dispatched', 'fixing', 'fixed')
      AND c.lat BETWEEN ${o.box.minLat} AND ${o.box.maxLat} AND c.lng BETWEEN ${o.box.minLng} AND ${o.box.maxLng}
      AND ${insideRoots(o.roots)}
    ORDER BY c.reported_at DESC LIMIT 200`);
  return list.map((r) => ({ ...r, id: Number(r.id), lat: Number(r.lat), lng: Number(r.lng), reportedAt: toDate(r.reportedAt)! }));
}

/** Public photos of a case: not hidden, in order; the caller checks the report was reviewed. */
export async function visiblePhotos(db: Db, caseId: number) {
  const list = await rows<{ id: number; storageKey: string; thumbKey: string; sha256: string; phase: string | null }>(db, sql`
    SELECT id, storage_key AS "storageKey", thumb_key AS "thumbKey", sha256, phase FROM case_photo
    WHERE case_id = ${caseId} AND hidden_at IS NULL ORDER BY step_id NULLS FIRST, id`);
  return list.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function photoOfCase(db: Db, photoId: number) {
  const [r] = await rows<{ id: number; caseId: number | null; areaPath: string | null }>(db, sql`SELECT p.id, p.case_id AS "caseId", a.path AS "areaPath"
    FROM case_photo p LEFT JOIN case_file c ON c.id = p.case_id LEFT JOIN area a ON a.id = c.area_id WHERE p.id = ${photoId}`);
  return r && { ...r, id: Number(r.id), caseId: r.caseId == null ? null : Number(r.caseId) };
}

export async function stepsForPublic(db: Db, caseId: number) {
  const list = await rows<{ action: string; at: unknown; data: unknown }>(db, sql`SELECT action, at, data FROM case_step WHERE case_id = ${caseId} ORDER BY seq`);
  return list.map((s) => ({ action: s.action, at: toDate(s.at)!, data: typeof s.data === 'string' ? JSON.parse(s.data) : s.data }));
}

export async function countPublic(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM public_report`);
  return r!.n;
}

/** The tracking numbers of cases (those that are residents' reports), for a duplicate's link. */
export async function publicNosOf(db: Db, caseIds: number[]): Promise<Map<number, string>> {
  if (caseIds.length === 0) return new Map();
  const list = await rows<{ caseId: number; no: string }>(db, sql`SELECT case_id AS "caseId", public_no AS no FROM public_report
    WHERE public_no IS NOT NULL AND case_id IN (${sql.join(caseIds.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(list.map((r) => [Number(r.caseId), r.no]));
}

// ---------------------------------------------------------------- retention

/**
 * Removes residents' contact details (phone and its hash, name, e-mail, device, address hash) from
 * reports whose case was closed or refused before `before`, a batch at a time; the case keeps
 * '群众' as its reporter. Returns the cases done (none left: an empty list).
 */
export async function purgeContacts(tx: Db, before: Date, limit: number): Promise<{ caseId: number; areaPath: string }[]> {
  const list = await rows<{ caseId: number; areaPath: string }>(tx, sql`WITH due AS (
      SELECT p.id FROM public_report p JOIN case_file c ON c.id = p.case_id
      WHERE p.contact_purged_at IS NULL
        AND ((c.state = 'closed' AND c.closed_at < ${before.toISOString()}) OR (c.state = 'refused' AND c.updated_at < ${before.toISOString()}))
      ORDER BY p.id LIMIT ${limit} FOR UPDATE OF p SKIP LOCKED)
    UPDATE public_report p SET phone = NULL, phone_hash = NULL, name = NULL, email = NULL, device_id = NULL, ip_hash = NULL, contact_purged_at = now()
    FROM due, case_file c JOIN area a ON a.id = c.area_id
    WHERE p.id = due.id AND c.id = p.case_id
    RETURNING p.case_id AS "caseId", a.path AS "areaPath"`);
  const ids = list.map((r) => Number(r.caseId));
  if (ids.length) {
    await tx.execute(sql`UPDATE case_file SET reporter_name = '群众' WHERE source = 'public' AND reported_by IS NULL
      AND id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  }
  return list.map((r) => ({ caseId: Number(r.caseId), areaPath: r.areaPath }));
}
