import type { Db } from '../../db/client.js';
import { LEVELS } from '../../../../../packages/shared/src/mechanism.js';
import { countByLevel } from '../areas/areas.repository.js';
import { countUsers } from '../people/people.repository.js';
import { rows, sql } from '../../db/client.js';
import { caseStats } from '../cases/cases.service.js';
import { taskStats } from '../routines/routines.service.js';
import { countScoredPeriods } from '../scores/setup.repository.js';
import { publicStats } from '../intake/intake.service.js';

/** The figures `wangge stats --json` prints: areas by level (all levels, 0 when none), users, responsibilities. */
export async function stats(db: Db) {
  const byLevel = await countByLevel(db);
  const areas = Object.fromEntries(LEVELS.map((l) => [l.key, byLevel[l.key] ?? 0]));
  const [r] = await rows<{ total: number; active: number }>(db, sql`SELECT count(*) AS total,
    count(*) FILTER (WHERE valid_to IS NULL OR valid_to >= CURRENT_DATE) AS active FROM responsibility`);
  return { areas, users: await countUsers(db), responsibilities: { total: Number(r!.total), active: Number(r!.active) },
    cases: await caseStats(db), tasks: await taskStats(db),
    scores: { periods: await countScoredPeriods(db) }, reports: await publicStats(db) };
}
