// The demo's scores: the other work's scores (the 60% of the composite) for each village and month
// of the history, as the town office would have entered them, and the monthly observations made on
// the villages the scores picked (2 best and 2 worst per district), each visit scored.
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { seeded } from '../areas/allocate.js';
import * as people from '../people/people.repository.js';
import type { Actor } from '../access/policy.js';
import { putOtherScore } from '../scores/setup.repository.js';
import { pickFromScores } from '../scores/observation.service.js';
import { recordVisit } from '../routines/field.service.js';
import { DEMO_TOWN } from './demo.js';
import { historyStart } from './routines.js';

async function actorByName(db: Db, username: string): Promise<Actor> {
  const u = await people.userByName(db, username);
  if (!u) throw new Error(`demo user ${username} is missing`);
  return { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: false, grants: await people.grantsOf(db, u.id) };
}

export async function generateDemoScores(db: Db, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const today = todayInChina(now);
  const rand = seeded(20261201);
  const [town] = await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE code = ${DEMO_TOWN}`);
  const villages = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE level_key = 'village' AND path LIKE ${`${town!.path}%`} ORDER BY code`);
  const desk = await actorByName(db, 'zhenadmin');
  const months: string[] = [];
  for (let m = `${historyStart(today).slice(0, 7)}-01`; m <= today; m = nextMonth(m)) months.push(m);
  // Each village has its own level of other work, month to month a little up or down.
  let entered = 0;
  for (const v of villages) {
    const level = 72 + rand() * 22;
    for (const m of months) {
      const score = Math.round(Math.max(55, Math.min(100, level + (rand() - 0.5) * 10)) * 10) / 10;
      await putOtherScore(db, Number(v.id), m, score, null, 'demo', desk.id);
      entered += 1;
    }
  }
  // The observations of the past months, on the villages the scores picked.
  const tasks = await rows<{ id: number; username: string }>(db, sql`SELECT t.id, u.username FROM routine_task t
    JOIN routine_plan p ON p.id = t.plan_id AND p.kind = 'observation' JOIN app_user u ON u.id = t.user_id
    WHERE t.due_date < ${today} ORDER BY t.due_date, t.id`);
  let visits = 0;
  const seen = new Set<number>();
  for (const t of tasks) {
    if (seen.has(Number(t.id))) continue;
    seen.add(Number(t.id));
    const actor = await actorByName(db, t.username);
    const picked = await pickFromScores(db, actor, Number(t.id), now).catch(() => null);
    for (const v of picked?.visits ?? []) {
      await recordVisit(db, actor, Number(t.id), v.id, { score: Math.round(65 + rand() * 30), note: '现场观摩，已反馈意见（演示数据）' });
      visits += 1;
    }
  }
  return { otherScores: entered, visits };
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
}
