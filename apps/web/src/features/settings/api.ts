// The case loop's settings: the event table (categories), the working calendar, notifications,
// webhooks and the outbox.
import { request, qs, type Query } from '../../api';
import type { DeadlineUnit } from '../../../../../packages/shared/src/cases';

const get = <T>(url: string, q?: Query) => request<T>('GET', url + qs(q));
const post = <T>(url: string, body: unknown = {}) => request<T>('POST', url, body);
const patch = <T>(url: string, body: unknown) => request<T>('PATCH', url, body);
const put = <T>(url: string, body: unknown) => request<T>('PUT', url, body);
const del = <T>(url: string) => request<T>('DELETE', url);

export interface Category {
  id: number; code: string; parentId: number | null; name: string; nameEn: string | null;
  deadlineAmount: number | null; deadlineUnit: DeadlineUnit | null; closingRequirement: string | null; routeKind: string | null;
  duplicateRadiusM: number | null; publicVisible: boolean; publicAttributes: PublicAttribute[] | null; active: boolean; sort: number; version: number;
}
/** A question asked when residents report in a category (Open311 attribute). */
export interface PublicAttribute {
  code: string; description: string; datatype: string; required: boolean; order: number; values?: { key: string; name: string }[];
}
export interface CategoryInput {
  code?: string; parentId?: number | null; name?: string; nameEn?: string | null; deadlineAmount?: number | null; deadlineUnit?: DeadlineUnit | null;
  closingRequirement?: string | null; routeKind?: string | null; duplicateRadiusM?: number | null; active?: boolean; sort?: number; version?: number;
  publicVisible?: boolean; publicAttributes?: PublicAttribute[] | null;
}

/** A day as the calendar has it; `source`: 'seed' (the published schedule), 'admin' (set by hand) or null (plain weekday/weekend). */
export interface CalendarDay { day: string; weekday: number; workday: boolean; name: string | null; source: 'seed' | 'admin' | null }
export interface Period { start: string; end: string }
export interface WorkingHours { morning: Period; afternoon: Period }
export interface CalendarMonth { month: string; hours: WorkingHours; seedAvailable: boolean; days: CalendarDay[]; workdays: number }
export interface CalendarYear { year: number; hours: WorkingHours; seedAvailable: boolean; seedYears: { from: number | null; to: number | null }; days: CalendarDay[] }
export interface ReseedResult { year: number; seedDays: number; changed: number; keptAdmin: number }

export interface Notification { id: number; kind: string; caseId: number | null; title: string; body: string | null; createdAt: string; readAt: string | null }
export interface NotificationList { items: Notification[]; unread: number; nextBefore: number | null }

export type WebhookFormat = 'wecom' | 'dingtalk' | 'json';
/** A webhook as listed: the URL comes back masked and the secret never comes back (only whether there is one). */
export interface Webhook {
  id: number; name: string; url: string; format: WebhookFormat; hasSecret: boolean; areaId: number | null; areaName: string | null;
  events: string[]; active: boolean; createdAt: string; pending: number; dead: number;
}
export interface WebhookList { items: Webhook[]; events: { key: string; zh: string }[]; formats: { key: WebhookFormat; zh: string }[] }
export interface WebhookInput { name?: string; url?: string; format?: WebhookFormat; secret?: string | null; areaId?: number | null; events?: string[]; active?: boolean }
export type OutboxStatus = 'pending' | 'delivered' | 'dead';
export interface OutboxRow {
  id: number; webhookId: number; webhookName: string; event: string; title: string | null; status: OutboxStatus; attempts: number;
  nextAttemptAt: string; lastError: string | null; createdAt: string; deliveredAt: string | null;
}
export interface OutboxList { items: OutboxRow[]; nextBefore: number | null }

/** One duty (职责) and the roles that hold it (packages/shared/src/duties.ts seeds it; then it is data). */
export interface DutyRow {
  key: string; zh: string; en: string; group: string; global: boolean; secondFactor: boolean; roles: string[]; defaultRoles: string[];
}
export interface DutyTable { roles: { key: string; zh: string; en: string }[]; duties: DutyRow[] }

export const settingsApi = {
  categories: () => get<Category[]>('/case-categories'),
  createCategory: (input: CategoryInput) => post<Category>('/case-categories', input),
  updateCategory: (id: number, input: CategoryInput) => patch<Category>(`/case-categories/${id}`, input),

  month: (month: string) => get<CalendarMonth>('/calendar/month', { month }),
  year: (year: number) => get<CalendarYear>('/calendar', { year }),
  setDay: (day: string, workday: boolean, name: string | null) => put<CalendarDay>(`/calendar/${day}`, { workday, name }),
  resetDay: (day: string) => del<CalendarDay>(`/calendar/${day}`),
  reseedYear: (year: number) => post<ReseedResult>(`/calendar/${year}/reseed`),
  hours: () => get<WorkingHours>('/calendar/hours'),
  setHours: (h: WorkingHours) => put<WorkingHours>('/calendar/hours', h),

  notifications: (q: { unread?: boolean; limit?: number; before?: number } = {}) => get<NotificationList>('/notifications', q),
  readNotification: (id: number) => post<Notification>(`/notifications/${id}/read`),
  readAll: () => post<{ updated: number }>('/notifications/read-all'),

  webhooks: () => get<WebhookList>('/webhooks'),
  createWebhook: (input: WebhookInput) => post<Webhook>('/webhooks', input),
  updateWebhook: (id: number, input: WebhookInput) => patch<Webhook>(`/webhooks/${id}`, input),
  deleteWebhook: (id: number) => del<{ deleted: boolean; active: boolean; message: string }>(`/webhooks/${id}`),
  testWebhook: (id: number) => post<{ outboxId: number; status: OutboxStatus; message: string }>(`/webhooks/${id}/test`),
  outbox: (q: { status?: OutboxStatus; webhookId?: number; before?: number; limit?: number } = {}) => get<OutboxList>('/outbox', q),
  retryOutbox: (id: number) => post<OutboxRow>(`/outbox/${id}/retry`),

  duties: () => get<DutyTable>('/duties'),
  setDutyRoles: (key: string, roles: string[]) => put<DutyRow>(`/duties/${encodeURIComponent(key)}`, { roles }),
};
