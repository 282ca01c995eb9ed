// The public intake API (no login, under /api/public). fetch for the small calls, XMLHttpRequest for
// the report itself so that the upload's progress can be shown.
import type { Geometry } from 'geojson';
import { errorMessage } from './helpers';

export class PublicError extends Error {
  constructor(public status: number, message: string, public code = '') { super(message); this.name = 'PublicError'; }
}

export interface Category { id: number; code: string; name: string; group: string; groupCode: string }
export interface Categories { items: Category[]; maxPhotos: number; maxPhotoBytes: number; ratings: { key: RatingKey; zh: string }[] }
export type RatingKey = 'satisfied' | 'basically' | 'unsatisfied';

export interface Submitted {
  created: boolean; no: string; caseId: number; token: string; state: string; statusText: string;
  placement: 'micro_grid' | 'queue'; areaName: string; categoryName: string; reportedAt: string;
}

export interface StatusView {
  no: string; category: { code: string; name: string }; status: string; statusText: string; state: string;
  reportedAt: string; updatedAt: string; closedAt: string | null; expectedAt: string | null;
  place: string; lat: number | null; lng: number | null; address: string | null;
  description: string | null; reviewed: boolean;
  photos: { id: number; url: string; thumbUrl: string }[];
  timeline: { at: string; action: string; label: string }[];
  mine: boolean; phone: string | null; rating: { key: RatingKey; text: string; at: string } | null;
  canRate: boolean; canReopen: boolean; reopened: boolean; whyNotRate: string | null; whyNotReopen: string | null;
  duplicateOf: string | null;
}

export interface MapData {
  type: 'FeatureCollection'; villages: 'all' | 'town' | 'near';
  features: { type: 'Feature'; geometry: Geometry; properties: { name: string; level: 'town' | 'village' } }[];
}

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/public${url}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new PublicError(0, errorMessage(0, ''));
  }
  const text = await res.text();
  if (!res.ok) {
    let code = '';
    try { code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? ''; } catch { /* not JSON */ }
    throw new PublicError(res.status, errorMessage(res.status, text), code);
  }
  return JSON.parse(text) as T;
}

const withToken = (token: string | null | undefined) => (token ? `?token=${encodeURIComponent(token)}` : '');

export const publicApi = {
  categories: () => call<Categories>('GET', '/categories'),
  map: (near?: { lat: number; lng: number }) => call<MapData>('GET', `/map${near ? `?lat=${near.lat}&lng=${near.lng}` : ''}`),
  status: (no: string, token?: string | null) => call<StatusView>('GET', `/reports/${encodeURIComponent(no)}${withToken(token)}`),
  rate: (no: string, token: string, rating: RatingKey, note: string) => call<StatusView>('POST', `/reports/${encodeURIComponent(no)}/rating`, { token, rating, note: note || null }),
  reopen: (no: string, token: string, reason: string) => call<StatusView>('POST', `/reports/${encodeURIComponent(no)}/reopen`, { token, reason }),
  photoUrl: (url: string, token?: string | null) => `${url}${withToken(token)}`,
};

export interface ReportInput {
  photos: Blob[]; category: string; description: string; lat: number; lng: number; phone: string; name: string; clientId: string;
}

/** Sends a report (multipart), calling onProgress with 0–100 while the photos go up. */
export function submitReport(input: ReportInput, onProgress: (percent: number) => void): { promise: Promise<Submitted>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Submitted>((resolve, reject) => {
    xhr.open('POST', '/api/public/reports');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100))); };
    xhr.onerror = () => reject(new PublicError(0, errorMessage(0, '')));
    xhr.ontimeout = () => reject(new PublicError(0, errorMessage(0, '')));
    xhr.onabort = () => reject(new PublicError(0, '已取消提交', 'ABORTED'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        try { resolve(JSON.parse(xhr.responseText) as Submitted); } catch { reject(new PublicError(xhr.status, '服务器的回答看不懂，请到“查询进度”里看是否已提交')); }
        return;
      }
      let code = '';
      try { code = (JSON.parse(xhr.responseText) as { error?: { code?: string } }).error?.code ?? ''; } catch { /* not JSON */ }
      reject(new PublicError(xhr.status, errorMessage(xhr.status, xhr.responseText), code));
    };
    const fd = new FormData();
    // Text fields first: the server reads the parts in order.
    fd.append('clientId', input.clientId);
    fd.append('category', input.category);
    fd.append('description', input.description);
    fd.append('lat', String(input.lat));
    fd.append('lng', String(input.lng));
    if (input.phone.trim()) fd.append('phone', input.phone.trim());
    if (input.name.trim()) fd.append('name', input.name.trim());
    input.photos.forEach((p, i) => fd.append('photo', p, `photo${i + 1}.jpg`));
    xhr.send(fd);
  });
  return { promise, abort: () => xhr.abort() };
}
