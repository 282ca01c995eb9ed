// People, their roles (held in areas) and their responsibilities (with effective dates).
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { isIsoDate, todayInChina } from '../../lib/dates.js';
import { KIND_BY_KEY, ROLE_BY_KEY, type LevelKey, type ResponsibilityKind, type RoleKey } from '../../../../../packages/shared/src/mechanism.js';
import { assertManage, assertRead, canManage, isGlobal, readRoots, type Actor } from '../access/policy.js';
import { maskPhone, phoneQuery } from '../../../../../packages/shared/src/personal.js';
import { auditRead, readScopePath } from '../audit/reads.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import * as repo from './people.repository.js';
import { checkResponsibility } from './responsibility.rules.js';

const USERNAME = /^[A-Za-z0-9_.\-\u4e00-\u9fa5]{2,40}$/;

export async function listUsers(db: Db, actor: Actor, f: { q?: string; role?: string; areaId?: number; limit?: number; offset?: number }) {
  let areaPath: string | undefined;
  if (f.areaId) {
    const a = await areas.findById(db, f.areaId);
    if (!a) throw notFound(`区域 ${f.areaId} 不存在`);
    assertRead(actor, a.path);
    areaPath = a.path;
  }
  // A phone is found by its whole number only, and that look-up is audited; the list shows phones masked.
  const byPhone = phoneQuery(f.q);
  const r = await repo.listUsers(db, readRoots(actor), { q: f.q, phone: byPhone?.phone ?? null, role: f.role, areaPath, limit: Math.min(f.limit ?? 50, 500), offset: f.offset ?? 0 });
  if (byPhone?.phone) {
    await auditRead(db, actor, { action: 'personal.phone.search', entity: 'user', entityId: null, areaPath: readScopePath(actor, areaPath ?? null),
      after: { search: 'people.users', phone: maskPhone(byPhone.phone), found: r.total } });
  }
  return { ...r, items: r.items.map((u) => ({ ...u, phone: u.id === actor.id ? u.phone : maskPhone(u.phone) })) };
}

async function visibleUser(db: Db, actor: Actor, id: number) {
  const u = await repo.userById(db, id);
  if (!u) throw notFound(`用户 ${id} 不存在 (no such user)`);
  const grants = await repo.grantsOf(db, id);
  const roots = readRoots(actor);
  const visible = roots === 'all' || actor.id === id || grants.some((g) => g.areaPath && roots.some((p) => g.areaPath!.startsWith(p)));
  if (!visible) throw notFound(`用户 ${id} 不存在或不在您的区域内`);
  return { u, grants };
}

/** A person's roles are shown where the reader reads: their own all, another's only inside the reader's areas. */
function visibleGrant(actor: Actor, userId: number, g: { areaPath: string | null }) {
  const roots = readRoots(actor);
  return roots === 'all' || actor.id === userId || (g.areaPath !== null && roots.some((p) => g.areaPath!.startsWith(p)));
}

export async function getUser(db: Db, actor: Actor, id: number) {
  const { u, grants } = await visibleUser(db, actor, id);
  const resp = await repo.listResponsibilities(db, { userId: id, roots: readRoots(actor), limit: 500, offset: 0 });
  // The whole phone for the person and for those who manage (and edit) them; masked for everyone else.
  const whole = actor.id === id || (grants.length > 0 && grants.every((g) => canManage(actor, g.areaPath ?? '/')));
  return {
    id: u.id, username: u.username, displayName: u.displayName, phone: whole ? u.phone : maskPhone(u.phone), disabled: u.disabledAt != null,
    locked: u.lockedUntil != null && u.lockedUntil > new Date(), mustChangePassword: u.mustChangePassword, demo: u.demo,
    roles: grants.filter((g) => visibleGrant(actor, id, g)).map((g) => ({ id: g.id, roleKey: g.roleKey, roleName: g.roleName, areaId: g.areaId, areaName: g.areaName, areaCode: g.areaCode })),
    responsibilities: resp.items,
  };
}

export interface RoleInput { roleKey: string; areaId: number | null }

async function checkGrant(tx: Db, actor: Actor, g: RoleInput, i = 0) {
  const def = ROLE_BY_KEY[g.roleKey as RoleKey];
  if (!def) throw badInput(`未知角色 "${g.roleKey}"`, [{ field: `roles[${i}].roleKey`, message: 'unknown role' }]);
  if (g.areaId === null) {
    if (g.roleKey !== 'admin') throw badInput(`角色“${def.zh}”需要指定区域`, [{ field: `roles[${i}].areaId`, message: 'required' }]);
    assertManage(actor, '/', '全局管理员角色');
    if (!isGlobal(actor)) throw badInput('只有系统管理员可以授予全局管理员角色');
    return null;
  }
  // `admin` is held over the whole install only: an admin of a village would read every village's audit
  if (g.roleKey === 'admin') throw badInput('系统管理员角色只能全局授予（不选区域）；管理一个镇请授予“镇管理员” (admin is global only; use town admin for a town)', [{ field: `roles[${i}].areaId`, message: 'admin is global only' }]);
  const a = await areas.findById(tx, g.areaId);
  if (!a) throw badInput(`区域 ${g.areaId} 不存在`, [{ field: `roles[${i}].areaId`, message: 'no such area' }]);
  if (def.levels !== 'global' && !def.levels.includes(a.level as LevelKey)) {
    throw badInput(`角色“${def.zh}”只能在${def.levels.join('/')}层级授予，“${a.name}”是 ${a.level}`, [{ field: `roles[${i}].areaId`, message: 'wrong level' }]);
  }
  if (a.archivedAt) throw conflict('AREA_ARCHIVED', `区域“${a.name}”已归档`);
  assertManage(actor, a.path, `区域“${a.name}”`);
  return a;
}

export async function createUser(db: Db, actor: Actor, input: { username: string; displayName: string; phone?: string | null; password?: string; roles: RoleInput[] }) {
  const username = input.username.trim();
  if (!USERNAME.test(username)) throw badInput('用户名为 2-40 位字母、数字、汉字或 _ . -', [{ field: 'username', message: 'invalid' }]);
  if (!input.displayName?.trim()) throw badInput('请填写姓名', [{ field: 'displayName', message: 'required' }]);
  if (input.phone && !/^[0-9+\- ]{5,20}$/.test(input.phone)) throw badInput('电话号码格式不正确', [{ field: 'phone', message: 'invalid' }]);
  if (!input.roles?.length) throw badInput('至少需要一个角色（角色决定此人能看到哪些区域）', [{ field: 'roles', message: 'required' }]);
  let passwordHash: string | null = null;
  if (input.password) {
    const p = passwordProblem(input.password, username);
    if (p) throw badInput(p, [{ field: 'password', message: p }], 'WEAK_PASSWORD');
    passwordHash = await hashPassword(input.password);
  }
  try {
    return await db.transaction(async (tx) => {
      for (const [i, g] of input.roles.entries()) await checkGrant(tx, actor, g, i);
      if (await repo.userByName(tx, username)) throw conflict('DUPLICATE_USERNAME', `用户名 ${username} 已存在`, [{ field: 'username', message: 'duplicate' }]);
      const id = await repo.insertUser(tx, { username, displayName: input.displayName.trim(), phone: input.phone ?? null, passwordHash, mustChangePassword: true });
      for (const g of input.roles) await repo.insertGrant(tx, id, g.roleKey, g.areaId);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.create', entity: 'user', entityId: id,
        after: { username, displayName: input.displayName.trim(), phone: input.phone ?? null, roles: input.roles } });
      return { id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('DUPLICATE_USERNAME', `用户名 ${username} 已存在`, [{ field: 'username', message: 'duplicate' }]);
    throw e;
  }
}

async function assertManagesUser(db: Db, actor: Actor, userId: number) {
  const { u, grants } = await visibleUser(db, actor, userId);
  for (const g of grants.length ? grants : [{ areaPath: '/' }]) assertManage(actor, g.areaPath ?? '/', `用户“${u.displayName}”`);
  return u;
}

export async function updateUser(db: Db, actor: Actor, id: number, p: { displayName?: string; phone?: string | null; disabled?: boolean }) {
  const u = await assertManagesUser(db, actor, id);
  if (p.displayName !== undefined && !p.displayName.trim()) throw badInput('姓名不能为空', [{ field: 'displayName', message: 'required' }]);
  if (p.disabled && id === actor.id) throw badInput('不能停用自己的账号');
  await db.transaction(async (tx) => {
    await repo.updateUser(tx, id, { displayName: p.displayName?.trim(), phone: p.phone, disabled: p.disabled });
    if (p.disabled) await repo.deleteUserSessions(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.update', entity: 'user', entityId: id,
      before: { displayName: u.displayName, phone: u.phone, disabled: u.disabledAt != null }, after: p });
  });
  return getUser(db, actor, id);
}

export async function addRole(db: Db, actor: Actor, userId: number, g: RoleInput) {
  await visibleUser(db, actor, userId);
  return db.transaction(async (tx) => {
    const area = await checkGrant(tx, actor, g);
    const id = await repo.insertGrant(tx, userId, g.roleKey, g.areaId);
    if (!id) throw conflict('DUPLICATE_ROLE', '此人在该区域已有这个角色');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.role_add', entity: 'user', entityId: userId, after: g, areaPath: area?.path ?? null });
    return { id };
  });
}

export async function removeRole(db: Db, actor: Actor, userId: number, grantId: number) {
  const g = await repo.grantById(db, grantId);
  if (!g || g.userId !== userId) throw notFound(`角色 ${grantId} 不存在`);
  assertManage(actor, g.areaPath ?? '/', '该角色');
  if (userId === actor.id && g.roleKey === 'admin') throw badInput('不能移除自己的系统管理员角色');
  await db.transaction(async (tx) => {
    await repo.deleteGrant(tx, grantId);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'user.role_remove', entity: 'user', entityId: userId, before: g, areaPath: g.areaPath });
  });
}

// --- responsibilities ---

export interface ResponsibilityInput {
  kind: string; areaId: number; userId?: number | null; holderName?: string | null; principal?: boolean;
  validFrom: string; validTo?: string | null; note?: string | null;
}

/** Adds one responsibility inside the caller's transaction; checks placement, holder and overlap. */
export async function addResponsibilityTx(tx: Db, actor: Actor, input: ResponsibilityInput): Promise<number> {
  // Locking the area serialises writers on it, so two overlapping inserts cannot both pass the check.
  const area = await areas.findByIdForUpdate(tx, input.areaId);
  if (!area) throw badInput(`区域 ${input.areaId} 不存在`, [{ field: 'areaId', message: 'no such area' }]);
  assertManage(actor, area.path, `区域“${area.name}”`);
  if (area.archivedAt) throw conflict('AREA_ARCHIVED', `区域“${area.name}”已归档，不能再分配责任`);
  let holder: Parameters<typeof checkResponsibility>[0]['holder'] = null;
  if (input.userId) {
    const u = await repo.userById(tx, input.userId);
    if (!u) throw badInput(`用户 ${input.userId} 不存在`, [{ field: 'userId', message: 'no such user' }]);
    holder = { userId: u.id, grants: (await repo.grantsOf(tx, u.id)).map((g) => ({ roleKey: g.roleKey, areaPath: g.areaPath })) };
  } else if (input.holderName) holder = { holderName: input.holderName };
  const validTo = input.validTo ?? null;
  const problems = checkResponsibility({ kind: input.kind, areaLevel: area.level, areaPath: area.path, holder,
    validFrom: input.validFrom, validTo, principal: input.principal ?? false });
  if (problems.length) throw badInput(problems.map((p) => p.message).join('；'), problems);
  const clash = await repo.overlapping(tx, input.kind, area.id, input.validFrom, validTo);
  if (clash.length) {
    const c = clash[0]!;
    throw conflict('RESPONSIBILITY_OVERLAP', `“${area.name}”的“${KIND_BY_KEY[input.kind as ResponsibilityKind].zh}”在 ${c.validFrom} 至 ${c.validTo ?? '今后'} 已由 ${c.userName ?? c.holderName} 承担，与新的时间段重叠；请先为其设定结束日期`,
      [{ field: 'validFrom', message: `overlaps responsibility ${c.id}` }]);
  }
  const id = await repo.insertResponsibility(tx, { kind: input.kind, areaId: area.id, userId: input.userId ?? null,
    holderName: input.userId ? null : input.holderName?.trim() ?? null, principal: input.principal ?? false,
    validFrom: input.validFrom, validTo, note: input.note ?? null, createdBy: actor.id });
  await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'responsibility.create', entity: 'responsibility', entityId: id, after: { ...input, validTo }, areaPath: area.path });
  return id;
}

export async function addResponsibility(db: Db, actor: Actor, input: ResponsibilityInput) {
  const id = await db.transaction((tx) => addResponsibilityTx(tx, actor, input));
  return (await repo.responsibilityById(db, id))!;
}

/** Ends (or re-opens) a responsibility. History is kept: a responsibility is never deleted. */
export async function endResponsibility(db: Db, actor: Actor, id: number, validTo: string | null) {
  if (validTo !== null && !isIsoDate(validTo)) throw badInput(`结束日期应为 YYYY-MM-DD，收到 "${validTo}"`, [{ field: 'validTo', message: 'invalid date' }]);
  return db.transaction(async (tx) => {
    const r = await repo.responsibilityById(tx, id, true);
    if (!r) throw notFound(`责任 ${id} 不存在`);
    assertManage(actor, r.areaPath, `区域“${r.areaName}”`);
    if (validTo !== null && validTo < r.validFrom) throw badInput(`结束日期 ${validTo} 早于开始日期 ${r.validFrom}`, [{ field: 'validTo', message: 'before start' }]);
    await areas.findByIdForUpdate(tx, r.areaId);
    const clash = await repo.overlapping(tx, r.kind, r.areaId, r.validFrom, validTo, id);
    if (clash.length) throw conflict('RESPONSIBILITY_OVERLAP', `延长后会与 ${clash[0]!.userName ?? clash[0]!.holderName}（${clash[0]!.validFrom} 起）的责任重叠`);
    await repo.setValidTo(tx, id, validTo);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'responsibility.end', entity: 'responsibility', entityId: id,
      before: { validTo: r.validTo }, after: { validTo }, areaPath: r.areaPath });
    return (await repo.responsibilityById(tx, id))!;
  });
}

export async function listResponsibilities(db: Db, actor: Actor, f: { areaId?: number; subtree?: boolean; userId?: number; day?: string; kind?: string; limit?: number; offset?: number }) {
  if (f.day && !isIsoDate(f.day)) throw badInput(`日期应为 YYYY-MM-DD，收到 "${f.day}"`, [{ field: 'day', message: 'invalid date' }]);
  if (f.kind && !KIND_BY_KEY[f.kind as ResponsibilityKind]) throw badInput(`未知的责任类型 "${f.kind}"`, [{ field: 'kind', message: 'unknown' }]);
  let areaPath: string | undefined;
  if (f.areaId) {
    const a = await areas.findById(db, f.areaId);
    if (!a) throw notFound(`区域 ${f.areaId} 不存在`);
    assertRead(actor, a.path);
    areaPath = a.path;
  }
  return repo.listResponsibilities(db, { roots: readRoots(actor), areaId: f.subtree ? undefined : f.areaId, areaPath: f.subtree ? areaPath : undefined,
    userId: f.userId, day: f.day, kind: f.kind, limit: Math.min(f.limit ?? 100, 1000), offset: f.offset ?? 0 });
}

/** "Who answers for this micro-grid today, and who did on 1 March": the chain, nearest first. */
export async function whoAnswers(db: Db, actor: Actor, areaId: number, day = todayInChina()) {
  if (!isIsoDate(day)) throw badInput(`日期应为 YYYY-MM-DD，收到 "${day}"`, [{ field: 'date', message: 'invalid date' }]);
  const a = await areas.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在`);
  assertRead(actor, a.path);
  // The tree as it stood that day: a village moved to another district since then still answers
  // to the old district's office on dates before the move.
  const endOfDay = new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
  const ids = await areas.ancestorIdsOn(db, a, endOfDay);
  const chain = (await repo.answerable(db, ids, day)).map((r) => ({
    ...r, kindName: KIND_BY_KEY[r.kind as ResponsibilityKind]?.zh ?? r.kind, order: KIND_BY_KEY[r.kind as ResponsibilityKind]?.order ?? 99,
  })).sort((x, y) => x.order - y.order);
  const leadership = await repo.leadershipOver(db, ids);
  return { area: { id: a.id, code: a.code, name: a.name, level: a.level }, date: day, chain, leadership };
}
