// The daily bulletin (每天通报) as pure functions: the day's window in China time, the measures'
// definitions, how per-area counts roll up into village, district and total rows, who answers
// for an overdue case, and the rules for issuing a version. The SQL only fetches the counts.
import { badInput } from '../../lib/errors.js';
import { isIsoDate } from '../../lib/dates.js';
import type { LevelKey } from '../../../../../packages/shared/src/mechanism.js';

// ------------------------------------------------------------------ the content's shape

/** One line of the table: a district, a village, the 镇直属 group or the total. */
export interface BulletinRow {
  /** null for the 镇直属 group (villages directly under the town: not an area of its own) */
  areaId: number | null;
  code: string | null;
  name: string;
  /** reported on the day, not refused */
  new: number;
  /** closed on the day (整改完成) */
  fixed: number;
  /** registered, not fixed and past due at the end of the day */
  overdue: number;
  /** rework steps on the day */
  reworked: number;
  /** closed on the day (the on-time rate's denominator; equal to `fixed`) */
  closed: number;
  /** of those, fixed no later than due */
  closedOnTime: number;
  /** closedOnTime / closed, 4 decimals; null when nothing was closed */
  onTimeRate: number | null;
  /** closed from the 1st of the month to the day, and of those on time */
  closedMonth: number;
  closedOnTimeMonth: number;
  onTimeRateMonth: number | null;
}

export interface BulletinGroup { district: BulletinRow; villages: BulletinRow[] }

export interface Person { userId: number | null; name: string }

export interface OverdueItem {
  caseId: number;
  no: string;
  categoryName: string;
  areaId: number;
  areaName: string;
  districtName: string | null;
  villageName: string | null;
  gridName: string | null;
  microGridName: string | null;
  /** the description, shortened */
  description: string;
  reportedAt: string;
  dueAt: string;
  /** working hours between the due time and the end of the day (working calendar) */
  overdueWorkHours: number;
  /** the same as text: 2个工作日3.5小时 */
  overdueText: string;
  /** calendar days between the due time and the end of the day, 1 decimal */
  overdueDays: number;
  assignee: Person | null;
  gridWorker: Person | null;
  villageLeader: Person | null;
  districtOffice: Person | null;
}

export interface BulletinContent {
  scope: { id: number; name: string; code: string; level: string };
  day: string;
  generatedAt: string;
  totals: BulletinRow;
  groups: BulletinGroup[];
  overdue: OverdueItem[];
  definitions: Record<string, string>;
}

export const DEFINITIONS: Record<string, string> = {
  new: '新发现：当日上报、未被“不予立案”的问题数。',
  fixed: '整改完成：当日结案（核查通过）的问题数。',
  overdue: '超期未改：截至当日 24 时已立案、尚未整改完成（未反馈整改且未结案）且已过整改期限的问题数。',
  reworked: '返工：当日核查不合格、退回返工的次数。',
  closed: '当日结案：当日结案的问题数（按期率的分母）。',
  closedOnTime: '其中按期：当日结案的问题中，整改反馈时间不晚于期限的问题数。',
  onTimeRate: '按期率：当日结案问题中按期整改的比例；当日无结案时为空。',
  onTimeRateMonth: '本月按期率：本月 1 日至当日结案问题中按期整改的比例；无结案时为空。',
  overdueBy: '超期时长：整改期限至当日 24 时之间的工作时间（按工作日历，节假日、周末不计，调休上班日计入）；另列自然日。',
  scope: '统计范围：本镇（或管区）所辖各管区、各村及其网格、微网格内的问题；直属于镇的村列入“镇直属”。',
};

export const DIRECT_GROUP_NAME = '镇直属';
export const TOTAL_NAME = '合计';

// ------------------------------------------------------------------ days

const DAY_MS = 86_400_000;

/** The day's window in China time: [start, end), and the 1st of its month. The end is 24:00 of the day. */
export function dayWindow(day: string): { start: Date; end: Date; monthStart: Date } {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  return { start: new Date(start), end: new Date(start + DAY_MS), monthStart: new Date(Date.parse(`${day.slice(0, 7)}-01T00:00:00+08:00`)) };
}

/** The earliest day a bulletin may be for (the working calendar starts in 2000 too). */
export const MIN_DAY = '2000-01-01';

/** A day given by a user: a real date from MIN_DAY on, not in the future (today in China is allowed). */
export function checkDay(day: unknown, today: string, field = 'day'): string {
  if (typeof day !== 'string' || !isIsoDate(day)) {
    throw badInput(`日期应写作 YYYY-MM-DD，收到 "${String(day)}" (bad date)`, [{ field, message: 'YYYY-MM-DD' }]);
  }
  if (day < MIN_DAY) {
    throw badInput(`日期 ${day} 太早：通报从 ${MIN_DAY} 起 (the day is too early)`, [{ field, message: `from ${MIN_DAY}` }]);
  }
  if (day > today) {
    throw badInput(`不能为未来的日期 ${day} 出通报，今天是 ${today} (the day is in the future)`, [{ field, message: 'in the future' }], 'FUTURE_DAY');
  }
  return day;
}

/** A date-time as China wall-clock text: 2026-03-10 09:05. */
export function chinaTime(iso: string | Date | null): string {
  if (iso === null) return '';
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// ------------------------------------------------------------------ rows

export interface ScopeArea {
  id: number; code: string; name: string; level: LevelKey | string; parentId: number | null; path: string; archived: boolean;
}

/** Counts of the cases whose own area has this path (one entry per area that has any). */
export interface AreaCounts {
  path: string;
  new: number; closed: number; closedOnTime: number; closedMonth: number; closedOnTimeMonth: number; overdue: number; reworked: number;
}

type Tally = Omit<AreaCounts, 'path'>;
const zero = (): Tally => ({ new: 0, closed: 0, closedOnTime: 0, closedMonth: 0, closedOnTimeMonth: 0, overdue: 0, reworked: 0 });
const add = (t: Tally, c: Tally) => { for (const k of Object.keys(t) as (keyof Tally)[]) t[k] += c[k]; };
const anyCount = (t: Tally) => Object.values(t).some((v) => v > 0);

/** A share with 4 decimals; null when there is nothing to share out. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

function toRow(a: { areaId: number | null; code: string | null; name: string }, t: Tally): BulletinRow {
  return {
    areaId: a.areaId, code: a.code, name: a.name,
    new: t.new, fixed: t.closed, overdue: t.overdue, reworked: t.reworked,
    closed: t.closed, closedOnTime: t.closedOnTime, onTimeRate: rate(t.closedOnTime, t.closed),
    closedMonth: t.closedMonth, closedOnTimeMonth: t.closedOnTimeMonth, onTimeRateMonth: rate(t.closedOnTimeMonth, t.closedMonth),
  };
}

export const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

/**
 * Rolls the per-area counts up into the table. A town's groups are its districts in code order,
 * each with its villages, then 镇直属 for villages directly under the town; a district's one
 * group is itself. Every case counts in the total; a case on a district (or the town) itself and
 * not in a village counts in the district row (or only the total). Archived districts and
 * villages show only when they have something to count.
 */
export function buildTable(scope: ScopeArea, areas: ScopeArea[], counts: AreaCounts[]): { totals: BulletinRow; groups: BulletinGroup[] } {
  const inScope = areas.filter((a) => a.path.startsWith(scope.path) && a.id !== scope.id);
  const byId = new Map(inScope.map((a) => [a.id, a]));
  const tallies = new Map<number | 'direct', Tally>();
  const tallyOf = (k: number | 'direct') => { let t = tallies.get(k); if (!t) tallies.set(k, (t = zero())); return t; };
  const total = zero();

  const districtOf = (ids: number[]) => ids.map((i) => byId.get(i)).find((a) => a?.level === 'district');
  const villageOf = (ids: number[]) => ids.map((i) => byId.get(i)).find((a) => a?.level === 'village');
  for (const c of counts) {
    if (!c.path.startsWith(scope.path)) continue;
    const ids = pathIds(c.path);
    add(total, c);
    const v = villageOf(ids);
    const d = districtOf(ids);
    if (v) add(tallyOf(v.id), c);
    if (d) add(tallyOf(d.id), c);
    else if (v && scope.level !== 'district') add(tallyOf('direct'), c);
  }

  const shown = (a: ScopeArea) => !a.archived || anyCount(tallies.get(a.id) ?? zero());
  const byCode = (x: ScopeArea, y: ScopeArea) => (x.code < y.code ? -1 : x.code > y.code ? 1 : x.id - y.id);
  const villages = inScope.filter((a) => a.level === 'village' && shown(a)).sort(byCode);
  const rowOf = (a: ScopeArea) => toRow({ areaId: a.id, code: a.code, name: a.name }, tallies.get(a.id) ?? zero());
  const under = (d: ScopeArea) => villages.filter((v) => districtOf(pathIds(v.path)) === d);

  const groups: BulletinGroup[] = [];
  if (scope.level === 'district') {
    groups.push({ district: toRow({ areaId: scope.id, code: scope.code, name: scope.name }, total), villages: villages.map(rowOf) });
  } else {
    for (const d of inScope.filter((a) => a.level === 'district' && shown(a)).sort(byCode)) {
      groups.push({ district: rowOf(d), villages: under(d).map(rowOf) });
    }
    const direct = villages.filter((v) => !districtOf(pathIds(v.path)));
    if (direct.length > 0 || tallies.has('direct')) {
      groups.push({ district: toRow({ areaId: null, code: null, name: DIRECT_GROUP_NAME }, tallies.get('direct') ?? zero()), villages: direct.map(rowOf) });
    }
  }
  return { totals: toRow({ areaId: scope.id, code: scope.code, name: TOTAL_NAME }, total), groups };
}

// ------------------------------------------------------------------ overdue cases

/** Working hours as text: 2个工作日3.5小时, 6工作小时, 不足0.1工作小时 (a workday has `hoursPerDay` hours). */
export function overdueText(workHours: number, hoursPerDay: number): string {
  const h = Math.max(0, workHours);
  if (h < 0.05) return '不足0.1工作小时';
  const days = Math.floor((h + 1e-9) / hoursPerDay);
  const rest = Math.round((h - days * hoursPerDay) * 10) / 10;
  const restText = Number.isInteger(rest) ? String(rest) : rest.toFixed(1);
  if (days === 0) return `${restText}工作小时`;
  return rest >= 0.1 ? `${days}个工作日${restText}小时` : `${days}个工作日`;
}

/**
 * Working hours from each due time to `end` (a day's 24:00), for many due times at once: the
 * working time of every whole day is asked once and summed from the end, so a case overdue for a
 * year costs one partial day, not a year of days. `between` is the calendar's working-time function.
 */
export function hoursUntil(end: Date, between: (a: Date, b: Date) => number): (due: Date) => number {
  const CHINA = 8 * 3600_000;
  const dayStart = (t: number) => Math.floor((t + CHINA) / DAY_MS) * DAY_MS - CHINA;
  const endMs = end.getTime();
  const suffix = new Map<number, number>([[dayStart(endMs), 0]]); // hours from a day's 00:00 to the end
  let earliest = dayStart(endMs);
  const from = (start: number): number => {
    while (earliest > start) {
      const prev = earliest - DAY_MS;
      suffix.set(prev, suffix.get(earliest)! + between(new Date(prev), new Date(Math.min(earliest, endMs))));
      earliest = prev;
    }
    return suffix.get(start)!;
  };
  return (due: Date) => {
    const t = due.getTime();
    if (t >= endMs) return 0;
    const next = dayStart(t) + DAY_MS;
    return next >= endMs ? between(due, end) : between(due, new Date(next)) + from(next);
  };
}

/** Calendar days between two instants, 1 decimal. */
export const calendarDays = (from: Date, to: Date) => Math.round(((to.getTime() - from.getTime()) / DAY_MS) * 10) / 10;

/** A description for a list: whitespace collapsed, cut at `max` characters with an ellipsis. */
export function shortText(s: string, max = 50): string {
  const t = s.replace(/\s+/g, ' ').trim();
  const chars = [...t];
  return chars.length <= max ? t : `${chars.slice(0, max - 1).join('')}…`;
}

export interface Responsibility { kind: string; areaId: number; userId: number | null; userName: string | null; holderName: string | null }

/**
 * Who answers for a case: the grid worker of its grid, the leader assigned to its village and the
 * office supervising its district, each the holder nearest the case on its chain of areas
 * (ancestors-or-self, nearest first).
 */
export function pickAnswerable(chain: number[], byArea: ReadonlyMap<number, Responsibility[]>): { gridWorker: Person | null; villageLeader: Person | null; districtOffice: Person | null } {
  const first = (kind: string): Person | null => {
    for (const id of chain) {
      const r = (byArea.get(id) ?? []).find((x) => x.kind === kind);
      if (r) return { userId: r.userId, name: r.userName ?? r.holderName ?? '' };
    }
    return null;
  };
  return { gridWorker: first('grid_worker_grid'), villageLeader: first('leader_village'), districtOffice: first('office_district') };
}

// ------------------------------------------------------------------ issuing

/** Whether one of the grants that carry the duty to issue (bulletin.issue: who) is on the scope area or above it (where). */
export function mayIssue(grants: { roleKey: string; areaPath: string | null; canWrite: boolean }[], scopePath: string): boolean {
  return grants.some((g) => g.canWrite && (g.areaPath === null || scopePath.startsWith(g.areaPath)));
}

/** A bulletin covers a town or one district. */
export function checkScopeLevel(level: string, name: string): void {
  if (level !== 'town' && level !== 'district') {
    throw badInput(`通报按镇或管区出具，“${name}”不是镇或管区 (a bulletin covers a town or a district)`, [{ field: 'areaId', message: 'town or district' }], 'BAD_SCOPE');
  }
}

/**
 * The version an issue creates: the first is 1; any later one is a correction and needs its
 * reason in the note.
 */
export function nextVersion(lastVersion: number, note: string | null | undefined): number {
  const version = lastVersion + 1;
  if (version > 1 && !(note ?? '').trim()) {
    throw badInput(`本日通报已发布第 ${lastVersion} 版；再次发布即为更正（第 ${version} 版），请在“说明”中写明更正原因 (a correction needs a note)`,
      [{ field: 'note', message: 'required for a correction' }], 'NOTE_REQUIRED');
  }
  return version;
}
