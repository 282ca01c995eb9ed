// Typed calls for the routines' administration: the plans (周期、宽限、启停) and the completeness
// and timeliness report (完成率与及时率, as DHIS2 reports them).
import { request, qs } from '../../api';

export type Recurrence =
  | { type: 'daily' }
  | { type: 'weekly'; weekday: number }
  | { type: 'monthly'; fromDay: number; toDay: number }
  | { type: 'month_third'; third: 1 | 2 | 3 }
  | { type: 'quarterly'; withinDays?: number }
  | { type: 'half_yearly'; withinDays?: number }
  | { type: 'yearly'; month?: number; day?: number };
export type RecurrenceType = Recurrence['type'];
export const RECURRENCE_TYPES: readonly RecurrenceType[] = ['daily', 'weekly', 'monthly', 'month_third', 'quarterly', 'half_yearly', 'yearly'];

export interface Plan {
  id: number; code: string; name: string; kind: string; templateId: number | null;
  assignee: { responsibility?: string; roles?: string[]; area?: boolean };
  areaLevel: string; scopeAreaId: number | null; recurrence: Recurrence; graceDays: number; active: boolean; version: number;
}
export interface PlanPatch { name?: string; recurrence?: Recurrence; graceDays?: number; active?: boolean; version: number }

export interface Counts {
  expected: number; done: number; onTime: number; late: number; missing: number;
  /** percent (0–100, two decimals), null when nothing was expected */
  completeness: number | null; timeliness: number | null;
}
export interface AreaCounts extends Counts { areaId: number; name: string }
export interface PersonCounts extends Counts { userId: number | null; name: string | null }
export interface Gap { taskId: number; period: string; dueDate: string; areaName: string; userName: string | null; kind: 'late' | 'missing' }
export interface Completeness {
  plan: { id: number; code: string; name: string }; period: string; periodStart: string; periodEnd: string;
  area: { id: number; name: string; level: string };
  total: Counts; districts: AreaCounts[]; villages: AreaCounts[]; people: PersonCounts[]; gaps: Gap[];
}

export const routinesAdminApi = {
  plans: () => request<Plan[]>('GET', '/routines/plans'),
  updatePlan: (id: number, patch: PlanPatch) => request<Plan>('PATCH', `/routines/plans/${id}`, patch),
  lock: (id: number, period: string) => request<{ planId: number; period: string; locked: boolean; already: boolean }>('POST', `/routines/plans/${id}/lock`, { period }),
  completeness: (planId: number, period: string, areaId: number) => request<Completeness>('GET', `/routines/completeness${qs({ planId, period, areaId })}`),
};
