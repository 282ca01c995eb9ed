import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { IdParams, IdValue, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { CASE_SOURCES, CASE_ACTIONS } from '../../../../../packages/shared/src/cases.js';
import * as svc from './cases.service.js';
import * as cats from './categories.service.js';
import { casesWorkbook } from './cases.export.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Text = (max: number) => Type.String({ maxLength: max });
const ListQuery = Type.Object({
  areaId: Type.Optional(IdValue()), state: Type.Optional(Text(200)), categoryId: Type.Optional(IdValue()),
  overdue: Type.Optional(Type.Boolean()), assigneeId: Type.Optional(IdValue()), mine: Type.Optional(Type.Boolean()),
  from: Type.Optional(Text(10)), to: Type.Optional(Text(10)), q: Type.Optional(Text(100)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const Category = {
  code: Type.String({ pattern: '^[0-9A-Za-z]{2,12}$' }), parentId: Type.Optional(Type.Union([Type.Null(), IdValue()])),
  name: Name(50, 1), nameEn: Type.Optional(Type.Union([Type.Null(), Name(100)])),
  deadlineAmount: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 365 })])),
  deadlineUnit: Type.Optional(Type.Union([Type.Null(), Type.Literal('work_hour'), Type.Literal('work_day'), Type.Literal('day')])),
  closingRequirement: Type.Optional(Type.Union([Type.Null(), Text(50)])),
  routeKind: Type.Optional(Type.Union([Type.Null(), Text(40)])),
  duplicateRadiusM: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 10_000 })])),
  publicVisible: Type.Optional(Type.Boolean({ description: '群众可报（随手拍与 Open311）' })),
  publicAttributes: Type.Optional(Type.Union([Type.Null(), Type.Array(Type.Object({
    code: Type.String({ maxLength: 40 }), description: Type.String({ maxLength: 200 }),
    datatype: Type.String({ maxLength: 20 }), required: Type.Boolean(), order: Type.Integer({ minimum: 0, maximum: 1000 }),
    datatypeDescription: Type.Optional(Type.String({ maxLength: 200 })),
    values: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 40 }), name: Name(100) }), { maxItems: 50 })),
  }), { maxItems: 20, description: '上报时要回答的问题 (Open311 attributes)' })])),
  active: Type.Optional(Type.Boolean()), sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
};

export const caseRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['cases'];
  app.get('/case-categories', { config: { signedIn: true }, schema: { tags, summary: '事件分类 Categories' } }, async () => cats.listCategories(db));
  app.post('/case-categories', { config: { duty: 'categories.manage' }, schema: { tags, summary: '新建分类 Create category', body: Type.Object(Category) } },
    async (req, reply) => reply.status(201).send(await cats.createCategory(db, actorOf(req), req.body)));
  app.patch('/case-categories/:id', {
    config: { duty: 'categories.manage' }, schema: { tags, summary: '修改分类 Edit category', params: IdParams, body: Type.Partial(Type.Object({ ...Category, version: Type.Integer({ minimum: 0, maximum: 2_000_000_000 }) })) },
  }, async (req) => cats.updateCategory(db, actorOf(req), req.params.id, req.body));

  app.post('/cases', {
    config: { duty: 'cases.report' }, schema: {
      tags, summary: '上报问题 Report a problem (same clientId again: the same case, 200)',
      body: Type.Object({
        clientId: Type.Optional(Text(64)), source: Type.Union(CASE_SOURCES.map((s) => Type.Literal(s.key))), categoryId: IdValue(), areaId: IdValue(),
        description: Type.String({ minLength: 1, maxLength: 2000 }), address: Type.Optional(Type.Union([Type.Null(), Text(200)])),
        lat: Type.Optional(Type.Union([Type.Null(), Lat])), lng: Type.Optional(Type.Union([Type.Null(), Lng])),
        photoIds: Type.Optional(Type.Array(IdValue(), { maxItems: 9 })),
      }),
    },
  }, async (req, reply) => {
    const r = await svc.reportCase(db, actorOf(req), req.body);
    return reply.status(r.created ? 201 : 200).send(r.case);
  });

  app.get('/cases', { config: { duty: 'cases.read' }, schema: { tags, summary: '案件列表 Cases', querystring: ListQuery } }, async (req) => svc.listCases(db, actorOf(req), req.query));
  app.get('/cases/export.xlsx', { config: { duty: 'cases.export' }, schema: { tags, summary: '导出 Excel', querystring: ListQuery } }, async (req, reply) => {
    const buf = await casesWorkbook(await svc.allCases(db, actorOf(req), req.query));
    return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="cases.xlsx"; filename*=UTF-8''${encodeURIComponent('案件清单.xlsx')}`).send(buf);
  });
  app.get('/cases/map', { config: { duty: 'cases.read' }, schema: { tags, summary: '地图上的案件 Cases on the map', querystring: ListQuery } }, async (req) => svc.mapCases(db, actorOf(req), req.query));
  app.get('/cases/inbox', { config: { duty: 'cases.read' }, schema: { tags, summary: '我的待办 What waits for me' } }, async (req) => svc.inbox(db, actorOf(req)));
  app.get('/cases/:id', { config: { duty: 'cases.read' }, schema: { tags, summary: '案件详情 Case', params: IdParams } }, async (req) => svc.getCase(db, actorOf(req), req.params.id));
  app.get('/cases/:id/assignees', { config: { duty: 'cases.read' }, schema: { tags, summary: '可派遣的人 Who it may go to', params: IdParams } }, async (req) => svc.assignees(db, actorOf(req), req.params.id));
  app.post('/cases/:id/steps', {
    config: { duty: 'cases.handle' }, schema: {
      tags, summary: '办理 Take a step', params: IdParams,
      body: Type.Object({
        action: Type.Union(Object.keys(CASE_ACTIONS).filter((a) => a !== 'report').map((a) => Type.Literal(a))),
        version: Type.Integer({ minimum: 0, maximum: 2_000_000_000 }), note: Type.Optional(Type.Union([Type.Null(), Text(2000)])),
        photoIds: Type.Optional(Type.Array(IdValue(), { maxItems: 9 })), assigneeId: Type.Optional(IdValue()),
        reason: Type.Optional(Type.Union([Type.Literal('invalid'), Type.Literal('duplicate')])),
        duplicateOf: Type.Optional(Type.Union([IdValue(), Text(30)])), requestedDueAt: Type.Optional(Text(40)), requestId: Type.Optional(IdValue()),
      }),
    },
  }, async (req) => svc.takeStep(db, actorOf(req), req.params.id, req.body as svc.StepInput));
};
