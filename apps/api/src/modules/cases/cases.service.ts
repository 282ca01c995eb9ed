// The case loop's rules: report, register or refuse, dispatch, fix, check, close; rework,
// extensions and returns. Every step is one transaction: state, history, photos, audit, notices.
import type { Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { isIsoDate, todayInChina } from '../../lib/dates.js';
import {
  CASE_SOURCES, SUPERVISION_DEADLINE, type CaseAction, type CaseDetail, type CaseSource, type CaseView, type DeadlineUnit,
} from '../../../../../packages/shared/src/cases.js';
import { RESPONSIBILITY_KINDS } from '../../../../../packages/shared/src/mechanism.js';
import { assertRead, assertWrite, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { auditRead, readScopePath } from '../audit/reads.js';
import * as areas from '../areas/areas.repository.js';
import { answerable } from '../people/people.repository.js';
import { dueFor } from '../calendar/calendar.service.js';
import { attachPhotos, photosOfCase } from '../evidence/evidence.service.js';
import { notify } from '../notify/notify.service.js';
import * as repo from './cases.repository.js';
import type { CaseRow, ListFilter } from './cases.repository.js';
import {
  actorFacts, allowedActions, caseNumber, CHECK_ROLES, DISPATCH_ROLES, extensionProblem, isLate, isOverdue, nextState, refusal,
  type CaseFacts,
} from './case.rules.js';

const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const KIND_ZH = Object.fromEntries(RESPONSIBILITY_KINDS.map((k) => [k.key, k.zh]));
const SOURCE_KEYS = CASE_SOURCES.map((s) => s.key);
/** Sources only the desk and the offices enter (上级反馈, 每周督查). */
const DESK_SOURCES: CaseSource[] = ['feedback', 'supervision'];
const MAX_PHOTOS = 9;

async function trails(db: Db, list: CaseRow[]): Promise<Map<number, string>> {
  // From the district down: the town and above add nothing on a town's screens.
  const ids = [...new Set(list.flatMap((c) => pathIds(c.areaPath)))];
  const names = await repo.areaNames(db, ids);
  return new Map(list.map((c) => [c.id, pathIds(c.areaPath)
    .filter((i) => !['province', 'city', 'county', 'town'].includes(names.get(i)?.level ?? ''))
    .map((i) => names.get(i)?.name ?? '').join(' / ')]));
}

function view(c: CaseRow, trail: string, now: Date): CaseView {
  return {
    id: c.id, no: c.no, source: c.source, state: c.state, categoryId: c.categoryId, categoryCode: c.categoryCode,
    categoryName: c.categoryName, closingRequirement: c.closingRequirement, areaId: c.areaId, areaCode: c.areaCode,
    areaName: c.areaName, areaTrail: trail, description: c.description, address: c.address, lat: c.lat, lng: c.lng,
    reportedBy: c.reportedBy, reporterName: c.reporterName, reportedAt: c.reportedAt.toISOString(),
    registeredAt: iso(c.registeredAt), dispatchedAt: iso(c.dispatchedAt), assigneeId: c.assigneeId, assigneeName: c.assigneeName,
    dueAt: iso(c.dueAt), deadlineRule: c.deadlineRule, fixedAt: iso(c.fixedAt), closedAt: iso(c.closedAt),
    refusedReason: c.refusedReason, duplicateOf: c.duplicateOf, reworkCount: c.reworkCount, extensionCount: c.extensionCount,
    overdue: isOverdue(c, now), late: isLate(c), version: c.version, demo: c.demo,
  };
}

async function views(db: Db, list: CaseRow[], now = new Date()): Promise<CaseView[]> {
  const t = await trails(db, list);
  return list.map((c) => view(c, t.get(c.id) ?? '', now));
}

async function mustFind(db: Db, id: number, forUpdate = false): Promise<CaseRow> {
  const c = await repo.caseById(db, id, forUpdate);
  if (!c) throw notFound(`案件 ${id} 不存在 (no such case)`);
  return c;
}

export async function getCase(db: Db, actor: Actor, id: number): Promise<CaseDetail> {
  const c = await mustFind(db, id);
  assertRead(actor, c.areaPath, '该案件');
  const [v] = await views(db, [c]);
  const requests = await repo.requestsOf(db, [id]);
  const pending = requests.find((r) => r.decision === null) ?? null;
  const facts: CaseFacts = { state: c.state, assigneeId: c.assigneeId, pendingRequest: pending && { kind: pending.kind, requestedBy: pending.requestedBy } };
  return {
    ...v!,
    steps: (await repo.stepsOf(db, id)).map((s) => ({ ...s, at: (s.at as Date).toISOString() })) as CaseDetail['steps'],
    photos: await photosOfCase(db, id),
    requests: requests.map((r) => ({ ...r, requestedDueAt: iso(r.requestedDueAt), requestedAt: r.requestedAt.toISOString(),
      decidedAt: iso(r.decidedAt) })) as CaseDetail['requests'],
    allowed: allowedActions(facts, actorFacts(actor, c.areaPath)),
  };
}

// ------------------------------------------------------------------ report (采集)

export interface ReportInput {
  clientId?: string; source: string; categoryId: number; areaId: number; description: string;
  address?: string | null; lat?: number | null; lng?: number | null; photoIds?: number[];
}

function checkReport(input: ReportInput) {
  const details: { field: string; message: string }[] = [];
  if (input.clientId !== undefined && !/^[A-Za-z0-9_-]{8,64}$/.test(input.clientId)) details.push({ field: 'clientId', message: 'clientId 应为 8–64 位字母、数字或连字符（如 UUID）' });
  if (!SOURCE_KEYS.includes(input.source as CaseSource)) details.push({ field: 'source', message: `来源应为 ${SOURCE_KEYS.join(' / ')}` });
  if (input.source === 'public') details.push({ field: 'source', message: '群众随手拍请走公众上报入口 (use the public intake)' });
  const text = input.description?.trim() ?? '';
  if (text.length === 0 || text.length > 2000) details.push({ field: 'description', message: '问题描述不能为空，且不超过 2000 字' });
  if (input.address != null && input.address.length > 200) details.push({ field: 'address', message: '地址不超过 200 字' });
  const hasLat = input.lat != null; const hasLng = input.lng != null;
  if (hasLat !== hasLng) details.push({ field: 'lat', message: '经纬度要同时提供' });
  // China's extent, roughly: a point outside it is a typo or a swapped pair.
  if (hasLat && hasLng && !(input.lat! >= 3 && input.lat! <= 54 && input.lng! >= 73 && input.lng! <= 136)) {
    details.push({ field: 'lat', message: `位置 (${input.lat}, ${input.lng}) 不在中国境内，请检查经纬度是否填反` });
  }
  if ((input.photoIds?.length ?? 0) > MAX_PHOTOS) details.push({ field: 'photoIds', message: `每次最多 ${MAX_PHOTOS} 张照片` });
  if (details.length) throw badInput(details.map((d) => d.message).join('；'), details);
}

/** Reports a problem. The same clientId sent again returns the case already made (created: false). */
export async function reportCase(db: Db, actor: Actor, input: ReportInput, opts: { now?: Date; demo?: boolean; detail?: boolean } = {}): Promise<{ created: boolean; case: CaseDetail }> {
  checkReport(input);
  if (input.clientId) {
    const existing = await repo.caseByClientId(db, input.clientId);
    if (existing) return { created: false, case: await sameClient(db, actor, existing) };
  }
  const category = await repo.categoryById(db, input.categoryId);
  if (!category) throw badInput(`事件分类 ${input.categoryId} 不存在 (unknown category)`, [{ field: 'categoryId', message: 'unknown category' }], 'UNKNOWN_CATEGORY');
  if (!category.parentId) throw badInput(`“${category.name}”是大类，请选择其下的小类 (pick a sub-category)`, [{ field: 'categoryId', message: 'a major category' }], 'UNKNOWN_CATEGORY');
  if (!category.active) throw badInput(`事件分类“${category.name}”已停用`, [{ field: 'categoryId', message: 'inactive' }], 'UNKNOWN_CATEGORY');
  const area = await areas.findById(db, input.areaId);
  if (!area) throw badInput(`区域 ${input.areaId} 不存在`, [{ field: 'areaId', message: 'no such area' }]);
  assertWrite(actor, area.path, `区域“${area.name}”的案件（不在您负责的区域内）`);
  if (area.archivedAt) throw conflict('AREA_ARCHIVED', `区域“${area.name}”已归档，不能再上报案件`);
  if (DESK_SOURCES.includes(input.source as CaseSource) && !actorFacts(actor, area.path).dispatcher) {
    throw forbidden('“上级反馈”和“每周督查”的问题由镇和科室录入 (desk sources are for the town and offices)');
  }
  const now = opts.now ?? new Date();
  try {
    const id = await db.transaction(async (tx) => {
      const caseId = await repo.nextCaseId(tx);
      await repo.insertCase(tx, {
        id: caseId, no: caseNumber(now, caseId), clientId: input.clientId ?? null, source: input.source, state: 'reported',
        categoryId: category.id, areaId: area.id, countyCode: area.countyCode, description: input.description.trim(),
        address: input.address?.trim() || null, lat: input.lat ?? null, lng: input.lng ?? null, reportedBy: actor.id,
        reporterName: actor.displayName, reportedAt: now, demo: opts.demo,
      });
      const step = await repo.insertStep(tx, { caseId, action: 'report', fromState: null, toState: 'reported', actorId: actor.id,
        actorName: actor.displayName, note: null, data: { source: input.source }, at: now });
      if (input.photoIds?.length) {
        await attachPhotos(tx, { actorId: actor.id, photoIds: input.photoIds, caseId, stepId: step.id, stepSeq: step.seq, phase: 'before',
          ctx: { reportedAt: now, lat: input.lat ?? null, lng: input.lng ?? null } });
      }
      const offices = (await answerable(tx, pathIds(area.path), todayInChina(now))).filter((r) => r.kind === 'office_district' && r.userId);
      await notify(tx, { userIds: offices.map((r) => r.userId!), kind: 'case.reported', caseId, areaPath: area.path,
        title: `新案件：${category.name}（${area.name}）`, body: input.description.trim().slice(0, 200) });
      // Last: the audit chain's lock is then held only for its own two statements and the commit.
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'case.report', entity: 'case', entityId: caseId,
        after: { source: input.source, categoryId: category.id, areaId: area.id, clientId: input.clientId ?? null }, areaPath: area.path });
      return caseId;
    });
    return { created: true, case: opts.detail === false ? ({ id } as CaseDetail) : await getCase(db, actor, id) };
  } catch (e) {
    // Two sends of one clientId at once: the second loses on the unique index and gets the first's case.
    if (input.clientId && isUniqueViolation(e)) {
      const existing = await repo.caseByClientId(db, input.clientId);
      if (existing) return { created: false, case: await sameClient(db, actor, existing) };
    }
    throw e;
  }
}

async function sameClient(db: Db, actor: Actor, c: CaseRow) {
  if (c.reportedBy !== actor.id) throw conflict('CLIENT_ID_USED', '此 clientId 已被另一人的案件使用，请重新生成 (clientId belongs to another report)');
  return getCase(db, actor, c.id);
}

// ------------------------------------------------------------------ steps

export interface StepInput {
  action: CaseAction; version: number; note?: string | null; photoIds?: number[]; assigneeId?: number;
  reason?: 'invalid' | 'duplicate'; duplicateOf?: number | string; requestedDueAt?: string; requestId?: number;
}

const NEEDS_NOTE: Partial<Record<CaseAction, string>> = {
  refuse: '请说明不予立案的理由', rework: '请说明返工的原因', request_extension: '请说明延期的理由',
  request_return: '请说明回退的理由', reject: '请说明驳回的理由',
};

async function deadlineFor(db: Db, c: CaseRow, registeredAt: Date) {
  if (c.source === 'supervision') {
    const due = await dueFor(db, c.reportedAt, SUPERVISION_DEADLINE.amount, SUPERVISION_DEADLINE.unit);
    return { due, rule: `三天工作法：督查反馈后 ${SUPERVISION_DEADLINE.amount} 个工作日` };
  }
  const cat = (await repo.categoryById(db, c.categoryId))!;
  if (!cat.deadlineAmount || !cat.deadlineUnit) return { due: null, rule: '未设处置时限' };
  const unit = { work_hour: '个工作时', work_day: '个工作日', day: '天' }[cat.deadlineUnit as DeadlineUnit] ?? cat.deadlineUnit;
  return { due: await dueFor(db, registeredAt, cat.deadlineAmount, cat.deadlineUnit as DeadlineUnit), rule: `${cat.name}：立案后 ${cat.deadlineAmount} ${unit}` };
}

function phaseOf(action: CaseAction): 'before' | 'after' | 'check' {
  return action === 'feedback' ? 'after' : 'check';
}

export async function takeStep(db: Db, actor: Actor, id: number, input: StepInput, opts: { now?: Date; detail?: boolean } = {}): Promise<CaseDetail> {
  const now = opts.now ?? new Date();
  const note = input.note?.trim() || null;
  if (note && note.length > 2000) throw badInput('说明不超过 2000 字', [{ field: 'note', message: 'too long' }]);
  if ((input.photoIds?.length ?? 0) > MAX_PHOTOS) throw badInput(`每次最多 ${MAX_PHOTOS} 张照片`, [{ field: 'photoIds', message: 'too many' }]);
  if (NEEDS_NOTE[input.action] && !note) throw badInput(`${NEEDS_NOTE[input.action]} (a note is required)`, [{ field: 'note', message: 'required' }]);

  await db.transaction(async (tx) => {
    // The row lock makes racing steps take turns; the loser then sees the new state or version.
    const c = await mustFind(tx, id, true);
    assertRead(actor, c.areaPath, '该案件');
    const pending = (await repo.requestsOf(tx, [id], true))[0] ?? null;
    const facts: CaseFacts = { state: c.state, assigneeId: c.assigneeId, pendingRequest: pending && { kind: pending.kind, requestedBy: pending.requestedBy } };
    const why = refusal(input.action, facts, actorFacts(actor, c.areaPath));
    if (why) throw conflict('STEP_NOT_ALLOWED', why);
    if (input.version !== c.version) {
      throw conflict('STALE', `案件已被他人更新（您看到的是第 ${input.version} 版，现在是第 ${c.version} 版），请刷新后重试 (stale version)`);
    }
    const patch: repo.CasePatch = {};
    const data: Record<string, unknown> = {};
    const notices: { userIds: (number | null)[]; kind: string; title: string }[] = [];
    switch (input.action) {
      case 'register': {
        const { due, rule } = await deadlineFor(tx, c, now);
        Object.assign(patch, { registeredAt: now, dueAt: due, deadlineRule: rule });
        Object.assign(data, { dueAt: iso(due), rule });
        break;
      }
      case 'refuse': {
        if (input.reason !== 'invalid' && input.reason !== 'duplicate') throw badInput('请选择理由：invalid（无效）或 duplicate（重复）', [{ field: 'reason', message: 'required' }]);
        patch.refusedReason = input.reason;
        if (input.reason === 'duplicate') {
          if (input.duplicateOf === undefined || input.duplicateOf === '') throw badInput('重复案件请填写原案件编号', [{ field: 'duplicateOf', message: 'required' }]);
          const ref = String(input.duplicateOf);
          const orig = /^\d{1,9}$/.test(ref) ? await repo.caseById(tx, Number(ref)) : await repo.caseByNo(tx, ref);
          const original = orig ?? (await repo.caseByNo(tx, ref));
          if (!original || original.id === c.id) throw badInput(`原案件 ${ref} 不存在`, [{ field: 'duplicateOf', message: 'no such case' }]);
          assertRead(actor, original.areaPath, '原案件');
          patch.duplicateOf = original.id;
          data.duplicateOf = original.no;
        }
        data.reason = input.reason;
        notices.push({ userIds: [c.reportedBy], kind: 'case.refused', title: `案件 ${c.no} 不予立案` });
        break;
      }
      case 'dispatch': {
        if (!input.assigneeId) throw badInput('请选择处置人 (assigneeId)', [{ field: 'assigneeId', message: 'required' }]);
        const who = await repo.userCanWriteAt(tx, input.assigneeId, pathIds(c.areaPath));
        if (!who) throw badInput(`用户 ${input.assigneeId} 在“${c.areaName}”没有可处置的角色，不能派遣给他 (not a worker for this area)`, [{ field: 'assigneeId', message: 'not a worker here' }]);
        Object.assign(patch, { dispatchedAt: now, assigneeId: input.assigneeId, dispatcherId: actor.id });
        Object.assign(data, { assigneeId: input.assigneeId, assigneeName: who.displayName });
        notices.push({ userIds: [input.assigneeId], kind: 'case.dispatched', title: `派遣给您：${c.categoryName}（${c.areaName}）${c.dueAt ? `，期限 ${chinaTime(c.dueAt)}` : ''}` });
        break;
      }
      case 'feedback':
        if (!input.photoIds?.length) throw badInput('处置反馈需要至少一张整改后照片 (an "after" photo is required)', [{ field: 'photoIds', message: 'required' }]);
        patch.fixedAt = now;
        if (pending) await repo.decideRequest(tx, pending.id, 'withdrawn', null, '已反馈整改，申请自动撤回');
        notices.push({ userIds: [c.dispatcherId], kind: 'case.fixed', title: `待核查：${c.no} ${c.categoryName}（${c.areaName}）` });
        break;
      case 'pass':
        patch.closedAt = now;
        notices.push({ userIds: [c.assigneeId, c.reportedBy], kind: 'case.closed', title: `已结案：${c.no} ${c.categoryName}（${c.areaName}）` });
        break;
      case 'rework':
        Object.assign(patch, { reworkCount: c.reworkCount + 1, fixedAt: null });
        notices.push({ userIds: [c.assigneeId], kind: 'case.rework', title: `返工：${c.no} ${c.categoryName}（${c.areaName}）：${note}` });
        break;
      case 'request_extension': {
        const requested = input.requestedDueAt ? new Date(input.requestedDueAt) : null;
        if (!requested || Number.isNaN(requested.getTime())) throw badInput('请填写申请的新期限 (requestedDueAt, ISO time)', [{ field: 'requestedDueAt', message: 'required' }]);
        const maxAt = c.dueAt ? await dueFor(tx, c.dueAt, 10, 'work_day') : null;
        const problem = extensionProblem(c.dueAt, requested, c.extensionCount, maxAt && { at: maxAt, label: chinaTime(maxAt) }, now);
        if (problem) throw badInput(problem, [{ field: 'requestedDueAt', message: problem }], 'EXTENSION_LIMIT');
        await repo.insertRequest(tx, { caseId: c.id, kind: 'extension', reason: note!, requestedDueAt: requested, requestedBy: actor.id });
        data.requestedDueAt = requested.toISOString();
        notices.push({ userIds: [c.dispatcherId], kind: 'case.request', title: `延期申请：${c.no}（至 ${chinaTime(requested)}）` });
        break;
      }
      case 'request_return':
        await repo.insertRequest(tx, { caseId: c.id, kind: 'return', reason: note!, requestedDueAt: null, requestedBy: actor.id });
        notices.push({ userIds: [c.dispatcherId], kind: 'case.request', title: `回退申请：${c.no}：${note}` });
        break;
      case 'approve':
      case 'reject': {
        const req = pending!;
        if (input.requestId !== undefined && input.requestId !== req.id) throw conflict('STEP_NOT_ALLOWED', `申请 ${input.requestId} 已不是待审批的申请`);
        await repo.decideRequest(tx, req.id, input.action === 'approve' ? 'approved' : 'rejected', actor.id, note);
        Object.assign(data, { requestId: req.id, kind: req.kind });
        if (input.action === 'approve' && req.kind === 'extension') {
          Object.assign(patch, { dueAt: req.requestedDueAt, extensionCount: c.extensionCount + 1, remindedAt: null, escalatedAt: null });
          data.dueAt = iso(req.requestedDueAt);
        }
        if (input.action === 'approve' && req.kind === 'return') Object.assign(patch, { assigneeId: null, dispatchedAt: null });
        notices.push({ userIds: [req.requestedBy], kind: 'case.request', title: `您的${req.kind === 'extension' ? '延期' : '回退'}申请已${input.action === 'approve' ? '批准' : '驳回'}：${c.no}` });
        break;
      }
      default:
        break;
    }
    const to = nextState(input.action, facts, pending?.kind);
    if (to !== c.state) patch.state = to;
    const step = await repo.insertStep(tx, { caseId: c.id, action: input.action, fromState: c.state, toState: to, actorId: actor.id,
      actorName: actor.displayName, note, data: Object.keys(data).length ? data : null, at: now });
    if (input.photoIds?.length) {
      await attachPhotos(tx, { actorId: actor.id, photoIds: input.photoIds, caseId: c.id, stepId: step.id, stepSeq: step.seq,
        phase: phaseOf(input.action), ctx: { reportedAt: c.reportedAt, lat: c.lat, lng: c.lng } });
    }
    await repo.updateCase(tx, c.id, patch);
    for (const n of notices) {
      const userIds = [...new Set(n.userIds.filter((u): u is number => u !== null && u !== actor.id))];
      await notify(tx, { userIds, kind: n.kind, caseId: c.id, areaPath: c.areaPath, title: n.title, body: note ?? undefined });
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: `case.${input.action}`, entity: 'case', entityId: c.id,
      before: { state: c.state, version: c.version }, after: { state: to, ...data, note }, areaPath: c.areaPath });
  });
  // Bulk callers (the demo generator) skip reading the case back.
  return opts.detail === false ? (undefined as unknown as CaseDetail) : getCase(db, actor, id);
}

// ------------------------------------------------------------------ the resident reporter's steps

/**
 * A resident reopens their closed case (once; the intake checks that): it goes back to its
 * assignee with a fresh deadline, or to dispatch when it had none. Inside the caller's transaction.
 */
export async function reopenByReporter(tx: Db, id: number, reason: string, now: Date): Promise<void> {
  const c = await mustFind(tx, id, true);
  if (c.state !== 'closed') throw conflict('STEP_NOT_ALLOWED', '只有已办结的问题可以重开 (only a closed case reopens)');
  const to = c.assigneeId ? 'dispatched' : 'registered';
  const { due, rule } = await deadlineFor(tx, c, now);
  const step = { caseId: c.id, action: 'reopen', fromState: c.state, toState: to, actorId: null, actorName: '上报群众', note: reason,
    data: { dueAt: iso(due), rule }, at: now };
  await repo.insertStep(tx, step);
  await repo.updateCase(tx, c.id, { state: to, closedAt: null, fixedAt: null, dueAt: due, deadlineRule: rule, dispatchedAt: c.assigneeId ? now : null,
    remindedAt: null, escalatedAt: null });
  await notify(tx, { userIds: [c.assigneeId, c.dispatcherId].filter((u): u is number => u !== null), kind: 'case.reopened', caseId: c.id,
    areaPath: c.areaPath, title: `群众不满意，重新办理：${c.no} ${c.categoryName}（${c.areaName}）`, body: reason });
  await appendAudit(tx, { actorId: null, actorName: 'public', action: 'case.reopen', entity: 'case', entityId: c.id,
    before: { state: c.state, version: c.version }, after: { state: to, dueAt: iso(due) }, areaPath: c.areaPath });
}

/** Records the reporter's rating as a step of the case (its state does not change). */
export async function ratedByReporter(tx: Db, id: number, rating: { key: string; zh: string }, note: string | null, now: Date): Promise<void> {
  const c = await mustFind(tx, id, true);
  await repo.insertStep(tx, { caseId: c.id, action: 'rate', fromState: c.state, toState: c.state, actorId: null, actorName: '上报群众',
    note, data: { rating: rating.key }, at: now });
  if (rating.key === 'unsatisfied') {
    await notify(tx, { userIds: [c.dispatcherId].filter((u): u is number => u !== null), kind: 'case.rated', caseId: c.id, areaPath: c.areaPath,
      title: `群众评价“${rating.zh}”：${c.no} ${c.categoryName}（${c.areaName}）`, body: note ?? undefined });
  }
}

// ------------------------------------------------------------------ lists, inbox, map, assignees

export interface ListQuery {
  areaId?: number; state?: string; categoryId?: number; overdue?: boolean; assigneeId?: number; mine?: boolean;
  from?: string; to?: string; q?: string; page?: number; pageSize?: number;
}

async function filterOf(db: Db, actor: Actor, q: ListQuery, now: Date): Promise<ListFilter> {
  const f: ListFilter = { roots: readRoots(actor), now };
  if (q.areaId) {
    const a = await areas.findById(db, q.areaId);
    if (!a) throw notFound(`区域 ${q.areaId} 不存在`);
    assertRead(actor, a.path);
    f.areaPath = a.path;
  }
  if (q.state) {
    const states = q.state.split(',').map((s) => s.trim()).filter(Boolean);
    const known = ['reported', 'registered', 'dispatched', 'fixing', 'fixed', 'closed', 'refused'];
    const bad = states.filter((s) => !known.includes(s));
    if (bad.length) throw badInput(`未知状态：${bad.join('、')}（可用 ${known.join(', ')}）`, [{ field: 'state', message: 'unknown state' }]);
    f.states = states;
  }
  if (q.categoryId) {
    f.categoryIds = await repo.childCategoryIds(db, q.categoryId);
    if (f.categoryIds.length === 0) throw badInput(`事件分类 ${q.categoryId} 不存在`, [{ field: 'categoryId', message: 'unknown category' }], 'UNKNOWN_CATEGORY');
  }
  for (const k of ['from', 'to'] as const) {
    if (q[k] && !isIsoDate(q[k]!)) throw badInput(`日期应为 YYYY-MM-DD，收到 "${q[k]}"`, [{ field: k, message: 'invalid date' }]);
  }
  if (q.from && q.to && q.from > q.to) throw badInput('开始日期晚于结束日期', [{ field: 'from', message: 'after to' }]);
  Object.assign(f, { overdue: q.overdue, assigneeId: q.assigneeId, mineId: q.mine ? actor.id : undefined, from: q.from, to: q.to,
    q: q.q?.trim() || undefined });
  return f;
}

export async function listCases(db: Db, actor: Actor, q: ListQuery) {
  const now = new Date();
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(Math.max(1, q.pageSize ?? 20), 200);
  const { total, items } = await repo.listCases(db, await filterOf(db, actor, q, now), pageSize, (page - 1) * pageSize);
  return { items: await views(db, items, now), total, page, pageSize };
}

/** Every case of a filter, for the .xlsx export: it names residents who reported, so each export is audited. */
export async function allCases(db: Db, actor: Actor, q: ListQuery, max = 50_000) {
  const now = new Date();
  const { items, total } = await repo.listCases(db, await filterOf(db, actor, q, now), max, 0);
  if (total > max) throw badInput(`符合条件的案件有 ${total} 件，超过一次导出的上限 ${max}，请缩小范围`, [{ field: 'from', message: 'too many rows' }]);
  const area = q.areaId ? await areas.findById(db, q.areaId) : undefined;
  await auditRead(db, actor, { action: 'personal.export', entity: 'case', entityId: null, areaPath: readScopePath(actor, area?.path ?? null),
    after: { export: 'cases.xlsx', rows: total, filter: q } });
  return views(db, items, now);
}

export async function mapCases(db: Db, actor: Actor, q: ListQuery) {
  const now = new Date();
  const list = await repo.mapCases(db, await filterOf(db, actor, q, now), 5000);
  return list.map(({ dueAt, ...c }) => ({ ...c, overdue: isOverdue({ state: c.state, dueAt }, now) }));
}

/** The subtree roots where the actor holds one of the roles (with write rights). */
function rootsFor(actor: Actor, roles: string[]): string[] | 'all' {
  const gs = actor.grants.filter((g) => g.canWrite && roles.includes(g.roleKey));
  if (gs.some((g) => g.areaPath === null)) return 'all';
  return [...new Set(gs.map((g) => g.areaPath!))];
}

export async function inbox(db: Db, actor: Actor) {
  const now = new Date();
  const dispatch = rootsFor(actor, DISPATCH_ROLES);
  const check = rootsFor(actor, CHECK_ROLES);
  const take = 50;
  const lists = await Promise.all([
    repo.listCases(db, { roots: dispatch, states: ['reported'], now }, take, 0),
    repo.listCases(db, { roots: dispatch, states: ['registered'], now }, take, 0),
    repo.listCases(db, { roots: 'all', states: ['dispatched', 'fixing'], assigneeId: actor.id, now }, take, 0),
    repo.listCases(db, { roots: check, states: ['fixed'], notAssigneeId: actor.id, now }, take, 0),
    repo.listCases(db, { roots: dispatch, pendingRequestNotBy: actor.id, now }, take, 0),
  ]);
  const [register, toDispatch, fix, toCheck, requests] = await Promise.all(lists.map((l) => views(db, l.items, now)));
  return {
    register: register!, dispatch: toDispatch!, fix: fix!, check: toCheck!, requests: requests!,
    counts: { register: lists[0]!.total, dispatch: lists[1]!.total, fix: lists[2]!.total, check: lists[3]!.total, requests: lists[4]!.total },
  };
}

/** Who a case may go to: writers covering its area; the holder of the category's responsibility first. */
export async function assignees(db: Db, actor: Actor, id: number) {
  const c = await mustFind(db, id);
  assertRead(actor, c.areaPath, '该案件');
  const ids = pathIds(c.areaPath);
  const cat = await repo.categoryById(db, c.categoryId);
  const chain = await answerable(db, ids, todayInChina());
  const kindOf = new Map<number, string>();
  for (const r of chain) if (r.userId && !kindOf.has(r.userId)) kindOf.set(r.userId, r.kind);
  const route = chain.find((r) => r.kind === cat?.routeKind && r.userId)?.userId
    ?? chain.find((r) => r.userId && ['cleaner_patch', 'grid_worker_grid', 'village_cadre_group'].includes(r.kind))?.userId ?? null;
  const list = (await repo.writersCovering(db, ids)).map((w) => ({
    userId: Number(w.userId), displayName: w.displayName, roleName: w.roleName, areaName: w.areaName, depth: Number(w.depth),
    kind: kindOf.get(Number(w.userId)) ?? null, kindName: KIND_ZH[kindOf.get(Number(w.userId)) ?? ''] ?? null,
    suggested: Number(w.userId) === route,
  }));
  return list.sort((a, b) => Number(b.suggested) - Number(a.suggested) || Number(b.kind !== null) - Number(a.kind !== null) || b.depth - a.depth)
    .map(({ depth: _d, ...x }) => x);
}

// ------------------------------------------------------------------ deadlines: reminders and escalation

/** Reminds assignees before the due time and escalates overdue cases once each (the job queue runs this). */
export async function sweepDeadlines(db: Db, now = new Date()) {
  let reminded = 0; let escalated = 0;
  for (const c of await repo.dueSoon(db, now, new Date(now.getTime() + 24 * 3_600_000), 500)) {
    // A reminder when a quarter of the allowed time is left (at most a day ahead).
    const allowed = c.dueAt!.getTime() - (c.registeredAt ?? c.reportedAt).getTime();
    if (c.dueAt!.getTime() - now.getTime() > Math.min(24 * 3_600_000, allowed / 4)) continue;
    await db.transaction(async (tx) => {
      if (!(await repo.markOnce(tx, c.id, 'reminded_at', now))) return;
      const userIds = [...new Set([c.assigneeId, c.dispatcherId].filter((u): u is number => u !== null))];
      await notify(tx, { userIds, kind: 'case.due_soon', caseId: c.id, areaPath: c.areaPath,
        title: `即将到期：${c.no} ${c.categoryName}（${c.areaName}），期限 ${chinaTime(c.dueAt!)}` });
      reminded += 1;
    });
  }
  for (const c of await repo.newlyOverdue(db, now, 500)) {
    await db.transaction(async (tx) => {
      if (!(await repo.markOnce(tx, c.id, 'escalated_at', now))) return;
      // Escalation goes up the chain: the district's office and the village's assigned leader.
      const chain = await answerable(tx, pathIds(c.areaPath), todayInChina(now));
      const up = chain.filter((r) => (r.kind === 'office_district' || r.kind === 'leader_village') && r.userId).map((r) => r.userId!);
      const userIds = [...new Set([c.assigneeId, c.dispatcherId, ...up].filter((u): u is number => u !== null))];
      await notify(tx, { userIds, kind: 'case.overdue', caseId: c.id, areaPath: c.areaPath,
        title: `已超期：${c.no} ${c.categoryName}（${c.areaName}），期限 ${chinaTime(c.dueAt!)}，处置人 ${c.assigneeName ?? '未派遣'}` });
      await repo.insertStep(tx, { caseId: c.id, action: 'escalate', fromState: c.state, toState: c.state, actorId: null, actorName: '系统',
        note: '超期督办：已通知管区科室和挂包领导', data: { notified: userIds }, at: now });
      escalated += 1;
    });
  }
  return { reminded, escalated };
}

export async function caseStats(db: Db) {
  return repo.countByState(db, new Date());
}
