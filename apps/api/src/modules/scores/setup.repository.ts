// The only place with queries on what the town sets for its scores: indicators, weight sets,
// the other work's scores (the 60%), and the quarterly ratings and annual awards.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import type { Indicator, Weights } from './scoring.rules.js';
import type { Month } from './scores.repository.js';

export type IndicatorRow = Indicator & { id: number; sort: number; active: boolean; version: number };

const IND_COLS = sql`id, code, name, name_en AS "nameEn", formula, direction, unit, target, green, yellow, base_fact AS "baseFact",
  min_base AS "minBase", period_types AS "periodTypes", sort, active, version`;
const toIndicator = (r: Record<string, unknown>): IndicatorRow => ({
  ...(r as unknown as IndicatorRow), id: Number(r.id), target: r.target == null ? null : Number(r.target),
  green: Number(r.green), yellow: Number(r.yellow), minBase: Number(r.minBase), sort: Number(r.sort), version: Number(r.version),
});

export async function listIndicators(db: Db, activeOnly = false): Promise<IndicatorRow[]> {
  return (await rows(db, sql`SELECT ${IND_COLS} FROM score_indicator ${activeOnly ? sql`WHERE active` : sql``} ORDER BY sort, id`)).map(toIndicator);
}
export async function getIndicator(db: Db, id: number): Promise<IndicatorRow | null> {
  const [r] = await rows(db, sql`SELECT ${IND_COLS} FROM score_indicator WHERE id = ${id}`);
  return r ? toIndicator(r) : null;
}
export async function insertIndicator(tx: Db, i: Indicator & { sort: number }): Promise<IndicatorRow> {
  const [r] = await rows(tx, sql`INSERT INTO score_indicator (code, name, name_en, formula, direction, unit, target, green, yellow, base_fact, min_base, period_types, sort)
    VALUES (${i.code}, ${i.name}, ${i.nameEn ?? null}, ${i.formula}, ${i.direction}, ${i.unit}, ${i.target}, ${i.green}, ${i.yellow}, ${i.baseFact},
      ${i.minBase}, ${JSON.stringify(i.periodTypes)}::jsonb, ${i.sort})
    ON CONFLICT (code) DO NOTHING RETURNING ${IND_COLS}`);
  return r ? toIndicator(r) : (null as unknown as IndicatorRow);
}
/** Updates when the version still matches; null otherwise (someone changed it first). */
export async function updateIndicator(tx: Db, id: number, version: number, i: IndicatorRow): Promise<IndicatorRow | null> {
  const [r] = await rows(tx, sql`UPDATE score_indicator SET name = ${i.name}, name_en = ${i.nameEn ?? null}, formula = ${i.formula},
      direction = ${i.direction}, unit = ${i.unit}, target = ${i.target}, green = ${i.green}, yellow = ${i.yellow}, base_fact = ${i.baseFact},
      min_base = ${i.minBase}, period_types = ${JSON.stringify(i.periodTypes)}::jsonb, sort = ${i.sort}, active = ${i.active},
      version = version + 1, updated_at = now()
    WHERE id = ${id} AND version = ${version} RETURNING ${IND_COLS}`);
  return r ? toIndicator(r) : null;
}

export interface WeightSet { id: number; validFrom: string; weights: Weights; note: string | null; createdBy: string | null; createdAt: string }
const W_COLS = sql`w.id, w.valid_from::text AS "validFrom", w.weights, w.note, u.display_name AS "createdBy", w.created_at AS "createdAt"`;
const toWeightSet = (r: Record<string, unknown>) => ({ ...(r as unknown as WeightSet), id: Number(r.id) });

export async function listWeightSets(db: Db): Promise<WeightSet[]> {
  return (await rows(db, sql`SELECT ${W_COLS} FROM score_weight_set w LEFT JOIN app_user u ON u.id = w.created_by
    ORDER BY w.valid_from DESC, w.id DESC`)).map(toWeightSet);
}
/** The weight set in force on a day: the latest valid_from on or before it (on a tie, the later one). */
export async function weightSetOn(db: Db, day: string): Promise<WeightSet | null> {
  const [r] = await rows(db, sql`SELECT ${W_COLS} FROM score_weight_set w LEFT JOIN app_user u ON u.id = w.created_by
    WHERE w.valid_from <= ${day} ORDER BY w.valid_from DESC, w.id DESC LIMIT 1`);
  return r ? toWeightSet(r) : null;
}
export async function insertWeightSet(tx: Db, validFrom: string, weights: Weights, note: string | null, by: number): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO score_weight_set (valid_from, weights, note, created_by)
    VALUES (${validFrom}, ${JSON.stringify(weights)}::jsonb, ${note}, ${by}) RETURNING id`);
  return Number(r!.id);
}

// ------------------------------------------------------------------ other work (the 60%)

export interface OtherScore { villageId: number; month: string; score: number; note: string | null; source: string; enteredBy: string | null; enteredAt: string }

/** The other-work scores of the villages under a scope for these months. */
export async function otherScores(db: Db, scopePath: string, months: Month[]): Promise<OtherScore[]> {
  const list = await rows<Record<string, unknown>>(db, sql`SELECT o.village_id AS "villageId", o.month::text AS month, o.score, o.note, o.source,
      u.display_name AS "enteredBy", o.entered_at AS "enteredAt"
    FROM score_other o JOIN area v ON v.id = o.village_id LEFT JOIN app_user u ON u.id = o.entered_by
    WHERE v.path LIKE ${`${scopePath}%`} AND o.month IN (${sql.join(months.map((m) => sql`${m}`), sql`, `)})`);
  return list.map((r) => ({ ...(r as unknown as OtherScore), villageId: Number(r.villageId), score: Number(r.score) }));
}
export async function putOtherScore(tx: Db, villageId: number, month: Month, score: number, note: string | null, source: string, by: number | null) {
  await tx.execute(sql`INSERT INTO score_other (village_id, month, score, note, source, entered_by) VALUES (${villageId}, ${month}, ${score}, ${note}, ${source}, ${by})
    ON CONFLICT (village_id, month) DO UPDATE SET score = EXCLUDED.score, note = EXCLUDED.note, source = EXCLUDED.source,
      entered_by = EXCLUDED.entered_by, entered_at = now()`);
}
export async function deleteOtherScore(tx: Db, villageId: number, month: Month): Promise<number> {
  return (await rows(tx, sql`DELETE FROM score_other WHERE village_id = ${villageId} AND month = ${month} RETURNING 1`)).length;
}
/** Months with kept facts (a month computed but without any record does not count). */
export async function countScoredPeriods(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(DISTINCT month) AS n FROM score_fact`);
  return Number(r!.n);
}

// ------------------------------------------------------------------ ratings and awards

export interface RatingRow {
  id: number; kind: 'quarter' | 'year'; areaId: number; period: string; status: 'proposed' | 'approved'; content: unknown;
  proposedBy: number; proposedByName: string | null; proposedAt: string; approvedBy: number | null; approvedByName: string | null; approvedAt: string | null; version: number;
}
const R_COLS = sql`r.id, r.kind, r.area_id AS "areaId", r.period, r.status, r.content, r.proposed_by AS "proposedBy", pu.display_name AS "proposedByName",
  r.proposed_at AS "proposedAt", r.approved_by AS "approvedBy", au.display_name AS "approvedByName", r.approved_at AS "approvedAt", r.version`;
const R_FROM = sql`score_rating r LEFT JOIN app_user pu ON pu.id = r.proposed_by LEFT JOIN app_user au ON au.id = r.approved_by`;
const toRating = (r: Record<string, unknown>): RatingRow => ({
  ...(r as unknown as RatingRow), id: Number(r.id), areaId: Number(r.areaId), proposedBy: Number(r.proposedBy),
  approvedBy: r.approvedBy == null ? null : Number(r.approvedBy), version: Number(r.version),
});

export async function findRating(db: Db, kind: string, areaId: number, period: string): Promise<RatingRow | null> {
  const [r] = await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE r.kind = ${kind} AND r.area_id = ${areaId} AND r.period = ${period}`);
  return r ? toRating(r) : null;
}
export async function getRating(db: Db, id: number, lock = false): Promise<RatingRow | null> {
  const [r] = await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE r.id = ${id} ${lock ? sql`FOR UPDATE OF r` : sql``}`);
  return r ? toRating(r) : null;
}
export async function listRatings(db: Db, areaId: number): Promise<RatingRow[]> {
  return (await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE r.area_id = ${areaId} ORDER BY r.period DESC, r.kind`)).map(toRating);
}
/** Inserts a proposal; null when one for the same kind, area and period exists (two proposing at once: one wins). */
export async function insertRating(tx: Db, kind: string, areaId: number, period: string, content: unknown, by: number): Promise<number | null> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO score_rating (kind, area_id, period, status, content, proposed_by)
    VALUES (${kind}, ${areaId}, ${period}, 'proposed', ${JSON.stringify(content)}::jsonb, ${by}) ON CONFLICT DO NOTHING RETURNING id`);
  return r ? Number(r.id) : null;
}
export async function insertAward(tx: Db, ratingId: number, a: { villageId: number; rank: number; tier: string; composite: number; amount: number }) {
  await tx.execute(sql`INSERT INTO score_award (rating_id, village_id, rank, tier, composite, amount)
    VALUES (${ratingId}, ${a.villageId}, ${a.rank}, ${a.tier}, ${a.composite}, ${a.amount})`);
}
export async function approveRating(tx: Db, id: number, by: number): Promise<void> {
  await tx.execute(sql`UPDATE score_rating SET status = 'approved', approved_by = ${by}, approved_at = now(), version = version + 1 WHERE id = ${id}`);
}
export async function deleteRating(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM score_award WHERE rating_id = ${id}`);
  await tx.execute(sql`DELETE FROM score_rating WHERE id = ${id}`);
}
export interface AwardRow { id: number; villageId: number; villageCode: string; villageName: string; districtName: string | null; rank: number; tier: string; composite: number; amount: number; paidAt: string | null; paidByName: string | null }
export async function awardsOf(db: Db, ratingId: number): Promise<AwardRow[]> {
  const list = await rows<Record<string, unknown>>(db, sql`SELECT w.id, w.village_id AS "villageId", v.code AS "villageCode", v.name AS "villageName",
      d.name AS "districtName", w.rank, w.tier, w.composite, w.amount, w.paid_at AS "paidAt", u.display_name AS "paidByName"
    FROM score_award w JOIN area v ON v.id = w.village_id LEFT JOIN area d ON d.id = v.parent_id AND d.level_key = 'district'
      LEFT JOIN app_user u ON u.id = w.paid_by
    WHERE w.rating_id = ${ratingId} ORDER BY w.rank, v.code`);
  return list.map((r) => ({ ...(r as unknown as AwardRow), id: Number(r.id), villageId: Number(r.villageId), rank: Number(r.rank),
    composite: Number(r.composite), amount: Number(r.amount) }));
}
/** Marks an award paid once; false when it was already paid or does not belong to the rating. */
export async function markPaid(tx: Db, ratingId: number, awardId: number, by: number): Promise<boolean> {
  return (await rows(tx, sql`UPDATE score_award SET paid_at = now(), paid_by = ${by}
    WHERE id = ${awardId} AND rating_id = ${ratingId} AND paid_at IS NULL RETURNING 1`)).length > 0;
}
export async function awardExists(db: Db, ratingId: number, awardId: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM score_award WHERE id = ${awardId} AND rating_id = ${ratingId}`)).length > 0;
}
