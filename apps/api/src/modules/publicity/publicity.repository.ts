// The only place with publicity queries: campaigns and their records.
// ("on" and "by" are SQL keywords: always quoted.)
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import type { RecordFact, RecordValue, Targets } from './publicity.rules.js';

export interface CampaignRow {
  id: number; scopeAreaId: number; scopeName: string; scopeCode: string; scopePath: string; scopeLevel: string;
  name: string; startsOn: string; endsOn: string; targets: Targets; createdBy: number | null; createdByName: string | null;
  createdAt: string; version: number;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : toDate(v)!.toISOString());

const C_COLS = sql`c.id, c.scope_area_id AS "scopeAreaId", a.name AS "scopeName", a.code AS "scopeCode", a.path AS "scopePath",
  a.level_key AS "scopeLevel", c.name, c.starts_on::text AS "startsOn", c.ends_on::text AS "endsOn", c.targets,
  c.created_by AS "createdBy", u.display_name AS "createdByName", c.created_at AS "createdAt", c.version`;
const C_FROM = sql`publicity_campaign c JOIN area a ON a.id = c.scope_area_id LEFT JOIN app_user u ON u.id = c.created_by`;
const toCampaign = (r: Record<string, unknown>): CampaignRow => ({
  ...(r as unknown as CampaignRow), id: Number(r.id), scopeAreaId: Number(r.scopeAreaId), createdBy: r.createdBy == null ? null : Number(r.createdBy),
  createdAt: iso(r.createdAt)!, version: Number(r.version), targets: (r.targets ?? {}) as Targets,
});

/** Campaigns whose scope lies inside one of the roots or holds one of them ('all': every campaign). */
export async function listCampaigns(db: Db, roots: string[] | 'all'): Promise<CampaignRow[]> {
  const where = roots === 'all' ? sql`TRUE` : roots.length === 0 ? sql`FALSE`
    : sql`(${sql.join(roots.map((p) => sql`(a.path LIKE ${`${p}%`} OR ${p} LIKE a.path || '%')`), sql` OR `)})`;
  return (await rows(db, sql`SELECT ${C_COLS} FROM ${C_FROM} WHERE ${where} ORDER BY c.starts_on DESC, c.id DESC`)).map(toCampaign);
}

export async function getCampaign(db: Db, id: number, forUpdate = false): Promise<CampaignRow | null> {
  const [r] = await rows(db, sql`SELECT ${C_COLS} FROM ${C_FROM} WHERE c.id = ${id} ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`);
  return r ? toCampaign(r) : null;
}

export async function insertCampaign(tx: Db, c: { scopeAreaId: number; name: string; startsOn: string; endsOn: string; targets: Targets; by: number | null }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO publicity_campaign (scope_area_id, name, starts_on, ends_on, targets, created_by)
    VALUES (${c.scopeAreaId}, ${c.name}, ${c.startsOn}, ${c.endsOn}, ${JSON.stringify(c.targets)}::jsonb, ${c.by}) RETURNING id`);
  return Number(r!.id);
}

/** Updates when the version still matches; false otherwise. */
export async function updateCampaign(tx: Db, id: number, version: number, c: { scopeAreaId: number; name: string; startsOn: string; endsOn: string; targets: Targets }): Promise<boolean> {
  const r = await rows(tx, sql`UPDATE publicity_campaign SET scope_area_id = ${c.scopeAreaId}, name = ${c.name}, starts_on = ${c.startsOn},
      ends_on = ${c.endsOn}, targets = ${JSON.stringify(c.targets)}::jsonb, version = version + 1
    WHERE id = ${id} AND version = ${version} RETURNING id`);
  return r.length === 1;
}

export async function deleteCampaign(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM publicity_campaign WHERE id = ${id}`);
}

export async function countRecords(db: Db, campaignId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM publicity_record WHERE campaign_id = ${campaignId}`);
  return Number(r!.n);
}

/** The campaign's records dated outside [startsOn, endsOn] (how many, and the first and last date). */
export async function recordsOutside(db: Db, campaignId: number, startsOn: string, endsOn: string) {
  const [r] = await rows<{ n: number; first: string | null; last: string | null }>(db, sql`SELECT count(*) AS n, min("on")::text AS first, max("on")::text AS last
    FROM publicity_record WHERE campaign_id = ${campaignId} AND ("on" < ${startsOn} OR "on" > ${endsOn})`);
  return { n: Number(r!.n), first: r!.first, last: r!.last };
}

/** How many of the campaign's records name an area outside the subtree at `path`. */
export async function recordsOutsideScope(db: Db, campaignId: number, path: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM publicity_record r JOIN area a ON a.id = r.area_id
    WHERE r.campaign_id = ${campaignId} AND a.path NOT LIKE ${`${path}%`}`);
  return Number(r!.n);
}

// ------------------------------------------------------------------ records

export interface RecordRow extends RecordValue {
  id: number; campaignId: number; areaName: string | null; areaCode: string | null; areaPath: string | null;
  readsAt: string | null; by: number | null; byName: string | null; at: string; version: number;
}

const R_COLS = sql`r.id, r.campaign_id AS "campaignId", r.kind, r.area_id AS "areaId", a.name AS "areaName", a.code AS "areaCode",
  a.path AS "areaPath", r.place, r.mode, r."on"::text AS "on", r.quantity, r.attendance, r.title, r.url, r.reads, r.reads_at AS "readsAt",
  r.note, r."by", u.display_name AS "byName", r."at", r.version`;
const R_FROM = sql`publicity_record r LEFT JOIN area a ON a.id = r.area_id LEFT JOIN app_user u ON u.id = r."by"`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const toRecord = (r: Record<string, unknown>): RecordRow => ({
  ...(r as unknown as RecordRow), id: Number(r.id), campaignId: Number(r.campaignId), areaId: num(r.areaId), quantity: num(r.quantity),
  attendance: num(r.attendance), reads: num(r.reads), by: num(r.by), version: Number(r.version), readsAt: iso(r.readsAt), at: iso(r.at)!,
});

export async function getRecord(db: Db, id: number, forUpdate = false): Promise<RecordRow | null> {
  const [r] = await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE r.id = ${id} ${forUpdate ? sql`FOR UPDATE OF r` : sql``}`);
  return r ? toRecord(r) : null;
}

export interface RecordFilter { kind?: string; areaId?: number; limit: number; offset: number }

/**
 * A campaign's records the reader may see: those in an area under one of the roots, and the
 * campaign-wide ones with no village (letters to schools, WeChat posts, lectures at a venue).
 */
export async function listRecords(db: Db, campaignId: number, roots: string[] | 'all', f: RecordFilter): Promise<{ total: number; items: RecordRow[] }> {
  const inside = roots === 'all' ? sql`TRUE`
    : sql`(r.area_id IS NULL ${roots.length ? sql`OR ${sql.join(roots.map((p) => sql`a.path LIKE ${`${p}%`}`), sql` OR `)}` : sql``})`;
  const where = sql`r.campaign_id = ${campaignId} AND ${inside} ${f.kind ? sql`AND r.kind = ${f.kind}` : sql``}
    ${f.areaId ? sql`AND r.area_id = ${f.areaId}` : sql``}`;
  const [c] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${R_FROM} WHERE ${where}`);
  const list = await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE ${where} ORDER BY r."on" DESC, r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`);
  return { total: Number(c!.n), items: list.map(toRecord) };
}

/** Every record of the campaign, as the summary's rules take them. */
export async function recordFacts(db: Db, campaignId: number): Promise<(RecordFact & { areaName: string | null })[]> {
  const list = await rows<Record<string, unknown>>(db, sql`SELECT r.id, r.kind, r.area_id AS "areaId", a.name AS "areaName", r.place, r.mode,
      r."on"::text AS "on", r.quantity, r.attendance, r.reads, r.title, r.url
    FROM publicity_record r LEFT JOIN area a ON a.id = r.area_id WHERE r.campaign_id = ${campaignId} ORDER BY r.id`);
  return list.map((r) => ({
    id: Number(r.id), kind: String(r.kind), areaId: num(r.areaId), areaName: (r.areaName as string | null) ?? null, place: (r.place as string | null) ?? null,
    mode: (r.mode as string | null) ?? null, on: String(r.on), quantity: num(r.quantity), attendance: num(r.attendance), reads: num(r.reads),
    title: (r.title as string | null) ?? null, url: (r.url as string | null) ?? null,
  }));
}

export async function insertRecord(tx: Db, campaignId: number, v: RecordValue, by: number | null): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO publicity_record (campaign_id, kind, area_id, place, mode, "on", quantity, attendance,
      title, url, reads, reads_at, note, "by")
    VALUES (${campaignId}, ${v.kind}, ${v.areaId}, ${v.place}, ${v.mode}, ${v.on}, ${v.quantity}, ${v.attendance}, ${v.title}, ${v.url},
      ${v.reads}, ${v.reads === null ? null : sql`now()`}, ${v.note}, ${by}) RETURNING id`);
  return Number(r!.id);
}

/** Updates when the version still matches (the read time moves when the reads change; who entered it and when stay); false otherwise. */
export async function updateRecord(tx: Db, id: number, version: number, v: RecordValue): Promise<boolean> {
  const r = await rows(tx, sql`UPDATE publicity_record SET area_id = ${v.areaId}, place = ${v.place}, mode = ${v.mode}, "on" = ${v.on},
      quantity = ${v.quantity}, attendance = ${v.attendance}, title = ${v.title}, url = ${v.url},
      reads_at = CASE WHEN reads IS DISTINCT FROM ${v.reads}::int THEN (CASE WHEN ${v.reads}::int IS NULL THEN NULL ELSE now() END) ELSE reads_at END,
      reads = ${v.reads}, note = ${v.note}, version = version + 1
    WHERE id = ${id} AND version = ${version} RETURNING id`);
  return r.length === 1;
}

export async function deleteRecord(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM publicity_record WHERE id = ${id}`);
}
