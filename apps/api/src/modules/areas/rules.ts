// Rules of the grid network, as pure functions: which level may sit under which, and how a
// child's code extends its parent's (village 12 digits → grid +3 → micro-grid +3).
import type { LevelKey } from '../../../../../packages/shared/src/mechanism.js';
import { ALLOWED_PARENTS, LEVEL_BY_KEY } from '../../../../../packages/shared/src/mechanism.js';

export { ALLOWED_PARENTS };
import { pinyin } from 'pinyin-pro';

/** Levels that may stand at the top of an install (no parent). */
export const ROOT_LEVELS: LevelKey[] = ['province', 'city', 'county', 'town'];

export const CODE_PATTERN: Record<LevelKey, RegExp> = {
  province: /^\d{2}$/,
  city: /^\d{4}$/,
  county: /^\d{6}$/,
  town: /^\d{9}$/,
  district: /^\d{9}D\d{2}$/, // 管区 have no national code: town code + D + 2 digits
  village: /^\d{12}$/,
  grid: /^\d{15}$/,
  micro_grid: /^\d{18}$/,
};

export const CODE_HINT: Record<LevelKey, string> = {
  province: '2 位数字', city: '4 位数字', county: '6 位数字', town: '9 位数字',
  district: '镇代码 + D + 2 位数字，如 370321107D01', village: '12 位数字', grid: '村代码 + 3 位数字（15 位）',
  micro_grid: '网格代码 + 3 位数字（18 位）',
};

export interface ParentInfo { level: LevelKey; code: string; nationalCode: string }

/** The code a child's code must start with: the nearest ancestor that has a national code. */
export function codePrefixFor(parent: ParentInfo | null): string {
  if (!parent) return '';
  return parent.level === 'district' ? parent.code.slice(0, 9) : parent.code;
}

export function checkPlacement(level: LevelKey, parentLevel: LevelKey | null): string | null {
  if (parentLevel === null) {
    return ROOT_LEVELS.includes(level) ? null
      : `${LEVEL_BY_KEY[level].zh}必须有上级（${ALLOWED_PARENTS[level].map((l) => LEVEL_BY_KEY[l].zh).join('或')}）`;
  }
  if (!ALLOWED_PARENTS[level].includes(parentLevel)) {
    const ok = ALLOWED_PARENTS[level].map((l) => LEVEL_BY_KEY[l].zh).join('或') || '无';
    return `${LEVEL_BY_KEY[level].zh}不能放在${LEVEL_BY_KEY[parentLevel].zh}之下，上级应为：${ok}`;
  }
  return null;
}

export function checkCode(level: LevelKey, code: string, parent: ParentInfo | null): string | null {
  if (!CODE_PATTERN[level].test(code)) return `${LEVEL_BY_KEY[level].zh}代码格式应为${CODE_HINT[level]}，收到 "${code}"`;
  const prefix = codePrefixFor(parent);
  if (prefix && !code.startsWith(prefix)) return `代码 ${code} 应以上级代码 ${prefix} 开头`;
  return null;
}

/** Next free child code: parent prefix + the lowest unused number (3 digits, or 2 for districts). */
export function nextChildCode(level: LevelKey, parent: ParentInfo, taken: Iterable<string>): string {
  const prefix = level === 'district' ? `${parent.code.slice(0, 9)}D` : codePrefixFor(parent);
  const width = level === 'district' ? 2 : 3;
  const used = new Set<number>();
  for (const c of taken) if (c.startsWith(prefix) && c.length === prefix.length + width) used.add(Number(c.slice(prefix.length)));
  for (let n = 1; n < 10 ** width; n++) if (!used.has(n)) return prefix + String(n).padStart(width, '0');
  throw new Error(`no free code under ${parent.code}`);
}

/** The county a code belongs to (first 6 digits), the key for partitioning facts later. */
export const countyOf = (code: string) => (/^\d{6}/.test(code) ? code.slice(0, 6) : null);

/** Search text: the name, its pinyin and initials, so 毛家村 is found by "mjc" or "maojia". */
export function searchText(name: string): string {
  const full = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
  return `${name.toLowerCase()} ${full} ${initials}`;
}

/** Short display name from the official one: 毛家村委会 → 毛家村, 多福巷社区居委会 → 多福巷社区. */
export function displayName(official: string): string {
  if (official.endsWith('村委会')) return official.slice(0, -2);
  if (official.endsWith('村民委员会')) return official.slice(0, -4);
  if (official.endsWith('社区居委会')) return official.slice(0, -3);
  if (official.endsWith('居委会')) return `${official.slice(0, -3)}社区`;
  if (official.endsWith('居民委员会')) return `${official.slice(0, -5)}社区`;
  return official;
}

export interface Polygonish { type: string; coordinates: unknown }

/** A boundary is a GeoJSON Polygon or MultiPolygon in longitude/latitude with closed rings. */
export function checkBoundary(b: unknown): string | null {
  if (b === null || b === undefined) return null;
  const g = b as Polygonish;
  if (typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return '边界应为 GeoJSON Polygon 或 MultiPolygon';
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (!Array.isArray(polys) || polys.length === 0) return '边界没有坐标';
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) return '边界的多边形没有环';
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return '边界的每个环至少需要 4 个点（首尾相同）';
      for (const pt of ring as unknown[]) {
        if (!Array.isArray(pt) || pt.length < 2 || typeof pt[0] !== 'number' || typeof pt[1] !== 'number'
          || Math.abs(pt[0]) > 180 || Math.abs(pt[1]) > 90) return '边界坐标应为 [经度, 纬度]';
      }
      const a = ring[0] as number[]; const z = ring[ring.length - 1] as number[];
      if (a[0] !== z[0] || a[1] !== z[1]) return '边界的环必须闭合（首尾坐标相同）';
    }
  }
  return null;
}
