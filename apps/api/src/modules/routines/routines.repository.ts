// The only place with routine queries. Generation is INSERT … SELECT … ON CONFLICT DO NOTHING on
// the occurrence's unique index, so running it twice (a restart, a replay) adds nothing.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';

export interface PlanRow {
  id: number; code: string; name: string; kind: string; templateId: number | null;
  assignee: { responsibility?: string; roles?: string[]; area?: boolean };
  areaLevel: string; scopeAreaId: number | null; scopePath: string | null; recurrence: unknown; graceDays: number; active: boolean; version: number;
}
const PLAN = sql`p.id, p.code, p.name, p.kind, p.template_id AS "templateId", p.assignee, p.area_level AS "areaLevel",
  p.scope_area_id AS "scopeAreaId", s.path AS "scopePath", p.recurrence, p.grace_days AS "graceDays", p.active, p.version`;
const toPlan = (r: PlanRow): PlanRow => ({ ...r, id: Number(r.id), templateId: r.templateId == null ? null : Number(r.templateId),
  scopeAreaId: r.scopeAreaId == null ? null : Number(r.scopeAreaId) });

export async function plans(db: Db, activeOnly = false): Promise<PlanRow[]> {
  return (await rows<PlanRow>(db, sql`SELECT ${PLAN} FROM routine_plan p LEFT JOIN area s ON s.id = p.scope_area_id
    ${activeOnly ? sql`WHERE p.active` : sql``} ORDER BY p.id`)).map(toPlan);
}
export async function planById(db: Db, id: number, forUpdate = false): Promise<PlanRow | undefined> {
  const [r] = await rows<PlanRow>(db, sql`SELECT ${PLAN} FROM routine_plan p LEFT JOIN area s ON s.id = p.scope_area_id
    WHERE p.id = ${id} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`);
  return r ? toPlan(r) : undefined;
}
export async function updatePlan(tx: Db, id: number, p: { name: string; recurrence: unknown; graceDays: number; active: boolean }) {
  await tx.execute(sql`UPDATE routine_plan SET name = ${p.name}, recurrence = ${JSON.stringify(p.recurrence)}::jsonb, grace_days = ${p.graceDays},
    active = ${p.active}, version = version + 1, updated_at = now() WHERE id = ${id}`);
}

export interface TemplateRow { id: number; code: string; name: string; items: unknown[]; active: boolean; version: number }
export async function templateById(db: Db, id: number): Promise<TemplateRow | undefined> {
  const [r] = await rows<TemplateRow>(db, sql`SELECT id, code, name, items, active, version FROM checklist_template WHERE id = ${id}`);
  return r ? { ...r, id: Number(r.id) } : undefined;
}
export async function templates(db: Db): Promise<TemplateRow[]> {
  return (await rows<TemplateRow>(db, sql`SELECT id, code, name, items, active, version FROM checklist_template ORDER BY id`)).map((r) => ({ ...r, id: Number(r.id) }));
}
export async function insertTemplate(tx: Db, t: { code: string; name: string; items: unknown[] }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO checklist_template (code, name, items) VALUES (${t.code}, ${t.name}, ${JSON.stringify(t.items)}::jsonb) RETURNING id`);
  return Number(r!.id);
}
export async function updateTemplate(tx: Db, id: number, t: { name: string; items: unknown[] }) {
  await tx.execute(sql`UPDATE checklist_template SET name = ${t.name}, items = ${JSON.stringify(t.items)}::jsonb, version = version + 1, updated_at = now() WHERE id = ${id}`);
}

/** Tasks for one occurrence of a plan: one per holder (or per area, for "any member of the area"). */
export async function insertOccurrence(db: Db, plan: PlanRow, o: { period: string; windowStart: string; windowEnd: string; dueDate: string }): Promise<number> {
  const scope = plan.scopePath ? sql`AND a.path LIKE ${`${plan.scopePath}%`}` : sql``;
  const day = o.windowStart;
  let source: SQL;
  if (plan.assignee.responsibility) {
    source = sql`SELECT r.area_id, r.user_id, a.county_code FROM responsibility r JOIN area a ON a.id = r.area_id
      JOIN app_user u ON u.id = r.user_id
      WHERE r.kind = ${plan.assignee.responsibility} AND r.valid_from <= ${day} AND (r.valid_to IS NULL OR r.valid_to >= ${day})
        AND a.level_key = ${plan.areaLevel} AND a.archived_at IS NULL AND u.disabled_at IS NULL ${scope}`;
  } else if (plan.assignee.roles?.length) {
    source = sql`SELECT DISTINCT g.area_id, g.user_id, a.county_code FROM user_role g JOIN area a ON a.id = g.area_id
      JOIN app_user u ON u.id = g.user_id
      WHERE g.role_key IN (${sql.join(plan.assignee.roles.map((x) => sql`${x}`), sql`, `)}) AND a.level_key = ${plan.areaLevel}
        AND a.archived_at IS NULL AND u.disabled_at IS NULL ${scope}`;
  } else {
    source = sql`SELECT a.id AS area_id, NULL::bigint AS user_id, a.county_code FROM area a
      WHERE a.level_key = ${plan.areaLevel} AND a.archived_at IS NULL ${scope}`;
  }
  const r = await rows(db, sql`INSERT INTO routine_task (plan_id, period, area_id, user_id, county_code, window_start, window_end, due_date)
    SELECT ${plan.id}, ${o.period}, s.area_id, s.user_id, s.county_code, ${o.windowStart}, ${o.windowEnd}, ${o.dueDate} FROM (${source}) s
    ON CONFLICT (plan_id, period, area_id, user_id) DO NOTHING RETURNING id`);
  return r.length;
}

export interface TaskRow {
  id: number; planId: number; planCode: string; planName: string; kind: string; templateId: number | null; period: string;
  areaId: number; areaName: string; areaPath: string; userId: number | null; userName: string | null;
  windowStart: string; windowEnd: string; dueDate: string; doneAt: Date | null; onTime: boolean | null; resultId: number | null; percent: number | null;
}
const TASK = sql`t.id, t.plan_id AS "planId", p.code AS "planCode", p.name AS "planName", p.kind, p.template_id AS "templateId", t.period,
  t.area_id AS "areaId", a.name AS "areaName", a.path AS "areaPath", t.user_id AS "userId", u.display_name AS "userName",
  t.window_start AS "windowStart", t.window_end AS "windowEnd", t.due_date AS "dueDate", t.done_at AS "doneAt", t.on_time AS "onTime",
  (SELECT r.id FROM task_result r WHERE r.task_id = t.id) AS "resultId", (SELECT r.percent FROM task_result r WHERE r.task_id = t.id) AS percent`;
const TFROM = sql`routine_task t JOIN routine_plan p ON p.id = t.plan_id JOIN area a ON a.id = t.area_id LEFT JOIN app_user u ON u.id = t.user_id`;
const toTask = (r: Record<string, unknown>): TaskRow => ({
  ...r, id: Number(r.id), planId: Number(r.planId), areaId: Number(r.areaId), userId: r.userId == null ? null : Number(r.userId),
  templateId: r.templateId == null ? null : Number(r.templateId), resultId: r.resultId == null ? null : Number(r.resultId), doneAt: toDate(r.doneAt),
  percent: r.percent == null ? null : Number(r.percent),
}) as TaskRow;

export async function taskById(db: Db, id: number, forUpdate = false): Promise<TaskRow | undefined> {
  const [r] = await rows<Record<string, unknown>>(db, sql`SELECT ${TASK} FROM ${TFROM} WHERE t.id = ${id} ${forUpdate ? sql`FOR UPDATE OF t` : sql``}`);
  return r ? toTask(r) : undefined;
}

/** The user's own tasks, and the tasks of the areas where they hold a writing role themselves (a
 *  village's cadre sees the village's summary; a leader whose role is on the whole town does not). */
export async function tasksFor(db: Db, userId: number, areaIds: number[], from: string, to: string, limit = 500): Promise<TaskRow[]> {
  const areaTasks = areaIds.length === 0 ? sql`FALSE` : sql`t.area_id IN (${sql.join(areaIds.map((i) => sql`${i}`), sql`, `)})`;
  return (await rows<Record<string, unknown>>(db, sql`SELECT ${TASK} FROM ${TFROM}
    WHERE (t.user_id = ${userId} OR (t.user_id IS NULL AND ${areaTasks})) AND t.due_date >= ${from} AND t.window_start <= ${to}
    ORDER BY t.due_date, t.window_start, p.id, a.code LIMIT ${limit}`)).map(toTask);
}

export async function resultOf(db: Db, taskId: number) {
  const [r] = await rows<Record<string, unknown>>(db, sql`SELECT id, client_id AS "clientId", submitted_by AS "submittedBy", submitted_at AS "submittedAt",
    answers, score, max_score AS "maxScore", percent, note, case_ids AS "caseIds" FROM task_result WHERE task_id = ${taskId}`);
  return r ? { ...r, id: Number(r.id), submittedBy: Number(r.submittedBy), submittedAt: toDate(r.submittedAt)! } as {
    id: number; clientId: string | null; submittedBy: number; submittedAt: Date; answers: unknown; score: number | null; maxScore: number | null;
    percent: number | null; note: string | null; caseIds: number[] | null } : undefined;
}

export async function insertResult(tx: Db, r: { taskId: number; clientId: string | null; submittedBy: number; at: Date; templateItems: unknown;
  answers: unknown; score: number | null; maxScore: number | null; percent: number | null; note: string | null; caseIds: number[] }): Promise<number> {
  const [x] = await rows<{ id: number }>(tx, sql`INSERT INTO task_result (task_id, client_id, submitted_by, submitted_at, template_items, answers,
      score, max_score, percent, note, case_ids)
    VALUES (${r.taskId}, ${r.clientId}, ${r.submittedBy}, ${r.at.toISOString()}, ${JSON.stringify(r.templateItems)}::jsonb, ${JSON.stringify(r.answers)}::jsonb,
      ${r.score}, ${r.maxScore}, ${r.percent}, ${r.note}, ${JSON.stringify(r.caseIds)}::jsonb) RETURNING id`);
  return Number(x!.id);
}
export async function markDone(tx: Db, taskId: number, at: Date, onTime: boolean) {
  await tx.execute(sql`UPDATE routine_task SET done_at = ${at.toISOString()}, on_time = ${onTime} WHERE id = ${taskId}`);
}
export async function isLocked(db: Db, planId: number, period: string): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM period_lock WHERE plan_id = ${planId} AND period = ${period}`)).length > 0;
}
export async function lockPeriod(tx: Db, planId: number, period: string, by: number): Promise<boolean> {
  return (await rows(tx, sql`INSERT INTO period_lock (plan_id, period, locked_by) VALUES (${planId}, ${period}, ${by}) ON CONFLICT DO NOTHING RETURNING plan_id`)).length > 0;
}

/** Expected, done and done on time per task area and holder, for a plan's periods under a path. */
export async function completenessRows(db: Db, planId: number, periods: string[], path: string, today: string) {
  return (await rows<Record<string, unknown>>(db, sql`SELECT t.area_id AS "areaId", a.path, a.name AS "areaName", t.user_id AS "userId",
      u.display_name AS "userName", count(*) AS expected, count(t.done_at) AS done, count(*) FILTER (WHERE t.on_time) AS "onTime",
      count(*) FILTER (WHERE t.done_at IS NULL AND t.due_date < ${today}) AS missing,
      count(*) FILTER (WHERE t.done_at IS NOT NULL AND NOT t.on_time) AS late
    FROM routine_task t JOIN area a ON a.id = t.area_id LEFT JOIN app_user u ON u.id = t.user_id
    WHERE t.plan_id = ${planId} AND t.period IN (${sql.join(periods.map((p) => sql`${p}`), sql`, `)}) AND a.path LIKE ${`${path}%`}
    GROUP BY t.area_id, a.path, a.name, t.user_id, u.display_name`)).map((r) => ({
    areaId: Number(r.areaId), path: String(r.path), areaName: String(r.areaName), userId: r.userId == null ? null : Number(r.userId),
    userName: (r.userName as string | null) ?? null, expected: Number(r.expected), done: Number(r.done), onTime: Number(r.onTime),
    missing: Number(r.missing), late: Number(r.late),
  }));
}

export async function taskCounts(db: Db, today: string) {
  const [r] = await rows<{ due: number; done: number; late: number }>(db, sql`SELECT
    count(*) FILTER (WHERE done_at IS NULL AND window_start <= ${today}) AS due,
    count(done_at) AS done,
    count(*) FILTER (WHERE (done_at IS NULL AND due_date < ${today}) OR (done_at IS NOT NULL AND NOT on_time)) AS late
    FROM routine_task`);
  return { due: Number(r!.due), done: Number(r!.done), late: Number(r!.late) };
}
