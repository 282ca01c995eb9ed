import { Type } from '@sinclair/typebox';
import { IdValue, IdParams, Count, Name } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import { RESPONSIBILITY_KINDS, ROLES } from '../../../../../packages/shared/src/mechanism.js';
import * as auth from '../auth/auth.service.js';
import * as svc from './people.service.js';

const Id = IdParams;
const Grant = Type.Object({ roleKey: Type.String({ maxLength: 40 }), areaId: Type.Union([Type.Null(), IdValue()]) });
const Page = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Count()) };

export const peopleRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['people'];
  app.get('/reference', { config: { signedIn: true }, schema: { tags, summary: '角色与责任类型 Roles and responsibility kinds' } }, async () => ({ roles: ROLES, responsibilityKinds: RESPONSIBILITY_KINDS }));

  app.get('/users', {
    config: { duty: 'network.read' }, schema: { tags, summary: '人员列表 People', querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), role: Type.Optional(Type.String()), areaId: Type.Optional(IdValue()), ...Page }) },
  }, async (req) => svc.listUsers(db, actorOf(req), req.query));

  app.get('/users/:id', { config: { duty: 'network.read' }, schema: { tags, summary: '人员详情 Person', params: Id } }, async (req) => svc.getUser(db, actorOf(req), req.params.id));

  app.post('/users', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '新建人员 Create person', body: Type.Object({
      username: Name(40, 1), displayName: Name(60, 1),
      phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 20 })])), password: Type.Optional(Type.String({ maxLength: 128 })),
      roles: Type.Array(Grant, { minItems: 1, maxItems: 50 }) }) },
  }, async (req, reply) => reply.status(201).send(await svc.createUser(db, actorOf(req), req.body)));

  app.patch('/users/:id', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '修改人员 Edit person', params: Id, body: Type.Object({ displayName: Type.Optional(Name(60)), phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 20 })])), disabled: Type.Optional(Type.Boolean()) }) },
  }, async (req) => svc.updateUser(db, actorOf(req), req.params.id, req.body));

  app.post('/users/:id/roles', { config: { duty: 'people.manage' }, schema: { tags, summary: '授予角色 Grant a role', params: Id, body: Grant } },
    async (req, reply) => reply.status(201).send(await svc.addRole(db, actorOf(req), req.params.id, req.body)));

  app.delete('/users/:id/roles/:grantId', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '撤销角色 Remove a role', params: Type.Object({ id: IdValue(), grantId: IdValue() }) },
  }, async (req) => { await svc.removeRole(db, actorOf(req), req.params.id, req.params.grantId); return { ok: true }; });

  app.post('/users/:id/reset-password', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '管理员重置密码 Reset password', params: Id, body: Type.Object({ password: Type.Optional(Type.String({ maxLength: 128 })) }) },
  }, async (req) => auth.resetPassword(db, actorOf(req), req.params.id, req.body?.password));

  app.get('/responsibilities', {
    config: { duty: 'network.read' }, schema: { tags, summary: '责任分工 Responsibilities', querystring: Type.Object({
      areaId: Type.Optional(IdValue()), subtree: Type.Optional(Type.Boolean()), userId: Type.Optional(IdValue()),
      date: Type.Optional(Type.String({ maxLength: 10 })), kind: Type.Optional(Type.String({ maxLength: 40 })), ...Page }) },
  }, async (req) => svc.listResponsibilities(db, actorOf(req), { ...req.query, day: req.query.date }));

  app.post('/responsibilities', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '新增责任 Add a responsibility', body: Type.Object({
      kind: Type.String({ maxLength: 40 }), areaId: IdValue(), userId: Type.Optional(Type.Union([Type.Null(), IdValue()])),
      holderName: Type.Optional(Type.Union([Type.Null(), Name(100)])), principal: Type.Optional(Type.Boolean()),
      validFrom: Type.String({ maxLength: 10 }), validTo: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10 })])),
      note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])) }) },
  }, async (req, reply) => reply.status(201).send(await svc.addResponsibility(db, actorOf(req), req.body)));

  app.post('/responsibilities/:id/end', {
    config: { duty: 'people.manage' }, schema: { tags, summary: '结束（或改期）责任 End a responsibility', params: Id, body: Type.Object({ validTo: Type.Union([Type.Null(), Type.String({ maxLength: 10 })]) }) },
  }, async (req) => svc.endResponsibility(db, actorOf(req), req.params.id, req.body.validTo));

  app.get('/areas/:id/answerable', {
    config: { duty: 'network.read' }, schema: { tags, summary: '谁对此区域负责（某日） Who answers for this area on a day', params: Id, querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 10 })) }) },
  }, async (req) => svc.whoAnswers(db, actorOf(req), req.params.id, req.query.date));
};
