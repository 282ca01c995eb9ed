// Which of an actor's grants carry a duty, as pure functions over the duty table.
// A grant carries a duty when its role has the duty; a global duty needs a grant over the whole install.
import { DUTIES, DUTY_BY_KEY } from '../../../../../packages/shared/src/duties.js';
import type { Actor, Grant } from './policy.js';

/** duty → the roles that have it */
export type DutyTable = ReadonlyMap<string, ReadonlySet<string>>;

export function carries(table: DutyTable, grant: Grant, duty: string): boolean {
  const def = DUTY_BY_KEY[duty];
  if (!def) return false;
  if (def.scope === 'global' && grant.areaId !== null) return false;
  return table.get(duty)?.has(grant.roleKey) ?? false;
}

/** The actor's grants that carry the duty: what the actor may act on under it. */
export const grantsFor = (table: DutyTable, actor: Actor, duty: string): Grant[] => actor.grants.filter((g) => carries(table, g, duty));

/** The actor narrowed to one duty: services then check areas against these grants only. */
export const actingUnder = <A extends Actor>(table: DutyTable, actor: A, duty: string): A => ({ ...actor, grants: grantsFor(table, actor, duty) });

export const holds = (table: DutyTable, actor: Actor, duty: string) => grantsFor(table, actor, duty).length > 0;

/** Every duty the actor holds, with the areas it holds it in (null: the whole install). */
export function capabilities(table: DutyTable, actor: Actor): { duty: string; areaIds: (number | null)[] }[] {
  return DUTIES.map((d) => ({ duty: d.key, areaIds: [...new Set(grantsFor(table, actor, d.key).map((g) => g.areaId))] }))
    .filter((c) => c.areaIds.length > 0);
}

/** Holders of a manage or money duty log in with a second factor (等保 level 3). */
export const needsSecondFactor = (table: DutyTable, actor: Actor) => DUTIES.some((d) => d.secondFactor && holds(table, actor, d.key));

/** Why a change to one duty's roles is refused, or null. */
export function dutyChangeProblem(duty: string, roles: string[], knownRoles: ReadonlySet<string>): string | null {
  const def = DUTY_BY_KEY[duty];
  if (!def) return `未知职责 "${duty}" (unknown duty)`;
  const unknown = roles.filter((r) => !knownRoles.has(r));
  if (unknown.length) return `未知角色：${unknown.join('、')} (unknown roles)`;
  if (duty === 'duties.manage' && !roles.includes('admin')) return '系统管理员必须保留“修改职责权限表”，否则无人能再修改 (the administrator must keep this duty)';
  if (def.scope === 'global' && roles.some((r) => r !== 'admin')) return `“${def.zh}”是全局设置，只有全局授予的系统管理员持有 (install-wide: administrators only)`;
  return null;
}
