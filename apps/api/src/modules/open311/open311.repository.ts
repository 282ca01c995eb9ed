// Open311's own queries: partner keys, jurisdictions, the service list's changeset and notices,
// public photos for many reports at once, and the public steps as request updates (named by tracking number).
// (The reports themselves are read through the intake's repository.)
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import type { CaseState } from '../../../../../packages/shared/src/cases.js';

export interface PartnerRow {
  id: number; name: string; keyPrefix: string; active: boolean; createdBy: number | null; createdByName: string | null;
  createdAt: Date; lastUsedAt: Date | null;
}
const PARTNER_COLS = sql`p.id, p.name, p.key_prefix AS "keyPrefix", p.active, p.created_by AS "createdBy", u.display_name AS "createdByName",
  p.created_at AS "createdAt", p.last_used_at AS "lastUsedAt"`;
const toPartner = (r: Record<string, unknown>): PartnerRow => ({
  id: Number(r.id), name: String(r.name), keyPrefix: String(r.keyPrefix), active: Boolean(r.active),
  createdBy: r.createdBy == null ? null : Number(r.createdBy), createdByName: (r.createdByName as string | null) ?? null,
  createdAt: toDate(r.createdAt)!, lastUsedAt: toDate(r.lastUsedAt),
});

export async function listPartners(db: Db): Promise<PartnerRow[]> {
  const list = await rows(db, sql`SELECT ${PARTNER_COLS} FROM open311_partner p LEFT JOIN app_user u ON u.id = p.created_by
    ORDER BY p.active DESC, p.created_at DESC, p.id DESC`);
  return list.map(toPartner);
}

export async function partnerById(db: Db, id: number, forUpdate = false): Promise<PartnerRow | undefined> {
  const [r] = await rows(db, sql`SELECT ${PARTNER_COLS} FROM open311_partner p LEFT JOIN app_user u ON u.id = p.created_by
    WHERE p.id = ${id} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`);
  return r ? toPartner(r) : undefined;
}

export async function partnerByKeyHash(db: Db, keyHash: string): Promise<{ id: number; name: string; active: boolean } | undefined> {
  const [r] = await rows<{ id: number; name: string; active: boolean }>(db, sql`SELECT id, name, active FROM open311_partner WHERE key_hash = ${keyHash}`);
  return r && { id: Number(r.id), name: r.name, active: Boolean(r.active) };
}

export async function insertPartner(tx: Db, p: { name: string; keyHash: string; keyPrefix: string; createdBy: number }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO open311_partner (name, key_hash, key_prefix, created_by)
    VALUES (${p.name}, ${p.keyHash}, ${p.keyPrefix}, ${p.createdBy}) RETURNING id`);
  return Number(r!.id);
}

export async function deactivatePartner(tx: Db, id: number) {
  await tx.execute(sql`UPDATE open311_partner SET active = false WHERE id = ${id}`);
}

export async function touchPartner(db: Db, id: number, at: Date) {
  await db.execute(sql`UPDATE open311_partner SET last_used_at = ${at.toISOString()} WHERE id = ${id}`);
}

/** A jurisdiction_id: the code of a town, county, city or province of the install. */
export async function jurisdictionByCode(db: Db, code: string): Promise<{ id: number; code: string; name: string; path: string } | undefined> {
  const [r] = await rows<{ id: number; code: string; name: string; path: string }>(db, sql`SELECT id, code, name, path FROM area
    WHERE code = ${code} AND level_key IN ('town', 'county', 'city', 'province') AND archived_at IS NULL`);
  return r && { ...r, id: Number(r.id) };
}

/** When the service list last changed (discovery's changeset). */
export async function categoriesChangedAt(db: Db): Promise<Date | null> {
  const [r] = await rows<{ t: unknown }>(db, sql`SELECT max(updated_at) AS t FROM case_category`);
  return toDate(r?.t);
}

/** A category's time limit, for the notice a new request gets. */
export async function categoryDeadline(db: Db, code: string): Promise<{ amount: number | null; unit: string | null } | undefined> {
  const [r] = await rows<{ amount: number | null; unit: string | null }>(db, sql`SELECT deadline_amount AS amount, deadline_unit AS unit
    FROM case_category WHERE code = ${code}`);
  return r && { amount: r.amount == null ? null : Number(r.amount), unit: r.unit };
}

/** The first public photo (not hidden) of each case, as the intake orders them. */
export async function firstVisiblePhotos(db: Db, caseIds: number[]): Promise<Map<number, number>> {
  if (caseIds.length === 0) return new Map();
  const list = await rows<{ caseId: number; id: number }>(db, sql`SELECT DISTINCT ON (case_id) case_id AS "caseId", id FROM case_photo
    WHERE case_id IN (${sql.join(caseIds.map((i) => sql`${i}`), sql`, `)}) AND hidden_at IS NULL
    ORDER BY case_id, step_id NULLS FIRST, id`);
  return new Map(list.map((r) => [Number(r.caseId), Number(r.id)]));
}

export interface UpdateRow {
  /** no: the report's tracking number */
  id: number; caseId: number; no: string; action: string; toState: CaseState; at: Date; data: unknown; reviewed: boolean; photoId: number | null;
}
/**
 * The steps of residents' reports taken within a window (the public actions only), oldest first,
 * each with its first public photo.
 */
export async function publicSteps(db: Db, o: { from: Date; to: Date; actions: string[]; root: string | null; nos: string[] | null; limit: number }): Promise<UpdateRow[]> {
  const list = await rows<Record<string, unknown>>(db, sql`SELECT s.id, s.case_id AS "caseId", p.public_no AS no, s.action, s.to_state AS "toState", s.at, s.data,
      (p.reviewed_at IS NOT NULL) AS reviewed,
      (SELECT min(ph.id) FROM case_photo ph WHERE ph.step_id = s.id AND ph.case_id = s.case_id AND ph.hidden_at IS NULL) AS "photoId"
    FROM case_step s JOIN public_report p ON p.case_id = s.case_id JOIN case_file c ON c.id = s.case_id
    ${o.root ? sql`JOIN area a ON a.id = c.area_id` : sql``}
    WHERE s.at >= ${o.from.toISOString()} AND s.at <= ${o.to.toISOString()} AND p.public_no IS NOT NULL
      AND s.action IN (${sql.join(o.actions.map((a) => sql`${a}`), sql`, `)})
      ${o.root ? sql`AND a.path LIKE ${`${o.root}%`}` : sql``}
      ${o.nos ? sql`AND p.public_no IN (${sql.join(o.nos.map((n) => sql`${n}`), sql`, `)})` : sql``}
    ORDER BY s.at, s.id LIMIT ${o.limit}`);
  return list.map((r) => ({
    id: Number(r.id), caseId: Number(r.caseId), no: String(r.no), action: String(r.action), toState: r.toState as CaseState,
    at: toDate(r.at)!, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data, reviewed: Boolean(r.reviewed),
    photoId: r.photoId == null ? null : Number(r.photoId),
  }));
}

/** Every sub-category's code, public or not (a GET filter on a retired service still finds its requests). */
export async function categoryCodes(db: Db): Promise<string[]> {
  return (await rows<{ code: string }>(db, sql`SELECT code FROM case_category WHERE parent_id IS NOT NULL`)).map((r) => r.code);
}
