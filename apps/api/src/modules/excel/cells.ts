// Pure cell parsing for the Excel import: what a person types (or Excel stores) → typed values.
// Every parser returns either a value or a message in Chinese that names what was received.
import {
  LEVELS, RESPONSIBILITY_KINDS, ROLES, SIZE_CLASS_ZH, SIZE_CLASSES,
  type LevelKey, type ResponsibilityKind, type RoleKey, type SizeClass,
} from '../../../../../packages/shared/src/mechanism.js';
import { isIsoDate } from '../../lib/dates.js';

export interface Problem { row: number; column: string; message: string }
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** The text a cell shows: strings trimmed, whole numbers without ".0", rich text joined, formulas by result. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\u00a0/g, ' ').trim();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('').trim();
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v).trim();
}

/** A code cell: digits (and D for districts). Numbers above 15 digits were already rounded by Excel. */
export function parseCode(v: unknown): Parsed<string> {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    return fail(`代码 ${cellText(v)} 是数字格式，超过 15 位的数字已被 Excel 改动：请把该列设为“文本”后重新填写`);
  }
  const s = cellText(v).replace(/\s+/g, '').toUpperCase();
  if (s && !/^[0-9A-Z]{1,30}$/.test(s)) return fail(`代码只能包含数字（管区为 镇代码+D+2 位数字），收到 "${cellText(v)}"`);
  return ok(s);
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

export function parseLevel(text: string): LevelKey | null {
  const t = norm(text);
  return LEVELS.find((l) => l.zh === t || l.key === t || l.en.toLowerCase() === t)?.key ?? null;
}

export function parseRole(text: string): RoleKey | null {
  const t = norm(text);
  return ROLES.find((r) => r.zh === t || r.key === t)?.key ?? null;
}

export function parseKind(text: string): ResponsibilityKind | null {
  const t = norm(text);
  return RESPONSIBILITY_KINDS.find((k) => k.zh === t || k.key === t)?.key ?? null;
}

export function parseSize(v: unknown): Parsed<SizeClass | null> {
  const t = norm(cellText(v));
  if (!t) return ok(null);
  for (const s of SIZE_CLASSES) {
    if (t === s || t === SIZE_CLASS_ZH[s] || t === `${SIZE_CLASS_ZH[s]}型` || t === `${SIZE_CLASS_ZH[s]}村`) return ok(s);
  }
  return fail(`规模应为 小 / 中 / 大，收到 "${cellText(v)}"`);
}

export function parseYesNo(v: unknown): Parsed<boolean> {
  if (typeof v === 'boolean') return ok(v);
  const t = norm(cellText(v));
  if (['', '否', 'n', 'no', 'false', '0', '×', 'x'].includes(t)) return ok(false);
  if (['是', 'y', 'yes', 'true', '1', '√', '✓'].includes(t)) return ok(true);
  return fail(`应填 是 或 否，收到 "${cellText(v)}"`);
}

/** Population or households: empty, or a whole number 0 … 100 000 000 (thousands separators allowed). */
export function parseCount(v: unknown): Parsed<number | null> {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 0 && v <= 100_000_000 ? ok(v) : fail(`应为非负整数，收到 ${cellText(v)}`);
  }
  const t = cellText(v).replace(/[,，\s]/g, '');
  if (!t) return ok(null);
  if (!/^\d{1,9}$/.test(t) || Number(t) > 100_000_000) return fail(`应为非负整数，收到 "${cellText(v)}"`);
  return ok(Number(t));
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date: a real Excel date, an Excel serial number, or text 2026-03-01 / 2026/3/1 / 2026.3.1 / 2026年3月1日. */
export function parseDate(v: unknown): Parsed<string | null> {
  if (v === null || v === undefined) return ok(null);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail('不是有效日期');
    return ok(v.toISOString().slice(0, 10));
  }
  if (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v)) return parseDate((v as { result?: unknown }).result ?? null);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 1 || v >= 2_958_466) return fail(`日期应为 YYYY-MM-DD，收到 ${v}`);
    return ok(new Date(EXCEL_EPOCH + Math.floor(v) * 86_400_000).toISOString().slice(0, 10));
  }
  const t = cellText(v);
  if (!t) return ok(null);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : t;
  if (!isIsoDate(iso)) return fail(`日期应为 YYYY-MM-DD（如 2026-03-01），收到 "${t}"`);
  return ok(iso);
}

export const USERNAME = /^[A-Za-z0-9_.\-\u4e00-\u9fa5]{2,40}$/;
export const PHONE = /^[0-9+\- ]{5,20}$/;

/** "第 3 行「角色」：未知角色 '队长'；…（共 N 处）" — the first few problems, and how many there are. */
export function summarize(problems: Problem[], show = 5): string {
  const head = problems.slice(0, show).map((p) => `第 ${p.row} 行${p.column ? `「${p.column}」` : ''}：${p.message}`).join('；');
  return problems.length > show ? `${head}；…（共 ${problems.length} 处）` : `${head}（共 ${problems.length} 处）`;
}
