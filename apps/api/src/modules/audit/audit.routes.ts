import { Type } from '@sinclair/typebox';
import { IdValue } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { forbidden } from '../../lib/errors.js';
import { actorOf } from '../../plugins/auth.js';
import { managesAnything } from '../access/policy.js';
import { readAudit, verifyAudit } from './audit.service.js';

export const auditRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['audit'];
  app.get('/audit', {
    schema: { tags, summary: '审计日志 Audit log', querystring: Type.Object({ entity: Type.Optional(Type.String({ maxLength: 40 })), entityId: Type.Optional(Type.String({ maxLength: 40 })), beforeId: Type.Optional(IdValue()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) },
  }, async (req) => {
    // A reader sees the entries of their areas; install-wide entries only a global reader.
    if (!managesAnything(actorOf(req))) throw forbidden('只有管理员可以查看审计日志');
    return readAudit(db, actorOf(req), req.query);
  });
  app.get('/audit/verify', { schema: { tags, summary: '校验哈希链 Verify the chain' } }, async (req) => {
    if (!managesAnything(actorOf(req))) throw forbidden('只有管理员可以校验审计日志');
    return verifyAudit(db);
  });
};
