// Separation of powers (分权制衡): where money, points or scores move, the one who proposes (or
// prepares) is not the one who approves, and neither of them marks it paid; and nobody enters or
// approves a score of a unit they belong to. Pure functions: the services pass who proposed,
// approved and prepared, and the actor's full grants (not the ones narrowed to a duty).
//
// Belonging to a unit (a village) = holding a role in it or in an area below it. A role held above
// it (the town, a district, the county) or over the whole install does not make one a member: the
// town office rates every village, and belongs to none of them.
import { ROLE_BY_KEY, type RoleKey } from '../../../../../packages/shared/src/mechanism.js';
import { DomainError } from '../../lib/errors.js';

export type SeparationCode = 'SECOND_PERSON_REQUIRED' | 'SEPARATION_OF_DUTIES' | 'OWN_UNIT';
export interface Refusal { code: SeparationCode; message: string }

/** Throws the refusal, if any, as a 403 with its code. */
export function assertAllowed(r: Refusal | null): void {
  if (r) throw new DomainError(403, r.code, r.message);
}

/** A grant as far as membership goes (people.repository grantsOf gives these, with the role's name). */
export interface Held { roleKey: string; roleName?: string; areaPath: string | null; areaName: string | null }
export interface Unit { name: string; path: string }

/** The roles held inside the unit (in it or below it). */
export const heldInside = (grants: readonly Held[], unitPath: string): Held[] =>
  grants.filter((g) => g.areaPath !== null && g.areaPath.startsWith(unitPath));

export const belongsTo = (grants: readonly Held[], unitPath: string) => heldInside(grants, unitPath).length > 0;

const roleName = (g: Held) => g.roleName ?? ROLE_BY_KEY[g.roleKey as RoleKey]?.zh ?? g.roleKey;

/**
 * Refuses acting on units the actor belongs to. `action` completes 「不能…」 (e.g. '为自己所在的村录入得分'),
 * `en` says it in English. The first unit (in the order given) the actor belongs to is named.
 */
export function ownUnitRefusal(grants: readonly Held[], units: readonly Unit[], action: string, en: string): Refusal | null {
  for (const u of units) {
    const g = heldInside(grants, u.path)[0];
    if (!g) continue;
    const where = !g.areaName || g.areaName === u.name ? u.name : `${g.areaName}（属${u.name}）`;
    return { code: 'OWN_UNIT', message: `不能${action}：您在${where}任${roleName(g)} (${en})` };
  }
  return null;
}

/** What the thing is called in the messages, e.g. { zh: '爆料奖励', en: 'bounty' }. */
export interface Thing { zh: string; en: string }

/**
 * May the actor approve (decide)? Not if they proposed it, nor if they prepared it (entered its
 * scores, created the round): a second person approves.
 */
export function approvalRefusal(actorId: number, thing: Thing, r: { proposedBy: number | null; preparedBy?: readonly (number | null)[] }): Refusal | null {
  if (r.proposedBy !== null && r.proposedBy === actorId) {
    return { code: 'SECOND_PERSON_REQUIRED', message: `不能审批自己提议的${thing.zh}：须由另一人审批 (the proposer cannot approve the ${thing.en})` };
  }
  if (r.preparedBy?.some((p) => p !== null && p === actorId)) {
    return { code: 'SECOND_PERSON_REQUIRED', message: `不能审批自己经手（建立或录入得分）的${thing.zh}：须由另一人审批 (who prepared it cannot approve the ${thing.en})` };
  }
  return null;
}

/** May the actor mark it paid? Not if they approved it, nor if they proposed it. */
export function paymentRefusal(actorId: number, thing: Thing, r: { proposedBy: number | null; approvedBy: number | null }): Refusal | null {
  if (r.approvedBy !== null && r.approvedBy === actorId) {
    return { code: 'SEPARATION_OF_DUTIES', message: `不能登记自己审批的${thing.zh}为已发放：须由另一人登记发放 (the approver cannot pay the ${thing.en})` };
  }
  if (r.proposedBy !== null && r.proposedBy === actorId) {
    return { code: 'SEPARATION_OF_DUTIES', message: `不能登记自己提议的${thing.zh}为已发放：须由另一人登记发放 (the proposer cannot pay the ${thing.en})` };
  }
  return null;
}

/** Two phones, already normalised by the caller (rewards.rules normalisePhone), are the same number. */
const samePhone = (a: string | null, b: string | null) => a !== null && a !== '' && a === b;

/**
 * The operator of a points exchange may not spend from an account of their own phone, nor from their own
 * household's (a household is known as one's own by its phone: users and households both have one).
 * Phones normalised by the caller.
 */
export function exchangeRefusal(operatorPhone: string | null, account: { phone: string | null; householdPhone: string | null }): Refusal | null {
  if (samePhone(operatorPhone, account.householdPhone)) {
    return { code: 'OWN_UNIT', message: '不能为自己家的户办理积分兑换：该户登记的电话是您的手机号，须由另一人办理 (the operator cannot exchange for their own household)' };
  }
  if (samePhone(operatorPhone, account.phone)) {
    return { code: 'OWN_UNIT', message: '不能为自己的积分账户办理兑换：该账户的手机号是您的，须由另一人办理 (the operator cannot exchange from their own account)' };
  }
  return null;
}
