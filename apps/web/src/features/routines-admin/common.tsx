// Shared bits of the routines' administration screens: recurrence in words, the traffic light.
import { Tag } from 'antd';
import type { I18n } from '../../i18n';
import { useSession } from '../../session';
import type { Plan, Recurrence } from './api';

/** Who may edit plans and checklists: the duty routines.manage (the API decides). */
export function useIsRoutineAdmin(): boolean {
  return useSession().can('routines.manage');
}

const WEEKDAY_KEYS = ['', 'raWd1', 'raWd2', 'raWd3', 'raWd4', 'raWd5', 'raWd6', 'raWd7'] as const;
export const weekdayName = (t: I18n['t'], d: number) => (WEEKDAY_KEYS[d] ? t(WEEKDAY_KEYS[d]) : String(d));
const THIRD_KEYS = ['', 'raThird1', 'raThird2', 'raThird3'] as const;
export const thirdName = (t: I18n['t'], n: number) => (THIRD_KEYS[n] ? t(THIRD_KEYS[n]) : String(n));

/** A recurrence in words ('每周一', '每月 15–17 日', '每月中旬'). */
export function describeRecurrence(t: I18n['t'], r: Recurrence | null | undefined): string {
  if (!r || typeof r !== 'object') return '?';
  switch (r.type) {
    case 'daily': return t('raRecDaily');
    case 'weekly': return t('raRecWeekly', { d: weekdayName(t, r.weekday) });
    case 'monthly': return r.fromDay === r.toDay ? t('raRecMonthlyOne', { d: r.fromDay }) : t('raRecMonthly', { from: r.fromDay, to: r.toDay });
    case 'month_third': return t('raRecThird', { t: thirdName(t, r.third) });
    case 'quarterly': return r.withinDays ? t('raRecQuarterlyWithin', { n: r.withinDays }) : t('raRecQuarterly');
    case 'half_yearly': return r.withinDays ? t('raRecHalfWithin', { n: r.withinDays }) : t('raRecHalf');
    case 'yearly': return r.month ? t('raRecYearlyOn', { m: r.month, d: r.day ?? '?' }) : t('raRecYearly');
    default: return JSON.stringify(r);
  }
}

/** Who does a plan's tasks: a responsibility kind, some roles, or any member of the area. */
export function describeAssignee(i18n: I18n, a: Plan['assignee']): string {
  if (a.responsibility) return i18n.kind(a.responsibility);
  if (a.roles?.length) return a.roles.map((r) => i18n.role(r)).join('、');
  if (a.area) return i18n.t('raWhoArea');
  return '—';
}

/** The traffic light of a rate: ≥ 90 green, ≥ 70 orange, else red; nothing expected: a dash. */
export function lightOf(v: number | null): 'success' | 'warning' | 'error' | undefined {
  if (v === null) return undefined;
  return v >= 90 ? 'success' : v >= 70 ? 'warning' : 'error';
}
export function Rate({ value, testId }: { value: number | null; testId?: string }) {
  if (value === null) return <span data-testid={testId}>—</span>;
  return <Tag color={lightOf(value)} data-testid={testId} style={{ marginInlineEnd: 0, minWidth: 58, textAlign: 'right' }}>{value.toFixed(value % 1 ? 1 : 0)}%</Tag>;
}
