// Open311 GeoReport v2 over the public intake: categories as services, a partner's POST becomes a
// resident's report (the intake's submitReport, channel 'open311'), and what the public may see of
// residents' reports as service requests and (FixMyStreet's extra) request updates. Partner keys are
// kept as their sha-256 only; an administrator of every town creates and deactivates them.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { badInput, forbidden, notFound } from '../../lib/errors.js';
import { isGlobal, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { areaNames } from '../cases/cases.repository.js';
import type { PhotoStore } from '../evidence/storage.js';
import { listReports, publicNosOf, reportByPublicNo, type PublicFilter, type PublicRow } from '../intake/intake.repository.js';
import { normalisePublicNo } from '../../../../../packages/shared/src/personal.js';
import { cleanText, publicTimeline, type Problem } from '../intake/intake.rules.js';
import { publicCategories, sha256, submitReport, type PublicCategory } from '../intake/intake.service.js';
import * as repo from './open311.repository.js';
import * as rules from './open311.rules.js';

/** Most requests (and updates) one GET answers, newest requests first (updates oldest first). */
export const MAX_REQUESTS = 1000;
export const MAX_UPDATES = 1000;
export const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
/** The steps a resident may see (the intake's public timeline): their updates. */
const PUBLIC_ACTIONS = ['report', 'register', 'refuse', 'dispatch', 'accept', 'feedback', 'pass', 'rework', 'reopen', 'rate'];

export type Fields = Record<string, unknown>;

/** One value of a form field; a field sent twice is refused (which one would count?). */
export function one(f: Fields, name: string): string | undefined {
  let v = f[name];
  if (Array.isArray(v) && v.length === 1) v = v[0];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw badInput(`${name} 只能给一个值 (${name} given more than once)`, [{ field: name, message: 'repeated' }]);
  if (typeof v === 'object') throw badInput(`${name} 应为文字 (${name} must be text)`, [{ field: name, message: 'text expected' }]);
  return String(v);
}

const fail = (field: string, r: { error: string }) => badInput(r.error, [{ field, message: r.error }]);
const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

// ---------------------------------------------------------------- jurisdiction, services, discovery

/** jurisdiction_id: none, or the code of a town, county, city or province of the install (404 otherwise). */
export async function jurisdiction(db: Db, raw: string | undefined) {
  const code = raw?.trim();
  if (!code) return null;
  const j = code.length <= 40 ? await repo.jurisdictionByCode(db, code) : undefined;
  if (!j) throw notFound(`没有这个 jurisdiction_id：${code.slice(0, 40)}；应为本系统中镇、县、市或省的区划代码，或不填 (unknown jurisdiction_id)`);
  return j;
}

async function findService(db: Db, code: string): Promise<PublicCategory> {
  const c = (await publicCategories(db)).find((x) => x.code === code);
  if (!c) throw notFound(`没有这个服务类别 service_code=${code.slice(0, 40)}；请先查询 services 列表 (unknown service_code)`);
  return c;
}

export async function services(db: Db) {
  return (await publicCategories(db)).map(rules.buildService);
}

export async function serviceDefinition(db: Db, code: string) {
  return rules.buildDefinition(await findService(db, code));
}

export async function discovery(db: Db, baseUrl: string) {
  const changeset = rules.w3c((await repo.categoriesChangedAt(db)) ?? new Date(0));
  return {
    changeset,
    contact: '问题与合作请联系本镇管理员 (contact the town administrator)',
    key_service: '合作方的 api_key 由管理员在“设置 → Open311 合作方”中创建 (an administrator creates api keys under Settings → Open311 partners)',
    endpoints: [{ specification: SPEC_URL, url: `${baseUrl}/open311/v2`, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
  };
}

// ---------------------------------------------------------------- POST requests

async function partnerOf(db: Db, apiKey: string | undefined) {
  const key = apiKey?.trim();
  if (!key) throw forbidden('缺少 api_key：提交问题需要合作方密钥 (api_key required to create a request)');
  const p = key.length <= 200 ? await repo.partnerByKeyHash(db, sha256(key)) : undefined;
  if (!p) throw forbidden('api_key 无效 (invalid api_key)');
  if (!p.active) throw forbidden('该 api_key 已停用，请联系管理员 (api_key deactivated)');
  return p;
}

export interface PostInput { fields: Fields; photos: Buffer[]; ip: string | null }

/** A partner's report: checked as the spec and the service ask, then made by the intake like any resident's. */
export async function createRequest(db: Db, store: PhotoStore, input: PostInput, now = new Date()) {
  const f = input.fields;
  await jurisdiction(db, one(f, 'jurisdiction_id'));
  const partner = await partnerOf(db, one(f, 'api_key'));
  await repo.touchPartner(db, partner.id, now);
  const code = one(f, 'service_code')?.trim();
  if (!code) throw badInput('缺少 service_code (service_code is required)', [{ field: 'service_code', message: 'required' }]);
  const service = await findService(db, code);

  const checked = rules.checkAttributes(rules.serviceAttributes(service.attributes), rules.attributeAnswers(f));
  const problems: Problem[] = [...checked.problems];
  const media = rules.checkMediaUrl(one(f, 'media_url') ?? '');
  if ('error' in media) problems.push({ field: 'media_url', message: media.error });
  if (problems.length) throw badInput(problems.map((p) => p.message).join('；'), problems);

  const addressId = one(f, 'address_id')?.trim().slice(0, 100);
  const description = one(f, 'description') ?? '';
  const name = rules.fullName(one(f, 'first_name') ?? '', one(f, 'last_name') ?? '');
  const attributes = { ...checked.value, ...('url' in media && media.url ? { media_url: media.url } : {}) };
  const r = await submitReport(db, store, {
    fields: {
      category: service.code,
      description: description.trim() ? description : `${service.name}（未附描述）`,
      lat: one(f, 'lat'), lng: one(f, 'long') ?? one(f, 'lon'),
      address: one(f, 'address_string')?.trim() || (addressId ? `地址编号 ${addressId}` : undefined),
      phone: one(f, 'phone'), email: one(f, 'email'), name: name || undefined, deviceId: one(f, 'device_id'),
    },
    photos: input.photos, channel: 'open311', partnerId: partner.id, ip: input.ip,
    attributes: Object.keys(attributes).length ? attributes : null, requirePhoto: false, needLocation: false,
  }, { now });
  const d = await repo.categoryDeadline(db, service.code);
  return [{
    service_request_id: r.no, service_notice: rules.serviceNotice(d?.amount ?? null, d?.unit ?? null),
    account_id: one(f, 'account_id')?.slice(0, 100) ?? null,
  }];
}

// ---------------------------------------------------------------- GET requests

export interface RequestQuery {
  jurisdiction_id?: string; service_request_id?: string; service_code?: string; status?: string; start_date?: string; end_date?: string;
}

/** Requests as the public may see them, named by their tracking numbers (a report without one is not shown). */
async function present(db: Db, all: PublicRow[], baseUrl: string): Promise<rules.Open311Request[]> {
  const list = all.filter((r): r is PublicRow & { publicNo: string } => r.publicNo !== null);
  const photos = await repo.firstVisiblePhotos(db, list.filter((r) => r.reviewedAt !== null).map((r) => r.caseId));
  const dups = await publicNosOf(db, [...new Set(list.map((r) => r.duplicateOf).filter((x): x is number => x !== null))]);
  const names = await areaNames(db, [...new Set(list.flatMap((r) => pathIds(r.areaPath)))]);
  return list.map((r) => {
    const place = pathIds(r.areaPath).map((i) => names.get(i)).filter((n) => n && ['town', 'village'].includes(n.level)).map((n) => n!.name).join(' ');
    const photo = photos.get(r.caseId);
    return rules.buildRequest({
      no: r.publicNo, state: r.state, refusedReason: r.refusedReason, duplicateNo: r.duplicateOf ? dups.get(r.duplicateOf) ?? null : null,
      categoryCode: r.categoryCode, categoryName: r.categoryName, reviewed: r.reviewedAt !== null, description: r.description,
      publicText: r.publicText, place: place || r.areaName, reportedAt: r.reportedAt, updatedAt: r.updatedAt, dueAt: r.dueAt,
      address: r.address, lat: r.lat, lng: r.lng,
      photoUrl: photo ? `${baseUrl}/api/public/reports/${r.publicNo}/photos/${photo}/file` : null,
    });
  });
}

/** Residents' reports by the spec's filters; service_request_id overrides the others. */
export async function listRequests(db: Db, q: RequestQuery, baseUrl: string, now = new Date()) {
  const j = await jurisdiction(db, q.jurisdiction_id);
  const f: PublicFilter = { roots: j ? [j.path] : undefined };
  if (q.service_request_id?.trim()) {
    const ids = rules.parseIdList(q.service_request_id);
    if ('error' in ids) throw fail('service_request_id', ids);
    f.nos = ids.ids;
  } else {
    if (q.service_code?.trim()) {
      const codes = rules.parseCodeList(q.service_code);
      if ('error' in codes) throw fail('service_code', codes);
      // A code that is no category at all is a 404, as the spec says (a retired one still finds its old requests).
      const known = new Set(await repo.categoryCodes(db));
      const unknown = codes.codes.filter((c) => !known.has(c));
      if (unknown.length) throw notFound(`没有这个服务类别 service_code=${unknown.join(',').slice(0, 60)}；请先查询 services 列表 (unknown service_code)`);
      f.categoryCodes = codes.codes;
    }
    if (q.status?.trim()) {
      const st = rules.parseStatusList(q.status);
      if ('error' in st) throw fail('status', st);
      f.states = rules.statesOf(st.statuses);
    }
    const w = rules.dateWindow(q.start_date, q.end_date, now);
    if ('error' in w) throw fail('start_date', w);
    f.from = w.from; f.to = w.to;
  }
  return present(db, await listReports(db, f, MAX_REQUESTS), baseUrl);
}

async function mustFind(db: Db, id: string, jurisdictionId: string | undefined): Promise<PublicRow> {
  const j = await jurisdiction(db, jurisdictionId);
  const no = normalisePublicNo(id);
  const r = no ? await reportByPublicNo(db, no) : undefined;
  if (!r || (j && !r.areaPath.startsWith(j.path))) throw notFound(`没有编号为 ${id.slice(0, 40)} 的群众上报 (no such service request)`);
  return r;
}

export async function oneRequest(db: Db, id: string, jurisdictionId: string | undefined, baseUrl: string) {
  return present(db, [await mustFind(db, id, jurisdictionId)], baseUrl);
}

/** The token of a request is its service_request_id (every request gets its id at once). */
export async function byToken(db: Db, token: string, jurisdictionId: string | undefined) {
  const r = await mustFind(db, token, jurisdictionId);
  return [{ service_request_id: r.publicNo!, token: r.publicNo! }];
}

// ---------------------------------------------------------------- GET servicerequestupdates (FixMyStreet)

export interface UpdateQuery { jurisdiction_id?: string; start_date?: string; end_date?: string; service_request_id?: string }

/** The public steps of residents' reports within the window, oldest first, as FixMyStreet reads them. */
export async function requestUpdates(db: Db, q: UpdateQuery, baseUrl: string, now = new Date()) {
  const j = await jurisdiction(db, q.jurisdiction_id);
  const w = rules.dateWindow(q.start_date, q.end_date, now);
  if ('error' in w) throw fail('start_date', w);
  let nos: string[] | null = null;
  if (q.service_request_id?.trim()) {
    const ids = rules.parseIdList(q.service_request_id);
    if ('error' in ids) throw fail('service_request_id', ids);
    nos = ids.ids;
  }
  const steps = await repo.publicSteps(db, { from: w.from, to: w.to, actions: PUBLIC_ACTIONS, root: j?.path ?? null, nos, limit: MAX_UPDATES });
  return steps.flatMap((s) => {
    const shown = publicTimeline([s])[0];
    if (!shown) return [];
    return [{
      update_id: String(s.id), service_request_id: s.no, status: rules.updateStatus(s.toState, s.data), updated_datetime: rules.w3c(s.at)!,
      description: shown.label, media_url: s.reviewed && s.photoId ? `${baseUrl}/api/public/reports/${s.no}/photos/${s.photoId}/file` : null,
    }];
  });
}

// ---------------------------------------------------------------- partner keys (staff)

/** A key is the install's: the duty open311.manage is global, so the actor arrives with a global grant. */
async function assertPartnerManager(_db: Db, actor: Actor) {
  if (!isGlobal(actor)) throw forbidden('Open311 合作方密钥属于整个系统：需要全局授予的“管理 Open311 合作方密钥”职责 (install-wide)');
}

export interface PartnerView { id: number; name: string; keyPrefix: string; active: boolean; createdAt: string; createdBy: string | null; lastUsedAt: string | null }
const view = (p: repo.PartnerRow): PartnerView => ({
  id: p.id, name: p.name, keyPrefix: p.keyPrefix, active: p.active, createdAt: p.createdAt.toISOString(), createdBy: p.createdByName,
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

export async function listPartners(db: Db, actor: Actor) {
  await assertPartnerManager(db, actor);
  return { items: (await repo.listPartners(db)).map(view) };
}

export const KEY_PREFIX = 'w311_';
/** A new key: the prefix and 32 random base64url characters (192 bits). */
export const newKey = () => `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;

/** Creates a partner; its key is in this answer only (the database keeps its sha-256). */
export async function createPartner(db: Db, actor: Actor, input: { name: string }) {
  await assertPartnerManager(db, actor);
  const name = cleanText(input.name ?? '');
  if (!name || [...name].length > 60) throw badInput('合作方名称不能为空，且不超过 60 字 (name: 1–60 characters)', [{ field: 'name', message: 'length' }]);
  const key = newKey();
  const keyPrefix = key.slice(0, KEY_PREFIX.length + 4);
  const id = await db.transaction(async (tx) => {
    const newId = await repo.insertPartner(tx, { name, keyHash: sha256(key), keyPrefix, createdBy: actor.id });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'open311.partner.create', entity: 'open311_partner', entityId: newId,
      after: { name, keyPrefix } });
    return newId;
  });
  return { partner: view((await repo.partnerById(db, id))!), key };
}

export async function deactivatePartner(db: Db, actor: Actor, id: number) {
  await assertPartnerManager(db, actor);
  await db.transaction(async (tx) => {
    const p = await repo.partnerById(tx, id, true);
    if (!p) throw notFound(`合作方 ${id} 不存在 (no such partner)`);
    if (!p.active) return;
    await repo.deactivatePartner(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'open311.partner.deactivate', entity: 'open311_partner', entityId: id,
      before: { active: true }, after: { active: false, name: p.name, keyPrefix: p.keyPrefix } });
  });
  return view((await repo.partnerById(db, id))!);
}
