// The case state machine and the deadline facts, as pure functions: the service asks, the rules answer.
import {
  RUNNING_STATES, TRANSITIONS, type CaseAction, type CaseParty, type CaseState,
} from '../../../../../packages/shared/src/cases.js';
import type { Actor } from '../access/policy.js';

/** Roles that register, refuse, dispatch and decide requests in their areas (the town's desk and offices). */
export const DISPATCH_ROLES = ['admin', 'town_admin', 'party_secretary', 'discipline_office', 'agriculture_office', 'construction_office'];
/** Roles that check a fix on site (核查): the desk and offices, assigned leaders and resident cadres. */
export const CHECK_ROLES = [...DISPATCH_ROLES, 'leader', 'resident_cadre'];

export interface CaseFacts {
  state: CaseState;
  assigneeId: number | null;
  pendingRequest: { kind: 'extension' | 'return'; requestedBy: number } | null;
}
export interface ActorFacts { id: number; dispatcher: boolean; checker: boolean }

const holdsIn = (actor: Actor, path: string, roles: string[]) =>
  actor.grants.some((g) => g.canWrite && roles.includes(g.roleKey) && (g.areaPath === null || path.startsWith(g.areaPath)));

export function actorFacts(actor: Actor, areaPath: string): ActorFacts {
  return { id: actor.id, dispatcher: holdsIn(actor, areaPath, DISPATCH_ROLES), checker: holdsIn(actor, areaPath, CHECK_ROLES) };
}

const PARTY_ZH: Record<CaseParty, string> = { dispatcher: '派遣人员（镇、科室）', assignee: '本案处置人', checker: '核查人员（镇、科室、挂包领导、驻村干部）' };
const STATE_ZH: Record<CaseState, string> = {
  reported: '待立案', registered: '待派遣', dispatched: '待处置', fixing: '处置中', fixed: '待核查', closed: '已结案', refused: '不予立案',
};

/** Why this actor may not take this step now, or null if they may. */
export function refusal(action: CaseAction, c: CaseFacts, a: ActorFacts): string | null {
  if (action === 'report') return '案件已上报 (already reported)';
  if (action === 'place') return '调整区域请在“群众上报”页办理 (placed from the intake page)';
  if (action === 'rate' || action === 'reopen') return '评价和重开由上报的群众在查询页办理 (the resident reporter rates and reopens)';
  if (action === 'approve' || action === 'reject') {
    if (!c.pendingRequest) return '没有待审批的申请 (no pending request)';
    if (!a.dispatcher) return `只有${PARTY_ZH.dispatcher}可以审批 (only a dispatcher decides requests)`;
    if (c.pendingRequest.requestedBy === a.id) return '申请人不能审批自己的申请 (a second person must decide)';
    return null;
  }
  const t = TRANSITIONS[action];
  if (!t.from.includes(c.state)) {
    return `案件当前为“${STATE_ZH[c.state]}”，不能执行此操作；此操作只适用于：${t.from.map((s) => STATE_ZH[s]).join('、')} (not allowed from ${c.state})`;
  }
  if (t.by === 'dispatcher' && !a.dispatcher) return `只有${PARTY_ZH.dispatcher}可以执行此操作 (dispatchers only)`;
  if (t.by === 'assignee' && c.assigneeId !== a.id) return `只有${PARTY_ZH.assignee}可以执行此操作 (the assignee only)`;
  if (t.by === 'checker') {
    if (!a.checker) return `只有${PARTY_ZH.checker}可以核查 (checkers only)`;
    if (c.assigneeId === a.id) return '处置人不能核查自己的整改 (the fixer cannot check their own fix)';
  }
  if ((action === 'request_extension' || action === 'request_return') && c.pendingRequest) {
    return `已有一项待审批的${c.pendingRequest.kind === 'extension' ? '延期' : '回退'}申请，请等待审批 (a request is already pending)`;
  }
  return null;
}

const ALL: CaseAction[] = ['register', 'refuse', 'dispatch', 'accept', 'feedback', 'pass', 'rework', 'request_extension', 'request_return', 'approve', 'reject'];
export const allowedActions = (c: CaseFacts, a: ActorFacts): CaseAction[] => ALL.filter((x) => refusal(x, c, a) === null);

export function nextState(action: CaseAction, c: CaseFacts, requestKind?: 'extension' | 'return'): CaseState {
  if (action === 'approve' && requestKind === 'return') return 'registered';
  if (action === 'approve' || action === 'reject') return c.state;
  const t = TRANSITIONS[action as keyof typeof TRANSITIONS];
  return t.to === 'same' ? c.state : t.to;
}

/** Past due and not yet fixed. */
export const isOverdue = (c: { state: string; dueAt: Date | null }, now: Date) =>
  c.dueAt !== null && (RUNNING_STATES as string[]).includes(c.state) && c.dueAt.getTime() < now.getTime();

/** Fixed (or closed) after the due time. */
export const isLate = (c: { state: string; dueAt: Date | null; fixedAt: Date | null }) =>
  c.dueAt !== null && c.fixedAt !== null && (c.state === 'fixed' || c.state === 'closed') && c.fixedAt.getTime() > c.dueAt.getTime();

/** A case number people can read on the phone: the report day and the row id. */
export function caseNumber(reportedAt: Date, id: number): string {
  const d = new Date(reportedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `${d}${String(id).padStart(5, '0')}`;
}

export const MAX_EXTENSIONS = 2;
/** Limits on an extension: a later due time, at most MAX_EXTENSIONS per case, no more than `maxEnd`. */
export function extensionProblem(current: Date | null, requested: Date, count: number, maxEnd: { at: Date; label: string } | null, now: Date): string | null {
  if (count >= MAX_EXTENSIONS) return `本案已延期 ${count} 次，最多 ${MAX_EXTENSIONS} 次 (extension limit reached)`;
  if (requested.getTime() <= now.getTime()) return '申请的新期限必须晚于现在 (the new due time must be in the future)';
  if (current && requested.getTime() <= current.getTime()) return '申请的新期限必须晚于原期限 (must be later than the current due time)';
  if (maxEnd && requested.getTime() > maxEnd.at.getTime()) return `一次延期最多 10 个工作日，新期限不能晚于 ${maxEnd.label} (past the extension limit)`;
  return null;
}
