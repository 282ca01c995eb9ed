// A quarter of routine history for the demo town, with the gaps a real town has: most tasks are
// done on time, some people are often late (two of the assigned leaders above all), some miss
// days, and eight villages never handed in the first half-year's summary. Results are scored by
// the checklist rules; a few items fail (without raising cases: the case history is its own demo).
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { seeded } from '../areas/allocate.js';
import { generateTasks } from '../routines/routines.service.js';
import { scoreResult, type Answer, type ChecklistItem } from '../routines/checklist.rules.js';
import { addDays } from '../routines/periods.rules.js';

const H = 3_600_000;
/** People who are often late or miss days (by user name): the gaps a bulletin should show. */
const LAGGARDS = new Set(['lingdao07', 'lingdao08', 'zhucun13', 'zhucun27']);

export async function generateDemoRoutineHistory(db: Db, opts: { days?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const today = todayInChina(now);
  const from = addDays(today, -(opts.days ?? 91));
  await generateTasks(db, from, addDays(today, 14));
  // The first half-year's summaries, due in July: the town sees who has and has not handed one in.
  const [summary] = await rows<{ id: number }>(db, sql`SELECT id FROM routine_plan WHERE code = 'half_year_summary'`);
  if (summary) await generateTasks(db, `${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-01-01`, { planIds: [Number(summary.id)] });

  const tasks = await rows<{ id: number; code: string; items: ChecklistItem[] | null; templateName: string | null; userId: number | null;
    username: string | null; areaId: number; windowStart: string; dueDate: string }>(db, sql`
    SELECT t.id, p.code, c.items, c.name AS "templateName", t.user_id AS "userId", u.username, t.area_id AS "areaId",
      t.window_start AS "windowStart", t.due_date AS "dueDate"
    FROM routine_task t JOIN routine_plan p ON p.id = t.plan_id LEFT JOIN checklist_template c ON c.id = p.template_id
    LEFT JOIN app_user u ON u.id = t.user_id
    WHERE t.window_start < ${today} AND t.done_at IS NULL AND NOT EXISTS (SELECT 1 FROM task_result r WHERE r.task_id = t.id)
    ORDER BY t.id`);
  // Area tasks (any member may do them) are handed in by the village's cadre.
  const cadres = new Map((await rows<{ areaId: number; userId: number }>(db, sql`SELECT g.area_id AS "areaId", min(g.user_id) AS "userId"
    FROM user_role g WHERE g.role_key = 'village_cadre' GROUP BY g.area_id`)).map((r) => [Number(r.areaId), Number(r.userId)]));
  const villages = [...cadres.keys()].sort((a, b) => a - b);
  const missingSummary = new Set(villages.filter((_, i) => i % 5 === 2)); // 8 of 40
  const rand = seeded(20261129);
  const results: unknown[][] = [];
  const done: [number, string, boolean][] = [];
  for (const t of tasks) {
    const lag = t.username !== null && LAGGARDS.has(t.username);
    if (t.code === 'half_year_summary' && missingSummary.has(Number(t.areaId))) continue;
    if (t.code === 'rating' || t.code === 'annual_award') continue; // the scoring issue's work
    if (rand() < (lag ? 0.25 : 0.06)) continue; // missed
    const late = rand() < (lag ? 0.45 : 0.07);
    const base = Date.parse(`${late ? addDays(t.dueDate, 1 + Math.floor(rand() * 3)) : t.windowStart}T09:00:00+08:00`);
    const at = new Date(base + rand() * 8 * H);
    if (at > now) continue;
    const items = t.items ?? [];
    const answers: Answer[] = items.map((it) => {
      if (it.kind === 'yes_no') return { itemId: it.id, value: rand() > 0.08 };
      if (it.kind === 'score') return { itemId: it.id, value: Math.max(0, it.maxScore! - Math.floor(rand() * rand() * (it.maxScore! + 1))) };
      if (it.kind === 'count') return { itemId: it.id, value: 1 + Math.floor(rand() * 30) };
      if (it.kind === 'note') return { itemId: it.id, value: null, note: it.required ? '本期工作情况良好，存在问题已督促整改（演示数据）' : undefined };
      return { itemId: it.id, value: null };
    });
    const s = items.length ? scoreResult({ name: t.templateName ?? '', items }, answers) : { score: null, max: null, percent: null };
    const by = t.userId ?? cadres.get(Number(t.areaId));
    if (!by) continue;
    results.push([Number(t.id), by, at.toISOString(), JSON.stringify(items), JSON.stringify(answers), s.score, s.max, s.percent]);
    done.push([Number(t.id), at.toISOString(), !late]);
  }
  for (let i = 0; i < results.length; i += 500) {
    const chunk = results.slice(i, i + 500);
    await db.execute(sql`INSERT INTO task_result (task_id, submitted_by, submitted_at, template_items, answers, score, max_score, percent, note, case_ids)
      VALUES ${sql.join(chunk.map((r) => sql`(${r[0]}, ${r[1]}, ${r[2]}, ${r[3]}::jsonb, ${r[4]}::jsonb, ${r[5]}, ${r[6]}, ${r[7]}, '演示数据', '[]'::jsonb)`), sql`, `)}`);
    const marks = done.slice(i, i + 500);
    await db.execute(sql`UPDATE routine_task t SET done_at = v.at::timestamptz, on_time = v.on_time::boolean
      FROM (VALUES ${sql.join(marks.map(([id, at, ok]) => sql`(${id}::bigint, ${at}, ${ok})`), sql`, `)}) AS v(id, at, on_time) WHERE t.id = v.id`);
  }
  return { tasks: tasks.length, results: results.length };
}
