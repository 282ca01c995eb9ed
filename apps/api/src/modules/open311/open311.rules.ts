// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) as pure functions: formats by extension,
// case states as the spec's open/closed (and FixMyStreet's update statuses), date windows of at
// most 90 days, id and code lists, services' attributes and the answers checked against them, the
// spec's request/service objects, and their XML. No database, no HTTP.
import { XMLBuilder } from 'fast-xml-parser';
import type { CaseState } from '../../../../../packages/shared/src/cases.js';
import { normalisePublicNo } from '../../../../../packages/shared/src/personal.js';
import { PUBLIC_STATUS, cleanText, publicStatus, roundCoord, type Problem } from '../intake/intake.rules.js';

// ---------------------------------------------------------------- formats

export type Format = 'json' | 'xml';
export const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/**
 * "services.json" → services, json. Without an extension the answer is XML, the spec's required
 * format; another extension (".csv") gives `format: null`, which the caller refuses.
 */
export function splitFormat(segment: string): { base: string; format: Format | null; ext: string | null } {
  const m = /^(.*)\.([A-Za-z0-9]{1,10})$/.exec(segment);
  if (!m) return { base: segment, format: 'xml', ext: null };
  const ext = m[2]!.toLowerCase();
  return { base: m[1]!, format: ext === 'json' || ext === 'xml' ? ext : null, ext };
}

// ---------------------------------------------------------------- statuses

export type RequestStatus = 'open' | 'closed';
export const REQUEST_STATUSES: readonly RequestStatus[] = ['open', 'closed'];
const CLOSED_STATES: CaseState[] = ['closed', 'refused'];
const OPEN_STATES_311: CaseState[] = ['reported', 'registered', 'dispatched', 'fixing', 'fixed'];

/** The spec knows two statuses: a refused case is closed too (status_notes says why). */
export const requestStatus = (state: CaseState): RequestStatus => (CLOSED_STATES.includes(state) ? 'closed' : 'open');

/** The case states an Open311 status stands for. */
export const statesOf = (statuses: RequestStatus[]): CaseState[] =>
  [...new Set(statuses.flatMap((s) => (s === 'closed' ? CLOSED_STATES : OPEN_STATES_311)))];

/** status_notes: the public status in words; for a refusal, why (and the case it duplicates). */
export function statusNotes(state: CaseState, refusedReason: string | null, duplicateNo: string | null): string {
  if (state === 'refused') {
    return refusedReason === 'duplicate'
      ? `不予受理：与已有问题重复，合并办理${duplicateNo ? `（见 ${duplicateNo}）` : ''} (not accepted: duplicate${duplicateNo ? ` of ${duplicateNo}` : ''})`
      : '不予受理：经核实不属于受理范围或信息不足 (not accepted: outside our remit or not enough information)';
  }
  const s = PUBLIC_STATUS[publicStatus(state)];
  return `${s.zh} (${s.en})`;
}

/**
 * FixMyStreet's statuses for a request update (GET servicerequestupdates), from the state a step
 * left the case in: its importer knows open, investigating, in_progress, fixed, duplicate and
 * no_further_action. A fix waiting for its check is still in progress; a passed check is fixed.
 */
export type UpdateStatus = 'open' | 'investigating' | 'in_progress' | 'fixed' | 'duplicate' | 'no_further_action';
export function updateStatus(toState: CaseState, data: unknown): UpdateStatus {
  switch (toState) {
    case 'reported': return 'open';
    case 'registered': return 'investigating';
    case 'dispatched': case 'fixing': case 'fixed': return 'in_progress';
    case 'closed': return 'fixed';
    default: return (data as { reason?: string } | null)?.reason === 'duplicate' ? 'duplicate' : 'no_further_action';
  }
}

// ---------------------------------------------------------------- dates

export const MAX_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * A W3C (ISO 8601) date or date-time: `2026-11-05`, `2026-11-05T08:15:30Z`, `…+08:00`, with or
 * without seconds and fractions. The spec asks for a time zone; one sent without is taken as China
 * time (+08:00), the install's. Null when it is not a real date.
 */
export function parseW3cDate(raw: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = [m[1]!, m[2]!, m[3]!, m[4], m[5], m[6]];
  const Y = +y; const M = +mo; const D = +d; const H = +h; const MI = +mi; const S = +s;
  if (M < 1 || M > 12 || D < 1 || H > 23 || MI > 59 || S > 59) return null;
  if (new Date(Date.UTC(Y, M - 1, D)).getUTCDate() !== D) return null;
  const frac = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
  let offsetMin = 8 * 60;
  const tz = m[8];
  if (tz && tz.toUpperCase() === 'Z') offsetMin = 0;
  else if (tz) {
    const t = tz.replace(':', '');
    const oh = +t.slice(1, 3); const om = +t.slice(3, 5);
    if (oh > 14 || om > 59) return null;
    offsetMin = (t[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(Date.UTC(Y, M - 1, D, H, MI, S, frac) - offsetMin * 60_000);
}

/** A date-time as the spec shows them: seconds, China time with its offset ("2026-11-05T16:15:30+08:00"). */
export function w3c(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * The window of a search: start_date and end_date at most 90 days apart. With one of them the
 * window is the 90 days after the start (or before the end); with neither, the last 90 days.
 */
export function dateWindow(start: string | undefined, end: string | undefined, now: Date): { from: Date; to: Date } | { error: string } {
  const has = (s: string | undefined) => s !== undefined && s.trim() !== '';
  const from = has(start) ? parseW3cDate(start!) : undefined;
  const to = has(end) ? parseW3cDate(end!) : undefined;
  if (from === null) return { error: `start_date 不是有效的日期时间，应如 2026-11-01T00:00:00+08:00 (start_date is not a W3C date-time)` };
  if (to === null) return { error: `end_date 不是有效的日期时间，应如 2026-11-30T23:59:59+08:00 (end_date is not a W3C date-time)` };
  const span = MAX_WINDOW_DAYS * DAY_MS;
  if (from && to) {
    if (to.getTime() < from.getTime()) return { error: 'end_date 早于 start_date (end_date is before start_date)' };
    if (to.getTime() - from.getTime() > span) {
      const days = Math.ceil((to.getTime() - from.getTime()) / DAY_MS);
      return { error: `start_date 与 end_date 相隔 ${days} 天，最多 ${MAX_WINDOW_DAYS} 天 (the dates may be at most ${MAX_WINDOW_DAYS} days apart)` };
    }
    return { from, to };
  }
  if (from) return { from, to: new Date(from.getTime() + span) };
  if (to) return { from: new Date(to.getTime() - span), to };
  return { from: new Date(now.getTime() - span), to: now };
}

// ---------------------------------------------------------------- lists in query strings

export const MAX_IDS = 100;
/** A service_request_id is the report's tracking number (12 letters and digits; dashes and lower case are fine). */
export const isRequestId = (s: string) => normalisePublicNo(s) !== null;

const commaList = (raw: string) => [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];

/** service_request_id=a,b,c: tracking numbers (as stored), at most MAX_IDS of them. */
export function parseIdList(raw: string, max = MAX_IDS): { ids: string[] } | { error: string } {
  const ids = commaList(raw);
  if (ids.length === 0) return { error: 'service_request_id 为空 (service_request_id is empty)' };
  if (ids.length > max) return { error: `一次最多查询 ${max} 个 service_request_id，收到 ${ids.length} 个 (at most ${max} ids)` };
  const bad = ids.find((s) => !isRequestId(s));
  if (bad !== undefined) return { error: `service_request_id “${bad.slice(0, 40)}” 不是编号：应为 12 位字母和数字 (ids are 12 letters and digits)` };
  return { ids: [...new Set(ids.map((s) => normalisePublicNo(s)!))] };
}

/** service_code=a,b: codes of services. */
export function parseCodeList(raw: string, max = MAX_IDS): { codes: string[] } | { error: string } {
  const codes = commaList(raw);
  if (codes.length === 0) return { error: 'service_code 为空 (service_code is empty)' };
  if (codes.length > max || codes.some((c) => c.length > 64)) return { error: `service_code 太多或太长 (at most ${max} codes of 64 characters)` };
  return { codes };
}

/** status=open,closed */
export function parseStatusList(raw: string): { statuses: RequestStatus[] } | { error: string } {
  const list = commaList(raw.toLowerCase());
  const bad = list.find((s) => !(REQUEST_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) return { error: `status 只能是 open 或 closed，收到 “${(bad ?? raw).slice(0, 40)}” (status: open, closed)` };
  return { statuses: list as RequestStatus[] };
}

// ---------------------------------------------------------------- services and their attributes

export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
export const DATATYPES: readonly Datatype[] = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
export interface AttributeValue { key: string; name: string }
export interface ServiceAttribute {
  variable: boolean; code: string; datatype: Datatype; required: boolean; datatype_description: string | null;
  order: number; description: string; values?: AttributeValue[];
}
export const MAX_STRING = 200;
export const MAX_TEXT = 2000;

const bool = (v: unknown, dflt: boolean) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : dflt);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/**
 * A category's `public_attributes` (jsonb, an array in the spec's own shape:
 * `{code, datatype, required, description, variable?, order?, datatype_description?, values?: [{key, name}]}`)
 * as service attributes. Entries without a code or a known datatype, repeated codes, and lists
 * without values are left out, so a service never asks a question nobody can answer.
 */
export function serviceAttributes(raw: unknown): ServiceAttribute[] {
  const list = typeof raw === 'string' ? (() => { try { return JSON.parse(raw) as unknown; } catch { return []; } })() : raw;
  if (!Array.isArray(list)) return [];
  const out: ServiceAttribute[] = [];
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (!x || typeof x !== 'object') return;
    const a = x as Record<string, unknown>;
    const code = text(a.code);
    const datatype = text(a.datatype) as Datatype;
    if (!code || code.length > 64 || !/^[^\s[\]]+$/.test(code) || seen.has(code) || !DATATYPES.includes(datatype)) return;
    const attr: ServiceAttribute = {
      variable: bool(a.variable, true), code, datatype, required: bool(a.required, false),
      datatype_description: text(a.datatype_description) || text(a.datatypeDescription) || null,
      order: typeof a.order === 'number' && Number.isInteger(a.order) ? a.order : i + 1,
      description: text(a.description) || code,
    };
    if (datatype === 'singlevaluelist' || datatype === 'multivaluelist') {
      const values = (Array.isArray(a.values) ? a.values : []).map((v) => {
        const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
        const key = text(o.key);
        return { key, name: text(o.name) || key };
      }).filter((v, j, all) => v.key && all.findIndex((w) => w.key === v.key) === j);
      if (values.length === 0) return;
      attr.values = values;
    }
    seen.add(code);
    out.push(attr);
  });
  return out.sort((p, q) => p.order - q.order);
}

/**
 * The attribute answers of a POST: `attribute[CODE]=v`, `attribute[CODE][]=v1&attribute[CODE][]=v2`
 * (a multivaluelist), or a nested `attribute: {CODE: v}` (a JSON body). Each as its list of values.
 */
export function attributeAnswers(body: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (code: string, v: unknown) => {
    const vals = (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean').map(String);
    (out[code] ??= []).push(...vals);
  };
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]{1,64})\](\[\])?$/.exec(k);
    if (m) add(m[1]!, v);
  }
  const nested = body.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) if (k.length <= 64) add(k, v);
  }
  return out;
}

export type AttributeAnswer = string | number | string[];

/**
 * The answers checked against the service's attributes: required ones given, one value where one
 * is asked, numbers as numbers, date-times as date-times, list keys among the values. Answers to
 * questions the service does not ask (or that only inform, `variable: false`) are dropped.
 */
export function checkAttributes(defs: ServiceAttribute[], answers: Record<string, string[]>): { value: Record<string, AttributeAnswer>; problems: Problem[] } {
  const value: Record<string, AttributeAnswer> = {};
  const problems: Problem[] = [];
  for (const d of defs) {
    if (!d.variable) continue;
    const field = `attribute[${d.code}]`;
    const given = (answers[d.code] ?? []).map((s) => s.trim()).filter(Boolean);
    if (given.length === 0) {
      if (d.required) problems.push({ field, message: `${field} 必填：${d.description} (required)` });
      continue;
    }
    if (d.datatype !== 'multivaluelist' && given.length > 1) {
      problems.push({ field, message: `${field} 只能有一个值 (one value only)` });
      continue;
    }
    const v = given[0]!;
    switch (d.datatype) {
      case 'string': case 'text': {
        const max = d.datatype === 'string' ? MAX_STRING : MAX_TEXT;
        // Far too long is refused before the cleaning (which is the slow part).
        const t = v.length > max * 4 ? null : cleanText(v);
        if (t === null || [...t].length > max) problems.push({ field, message: `${field} 不超过 ${max} 字 (at most ${max} characters)` });
        else if (!t) problems.push({ field, message: `${field} 应为文字（网页代码会被去掉）(text expected)` });
        else value[d.code] = t;
        break;
      }
      case 'number': {
        const n = Number(v);
        if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) || !Number.isFinite(n)) problems.push({ field, message: `${field} 应为数字，收到 “${v.slice(0, 40)}” (a number)` });
        else value[d.code] = n;
        break;
      }
      case 'datetime': {
        const t = parseW3cDate(v);
        if (!t) problems.push({ field, message: `${field} 应为日期时间，如 2026-11-05T08:15:30+08:00 (a W3C date-time)` });
        else value[d.code] = t.toISOString();
        break;
      }
      case 'singlevaluelist': {
        if (!d.values!.some((x) => x.key === v)) problems.push({ field, message: `${field} 应为以下之一：${d.values!.map((x) => x.key).join(', ')} (one of the listed keys)` });
        else value[d.code] = v;
        break;
      }
      case 'multivaluelist': {
        const keys = new Set(d.values!.map((x) => x.key));
        const picked = [...new Set(given.flatMap((x) => (keys.has(x) ? [x] : x.split(',').map((y) => y.trim()).filter(Boolean))))];
        const bad = picked.find((x) => !keys.has(x));
        if (bad !== undefined) problems.push({ field, message: `${field} 的值 “${bad.slice(0, 40)}” 不在可选项中：${[...keys].join(', ')} (keys from the list)` });
        else value[d.code] = picked;
        break;
      }
    }
  }
  return { value, problems };
}

// ---------------------------------------------------------------- the spec's objects

export interface ServiceSource { code: string; name: string; nameEn: string | null; group: string; attributes: unknown }
export interface Service {
  service_code: string; service_name: string; description: string; metadata: boolean; type: 'realtime'; keywords: string; group: string;
}
/** A category offered to the public as a service: realtime (the id comes back at once). */
export function buildService(c: ServiceSource): Service {
  return {
    service_code: c.code, service_name: c.name, description: c.nameEn ? `${c.name} (${c.nameEn})` : c.name,
    metadata: serviceAttributes(c.attributes).length > 0, type: 'realtime',
    keywords: [c.group, c.nameEn].filter(Boolean).join(', '), group: c.group,
  };
}

export function buildDefinition(c: { code: string; attributes: unknown }) {
  return {
    service_code: c.code,
    attributes: serviceAttributes(c.attributes).map((a) => ({
      variable: a.variable, code: a.code, datatype: a.datatype, required: a.required, datatype_description: a.datatype_description,
      order: a.order, description: a.description, ...(a.values ? { values: a.values } : {}),
    })),
  };
}

/** What the public may know of a report, from the intake's row and what was looked up for it. */
export interface RequestSource {
  no: string; state: CaseState; refusedReason: string | null; duplicateNo: string | null;
  categoryCode: string; categoryName: string; reviewed: boolean; description: string; publicText: string | null;
  place: string; reportedAt: Date; updatedAt: Date; dueAt: Date | null; address: string | null;
  lat: number | null; lng: number | null; photoUrl: string | null;
}
export interface Open311Request {
  service_request_id: string; status: RequestStatus; status_notes: string; service_name: string; service_code: string;
  description: string | null; agency_responsible: string; service_notice: string | null; requested_datetime: string;
  updated_datetime: string; expected_datetime: string | null; address: string | null; address_id: string | null;
  zipcode: string | null; lat: number | null; long: number | null; media_url: string | null;
}

/**
 * A service request as the public may see it: text, address and photo only once staff have
 * reviewed it (the redacted text if they wrote one), the point to about 100 m, never a name,
 * phone or e-mail.
 */
export function buildRequest(r: RequestSource): Open311Request {
  const open = requestStatus(r.state) === 'open';
  return {
    service_request_id: r.no, status: requestStatus(r.state), status_notes: statusNotes(r.state, r.refusedReason, r.duplicateNo),
    service_name: r.categoryName, service_code: r.categoryCode,
    description: r.reviewed ? (r.publicText ?? r.description) : null,
    agency_responsible: r.place, service_notice: null,
    requested_datetime: w3c(r.reportedAt)!, updated_datetime: w3c(r.updatedAt)!, expected_datetime: open ? w3c(r.dueAt) : null,
    address: r.reviewed ? r.address : null, address_id: null, zipcode: null,
    // before review: the category, the status, the dates and the village only (no text, photo or point)
    lat: r.reviewed ? roundCoord(r.lat) : null, long: r.reviewed ? roundCoord(r.lng) : null, media_url: r.reviewed ? r.photoUrl : null,
  };
}

/** first_name and last_name as one name: family name first, without a space, when both are Chinese. */
export function fullName(first: string, last: string): string {
  const f = first.trim(); const l = last.trim();
  if (!f || !l) return f || l;
  const han = /^[\p{Script=Han}·]+$/u;
  return han.test(f) && han.test(l) ? `${l}${f}` : `${f} ${l}`;
}

/** media_url: an http(s) address, as a partner's link to its own copy of the picture. */
export function checkMediaUrl(raw: string): { url: string | null } | { error: string } {
  const s = raw.trim();
  if (!s) return { url: null };
  let u: URL | null = null;
  try { u = new URL(s); } catch { u = null; }
  if (!u || !['http:', 'https:'].includes(u.protocol) || s.length > 1000) return { error: 'media_url 应为 http(s) 地址，不超过 1000 个字符 (media_url must be an http(s) URL)' };
  return { url: u.toString() };
}

// ---------------------------------------------------------------- XML and errors

/** Where the spec nests a list in XML: <attributes><attribute>…, <values><value>…, <formats><format>… */
const LIST_CHILD: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function xmlTree(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'string') return v.replace(NOT_XML, '');
  if (Array.isArray(v)) return v.map(xmlTree);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = Array.isArray(x) && LIST_CHILD[k] ? { [LIST_CHILD[k]!]: x.map(xmlTree) } : xmlTree(x);
    }
    return out;
  }
  return String(v);
}

const builder = new XMLBuilder({ format: true, ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/** `<root><item>…</item>…</root>` for a list (item given), or `<root>…</root>` for one object. */
export function renderXml(root: string, item: string | null, body: unknown): string {
  const tree = item ? { [root]: { [item]: (body as unknown[]).map(xmlTree) } } : { [root]: xmlTree(body) };
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(tree) as string}`;
}

/** The spec's error shape: `[{code, description}]` or `<errors><error><code/><description/></error></errors>`. */
export function renderErrors(format: Format, status: number, descriptions: string[]): string {
  const list = descriptions.map((description) => ({ code: status, description }));
  return format === 'json' ? JSON.stringify(list) : renderXml('errors', 'error', list);
}

/** service_notice of a new request: what happens next, with the category's time limit when it has one. */
export function serviceNotice(amount: number | null, unit: string | null): string {
  const limit = amount && amount > 0
    ? unit === 'work_hour' ? { zh: `${amount} 个工作小时`, en: `${amount} working hours` }
      : unit === 'day' ? { zh: `${amount} 天`, en: `${amount} days` }
        : unit === 'work_day' ? { zh: `${amount} 个工作日`, en: `${amount} working days` } : null
    : null;
  return limit
    ? `已收到，待受理；立案后 ${limit.zh}内处置 (received; once registered it is to be fixed within ${limit.en})`
    : '已收到，待受理；立案后派往责任人处置 (received; once registered it goes to the person responsible)';
}
