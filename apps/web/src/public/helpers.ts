// Pure helpers of the residents' page (随手拍): ids, the "我的上报" list, photo sizes, messages, times.
// No DOM here beyond the types, so they run under vitest in Node.
import { normalisePhone, normalisePublicNo } from '../../../../packages/shared/src/personal';

/** A v4 UUID for a report, so a retry after a dropped connection does not report twice.
 *  crypto.randomUUID exists only on secure origins (a phone on http://192.168.… has getRandomValues only). */
export function newClientId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------- 我的上报 (kept on the phone)

export interface MyReport { no: string; token: string; at: string; category?: string; place?: string }
export const MINE_KEY = 'wangge.public.mine';
export const MINE_MAX = 50;
type KV = Pick<Storage, 'getItem' | 'setItem'>;

const isMine = (x: unknown): x is MyReport => {
  const r = x as Partial<MyReport> | null;
  // a tracking number, or an old all-digit number kept from before tracking numbers (found with its token)
  return !!r && typeof r.no === 'string' && (normalisePublicNo(r.no) === r.no || /^\d{13,20}$/.test(r.no)) && typeof r.token === 'string' && r.token.length > 0 && r.token.length <= 100
    && typeof r.at === 'string';
};

/** The reports kept on this phone, newest first; anything unreadable is skipped (never throws). */
export function readMine(s: KV | null): MyReport[] {
  if (!s) return [];
  try {
    const v = JSON.parse(s.getItem(MINE_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter(isMine) : [];
  } catch { return []; }
}

/** Keeps a report (the same number once, newest first, at most MINE_MAX); returns the new list. */
export function addMine(s: KV | null, r: MyReport): MyReport[] {
  const list = [r, ...readMine(s).filter((x) => x.no !== r.no)].slice(0, MINE_MAX);
  try { s?.setItem(MINE_KEY, JSON.stringify(list)); } catch { /* private mode or full: the number is still on screen */ }
  return list;
}

export function tokenFor(s: KV | null, no: string): string | null {
  return readMine(s).find((x) => x.no === no)?.token ?? null;
}

/** localStorage when the browser lets us use it. */
export function safeStorage(): Storage | null {
  try {
    const s = globalThis.localStorage;
    const k = '__wg_probe';
    s.setItem(k, '1');
    s.removeItem(k);
    return s;
  } catch { return null; }
}

// ---------------------------------------------------------------- photos

export const MAX_EDGE = 1600;
/** Photos smaller than this are sent as taken (keeping their capture data). */
export const SHRINK_ABOVE_BYTES = 1_500_000;

/** The size to re-encode a photo at before sending it over a weak connection, or null to send it as is. */
export function shrinkTo(width: number, height: number, bytes: number, maxEdge = MAX_EDGE, above = SHRINK_ABOVE_BYTES): { width: number; height: number } | null {
  if (!(width > 0 && height > 0) || bytes <= above) return null;
  const edge = Math.max(width, height);
  const k = edge > maxEdge ? maxEdge / edge : 1;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

export const fmtBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

// ---------------------------------------------------------------- text

/** Characters as a person counts them (an emoji or a rare Han character is one). */
export const charCount = (s: string) => [...s].length;

/** The first `max` characters (code points, never half a surrogate pair). */
export const clip = (s: string, max: number) => (charCount(s) > max ? [...s].slice(0, max).join('') : s);

// ---------------------------------------------------------------- messages

/** What went wrong with getting the position, in words a resident can act on. */
export function geoErrorText(code: number, secure: boolean): string {
  if (code === 1) {
    return secure
      ? '没有定位权限：请在浏览器或手机设置里允许本网页使用位置后点“重新定位”，或点“在地图上选”标出问题位置。'
      : '此网址不是 https，浏览器不允许定位：请点“在地图上选”标出问题位置。';
  }
  if (code === 3) return '定位超时：请到开阔处点“重新定位”，或点“在地图上选”标出问题位置。';
  return '暂时无法获取位置（手机定位服务未打开或信号弱）：请打开定位后点“重新定位”，或点“在地图上选”。';
}

/** The server's message from an error answer (written for people), or one of ours when there is none. */
export function errorMessage(status: number, body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown } } | null)?.error;
    if (e && typeof e.message === 'string' && e.message) return e.message;
  } catch { /* not JSON: a proxy's page */ }
  if (status === 0) return '网络中断，没有连上服务器：请检查信号后重试（重新提交不会重复上报）。';
  if (status === 413) return '照片太大，超过上传上限：请换一张或在相机里选较低的分辨率。';
  if (status === 429) return '提交太频繁，请稍后再试。';
  if (status >= 500) return `服务器暂时出错（${status}），请稍后再试。`;
  return `提交没有成功（${status}），请稍后再试。`;
}

// ---------------------------------------------------------------- times

const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
/** 2026-03-05 14:07, in China time whatever the phone's zone. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = fmt.formatToParts(d);
  const g = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}`;
}

/**
 * A tracking number as typed: its stored form (12 letters and digits; dashes, spaces, lower case and
 * full-width characters tolerated, O read as 0 and I or L as 1). Anything else is given back tidied
 * (an old all-digit number, which the server finds only together with the 查询码).
 */
export function normaliseNo(raw: string): string {
  return normalisePublicNo(raw) ?? raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\-]/g, '');
}

/** Whether a tracking number (as normalised) is one the page can look up: a new one, or an old number of digits with its 查询码. */
export const lookupProblem = (no: string, token: string): string | null => {
  if (normalisePublicNo(no)) return null;
  if (/^\d{13,20}$/.test(no)) return token.trim() ? null : '旧的数字编号要连同查询码一起输入';
  return '编号是 12 位字母和数字（如 K7QM-2XPD-93TA），见上报成功的页面';
};

/** The page's routes: #/ (report), #/q (look up), #/q/<no> (status). */
export type PublicRoute = { page: 'report' } | { page: 'lookup' } | { page: 'status'; no: string };
export function parseRoute(hash: string): PublicRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean);
  if (parts[0] === 'q') return parts[1] ? { page: 'status', no: decodeURIComponent(parts[1]) } : { page: 'lookup' };
  return { page: 'report' };
}

/** The phone field's problem before sending (the server checks it again), or null when fine or empty. */
export function phoneProblem(raw: string): string | null {
  if (!raw.trim() || normalisePhone(raw) !== null) return null; // the server's own rule (packages/shared/src/personal.ts)
  return '手机号格式不对：请填 11 位手机号或带区号的座机号，也可以不填';
}

// ---------------------------------------------------------------- the map: which village a tap is in

type Ring = number[][];
function ringHas(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
/** Whether a GeoJSON Polygon or MultiPolygon holds the point (holes respected). */
export function geometryHas(g: { type: string; coordinates?: unknown } | null | undefined, lng: number, lat: number): boolean {
  if (!g) return false;
  const poly = (rings: Ring[]) => rings.length > 0 && ringHas(rings[0]!, lng, lat) && !rings.slice(1).some((h) => ringHas(h, lng, lat));
  if (g.type === 'Polygon') return poly(g.coordinates as Ring[]);
  if (g.type === 'MultiPolygon') return (g.coordinates as Ring[][]).some(poly);
  return false;
}

/** The name of the finest feature (village before town) holding the point, or null. */
export function placeNameAt(features: { geometry: { type: string; coordinates?: unknown } | null; properties: { name: string; level: string } }[], lng: number, lat: number): string | null {
  const hits = features.filter((f) => geometryHas(f.geometry, lng, lat));
  const village = hits.find((f) => f.properties.level === 'village');
  const town = hits.find((f) => f.properties.level === 'town');
  if (village && town) return `${town.properties.name} ${village.properties.name}`;
  return (village ?? town)?.properties.name ?? null;
}
