// 每月一观摩 uses the scores: the observation task of a district and month takes the month's 2 best
// and 2 worst villages by environment score as its visits, each with the indicators that put it
// there. Villages picked by hand stay; picking again adds only what is missing.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { assertWrite, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { taskById } from '../routines/routines.repository.js';
import { visits } from '../routines/field.service.js';
import { picks } from './scores.service.js';

export async function pickFromScores(db: Db, actor: Actor, taskId: number, now = new Date()) {
  const t = await taskById(db, taskId);
  if (!t) throw notFound(`任务 ${taskId} 不存在`);
  if (t.kind !== 'observation') throw badInput(`任务 ${taskId} 不是观摩任务`, [{ field: 'taskId', message: 'not an observation task' }]);
  assertWrite(actor, t.areaPath, '该管区的观摩安排');
  const month = t.period.slice(0, 6);
  const p = await picks(db, actor, { areaId: t.areaId, month }, now);
  const d = p.districts.find((x) => x.districtId === t.areaId);
  const chosen = [
    ...(d?.best ?? []).map((v) => ({ id: v.id, reason: `${month} 环境整治得分最好（${v.environment}）：${v.reasonText}` })),
    ...(d?.worst ?? []).map((v) => ({ id: v.id, reason: `${month} 环境整治得分最差（${v.environment}）：${v.reasonText}` })),
  ];
  if (chosen.length === 0) throw conflict('NOTHING_TO_PICK', `${t.areaName} ${month} 没有数据足够的村可选，请手工选村 (no village has enough data)`);
  await db.transaction(async (tx) => {
    for (const c of chosen) {
      await tx.execute(sql`INSERT INTO observation_visit (task_id, village_id, picked_by, reason) VALUES (${taskId}, ${c.id}, 'scores', ${c.reason})
        ON CONFLICT (task_id, village_id) DO NOTHING`);
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'observation.pick_scores', entity: 'routine_task', entityId: taskId, after: { month, villages: chosen }, areaPath: t.areaPath });
  });
  return { ...(await visits(db, actor, taskId)), provisional: p.provisional };
}
