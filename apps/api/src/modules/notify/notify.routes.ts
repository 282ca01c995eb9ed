import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, IdValue } from '../../lib/schemas.js';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import * as svc from './notify.service.js';

const Id = IdParams;
const Format = Type.String({ maxLength: 20, description: 'wecom | dingtalk | json' });
const Events = Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: '事件类型，如 case.overdue' });
const Secret = Type.Union([Type.Null(), Type.String({ maxLength: 200 })], { description: '钉钉加签密钥（SEC…）或通用 JSON 的签名密钥；不会被显示或写入审计' });
const Url = Type.String({ minLength: 1, maxLength: 2000 });

export const notifyRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['notify'];

  app.get('/notifications', {
    config: { signedIn: true }, schema: { tags, summary: '我的通知（最新在前，含未读数） My notifications', querystring: Type.Object({
      unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), before: Type.Optional(IdValue()) }) },
  }, async (req) => svc.myNotifications(db, actorOf(req), req.query));

  app.post('/notifications/:id/read', { config: { signedIn: true }, schema: { tags, summary: '标为已读 Mark read', params: Id } },
    async (req) => svc.markRead(db, actorOf(req), req.params.id));

  app.post('/notifications/read-all', { config: { signedIn: true }, schema: { tags, summary: '全部标为已读 Mark all read' } },
    async (req) => svc.markAllRead(db, actorOf(req)));

  app.get('/webhooks', { config: { duty: 'webhooks.manage' }, schema: { tags, summary: 'Webhook（群机器人）列表，含可选事件与格式 Webhooks' } },
    async (req) => svc.listWebhooks(db, actorOf(req)));

  app.get('/webhooks/:id', { config: { duty: 'webhooks.manage' }, schema: { tags, summary: 'Webhook 详情 Webhook', params: Id } },
    async (req) => svc.getWebhook(db, actorOf(req), req.params.id));

  app.post('/webhooks', {
    config: { duty: 'webhooks.manage' }, schema: { tags, summary: '新建 Webhook Create webhook', body: Type.Object({
      name: Type.String({ maxLength: 100 }), url: Url, format: Format, secret: Type.Optional(Secret),
      areaId: Type.Optional(Type.Union([Type.Null(), IdValue()])), events: Events, active: Type.Optional(Type.Boolean()) }) },
  }, async (req, reply) => reply.status(201).send(await svc.createWebhook(db, actorOf(req), req.body)));

  app.patch('/webhooks/:id', {
    config: { duty: 'webhooks.manage' }, schema: { tags, summary: '修改 Webhook（secret: null 清除） Edit webhook', params: Id, body: Type.Object({
      name: Type.Optional(Type.String({ maxLength: 100 })), url: Type.Optional(Url), format: Type.Optional(Format), secret: Type.Optional(Secret),
      areaId: Type.Optional(Type.Union([Type.Null(), IdValue()])), events: Type.Optional(Events), active: Type.Optional(Type.Boolean()) }) },
  }, async (req) => svc.updateWebhook(db, actorOf(req), req.params.id, req.body));

  app.delete('/webhooks/:id', { config: { duty: 'webhooks.manage' }, schema: { tags, summary: '删除 Webhook（已有发送记录则停用） Delete or deactivate', params: Id } },
    async (req) => svc.deleteWebhook(db, actorOf(req), req.params.id));

  app.post('/webhooks/:id/test', { config: { duty: 'webhooks.manage' }, schema: { tags, summary: '发送测试消息（排队） Queue a test message', params: Id } },
    async (req, reply) => reply.status(202).send(await svc.testWebhook(db, actorOf(req), req.params.id)));

  app.get('/outbox', {
    config: { duty: 'webhooks.manage' }, schema: { tags, summary: '发送记录（最新在前） Outbox', querystring: Type.Object({
      status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')])),
      webhookId: Type.Optional(IdValue()), before: Type.Optional(IdValue()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) },
  }, async (req) => svc.listOutbox(db, actorOf(req), req.query));

  app.post('/outbox/:id/retry', { config: { duty: 'webhooks.manage' }, schema: { tags, summary: '重新发送 Retry a delivery', params: Id } },
    async (req) => svc.retryOutbox(db, actorOf(req), req.params.id));
};
