// Validating an area list (区域清单) against the network already stored: pure, so every rule is
// unit-tested. Returns all problems row by row, and the plan of writes when there are none.
import { LEVEL_BY_KEY, type LevelKey, type SizeClass } from '../../../../../packages/shared/src/mechanism.js';
import { canManage, canRead, type Actor } from '../access/policy.js';
import { ROOT_LEVELS, checkCode, checkPlacement } from '../areas/rules.js';
import { cellText, parseCode, parseCount, parseLevel, parseSize, parseYesNo, type Problem } from './cells.js';
import type { RawRow } from './workbook.js';
import { nameProblem } from '../../lib/schemas.js';

export interface KnownArea {
  id: number; code: string; name: string; level: LevelKey; parentId: number | null; parentCode: string | null;
  path: string; archived: boolean; population: number | null; households: number | null; sizeClass: string | null; isKey: boolean;
}

export interface AreaAttrs { name: string; population: number | null; households: number | null; sizeClass: SizeClass | null; isKey: boolean }

export type AreaOp =
  | { op: 'create'; row: number; code: string; level: LevelKey; parentCode: string | null } & AreaAttrs
  | { op: 'update'; row: number; id: number; code: string; before: Partial<AreaAttrs>; patch: Partial<AreaAttrs>; moveTo: string | null };

export interface AreaPlan { problems: Problem[]; ops: AreaOp[]; unchanged: number }

const C = { code: '代码', name: '名称', level: '层级', parentCode: '上级代码', population: '人口', households: '户数', sizeClass: '规模', isKey: '重点村' };

interface FileArea { row: number; level: LevelKey | null; name: string; path: string; bad: boolean }

/** Codes a file refers to (its own and its parents'), to load from the database before validating. */
export function referencedAreaCodes(rows: RawRow[]): string[] {
  const s = new Set<string>();
  for (const r of rows) for (const k of ['code', 'parentCode']) {
    const c = parseCode(r.cells[k]);
    if (c.ok && c.value) s.add(c.value);
  }
  return [...s];
}

export function validateAreas(rows: RawRow[], known: Map<string, KnownArea>, actor: Actor,
  progress?: (done: number, total: number) => void): AreaPlan {
  const problems: Problem[] = [];
  const ops: AreaOp[] = [];
  let unchanged = 0;
  const fileAreas = new Map<string, FileArea>();
  const firstRowOf = new Map<string, number>();
  for (const r of rows) {
    const c = parseCode(r.cells.code);
    if (c.ok && c.value && !firstRowOf.has(c.value)) firstRowOf.set(c.value, r.row);
  }

  for (const [i, { row, cells }] of rows.entries()) {
    if (progress && i % 500 === 0) progress(i, rows.length);
    const before = problems.length;
    const p = (column: string, message: string) => problems.push({ row, column, message });

    const codeP = parseCode(cells.code);
    const code = codeP.ok ? codeP.value : '';
    if (!codeP.ok) p(C.code, codeP.message);
    else if (!code) p(C.code, '必填');
    const name = cellText(cells.name);
    if (!name) p(C.name, '必填');
    else if (name.length > 100) p(C.name, '名称不超过 100 字');
    else if (nameProblem(name)) p(C.name, nameProblem(name)!);
    const levelText = cellText(cells.level);
    const level = levelText ? parseLevel(levelText) : null;
    if (!levelText) p(C.level, '必填');
    else if (!level) p(C.level, `未知层级 '${levelText}'（可填：${Object.values(LEVEL_BY_KEY).map((l) => l.zh).join('、')}）`);
    const parentP = parseCode(cells.parentCode);
    const parentCode = parentP.ok ? parentP.value : '';
    if (!parentP.ok) p(C.parentCode, parentP.message);
    const population = parseCount(cells.population);
    if (!population.ok) p(C.population, population.message);
    const households = parseCount(cells.households);
    if (!households.ok) p(C.households, households.message);
    const size = parseSize(cells.sizeClass);
    if (!size.ok) p(C.sizeClass, size.message);
    const isKey = parseYesNo(cells.isKey);
    if (!isKey.ok) p(C.isKey, isKey.message);

    if (code && firstRowOf.get(code) !== row) {
      p(C.code, `代码 ${code} 与第 ${firstRowOf.get(code)} 行重复`);
      continue;
    }
    if (parentCode && parentCode === code) { p(C.parentCode, '上级代码不能是本行自己的代码'); continue; }
    if (!code) continue;
    const attrs: AreaAttrs = {
      name, population: population.ok ? population.value : null, households: households.ok ? households.value : null,
      sizeClass: size.ok ? size.value : null, isKey: isKey.ok ? isKey.value : false,
    };

    // The parent, when one is named: stored, or an earlier row of this file.
    let parent: { level: LevelKey | null; code: string; name: string; path: string; archived: boolean; fromFile: boolean; bad: boolean } | null = null;
    let parentMissing = false;
    const existing = known.get(code);
    if (parentCode && !(existing && existing.parentCode === parentCode)) {
      const f = fileAreas.get(parentCode);
      const k = known.get(parentCode);
      if (f) parent = { level: f.level, code: parentCode, name: f.name, path: f.path, archived: false, fromFile: true, bad: f.bad };
      else if (k) parent = { level: k.level, code: k.code, name: k.name, path: k.path, archived: k.archived, fromFile: false, bad: false };
      else if (firstRowOf.has(parentCode)) { parentMissing = true; p(C.parentCode, `上级 ${parentCode} 在第 ${firstRowOf.get(parentCode)} 行，应放在本行之前`); }
      else { parentMissing = true; p(C.parentCode, `未知的上级代码 ${parentCode}（数据库和本文件中都没有）`); }
      if (parent && !parent.fromFile && !canRead(actor, parent.path)) {
        p(C.parentCode, `上级 ${parentCode} 不在您的区域内`);
        parent = null; parentMissing = true;
      }
    }
    const parentInfo = (x: { level: LevelKey | null; code: string }) => ({ level: x.level!, code: x.code, nationalCode: x.code });

    if (existing) {
      if (!canRead(actor, existing.path)) { p(C.code, `代码 ${code} 已被使用，且不在您的区域内`); continue; }
      if (level && level !== existing.level) {
        p(C.level, `代码 ${code} 已是${LEVEL_BY_KEY[existing.level].zh}“${existing.name}”，不能改为${LEVEL_BY_KEY[level].zh}`);
      }
      const patch: Partial<AreaAttrs> = {};
      const was: Partial<AreaAttrs> = {};
      for (const k of ['name', 'population', 'households', 'sizeClass', 'isKey'] as const) {
        if (attrs[k] !== (existing[k] ?? null)) { (patch as Record<string, unknown>)[k] = attrs[k]; (was as Record<string, unknown>)[k] = existing[k]; }
      }
      let moveTo: string | null = null;
      if (parent && parentCode !== existing.parentCode) {
        moveTo = parentCode;
        const target = parent;
        if (!target.bad && target.level) {
          const placement = checkPlacement(existing.level, target.level);
          if (placement) p(C.parentCode, `不能移动：${placement}`);
          else {
            const codeErr = checkCode(existing.level, existing.code, parentInfo(target));
            if (codeErr) p(C.parentCode, `不能移到“${target.name}”（${target.code}）之下：${codeErr}；跨村/跨镇移动请在目标下新建区域，同一镇内移动请在区域树中使用「移动」`);
          }
        }
        if (target.archived) p(C.parentCode, `目标上级“${target.name}”已归档`);
        if (!target.fromFile && target.path.startsWith(existing.path)) p(C.parentCode, '不能移到自己的下级之下');
        if (!canManage(actor, target.path)) p(C.parentCode, `无权移入“${target.name}”：不在您管理的区域内`);
      }
      const changes = Object.keys(patch).length > 0 || moveTo !== null;
      if (changes) {
        if (!canManage(actor, existing.path)) p(C.code, `无权修改“${existing.name}”（${code}）：不在您管理的区域内`);
        if (existing.archived) p(C.code, `区域“${existing.name}”已归档，不能通过导入修改`);
      }
      fileAreas.set(code, { row, level: existing.level, name: existing.name, path: existing.path, bad: problems.length > before });
      if (problems.length > before) continue;
      if (changes) ops.push({ op: 'update', row, id: existing.id, code, before: was, patch, moveTo });
      else unchanged += 1;
      continue;
    }

    // A new area.
    let path = '/';
    if (!parentCode) {
      if (level && !ROOT_LEVELS.includes(level)) p(C.parentCode, `新建${LEVEL_BY_KEY[level].zh}必须填写上级代码`);
      else if (level && !canManage(actor, '/')) p(C.parentCode, '只有系统管理员可以新建顶级区域');
    } else if (parent) {
      path = `${parent.path}+${code}/`; // not a real path: enough for the access checks of rows below
      if (level && parent.level && !parent.bad) {
        const placement = checkPlacement(level, parent.level);
        if (placement) p(C.parentCode, placement);
        else {
          const codeErr = checkCode(level, code, parentInfo(parent));
          if (codeErr) p(C.code, codeErr);
        }
      }
      if (parent.archived) p(C.parentCode, `上级“${parent.name}”已归档，不能在其下新建`);
      if (!canManage(actor, parent.path)) p(C.parentCode, `上级“${parent.name}”（${parent.code}）不在您管理的区域内`);
    }
    if (level && !parentCode && !ROOT_LEVELS.includes(level)) { /* reported above */ } else if (level && !parentMissing && !parentCode) {
      const codeErr = checkCode(level, code, null);
      if (codeErr) p(C.code, codeErr);
    }
    const bad = problems.length > before;
    fileAreas.set(code, { row, level, name, path, bad });
    if (bad) continue;
    ops.push({ op: 'create', row, code, level: level!, parentCode: parentCode || null, ...attrs });
  }
  progress?.(rows.length, rows.length);
  return { problems, ops, unchanged };
}
