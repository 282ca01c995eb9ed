// The only place with case_photo queries.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import type { EvidenceFlag } from '../../../../../packages/shared/src/cases.js';
import type { PhotoPhase } from './flags.rules.js';

export interface PhotoRow {
  id: number;
  caseId: number | null;
  stepId: number | null;
  stepSeq: number | null;
  phase: PhotoPhase | null;
  storageKey: string;
  thumbKey: string;
  /** the upload's own type; the stored files are always JPEG */
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  phash: string | null;
  takenAt: unknown;
  lat: number | null;
  lng: number | null;
  flags: EvidenceFlag[] | null;
  uploadedBy: number | null;
  uploadedAt: unknown;
  hiddenAt: unknown;
}

const COLS = sql`p.id, p.case_id AS "caseId", p.step_id AS "stepId", p.phase, p.storage_key AS "storageKey",
  p.thumb_key AS "thumbKey", p.mime, p.bytes, p.width, p.height, p.sha256, p.phash, p.taken_at AS "takenAt",
  p.lat, p.lng, p.flags, p.uploaded_by AS "uploadedBy", p.uploaded_at AS "uploadedAt", p.hidden_at AS "hiddenAt"`;

export interface NewPhoto {
  storageKey: string; thumbKey: string; mime: string; bytes: number; width: number; height: number;
  sha256: string; phash: string; takenAt: Date | null; lat: number | null; lng: number | null; uploadedBy: number | null;
}

/** The file keys that photo rows of these pictures refer to (found through the phash index). */
export async function keysInUse(db: Db, pics: { sha256: string; phash: string }[]): Promise<Set<string>> {
  if (!pics.length) return new Set();
  const list = await rows<{ s: string; t: string }>(db, sql`SELECT storage_key AS s, thumb_key AS t FROM case_photo
    WHERE phash = ANY(${`{${pics.map((p) => p.phash).join(',')}}`}::text[]) AND sha256 = ANY(${`{${pics.map((p) => p.sha256).join(',')}}`}::text[])`);
  return new Set(list.flatMap((r) => [r.s, r.t]));
}

export async function insertPhoto(db: Db, p: NewPhoto): Promise<PhotoRow> {
  const [r] = await rows<PhotoRow>(db, sql`INSERT INTO case_photo AS p
      (storage_key, thumb_key, mime, bytes, width, height, sha256, phash, taken_at, lat, lng, uploaded_by)
    VALUES (${p.storageKey}, ${p.thumbKey}, ${p.mime}, ${p.bytes}, ${p.width}, ${p.height}, ${p.sha256}, ${p.phash},
      ${p.takenAt ? p.takenAt.toISOString() : null}, ${p.lat}, ${p.lng}, ${p.uploadedBy})
    RETURNING ${COLS}, NULL::int AS "stepSeq"`);
  return r!;
}

/** A photo and, when attached, the path of its case's area (for the read check). */
export async function findWithAreaPath(db: Db, id: number): Promise<(PhotoRow & { areaPath: string | null }) | undefined> {
  const [r] = await rows<PhotoRow & { areaPath: string | null }>(db, sql`SELECT ${COLS}, NULL::int AS "stepSeq", a.path AS "areaPath"
    FROM case_photo p LEFT JOIN case_file c ON c.id = p.case_id
      LEFT JOIN routine_task t ON t.id = p.task_id LEFT JOIN area a ON a.id = coalesce(c.area_id, t.area_id)
    WHERE p.id = ${id}`);
  return r;
}

export async function lockPhotos(tx: Db, ids: number[]): Promise<PhotoRow[]> {
  if (ids.length === 0) return [];
  return rows<PhotoRow>(tx, sql`SELECT ${COLS}, NULL::int AS "stepSeq" FROM case_photo p
    WHERE p.id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) ORDER BY p.id FOR UPDATE`);
}

export async function countOnStep(tx: Db, stepId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM case_photo WHERE step_id = ${stepId}`);
  return Number(r!.n);
}

export async function caseHashes(tx: Db, caseId: number, phase: PhotoPhase): Promise<string[]> {
  const r = await rows<{ phash: string }>(tx, sql`SELECT phash FROM case_photo
    WHERE case_id = ${caseId} AND phase = ${phase} AND phash IS NOT NULL`);
  return r.map((x) => x.phash);
}

/** The county code of the case's area (every area carries one), to scope near-duplicate search. */
export async function caseCounty(tx: Db, caseId: number): Promise<string | null> {
  const [r] = await rows<{ county: string | null }>(tx, sql`SELECT a.county_code AS county
    FROM case_file c JOIN area a ON a.id = c.area_id WHERE c.id = ${caseId}`);
  return r?.county ?? null;
}

export interface OtherCasePhoto { caseId: number; caseNo: string; phash: string }

/**
 * Photos of other cases that may be the same picture as `phash`, cheaply:
 * - an exact hash match anywhere (the phash index), and
 * - a near match (at most `maxBits` differing bits, computed in SQL on bit(64)) among photos of
 *   cases reported since `since` in areas of the same county. The window and the county bound the
 *   scan; a picture reused across counties or after months is only caught when exactly equal.
 */
export async function otherCaseMatches(tx: Db, o: { caseId: number; phash: string; county: string | null; since: Date; maxBits: number; limit?: number }): Promise<OtherCasePhoto[]> {
  const bits = `x${o.phash}`;
  const near = o.county === null ? sql`` : sql`
    UNION
    SELECT p.case_id AS "caseId", c.no AS "caseNo", p.phash
      FROM case_file c JOIN area a ON a.id = c.area_id JOIN case_photo p ON p.case_id = c.id
      WHERE a.county_code = ${o.county} AND c.reported_at >= ${o.since.toISOString()} AND c.id <> ${o.caseId}
        AND p.phash IS NOT NULL
        AND length(replace((('x' || p.phash)::bit(64) # ${bits}::bit(64))::text, '0', '')) <= ${o.maxBits}`;
  return rows<OtherCasePhoto>(tx, sql`SELECT * FROM (
    SELECT p.case_id AS "caseId", c.no AS "caseNo", p.phash
      FROM case_photo p JOIN case_file c ON c.id = p.case_id
      WHERE p.phash = ${o.phash} AND p.case_id <> ${o.caseId}
    ${near}) m LIMIT ${o.limit ?? 20}`);
}

export async function attach(tx: Db, id: number, a: { caseId: number; stepId: number | null; phase: PhotoPhase; flags: EvidenceFlag[] }): Promise<void> {
  await tx.execute(sql`UPDATE case_photo SET case_id = ${a.caseId}, step_id = ${a.stepId}, phase = ${a.phase},
    flags = ${JSON.stringify(a.flags)}::jsonb WHERE id = ${id} AND case_id IS NULL`);
}

export async function ofCase(db: Db, caseId: number): Promise<PhotoRow[]> {
  return rows<PhotoRow>(db, sql`SELECT ${COLS}, s.seq AS "stepSeq"
    FROM case_photo p LEFT JOIN case_step s ON s.id = p.step_id
    WHERE p.case_id = ${caseId} ORDER BY s.seq NULLS FIRST, p.id`);
}

export async function getSetting(db: Db, key: string): Promise<unknown> {
  const [r] = await rows<{ value: unknown }>(db, sql`SELECT value FROM setting WHERE key = ${key}`);
  return r?.value;
}

export async function putSetting(tx: Db, key: string, value: unknown): Promise<void> {
  await tx.execute(sql`INSERT INTO setting (key, value) VALUES (${key}, ${JSON.stringify(value)}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`);
}

/** Attaches a task's photos (the uploader's own, not attached to anything else; again to the same task is fine); returns how many. */
export async function attachToTask(tx: Db, taskId: number, uploaderId: number, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await rows(tx, sql`UPDATE case_photo SET task_id = ${taskId} WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})
    AND uploaded_by = ${uploaderId} AND case_id IS NULL AND (task_id IS NULL OR task_id = ${taskId}) RETURNING id`);
  return r.length;
}
