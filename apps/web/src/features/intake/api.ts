// Typed calls for the staff side of the public intake (群众上报), under /api/v1/intake.
import { qs, request } from '../../api';
import type { CaseState } from '../../../../../packages/shared/src/cases';

export type IntakeView = 'waiting' | 'unreviewed' | 'all';

export interface StaffReport {
  /** no: the case number; publicNo: the resident's tracking number (what the phone page and Open311 use) */
  caseId: number; no: string; publicNo: string | null; contactPurged: boolean; state: CaseState; channel: string; placement: 'micro_grid' | 'queue'; areaId: number; areaName: string; areaLevel: string;
  categoryId: number; categoryName: string; description: string; publicText: string | null; reviewed: boolean; reviewedAt: string | null;
  phone: string | null; name: string | null; reportedAt: string; rating: 'satisfied' | 'basically' | 'unsatisfied' | null; ratingNote: string | null;
  reopened: boolean; reopenNote: string | null; attributes: Record<string, unknown> | null;
}
export interface Duplicate { id: number; no: string; state: CaseState; distanceM: number; description: string; reportedAt: string; source: string; areaName: string }
export interface IntakeDetail { report: StaffReport; duplicates: { radiusM: number; list: Duplicate[] } }
export interface IntakePage { total: number; page: number; pageSize: number; items: StaffReport[] }

export const intakeApi = {
  list: (view: IntakeView, page = 1, pageSize = 20) => request<IntakePage>('GET', `/intake/reports${qs({ view, page, pageSize })}`),
  get: (caseId: number) => request<IntakeDetail>('GET', `/intake/reports/${caseId}`),
  review: (caseId: number, publicText: string | null) => request<IntakeDetail>('POST', `/intake/reports/${caseId}/review`, { publicText }),
  place: (caseId: number, areaId: number) => request<IntakeDetail>('POST', `/intake/reports/${caseId}/place`, { areaId }),
  merge: (caseId: number, into: number, version: number) => request<IntakeDetail>('POST', `/intake/reports/${caseId}/merge`, { into, version }),
  phone: (caseId: number) => request<{ phone: string | null; contactPurged?: boolean }>('POST', `/intake/reports/${caseId}/phone`, {}),
  hidePhoto: (photoId: number, hidden: boolean) => request<{ id: number; hidden: boolean }>('POST', `/intake/photos/${photoId}/hidden`, { hidden }),
};
