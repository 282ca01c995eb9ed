// The daily bulletin (每天通报): a preview for a scope and day, issued versions, downloads.
import { request, qs } from '../../api';

/** One line of the table: a district, a village, the 镇直属 group or the total. */
export interface BulletinRow {
  areaId: number | null; code: string | null; name: string;
  new: number; fixed: number; overdue: number; reworked: number; closed: number; closedOnTime: number;
  /** 0..1, null when nothing was closed */
  onTimeRate: number | null;
  closedMonth?: number; closedOnTimeMonth?: number; onTimeRateMonth: number | null;
}
export interface BulletinPerson { userId: number | null; name: string }
export interface BulletinOverdue {
  caseId: number; no: string; categoryName: string; areaId: number; areaName: string;
  districtName: string | null; villageName: string | null; gridName: string | null; microGridName: string | null;
  description: string; reportedAt: string; dueAt: string;
  /** working hours past due at the end of the day, its text (2个工作日3.5小时) and calendar days */
  overdueWorkHours: number; overdueText: string; overdueDays: number;
  state: string;
  assignee: BulletinPerson | null; gridWorker: BulletinPerson | null; villageLeader: BulletinPerson | null; districtOffice: BulletinPerson | null;
}
export interface BulletinContent {
  scope: { id: number; name: string; code: string; level?: string };
  day: string;
  generatedAt: string;
  totals: BulletinRow;
  groups: { district: BulletinRow | null; villages: BulletinRow[] }[];
  overdue: BulletinOverdue[];
  definitions?: Record<string, string>;
}
export interface Bulletin {
  id: number; scopeAreaId: number; scopeName?: string; scopeCode?: string; day: string; version: number; content: BulletinContent; note: string | null;
  issuedBy: number | null; issuedByName?: string | null; issuedAt: string;
}
/** An issued version as the list shows it (the content may be left out). */
export type BulletinListItem = Omit<Bulletin, 'content'>;

export const bulletinApi = {
  preview: (areaId: number, day: string) => request<BulletinContent>('GET', '/bulletins/preview' + qs({ areaId, day })),
  issue: (areaId: number, day: string, note?: string) => request<Bulletin>('POST', '/bulletins', { areaId, day, ...(note ? { note } : {}) }),
  list: (areaId: number, day?: string, limit = 60) => request<BulletinListItem[]>('GET', '/bulletins' + qs({ areaId, day, limit })),
  get: (id: number) => request<Bulletin>('GET', `/bulletins/${id}`),
  previewXlsx: (areaId: number, day: string) => `/api/v1/bulletins/preview.xlsx${qs({ areaId, day })}`,
  xlsx: (id: number) => `/api/v1/bulletins/${id}/export.xlsx`,
};
