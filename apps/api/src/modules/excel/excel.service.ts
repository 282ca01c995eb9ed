// Excel import and export. An import reads the file, loads the facts it refers to, validates every
// row (pure rules), and only when no row fails writes everything in one transaction, audited.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { DomainError, notFound, type ErrorDetail } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { KIND_BY_KEY, LEVEL_BY_KEY, ROLE_BY_KEY, SIZE_CLASS_ZH, type LevelKey, type ResponsibilityKind, type RoleKey, type SizeClass } from '../../../../../packages/shared/src/mechanism.js';
import { assertRead, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { auditRead, readScopePath } from '../audit/reads.js';
import * as areasRepo from '../areas/areas.repository.js';
import { insertTree } from '../areas/network.service.js';
import { searchText } from '../areas/rules.js';
import * as peopleRepo from '../people/people.repository.js';
import { summarize, type Problem } from './cells.js';
import { referencedAreaCodes, validateAreas, type AreaOp } from './areas.rules.js';
import { referencedRoster, validateRoster } from './roster.rules.js';
import * as repo from './excel.repository.js';
import { AREAS, ROSTER, TEMPLATE_ROWS, readSheet, writeSheet, type Shape } from './workbook.js';

export type Phase = 'read' | 'validate' | 'write';
export interface ImportOptions { dryRun?: boolean; onProgress?: (phase: Phase, done: number, total: number) => void; fileName?: string }

/** Above this many changed entities one summary audit entry replaces the per-entity ones. */
export const PER_ENTITY_AUDIT_MAX = 1000;
const MAX_DETAILS = 2000;

export function importInvalid(problems: Problem[]): DomainError {
  const details: ErrorDetail[] = problems.slice(0, MAX_DETAILS).map((p) => ({ row: p.row, column: p.column, message: p.message }));
  return new DomainError(422, 'IMPORT_INVALID', `导入未执行，没有写入任何数据。${summarize(problems)}`, details);
}

class DryRun extends Error { constructor(readonly result: unknown) { super('dry run'); } }

async function inTransaction<T>(db: Db, dryRun: boolean, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const r = await fn(tx);
      if (dryRun) throw new DryRun(r); // everything was written and checked: now undo it
      return r;
    });
  } catch (e) {
    if (e instanceof DryRun) return e.result as T;
    throw e;
  }
}

/** Runs one write; a database error is reported against the row that caused it. */
async function atRow<T>(row: number, column: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const message = isUniqueViolation(e) ? '与数据库中已有记录重复（可能是他人刚刚同时写入）' : `数据库拒绝写入：${(e as Error).message}`;
    throw importInvalid([{ row, column, message }]);
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// ---------------------------------------------------------------- areas

export async function importAreas(db: Db, actor: Actor, file: Buffer, opts: ImportOptions = {}) {
  const progress = opts.onProgress ?? (() => {});
  const hash = sha256(file);
  progress('read', 0, 1);
  const rows = await readSheet(file, AREAS);
  progress('read', 1, 1);
  return inTransaction(db, opts.dryRun ?? false, async (tx) => {
    const known = await repo.areasByCodes(tx, referencedAreaCodes(rows));
    const plan = validateAreas(rows, known, actor, (d, t) => progress('validate', d, t));
    if (plan.problems.length) throw importInvalid(plan.problems);
    const perEntity = plan.ops.length <= PER_ENTITY_AUDIT_MAX;
    const audit = (action: string, entityId: number, before: unknown, after: unknown) => perEntity
      ? appendAudit(tx, { actorId: actor.id, actorName: actor.username, action, entity: 'area', entityId, before, after: { ...(after as object), source: 'excel' } })
      : Promise.resolve();
    const counts = { created: 0, updated: 0, moved: 0 };

    // Creations are batched; a move first flushes them, since it may move into one of them.
    let batch: Extract<AreaOp, { op: 'create' }>[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const specs = batch.map((o) => ({ code: o.code, name: o.name, officialName: null, level: o.level, parent: o.parentCode,
        population: o.population, households: o.households, sizeClass: o.sizeClass, isKey: o.isKey, boundary: null, demo: false }));
      const first = batch[0]!.row;
      const made = await atRow(first, '代码', () => insertTree(tx, specs));
      for (const o of batch) {
        const m = made.get(o.code)!;
        await audit('area.create', m.id, null, { code: o.code, name: o.name, level: o.level, parentCode: o.parentCode, population: o.population,
          households: o.households, sizeClass: o.sizeClass, isKey: o.isKey, path: m.path, row: o.row });
      }
      counts.created += batch.length;
      batch = [];
    };
    for (const [i, o] of plan.ops.entries()) {
      if (i % 500 === 0) progress('write', i, plan.ops.length);
      if (o.op === 'create') { batch.push(o); continue; }
      if (Object.keys(o.patch).length) {
        const patch: areasRepo.AreaPatch = { ...o.patch };
        if (o.patch.name !== undefined) patch.search = searchText(o.patch.name);
        await atRow(o.row, '代码', () => areasRepo.updateArea(tx, o.id, patch));
        await audit('area.update', o.id, o.before, { ...o.patch, row: o.row });
        counts.updated += 1;
      }
      if (o.moveTo) {
        await flush();
        const a = (await areasRepo.findByIdForUpdate(tx, o.id))!;
        const target = await areasRepo.findByCode(tx, o.moveTo);
        if (!target) throw importInvalid([{ row: o.row, column: '上级代码', message: `上级 ${o.moveTo} 不存在` }]);
        const newPath = `${target.path}${a.id}/`;
        await atRow(o.row, '上级代码', async () => {
          await areasRepo.moveSubtree(tx, a.id, target.id, a.path, newPath);
          await areasRepo.insertMove(tx, { areaId: a.id, fromParentId: a.parentId, toParentId: target.id, fromPath: a.path, toPath: newPath, actorId: actor.id, note: 'Excel 导入' });
        });
        await audit('area.move', a.id, { parentId: a.parentId, path: a.path }, { parentId: target.id, path: newPath, row: o.row });
        counts.moved += 1;
      }
    }
    await flush();
    progress('write', plan.ops.length, plan.ops.length);
    const result = {
      ok: true as const, dryRun: opts.dryRun ?? false, rows: rows.length, sha256: hash,
      created: { areas: counts.created }, updated: { areas: counts.updated, moved: counts.moved }, unchanged: { areas: plan.unchanged },
    };
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'excel.import', entity: 'import', entityId: hash.slice(0, 16),
      after: { sheet: 'areas', file: opts.fileName ?? null, sha256: hash, rows: rows.length, created: result.created, updated: result.updated,
        unchanged: result.unchanged, perEntityAudit: perEntity } });
    return result;
  });
}

// ---------------------------------------------------------------- roster

export async function importRoster(db: Db, actor: Actor, file: Buffer, opts: ImportOptions = {}) {
  const progress = opts.onProgress ?? (() => {});
  const hash = sha256(file);
  progress('read', 0, 1);
  const rows = await readSheet(file, ROSTER);
  progress('read', 1, 1);
  return inTransaction(db, opts.dryRun ?? false, async (tx) => {
    const ref = referencedRoster(rows);
    const areas = await repo.areasByCodes(tx, ref.codes);
    // Locked before the overlap check, so a responsibility added meanwhile cannot slip past it.
    await repo.lockAreas(tx, [...areas.values()].map((a) => a.id));
    const facts = { areas, users: await repo.usersByNames(tx, ref.usernames), responsibilities: await repo.responsibilitiesOn(tx, [...areas.values()].map((a) => a.id)) };
    const plan = validateRoster(rows, facts, actor, (d, t) => progress('validate', d, t));
    if (plan.problems.length) throw importInvalid(plan.problems);

    const newUsers = plan.people.filter((p) => p.existingId === null);
    const changed = newUsers.length + plan.people.filter((p) => p.update).length
      + plan.people.reduce((n, p) => n + (p.existingId ? p.grants.length : 0), 0) + plan.responsibilities.length;
    const perEntity = changed <= PER_ENTITY_AUDIT_MAX;
    const audit = (action: string, entity: string, entityId: number, before: unknown, after: unknown) => perEntity
      ? appendAudit(tx, { actorId: actor.id, actorName: actor.username, action, entity, entityId, before, after: { ...(after as object), source: 'excel' } })
      : Promise.resolve();
    const total = plan.people.length + plan.responsibilities.length;
    let done = 0;
    const tick = () => { done += 1; if (done % 500 === 0) progress('write', done, total); };
    const ids = new Map<string, number>();
    const counts = { users: 0, roles: 0, responsibilities: 0, usersUpdated: 0 };

    for (const p of plan.people) {
      tick();
      let id = p.existingId;
      if (id === null) {
        id = await atRow(p.row, '用户名', () => peopleRepo.insertUser(tx, { username: p.username, displayName: p.displayName, phone: p.phone, passwordHash: null, mustChangePassword: true }));
        for (const g of p.grants) await atRow(g.row, '角色', () => peopleRepo.insertGrant(tx, id!, g.roleKey, g.areaId));
        await audit('user.create', 'user', id, null, { username: p.username, displayName: p.displayName, phone: p.phone,
          roles: p.grants.map((g) => ({ roleKey: g.roleKey, areaId: g.areaId })), row: p.row });
        counts.users += 1; counts.roles += p.grants.length;
      } else {
        if (p.update) {
          await atRow(p.row, '姓名', () => peopleRepo.updateUser(tx, id!, p.update!));
          await audit('user.update', 'user', id, p.before, { ...p.update, row: p.row });
          counts.usersUpdated += 1;
        }
        for (const g of p.grants) {
          const gid = await atRow(g.row, '角色', () => peopleRepo.insertGrant(tx, id!, g.roleKey, g.areaId));
          if (gid) { await audit('user.role_add', 'user', id, null, { roleKey: g.roleKey, areaId: g.areaId, row: g.row }); counts.roles += 1; }
        }
      }
      ids.set(p.key, id);
    }
    for (const r of plan.responsibilities) {
      tick();
      const userId = r.person ? ids.get(r.person)! : null;
      const rid = await atRow(r.row, '责任类型', () => peopleRepo.insertResponsibility(tx, { kind: r.kind, areaId: r.areaId, userId,
        holderName: r.holderName, principal: r.principal, validFrom: r.validFrom, validTo: r.validTo, note: null, createdBy: actor.id }));
      await audit('responsibility.create', 'responsibility', rid, null, { kind: r.kind, areaId: r.areaId, userId, holderName: r.holderName,
        principal: r.principal, validFrom: r.validFrom, validTo: r.validTo, row: r.row });
      counts.responsibilities += 1;
    }
    progress('write', total, total);
    const result = {
      ok: true as const, dryRun: opts.dryRun ?? false, rows: rows.length, sha256: hash,
      created: { users: counts.users, roles: counts.roles, responsibilities: counts.responsibilities },
      updated: { users: counts.usersUpdated },
      unchanged: { roles: plan.unchanged.roles, responsibilities: plan.unchanged.responsibilities },
      /** New people have no password: an administrator resets it (人员 → 重置密码) before they can log in. */
      usersWithoutPassword: newUsers.map((p) => p.username),
      notice: newUsers.length ? `新建的 ${newUsers.length} 名人员尚无密码：请在「人员」中为他们重置密码后再通知本人登录。` : null,
    };
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'excel.import', entity: 'import', entityId: hash.slice(0, 16),
      after: { sheet: 'roster', file: opts.fileName ?? null, sha256: hash, rows: rows.length, created: result.created, updated: result.updated,
        unchanged: result.unchanged, perEntityAudit: perEntity } });
    return result;
  });
}

// ---------------------------------------------------------------- templates and exports

export const template = (kind: 'areas' | 'roster') => writeSheet(kind === 'areas' ? AREAS : ROSTER, TEMPLATE_ROWS[kind]);

async function scopeOf(db: Db, actor: Actor, areaId?: number) {
  const roots = readRoots(actor);
  if (!areaId) return { roots, subtree: null as string | null, name: null as string | null };
  const a = await areasRepo.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在`);
  assertRead(actor, a.path);
  return { roots, subtree: a.path, name: a.name };
}

export async function exportAreas(db: Db, actor: Actor, areaId?: number) {
  const s = await scopeOf(db, actor, areaId);
  const list = await repo.exportAreas(db, s.roots, s.subtree);
  // Parent before child, siblings by code: sort by the chain of codes from the top of the export.
  const codeOf = new Map(list.map((a) => [Number(a.id), a.code]));
  const chain = (a: repo.ExportArea) => a.path.split('/').filter(Boolean).map((i) => codeOf.get(Number(i))).filter(Boolean).join('/');
  const keyed = list.map((a) => [chain(a), a] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const rows = keyed.map(([, a]) => [a.code, a.name, LEVEL_BY_KEY[a.level as LevelKey]?.zh ?? a.level, a.parentCode, a.population, a.households,
    a.sizeClass ? SIZE_CLASS_ZH[a.sizeClass as SizeClass] : null, a.isKey ? '是' : '否']);
  return { buffer: await writeSheet(AREAS, rows), name: s.name, rows: rows.length };
}

export async function exportRoster(db: Db, actor: Actor, areaId?: number) {
  const s = await scopeOf(db, actor, areaId);
  const grants = await repo.exportGrants(db, s.roots, s.subtree);
  const resps = await repo.exportResponsibilities(db, s.roots, s.subtree);
  const byUser = new Map<string, unknown[][]>();
  const add = (u: string, r: unknown[]) => byUser.set(u, [...(byUser.get(u) ?? []), r]);
  for (const g of grants) add(g.username, [g.username, g.displayName, g.phone, ROLE_BY_KEY[g.roleKey as RoleKey]?.zh ?? g.roleKey, g.areaCode, null, null, null, null, null, null]);
  const households: unknown[][] = [];
  for (const r of resps) {
    const kind = KIND_BY_KEY[r.kind as ResponsibilityKind]?.zh ?? r.kind;
    const principal = r.principal ? '是' : null;
    if (r.username) add(r.username, [r.username, r.displayName, r.phone, null, null, kind, r.areaCode, r.validFrom, r.validTo, null, principal]);
    else households.push([null, null, null, null, null, kind, r.areaCode, r.validFrom, r.validTo, r.holderName, principal]);
  }
  const rows = [...[...byUser.keys()].sort().flatMap((u) => byUser.get(u)!), ...households];
  const buffer = await writeSheet(ROSTER, rows);
  // The roster holds people's phones: each export is audited, in the area it covers.
  await auditRead(db, actor, { action: 'personal.export', entity: 'roster', entityId: areaId ?? null, areaPath: readScopePath(actor, s.subtree),
    after: { export: 'roster.xlsx', areaId: areaId ?? null, rows: rows.length, people: byUser.size } });
  return { buffer, name: s.name, rows: rows.length };
}
