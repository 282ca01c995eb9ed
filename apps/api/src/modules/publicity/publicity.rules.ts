// Publicity and civility (宣传 / 以文化人), MECHANISM.md §2: the pure rules. What a record of each
// kind must hold, the banner rule "5 to 10 per village, by village size" as data, the check of each
// village against it, and a campaign's totals against its targets. No database here.
import { isIsoDate } from '../../lib/dates.js';

export const KINDS = ['letter', 'audio', 'banner', 'wechat', 'lecture'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_ZH: Record<Kind, string> = {
  letter: '倡议书', audio: '音频播放', banner: '条幅', wechat: '微信公众号文章', lecture: '宣讲活动',
};
export const AUDIO_MODES = ['van', 'loudspeaker'] as const;
export type AudioMode = (typeof AUDIO_MODES)[number];
export const MODE_ZH: Record<AudioMode, string> = { van: '宣传车巡回播放', loudspeaker: '村大喇叭' };

export const isKind = (s: unknown): s is Kind => typeof s === 'string' && (KINDS as readonly string[]).includes(s);

export interface Problem { field: string; message: string }

// ------------------------------------------------------------------ records

/** A record as sent: any field may be missing; the kind says which ones count. */
export interface RecordInput {
  kind: string;
  areaId?: number | null;
  place?: string | null;
  mode?: string | null;
  on: string;
  quantity?: number | null;
  attendance?: number | null;
  title?: string | null;
  url?: string | null;
  reads?: number | null;
  note?: string | null;
}

/** A record as kept: the fields its kind does not use are null. */
export interface RecordValue {
  kind: Kind;
  areaId: number | null;
  place: string | null;
  mode: AudioMode | null;
  on: string;
  quantity: number | null;
  attendance: number | null;
  title: string | null;
  url: string | null;
  reads: number | null;
  note: string | null;
}

export interface DateWindow { startsOn: string; endsOn: string; today: string }

export const LIMITS = {
  letters: 100_000, plays: 1_000, banners: 50, attendance: 5_000, reads: 100_000_000,
  place: 100, title: 200, url: 1_000, note: 500,
} as const;

// The fields each kind uses (others must be empty), and which of them it requires.
const USES: Record<Kind, (keyof RecordInput)[]> = {
  letter: ['areaId', 'place', 'quantity', 'note'],
  audio: ['areaId', 'place', 'mode', 'quantity', 'note'],
  banner: ['areaId', 'place', 'quantity', 'note'],
  wechat: ['areaId', 'title', 'url', 'reads', 'note'],
  lecture: ['areaId', 'place', 'title', 'attendance', 'note'],
};
const FIELD_ZH: Record<string, string> = {
  areaId: '村', place: '地点/学校', mode: '播放方式', quantity: '数量', attendance: '参加人数', title: '标题/主题',
  url: '链接', reads: '阅读数', note: '备注',
};

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = String(v).replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
};

/** A whole number within [min, max], or the message saying what is wrong with it (in Chinese, with an English gloss). */
export function checkCount(v: unknown, min: number, max: number, what: string): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${what}须为整数 (a whole number)`;
  if (!Number.isInteger(v)) return `${what}须为整数，收到 ${v} (a whole number)`;
  if (v < 0) return `${what}不能为负数，收到 ${v} (no negative counts)`;
  if (v < min) return `${what}至少为 ${min}，收到 ${v} (at least ${min})`;
  if (v > max) return `${what}最多 ${max}，收到 ${v} (at most ${max})`;
  return null;
}

/** A link to open from the screens: http(s) only (no javascript:, data:, file: …), at most 1,000 characters. */
export function checkUrl(v: string): string | null {
  if (v.length > LIMITS.url) return `链接过长（最多 ${LIMITS.url} 个字符） (URL too long)`;
  if (/\s/.test(v)) return '链接中不能有空格 (no spaces in a URL)';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `链接不是有效的网址：「${v.slice(0, 60)}」，应以 http:// 或 https:// 开头 (not a URL)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `链接只能是 http:// 或 https:// 网址，不接受「${u.protocol}」 (http(s) links only)`;
  }
  if (!u.hostname) return '链接缺少网站地址 (no host)';
  return null;
}

/**
 * Checks a record of any kind: the kind is known, the date is a real day inside the campaign and
 * not in the future, the numbers are whole and in range, and the kind's required fields are there.
 * The village itself (that it exists, is a village, lies in the campaign's scope and in the user's
 * areas) is checked by the service, which has the database.
 */
export function checkRecord(input: RecordInput, w: DateWindow): { ok: true; value: RecordValue } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!isKind(input.kind)) {
    add('kind', `未知的类型「${String(input.kind).slice(0, 20)}」：应为 ${KINDS.map((k) => `${k}（${KIND_ZH[k]}）`).join('、')} (unknown kind)`);
    return { ok: false, problems };
  }
  const kind = input.kind;
  const zh = KIND_ZH[kind];
  for (const f of Object.keys(FIELD_ZH) as (keyof RecordInput)[]) {
    const v = input[f];
    if (v !== null && v !== undefined && v !== '' && !USES[kind].includes(f)) {
      add(f, `${zh}记录不填写「${FIELD_ZH[f]}」(${f} is not used by ${kind})`);
    }
  }

  if (typeof input.on !== 'string' || !isIsoDate(input.on)) add('on', `日期应为 YYYY-MM-DD 的真实日期，收到「${String(input.on).slice(0, 20)}」 (a real date)`);
  else if (input.on < w.startsOn || input.on > w.endsOn) add('on', `日期 ${input.on} 不在活动期间 ${w.startsOn} 至 ${w.endsOn} 内 (outside the campaign's dates)`);
  else if (input.on > w.today) add('on', `日期 ${input.on} 晚于今天 ${w.today}：只能登记已经做了的事 (a future date)`);

  const areaId = input.areaId ?? null;
  const place = text(input.place);
  const title = text(input.title);
  const url = text(input.url);
  const note = text(input.note);
  if (place && place.length > LIMITS.place) add('place', `地点/学校最多 ${LIMITS.place} 个字 (too long)`);
  if (title && title.length > LIMITS.title) add('title', `标题/主题最多 ${LIMITS.title} 个字 (too long)`);
  if (note && note.length > LIMITS.note) add('note', `备注最多 ${LIMITS.note} 个字 (too long)`);
  const count = (field: 'quantity' | 'attendance' | 'reads', min: number, max: number, what: string, required = true) => {
    const v = input[field];
    if (v === null || v === undefined) {
      if (required) add(field, `${zh}须填写${what} (${field} required)`);
      return null;
    }
    const m = checkCount(v, min, max, what);
    if (m) { add(field, m); return null; }
    return v as number;
  };

  let mode: AudioMode | null = null;
  let quantity: number | null = null;
  let attendance: number | null = null;
  let reads: number | null = null;
  switch (kind) {
    case 'letter':
      quantity = count('quantity', 1, LIMITS.letters, '发放份数');
      if (areaId === null && !place) add('areaId', '倡议书须填写发放到的村或学校 (a village or a school)');
      else if (areaId !== null && place) add('place', '倡议书发放对象是一个村或一所学校，二选一：发到学校的请不选村 (a village or a school, not both)');
      break;
    case 'audio':
      if (input.mode !== 'van' && input.mode !== 'loudspeaker') {
        add('mode', `播放方式应为 van（宣传车巡回播放）或 loudspeaker（村大喇叭），收到「${String(input.mode ?? '').slice(0, 20)}」 (van or loudspeaker)`);
      } else mode = input.mode;
      quantity = count('quantity', 1, LIMITS.plays, '播放次数');
      if (areaId === null) add('areaId', '音频播放须填写在哪个村播放 (the village)');
      break;
    case 'banner':
      quantity = count('quantity', 0, LIMITS.banners, '条幅数');
      if (areaId === null) add('areaId', '条幅须填写所在的村 (the village)');
      break;
    case 'wechat':
      if (!title) add('title', '微信公众号文章须填写标题 (title required)');
      if (url) { const m = checkUrl(url); if (m) add('url', m); }
      reads = count('reads', 0, LIMITS.reads, '阅读数', false);
      break;
    case 'lecture':
      attendance = count('attendance', 1, LIMITS.attendance, '参加人数');
      if (!title) add('title', '宣讲活动须填写主题 (topic required)');
      if (areaId === null && !place) add('place', '宣讲活动须填写地点：选择村或填写地点 (a village or a venue)');
      break;
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { kind, areaId, place, mode, on: input.on, quantity, attendance, title, url, reads, note } };
}

// ------------------------------------------------------------------ campaigns and targets

export const TARGET_KEYS = ['letters', 'lectures', 'attendees', 'posts', 'audioRounds'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
export type Targets = Partial<Record<TargetKey, number>>;
export const TARGET_ZH: Record<TargetKey, { name: string; unit: string }> = {
  letters: { name: '倡议书', unit: '份' },
  lectures: { name: '宣讲活动', unit: '场' },
  attendees: { name: '宣讲受众', unit: '人' },
  posts: { name: '公众号文章', unit: '篇' },
  audioRounds: { name: '音频播放', unit: '轮' },
};
export const MAX_TARGET = 10_000_000;

export interface CampaignInput { name: string; startsOn: string; endsOn: string; targets: Record<string, unknown> }

export function checkCampaign(c: CampaignInput): Problem[] {
  const problems: Problem[] = [];
  const name = text(c.name);
  if (!name) problems.push({ field: 'name', message: '请填写活动名称 (name required)' });
  else if (name.length > 100) problems.push({ field: 'name', message: '活动名称最多 100 个字 (too long)' });
  const okStart = typeof c.startsOn === 'string' && isIsoDate(c.startsOn);
  const okEnd = typeof c.endsOn === 'string' && isIsoDate(c.endsOn);
  if (!okStart) problems.push({ field: 'startsOn', message: `开始日期应为 YYYY-MM-DD 的真实日期，收到「${String(c.startsOn).slice(0, 20)}」 (a real date)` });
  if (!okEnd) problems.push({ field: 'endsOn', message: `结束日期应为 YYYY-MM-DD 的真实日期，收到「${String(c.endsOn).slice(0, 20)}」 (a real date)` });
  if (okStart && okEnd && c.endsOn < c.startsOn) problems.push({ field: 'endsOn', message: `结束日期 ${c.endsOn} 早于开始日期 ${c.startsOn} (ends before it starts)` });
  if (c.targets === null || typeof c.targets !== 'object' || Array.isArray(c.targets)) {
    problems.push({ field: 'targets', message: '目标应为 { letters, lectures, attendees, posts, audioRounds } (targets object)' });
    return problems;
  }
  for (const [k, v] of Object.entries(c.targets)) {
    if (!(TARGET_KEYS as readonly string[]).includes(k)) {
      problems.push({ field: `targets.${k}`, message: `未知的目标「${k.slice(0, 20)}」：可设 ${TARGET_KEYS.map((t) => `${t}（${TARGET_ZH[t].name}）`).join('、')} (unknown target)` });
      continue;
    }
    if (v === null || v === undefined) continue;
    const m = checkCount(v, 0, MAX_TARGET, `目标「${TARGET_ZH[k as TargetKey].name}」`);
    if (m) problems.push({ field: `targets.${k}`, message: m });
  }
  return problems;
}

/** The targets as kept: only known keys with a number. */
export function normalTargets(t: Record<string, unknown>): Targets {
  const out: Targets = {};
  for (const k of TARGET_KEYS) if (typeof t[k] === 'number') out[k] = t[k] as number;
  return out;
}

// ------------------------------------------------------------------ the banner rule (5 to 10 by village size)

export const SIZE_KEYS = ['small', 'medium', 'large'] as const;
export type SizeKey = (typeof SIZE_KEYS)[number];

export interface BannerRule {
  /** the fewest and most banners a village should have ("5 to 10") */
  min: number;
  max: number;
  /** by households: a village with at most `upTo` households needs `required` */
  steps: { upTo: number; required: number }[];
  /** more households than the last step */
  above: number;
  /** when the households are not known, by the village's size class */
  bySizeClass: Record<SizeKey, number>;
}

export const BANNER_RULE_KEY = 'publicity.banner_rule';

// ≤200 households → 5, ≤400 → 6, ≤600 → 7, ≤800 → 8, ≤999 → 9, 1,000 and more → 10.
export const DEFAULT_BANNER_RULE: BannerRule = {
  min: 5,
  max: 10,
  steps: [{ upTo: 200, required: 5 }, { upTo: 400, required: 6 }, { upTo: 600, required: 7 }, { upTo: 800, required: 8 }, { upTo: 999, required: 9 }],
  above: 10,
  bySizeClass: { small: 5, medium: 7, large: 9 },
};

export function checkBannerRule(r: BannerRule): Problem[] {
  const problems: Problem[] = [];
  const int = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(r.min, 0, LIMITS.banners)) problems.push({ field: 'min', message: `最少条幅数须为 0–${LIMITS.banners} 的整数 (min)` });
  if (!int(r.max, 0, LIMITS.banners)) problems.push({ field: 'max', message: `最多条幅数须为 0–${LIMITS.banners} 的整数 (max)` });
  if (problems.length) return problems;
  if (r.max < r.min) problems.push({ field: 'max', message: `最多（${r.max}）不能少于最少（${r.min}） (max below min)` });
  const within = (v: unknown) => int(v, r.min, r.max);
  if (!Array.isArray(r.steps) || r.steps.length === 0 || r.steps.length > 20) {
    problems.push({ field: 'steps', message: '按户数的档次须有 1–20 档 (1 to 20 steps)' });
    return problems;
  }
  r.steps.forEach((s, i) => {
    const f = `steps.${i}`;
    if (!int(s?.upTo, 1, 1_000_000)) problems.push({ field: `${f}.upTo`, message: `第 ${i + 1} 档的户数上限须为 1–1000000 的整数 (households)` });
    else if (i > 0 && int(r.steps[i - 1]?.upTo, 1, 1_000_000) && s.upTo <= r.steps[i - 1]!.upTo) {
      problems.push({ field: `${f}.upTo`, message: `第 ${i + 1} 档的户数上限（${s.upTo}）须大于上一档（${r.steps[i - 1]!.upTo}） (increasing)` });
    }
    if (!within(s?.required)) problems.push({ field: `${f}.required`, message: `第 ${i + 1} 档的条幅数须在 ${r.min}–${r.max} 之间 (within min–max)` });
    else if (i > 0 && within(r.steps[i - 1]?.required) && s.required < r.steps[i - 1]!.required) {
      problems.push({ field: `${f}.required`, message: `第 ${i + 1} 档的条幅数（${s.required}）不能少于上一档（${r.steps[i - 1]!.required}）：村越大要求越多 (never fewer for a larger village)` });
    }
  });
  const last = r.steps[r.steps.length - 1]?.required;
  if (!within(r.above)) problems.push({ field: 'above', message: `超过最后一档户数的村，条幅数须在 ${r.min}–${r.max} 之间 (within min–max)` });
  else if (within(last) && r.above < last!) problems.push({ field: 'above', message: `超过最后一档的条幅数（${r.above}）不能少于最后一档（${last}） (never fewer)` });
  const sc = r.bySizeClass ?? ({} as Record<SizeKey, number>);
  for (const k of SIZE_KEYS) if (!within(sc[k])) problems.push({ field: `bySizeClass.${k}`, message: `按规模（${SIZE_ZH[k]}）的条幅数须在 ${r.min}–${r.max} 之间 (within min–max)` });
  if (SIZE_KEYS.every((k) => within(sc[k])) && !(sc.small <= sc.medium && sc.medium <= sc.large)) {
    problems.push({ field: 'bySizeClass', message: '按规模的条幅数须 小 ≤ 中 ≤ 大 (small ≤ medium ≤ large)' });
  }
  return problems;
}

const SIZE_ZH: Record<SizeKey, string> = { small: '小', medium: '中', large: '大' };

export interface Requirement { required: number; basis: 'households' | 'size_class' | 'minimum'; note: string | null }

/** How many banners a village needs under the rule: by households when known, else by size class, else the minimum (with a note). */
export function requiredBanners(rule: BannerRule, v: { households: number | null; sizeClass: string | null }): Requirement {
  if (v.households !== null && v.households !== undefined && Number.isFinite(v.households) && v.households >= 0) {
    const step = rule.steps.find((s) => v.households! <= s.upTo);
    return { required: step ? step.required : rule.above, basis: 'households', note: null };
  }
  if (v.sizeClass && (SIZE_KEYS as readonly string[]).includes(v.sizeClass)) {
    const k = v.sizeClass as SizeKey;
    return { required: rule.bySizeClass[k], basis: 'size_class', note: `户数未知，按规模（${SIZE_ZH[k]}）计 (households unknown: by size class)` };
  }
  return { required: rule.min, basis: 'minimum', note: `户数和规模未知，按最少 ${rule.min} 条计 (size unknown: the minimum)` };
}

export type BannerStatus = 'unknown' | 'short' | 'ok' | 'over';
export const BANNER_STATUS_ZH: Record<BannerStatus, string> = { unknown: '未清点', short: '不足', ok: '达标', over: '超出上限' };

/** A village's banners against what it needs: never counted, short, ok, or above the rule's maximum (flagged: too many). */
export function bannerStatus(up: number | null, required: number, max: number): BannerStatus {
  if (up === null) return 'unknown';
  if (up < required) return 'short';
  if (up > max) return 'over';
  return 'ok';
}

// ------------------------------------------------------------------ totals and the summary

export interface RecordFact {
  id: number; kind: string; areaId: number | null; place: string | null; mode: string | null; on: string;
  quantity: number | null; attendance: number | null; reads: number | null; title: string | null; url: string | null;
}

export interface Totals {
  letters: number; lettersToVillages: number; lettersToSchools: number; letterRecords: number;
  audioRounds: number; audioPlays: number; vanRounds: number; loudspeakerRounds: number;
  banners: number; villagesWithBanners: number;
  lectures: number; attendees: number;
  posts: number; reads: number;
}

const n = (v: number | null) => v ?? 0;

/**
 * Banners are a count of what is up in a village on a day (a re-count replaces the last one):
 * the latest record per village, by date and then by the order they were entered.
 */
export function latestBanners(records: RecordFact[]): Map<number, { up: number; on: string; id: number }> {
  const out = new Map<number, { up: number; on: string; id: number }>();
  for (const r of records) {
    if (r.kind !== 'banner' || r.areaId === null) continue;
    const cur = out.get(r.areaId);
    if (!cur || r.on > cur.on || (r.on === cur.on && r.id > cur.id)) out.set(r.areaId, { up: n(r.quantity), on: r.on, id: r.id });
  }
  return out;
}

/** A campaign's totals: sums and counts, the same whatever order the records come in. */
export function totals(records: RecordFact[]): Totals {
  const t: Totals = {
    letters: 0, lettersToVillages: 0, lettersToSchools: 0, letterRecords: 0, audioRounds: 0, audioPlays: 0, vanRounds: 0, loudspeakerRounds: 0,
    banners: 0, villagesWithBanners: 0, lectures: 0, attendees: 0, posts: 0, reads: 0,
  };
  for (const r of records) {
    switch (r.kind) {
      case 'letter':
        t.letters += n(r.quantity);
        t.letterRecords += 1;
        if (r.areaId !== null) t.lettersToVillages += n(r.quantity); else t.lettersToSchools += n(r.quantity);
        break;
      case 'audio':
        t.audioRounds += 1;
        t.audioPlays += n(r.quantity);
        if (r.mode === 'van') t.vanRounds += 1; else t.loudspeakerRounds += 1;
        break;
      case 'lecture': t.lectures += 1; t.attendees += n(r.attendance); break;
      case 'wechat': t.posts += 1; t.reads += n(r.reads); break;
    }
  }
  for (const b of latestBanners(records).values()) { t.banners += b.up; if (b.up > 0) t.villagesWithBanners += 1; }
  return t;
}

export interface TargetProgress { key: TargetKey; name: string; unit: string; target: number | null; actual: number; percent: number | null; met: boolean | null }

const ACTUAL: Record<TargetKey, (t: Totals) => number> = {
  letters: (t) => t.letters, lectures: (t) => t.lectures, attendees: (t) => t.attendees, posts: (t) => t.posts, audioRounds: (t) => t.audioRounds,
};

/** Each target with what was done: the percentage (one decimal, may pass 100) when a target above 0 is set. */
export function progress(t: Totals, targets: Targets): TargetProgress[] {
  return TARGET_KEYS.map((key) => {
    const target = typeof targets[key] === 'number' ? targets[key]! : null;
    const actual = ACTUAL[key](t);
    const percent = target !== null && target > 0 ? Math.round((actual / target) * 1000) / 10 : null;
    return { key, ...TARGET_ZH[key], target, actual, percent, met: target === null ? null : actual >= target };
  });
}

export interface VillageInfo { id: number; code: string; name: string; households: number | null; sizeClass: string | null }
export interface VillageRow extends VillageInfo {
  letters: number; audioRounds: number; audioPlays: number; lectures: number; attendance: number;
  bannersUp: number | null; bannersCountedOn: string | null; required: number; basis: Requirement['basis']; status: BannerStatus; note: string | null;
}

/** The per-village table: letters, audio, lectures, and the banner check. */
export function villageTable(villages: VillageInfo[], records: RecordFact[], rule: BannerRule): VillageRow[] {
  const by = new Map<number, { letters: number; audioRounds: number; audioPlays: number; lectures: number; attendance: number }>();
  const get = (id: number) => {
    let v = by.get(id);
    if (!v) by.set(id, (v = { letters: 0, audioRounds: 0, audioPlays: 0, lectures: 0, attendance: 0 }));
    return v;
  };
  for (const r of records) {
    if (r.areaId === null) continue;
    if (r.kind === 'letter') get(r.areaId).letters += n(r.quantity);
    else if (r.kind === 'audio') { const v = get(r.areaId); v.audioRounds += 1; v.audioPlays += n(r.quantity); }
    else if (r.kind === 'lecture') { const v = get(r.areaId); v.lectures += 1; v.attendance += n(r.attendance); }
  }
  const banners = latestBanners(records);
  return villages.map((v) => {
    const req = requiredBanners(rule, v);
    const b = banners.get(v.id);
    const up = b ? b.up : null;
    return {
      ...v, ...(by.get(v.id) ?? { letters: 0, audioRounds: 0, audioPlays: 0, lectures: 0, attendance: 0 }),
      bannersUp: up, bannersCountedOn: b?.on ?? null, required: req.required, basis: req.basis,
      status: bannerStatus(up, req.required, rule.max), note: req.note,
    };
  });
}

/** The most read WeChat post (on a tie, the earlier one), or null when none has a read count. */
export function bestPost<T extends RecordFact>(records: T[]): T | null {
  let best: T | null = null;
  for (const r of records) {
    if (r.kind !== 'wechat' || r.reads === null) continue;
    if (!best || r.reads > best.reads! || (r.reads === best.reads && (r.on < best.on || (r.on === best.on && r.id < best.id)))) best = r;
  }
  return best;
}

/** Letters handed out through schools, by school, most first. */
export function schoolTable(records: RecordFact[]): { place: string; letters: number; records: number }[] {
  const m = new Map<string, { letters: number; records: number }>();
  for (const r of records) {
    if (r.kind !== 'letter' || r.areaId !== null || !r.place) continue;
    const v = m.get(r.place) ?? { letters: 0, records: 0 };
    v.letters += n(r.quantity);
    v.records += 1;
    m.set(r.place, v);
  }
  return [...m].map(([place, v]) => ({ place, ...v })).sort((a, b) => b.letters - a.letters || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
}

/** Whether a campaign over `scopePath` concerns someone whose areas are `roots`: one subtree holds the other. */
export function overlaps(scopePath: string, roots: string[] | 'all'): boolean {
  if (roots === 'all') return true;
  return roots.some((p) => p.startsWith(scopePath) || scopePath.startsWith(p));
}
