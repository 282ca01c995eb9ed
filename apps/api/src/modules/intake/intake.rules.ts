// The public intake's rules as pure functions: what a resident may send, how it is cleaned, how
// much one address or phone may send, what the public may see of a case, and when a reporter may
// rate or reopen it.
import sanitizeHtml from 'sanitize-html';
import type { CaseState } from '../../../../../packages/shared/src/cases.js';
import { normalisePhone } from '../../../../../packages/shared/src/personal.js';

export const MAX_TEXT_CHARS = 500;
/** Bytes of raw text accepted before anything else is looked at (a 10 KB paste is refused). */
export const MAX_TEXT_BYTES = 4096;
export const MAX_PHOTOS = 3;
export const REOPEN_DAYS = 30;

export type Rating = 'satisfied' | 'basically' | 'unsatisfied';
export const RATINGS: { key: Rating; zh: string; en: string }[] = [
  { key: 'satisfied', zh: '满意', en: 'Satisfied' },
  { key: 'basically', zh: '基本满意', en: 'Basically satisfied' },
  { key: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
];

export interface Problem { field: string; message: string }

/**
 * Plain text from what a resident typed: tags and their script/style contents removed, entities
 * decoded, whitespace tidied. Nothing with markup is ever stored, so nothing can run when shown.
 */
export function plainText(raw: string): string {
  const stripped = sanitizeHtml(raw, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' });
  return decodeEntities(stripped).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39|apos|nbsp);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === '#39' || k === 'apos') return "'";
    if (k === 'nbsp') return ' ';
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
  });
}

/** Text that still looks like markup after cleaning (e.g. "&lt;script&gt;" decoded): stripped again. */
export function cleanText(raw: string): string {
  let t = plainText(raw);
  for (let i = 0; i < 3 && /<[a-z!/?]/i.test(t); i++) t = plainText(t);
  // What is left of a tag's opening (a lone "</") becomes a full-width bracket: shown, never parsed.
  return t.replace(/<(?=[a-z!/?])/gi, '＜');
}

// Phones are normalised and masked one way for the whole API (packages/shared/src/personal.ts).
export { maskPhone, normalisePhone } from '../../../../../packages/shared/src/personal.js';

/** China's extent, roughly (the same box the case loop uses). */
export const inChina = (lat: number, lng: number) => lat >= 3 && lat <= 54 && lng >= 73 && lng <= 136;

export interface ReportFields {
  description: unknown; lat?: unknown; lng?: unknown; address?: unknown; phone?: unknown; name?: unknown; email?: unknown;
}
export interface CleanReport {
  description: string; lat: number | null; lng: number | null; address: string | null;
  phone: string | null; name: string | null; email: string | null;
}

const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : NaN;
};
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Checks and cleans a report's fields; `needLocation`: the phone page always sends a point. */
export function checkReportFields(f: ReportFields, opts: { needLocation: boolean }): { value: CleanReport | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const rawText = str(f.description);
  let description = '';
  if (Buffer.byteLength(rawText, 'utf8') > MAX_TEXT_BYTES) {
    problems.push({ field: 'description', message: `描述太长（${Math.round(Buffer.byteLength(rawText, 'utf8') / 1024)} KB）：请用 ${MAX_TEXT_CHARS} 字以内说清问题 (description too long)` });
  } else {
    description = cleanText(rawText);
    if (!description) problems.push({ field: 'description', message: '请用一句话说明问题（不能为空，网页代码会被去掉）(a description is required)' });
    else if ([...description].length > MAX_TEXT_CHARS) problems.push({ field: 'description', message: `描述不超过 ${MAX_TEXT_CHARS} 字，现在是 ${[...description].length} 字 (too long)` });
  }
  const lat = num(f.lat); const lng = num(f.lng);
  if ((lat === null) !== (lng === null)) problems.push({ field: 'lat', message: '经度和纬度要同时提供 (lat and long go together)' });
  else if (lat !== null && lng !== null) {
    if (Number.isNaN(lat) || Number.isNaN(lng)) problems.push({ field: 'lat', message: '经纬度应为数字 (lat/long must be numbers)' });
    else if (!inChina(lat, lng)) problems.push({ field: 'lat', message: `位置 (${lat}, ${lng}) 不在中国境内：请打开定位或在地图上点选问题所在位置 (location outside China)` });
  }
  const address = cleanText(str(f.address)).slice(0, 200) || null;
  if (opts.needLocation && lat === null) problems.push({ field: 'lat', message: '请提供问题位置：允许定位，或在地图上点选 (a location is required)' });
  if (!opts.needLocation && lat === null && !address) problems.push({ field: 'lat', message: '请提供位置（经纬度）或地址 (lat/long or an address is required)' });
  let phone: string | null = null;
  if (str(f.phone).trim()) {
    phone = normalisePhone(str(f.phone));
    if (!phone) problems.push({ field: 'phone', message: '手机号格式不对：请填 11 位手机号，或带区号的座机号；也可以不填 (phone number not valid)' });
  }
  const name = cleanText(str(f.name)).slice(0, 40) || null;
  let email: string | null = str(f.email).trim() || null;
  if (email && (email.length > 200 || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email))) {
    problems.push({ field: 'email', message: '电子邮箱格式不对 (email not valid)' });
    email = null;
  }
  if (problems.length) return { value: null, problems };
  return { value: { description, lat, lng, address, phone, name, email }, problems };
}

// ---------------------------------------------------------------- rate limits

export interface IntakeLimits {
  /** per address (IP): reports in 10 minutes, and in a day */
  perAddress10Min: number; perAddressDay: number;
  /** per phone: reports in a day */
  perPhoneDay: number;
  /** per Open311 partner key: reports in an hour */
  perPartnerHour: number;
}
export const LIMIT_DEFAULTS: IntakeLimits = { perAddress10Min: 5, perAddressDay: 30, perPhoneDay: 10, perPartnerHour: 2000 };

export interface RecentCounts { address10Min: number; addressDay: number; phoneDay: number; partnerHour: number }

/** Why one more report would be too many, and how long to wait (seconds); null when within limits. */
export function overLimit(c: RecentCounts, l: IntakeLimits, who: { partner: boolean; phone: boolean }): { message: string; retryAfter: number } | null {
  if (who.partner) {
    if (c.partnerHour >= l.perPartnerHour) return { message: `该合作方一小时内已提交 ${c.partnerHour} 件，达到上限 ${l.perPartnerHour} 件，请稍后再试 (partner hourly limit)`, retryAfter: 600 };
  } else {
    if (c.address10Min >= l.perAddress10Min) return { message: `提交太频繁：10 分钟内最多 ${l.perAddress10Min} 件，请 10 分钟后再试 (too many reports from this address)`, retryAfter: 600 };
    if (c.addressDay >= l.perAddressDay) return { message: `今天从这个网络已提交 ${c.addressDay} 件，达到每天 ${l.perAddressDay} 件的上限，请明天再试或拨打热线 (daily limit for this address)`, retryAfter: 3600 };
  }
  if (who.phone && c.phoneDay >= l.perPhoneDay) return { message: `这个手机号今天已提交 ${c.phoneDay} 件，达到每天 ${l.perPhoneDay} 件的上限，请明天再试 (daily limit for this phone)`, retryAfter: 3600 };
  return null;
}

// ---------------------------------------------------------------- what the public sees

export type PublicStatus = 'received' | 'accepted' | 'in_progress' | 'fixed' | 'closed' | 'refused';
export const PUBLIC_STATUS: Record<PublicStatus, { zh: string; en: string }> = {
  received: { zh: '已收到，待受理', en: 'Received' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_progress: { zh: '处理中', en: 'In progress' },
  fixed: { zh: '已处理，待核查', en: 'Fixed, being checked' },
  closed: { zh: '已办结', en: 'Closed' },
  refused: { zh: '不予受理', en: 'Not accepted' },
};
export function publicStatus(state: CaseState): PublicStatus {
  switch (state) {
    case 'reported': return 'received';
    case 'registered': return 'accepted';
    case 'dispatched': case 'fixing': return 'in_progress';
    case 'fixed': return 'fixed';
    case 'closed': return 'closed';
    default: return 'refused';
  }
}

const STEP_ZH: Record<string, string> = {
  report: '群众上报', register: '已受理立案', refuse: '不予受理', dispatch: '已派往责任人处置', accept: '责任人已接收',
  feedback: '已处理，等待核查', pass: '核查通过，已办结', rework: '核查未通过，返工', reopen: '群众不满意，重新办理', rate: '群众已评价',
};
/** The steps the public sees, without names or notes; internal steps (extensions, returns) left out. */
export function publicTimeline(steps: { action: string; at: Date; data?: unknown }[]): { at: string; action: string; label: string }[] {
  return steps.filter((s) => STEP_ZH[s.action]).map((s) => {
    let label = STEP_ZH[s.action]!;
    const d = s.data as { reason?: string } | null | undefined;
    if (s.action === 'refuse') label += d?.reason === 'duplicate' ? '（与已有问题重复，合并办理）' : '（经核实不属于受理范围或信息不足）';
    return { at: s.at.toISOString(), action: s.action, label };
  });
}

/** A point shown publicly: rounded to about 100 m. */
export const roundCoord = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

// ---------------------------------------------------------------- follow-up

export interface FollowUpFacts { state: CaseState; closedAt: Date | null; ratedAt: Date | null; reopenedAt: Date | null }

/** Why the reporter may not rate now (null: may). One rating per closing; a refusal may be rated too. */
export function cannotRate(f: FollowUpFacts): string | null {
  if (f.state !== 'closed' && f.state !== 'refused') return '问题还在办理中，办结后才能评价 (rate once it is closed)';
  if (f.ratedAt && (!f.closedAt || f.ratedAt.getTime() >= f.closedAt.getTime())) return '您已评价过这次办理结果 (already rated)';
  return null;
}

/** Why the reporter may not reopen now (null: may). Once only, within REOPEN_DAYS of closing. */
export function cannotReopen(f: FollowUpFacts, now: Date): string | null {
  if (f.state !== 'closed') return f.state === 'refused' ? '不予受理的问题不能重开，可重新上报 (refused: report again instead)' : '问题还在办理中，不需要重开 (still open)';
  if (f.reopenedAt) return '每个问题只能重开一次；如仍未解决，请拨打热线或重新上报 (reopened once already)';
  if (f.closedAt && now.getTime() - f.closedAt.getTime() > REOPEN_DAYS * 86_400_000) return `办结已超过 ${REOPEN_DAYS} 天，不能重开；请重新上报 (too long after closing)`;
  return null;
}

// ---------------------------------------------------------------- duplicates

/** Metres between two points (haversine). */
export function metres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = 6_371_000; const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad; const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A lat/lng box holding every point within `radius` metres of (lat, lng), for an index scan. */
export function boxAround(lat: number, lng: number, radius: number) {
  const dLat = radius / 111_320;
  const dLng = radius / (111_320 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: lng - dLng, maxLng: lng + dLng };
}

export const DEFAULT_DUPLICATE_RADIUS_M = 100;

// ---------------------------------------------------------------- a category's questions (Open311 attributes)

/**
 * A question asked when reporting in a category, as stored in case_category.public_attributes
 * (a JSON array). Open311's service definition renders it (variable: true) and checks answers.
 */
export interface PublicAttribute {
  code: string;
  description: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  datatypeDescription?: string;
  values?: { key: string; name: string }[];
}
export const ATTRIBUTE_TYPES: PublicAttribute['datatype'][] = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];

/** Checks a category's question list; returns the problems (empty when fine). */
export function attributeProblems(list: unknown): Problem[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) return [{ field: 'publicAttributes', message: '问题清单应为数组 (an array of attributes)' }];
  const problems: Problem[] = [];
  const codes = new Set<string>();
  if (list.length > 20) problems.push({ field: 'publicAttributes', message: '每个分类最多 20 个问题' });
  list.forEach((a, i) => {
    const at = `publicAttributes[${i}]`;
    const x = a as Partial<PublicAttribute>;
    if (typeof x !== 'object' || x === null) { problems.push({ field: at, message: `第 ${i + 1} 个问题格式不对` }); return; }
    if (typeof x.code !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(x.code)) problems.push({ field: `${at}.code`, message: `第 ${i + 1} 个问题的代码应为字母开头的字母、数字或下划线（≤ 40）` });
    else if (codes.has(x.code)) problems.push({ field: `${at}.code`, message: `问题代码 ${x.code} 重复` });
    else codes.add(x.code);
    if (typeof x.description !== 'string' || !x.description.trim() || x.description.length > 200) problems.push({ field: `${at}.description`, message: `第 ${i + 1} 个问题的说明不能为空，且不超过 200 字` });
    if (!ATTRIBUTE_TYPES.includes(x.datatype as PublicAttribute['datatype'])) problems.push({ field: `${at}.datatype`, message: `第 ${i + 1} 个问题的类型应为 ${ATTRIBUTE_TYPES.join(' / ')}` });
    if (typeof x.required !== 'boolean') problems.push({ field: `${at}.required`, message: `第 ${i + 1} 个问题要说明是否必填` });
    if (!Number.isInteger(x.order)) problems.push({ field: `${at}.order`, message: `第 ${i + 1} 个问题的顺序应为整数` });
    const lists = x.datatype === 'singlevaluelist' || x.datatype === 'multivaluelist';
    if (lists) {
      const ok = Array.isArray(x.values) && x.values.length > 0 && x.values.length <= 50
        && x.values.every((v) => v && typeof v.key === 'string' && v.key.length > 0 && v.key.length <= 40 && typeof v.name === 'string' && v.name.length > 0 && v.name.length <= 100)
        && new Set(x.values.map((v) => v.key)).size === x.values.length;
      if (!ok) problems.push({ field: `${at}.values`, message: `第 ${i + 1} 个问题是选择题：请给出 1–50 个不重复的选项（key 与 name）` });
    } else if (x.values !== undefined && !(Array.isArray(x.values) && x.values.length === 0)) {
      problems.push({ field: `${at}.values`, message: `第 ${i + 1} 个问题不是选择题，不应有选项` });
    }
  });
  return problems;
}
