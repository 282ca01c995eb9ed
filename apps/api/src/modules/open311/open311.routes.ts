// HTTP for Open311 GeoReport v2 under /open311/v2 (no session): discovery, services, service
// definitions, POST/GET requests, one request, tokens and FixMyStreet's servicerequestupdates, each
// as .json or .xml (no extension: XML, the spec's required format), errors in the spec's shape with
// their 4xx. Partner keys for staff are under /api/v1/open311/partners (open311AdminRoutes).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import { DomainError, badInput } from '../../lib/errors.js';
import { IdParams, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { RateLimiter, takeOrRefuse } from '../../lib/ratelimit.js';
import { PhotoStore } from '../evidence/storage.js';
import { readForm } from '../intake/form.js';
import { CONTENT_TYPE, renderErrors, renderXml, splitFormat, type Format } from './open311.rules.js';
import * as svc from './open311.service.js';

/** The answer's format from the last segment of the path (for errors too); unknown extensions → XML. */
function formatOf(req: FastifyRequest): Format {
  const last = req.url.split('?')[0]!.split('/').pop() ?? '';
  return splitFormat(last).format ?? 'xml';
}

/** The format asked for, refusing an extension the API does not speak. */
function formatFrom(segment: string): { base: string; format: Format } {
  const s = splitFormat(segment);
  if (!s.format) throw badInput(`不支持 .${s.ext} 格式：请用 .json 或 .xml (format not supported; use .json or .xml)`, [{ field: 'format', message: 'json or xml' }]);
  return { base: s.base, format: s.format };
}

function send(reply: FastifyReply, format: Format, root: string, item: string | null, body: unknown) {
  return reply.type(CONTENT_TYPE[format]).send(format === 'json' ? JSON.stringify(body) : renderXml(root, item, body));
}

/**
 * The address partners reach us at, for absolute URLs (endpoint, media_url): behind a proxy its
 * X-Forwarded-Proto/-Host, else HTTPS when the cookies are marked secure (set behind HTTPS).
 */
function baseUrlOf(req: FastifyRequest, config: Config): string {
  const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();
  const proto = first(req.headers['x-forwarded-proto']);
  const host = first(req.headers['x-forwarded-host']) || req.host;
  const scheme = proto === 'https' || proto === 'http' ? proto : config.cookieSecure ? 'https' : req.protocol;
  return `${scheme}://${/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : 'localhost'}`;
}

/** A POST's fields: form-encoded (the spec), JSON, or multipart with photos (field media/photo); repeated fields kept as lists. */
async function readPost(req: FastifyRequest, maxBytes: number): Promise<{ fields: svc.Fields; files: Buffer[] }> {
  if (!req.isMultipart()) {
    const b = req.body;
    if (b === undefined || b === null || b === '') return { fields: {}, files: [] };
    if (typeof b !== 'object' || Array.isArray(b)) throw badInput('请以 application/x-www-form-urlencoded 表单提交 (send a form-encoded body)');
    return { fields: b as svc.Fields, files: [] };
  }
  return readForm(req, maxBytes);
}

const Text = (description: string, maxLength = 4000) => Type.Optional(Type.String({ maxLength, description }));
const Jurisdiction = { jurisdiction_id: Text('镇、县、市或省的区划代码（可不填）(optional: the code of a town, county, city or province)', 40) };
const FileParams = Type.Object({ file: Type.String({ maxLength: 200, description: '如 (e.g.) 001.json, 001.xml' }) });

export const open311Routes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  const store = new PhotoStore(config.photoDir);
  const baseUrl = (req: FastifyRequest) => baseUrlOf(req, config);
  const tags = ['open311'];
  const security: [] = [];
  // Per address, before the body is read: reads (so that request ids cannot be tried in bulk) and
  // posts, each their own bucket. A partner's hourly limit is counted by the intake before the
  // photos are decoded (the key may be in the body).
  const reads = new RateLimiter(config.publicReadsPerMin, 60_000);
  const posts = new RateLimiter(config.publicReadsPerMin, 60_000);
  app.addHook('onRequest', async (req) => takeOrRefuse(req.method === 'POST' ? posts : reads, req.ip));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const format = formatOf(req);
    let status: number;
    let descriptions: string[];
    if (err instanceof DomainError) {
      status = err.status;
      const problems = status === 400 ? (err.details ?? []).filter((d) => d.field !== 'retryAfter').map((d) => d.message) : [];
      descriptions = problems.length > 1 ? problems : [err.message];
      const wait = status === 429 || status === 503 ? err.details?.find((d) => d.field === 'retryAfter')?.message : undefined;
      if (wait) reply.header('retry-after', wait);
    } else if (err.validation) {
      status = 400;
      descriptions = err.validation.map((v) => {
        const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || (v.params as { missingProperty?: string })?.missingProperty || '';
        return `输入有误 (invalid input): ${field ? `${field}: ` : ''}${v.message ?? 'invalid'}`;
      });
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      descriptions = [err.message];
    } else {
      req.log.error({ err }, 'open311: unhandled error');
      status = 500;
      descriptions = ['服务器内部错误，已记录 (internal error, logged)'];
    }
    return reply.status(status).type(CONTENT_TYPE[format]).send(renderErrors(format, status, descriptions));
  });
  app.setNotFoundHandler((req, reply) => {
    const format = formatOf(req);
    return reply.status(404).type(CONTENT_TYPE[format])
      .send(renderErrors(format, 404, [`没有这个 Open311 方法 ${req.method} ${req.url.split('?')[0]!.slice(0, 200)} (no such method)`]));
  });

  const RequestsQuery = Type.Object({
    ...Jurisdiction,
    service_request_id: Text('编号，逗号分隔；给出时忽略其他条件 (comma-separated ids; overrides the other filters)'),
    service_code: Text('服务代码，逗号分隔 (comma-separated service codes)'),
    status: Text('open、closed，逗号分隔 (open, closed)', 100),
    start_date: Text('最早上报时间 (earliest requested_datetime), W3C', 100),
    end_date: Text('最晚上报时间 (latest requested_datetime), W3C；与 start_date 相隔不超过 90 天 (at most 90 days apart)', 100),
  });
  const UpdatesQuery = Type.Object({
    ...Jurisdiction,
    start_date: Text('W3C', 100), end_date: Text('W3C；与 start_date 相隔不超过 90 天 (at most 90 days apart)', 100),
    service_request_id: Text('编号，逗号分隔 (comma-separated ids)'),
  });
  const PostQuery = Type.Object({ ...Jurisdiction, api_key: Text('合作方密钥（也可放在表单中）(partner key; may be in the form instead)', 200) });

  for (const ext of ['', '.json', '.xml']) {
    const format: Format = ext === '.json' ? 'json' : 'xml';
    const hide = ext === '';

    app.get(`/discovery${ext}`, { config: { public: true }, schema: { tags, security, hide, summary: 'Open311 服务发现 Service discovery', querystring: Type.Object(Jurisdiction) } },
      async (req, reply) => send(reply, format, 'discovery', null, await svc.discovery(db, baseUrl(req))));

    app.get(`/services${ext}`, { config: { public: true }, schema: { tags, security, hide, summary: '服务列表（事件小类）GET Service List', querystring: Type.Object(Jurisdiction) } },
      async (req, reply) => {
        await svc.jurisdiction(db, req.query.jurisdiction_id);
        return send(reply, format, 'services', 'service', await svc.services(db));
      });

    app.get(`/requests${ext}`, { config: { public: true }, schema: { tags, security, hide, summary: '查询群众上报 GET Service Requests', querystring: RequestsQuery } },
      async (req, reply) => send(reply, format, 'service_requests', 'request', await svc.listRequests(db, req.query, baseUrl(req))));

    app.post(`/requests${ext}`, {
      config: { public: true }, schema: {
        tags, security, hide, querystring: PostQuery, consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
        summary: '合作方提交问题 POST Service Request (form: api_key, service_code, lat, long | address_string | address_id, description, attribute[CODE], …)',
      },
    }, async (req, reply) => {
      const { fields, files } = await readPost(req, config.maxUploadBytes);
      const body = await svc.createRequest(db, store, { fields: { ...req.query, ...fields }, photos: files, ip: req.ip });
      return send(reply, format, 'service_requests', 'request', body);
    });

    app.get(`/servicerequestupdates${ext}`, {
      config: { public: true }, schema: { tags, security, hide, summary: '办理进展（FixMyStreet 扩展）GET Service Request Updates', querystring: UpdatesQuery },
    }, async (req, reply) => send(reply, format, 'service_requests_updates', 'request_update', await svc.requestUpdates(db, req.query, baseUrl(req))));
  }

  app.get('/services/:file', {
    config: { public: true }, schema: { tags, security, summary: '服务定义（附加问题）GET Service Definition: services/{service_code}.{json|xml}', params: FileParams, querystring: Type.Object(Jurisdiction) },
  }, async (req, reply) => {
    const { base, format } = formatFrom(req.params.file);
    await svc.jurisdiction(db, req.query.jurisdiction_id);
    return send(reply, format, 'service_definition', null, await svc.serviceDefinition(db, base));
  });

  app.get('/requests/:file', {
    config: { public: true }, schema: { tags, security, summary: '查询一件上报 GET Service Request: requests/{service_request_id}.{json|xml}', params: FileParams, querystring: Type.Object(Jurisdiction) },
  }, async (req, reply) => {
    const { base, format } = formatFrom(req.params.file);
    return send(reply, format, 'service_requests', 'request', await svc.oneRequest(db, base, req.query.jurisdiction_id, baseUrl(req)));
  });

  app.get('/tokens/:file', {
    config: { public: true }, schema: { tags, security, summary: '由 token 查编号 GET request id from a token: tokens/{token}.{json|xml}', params: FileParams, querystring: Type.Object(Jurisdiction) },
  }, async (req, reply) => {
    const { base, format } = formatFrom(req.params.file);
    return send(reply, format, 'service_requests', 'request', await svc.byToken(db, base, req.query.jurisdiction_id));
  });
};

export const open311AdminRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['open311'];
  app.get('/open311/partners', { config: { duty: 'open311.manage' }, schema: { tags, summary: 'Open311 合作方 Partners (name, key prefix, active, created, last used)' } },
    async (req) => svc.listPartners(db, actorOf(req)));
  app.post('/open311/partners', {
    config: { duty: 'open311.manage' }, schema: { tags, summary: '新建合作方：密钥只在这次回答中出现 Create a partner; the key is shown once', body: Type.Object({ name: Name(200) }) },
  }, async (req, reply) => reply.status(201).send(await svc.createPartner(db, actorOf(req), req.body)));
  app.post('/open311/partners/:id/deactivate', { config: { duty: 'open311.manage' }, schema: { tags, summary: '停用合作方密钥 Deactivate a partner key', params: IdParams } },
    async (req) => svc.deactivatePartner(db, actorOf(req), req.params.id));
};
