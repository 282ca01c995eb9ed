// The grid network's rules: create, edit, move (with history), archive; every change audited.
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { todayInChina } from '../../lib/dates.js';
import { LEVEL_BY_KEY, SIZE_CLASSES, type LevelKey } from '../../../../../packages/shared/src/mechanism.js';
import { assertManage, assertRead, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as repo from './areas.repository.js';
import type { AreaRow } from './areas.repository.js';
import { checkBoundary, checkCode, checkPlacement, countyOf, nextChildCode, searchText } from './rules.js';

export const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

function publicArea(a: AreaRow) {
  return {
    id: a.id, code: a.code, name: a.name, officialName: a.officialName, level: a.level, parentId: a.parentId,
    depth: a.depth, population: a.population, households: a.households, sizeClass: a.sizeClass, isKey: a.isKey,
    hasBoundary: a.boundary != null, demo: a.demo, archived: a.archivedAt != null, version: a.version,
    childCount: Number(a.childCount ?? 0),
  };
}
export type PublicArea = ReturnType<typeof publicArea>;

async function mustFind(db: Db, id: number): Promise<AreaRow> {
  const a = await repo.findById(db, id);
  if (!a) throw notFound(`区域 ${id} 不存在 (no such area)`);
  return a;
}

export async function topAreas(db: Db, actor: Actor) {
  return (await repo.listTop(db, readRoots(actor))).map(publicArea);
}

export async function children(db: Db, actor: Actor, id: number, includeArchived = false) {
  const a = await mustFind(db, id);
  assertRead(actor, a.path);
  return (await repo.listChildren(db, id, includeArchived)).map(publicArea);
}

export async function getArea(db: Db, actor: Actor, id: number) {
  const a = await mustFind(db, id);
  assertRead(actor, a.path);
  const ancestors = (await repo.listByIds(db, pathIds(a.path).slice(0, -1)))
    .map((x) => ({ id: x.id, code: x.code, name: x.name, level: x.level }));
  return { ...publicArea(a), boundary: a.boundary ?? null, ancestors, moves: await repo.listMoves(db, id) };
}

export async function searchAreas(db: Db, actor: Actor, q: string, level: string | null, limit = 50) {
  const needle = q.trim();
  if (needle.length === 0) throw badInput('请输入要搜索的名称、拼音或代码 (q is empty)', [{ field: 'q', message: 'empty' }]);
  if (level && !(level in LEVEL_BY_KEY)) throw badInput(`未知层级 "${level}"`, [{ field: 'level', message: 'unknown level' }]);
  const list = await repo.search(db, needle, readRoots(actor), level, Math.min(Math.max(limit, 1), 200));
  const ancestorIds = [...new Set(list.flatMap((a) => pathIds(a.path).slice(0, -1)))];
  const names = new Map((await repo.listByIds(db, ancestorIds)).map((x) => [x.id, x.name]));
  return list.map((a) => ({ ...publicArea(a), trail: pathIds(a.path).slice(0, -1).map((i) => names.get(i) ?? '').join(' / ') }));
}

export interface AreaInput {
  parentId: number | null;
  level: LevelKey;
  code?: string;
  name: string;
  population?: number | null;
  households?: number | null;
  sizeClass?: string | null;
  isKey?: boolean;
  boundary?: unknown;
}

function checkAttributes(input: { name?: string; population?: number | null; households?: number | null; sizeClass?: string | null; boundary?: unknown }) {
  const details = [];
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 100)) details.push({ field: 'name', message: '名称不能为空，且不超过 100 字' });
  for (const f of ['population', 'households'] as const) {
    const v = input[f];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0 || v > 100_000_000)) details.push({ field: f, message: `${f === 'population' ? '人口' : '户数'}应为非负整数` });
  }
  if (input.sizeClass !== undefined && input.sizeClass !== null && !(SIZE_CLASSES as readonly string[]).includes(input.sizeClass)) {
    details.push({ field: 'sizeClass', message: `规模应为 ${SIZE_CLASSES.join(' / ')}` });
  }
  const b = checkBoundary(input.boundary);
  if (b) details.push({ field: 'boundary', message: b });
  if (details.length) throw badInput(details.map((d) => d.message).join('；'), details);
}

export async function createArea(db: Db, actor: Actor, input: AreaInput) {
  if (!(input.level in LEVEL_BY_KEY)) throw badInput(`未知层级 "${input.level}"`, [{ field: 'level', message: 'unknown level' }]);
  checkAttributes(input);
  try {
    return await db.transaction(async (tx) => {
      const parent = input.parentId == null ? null : await repo.findByIdForUpdate(tx, input.parentId);
      if (input.parentId != null && !parent) throw badInput(`上级区域 ${input.parentId} 不存在`, [{ field: 'parentId', message: 'no such area' }]);
      if (parent) assertManage(actor, parent.path, `上级区域“${parent.name}”`);
      else assertManage(actor, '/', '顶级区域');
      if (parent?.archivedAt) throw conflict('PARENT_ARCHIVED', `上级区域“${parent.name}”已归档，不能在其下新建`);
      const placement = checkPlacement(input.level, parent?.level ?? null);
      if (placement) throw badInput(placement, [{ field: 'parentId', message: placement }]);
      const parentInfo = parent ? { level: parent.level, code: parent.code, nationalCode: parent.code } : null;
      const code = input.code?.trim() || (parentInfo ? nextChildCode(input.level, parentInfo, await repo.childCodes(tx, parent!.id)) : '');
      const codeError = checkCode(input.level, code, parentInfo);
      if (codeError) throw badInput(codeError, [{ field: 'code', message: codeError }]);
      if (await repo.findByCode(tx, code)) throw conflict('DUPLICATE_CODE', `代码 ${code} 已被使用 (duplicate code)`, [{ field: 'code', message: 'duplicate' }]);
      const id = await repo.nextId(tx);
      const row: repo.NewArea = {
        id, code, name: input.name.trim(), officialName: null, level: input.level, parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`, depth: (parent?.depth ?? -1) + 1, countyCode: countyOf(code),
        population: input.population ?? null, households: input.households ?? null, sizeClass: input.sizeClass ?? null,
        isKey: input.isKey ?? false, boundary: input.boundary ?? null, search: searchText(input.name.trim()), demo: false,
      };
      await repo.insertAreas(tx, [row]);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'area.create', entity: 'area', entityId: id, after: { ...row, search: undefined }, areaPath: row.path });
      return publicArea((await repo.findById(tx, id))!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('DUPLICATE_CODE', `代码 ${input.code} 已被使用 (duplicate code)`, [{ field: 'code', message: 'duplicate' }]);
    throw e;
  }
}

export async function updateArea(db: Db, actor: Actor, id: number, patch: repo.AreaPatch & { version?: number }) {
  checkAttributes(patch);
  return db.transaction(async (tx) => {
    const a = await repo.findByIdForUpdate(tx, id);
    if (!a) throw notFound(`区域 ${id} 不存在 (no such area)`);
    assertManage(actor, a.path, `区域“${a.name}”`);
    if (patch.version !== undefined && patch.version !== a.version) {
      throw conflict('STALE', `区域“${a.name}”已被他人修改，请刷新后再改 (changed by someone else)`);
    }
    const clean: repo.AreaPatch = {};
    for (const k of ['name', 'population', 'households', 'sizeClass', 'isKey', 'boundary'] as const) {
      if (patch[k] !== undefined) (clean as Record<string, unknown>)[k] = k === 'name' ? patch.name!.trim() : patch[k];
    }
    if (clean.name) clean.search = searchText(clean.name);
    await repo.updateArea(tx, id, clean);
    const before = Object.fromEntries(Object.keys(clean).filter((k) => k !== 'search').map((k) => [k, (a as unknown as Record<string, unknown>)[k]]));
    const after = { ...clean, search: undefined };
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'area.update', entity: 'area', entityId: id, before, after, areaPath: a.path });
    return publicArea((await repo.findById(tx, id))!);
  });
}

export async function moveArea(db: Db, actor: Actor, id: number, newParentId: number, note: string | null) {
  return db.transaction(async (tx) => {
    const a = await repo.findByIdForUpdate(tx, id);
    if (!a) throw notFound(`区域 ${id} 不存在 (no such area)`);
    const target = await repo.findByIdForUpdate(tx, newParentId);
    if (!target) throw badInput(`目标上级 ${newParentId} 不存在`, [{ field: 'parentId', message: 'no such area' }]);
    assertManage(actor, a.path, `区域“${a.name}”`);
    assertManage(actor, target.path, `目标区域“${target.name}”`);
    if (target.path.startsWith(a.path)) {
      throw conflict('MOVE_CYCLE', `不能把“${a.name}”移到它自己或它的下级“${target.name}”之下（会形成环）`);
    }
    if (a.parentId === target.id) throw conflict('MOVE_SAME_PARENT', `“${a.name}”已在“${target.name}”之下`);
    const placement = checkPlacement(a.level, target.level);
    if (placement) throw badInput(placement, [{ field: 'parentId', message: placement }]);
    if (target.archivedAt) throw conflict('MOVE_STRANDS_RECORDS', `目标“${target.name}”已归档：移入后“${a.name}”及其记录将无人可见`);
    // A code extends its parent's: a grid cannot change village, a village cannot change town,
    // without a new code. Such a move would leave its records under a code that lies about them.
    const checkOld = checkCode(a.level, a.code, { level: target.level, code: target.code, nationalCode: target.code });
    if (checkOld) {
      throw conflict('MOVE_STRANDS_RECORDS', `“${a.name}”的代码 ${a.code} 不属于“${target.name}”（${target.code}）：跨村/跨镇移动会使其记录与代码不符，请在目标下新建区域`);
    }
    const oldPath = a.path;
    const newPath = `${target.path}${a.id}/`;
    await repo.moveSubtree(tx, a.id, target.id, oldPath, newPath);
    await repo.insertMove(tx, { areaId: a.id, fromParentId: a.parentId, toParentId: target.id, fromPath: oldPath, toPath: newPath, actorId: actor.id, note });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'area.move', entity: 'area', entityId: id,
      before: { parentId: a.parentId, path: oldPath }, after: { parentId: target.id, path: newPath, note }, areaPath: newPath });
    return publicArea((await repo.findById(tx, id))!);
  });
}

export async function archiveArea(db: Db, actor: Actor, id: number, archived: boolean) {
  return db.transaction(async (tx) => {
    const a = await repo.findByIdForUpdate(tx, id);
    if (!a) throw notFound(`区域 ${id} 不存在 (no such area)`);
    assertManage(actor, a.path, `区域“${a.name}”`);
    if (archived) {
      const counts = await repo.subtreeRecordCounts(tx, a.path, todayInChina());
      if (Number(counts.active) > 0) {
        throw conflict('HAS_ACTIVE_RESPONSIBILITIES', `“${a.name}”及其下级仍有 ${counts.active} 条在任的责任分工，请先设定结束日期再归档`);
      }
    } else if (a.parentId) {
      const parent = await repo.findById(tx, a.parentId);
      if (parent?.archivedAt) throw conflict('PARENT_ARCHIVED', `上级“${parent.name}”已归档，请先恢复上级`);
    }
    const n = await repo.setArchived(tx, a.path, archived);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: archived ? 'area.archive' : 'area.restore',
      entity: 'area', entityId: id, before: { archived: a.archivedAt != null }, after: { archived, areasChanged: n }, areaPath: a.path });
    return publicArea((await repo.findById(tx, id))!);
  });
}

/** Deletes only an area that never had records; anything with history is archived instead. */
export async function deleteArea(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const a = await repo.findByIdForUpdate(tx, id);
    if (!a) throw notFound(`区域 ${id} 不存在 (no such area)`);
    assertManage(actor, a.path, `区域“${a.name}”`);
    const c = await repo.subtreeRecordCounts(tx, a.path, todayInChina());
    const held = Number(c.descendants) + Number(c.responsibilities) + Number(c.grants) + Number(c.moves) + Number(c.cases) + Number(c.other);
    if (held > 0) {
      throw conflict('HAS_RECORDS', `“${a.name}”有下级区域 ${c.descendants} 个、责任记录 ${c.responsibilities} 条、角色 ${c.grants} 个、移动记录 ${c.moves} 条、案件 ${c.cases} 件、通报、推送或例行任务 ${c.other} 条：有记录的区域不能删除，请归档`);
    }
    await repo.deleteArea(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'area.delete', entity: 'area', entityId: id, before: publicArea(a), areaPath: a.path });
    return { deleted: id };
  });
}

// ---------------------------------------------------------------- boundaries (the map)

export const MAX_BOUNDARY_FEATURES = 20_000;

/** The boundaries of an area's descendants at one level (or the area itself), as GeoJSON. */
export async function boundaries(db: Db, actor: Actor, id: number, level: LevelKey = 'micro_grid') {
  if (!(level in LEVEL_BY_KEY)) throw badInput(`未知层级 "${level}"`, [{ field: 'level', message: 'unknown level' }]);
  const a = await mustFind(db, id);
  assertRead(actor, a.path);
  if (LEVEL_BY_KEY[level].rank < LEVEL_BY_KEY[a.level].rank) {
    throw badInput(`“${a.name}”是${LEVEL_BY_KEY[a.level].zh}级，其下没有${LEVEL_BY_KEY[level].zh}级区域：请选 ${LEVEL_BY_KEY[a.level].zh} 或更低的层级 (level above the area)`,
      [{ field: 'level', message: 'above the area' }]);
  }
  const r = await repo.boundariesUnder(db, a.path, level, MAX_BOUNDARY_FEATURES);
  return {
    type: 'FeatureCollection' as const,
    // Foreign members (RFC 7946 §6.1): how many areas at the level exist, and how many lack a boundary.
    level, total: r.total, withoutBoundary: r.without, truncated: r.total - r.without > r.list.length,
    features: r.list.map((x) => ({
      type: 'Feature' as const, id: x.id, geometry: x.boundary,
      properties: { id: x.id, code: x.code, name: x.name, level: x.level },
    })),
  };
}
