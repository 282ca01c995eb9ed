// The public intake (随手拍): a resident's report becomes a case waiting for registration in the
// micro-grid its point falls in (or in the town's queue), with its photos, a tracking number and a
// secret token for the follow-up (rating, one reopen). Staff review what becomes public, hide
// photos, redact text, place queued reports and merge duplicates. Open311 calls the same functions.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rows } from '../../db/client.js';
import { DomainError, badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { todayInChina } from '../../lib/dates.js';
import { assertRead, assertWrite, isGlobal, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { commonPath } from '../audit/reads.js';
import * as areas from '../areas/areas.repository.js';
import { answerable } from '../people/people.repository.js';
import { notify } from '../notify/notify.service.js';
import * as cases from '../cases/cases.repository.js';
import { caseNumber } from '../cases/case.rules.js';
import { ratedByReporter, reopenByReporter, takeStep } from '../cases/cases.service.js';
import { attachPhotos, discardWritten } from '../evidence/evidence.service.js';
import { inspectImage, probeImage, type InspectedImage } from '../evidence/image.js';
import { insertPhoto, getSetting, putSetting } from '../evidence/evidence.repository.js';
import type { PhotoStore } from '../evidence/storage.js';
import { PUBLIC_NO_LENGTH, normalisePublicNo, publicNoFrom } from '../../../../../packages/shared/src/personal.js';
import { buildPlacementIndex, type PlacementIndex } from './placement.rules.js';
import * as repo from './intake.repository.js';
import type { PublicRow } from './intake.repository.js';
import {
  DEFAULT_DUPLICATE_RADIUS_M, LIMIT_DEFAULTS, MAX_PHOTOS, PUBLIC_STATUS, RATINGS, REOPEN_DAYS, boxAround, cannotRate, cannotReopen, checkReportFields,
  cleanText, maskPhone, metres, overLimit, publicStatus, publicTimeline, roundCoord, type IntakeLimits, type Rating, type ReportFields,
} from './intake.rules.js';

const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// ---------------------------------------------------------------- placement

/** Levels searched in order: the finest boundary holding the point wins. */
const LEVELS = ['micro_grid', 'grid', 'village', 'district', 'town'] as const;
interface Placer { stamp: string; checkedAt: number; indexes: { level: string; index: PlacementIndex }[] }
const placers = new WeakMap<Db, Placer>();
/** How long a built index is trusted before its boundaries' stamp is looked at again. */
const RECHECK_MS = 10_000;

async function placer(db: Db): Promise<Placer> {
  const now = Date.now();
  const cached = placers.get(db);
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached;
  const stamp = await repo.boundaryStamp(db);
  if (cached && cached.stamp === stamp) { cached.checkedAt = now; return cached; }
  const indexes = [];
  for (const level of LEVELS) indexes.push({ level, index: buildPlacementIndex(await repo.boundariesOf(db, level)) });
  const p = { stamp, checkedAt: now, indexes };
  placers.set(db, p);
  return p;
}

/** Forget the built index (tests that change boundaries; the stamp catches it within RECHECK_MS anyway). */
export const forgetPlacement = (db: Db) => placers.delete(db);

export interface Placement { areaId: number; level: string | null; placement: 'micro_grid' | 'queue' }

/** The micro-grid holding the point; else the finest area that does (queued); else the town (queued). */
export async function placePoint(db: Db, lng: number | null, lat: number | null): Promise<Placement> {
  if (lng !== null && lat !== null) {
    for (const { level, index } of (await placer(db)).indexes) {
      const id = index.locate(lng, lat);
      if (id !== null) return { areaId: id, level, placement: level === 'micro_grid' ? 'micro_grid' : 'queue' };
    }
  }
  const top = await repo.fallbackArea(db);
  if (!top) throw new DomainError(409, 'NO_AREAS', '系统中还没有任何区域，暂时不能受理上报 (no areas set up)');
  return { areaId: top.id, level: null, placement: 'queue' };
}

// ---------------------------------------------------------------- settings

export async function intakeLimits(db: Db): Promise<IntakeLimits> {
  const v = (await getSetting(db, 'intake.limits')) as Partial<Record<keyof IntakeLimits, unknown>> | undefined;
  const pick = (x: unknown, d: number) => (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 1_000_000 ? x : d);
  return {
    perAddress10Min: pick(v?.perAddress10Min, LIMIT_DEFAULTS.perAddress10Min), perAddressDay: pick(v?.perAddressDay, LIMIT_DEFAULTS.perAddressDay),
    perPhoneDay: pick(v?.perPhoneDay, LIMIT_DEFAULTS.perPhoneDay), perPartnerHour: pick(v?.perPartnerHour, LIMIT_DEFAULTS.perPartnerHour),
  };
}

export async function setIntakeLimits(db: Db, actor: Actor, input: IntakeLimits): Promise<IntakeLimits> {
  if (!isGlobal(actor)) throw forbidden('上报频率限制是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
  for (const [k, v] of Object.entries(input)) {
    if (!Number.isInteger(v) || v < 1 || v > 1_000_000) throw badInput(`${k} 应为 1 到 1000000 的整数`, [{ field: k, message: 'out of range' }]);
  }
  await db.transaction(async (tx) => {
    await putSetting(tx, 'intake.limits', input);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'intake.limits', entity: 'setting', entityId: 'intake.limits', after: input });
  });
  return intakeLimits(db);
}

/** A per-install salt, so that stored address hashes cannot be matched against a list of addresses. */
const salts = new WeakMap<Db, string>();
async function salt(db: Db): Promise<string> {
  const known = salts.get(db);
  if (known) return known; // set once, never changed
  const v = await getSetting(db, 'intake.salt');
  if (typeof v === 'string' && v.length >= 16) { salts.set(db, v); return v; }
  const s = randomBytes(16).toString('hex');
  await db.execute(sql`INSERT INTO setting (key, value) VALUES ('intake.salt', ${JSON.stringify(s)}::jsonb) ON CONFLICT (key) DO NOTHING`);
  return (await getSetting(db, 'intake.salt')) as string;
}

/** The salted hash a resident's address is counted and stored under. */
export const addressHash = async (db: Db, ip: string) => sha256(`${await salt(db)}:${ip}`);

const tooMany = (over: { message: string; retryAfter: number }) =>
  new DomainError(429, 'TOO_MANY_REPORTS', over.message, [{ field: 'retryAfter', message: String(over.retryAfter) }]);

/**
 * The limits as far as they are known without the locks: the same counts and rules as the check in
 * the transaction (which stays the authority, for reports racing each other). Run before a report's
 * body is read (the address alone) and again before its photos are decoded (phone and partner too),
 * so that a refused report costs a count, not a decoded picture or a file.
 */
export async function checkLimits(db: Db, who: { ip: string | null; phone?: string | null; partnerId?: number | null }, now = new Date()): Promise<void> {
  const partnerId = who.partnerId ?? null;
  const ipHash = who.ip && partnerId === null ? await addressHash(db, who.ip) : null;
  const phoneHash = who.phone ? sha256(who.phone) : null;
  if (!ipHash && !phoneHash && partnerId === null) return;
  const counts = await repo.recentCounts(db, { ipHash, phoneHash, partnerId, now });
  const over = overLimit(counts, await intakeLimits(db), { partner: partnerId !== null, phone: phoneHash !== null });
  if (over) throw tooMany(over);
}

// ---------------------------------------------------------------- categories offered to the public

export interface PublicCategory {
  id: number; code: string; name: string; nameEn: string | null; group: string; groupCode: string;
  attributes: unknown[]; duplicateRadiusM: number;
}
export async function publicCategories(db: Db): Promise<PublicCategory[]> {
  const list = await rows<Record<string, unknown>>(db, sql`SELECT k.id, k.code, k.name, k.name_en AS "nameEn", g.name AS "group", g.code AS "groupCode",
      k.public_attributes AS attributes, k.duplicate_radius_m AS "duplicateRadiusM"
    FROM case_category k JOIN case_category g ON g.id = k.parent_id
    WHERE k.active AND k.public_visible AND g.active ORDER BY g.sort, g.code, k.sort, k.code`);
  return list.map((r) => ({
    id: Number(r.id), code: String(r.code), name: String(r.name), nameEn: (r.nameEn as string | null) ?? null, group: String(r.group),
    groupCode: String(r.groupCode), attributes: Array.isArray(r.attributes) ? r.attributes : (typeof r.attributes === 'string' ? JSON.parse(r.attributes) as unknown[] : []),
    duplicateRadiusM: r.duplicateRadiusM == null ? DEFAULT_DUPLICATE_RADIUS_M : Number(r.duplicateRadiusM),
  }));
}

async function publicCategory(db: Db, ref: unknown): Promise<PublicCategory> {
  const s = ref === undefined || ref === null ? '' : String(ref).trim();
  if (!s) throw badInput('请选择问题类别 (a category is required)', [{ field: 'category', message: 'required' }], 'UNKNOWN_CATEGORY');
  const found = (await publicCategories(db)).find((c) => c.code === s || String(c.id) === s);
  if (!found) throw badInput(`没有这个问题类别：${s.slice(0, 40)}；请从列表中选择 (unknown category)`, [{ field: 'category', message: 'unknown' }], 'UNKNOWN_CATEGORY');
  return found;
}

// ---------------------------------------------------------------- submitting

export interface SubmitInput {
  fields: ReportFields & { category: unknown; clientId?: unknown; deviceId?: unknown };
  photos: Buffer[];
  channel: 'web' | 'open311';
  partnerId: number | null;
  ip: string | null;
  attributes?: Record<string, unknown> | null;
  /** the phone page needs a photo and a point; Open311 clients may send neither (an address will do) */
  requirePhoto: boolean;
  needLocation: boolean;
}
export interface Submitted {
  created: boolean; no: string; caseId: number; token: string; state: string; statusText: string;
  placement: 'micro_grid' | 'queue'; areaName: string; categoryName: string; reportedAt: string;
}

export async function submitReport(db: Db, store: PhotoStore, input: SubmitInput, opts: { now?: Date; demo?: boolean } = {}): Promise<Submitted> {
  const now = opts.now ?? new Date();
  const { value: f, problems } = checkReportFields(input.fields, { needLocation: input.needLocation });
  const clientId = input.fields.clientId === undefined || input.fields.clientId === null || input.fields.clientId === '' ? null : String(input.fields.clientId);
  if (clientId !== null && !/^[A-Za-z0-9_-]{8,64}$/.test(clientId)) problems.push({ field: 'clientId', message: 'clientId 应为 8–64 位字母、数字或连字符（如 UUID）' });
  if (input.requirePhoto && input.photos.length === 0) problems.push({ field: 'photo', message: '请拍一张问题的照片再提交 (a photo is required)' });
  if (input.photos.length > MAX_PHOTOS) problems.push({ field: 'photo', message: `每次最多 ${MAX_PHOTOS} 张照片 (at most ${MAX_PHOTOS} photos)` });
  if (problems.length || !f) throw badInput(problems.map((p) => p.message).join('；'), problems);
  // The headers of all photos (type, pixel limit): a millisecond each, before any is decoded.
  for (const buf of input.photos) await probeImage(buf);
  const category = await publicCategory(db, input.fields.category);

  if (clientId) {
    const again = await sameClient(db, clientId);
    if (again) return again;
  }
  // Over a limit (address, phone or partner): refused before any picture is decoded.
  await checkLimits(db, { ip: input.ip, phone: f.phone, partnerId: input.partnerId }, now);
  // Reading the pictures is the slow part: done before the transaction, which then only writes rows.
  const images: InspectedImage[] = [];
  for (const buf of input.photos) images.push(await inspectImage(buf));
  // The files this request writes; removed if it fails (a row never points at a missing file, and a
  // failed report leaves the photo folder as it was).
  const written: string[] = [];
  try {
    return await recordReport(db, store, { input, f, category, clientId, images, written, now, demo: opts.demo });
  } catch (e) {
    await discardWritten(db, store, written, images);
    // The same clientId sent twice at once: the loser gets the winner's report.
    if (clientId && isUniqueViolation(e)) {
      const again = await sameClient(db, clientId);
      if (again) return again;
    }
    throw e;
  }
}

async function recordReport(db: Db, store: PhotoStore, o: {
  input: SubmitInput; f: NonNullable<ReturnType<typeof checkReportFields>['value']>; category: PublicCategory; clientId: string | null;
  images: InspectedImage[]; written: string[]; now: Date; demo?: boolean;
}): Promise<Submitted> {
  const { input, f, category, clientId, images, now } = o;
  const keys: Awaited<ReturnType<PhotoStore['save']>>[] = [];
  for (const img of images) keys.push(await store.save(img.sha256, img.display, img.thumbnail, now, o.written));

  const place = await placePoint(db, f.lng, f.lat);
  const area = (await areas.findById(db, place.areaId))!;
  const ipHash = input.ip ? await addressHash(db, input.ip) : null;
  const phoneHash = f.phone ? sha256(f.phone) : null;
  const limits = await intakeLimits(db);
  const token = randomBytes(18).toString('base64url');
  let publicNo = '';
  const deviceId = input.fields.deviceId ? String(input.fields.deviceId).slice(0, 100) : null;

  const caseId = await db.transaction(async (tx) => {
    // Reports from one address, phone or partner take turns, so a burst cannot slip past the count.
    const lockKeys = [ipHash && !input.partnerId ? `ip:${ipHash}` : null, phoneHash ? `ph:${phoneHash}` : null, input.partnerId ? `pa:${input.partnerId}` : null]
      .filter((k): k is string => k !== null).sort();
    for (const k of lockKeys) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${k}))`);
    const counts = await repo.recentCounts(tx, { ipHash, phoneHash, partnerId: input.partnerId, now });
    const over = overLimit(counts, limits, { partner: input.partnerId !== null, phone: phoneHash !== null });
    if (over) throw tooMany(over);

    const id = await cases.nextCaseId(tx);
    await cases.insertCase(tx, {
      id, no: caseNumber(now, id), clientId, source: 'public', state: 'reported', categoryId: category.id, areaId: area.id,
      countyCode: area.countyCode, description: f.description, address: f.address, lat: f.lat, lng: f.lng, reportedBy: null,
      reporterName: f.name ?? '群众', reportedAt: now, demo: o.demo,
    });
    const step = await cases.insertStep(tx, { caseId: id, action: 'report', fromState: null, toState: 'reported', actorId: null,
      actorName: '群众', note: null, data: { source: 'public', channel: input.channel, placement: place.placement }, at: now });
    const photoIds: number[] = [];
    for (let i = 0; i < images.length; i++) {
      const img = images[i]!;
      const row = await insertPhoto(tx, { ...keys[i]!, mime: img.mime, bytes: img.display.length, width: img.width, height: img.height,
        sha256: img.sha256, phash: img.phash, takenAt: img.takenAt, lat: img.lat, lng: img.lng, uploadedBy: null });
      photoIds.push(row.id);
    }
    if (photoIds.length) {
      await attachPhotos(tx, { actorId: null, photoIds, caseId: id, stepId: step.id, stepSeq: step.seq, phase: 'before',
        ctx: { reportedAt: now, lat: f.lat, lng: f.lng } });
    }
    publicNo = await newPublicNo(tx);
    await repo.insertReport(tx, { caseId: id, publicNo, token, channel: input.channel, partnerId: input.partnerId, phone: f.phone, phoneHash,
      name: f.name, email: f.email, deviceId, ipHash, placement: place.placement, attributes: input.attributes ?? null, createdAt: now });
    const offices = (await answerable(tx, pathIds(area.path), todayInChina(now))).filter((r) => r.kind === 'office_district' && r.userId);
    await notify(tx, { userIds: offices.map((r) => r.userId!), kind: 'case.reported', caseId: id, areaPath: area.path,
      title: `群众上报${place.placement === 'queue' ? '（待定位）' : ''}：${category.name}（${area.name}）`, body: f.description.slice(0, 200) });
    await appendAudit(tx, { actorId: null, actorName: input.channel === 'open311' ? `open311:${input.partnerId ?? 'public'}` : 'public',
      action: 'case.report.public', entity: 'case', entityId: id,
      after: { channel: input.channel, categoryId: category.id, areaId: area.id, placement: place.placement, photos: photoIds.length }, areaPath: area.path });
    return id;
  });
  return {
    created: true, no: publicNo, caseId, token, state: 'reported', statusText: PUBLIC_STATUS.received.zh, placement: place.placement,
    areaName: area.name, categoryName: category.name, reportedAt: now.toISOString(),
  };
}

/** A tracking number no report has (drawn again on the practically impossible hit). */
async function newPublicNo(tx: Db): Promise<string> {
  for (;;) {
    const no = publicNoFrom(randomBytes(PUBLIC_NO_LENGTH));
    if (!(await repo.publicNoTaken(tx, no))) return no;
  }
}

async function sameClient(db: Db, clientId: string): Promise<Submitted | null> {
  const c = await cases.caseByClientId(db, clientId);
  if (!c) return null;
  const r = c.source === 'public' ? await repo.reportByCase(db, c.id) : undefined;
  if (!r) throw conflict('CLIENT_ID_USED', '此 clientId 已被使用，请重新生成 (clientId already used)');
  return {
    created: false, no: r.publicNo ?? '', caseId: r.caseId, token: r.token, state: r.state, statusText: PUBLIC_STATUS[publicStatus(r.state)].zh,
    placement: r.placement as 'micro_grid' | 'queue', areaName: r.areaName, categoryName: r.categoryName, reportedAt: r.reportedAt.toISOString(),
  };
}

// ---------------------------------------------------------------- what the public sees

export interface PublicView {
  no: string; category: { code: string; name: string }; status: string; statusText: string; state: string;
  reportedAt: string; updatedAt: string; closedAt: string | null; expectedAt: string | null;
  /** the village (or town) it is in; never the micro-grid's worker */
  place: string; lat: number | null; lng: number | null; address: string | null;
  /** null until staff have reviewed it; then the original or the redacted text */
  description: string | null; reviewed: boolean;
  photos: { id: number; url: string; thumbUrl: string }[];
  timeline: { at: string; action: string; label: string }[];
  /** only with the reporter's token */
  mine: boolean; phone: string | null; rating: { key: string; text: string; at: string } | null;
  canRate: boolean; canReopen: boolean; reopened: boolean; whyNotRate: string | null; whyNotReopen: string | null;
  duplicateOf: string | null;
}

const tokenMatches = (given: string | undefined, stored: string) => {
  if (!given) return false;
  const a = Buffer.from(given); const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
};

async function placeName(db: Db, r: PublicRow): Promise<string> {
  const names = await cases.areaNames(db, pathIds(r.areaPath));
  const parts = pathIds(r.areaPath).map((i) => names.get(i)).filter((n) => n && ['town', 'village'].includes(n.level)).map((n) => n!.name);
  return parts.join(' ') || r.areaName;
}

export async function publicView(db: Db, r: PublicRow, token?: string, now = new Date()): Promise<PublicView> {
  const mine = tokenMatches(token, r.token);
  const facts = { state: r.state, closedAt: r.closedAt, ratedAt: r.ratedAt, reopenedAt: r.reopenedAt };
  const whyNotRate = cannotRate(facts); const whyNotReopen = cannotReopen(facts, now);
  const reviewed = r.reviewedAt !== null;
  // Before staff have reviewed it, the public sees the category, the status, the dates and the village:
  // no text, no photos, no point (the reporter, with the token, sees their own).
  const shown = reviewed || mine;
  const photos = shown ? await repo.visiblePhotos(db, r.caseId) : [];
  const dup = r.duplicateOf ? (await repo.publicNosOf(db, [r.duplicateOf])).get(r.duplicateOf) ?? null : null;
  const status = publicStatus(r.state);
  const no = r.publicNo ?? '';
  return {
    no, category: { code: r.categoryCode, name: r.categoryName }, status, statusText: PUBLIC_STATUS[status].zh, state: r.state,
    reportedAt: r.reportedAt.toISOString(), updatedAt: r.updatedAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null,
    expectedAt: r.dueAt?.toISOString() ?? null, place: await placeName(db, r), lat: shown ? roundCoord(r.lat) : null, lng: shown ? roundCoord(r.lng) : null,
    address: reviewed ? r.address : null,
    description: mine ? r.description : reviewed ? (r.publicText ?? r.description) : null, reviewed,
    photos: photos.map((p) => ({ id: p.id, url: `/api/public/reports/${no}/photos/${p.id}/file`, thumbUrl: `/api/public/reports/${no}/photos/${p.id}/thumb` })),
    timeline: publicTimeline(await repo.stepsForPublic(db, r.caseId)),
    mine, phone: mine ? maskPhone(r.phone) : null,
    rating: r.rating && shown ? { key: r.rating, text: RATINGS.find((x) => x.key === r.rating)?.zh ?? r.rating, at: r.ratedAt!.toISOString() } : null,
    canRate: mine && whyNotRate === null, canReopen: mine && whyNotReopen === null, reopened: r.reopenedAt !== null,
    whyNotRate: mine ? whyNotRate : null, whyNotReopen: mine ? whyNotReopen : null, duplicateOf: dup,
  };
}

/** A case number (staff's, sequential): found publicly only together with the reporter's token (links saved before tracking numbers). */
const CASE_NO = /^\d{13,20}$/;
/**
 * The report a resident's tracking number names (12 letters and digits, as typed: dashes, spaces and
 * lower case are fine). The sequential case number is accepted only with the reporter's token, so
 * that nobody can walk through the reports by counting.
 */
async function mustFindPublic(db: Db, raw: string, token: string | undefined, forUpdate = false): Promise<PublicRow> {
  const publicNo = normalisePublicNo(raw);
  let r: PublicRow | undefined;
  if (publicNo) r = await repo.reportByPublicNo(db, publicNo, forUpdate);
  else if (CASE_NO.test(raw) && token) {
    const byCase = await repo.reportByNo(db, raw, forUpdate);
    r = byCase && tokenMatches(token, byCase.token) ? byCase : undefined;
  } else {
    throw badInput('编号应为 12 位字母和数字（如 K7QM-2XPD-93TA），见提交成功页面 (a tracking number is 12 letters and digits)', [{ field: 'no', message: 'tracking number' }]);
  }
  if (!r) throw notFound(`没有编号为 ${raw.slice(0, 30)} 的群众上报，请核对编号 (no such report)`);
  return r;
}

export async function statusByNo(db: Db, no: string, token?: string): Promise<PublicView> {
  return publicView(db, await mustFindPublic(db, no, token), token);
}

/** A public photo's stored key: the report reviewed (or the reporter's own) and the photo not hidden. */
export async function publicPhoto(db: Db, no: string, photoId: number, which: 'file' | 'thumb', token?: string): Promise<{ key: string; etag: string }> {
  const r = await mustFindPublic(db, no, token);
  if (r.reviewedAt === null && !tokenMatches(token, r.token)) throw notFound('照片审核后才公开 (not yet public)');
  const p = (await repo.visiblePhotos(db, r.caseId)).find((x) => x.id === photoId);
  if (!p) throw notFound(`照片 ${photoId} 不存在或未公开 (no such public photo)`);
  return which === 'file' ? { key: p.storageKey, etag: p.sha256 } : { key: p.thumbKey, etag: `${p.sha256}-t` };
}

export async function rate(db: Db, no: string, input: { token: string; rating: string; note?: string | null }, now = new Date()): Promise<PublicView> {
  const rating = RATINGS.find((x) => x.key === input.rating);
  if (!rating) throw badInput('请选择：满意、基本满意或不满意 (rating: satisfied | basically | unsatisfied)', [{ field: 'rating', message: 'unknown' }]);
  const note = input.note ? cleanText(input.note).slice(0, 500) || null : null;
  await db.transaction(async (tx) => {
    const r = await mustFindPublic(tx, no, input.token, true);
    if (!tokenMatches(input.token, r.token)) throw forbidden('查询码不对：只有上报人可以评价 (wrong token)');
    const why = cannotRate({ state: r.state, closedAt: r.closedAt, ratedAt: r.ratedAt, reopenedAt: r.reopenedAt });
    if (why) throw conflict('CANNOT_RATE', why);
    await repo.setFollowUp(tx, r.id, { rating: rating.key as Rating, ratingNote: note, ratedAt: now });
    await ratedByReporter(tx, r.caseId, rating, note, now);
  });
  return statusByNo(db, no, input.token);
}

export async function reopen(db: Db, no: string, input: { token: string; reason: string }, now = new Date()): Promise<PublicView> {
  const reason = cleanText(input.reason ?? '').slice(0, 500);
  if (!reason) throw badInput('请说明哪里还没有解决 (a reason is required)', [{ field: 'reason', message: 'required' }]);
  await db.transaction(async (tx) => {
    const r = await mustFindPublic(tx, no, input.token, true);
    if (!tokenMatches(input.token, r.token)) throw forbidden('查询码不对：只有上报人可以重开 (wrong token)');
    const why = cannotReopen({ state: r.state, closedAt: r.closedAt, ratedAt: r.ratedAt, reopenedAt: r.reopenedAt }, now);
    if (why) throw conflict('CANNOT_REOPEN', why);
    await repo.setFollowUp(tx, r.id, { reopenedAt: now, reopenNote: reason });
    await reopenByReporter(tx, r.caseId, reason, now);
  });
  return statusByNo(db, no, input.token);
}

// ---------------------------------------------------------------- staff: queue, review, moderation, duplicates

export interface StaffReport {
  /** no: the case number; publicNo: the resident's tracking number; contactPurged: the contact details were removed (retention) */
  caseId: number; no: string; publicNo: string | null; contactPurged: boolean; state: string; channel: string; placement: string; areaId: number; areaName: string; areaLevel: string;
  categoryId: number; categoryName: string; description: string; publicText: string | null; reviewed: boolean; reviewedAt: string | null;
  phone: string | null; name: string | null; reportedAt: string; rating: string | null; ratingNote: string | null; reopened: boolean;
  reopenNote: string | null; attributes: Record<string, unknown> | null;
}
function staffView(r: PublicRow): StaffReport {
  return {
    caseId: r.caseId, no: r.no, publicNo: r.publicNo, contactPurged: r.contactPurgedAt !== null, state: r.state, channel: r.channel, placement: r.placement, areaId: r.areaId, areaName: r.areaName,
    areaLevel: r.areaLevel, categoryId: r.categoryId, categoryName: r.categoryName, description: r.description, publicText: r.publicText,
    reviewed: r.reviewedAt !== null, reviewedAt: r.reviewedAt?.toISOString() ?? null, phone: maskPhone(r.phone), name: r.name,
    reportedAt: r.reportedAt.toISOString(), rating: r.rating, ratingNote: r.ratingNote, reopened: r.reopenedAt !== null, reopenNote: r.reopenNote,
    attributes: r.attributes,
  };
}

export async function queue(db: Db, actor: Actor, q: { view?: 'waiting' | 'unreviewed' | 'all'; page?: number; pageSize?: number }) {
  const roots = readRoots(actor);
  const f: repo.PublicFilter = { roots, queueOnly: (q.view ?? 'waiting') === 'waiting', unreviewedOnly: q.view === 'unreviewed' };
  const pageSize = Math.min(q.pageSize ?? 20, 100); const page = Math.max(q.page ?? 1, 1);
  const [list, total] = await Promise.all([repo.listReports(db, f, pageSize, (page - 1) * pageSize), repo.countReports(db, f)]);
  return { total, page, pageSize, items: list.map(staffView) };
}

async function mustFindForStaff(db: Db, actor: Actor, caseId: number, write: boolean, forUpdate = false): Promise<PublicRow> {
  const r = await repo.reportByCase(db, caseId, forUpdate);
  if (!r) throw notFound(`案件 ${caseId} 不是群众上报 (not a resident report)`);
  (write ? assertWrite : assertRead)(actor, r.areaPath, '该群众上报');
  return r;
}

export interface Duplicate { id: number; no: string; state: string; distanceM: number; description: string; reportedAt: string; source: string; areaName: string }

/** Open cases of the same category within the category's radius, nearest first: only those inside the reader's areas. */
export async function duplicatesOf(db: Db, actor: Actor, r: { caseId: number; categoryId: number; lat: number | null; lng: number | null }): Promise<{ radiusM: number; list: Duplicate[] }> {
  const [cat] = await rows<{ r: number | null }>(db, sql`SELECT duplicate_radius_m AS r FROM case_category WHERE id = ${r.categoryId}`);
  const radiusM = cat?.r == null ? DEFAULT_DUPLICATE_RADIUS_M : Number(cat.r);
  if (r.lat === null || r.lng === null) return { radiusM, list: [] };
  const near = await repo.openCasesNear(db, { categoryId: r.categoryId, exceptId: r.caseId, roots: readRoots(actor), box: boxAround(r.lat, r.lng, radiusM) });
  const list = near.map((c) => ({ ...c, distanceM: Math.round(metres(r.lat!, r.lng!, c.lat, c.lng)), reportedAt: c.reportedAt.toISOString() }))
    .filter((c) => c.distanceM <= radiusM).sort((a, b) => a.distanceM - b.distanceM || a.id - b.id).slice(0, 20);
  return { radiusM, list: list.map(({ lat: _a, lng: _b, ...rest }) => rest) };
}

export async function staffDetail(db: Db, actor: Actor, caseId: number) {
  const r = await mustFindForStaff(db, actor, caseId, false);
  return { report: staffView(r), duplicates: await duplicatesOf(db, actor, r) };
}

/** Staff have looked at it: it becomes public, with the text as sent or redacted. */
export async function review(db: Db, actor: Actor, caseId: number, input: { publicText?: string | null }) {
  const text = input.publicText === undefined || input.publicText === null ? null : cleanText(input.publicText);
  if (text !== null && (!text || [...text].length > 500)) throw badInput('公开的描述不能为空，且不超过 500 字 (public text 1–500 chars)', [{ field: 'publicText', message: 'length' }]);
  await db.transaction(async (tx) => {
    const r = await mustFindForStaff(tx, actor, caseId, true, true);
    await repo.setReview(tx, r.id, actor.id, text, new Date());
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'intake.review', entity: 'case', entityId: caseId,
      before: { reviewed: r.reviewedAt !== null, publicText: r.publicText }, after: { reviewed: true, redacted: text !== null }, areaPath: r.areaPath });
  });
  return staffDetail(db, actor, caseId);
}

export async function hidePhoto(db: Db, actor: Actor, photoId: number, hidden: boolean) {
  const p = await repo.photoOfCase(db, photoId);
  if (!p || p.caseId === null || !p.areaPath) throw notFound(`照片 ${photoId} 不存在 (no such photo)`);
  assertWrite(actor, p.areaPath, '该照片');
  await db.transaction(async (tx) => {
    await repo.setPhotoHidden(tx, photoId, hidden ? actor.id : null, hidden ? new Date() : null);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: hidden ? 'photo.hide' : 'photo.show', entity: 'photo', entityId: photoId, after: { caseId: p.caseId }, areaPath: p.areaPath });
  });
  return { id: photoId, hidden };
}

/** Moves a queued report (outside every micro-grid, or misplaced) to the right area before registering. */
export async function placeReport(db: Db, actor: Actor, caseId: number, input: { areaId: number }) {
  const target = await areas.findById(db, input.areaId);
  if (!target) throw badInput(`区域 ${input.areaId} 不存在`, [{ field: 'areaId', message: 'no such area' }]);
  if (target.archivedAt) throw conflict('AREA_ARCHIVED', `区域“${target.name}”已归档`);
  assertWrite(actor, target.path, `区域“${target.name}”`);
  await db.transaction(async (tx) => {
    const r = await mustFindForStaff(tx, actor, caseId, true, true);
    if (r.state !== 'reported') throw conflict('STEP_NOT_ALLOWED', '已立案或已处理的上报不能再改区域 (only before registration)');
    await repo.moveCaseArea(tx, caseId, target.id, target.countyCode);
    await tx.execute(sql`UPDATE public_report SET placement = ${target.level === 'micro_grid' ? 'micro_grid' : 'queue'} WHERE id = ${r.id}`);
    await cases.insertStep(tx, { caseId, action: 'place', fromState: 'reported', toState: 'reported', actorId: actor.id, actorName: actor.displayName,
      note: null, data: { from: r.areaName, to: target.name } });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'intake.place', entity: 'case', entityId: caseId,
      before: { areaId: r.areaId }, after: { areaId: target.id }, areaPath: target.path });
  });
  return staffDetail(db, actor, caseId);
}

/** Merges the report into an open case as its duplicate (不予立案: 重复), keeping the reporter's follow-up on it. */
export async function mergeInto(db: Db, actor: Actor, caseId: number, input: { into: number | string; version: number }) {
  await mustFindForStaff(db, actor, caseId, true);
  await takeStep(db, actor, caseId, { action: 'refuse', reason: 'duplicate', duplicateOf: input.into, version: input.version,
    note: '与已有问题重复，合并办理 (merged as a duplicate)' }, { detail: false });
  return staffDetail(db, actor, caseId);
}

/** The full phone number, for a follow-up call; every look is audited. */
export async function revealPhone(db: Db, actor: Actor, caseId: number) {
  const r = await mustFindForStaff(db, actor, caseId, true);
  await db.transaction(async (tx) => {
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'intake.phone.reveal', entity: 'case', entityId: caseId,
      after: { caseNo: r.no, phone: maskPhone(r.phone), purged: r.contactPurgedAt !== null }, areaPath: r.areaPath });
  });
  return { phone: r.phone, contactPurged: r.contactPurgedAt !== null };
}

// ---------------------------------------------------------------- retention of residents' contact details

export interface Retention { contactDays: number }
export const RETENTION_DEFAULT: Retention = { contactDays: 180 };
/** At least the reopening window (a reporter may still come back), at most ten years. */
export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 3650;

/** How long residents' contact details are kept after their report is closed (setting intake.retention). */
export async function retention(db: Db): Promise<Retention> {
  const v = (await getSetting(db, 'intake.retention')) as Partial<Retention> | undefined;
  const d = v?.contactDays;
  return { contactDays: typeof d === 'number' && Number.isInteger(d) && d >= RETENTION_MIN_DAYS && d <= RETENTION_MAX_DAYS ? d : RETENTION_DEFAULT.contactDays };
}

export async function setRetention(db: Db, actor: Actor, input: Retention): Promise<Retention> {
  if (!isGlobal(actor)) throw forbidden('保留期限是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
  const d = input.contactDays;
  if (!Number.isInteger(d) || d < RETENTION_MIN_DAYS || d > RETENTION_MAX_DAYS) {
    throw badInput(`联系方式保留天数应为 ${RETENTION_MIN_DAYS}–${RETENTION_MAX_DAYS} 的整数（不短于可重新办理的 ${REOPEN_DAYS} 天）`, [{ field: 'contactDays', message: 'out of range' }]);
  }
  await db.transaction(async (tx) => {
    const before = await retention(tx);
    await putSetting(tx, 'intake.retention', { contactDays: d });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'intake.retention', entity: 'setting', entityId: 'intake.retention', before, after: { contactDays: d } });
  });
  return retention(db);
}

/**
 * The retention job: residents' phone (and its hash), name, e-mail, device and address hash are
 * removed from reports whose case was closed (or refused) more than contactDays ago, a batch per
 * transaction, each batch audited. The hash of the phone goes too: it is the phone in another form
 * (11 digits are quickly tried), and the rate limits it serves look back one day only. The points a
 * reporter earned stay in their account (the ledger names the case, not the phone).
 */
export async function purgeContacts(db: Db, now = new Date(), opts: { batch?: number; maxBatches?: number } = {}): Promise<{ purged: number }> {
  const { contactDays } = await retention(db);
  const before = new Date(now.getTime() - contactDays * 86_400_000);
  let purged = 0;
  for (let i = 0; i < (opts.maxBatches ?? 100); i++) {
    const done = await db.transaction(async (tx) => {
      const list = await repo.purgeContacts(tx, before, opts.batch ?? 500);
      if (list.length) {
        const paths = [...new Set(list.map((x) => x.areaPath))];
        await appendAudit(tx, { actorId: null, actorName: 'system', action: 'intake.contact.purge', entity: 'case', entityId: null,
          after: { contactDays, closedBefore: before.toISOString(), reports: list.length, caseIds: list.slice(0, 200).map((x) => x.caseId) },
          areaPath: commonPath(paths) });
      }
      return list.length;
    });
    purged += done;
    if (done < (opts.batch ?? 500)) break;
  }
  return { purged };
}

export async function publicStats(db: Db) {
  return { public: await repo.countPublic(db) };
}

// ---------------------------------------------------------------- the public map (随手拍: tap where the problem is)

/** Villages sent at once; an install with more (a county or above) sends those of the town around a given point. */
export const PUBLIC_MAP_VILLAGES = 800;
const PUBLIC_MAP_TOWNS = 300;

/** Coordinates to 5 decimals (about 1 m): enough to tap on, and a smaller answer for a weak connection. */
function roundGeometry(g: unknown): unknown {
  if (typeof g === 'number') return Math.round(g * 1e5) / 1e5;
  if (Array.isArray(g)) return g.map(roundGeometry);
  if (g && typeof g === 'object') return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, k === 'type' ? v : roundGeometry(v)]));
  return g;
}

/**
 * The towns' and villages' boundaries as GeoJSON, names and shapes only (no people, no ids), for the
 * resident's map. With more villages than PUBLIC_MAP_VILLAGES, only the villages of the town holding
 * `near` are sent (none without it: `villages: "near"` tells the page to ask again with a point).
 */
export async function publicMap(db: Db, near?: { lat: number; lng: number }) {
  const towns = await areas.boundariesUnder(db, '/', 'town', PUBLIC_MAP_TOWNS);
  let villages = (await areas.boundariesUnder(db, '/', 'village', PUBLIC_MAP_VILLAGES + 1)).list;
  let scope: 'all' | 'town' | 'near' = 'all';
  if (villages.length > PUBLIC_MAP_VILLAGES) {
    villages = [];
    scope = 'near';
    const townIndex = near ? (await placer(db)).indexes.find((x) => x.level === 'town')?.index : undefined;
    const townId = townIndex && near ? townIndex.locate(near.lng, near.lat) : null;
    const town = townId ? await areas.findById(db, townId) : undefined;
    if (town) {
      villages = (await areas.boundariesUnder(db, town.path, 'village', PUBLIC_MAP_VILLAGES * 4)).list;
      scope = 'town';
    }
  }
  const feature = (x: { name: string; boundary: unknown }, level: 'town' | 'village') =>
    ({ type: 'Feature' as const, geometry: roundGeometry(typeof x.boundary === 'string' ? JSON.parse(x.boundary) : x.boundary), properties: { name: x.name, level } });
  return {
    type: 'FeatureCollection' as const, villages: scope,
    features: [...towns.list.map((x) => feature(x, 'town')), ...villages.map((x) => feature(x, 'village'))],
  };
}
