// Photos as evidence: uploaded first (one at a time, a weak connection finishes each), then
// attached to a case's step inside the case service's transaction, where they are checked against
// the case (time, place, the "before" photos, other cases' photos) and flagged for the checker.
import type { Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { toDate } from '../../lib/dates.js';
import type { CasePhotoView, EvidenceFlag } from '../../../../../packages/shared/src/cases.js';
import { canRead, isGlobal, type Actor } from '../access/policy.js';
import { DEFAULT_NEAR_THRESHOLD, evidenceFlags, type PhotoPhase } from './flags.rules.js';
import { inspectImage, informative } from './image.js';
import type { PhotoStore } from './storage.js';
import * as repo from './evidence.repository.js';
import { appendAudit } from '../audit/audit.repository.js';

/** Photos on one step of a case. */
export const MAX_PHOTOS_PER_STEP = 9;
/** Near-duplicates of other cases' photos are looked for among cases reported this long before. */
export const NEAR_WINDOW_DAYS = 90;

export interface EvidenceSettings { maxDistanceM: number; nearThreshold: number }
export const EVIDENCE_DEFAULTS: EvidenceSettings = { maxDistanceM: 200, nearThreshold: DEFAULT_NEAR_THRESHOLD };

/** The `setting` row `evidence`; a missing or out-of-range value falls back to its default. */
export async function evidenceSettings(db: Db): Promise<EvidenceSettings> {
  const v = (await repo.getSetting(db, 'evidence')) as Partial<Record<keyof EvidenceSettings, unknown>> | undefined;
  const pick = (x: unknown, min: number, max: number, dflt: number) => (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max ? x : dflt);
  return {
    maxDistanceM: pick(v?.maxDistanceM, 10, 100_000, EVIDENCE_DEFAULTS.maxDistanceM),
    nearThreshold: pick(v?.nearThreshold, 0, 20, EVIDENCE_DEFAULTS.nearThreshold),
  };
}

export function photoView(r: repo.PhotoRow): CasePhotoView {
  const takenAt = toDate(r.takenAt);
  return {
    id: r.id, phase: r.phase, stepSeq: r.stepSeq ?? null,
    url: `/api/v1/photos/${r.id}/file`, thumbUrl: `/api/v1/photos/${r.id}/thumb`,
    width: r.width, height: r.height, takenAt: takenAt ? takenAt.toISOString() : null,
    lat: r.lat, lng: r.lng, flags: r.flags ?? [], hidden: r.hiddenAt != null,
  };
}

/** Reads, checks and stores one upload; the photo belongs to nobody's case until attached. */
export async function uploadPhoto(db: Db, actor: Actor, buf: Buffer, store: PhotoStore): Promise<CasePhotoView> {
  const img = await inspectImage(buf);
  const written: string[] = [];
  try {
    const keys = await store.save(img.sha256, img.display, img.thumbnail, new Date(), written);
    const row = await repo.insertPhoto(db, {
      ...keys, mime: img.mime, bytes: img.display.length, width: img.width, height: img.height, sha256: img.sha256,
      phash: img.phash, takenAt: img.takenAt, lat: img.lat, lng: img.lng, uploadedBy: actor.id,
    });
    return photoView(row);
  } catch (e) {
    await discardWritten(db, store, written, [img]);
    throw e;
  }
}

/**
 * After a failed request: removes the files it wrote, except those a photo row refers to (the same
 * picture sent by another request that succeeded meanwhile). Never throws: the request's own error is
 * the one to report, and a file left behind is only disk space.
 */
export async function discardWritten(db: Db, store: PhotoStore, written: string[], pics: { sha256: string; phash: string }[]): Promise<void> {
  if (!written.length) return;
  try {
    const used = await repo.keysInUse(db, pics);
    await store.discard(written.filter((k) => !used.has(k)));
  } catch {
    // left behind: see above
  }
}

/** The stored key of a photo's file or thumbnail, for its uploader or anyone who may read its case. */
export async function photoFile(db: Db, actor: Actor, id: number, which: 'file' | 'thumb'): Promise<{ key: string; etag: string }> {
  const p = await repo.findWithAreaPath(db, id);
  if (!p) throw notFound(`照片 ${id} 不存在 (no such photo)`);
  const mine = p.uploadedBy === actor.id;
  if (!mine && !(p.areaPath !== null && canRead(actor, p.areaPath))) {
    throw forbidden(p.caseId === null
      ? '无权查看该照片：照片尚未提交到案件，只有上传人可以查看 (only the uploader sees an unattached photo)'
      : '无权查看该照片：所属案件不在您负责的区域内 (the case is outside your areas)');
  }
  return which === 'file' ? { key: p.storageKey, etag: p.sha256 } : { key: p.thumbKey, etag: `${p.sha256}-t` };
}

export interface AttachInput {
  /** the uploader; null for a resident's report (photos uploaded in the same request) */
  actorId: number | null;
  photoIds: number[];
  caseId: number;
  stepId: number | null;
  /** the step's seq; photosOfCase reads it back through step_id */
  stepSeq?: number;
  phase: PhotoPhase;
  ctx: { reportedAt: Date; lat: number | null; lng: number | null };
}

/**
 * Attaches uploaded photos to a case step, inside the caller's transaction, and flags them.
 * Returns every flag raised, each with the photo it is about (`photoId`). Flags never block.
 */
export async function attachPhotos(tx: Db, input: AttachInput): Promise<(EvidenceFlag & { photoId: number })[]> {
  const ids = input.photoIds;
  if (ids.length === 0) return [];
  if (new Set(ids).size !== ids.length) throw badInput('同一张照片提交了多次 (a photo is listed twice)', [{ field: 'photoIds', message: 'duplicate id' }]);
  const locked = await repo.lockPhotos(tx, ids);
  const byId = new Map(locked.map((p) => [p.id, p]));
  const missing = ids.filter((i) => !byId.has(i));
  if (missing.length) throw badInput(`照片 ${missing.join('、')} 不存在，请重新上传 (no such photo)`, [{ field: 'photoIds', message: `no such photo: ${missing.join(', ')}` }]);
  for (const p of locked) {
    if (p.uploadedBy !== input.actorId) throw forbidden(`照片 ${p.id} 不是您上传的，不能提交 (you did not upload photo ${p.id})`);
    if (p.caseId !== null) throw conflict('PHOTO_ATTACHED', `照片 ${p.id} 已提交到案件，不能重复使用；请重新上传 (photo already attached)`, [{ field: 'photoIds', message: `attached: ${p.id}` }]);
  }
  const already = input.stepId === null ? 0 : await repo.countOnStep(tx, input.stepId);
  if (already + ids.length > MAX_PHOTOS_PER_STEP) {
    throw badInput(`每一步最多 ${MAX_PHOTOS_PER_STEP} 张照片 (at most ${MAX_PHOTOS_PER_STEP} photos per step)`, [{ field: 'photoIds', message: 'too many' }]);
  }

  const settings = await evidenceSettings(tx);
  const beforeHashes = input.phase === 'after' ? await repo.caseHashes(tx, input.caseId, 'before') : [];
  const county = await repo.caseCounty(tx, input.caseId);
  const since = new Date(input.ctx.reportedAt.getTime() - NEAR_WINDOW_DAYS * 86_400_000);
  const out: (EvidenceFlag & { photoId: number })[] = [];
  for (const id of ids) {
    const p = byId.get(id)!;
    const others = p.phash && informative(p.phash)
      ? await repo.otherCaseMatches(tx, { caseId: input.caseId, phash: p.phash, county, since, maxBits: settings.nearThreshold })
      : [];
    const flags = evidenceFlags(
      { takenAt: toDate(p.takenAt), lat: p.lat, lng: p.lng, phash: p.phash, phase: input.phase },
      { reportedAt: input.ctx.reportedAt, caseLat: input.ctx.lat, caseLng: input.ctx.lng, maxDistanceM: settings.maxDistanceM,
        beforeHashes, otherCaseHashes: others, nearThreshold: settings.nearThreshold },
    );
    await repo.attach(tx, id, { caseId: input.caseId, stepId: input.stepId, phase: input.phase, flags });
    out.push(...flags.map((f) => ({ ...f, photoId: id })));
  }
  return out;
}

/** A case's photos in step order, with the step's seq. The caller checks access to the case. */
export async function photosOfCase(db: Db, caseId: number): Promise<CasePhotoView[]> {
  return (await repo.ofCase(db, caseId)).map(photoView);
}

/** Sets how far (metres) a photo may be from the case, and how alike two photos must be to be flagged. */
export async function setEvidenceSettings(db: Db, actor: Actor, input: EvidenceSettings): Promise<EvidenceSettings> {
  if (!isGlobal(actor)) throw forbidden('照片核验设置是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
  const details = [];
  if (!Number.isInteger(input.maxDistanceM) || input.maxDistanceM < 10 || input.maxDistanceM > 100_000) details.push({ field: 'maxDistanceM', message: '距离应为 10–100000 米的整数' });
  if (!Number.isInteger(input.nearThreshold) || input.nearThreshold < 0 || input.nearThreshold > 20) details.push({ field: 'nearThreshold', message: '相似阈值应为 0–20 的整数（汉明距离）' });
  if (details.length) throw badInput(details.map((d) => d.message).join('；'), details);
  const before = await evidenceSettings(db);
  await db.transaction(async (tx) => {
    await repo.putSetting(tx, 'evidence', input);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'setting.evidence', entity: 'setting', entityId: 'evidence', before, after: input });
  });
  return evidenceSettings(db);
}
