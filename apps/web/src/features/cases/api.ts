// Typed calls for the case loop (采集 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案). Shapes from packages/shared/src/cases.ts.
import type { FeatureCollection } from 'geojson';
import { ApiError, qs, request, toApiError, type Query } from '../../api';
import type {
  CaseAction, CaseDetail, CasePhotoView, CaseSource, CaseState, CaseView, DeadlineUnit, RefuseReason,
} from '../../../../../packages/shared/src/cases';

export interface CaseCategory {
  id: number; code: string; parentId: number | null; name: string; nameEn: string | null;
  deadlineAmount: number | null; deadlineUnit: DeadlineUnit | null; closingRequirement: string | null;
  routeKind: string | null; duplicateRadiusM: number | null; active: boolean; sort: number; version: number;
}

export interface CaseInput {
  clientId?: string; source: CaseSource; categoryId: number; areaId: number; description: string;
  address?: string; lat?: number; lng?: number; photoIds?: number[];
}

export interface CaseFilters {
  areaId?: number; state?: CaseState[]; categoryId?: number; overdue?: boolean; assigneeId?: number; mine?: boolean;
  from?: string; to?: string; q?: string;
}

export interface CasePage { items: CaseView[]; total: number; page: number; pageSize: number }

export type InboxGroup = 'register' | 'dispatch' | 'fix' | 'check' | 'requests';
export type Inbox = Record<InboxGroup, CaseView[]> & { counts: Record<InboxGroup, number> };

export interface Assignee { userId: number; displayName: string; kind: string | null; kindName: string | null; areaName: string | null; suggested: boolean }

export interface StepInput {
  action: CaseAction; version: number; note?: string; photoIds?: number[]; assigneeId?: number;
  reason?: RefuseReason; duplicateOf?: number; requestedDueAt?: string; requestId?: number;
}

export interface CasePin { id: number; no: string; lat: number; lng: number; state: CaseState; overdue: boolean; categoryName: string; areaId: number }

/** The filters as a query string object (states comma-separated, flags only when on). */
export function filterQuery(f: CaseFilters): Query {
  return {
    areaId: f.areaId, state: f.state?.length ? f.state.join(',') : undefined, categoryId: f.categoryId,
    overdue: f.overdue ? true : undefined, assigneeId: f.assigneeId, mine: f.mine ? true : undefined,
    from: f.from, to: f.to, q: f.q?.trim() || undefined,
  };
}

const get = <T>(url: string, q?: Query) => request<T>('GET', url + qs(q));

export const casesApi = {
  categories: () => get<CaseCategory[]>('/case-categories'),
  create: (input: CaseInput) => request<CaseDetail>('POST', '/cases', input),
  list: (f: CaseFilters, page: number, pageSize: number) => get<CasePage>('/cases', { ...filterQuery(f), page, pageSize }),
  exportUrl: (f: CaseFilters) => `/api/v1/cases/export.xlsx${qs(filterQuery(f))}`,
  inbox: () => get<Inbox>('/cases/inbox'),
  get: (id: number) => get<CaseDetail>(`/cases/${id}`),
  step: (id: number, input: StepInput) => request<CaseDetail>('POST', `/cases/${id}/steps`, input),
  assignees: (id: number) => get<Assignee[]>(`/cases/${id}/assignees`),
  map: (f: CaseFilters) => get<CasePin[]>('/cases/map', filterQuery(f)),
  /** GeoJSON FeatureCollection of the area's micro-grids (or null when the server has none / no route yet). */
  boundaries: async (areaId: number, level = 'micro_grid'): Promise<FeatureCollection | null> => {
    try {
      const fc = await get<FeatureCollection>(`/areas/${areaId}/boundaries`, { level });
      return fc && Array.isArray(fc.features) ? fc : null;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
      throw e;
    }
  },
};

/** Downloads the .xlsx export of the filtered list (errors come back as ApiError with the server's message). */
export async function downloadExport(f: CaseFilters, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(casesApi.exportUrl(f), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络错误，请检查连接 (network error)');
  }
  if (!res.ok) {
    let body: unknown = null;
    try { body = await res.json(); } catch { body = null; }
    throw toApiError(res.status, body);
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) ?? /filename="?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]!) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Upload { promise: Promise<CasePhotoView>; abort(): void }

/** Uploads one photo as multipart field `file` to POST /photos, reporting progress (0-100). */
export function uploadPhoto(file: File | Blob, onProgress?: (percent: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<CasePhotoView>((resolve, reject) => {
    xhr.open('POST', '/api/v1/photos');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100))); };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络错误，照片未上传 (network error)'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', '已取消 (cancelled)'));
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) { onProgress?.(100); resolve(body as CasePhotoView); } else reject(toApiError(xhr.status, body));
    };
    const fd = new FormData();
    fd.append('file', file, (file as File).name || 'photo.jpg');
    xhr.send(fd);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A v4 UUID; crypto.randomUUID exists only on secure origins (a phone on http://192.168.… has no randomUUID). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
