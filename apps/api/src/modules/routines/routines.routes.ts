import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { IdParams, IdValue, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import * as svc from './routines.service.js';
import * as field from './field.service.js';

const Version = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const Day = Type.String({ maxLength: 10 });
const Item = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40 }), section: Name(50), label: Name(200),
  kind: Type.Union(['yes_no', 'score', 'count', 'photo', 'note'].map((k) => Type.Literal(k))),
  weight: Type.Number({ minimum: 0, maximum: 100 }), maxScore: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  required: Type.Optional(Type.Boolean()), categoryCode: Type.Optional(Type.String({ maxLength: 12 })),
});
const Answer = Type.Object({
  itemId: Type.String({ minLength: 1, maxLength: 40 }),
  value: Type.Union([Type.Boolean(), Type.Number({ minimum: -1_000_000, maximum: 1_000_000 }), Type.Literal('na'), Type.Null()]),
  note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
  photoIds: Type.Optional(Type.Array(IdValue(), { maxItems: 9 })), raiseCase: Type.Optional(Type.Boolean()),
});

export const routineRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['routines'];
  app.get('/routines/plans', { config: { duty: 'routines.read' }, schema: { tags, summary: '例行工作计划 Plans' } }, async () => svc.listPlans(db));
  app.patch('/routines/plans/:id', {
    config: { duty: 'routines.manage' }, schema: { tags, summary: '修改计划（周期、宽限、启停） Edit a plan', params: IdParams,
      body: Type.Object({ name: Type.Optional(Name(50, 1)), recurrence: Type.Optional(Type.Object({}, { additionalProperties: true })),
        graceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })), active: Type.Optional(Type.Boolean()), version: Version }) },
  }, async (req) => svc.updatePlan(db, actorOf(req), req.params.id, req.body));
  app.post('/routines/plans/:id/lock', {
    config: { duty: 'routines.manage' }, schema: { tags, summary: '锁定一期（不再接收结果） Lock a period', params: IdParams, body: Type.Object({ period: Type.String({ maxLength: 12 }) }) },
  }, async (req) => svc.lockPeriod(db, actorOf(req), req.params.id, req.body.period));

  app.get('/routines/templates', { config: { duty: 'routines.read' }, schema: { tags, summary: '检查表 Checklists' } }, async () => svc.listTemplates(db));
  app.get('/routines/templates/:id', { config: { duty: 'routines.read' }, schema: { tags, summary: '检查表 Checklist', params: IdParams } }, async (req) => svc.getTemplate(db, req.params.id));
  app.post('/routines/templates', {
    config: { duty: 'routines.manage' }, schema: { tags, summary: '新建检查表 Create a checklist', body: Type.Object({ code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }), name: Name(50, 1), items: Type.Array(Item, { maxItems: 200 }) }) },
  }, async (req, reply) => reply.status(201).send(await svc.createTemplate(db, actorOf(req), req.body)));
  app.patch('/routines/templates/:id', {
    config: { duty: 'routines.manage' }, schema: { tags, summary: '修改检查表 Edit a checklist', params: IdParams, body: Type.Object({ name: Type.Optional(Name(50, 1)), items: Type.Optional(Type.Array(Item, { maxItems: 200 })), version: Version }) },
  }, async (req) => svc.updateTemplate(db, actorOf(req), req.params.id, req.body));

  app.get('/routines/my-tasks', {
    config: { signedIn: true }, schema: { tags, summary: '我的任务 My tasks', querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }) },
  }, async (req) => svc.myTasks(db, actorOf(req), req.query));
  app.get('/routines/tasks/:id', { config: { duty: 'routines.read' }, schema: { tags, summary: '任务 Task', params: IdParams } }, async (req) => svc.getTask(db, actorOf(req), req.params.id));
  app.post('/routines/tasks/:id/result', {
    config: { duty: 'routines.do' }, schema: { tags, summary: '提交结果（每个任务一份） Submit the result', params: IdParams,
      body: Type.Object({ clientId: Type.Optional(Type.String({ maxLength: 64 })), answers: Type.Array(Answer, { maxItems: 200 }), note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])) }) },
  }, async (req, reply) => {
    const r = await svc.submitResult(db, actorOf(req), req.params.id, req.body as svc.ResultInput);
    return reply.status(r.created ? 201 : 200).send(r.result);
  });
  app.get('/routines/completeness', {
    config: { duty: 'routines.read' }, schema: { tags, summary: '完成率与及时率 Completeness and timeliness', querystring: Type.Object({ planId: IdValue(), period: Type.String({ maxLength: 12 }), areaId: IdValue() }) },
  }, async (req) => svc.completeness(db, actorOf(req), req.query));

  const TurnoutKind = Type.Union(['party_member', 'volunteer', 'villager', 'cadre'].map((k) => Type.Literal(k)));
  app.get('/routines/tasks/:id/turnout', { config: { duty: 'routines.read' }, schema: { tags, summary: '清洁日名单与到场 Cleaning-day turnout', params: IdParams } },
    async (req) => field.turnout(db, actorOf(req), req.params.id));
  app.post('/routines/tasks/:id/turnout', {
    config: { duty: 'routines.do' }, schema: { tags, summary: '报名（可同时签到） Sign up (and in)', params: IdParams,
      body: Type.Object({ name: Name(30, 1), kind: TurnoutKind, signIn: Type.Optional(Type.Boolean()), area: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])) }) },
  }, async (req, reply) => reply.status(201).send(await field.signUp(db, actorOf(req), req.params.id, req.body)));
  app.post('/routines/tasks/:id/turnout/:turnoutId/sign-in', {
    config: { duty: 'routines.do' }, schema: { tags, summary: '签到 Sign in', params: Type.Object({ id: IdValue(), turnoutId: IdValue() }), body: Type.Object({ area: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])) }) },
  }, async (req) => field.signIn(db, actorOf(req), req.params.id, req.params.turnoutId, req.body?.area));
  app.get('/routines/tasks/:id/visits', { config: { duty: 'routines.read' }, schema: { tags, summary: '观摩的村 Observation visits', params: IdParams } },
    async (req) => field.visits(db, actorOf(req), req.params.id));
  app.post('/routines/tasks/:id/visits', {
    config: { duty: 'routines.do' }, schema: { tags, summary: '选定观摩村 Pick a village to visit', params: IdParams, body: Type.Object({ villageId: IdValue(), reason: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])) }) },
  }, async (req, reply) => reply.status(201).send(await field.pickVillage(db, actorOf(req), req.params.id, req.body)));
  app.put('/routines/tasks/:id/visits/:visitId', {
    config: { duty: 'routines.do' }, schema: { tags, summary: '记录观摩（评分、意见、照片） Record a visit', params: Type.Object({ id: IdValue(), visitId: IdValue() }),
      body: Type.Object({ score: Type.Number({ minimum: 0, maximum: 100 }), note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])), photoIds: Type.Optional(Type.Array(IdValue(), { maxItems: 9 })) }) },
  }, async (req) => field.recordVisit(db, actorOf(req), req.params.id, req.params.visitId, req.body));
};
