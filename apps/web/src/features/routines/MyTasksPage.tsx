// 我的任务: what is due today and this week (overdue first, in red; done ones greyed with their score),
// made for a phone; on a desk a second tab shows the month as a calendar with the tasks on their due dates.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Calendar, Empty, Grid, Modal, Spin, Tabs, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { navigate, useRoute } from '../../router';
import { routinesApi, type RoutineTask } from './api';
import { TaskCard, addDays, isDone, todayInChina, weekOf } from './common';

type GroupKey = 'overdue' | 'today' | 'week' | 'later';
const GROUPS: { key: GroupKey; title: TKey }[] = [
  { key: 'overdue', title: 'rtOverdue' },
  { key: 'today', title: 'rtToday' },
  { key: 'week', title: 'rtThisWeek' },
  { key: 'later', title: 'rtLater' },
];
/** How many cards a group shows before "show all" (fewer for what is not due this week). */
const SHOWN: Record<GroupKey, number> = { overdue: 12, today: 12, week: 12, later: 3 };
/** How far back overdue tasks are listed. */
const LOOKBACK_DAYS = 7;

/** Puts each task into its group, or none (done before this week). Open before done within a group. */
export function groupTasks(tasks: RoutineTask[], today: string): Record<GroupKey, RoutineTask[]> {
  const { monday, sunday } = weekOf(today);
  const out: Record<GroupKey, RoutineTask[]> = { overdue: [], today: [], week: [], later: [] };
  for (const t of tasks) {
    if (t.status === 'overdue') out.overdue.push(t);
    else if (isDone(t)) {
      if (t.dueDate === today || (t.doneAt && todayInChina(new Date(t.doneAt)) === today)) out.today.push(t);
      else if (t.dueDate >= monday && t.dueDate <= sunday) out.week.push(t);
    } else if (t.dueDate === today) out.today.push(t);
    else if (t.dueDate <= sunday) out.week.push(t);
    else out.later.push(t);
  }
  const order = (t: RoutineTask) => (isDone(t) ? 1 : 0);
  for (const k of Object.keys(out) as GroupKey[]) out[k].sort((a, b) => order(a) - order(b) || a.dueDate.localeCompare(b.dueDate) || a.id - b.id);
  return out;
}

export function MyTasksPage() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const desk = !!screens.lg;
  const route = useRoute();
  const tab = route.query.get('view') === 'calendar' && desk ? 'calendar' : 'list';
  const setTab = (k: string) => navigate(k === 'calendar' ? '/tasks?view=calendar' : '/tasks', true);

  return (
    <div style={{ maxWidth: desk ? 1280 : 640, margin: '0 auto' }} data-testid="my-tasks-page">
      {desk ? (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'list', label: <span data-testid="tasks-tab-list">{t('rtList')}</span>, children: <TaskList /> },
            { key: 'calendar', label: <span data-testid="tasks-tab-calendar">{t('rtCalendar')}</span>, children: <TaskCalendar /> },
          ]}
        />
      ) : <TaskList />}
    </div>
  );
}

function TaskList() {
  const { t } = useI18n();
  const [today] = useState(todayInChina);
  const [tasks, setTasks] = useState<RoutineTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [all, setAll] = useState<Partial<Record<GroupKey, boolean>>>({});

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setTasks(await routinesApi.myTasks(addDays(today, -LOOKBACK_DAYS), weekOf(today).sunday));
      setError(null);
    } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [today]);
  useEffect(() => { void load(); }, [load]);

  const groups = useMemo(() => (tasks ? groupTasks(tasks, today) : null), [tasks, today]);
  const todo = groups ? groups.overdue.length + [...groups.today, ...groups.week].filter((x) => !isDone(x)).length : 0;

  return (
    <div data-testid="task-list">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('menuTasks')}</Typography.Title>
        {groups && <Badge count={todo} showZero color={todo ? '#1677ff' : '#bfbfbf'} data-testid="tasks-todo" />}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{today} {t(`rtWeekday${dayjs(today).day()}` as TKey)}</Typography.Text>
        <div style={{ flex: 1 }} />
        <Button icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('refresh')} />
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} action={<Button size="small" onClick={() => void load()}>{t('rtRetry')}</Button>} />}
      {!groups && !error && <div style={{ textAlign: 'center', padding: 24 }}><Spin /></div>}
      {groups && GROUPS.every((g) => groups[g.key].length === 0) && <Empty description={t('rtNone')} style={{ marginTop: 32 }} />}
      {groups && GROUPS.map((g) => {
        const list = groups[g.key];
        if (list.length === 0 && g.key !== 'today') return null;
        const shown = all[g.key] ? list : list.slice(0, SHOWN[g.key]);
        const open = list.filter((x) => !isDone(x)).length;
        return (
          <section key={g.key} data-testid={`tasks-group-${g.key}`} style={{ marginBottom: 16 }}>
            <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, marginBottom: 6 }}>
              <Typography.Text strong style={{ fontSize: 15, color: g.key === 'overdue' ? '#cf1322' : undefined }}>{t(g.title)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {g.key === 'overdue' ? t('rtCount', { n: list.length }) : t('rtOpenDone', { open, done: list.length - open })}
              </Typography.Text>
            </div>
            {list.length === 0 && <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('rtNoneToday')}</Typography.Text>}
            <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              {shown.map((x) => <TaskCard key={x.id} task={x} />)}
            </div>
            {list.length > shown.length && (
              <Button type="link" onClick={() => setAll((a) => ({ ...a, [g.key]: true }))} data-testid={`tasks-more-${g.key}`}>{t('rtShowAll', { n: list.length })}</Button>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** How many tasks a calendar cell lists before "+n". */
const PER_CELL = 3;

function TaskCalendar() {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(() => dayjs(todayInChina()));
  const [tasks, setTasks] = useState<RoutineTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [day, setDay] = useState<string | null>(null);
  const key = month.format('YYYY-MM');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      // The grid shows up to six weeks: a week either side of the month covers it.
      const start = dayjs(`${key}-01`);
      setTasks(await routinesApi.myTasks(start.subtract(7, 'day').format('YYYY-MM-DD'), start.endOf('month').add(14, 'day').format('YYYY-MM-DD')));
      setError(null);
    } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [key]);
  useEffect(() => { void load(); }, [load]);

  const byDay = useMemo(() => {
    const m = new Map<string, RoutineTask[]>();
    for (const x of tasks ?? []) {
      const list = m.get(x.dueDate) ?? [];
      list.push(x);
      m.set(x.dueDate, list);
    }
    for (const list of m.values()) list.sort((a, b) => (isDone(a) ? 1 : 0) - (isDone(b) ? 1 : 0) || a.planId - b.planId || a.areaName.localeCompare(b.areaName));
    return m;
  }, [tasks]);

  return (
    <div data-testid="tasks-calendar">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Spin spinning={loading}>
        <Calendar
          value={month}
          onPanelChange={(d) => setMonth(d)}
          onSelect={(d, info) => {
            if (d.format('YYYY-MM') !== key) setMonth(d);
            if (info.source === 'date' && byDay.get(d.format('YYYY-MM-DD'))?.length) setDay(d.format('YYYY-MM-DD'));
          }}
          cellRender={(d, info) => {
            if (info.type !== 'date') return info.originNode;
            const list = byDay.get(d.format('YYYY-MM-DD')) ?? [];
            if (!list.length) return null;
            return (
              <div style={{ display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="calendar-day" data-day={d.format('YYYY-MM-DD')}>
                {list.slice(0, PER_CELL).map((x) => (
                  <Tooltip key={x.id} title={`${x.planName} · ${x.areaName} · ${t(`rtStatus${x.status[0]!.toUpperCase()}${x.status.slice(1)}` as TKey)}`}>
                    <a
                      href={`#/tasks/${x.id}`}
                      onClick={(e) => e.stopPropagation()}
                      data-testid="calendar-task" data-task-id={x.id} data-status={x.status}
                      style={{ display: 'block', fontSize: 12, lineHeight: '18px', padding: '0 4px', borderRadius: 3, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis',
                        color: isDone(x) ? 'rgba(0,0,0,.45)' : x.status === 'overdue' ? '#cf1322' : 'rgba(0,0,0,.88)',
                        background: x.status === 'overdue' ? '#fff1f0' : isDone(x) ? '#f5f5f5' : x.status === 'due' ? '#e6f4ff' : '#fafafa',
                        borderInlineStart: `3px solid ${x.status === 'overdue' ? '#ff4d4f' : x.status === 'due' ? '#1677ff' : isDone(x) ? '#bfbfbf' : '#d9d9d9'}` }}
                    >
                      {x.planName} · {x.areaName}
                    </a>
                  </Tooltip>
                ))}
                {list.length > PER_CELL && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rtCalendarMore', { n: list.length - PER_CELL })}</Typography.Text>}
              </div>
            );
          }}
        />
      </Spin>
      <Modal open={!!day} onCancel={() => setDay(null)} footer={null} title={day ? `${day} ${t(`rtWeekday${dayjs(day).day()}` as TKey)}` : ''} data-testid="calendar-day-modal">
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8, maxHeight: '60vh', overflow: 'auto' }}>
          {(day ? byDay.get(day) ?? [] : []).map((x) => <TaskCard key={x.id} task={x} />)}
        </div>
      </Modal>
    </div>
  );
}
