// The routines (7个1) as data: plans say what, who, where and when; tasks are generated ahead of
// time for whoever answered for the area on that date; a result is submitted once, scored on its
// checklist, and each failed item can become a case in the same submission.
import type { Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { isIsoDate, todayInChina } from '../../lib/dates.js';
import { canWrite, assertRead, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import { reportCase } from '../cases/cases.service.js';
import { rows, sql } from '../../db/client.js';
import { checkRecurrence, occurrences, parsePeriodKey, type Recurrence } from './periods.rules.js';
import { checkAnswers, checkTemplate, scoreResult, type Answer, type ChecklistItem } from './checklist.rules.js';
import * as repo from './routines.repository.js';
import type { TaskRow } from './routines.repository.js';
import { attachToTask } from '../evidence/evidence.repository.js';

// who may is the duty table's (routines.manage, checked on the route); the actor arrives narrowed to it
const isAdmin = (actor: Actor) => actor.grants.length > 0;
function assertAdmin(actor: Actor) {
  if (!isAdmin(actor)) throw forbidden('只有系统管理员或镇管理员可以修改例行工作计划和检查表 (administrators only)');
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// ------------------------------------------------------------------ plans and checklists

export const listPlans = (db: Db) => repo.plans(db);
export const listTemplates = (db: Db) => repo.templates(db);

export async function getTemplate(db: Db, id: number) {
  const t = await repo.templateById(db, id);
  if (!t) throw notFound(`检查表 ${id} 不存在`);
  return t;
}

function templateProblems(name: string, items: unknown[]) {
  const problems = checkTemplate({ name, items: items as ChecklistItem[] });
  if (problems.length) throw badInput(problems.map((p) => p.message).join('；'), problems);
}

export async function createTemplate(db: Db, actor: Actor, input: { code: string; name: string; items: unknown[] }) {
  assertAdmin(actor);
  templateProblems(input.name, input.items);
  try {
    const id = await db.transaction(async (tx) => {
      const id = await repo.insertTemplate(tx, input);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'checklist.create', entity: 'checklist_template', entityId: id, after: input });
      return id;
    });
    return getTemplate(db, id);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('CODE_TAKEN', `检查表代码 ${input.code} 已存在`);
    throw e;
  }
}

export async function updateTemplate(db: Db, actor: Actor, id: number, input: { name?: string; items?: unknown[]; version: number }) {
  assertAdmin(actor);
  const cur = await getTemplate(db, id);
  if (cur.version !== input.version) throw conflict('STALE', `检查表已被他人修改（第 ${cur.version} 版），请刷新后重试`);
  const next = { name: input.name ?? cur.name, items: input.items ?? cur.items };
  templateProblems(next.name, next.items);
  await db.transaction(async (tx) => {
    await repo.updateTemplate(tx, id, next);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'checklist.update', entity: 'checklist_template', entityId: id, before: cur, after: next });
  });
  return getTemplate(db, id);
}

export async function updatePlan(db: Db, actor: Actor, id: number, input: { name?: string; recurrence?: unknown; graceDays?: number; active?: boolean; version: number }) {
  assertAdmin(actor);
  return db.transaction(async (tx) => {
    const cur = await repo.planById(tx, id, true);
    if (!cur) throw notFound(`计划 ${id} 不存在`);
    if (cur.version !== input.version) throw conflict('STALE', `计划已被他人修改（第 ${cur.version} 版），请刷新后重试`);
    const next = { name: input.name?.trim() || cur.name, recurrence: input.recurrence ?? cur.recurrence, graceDays: input.graceDays ?? cur.graceDays, active: input.active ?? cur.active };
    const problems = checkRecurrence(next.recurrence as Recurrence);
    if (problems.length) throw badInput(problems.map((p) => p.message).join('；'), problems, 'BAD_RECURRENCE');
    if (!Number.isInteger(next.graceDays) || next.graceDays < 0 || next.graceDays > 60) throw badInput('宽限天数应为 0–60 的整数', [{ field: 'graceDays', message: 'out of range' }]);
    await repo.updatePlan(tx, id, next);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'plan.update', entity: 'routine_plan', entityId: id,
      before: { name: cur.name, recurrence: cur.recurrence, graceDays: cur.graceDays, active: cur.active }, after: next });
    return (await repo.planById(tx, id))!;
  });
}

// ------------------------------------------------------------------ task generation

/** Generates the tasks of every active plan for occurrences overlapping [from, to]; idempotent. */
export async function generateTasks(db: Db, from: string, to: string, opts: { planIds?: number[] } = {}) {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) throw badInput(`日期范围无效：${from} 至 ${to}`, [{ field: 'from', message: 'invalid range' }]);
  let inserted = 0; let occurrenceCount = 0;
  for (const plan of await repo.plans(db, true)) {
    if (opts.planIds && !opts.planIds.includes(plan.id)) continue;
    const problems = checkRecurrence(plan.recurrence as Recurrence);
    if (problems.length) continue; // a broken plan cannot be saved through the API; skip one edited by hand
    for (const o of occurrences(plan.recurrence as Recurrence, from, to, plan.graceDays)) {
      occurrenceCount += 1;
      inserted += await repo.insertOccurrence(db, plan, o);
    }
  }
  return { inserted, occurrences: occurrenceCount };
}

/** The daily job: tasks for the next two weeks (so "this week" is always there, even after a restart). */
export const generateAhead = (db: Db, now = new Date()) => {
  const today = todayInChina(now);
  return generateTasks(db, today, addDays(today, 14));
};

// ------------------------------------------------------------------ my tasks, one task, results

function status(t: TaskRow, today: string): 'open' | 'due' | 'overdue' | 'done' | 'late' {
  if (t.doneAt) return t.onTime === false ? 'late' : 'done';
  if (t.dueDate < today) return 'overdue';
  return t.windowStart <= today ? 'due' : 'open';
}
function taskView(t: TaskRow, today: string) {
  const { areaPath: _p, ...rest } = t;
  return { ...rest, doneAt: t.doneAt?.toISOString() ?? null, status: status(t, today) };
}

export async function myTasks(db: Db, actor: Actor, q: { from?: string; to?: string }) {
  const today = todayInChina();
  const from = q.from ?? addDays(today, -7);
  const to = q.to ?? addDays(today, 7);
  for (const [k, v] of [['from', from], ['to', to]] as const) if (!isIsoDate(v)) throw badInput(`日期应为 YYYY-MM-DD，收到 "${v}"`, [{ field: k, message: 'invalid date' }]);
  if (from > to) throw badInput('开始日期晚于结束日期', [{ field: 'from', message: 'after to' }]);
  if (Date.parse(to) - Date.parse(from) > 400 * 86_400_000) throw badInput('一次最多查看 400 天', [{ field: 'to', message: 'range too long' }]);
  const areaIds = [...new Set(actor.grants.filter((g) => g.canWrite && g.areaId !== null).map((g) => g.areaId!))];
  return (await repo.tasksFor(db, actor.id, areaIds, from, to)).map((t) => taskView(t, today));
}

async function mustTask(db: Db, id: number, forUpdate = false) {
  const t = await repo.taskById(db, id, forUpdate);
  if (!t) throw notFound(`任务 ${id} 不存在 (no such task)`);
  return t;
}
const mayDo = (actor: Actor, t: TaskRow) => (t.userId !== null ? t.userId === actor.id : canWrite(actor, t.areaPath));

async function resultView(db: Db, taskId: number) {
  const r = await repo.resultOf(db, taskId);
  if (!r) return null;
  const ids = (r.caseIds ?? []).map(Number);
  const cases = ids.length ? await rows<{ id: number; no: string }>(db, sql`SELECT id, no FROM case_file WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) ORDER BY id`) : [];
  return { ...r, submittedAt: r.submittedAt.toISOString(), cases: cases.map((c) => ({ id: Number(c.id), no: c.no })) };
}

export async function getTask(db: Db, actor: Actor, id: number) {
  const t = await mustTask(db, id);
  if (!mayDo(actor, t)) assertRead(actor, t.areaPath, '该任务');
  const plan = (await repo.planById(db, t.planId))!;
  const template = t.templateId ? await repo.templateById(db, t.templateId) : null;
  return {
    task: taskView(t, todayInChina()), mayDo: mayDo(actor, t),
    plan: { id: plan.id, code: plan.code, name: plan.name, kind: plan.kind, recurrence: plan.recurrence, graceDays: plan.graceDays },
    template: template && { id: template.id, code: template.code, name: template.name, items: template.items },
    result: await resultView(db, id),
  };
}

export interface ResultInput { clientId?: string; answers: (Answer & { raiseCase?: boolean })[]; note?: string | null }

export async function submitResult(db: Db, actor: Actor, id: number, input: ResultInput, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date();
  if (input.clientId !== undefined && !/^[A-Za-z0-9_-]{8,64}$/.test(input.clientId)) throw badInput('clientId 应为 8–64 位字母、数字或连字符', [{ field: 'clientId', message: 'bad clientId' }]);
  const t = await mustTask(db, id);
  if (!mayDo(actor, t)) {
    assertRead(actor, t.areaPath, '该任务');
    throw forbidden(`这是${t.userName ?? '他人'}的任务，不能替他提交 (not your task)`);
  }
  const existing = await repo.resultOf(db, id);
  if (existing) {
    if (input.clientId && existing.clientId === input.clientId) return { created: false, result: (await resultView(db, id))! };
    throw conflict('ALREADY_SUBMITTED', `该任务已于 ${existing.submittedAt.toISOString().slice(0, 16).replace('T', ' ')} 提交结果，每个任务只有一份结果 (one result per task)`);
  }
  if (await repo.isLocked(db, t.planId, t.period)) throw conflict('PERIOD_LOCKED', `${t.period} 期已锁定，不能再提交结果 (the period is locked)`);
  if (t.windowStart > todayInChina(now)) throw conflict('NOT_YET', `任务从 ${t.windowStart} 开始，现在还不能提交 (the window has not opened)`);
  const template = t.templateId ? await repo.templateById(db, t.templateId) : null;
  const items = (template?.items ?? []) as ChecklistItem[];
  const tpl = { name: template?.name ?? '', items };
  const answers = input.answers ?? [];
  if (items.length) {
    const problems = checkAnswers(tpl, answers);
    if (problems.length) throw badInput(problems.map((p) => p.message).join('；'), problems);
  }
  const scored = items.length ? scoreResult(tpl, answers) : { score: null, max: null, percent: null, failed: [] };
  const plan = (await repo.planById(db, t.planId))!;
  const raise = scored.failed.filter((f) => f.categoryCode && answers.find((a) => a.itemId === f.itemId)?.raiseCase !== false);
  const category = new Map((await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM case_category WHERE parent_id IS NOT NULL AND active`))
    .map((c) => [c.code, Number(c.id)]));
  try {
    return await db.transaction(async (tx) => {
      const caseIds: number[] = [];
      for (const f of raise) {
        const categoryId = category.get(f.categoryCode!);
        if (!categoryId) continue;
        const answer = answers.find((a) => a.itemId === f.itemId);
        const r = await reportCase(tx, actor, {
          source: plan.kind === 'supervision' ? 'supervision' : 'routine', categoryId, areaId: t.areaId,
          description: `${plan.name}（${t.period}）发现：${f.label}${answer?.note ? `。${answer.note}` : ''}`.slice(0, 2000),
          photoIds: answer?.photoIds,
        }, { now, detail: false });
        caseIds.push(r.case.id);
      }
      // The other photos belong to the result: attached to the task, so whoever may read it sees them.
      const used = new Set(raise.flatMap((f) => answers.find((a) => a.itemId === f.itemId)?.photoIds ?? []));
      const rest = [...new Set(answers.flatMap((a) => a.photoIds ?? []))].filter((p) => !used.has(p));
      if ((await attachToTask(tx, id, actor.id, rest)) !== rest.length) {
        throw badInput('有照片不存在、不是您上传的或已用于别处，请重新上传 (photos must be your own, new uploads)', [{ field: 'answers', message: 'bad photoIds' }]);
      }
      const onTime = todayInChina(now) <= t.dueDate;
      const resultId = await repo.insertResult(tx, { taskId: id, clientId: input.clientId ?? null, submittedBy: actor.id, at: now, templateItems: items,
        answers, score: scored.score, maxScore: scored.max, percent: scored.percent, note: input.note?.trim() || null, caseIds });
      await repo.markDone(tx, id, now, onTime);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'task.result', entity: 'routine_task', entityId: id,
        after: { resultId, percent: scored.percent, onTime, caseIds }, areaPath: t.areaPath });
      return { created: true, result: (await resultView(tx, id))! };
    });
  } catch (e) {
    // Two submissions at once: the unique task_id lets one in; the other is told, and nothing is doubled.
    if (isUniqueViolation(e)) {
      const r = await repo.resultOf(db, id);
      if (r && input.clientId && r.clientId === input.clientId) return { created: false, result: (await resultView(db, id))! };
      throw conflict('ALREADY_SUBMITTED', '该任务刚刚已有人提交结果，每个任务只有一份结果 (one result per task)');
    }
    throw e;
  }
}

export async function lockPeriod(db: Db, actor: Actor, planId: number, period: string) {
  assertAdmin(actor);
  if (!parsePeriodKey(period)) throw badInput(`期别 "${period}" 格式不对（如 20261128、2026W48、202611、2026Q4、2026S2、2026）`, [{ field: 'period', message: 'bad period' }]);
  const plan = await repo.planById(db, planId);
  if (!plan) throw notFound(`计划 ${planId} 不存在`);
  return db.transaction(async (tx) => {
    const locked = await repo.lockPeriod(tx, planId, period, actor.id);
    if (locked) await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'period.lock', entity: 'routine_plan', entityId: planId, after: { period } });
    return { planId, period, locked: true, already: !locked };
  });
}

// ------------------------------------------------------------------ completeness and timeliness (as DHIS2 reports them)

interface Counts { expected: number; done: number; onTime: number; late: number; missing: number }
const zero = (): Counts => ({ expected: 0, done: 0, onTime: 0, late: 0, missing: 0 });
const COUNT_KEYS = ['expected', 'done', 'onTime', 'late', 'missing'] as const;
const add = (a: Counts, b: Counts) => { for (const k of COUNT_KEYS) a[k] += b[k]; };
const rates = (c: Counts) => ({ ...c, completeness: c.expected ? Math.round((c.done / c.expected) * 10000) / 100 : null,
  timeliness: c.expected ? Math.round((c.onTime / c.expected) * 10000) / 100 : null });

export async function completeness(db: Db, actor: Actor, q: { planId: number; period: string; areaId: number }) {
  const plan = await repo.planById(db, q.planId);
  if (!plan) throw notFound(`计划 ${q.planId} 不存在`);
  const p = parsePeriodKey(q.period);
  if (!p) throw badInput(`期别 "${q.period}" 格式不对（如 20261128、2026W48、202611、2026Q4、2026S2、2026）`, [{ field: 'period', message: 'bad period' }]);
  const area = await areas.findById(db, q.areaId);
  if (!area) throw notFound(`区域 ${q.areaId} 不存在`);
  assertRead(actor, area.path);
  // A longer report period takes in every task period inside it (a month holds its days and weeks).
  const periods = await rows<{ period: string }>(db, sql`SELECT DISTINCT period FROM routine_task WHERE plan_id = ${plan.id}
    AND window_start >= ${p.start} AND window_start <= ${p.end}`);
  const list = periods.length ? await repo.completenessRows(db, plan.id, periods.map((r) => r.period), area.path, todayInChina()) : [];
  const ids = [...new Set(list.flatMap((r) => r.path.split('/').filter(Boolean).map(Number)))];
  const info = new Map((ids.length ? await rows<{ id: number; name: string; level: string }>(db, sql`SELECT id, name, level_key AS level FROM area
    WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`) : []).map((a) => [Number(a.id), a]));
  const byLevel: Record<string, Map<number, { areaId: number; name: string } & Counts>> = { district: new Map(), village: new Map() };
  const total = zero();
  const people = new Map<string, { userId: number | null; name: string | null } & Counts>();
  for (const r of list) {
    add(total, r);
    for (const i of r.path.split('/').filter(Boolean).map(Number)) {
      const a = info.get(i);
      if (!a || !(a.level in byLevel)) continue;
      const m = byLevel[a.level]!;
      if (!m.has(i)) m.set(i, { areaId: i, name: a.name, ...zero() });
      add(m.get(i)!, r);
    }
    const key = String(r.userId ?? `area:${r.areaId}`);
    if (!people.has(key)) people.set(key, { userId: r.userId, name: r.userName ?? r.areaName, ...zero() });
    add(people.get(key)!, r);
  }
  const today = todayInChina();
  const gaps = await rows<Record<string, unknown>>(db, sql`SELECT t.id, t.period, t.due_date AS "dueDate", t.done_at AS "doneAt", a.name AS "areaName",
      u.display_name AS "userName" FROM routine_task t JOIN area a ON a.id = t.area_id LEFT JOIN app_user u ON u.id = t.user_id
    WHERE t.plan_id = ${plan.id} AND t.window_start >= ${p.start} AND t.window_start <= ${p.end} AND a.path LIKE ${`${area.path}%`}
      AND ((t.done_at IS NULL AND t.due_date < ${today}) OR t.on_time = false) ORDER BY t.due_date, a.code LIMIT 500`);
  return {
    plan: { id: plan.id, code: plan.code, name: plan.name }, period: q.period, periodStart: p.start, periodEnd: p.end,
    area: { id: area.id, name: area.name, level: area.level },
    total: rates(total),
    districts: [...byLevel.district!.values()].map(rates), villages: [...byLevel.village!.values()].map(rates),
    people: [...people.values()].map(rates).sort((a, b) => (a.completeness ?? 0) - (b.completeness ?? 0)),
    gaps: gaps.map((g) => ({ taskId: Number(g.id), period: g.period, dueDate: g.dueDate, areaName: g.areaName, userName: g.userName,
      kind: g.doneAt ? 'late' : 'missing' })),
  };
}

export async function taskStats(db: Db) {
  return repo.taskCounts(db, todayInChina());
}
