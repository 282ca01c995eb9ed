import { Type } from '@sinclair/typebox';
import { IdValue, IdParams, Count, Name } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import { LEVELS } from '../../../../../packages/shared/src/mechanism.js';
import * as svc from './areas.service.js';

const Id = IdParams;
const Level = Type.Union(LEVELS.map((l) => Type.Literal(l.key)));
const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([Type.Null(), t]);
const Attributes = {
  name: Name(100, 1),
  population: Type.Optional(Nullable(Count())),
  households: Type.Optional(Nullable(Count())),
  sizeClass: Type.Optional(Type.Union([Type.Null(), Type.Literal('small'), Type.Literal('medium'), Type.Literal('large')])),
  isKey: Type.Optional(Type.Boolean()),
  boundary: Type.Optional(Type.Union([Type.Null(), Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Any()) })])),
};

export const areaRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['areas'];
  app.get('/areas', { config: { duty: 'network.read' }, schema: { tags, summary: '顶层区域（我可见的） Top areas I can see' } }, async (req) => svc.topAreas(db, actorOf(req)));

  app.get('/areas/search', {
    config: { duty: 'network.read' }, schema: { tags, summary: '按名称、拼音或代码搜索 Search', querystring: Type.Object({ q: Type.String({ maxLength: 100 }), level: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }) },
  }, async (req) => svc.searchAreas(db, actorOf(req), req.query.q, req.query.level ?? null, req.query.limit));

  app.get('/areas/:id', { config: { duty: 'network.read' }, schema: { tags, summary: '区域详情 Area', params: Id } }, async (req) => svc.getArea(db, actorOf(req), req.params.id));

  app.get('/areas/:id/children', {
    config: { duty: 'network.read' }, schema: { tags, summary: '下级区域 Children', params: Id, querystring: Type.Object({ archived: Type.Optional(Type.Boolean()) }) },
  }, async (req) => svc.children(db, actorOf(req), req.params.id, req.query.archived ?? false));

  app.post('/areas', {
    config: { duty: 'network.manage' }, schema: { tags, summary: '新建区域 Create', body: Type.Object({ parentId: Nullable(IdValue()), level: Level, code: Type.Optional(Type.String({ maxLength: 20 })), ...Attributes }) },
  }, async (req, reply) => reply.status(201).send(await svc.createArea(db, actorOf(req), req.body)));

  app.patch('/areas/:id', {
    config: { duty: 'network.manage' }, schema: { tags, summary: '修改区域 Edit', params: Id, body: Type.Partial(Type.Object({ ...Attributes, version: Type.Integer({ minimum: 0, maximum: 2_000_000_000 }) })) },
  }, async (req) => svc.updateArea(db, actorOf(req), req.params.id, req.body));

  app.post('/areas/:id/move', {
    config: { duty: 'network.manage' }, schema: { tags, summary: '移动区域（留历史） Move', params: Id, body: Type.Object({ parentId: IdValue(), note: Type.Optional(Type.String({ maxLength: 500 })) }) },
  }, async (req) => svc.moveArea(db, actorOf(req), req.params.id, req.body.parentId, req.body.note ?? null));

  app.post('/areas/:id/archive', { config: { duty: 'network.manage' }, schema: { tags, summary: '归档 Archive', params: Id } }, async (req) => svc.archiveArea(db, actorOf(req), req.params.id, true));
  app.post('/areas/:id/restore', { config: { duty: 'network.manage' }, schema: { tags, summary: '恢复 Restore', params: Id } }, async (req) => svc.archiveArea(db, actorOf(req), req.params.id, false));
  app.delete('/areas/:id', { config: { duty: 'network.manage' }, schema: { tags, summary: '删除（仅无记录的区域） Delete', params: Id } }, async (req) => svc.deleteArea(db, actorOf(req), req.params.id));

  app.get('/areas/:id/boundaries', {
    config: { duty: 'network.read' }, schema: { tags, summary: '下级区域边界（GeoJSON） Boundaries of the descendants at a level', params: Id,
      querystring: Type.Object({ level: Type.Optional(Level) }) },
  }, async (req) => svc.boundaries(db, actorOf(req), req.params.id, req.query.level));
};
