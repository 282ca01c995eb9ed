// Routine history for the demo town since the start of the last full quarter, with the gaps a real town has: most tasks are
// done on time, some people are often late (two of the assigned leaders above all), some miss
// days, and eight villages never handed in the first half-year's summary. Results are scored by
// the checklist rules; a few items fail (without raising cases: the case history is its own demo).
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { seeded } from '../areas/allocate.js';
import { generateTasks } from '../routines/routines.service.js';
import { scoreResult, type Answer, type ChecklistItem } from '../routines/checklist.rules.js';
import { addDays, periodBounds } from '../routines/periods.rules.js';

/** The first day of the last full quarter before the one containing the day. */
export const historyStart = (today: string) => periodBounds('quarterly', addDays(periodBounds('quarterly', today).start, -1)).start;

const H = 3_600_000;
/** People who are often late or miss days (by user name): the gaps a bulletin should show. */
const LAGGARDS = new Set(['lingdao07', 'lingdao08', 'zhucun13', 'zhucun27']);

export async function generateDemoRoutineHistory(db: Db, opts: { days?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const today = todayInChina(now);
  // From the start of the last full quarter, so that a quarterly rating has a whole quarter behind it.
  const from = opts.days ? addDays(today, -opts.days) : historyStart(today);
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
  // Who came to each cleaning day that was held: party members, volunteers, villagers and cadres.
  const cleaning = new Set(tasks.filter((t) => t.code === 'cleaning_day').map((t) => Number(t.id)));
  const turnout: unknown[][] = [];
  for (const [id, at] of done) {
    if (!cleaning.has(id)) continue;
    const n = 8 + Math.floor(rand() * 28);
    for (let i = 0; i < n; i++) {
      const kind = i < n * 0.3 ? 'party_member' : i < n * 0.5 ? 'volunteer' : i < n * 0.9 ? 'villager' : 'cadre';
      turnout.push([id, `${FAMILY[Math.floor(rand() * FAMILY.length)]}${'一二三四五六七八九十'[i % 10]}${Math.floor(i / 10) || ''}号`, kind, at, rand() < 0.85 ? at : null]);
    }
  }
  for (let i = 0; i < turnout.length; i += 500) {
    await db.execute(sql`INSERT INTO cleaning_turnout (task_id, name, kind, signed_up_at, signed_in_at)
      VALUES ${sql.join(turnout.slice(i, i + 500).map((r) => sql`(${r[0]}, ${r[1]}, ${r[2]}, ${r[3]}, ${r[4]})`), sql`, `)}
      ON CONFLICT (task_id, name) DO NOTHING`);
  }
  return { tasks: tasks.length, results: results.length, turnout: turnout.length };
}

const FAMILY = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
