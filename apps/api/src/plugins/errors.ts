// Every error leaves as JSON {error:{code,message}}: domain errors with their 4xx, Fastify's
// validation errors as 400 naming the field; anything else is a bug, logged, and a 500.
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../lib/errors.js';
import { NAME_MESSAGE, NAME_PATTERN } from '../lib/schemas.js';

/** `spa`: the web app is served, so unknown GET pages outside /api and /docs get its index.html. */
/** True when a string anywhere in the value holds a NUL character, which PostgreSQL text refuses. */
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 20 || v === null || typeof v !== 'object') return false;
  return Object.entries(v as object).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

export function registerErrors(app: FastifyInstance, opts: { spa?: boolean } = {}) {
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.query) || hasNul(req.params) || hasNul(req.body)) {
      throw new DomainError(400, 'BAD_INPUT', '输入中含有不允许的控制字符 (NUL) (input holds a NUL character)');
    }
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      const wait = err.status === 429 || err.status === 503 ? err.details?.find((d) => d.field === 'retryAfter')?.message : undefined;
      if (wait) reply.header('retry-after', wait);
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) {
      const details = err.validation.map((v) => {
        const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.')
          || (v.params as { missingProperty?: string })?.missingProperty || err.validationContext || '';
        const message = v.keyword === 'pattern' && (v.params as { pattern?: string })?.pattern === NAME_PATTERN ? NAME_MESSAGE : (v.message ?? 'invalid');
        return { field, message: `${field ? `${field}: ` : ''}${message}` };
      });
      return reply.status(400).send({ error: { code: 'BAD_INPUT', message: `输入有误 (invalid input): ${details.map((d) => d.message).join('; ')}`, details } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = err.code === 'FST_REQ_FILE_TOO_LARGE' || status === 413 ? 'TOO_LARGE' : err.code?.startsWith('FST_') ? 'BAD_REQUEST' : (err.code ?? 'BAD_REQUEST');
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，已记录 (internal error, logged)' } });
  });
  app.setNotFoundHandler((req, reply) => {
    if (opts.spa && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs')) {
      return reply.sendFile('index.html');
    }
    // Inside /api/v1 a caller without a session learns nothing of which addresses exist: 401, like every route there.
    if (req.url.startsWith('/api/v1/') && !req.headers.cookie?.includes('wangge_session=')) {
      return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: '请先登录 (please log in)' } });
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `没有这个地址 ${req.method} ${req.url}` } });
  });
}
