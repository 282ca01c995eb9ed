// Validating a roster (人员名册): people, their roles and responsibilities, against what is stored.
// Pure; the service loads the facts (areas, users, grants, responsibilities) the file refers to.
import {
  KIND_BY_KEY, LEVEL_BY_KEY, ROLE_BY_KEY, type LevelKey, type ResponsibilityKind, type RoleKey,
} from '../../../../../packages/shared/src/mechanism.js';
import { canManage, canRead, isGlobal, type Actor } from '../access/policy.js';
import { overlaps } from '../people/responsibility.rules.js';
import type { KnownArea } from './areas.rules.js';
import { PHONE, USERNAME, cellText, parseCode, parseDate, parseKind, parseRole, parseYesNo, type Problem } from './cells.js';
import type { RawRow } from './workbook.js';
import { nameProblem } from '../../lib/schemas.js';

export interface KnownUser {
  id: number; username: string; displayName: string; phone: string | null;
  grants: { roleKey: string; areaId: number | null; areaPath: string | null }[];
}
export interface KnownResponsibility {
  id: number; kind: string; areaId: number; userId: number | null; holderName: string | null; validFrom: string; validTo: string | null;
  holderLabel: string; principal: boolean;
}
export interface RosterFacts {
  areas: Map<string, KnownArea>; // by code
  users: Map<string, KnownUser>; // by lower-case username
  responsibilities: Map<number, KnownResponsibility[]>; // by area id
}

export interface NewGrant { row: number; roleKey: RoleKey; areaId: number; areaCode: string }
export interface NewResponsibility {
  row: number; kind: ResponsibilityKind; areaId: number; areaCode: string; person: string | null; holderName: string | null;
  validFrom: string; validTo: string | null; principal: boolean;
}
export interface PersonPlan {
  key: string; row: number; username: string; existingId: number | null;
  displayName: string; phone: string | null; update: { displayName?: string; phone?: string | null } | null;
  before: { displayName: string; phone: string | null } | null;
  grants: NewGrant[];
}
export interface RosterPlan {
  problems: Problem[];
  people: PersonPlan[];
  responsibilities: NewResponsibility[];
  unchanged: { roles: number; responsibilities: number };
}

const C = {
  username: '用户名', displayName: '姓名', phone: '手机', role: '角色', roleArea: '角色区域代码', kind: '责任类型',
  respArea: '责任区域代码', validFrom: '开始日期', validTo: '结束日期', household: '户主(门前三包)', principal: '主要领导',
};

export function referencedRoster(rows: RawRow[]): { codes: string[]; usernames: string[] } {
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const r of rows) {
    for (const k of ['roleArea', 'respArea']) { const c = parseCode(r.cells[k]); if (c.ok && c.value) codes.add(c.value); }
    const u = cellText(r.cells.username);
    if (u) names.add(u.toLowerCase());
  }
  return { codes: [...codes], usernames: [...names] };
}

interface Person extends PersonPlan {
  visible: boolean; manageable: boolean; nameRow: number; phoneRow: number; failed: boolean;
  /** every role this person will hold, with its area path, for the holder checks */
  holds: { roleKey: string; areaPath: string | null }[];
}

export function validateRoster(rows: RawRow[], facts: RosterFacts, actor: Actor,
  progress?: (done: number, total: number) => void): RosterPlan {
  const problems: Problem[] = [];
  const people = new Map<string, Person>();
  const resps: NewResponsibility[] = [];
  const pendingHolder: { row: number; person: Person; kind: ResponsibilityKind; areaPath: string; areaName: string }[] = [];
  const fileResps = new Map<string, { row: number; validFrom: string; validTo: string | null }[]>();
  const unchanged = { roles: 0, responsibilities: 0 };

  const areaFor = (row: number, column: string, codeCell: unknown, p: (c: string, m: string) => void): KnownArea | null => {
    const c = parseCode(codeCell);
    if (!c.ok) { p(column, c.message); return null; }
    if (!c.value) { p(column, '必填'); return null; }
    const a = facts.areas.get(c.value);
    if (!a || !canRead(actor, a.path)) { p(column, a ? `区域 ${c.value} 不在您的区域内` : `未知的区域代码 ${c.value}`); return null; }
    if (!canManage(actor, a.path)) { p(column, `区域“${a.name}”（${a.code}）不在您管理的区域内`); return null; }
    if (a.archived) { p(column, `区域“${a.name}”已归档`); return null; }
    return a;
  };

  for (const [i, { row, cells }] of rows.entries()) {
    if (progress && i % 500 === 0) progress(i, rows.length);
    let person: Person | null = null;
    const p = (column: string, message: string) => { problems.push({ row, column, message }); if (person) person.failed = true; };
    const username = cellText(cells.username);
    const displayName = cellText(cells.displayName);
    const phone = cellText(cells.phone).replace(/\s+/g, ' ') || null;
    const roleText = cellText(cells.role);
    const kindText = cellText(cells.kind);
    const household = cellText(cells.household);
    const kind = kindText ? parseKind(kindText) : null;
    const isHousehold = kind !== null && KIND_BY_KEY[kind].roles === null;

    if (!roleText && !kindText) { p(C.role, '请填写角色或责任类型（至少一项）'); continue; }
    if (displayName && nameProblem(displayName)) p(C.displayName, nameProblem(displayName)!);
    if (household && nameProblem(household)) p(C.household, nameProblem(household)!);

    // The person of this row (none for a household's 门前三包).
    if (isHousehold) {
      if (username) p(C.username, '“门前三包”由户主承担：请留空用户名，在「户主(门前三包)」填写户主');
      if (roleText) p(C.role, '“门前三包”的行不能同时授予角色');
      if (!household) p(C.household, '“门前三包”必填户主姓名或门牌');
      else if (household.length > 100) p(C.household, '不超过 100 字');
    } else {
      if (household) p(C.household, '只有“门前三包”填写户主');
      if (!username) { p(C.username, '必填'); } else if (!USERNAME.test(username)) {
        p(C.username, `用户名 "${username}" 不合规：应为 2-40 位字母、数字、汉字或 _ . -`);
      } else {
        const key = username.toLowerCase();
        person = people.get(key) ?? null;
        if (!person) {
          const u = facts.users.get(key);
          const visible = !u || isGlobal(actor) || u.id === actor.id || u.grants.some((g) => g.areaPath !== null && canRead(actor, g.areaPath));
          const manageable = !u || (u.grants.length ? u.grants : [{ areaPath: '/' }]).every((g) => canManage(actor, g.areaPath ?? '/'));
          person = {
            key, row, username: u?.username ?? username, existingId: u?.id ?? null, displayName: u?.displayName ?? '', phone: u?.phone ?? null,
            update: null, before: u ? { displayName: u.displayName, phone: u.phone } : null, grants: [], visible, manageable,
            nameRow: 0, phoneRow: 0, failed: false, holds: u ? u.grants.map((g) => ({ roleKey: g.roleKey, areaPath: g.areaPath })) : [],
          };
          people.set(key, person);
          if (!visible) p(C.username, `用户名 ${username} 已被其他区域的人员使用，请换一个用户名`);
          else if (!u && !displayName) p(C.displayName, '新人员必填姓名');
        }
        if (!person.visible) continue;
        if (displayName) {
          if (displayName.length > 60) p(C.displayName, '姓名不超过 60 字');
          else if (person.nameRow && displayName !== person.displayName) p(C.displayName, `与第 ${person.nameRow} 行的姓名“${person.displayName}”不一致`);
          else if (!person.nameRow) {
            if (person.existingId && displayName !== person.before!.displayName) {
              if (!person.manageable) p(C.displayName, `无权修改“${person.before!.displayName}”的姓名：此人有您管理范围以外的角色`);
              else person.update = { ...person.update, displayName };
            }
            person.displayName = displayName; person.nameRow = row;
          }
        }
        if (phone) {
          if (!PHONE.test(phone)) p(C.phone, `手机号码格式不正确："${phone}"`);
          else if (person.phoneRow && phone !== person.phone) p(C.phone, `与第 ${person.phoneRow} 行的手机“${person.phone}”不一致`);
          else if (!person.phoneRow) {
            if (person.existingId && phone !== person.before!.phone) {
              if (!person.manageable) p(C.phone, `无权修改“${person.before!.displayName}”的手机：此人有您管理范围以外的角色`);
              else person.update = { ...person.update, phone };
            }
            person.phone = phone; person.phoneRow = row;
          }
        }
      }
    }

    // The role.
    if (roleText && !isHousehold) {
      const roleKey = parseRole(roleText);
      const areaCode = parseCode(cells.roleArea);
      if (!roleKey) p(C.role, `未知角色 '${roleText}'`);
      else if (roleKey === 'admin' || ROLE_BY_KEY[roleKey].levels === 'global') {
        const already = person?.holds.some((g) => g.roleKey === roleKey && g.areaPath === null) && !(areaCode.ok && areaCode.value);
        if (already) unchanged.roles += 1;
        else p(C.role, '系统管理员角色不能通过导入授予');
      } else {
        const def = ROLE_BY_KEY[roleKey];
        const a = areaFor(row, C.roleArea, cells.roleArea, p);
        if (a && def.levels !== 'global' && !def.levels.includes(a.level)) {
          p(C.roleArea, `角色“${def.zh}”只能在${(def.levels as LevelKey[]).map((l) => LEVEL_BY_KEY[l].zh).join('/')}层级授予，“${a.name}”是${LEVEL_BY_KEY[a.level].zh}`);
        } else if (a && person) {
          const stored = person.existingId !== null && facts.users.get(person.key)!.grants.some((g) => g.roleKey === roleKey && g.areaId === a.id);
          const inFile = person.grants.some((g) => g.roleKey === roleKey && g.areaId === a.id);
          if (stored) unchanged.roles += 1;
          else if (!inFile) {
            person.grants.push({ row, roleKey, areaId: a.id, areaCode: a.code });
            person.holds.push({ roleKey, areaPath: a.path });
          }
        }
      }
    } else if (!roleText && cellText(cells.roleArea)) {
      p(C.role, '填写了角色区域代码，但没有填写角色');
    }

    // The responsibility.
    if (kindText) {
      if (!kind) { p(C.kind, `未知的责任类型 '${kindText}'`); continue; }
      const def = KIND_BY_KEY[kind];
      const a = areaFor(row, C.respArea, cells.respArea, p);
      if (a && a.level !== def.level) {
        p(C.respArea, `“${def.zh}”的区域应为${LEVEL_BY_KEY[def.level].zh}，“${a.name}”（${a.code}）是${LEVEL_BY_KEY[a.level].zh}`);
      }
      const from = parseDate(cells.validFrom);
      const to = parseDate(cells.validTo);
      if (!from.ok) p(C.validFrom, from.message);
      else if (from.value === null) p(C.validFrom, '必填');
      if (!to.ok) p(C.validTo, to.message);
      const principalCell = parseYesNo(cells.principal);
      if (!principalCell.ok) p(C.principal, principalCell.message);
      const principal = principalCell.ok && principalCell.value;
      if (principal && kind !== 'leader_village') p(C.principal, '只有“领导挂包村”可以标记为主要领导');
      const validFrom = from.ok ? from.value : null;
      const validTo = to.ok ? to.value : null;
      if (validFrom && validTo && validTo < validFrom) p(C.validTo, `结束日期 ${validTo} 早于开始日期 ${validFrom}`);
      if (!a || a.level !== def.level || !validFrom || !to.ok || (validTo && validTo < validFrom)) continue;
      if (!isHousehold && !person) continue;
      if (!isHousehold && person) pendingHolder.push({ row, person, kind, areaPath: a.path, areaName: a.name });
      const range = { validFrom, validTo };
      const stored = facts.responsibilities.get(a.id)?.filter((r) => r.kind === kind) ?? [];
      const same = stored.find((r) => r.validFrom === validFrom && r.validTo === validTo
        && (isHousehold ? r.userId === null && r.holderName === household : person!.existingId !== null && r.userId === person!.existingId));
      if (same) {
        if (same.principal !== principal) p(C.principal, `已有的这条责任“主要领导”为${same.principal ? '是' : '否'}，导入不改已有责任：请在“责任分工”中修改`);
        else unchanged.responsibilities += 1;
        continue;
      }
      const clash = stored.find((r) => overlaps(r, range));
      if (clash) {
        p(C.validFrom, `与已有责任重叠：“${a.name}”的“${def.zh}”在 ${clash.validFrom} 至 ${clash.validTo ?? '今后'} 由 ${clash.holderLabel} 承担；请先为其设定结束日期`);
        continue;
      }
      const key = `${kind}:${a.id}`;
      const list = fileResps.get(key) ?? [];
      const inFile = list.find((r) => overlaps(r, range));
      if (inFile) {
        p(C.validFrom, `与第 ${inFile.row} 行的“${def.zh}”（${a.name}）时间重叠：同一区域同一时间只能由一方承担`);
        continue;
      }
      list.push({ row, ...range });
      fileResps.set(key, list);
      resps.push({ row, kind, areaId: a.id, areaCode: a.code, person: isHousehold ? null : person!.key, holderName: isHousehold ? household : null, validFrom, validTo, principal });
    }
  }

  // Checks that need the whole file: roles granted on any row count for the holder.
  for (const h of pendingHolder) {
    const def = KIND_BY_KEY[h.kind];
    const ok = h.person.holds.some((g) => (def.roles as string[]).includes(g.roleKey) && (g.areaPath === null || h.areaPath.startsWith(g.areaPath)));
    if (!ok) {
      problems.push({ row: h.row, column: C.kind, message: `${h.person.username} 没有在“${h.areaName}”或其上级担任${def.roles!.map((r) => ROLE_BY_KEY[r].zh).join('/')}，不能承担“${def.zh}”（可在本文件中加一行授予该角色）` });
    }
  }
  for (const person of people.values()) {
    // (Not repeated when a row of this person already failed, e.g. on an unknown role.)
    if (person.visible && !person.failed && person.existingId === null && person.grants.length === 0 && person.displayName) {
      problems.push({ row: person.row, column: C.role, message: `新人员 ${person.username} 至少需要一个角色（角色决定此人能看到哪些区域）` });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  progress?.(rows.length, rows.length);
  const plans: PersonPlan[] = [...people.values()].filter((x) => x.visible).map((x) => ({
    key: x.key, row: x.row, username: x.username, existingId: x.existingId, displayName: x.displayName, phone: x.phone,
    update: x.update, before: x.before, grants: x.grants,
  }));
  return { problems, people: plans, responsibilities: resps, unchanged };
}
