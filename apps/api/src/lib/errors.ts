// Domain errors: services throw these, the error plugin turns them into 4xx JSON (and 503 busy /
// 507 storage full, which a client may retry: a 429 or 503 carries its wait in details `retryAfter`).
// Services never throw HTTP errors; routes never decide status codes for rules.

export type ErrorDetail = { row?: number; column?: string; field?: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 503 | 507,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const badInput = (message: string, details?: ErrorDetail[], code = 'BAD_INPUT') =>
  new DomainError(400, code, message, details);
export const notFound = (message: string) => new DomainError(404, 'NOT_FOUND', message);
export const forbidden = (message: string) => new DomainError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string, details?: ErrorDetail[]) =>
  new DomainError(409, code, message, details);
export const unauthorized = (message = '请先登录 (please log in)') =>
  new DomainError(401, 'UNAUTHORIZED', message);
