import { Type } from '@sinclair/typebox';
import { IdValue } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import { readAudit, verifyAudit } from './audit.service.js';

export const auditRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['audit'];
  app.get('/audit', {
    config: { duty: 'audit.read' }, schema: { tags, summary: '审计日志 Audit log', querystring: Type.Object({ entity: Type.Optional(Type.String({ maxLength: 40 })), entityId: Type.Optional(Type.String({ maxLength: 40 })), beforeId: Type.Optional(IdValue()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) },
  }, async (req) => {
    // A reader sees the entries of their areas; install-wide entries only a global reader.
    return readAudit(db, actorOf(req), req.query);
  });
  app.get('/audit/verify', { config: { duty: 'audit.read' }, schema: { tags, summary: '校验哈希链 Verify the chain' } }, async (req) => {
    return verifyAudit(db);
  });
};
