// Builds the app without listening: tests use inject, server.ts listens.
// Plugin order: external (cookie, multipart, openapi) → app (errors, auth) → routes → web.
import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/index.js';
import { sql, type Database } from './db/client.js';
import { registerErrors } from './plugins/errors.js';
import { registerAuth } from './plugins/auth.js';
import { registerEdge } from './plugins/edge.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { areaRoutes } from './modules/areas/areas.routes.js';
import { peopleRoutes } from './modules/people/people.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { excelRoutes } from './modules/excel/excel.routes.js';
import { notifyRoutes } from './modules/notify/notify.routes.js';
import { evidenceRoutes } from './modules/evidence/evidence.routes.js';
import { caseRoutes } from './modules/cases/cases.routes.js';
import { routineRoutes } from './modules/routines/routines.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { bulletinRoutes } from './modules/bulletin/bulletin.routes.js';
import { scoreRoutes } from './modules/scores/scores.routes.js';
import { rewardRoutes } from './modules/rewards/rewards.routes.js';
import { intakeRoutes, publicIntakeRoutes } from './modules/intake/intake.routes.js';
import { open311AdminRoutes, open311Routes } from './modules/open311/open311.routes.js';
import { publicityRoutes } from './modules/publicity/publicity.routes.js';
import { stats } from './modules/stats/stats.service.js';
import { setAuditKey } from './modules/audit/key.js';
import { configureImages } from './modules/evidence/image.js';
import { dutyRoutes } from './modules/access/duties.routes.js';
import { ensureDuties } from './modules/access/duties.service.js';

const SECRET_PARAMS = /([?&](?:token|api_key|key|access_token|secret|code|recoveryCode)=)[^&#]*/gi;
/** A URL as it may be logged: the values of secret-bearing query parameters replaced. */
export const loggableUrl = (url: string) => url.replace(SECRET_PARAMS, '$1***');
const logRequest = (req: { method: string; url: string; hostname?: string; ip?: string }) =>
  ({ method: req.method, url: loggableUrl(req.url), host: req.hostname, remoteAddress: req.ip });

export async function buildApp(config: Config, database: Database, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  setAuditKey(config.auditKey); // every audit entry from here on carries its mac
  configureImages({ maxPixels: config.maxImagePixels, concurrency: config.decodeConcurrency, queue: config.decodeQueue });
  const app = Fastify({
    // the request log never holds a secret: tokens and keys in query strings are masked
    logger: opts.logger ? { level: config.logLevel, serializers: { req: logRequest } } : false,
    bodyLimit: 2 * 1024 * 1024,
    // a number of hops: trust that many proxies nearest to the server
    trustProxy: typeof config.trustProxy === 'number' ? ((_addr: string, hop: number) => hop < (config.trustProxy as number)) : config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Query strings and paths are text, so their numbers and booleans are coerced; JSON bodies are
  // taken as sent (coercion would turn a null into "" or 0 and a cleared field into a value).
  const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, strict: false });
  const exact = new Ajv({ coerceTypes: false, useDefaults: true, strict: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema));
  const { db } = database;

  await app.register(cookie);
  // security headers and the cross-site refusal, before any route is added
  await registerEdge(app);
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: { title: '网格 Wangge API', version: '0.1.0', description: '网格化治理平台：区域网格、人员与责任、审计。Grid-based governance.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wangge_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const spa = fs.existsSync(`${config.webDist}/index.html`);
  registerErrors(app, { spa });
  // Duties new in this version get their default roles (once: later edits are kept).
  await ensureDuties(db);
  registerAuth(app, db);

  app.get('/api/health', { config: { public: true }, schema: { tags: ['meta'], summary: 'Health' } }, async () => {
    await db.execute(sql`SELECT 1`);
    return { status: 'ok', database: database.kind, version: '0.1.0' };
  });

  await app.register(async (api) => {
    await api.register(authRoutes(db, config));
    await api.register(areaRoutes(db));
    await api.register(peopleRoutes(db));
    await api.register(auditRoutes(db));
    await api.register(excelRoutes(db, config));
    await api.register(notifyRoutes(db));
    await api.register(evidenceRoutes(db, config));
    await api.register(caseRoutes(db));
    await api.register(routineRoutes(db));
    await api.register(calendarRoutes(db));
    await api.register(bulletinRoutes(db));
    await api.register(scoreRoutes(db));
    await api.register(rewardRoutes(db));
    await api.register(intakeRoutes(db));
    await api.register(open311AdminRoutes(db));
    await api.register(publicityRoutes(db));
    await api.register(dutyRoutes(db));
    api.get('/stats', { config: { duty: 'network.read' }, schema: { tags: ['meta'], summary: '统计 Counts' } }, async () => stats(db));
  }, { prefix: '/api/v1' });

  // Residents' reports: no login (rate limited per address and phone instead).
  await app.register(publicIntakeRoutes(db, config), { prefix: '/api/public' });
  // Open311 GeoReport v2 for partners' apps (an api_key to post; reading is public).
  await app.register(open311Routes(db, config), { prefix: '/open311/v2' });

  // The built web app; client-side routes fall back to index.html (see registerErrors).
  if (spa) await app.register(fastifyStatic, { root: config.webDist, wildcard: false });
  // The residents' phone page (随手拍, no login, a small page of its own) at /s.
  if (spa && fs.existsSync(`${config.webDist}/report.html`)) {
    app.get('/s', { schema: { hide: true } }, (_req, reply) => reply.sendFile('report.html'));
    app.get('/s/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/s'));
  }
  return app;
}
