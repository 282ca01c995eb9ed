// Small pieces the routine screens share: China-time dates, the status tag, a task as a card, the
// checklist's scoring as the server does it (for the live preview), and the landing page.
import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Me } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { landingPage as caseLanding } from '../cases';
import type { Answer, ChecklistItem, RoutineTask, TaskStatus } from './api';

/** Today as YYYY-MM-DD in China time (the server's days are China days, wherever the browser is). */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
export const addDays = (day: string, n: number) => dayjs(day).add(n, 'day').format('YYYY-MM-DD');
/** Monday and Sunday of the week holding `day` (weeks start on Monday). */
export function weekOf(day: string): { monday: string; sunday: string } {
  const d = dayjs(day);
  const monday = d.subtract((d.day() + 6) % 7, 'day');
  return { monday: monday.format('YYYY-MM-DD'), sunday: monday.add(6, 'day').format('YYYY-MM-DD') };
}
/** 11-28, or 2025-11-28 when not this year. */
export function shortDay(day: string, today = todayInChina()): string {
  return day.slice(0, 4) === today.slice(0, 4) ? day.slice(5) : day;
}
export function windowText(t: Pick<RoutineTask, 'windowStart' | 'windowEnd'>, to: string): string {
  return t.windowStart === t.windowEnd ? shortDay(t.windowStart) : `${shortDay(t.windowStart)} ${to} ${shortDay(t.windowEnd)}`;
}
export const fmtPercent = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${Math.round(p * 10) / 10}%`);

const STATUS: Record<TaskStatus, { key: TKey; color: string }> = {
  open: { key: 'rtStatusOpen', color: 'default' },
  due: { key: 'rtStatusDue', color: 'processing' },
  overdue: { key: 'rtStatusOverdue', color: 'red' },
  done: { key: 'rtStatusDone', color: 'green' },
  late: { key: 'rtStatusLate', color: 'orange' },
};
export const statusColor = (s: TaskStatus) => STATUS[s]?.color ?? 'default';

export function StatusTag({ status }: { status: TaskStatus }) {
  const { t } = useI18n();
  const s = STATUS[status] ?? STATUS.open;
  return <Tag color={s.color} style={{ marginInlineEnd: 0 }} data-testid="task-status" data-status={status}>{t(s.key)}</Tag>;
}

export const isDone = (t: Pick<RoutineTask, 'status'>) => t.status === 'done' || t.status === 'late';

/** A task as a card row: plan, status, area, window and due date (and the score once done). */
export function TaskCard({ task }: { task: RoutineTask }) {
  const { t } = useI18n();
  const done = isDone(task);
  const overdue = task.status === 'overdue';
  return (
    <a
      href={`#/tasks/${task.id}`}
      data-testid="task-card" data-task-id={task.id} data-plan-code={task.planCode} data-status={task.status}
      style={{ display: 'block', color: 'inherit', padding: '10px 12px', borderRadius: 8, background: done ? '#fafafa' : '#fff',
        border: `1px solid ${overdue ? '#ffccc7' : '#f0f0f0'}`, borderInlineStart: `4px solid ${overdue ? '#ff4d4f' : done ? '#d9d9d9' : task.status === 'due' ? '#1677ff' : '#d9d9d9'}` }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
        <Typography.Text strong style={{ fontSize: 15, color: done ? 'rgba(0,0,0,.45)' : overdue ? '#cf1322' : undefined }} ellipsis>{task.planName}</Typography.Text>
        <StatusTag status={task.status} />
      </div>
      <div style={{ fontSize: 13, marginTop: 2 }}>
        <Typography.Text type={done ? 'secondary' : undefined} data-testid="task-area">{task.areaName}</Typography.Text>
        <Typography.Text type="secondary"> · {task.period}</Typography.Text>
      </div>
      <div style={{ fontSize: 12, display: 'flex', justifyContent: 'space-between', gap: 8, marginTop: 2, flexWrap: 'wrap' }}>
        <Typography.Text type="secondary">{t('rtWindow')} {windowText(task, t('rtTo'))}</Typography.Text>
        {done ? (
          <Typography.Text type="secondary" data-testid="task-score">
            {task.percent !== undefined && task.percent !== null ? `${t('rtScore')} ${fmtPercent(task.percent)} · ` : ''}{t('rtDoneAt')} {task.doneAt ? dayjs(task.doneAt).format('MM-DD HH:mm') : ''}
          </Typography.Text>
        ) : (
          <Typography.Text type={overdue ? 'danger' : 'secondary'} strong={overdue}>{t('rtDue')} {shortDay(task.dueDate)}</Typography.Text>
        )}
      </div>
    </a>
  );
}

// ------------------------------------------------------------------ the checklist, as the server scores it

export const isScored = (it: ChecklistItem) => it.kind === 'yes_no' || it.kind === 'score';
/** A failed item: yes_no answered no, or a score below half of its top. */
export function isFailed(it: ChecklistItem, value: Answer['value'] | undefined): boolean {
  if (it.kind === 'yes_no') return value === false;
  if (it.kind === 'score') return typeof value === 'number' && value < (it.maxScore ?? 0) / 2;
  return false;
}
/** Score, top and percent of the answers so far ('na' out of the denominator, unanswered as 0). */
export function preview(items: ChecklistItem[], value: (id: string) => Answer['value'] | undefined): { score: number; max: number; percent: number | null } {
  let score = 0; let max = 0;
  for (const it of items) {
    if (!isScored(it)) continue;
    const v = value(it.id);
    if (v === 'na') continue;
    max += it.weight;
    if (it.kind === 'yes_no' && v === true) score += it.weight;
    else if (it.kind === 'score' && typeof v === 'number') score += (it.weight * v) / (it.maxScore ?? 1);
  }
  return { score, max, percent: max > 0 ? Math.round((10000 * score) / max) / 100 : null };
}

/** Whether an item has the answer it needs (for required items). */
export function isAnswered(it: ChecklistItem, a: { value?: Answer['value']; note?: string; photoCount?: number } | undefined): boolean {
  if (!a) return false;
  if (it.kind === 'photo') return (a.photoCount ?? 0) > 0;
  if (it.kind === 'note') return !!a.note?.trim();
  return a.value !== null && a.value !== undefined;
}

// ------------------------------------------------------------------ landing

const TASKS_FIRST = new Set(['leader', 'resident_cadre']);
/** The page shown at #/ : 我的任务 for assigned leaders and resident cadres; otherwise as the case screens decide. */
export const landingPage = (me: Pick<Me, 'roles'> | null | undefined) =>
  (me && me.roles.length > 0 && me.roles.every((r) => TASKS_FIRST.has(r.roleKey)) ? 'tasks' : caseLanding(me));
