// The field records of two routines: who signed up for and came to the cleaning day (全民清洁日),
// and the villages a monthly observation (每月一观摩) visits, with each visit's score and notes.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { toDate } from '../../lib/dates.js';
import { assertRead, assertWrite, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as repo from './routines.repository.js';
import { attachToTask } from '../evidence/evidence.repository.js';

const KINDS = ['party_member', 'volunteer', 'villager', 'cadre'] as const;
export type TurnoutKind = (typeof KINDS)[number];

async function taskOf(db: Db, id: number, kind: string, what: string) {
  const t = await repo.taskById(db, id);
  if (!t) throw notFound(`任务 ${id} 不存在`);
  if (t.kind !== kind) throw badInput(`任务 ${id} 不是${what}任务`, [{ field: 'taskId', message: `not a ${kind} task` }]);
  return t;
}

// ------------------------------------------------------------------ 全民清洁日

export async function turnout(db: Db, actor: Actor, taskId: number) {
  const t = await taskOf(db, taskId, 'cleaning_day', '清洁日');
  assertRead(actor, t.areaPath, '该村');
  const list = (await rows<Record<string, unknown>>(db, sql`SELECT id, name, user_id AS "userId", kind, signed_up_at AS "signedUpAt",
    signed_in_at AS "signedInAt", area FROM cleaning_turnout WHERE task_id = ${taskId} ORDER BY id`))
    .map((r) => ({ id: Number(r.id), name: String(r.name), kind: String(r.kind), area: (r.area as string | null) ?? null,
      userId: r.userId == null ? null : Number(r.userId),
      signedUpAt: toDate(r.signedUpAt)!.toISOString(), signedInAt: toDate(r.signedInAt)?.toISOString() ?? null }));
  const came = list.filter((r) => r.signedInAt);
  return {
    task: { id: t.id, period: t.period, areaId: t.areaId, areaName: t.areaName, windowStart: t.windowStart, windowEnd: t.windowEnd },
    totals: { signedUp: list.length, came: came.length, partyMembers: came.filter((r) => r.kind === 'party_member').length,
      volunteers: came.filter((r) => r.kind === 'volunteer').length },
    people: list,
  };
}

export async function signUp(db: Db, actor: Actor, taskId: number, input: { name: string; kind: string; signIn?: boolean; area?: string | null }) {
  const t = await taskOf(db, taskId, 'cleaning_day', '清洁日');
  assertWrite(actor, t.areaPath, '该村的清洁日名单');
  const name = input.name?.trim() ?? '';
  if (!name || name.length > 30) throw badInput('请填写姓名（不超过 30 字）', [{ field: 'name', message: 'required' }]);
  if (!(KINDS as readonly string[]).includes(input.kind)) throw badInput(`身份应为 ${KINDS.join(' / ')}（党员、志愿者、村民、村干部）`, [{ field: 'kind', message: 'unknown' }]);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (input.signIn && today < t.windowStart) throw conflict('NOT_YET', `清洁日从 ${t.windowStart} 开始，现在只能报名，还不能签到`);
  try {
    await db.transaction(async (tx) => {
      const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO cleaning_turnout (task_id, name, kind, signed_in_at, area, created_by)
        VALUES (${taskId}, ${name}, ${input.kind}, ${input.signIn ? new Date().toISOString() : null}, ${input.area?.trim() || null}, ${actor.id}) RETURNING id`);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'cleaning.sign_up', entity: 'routine_task', entityId: taskId,
        after: { turnoutId: Number(r!.id), name, kind: input.kind, signIn: input.signIn ?? false }, areaPath: t.areaPath });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('ALREADY_LISTED', `“${name}”已在本次清洁日名单中，请直接签到`);
    throw e;
  }
  return turnout(db, actor, taskId);
}

export async function signIn(db: Db, actor: Actor, taskId: number, turnoutId: number, area?: string | null) {
  const t = await taskOf(db, taskId, 'cleaning_day', '清洁日');
  assertWrite(actor, t.areaPath, '该村的清洁日名单');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (today < t.windowStart) throw conflict('NOT_YET', `清洁日从 ${t.windowStart} 开始，现在还不能签到`);
  await db.transaction(async (tx) => {
    const r = await rows(tx, sql`UPDATE cleaning_turnout SET signed_in_at = coalesce(signed_in_at, now()), area = coalesce(${area?.trim() || null}, area)
      WHERE id = ${turnoutId} AND task_id = ${taskId} RETURNING id`);
    if (r.length === 0) throw notFound(`名单中没有第 ${turnoutId} 条`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'cleaning.sign_in', entity: 'routine_task', entityId: taskId, after: { turnoutId }, areaPath: t.areaPath });
  });
  return turnout(db, actor, taskId);
}

// ------------------------------------------------------------------ 每月一观摩

export async function visits(db: Db, actor: Actor, taskId: number) {
  const t = await taskOf(db, taskId, 'observation', '观摩');
  assertRead(actor, t.areaPath, '该管区');
  const list = (await rows<Record<string, unknown>>(db, sql`SELECT v.id, v.village_id AS "villageId", a.name AS "villageName", v.picked_by AS "pickedBy",
      v.reason, v.visited_at AS "visitedAt", v.score, v.note, v.photo_ids AS "photoIds", u.display_name AS "visitedBy"
    FROM observation_visit v JOIN area a ON a.id = v.village_id LEFT JOIN app_user u ON u.id = v.visited_by
    WHERE v.task_id = ${taskId} ORDER BY v.id`)).map((r) => ({ ...r, id: Number(r.id), villageId: Number(r.villageId),
    visitedAt: toDate(r.visitedAt)?.toISOString() ?? null, score: r.score == null ? null : Number(r.score) }));
  return { task: { id: t.id, period: t.period, areaId: t.areaId, areaName: t.areaName, windowStart: t.windowStart, windowEnd: t.windowEnd }, visits: list };
}

/** Picks a village to visit by hand (until the scoring issue's "2 best and 2 worst" picks them). */
export async function pickVillage(db: Db, actor: Actor, taskId: number, input: { villageId: number; reason?: string | null }) {
  const t = await taskOf(db, taskId, 'observation', '观摩');
  assertWrite(actor, t.areaPath, '该管区的观摩安排');
  const [v] = await rows<{ path: string; level: string; name: string }>(db, sql`SELECT path, level_key AS level, name FROM area WHERE id = ${input.villageId}`);
  if (!v || v.level !== 'village') throw badInput(`区域 ${input.villageId} 不是村`, [{ field: 'villageId', message: 'not a village' }]);
  if (!v.path.startsWith(t.areaPath)) throw badInput(`“${v.name}”不在${t.areaName}内`, [{ field: 'villageId', message: 'outside the district' }]);
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO observation_visit (task_id, village_id, picked_by, reason) VALUES (${taskId}, ${input.villageId}, 'hand', ${input.reason?.trim() || null})`);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'observation.pick', entity: 'routine_task', entityId: taskId, after: input, areaPath: t.areaPath });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('ALREADY_PICKED', `“${v.name}”已在本次观摩名单中`);
    throw e;
  }
  return visits(db, actor, taskId);
}

export async function recordVisit(db: Db, actor: Actor, taskId: number, visitId: number, input: { score: number; note?: string | null; photoIds?: number[] }) {
  const t = await taskOf(db, taskId, 'observation', '观摩');
  assertWrite(actor, t.areaPath, '该管区的观摩记录');
  if (!Number.isFinite(input.score) || input.score < 0 || input.score > 100) throw badInput('观摩评分应为 0–100', [{ field: 'score', message: 'out of range' }]);
  await db.transaction(async (tx) => {
    const r = await rows(tx, sql`UPDATE observation_visit SET visited_at = now(), visited_by = ${actor.id}, score = ${input.score},
      note = ${input.note?.trim() || null}, photo_ids = ${JSON.stringify(input.photoIds ?? [])}::jsonb WHERE id = ${visitId} AND task_id = ${taskId} RETURNING id`);
    if (r.length === 0) throw notFound(`本次观摩没有第 ${visitId} 个村`);
    const ids = [...new Set(input.photoIds ?? [])];
    if ((await attachToTask(tx, taskId, actor.id, ids)) !== ids.length) {
      throw badInput('有照片不存在、不是您上传的或已用于别处，请重新上传', [{ field: 'photoIds', message: 'bad photoIds' }]);
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'observation.visit', entity: 'routine_task', entityId: taskId, after: { visitId, ...input }, areaPath: t.areaPath });
  });
  return visits(db, actor, taskId);
}
