// The one typed client for the Wangge API. Errors carry the JSON error body's code and details.
import type { LevelKey, ResponsibilityKind, RoleKey, SizeClass } from '../../../packages/shared/src/mechanism';

export interface ApiErrorDetail { field?: string; row?: number; column?: string; message: string }

export class ApiError extends Error {
  status: number;
  code: string;
  details?: ApiErrorDetail[];
  constructor(status: number, code: string, message: string, details?: ApiErrorDetail[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Turns an error body (or anything thrown) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } } | null)?.error;
  if (e) return new ApiError(status, e.code ?? 'ERROR', e.message ?? `HTTP ${status}`, e.details);
  return new ApiError(status, status === 0 ? 'NETWORK' : 'HTTP_' + status, status === 0 ? '网络错误 (network error)' : `HTTP ${status}`);
}

type Listener = (e: ApiError) => void;
const authListeners = new Set<Listener>();
/** Called on 401 (session gone) and 403 PASSWORD_CHANGE_REQUIRED. */
export function onAuthProblem(l: Listener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function qs(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: string, url: string, body?: unknown, opts: { quietAuth?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${url}`, {
      method,
      credentials: 'same-origin',
      headers: body !== undefined ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络错误，请检查连接 (network error)');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = toApiError(res.status, data);
    if (!opts.quietAuth && (res.status === 401 || (res.status === 403 && err.code === 'PASSWORD_CHANGE_REQUIRED'))) {
      for (const l of authListeners) l(err);
    }
    throw err;
  }
  return data as T;
}

const get = <T>(url: string, q?: Query) => request<T>('GET', url + qs(q));
const post = <T>(url: string, body: unknown = {}) => request<T>('POST', url, body);
const patch = <T>(url: string, body: unknown) => request<T>('PATCH', url, body);
const del = <T>(url: string) => request<T>('DELETE', url);

// --- types ---
export interface LoginUser { id: number; username: string; displayName: string; mustChangePassword: boolean }
export interface MyRole { roleKey: RoleKey; areaId: number | null; areaName: string | null; canWrite: boolean; canManage: boolean }
export interface Me extends LoginUser {
  roles: MyRole[]; areas: { id: number; name: string }[]; global: boolean;
  /** the duties (职责) the caller holds: the screens show only these (the server still checks) */
  capabilities: string[];
  /** each held duty → the areas it is held in (null: the whole install) */
  capabilityAreas: Record<string, (number | null)[]>;
}

export interface Area {
  id: number; code: string; name: string; officialName: string | null; level: LevelKey; parentId: number | null; depth: number;
  population: number | null; households: number | null; sizeClass: SizeClass | null; isKey: boolean; hasBoundary: boolean;
  demo: boolean; archived: boolean; version: number; childCount: number;
}
export interface AreaHit extends Area { trail: string }
export interface AreaRef { id: number; code: string; name: string; level: LevelKey }
export interface AreaMove { id: number; at: string; note: string | null; fromParent: string | null; toParent: string | null; actor: string | null }
export interface AreaDetail extends Area { boundary: unknown; ancestors: AreaRef[]; moves: AreaMove[] }

export interface Responsibility {
  id: number; kind: ResponsibilityKind; kindName?: string; areaId: number; areaName: string; areaCode: string; areaLevel: LevelKey;
  userId: number | null; userName: string | null; phone: string | null; holderName: string | null; principal: boolean;
  validFrom: string; validTo: string | null; note?: string | null;
}
export interface Leadership { roleKey: RoleKey; roleName: string; userId: number; userName: string; phone: string | null; areaName: string | null }
export interface Answerable { area: AreaRef; date: string; chain: Responsibility[]; leadership: Leadership[] }

export interface RoleRef { key: RoleKey; zh: string; en: string; levels: LevelKey[] | 'global'; write: boolean; manage: boolean }
export interface KindRef { key: ResponsibilityKind; zh: string; en: string; level: LevelKey; roles: RoleKey[] | null; order: number }
export interface Reference { roles: RoleRef[]; responsibilityKinds: KindRef[] }

export interface UserRow { id: number; username: string; displayName: string; phone: string | null; disabled: boolean; locked: boolean; roles: string }
export interface Grant { id: number; roleKey: RoleKey; roleName: string; areaId: number | null; areaName: string | null; areaCode: string | null }
export interface UserDetail {
  id: number; username: string; displayName: string; phone: string | null; disabled: boolean; locked: boolean; mustChangePassword: boolean;
  demo?: boolean; roles: Grant[]; responsibilities: Responsibility[];
}
export interface Page<T> { total: number; items: T[] }

export interface AuditEntry {
  id: number; at: string; actorId: number | null; actorName: string; action: string; entity: string; entityId: string | null;
  before: unknown; after: unknown; prevHash: string; hash: string;
}
export interface AuditVerify { ok: boolean; checked: number; brokenId?: number; reason?: string; lastHash?: string }
export interface Stats { areas: Partial<Record<LevelKey, number>>; users: number; responsibilities: { total: number; active: number } }

export interface ImportResult {
  ok: true; rows: number; dryRun?: boolean; created?: Record<string, number>; updated?: Record<string, number>; unchanged?: Record<string, number>;
  notice?: string | null; usersWithoutPassword?: string[]; [k: string]: unknown;
}

export interface AreaInput {
  parentId?: number; level?: LevelKey; code?: string; name?: string; population?: number | null; households?: number | null;
  sizeClass?: SizeClass | null; isKey?: boolean; version?: number;
}

export const api = {
  login: (username: string, password: string) =>
    request<{ user: LoginUser }>('POST', '/auth/login', { username, password }, { quietAuth: true }),
  logout: () => request<unknown>('POST', '/auth/logout', {}, { quietAuth: true }),
  changePassword: (oldPassword: string, newPassword: string) => post<unknown>('/auth/password', { oldPassword, newPassword }),
  me: () => request<Me>('GET', '/me', undefined, { quietAuth: true }),
  reference: () => get<Reference>('/reference'),
  stats: () => get<Stats>('/stats'),

  topAreas: () => get<Area[]>('/areas'),
  children: (id: number, archived = false) => get<Area[]>(`/areas/${id}/children`, { archived }),
  area: (id: number) => get<AreaDetail>(`/areas/${id}`),
  searchAreas: (q: string, level?: LevelKey, limit = 30) => get<AreaHit[]>('/areas/search', { q, level, limit }),
  createArea: (input: AreaInput) => post<Area>('/areas', input),
  updateArea: (id: number, input: AreaInput) => patch<Area>(`/areas/${id}`, input),
  moveArea: (id: number, parentId: number, note?: string) => post<Area>(`/areas/${id}/move`, { parentId, note }),
  archiveArea: (id: number) => post<Area>(`/areas/${id}/archive`),
  restoreArea: (id: number) => post<Area>(`/areas/${id}/restore`),
  deleteArea: (id: number) => del<unknown>(`/areas/${id}`),
  answerable: (id: number, date?: string) => get<Answerable>(`/areas/${id}/answerable`, { date }),

  users: (q: { q?: string; role?: string; areaId?: number; limit?: number; offset?: number }) => get<Page<UserRow>>('/users', q),
  user: (id: number) => get<UserDetail>(`/users/${id}`),
  createUser: (input: { username: string; displayName: string; phone?: string | null; password?: string; roles: { roleKey: string; areaId: number | null }[] }) =>
    post<{ id: number }>('/users', input),
  updateUser: (id: number, input: { displayName?: string; phone?: string | null; disabled?: boolean }) => patch<UserDetail>(`/users/${id}`, input),
  addRole: (id: number, roleKey: string, areaId: number | null) => post<unknown>(`/users/${id}/roles`, { roleKey, areaId }),
  removeRole: (id: number, grantId: number) => del<unknown>(`/users/${id}/roles/${grantId}`),
  resetPassword: (id: number, password?: string) => post<{ password?: string }>(`/users/${id}/reset-password`, password ? { password } : {}),

  responsibilities: (q: { areaId?: number; subtree?: boolean; userId?: number; date?: string; kind?: string; limit?: number; offset?: number }) =>
    get<Page<Responsibility>>('/responsibilities', q),
  addResponsibility: (input: { kind: string; areaId: number; userId?: number | null; holderName?: string | null; principal?: boolean; validFrom: string; validTo?: string | null; note?: string | null }) =>
    post<Responsibility>('/responsibilities', input),
  endResponsibility: (id: number, validTo: string | null) => post<Responsibility>(`/responsibilities/${id}/end`, { validTo }),

  audit: (q: { entity?: string; entityId?: string; beforeId?: number; limit?: number }) => get<AuditEntry[]>('/audit', q),
  verifyAudit: () => get<AuditVerify>('/audit/verify'),
};

/** Uploads one .xlsx as multipart field `file`, reporting progress (0-100). */
export function uploadXlsx(url: string, file: File | Blob, onProgress?: (percent: number) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${url}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100)); };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络错误 (network error)'));
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportResult);
      else {
        const err = toApiError(xhr.status, body);
        if (xhr.status === 401) for (const l of authListeners) l(err);
        reject(err);
      }
    };
    const fd = new FormData();
    fd.append('file', file, (file as File).name ?? 'upload.xlsx');
    xhr.send(fd);
  });
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
