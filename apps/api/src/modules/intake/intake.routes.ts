// HTTP for residents' reports. Public (no login, under /api/public): categories, submit with
// photos (multipart), status by number, the public photos, rating and reopening with the token.
// Staff (under /api/v1/intake): the queue, review and redaction, hiding photos, placing, merging.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import { badInput, notFound } from '../../lib/errors.js';
import { IdParams, IdValue } from '../../lib/schemas.js';
import { RateLimiter, takeOrRefuse } from '../../lib/ratelimit.js';
import { actorOf } from '../../plugins/auth.js';
import { PhotoStore } from '../evidence/storage.js';
import { MAX_PHOTOS, RATINGS } from './intake.rules.js';
import { readForm } from './form.js';
import * as svc from './intake.service.js';

/** Ratings and reopenings per address and minute (each also needs the reporter's token). */
export const PUBLIC_POSTS_PER_MIN = 30;

/** One value per field (the first, when a field was sent more than once). */
const single = (fields: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;

const NoParams = Type.Object({ no: Type.String({ maxLength: 30, description: '上报编号 tracking number' }) });
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 100, description: '上报时得到的查询码 (the reporter’s token)' })) });

export const publicIntakeRoutes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['public'];
  const store = new PhotoStore(config.photoDir);
  const security: [] = [];
  // Per address, before anything else of the request is read: status lookups and photos (so that
  // tracking numbers cannot be tried in bulk), ratings and reopenings. A report's own limits are
  // the intake's counts (checkLimits), looked at before its body is read.
  const reads = new RateLimiter(config.publicReadsPerMin, 60_000);
  const posts = new RateLimiter(PUBLIC_POSTS_PER_MIN, 60_000);
  const limitReads = async (req: FastifyRequest) => takeOrRefuse(reads, req.ip);
  const limitPosts = async (req: FastifyRequest) => takeOrRefuse(posts, req.ip);

  app.get('/categories', { config: { public: true }, schema: { tags, security, summary: '可上报的问题类别 Categories residents may report' } }, async () => ({
    items: await svc.publicCategories(db), maxPhotos: MAX_PHOTOS, maxPhotoBytes: config.maxUploadBytes, ratings: RATINGS,
  }));

  app.get('/map', {
    config: { public: true }, schema: {
      tags, security, summary: '镇、村边界（只有名称和形状），供在地图上点选位置 Town and village boundaries for the resident’s map',
      querystring: Type.Object({
        lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: '大范围部署时：只给出此点所在镇的村 (with many villages: the town around this point)' })),
        lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
      }),
    },
  }, async (req, reply) => {
    const { lat, lng } = req.query;
    if ((lat === undefined) !== (lng === undefined)) throw badInput('经度和纬度要同时提供 (lat and lng go together)', [{ field: 'lat', message: 'lat and lng go together' }]);
    reply.header('cache-control', 'public, max-age=600');
    return svc.publicMap(db, lat !== undefined && lng !== undefined ? { lat, lng } : undefined);
  });

  app.post('/reports', {
    config: { public: true },
    // over the address's limit: 429 before the body (and its photos) is read
    onRequest: async (req) => svc.checkLimits(db, { ip: req.ip }),
    schema: {
      tags, security, consumes: ['multipart/form-data'],
      summary: '随手拍：上报问题 Report a problem (multipart: photo (1–3 files), category, description, lat, lng, phone?, name?, clientId?)',
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw badInput('请以 multipart/form-data 提交（照片字段 photo） (multipart required)', [{ field: 'photo', message: 'multipart required' }]);
    const form = await readForm(req, config.maxUploadBytes);
    const fields = single(form.fields);
    const files = form.files;
    const r = await svc.submitReport(db, store, {
      fields: { ...fields, description: fields.description, category: fields.category ?? fields.categoryId }, photos: files, channel: 'web', partnerId: null, ip: req.ip,
      requirePhoto: true, needLocation: true,
    });
    return reply.status(r.created ? 201 : 200).send(r);
  });

  app.get('/reports/:no', {
    config: { public: true }, onRequest: limitReads, schema: { tags, security, summary: '按编号查询办理进度 Status by tracking number', params: NoParams, querystring: TokenQuery },
  }, async (req) => svc.statusByNo(db, req.params.no, req.query.token));

  for (const which of ['file', 'thumb'] as const) {
    app.get(`/reports/:no/photos/:id/${which}`, {
      config: { public: true }, onRequest: limitReads, schema: { tags, security, summary: '公开的照片（已去除拍摄信息）Public photo, metadata removed', params: Type.Object({ no: NoParams.properties.no, id: IdValue() }), querystring: TokenQuery },
    }, async (req, reply) => {
      const { key, etag } = await svc.publicPhoto(db, req.params.no, req.params.id, which, req.query.token);
      const size = await store.size(key);
      if (size === null) throw notFound('照片文件缺失 (file missing)');
      reply.header('cache-control', 'public, max-age=300').header('etag', `"${etag}"`).header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === `"${etag}"`) return reply.status(304).send();
      return reply.type('image/jpeg').header('content-length', size).send(store.read(key));
    });
  }

  app.post('/reports/:no/rating', {
    config: { public: true }, onRequest: limitPosts, schema: { tags, security, summary: '评价办理结果 Rate the outcome (满意/基本满意/不满意)', params: NoParams,
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), rating: Type.String({ maxLength: 20 }), note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])) }) },
  }, async (req) => svc.rate(db, req.params.no, req.body));

  app.post('/reports/:no/reopen', {
    config: { public: true }, onRequest: limitPosts, schema: { tags, security, summary: '不满意，重新办理（一次）Reopen once', params: NoParams,
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), reason: Type.String({ maxLength: 2000 }) }) },
  }, async (req) => svc.reopen(db, req.params.no, req.body));
};

export const intakeRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['intake'];
  app.get('/intake/reports', {
    config: { duty: 'intake.read' }, schema: { tags, summary: '群众上报：待受理、待审核或全部 The intake queue',
      querystring: Type.Object({ view: Type.Optional(Type.Union([Type.Literal('waiting'), Type.Literal('unreviewed'), Type.Literal('all')])),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }) },
  }, async (req) => svc.queue(db, actorOf(req), req.query));
  app.get('/intake/reports/:id', { config: { duty: 'intake.read' }, schema: { tags, summary: '一件群众上报：审核状态与附近的同类案件 A report with its nearby duplicates', params: IdParams } },
    async (req) => svc.staffDetail(db, actorOf(req), req.params.id));
  app.post('/intake/reports/:id/review', {
    config: { duty: 'intake.review' }, schema: { tags, summary: '审核后公开（可改写公开的描述）Review; optionally redact the public text', params: IdParams,
      body: Type.Object({ publicText: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 4000 })])) }) },
  }, async (req) => svc.review(db, actorOf(req), req.params.id, req.body));
  app.post('/intake/reports/:id/place', {
    config: { duty: 'intake.handle' }, schema: { tags, summary: '调整到正确的区域（立案前）Place in an area', params: IdParams, body: Type.Object({ areaId: IdValue() }) },
  }, async (req) => svc.placeReport(db, actorOf(req), req.params.id, req.body));
  app.post('/intake/reports/:id/merge', {
    config: { duty: 'intake.handle' }, schema: { tags, summary: '作为重复件合并到已有案件 Merge into an open case as a duplicate', params: IdParams,
      body: Type.Object({ into: Type.Union([IdValue(), Type.String({ maxLength: 30 })]), version: Type.Integer({ minimum: 1 }) }) },
  }, async (req) => svc.mergeInto(db, actorOf(req), req.params.id, req.body));
  app.post('/intake/reports/:id/phone', { config: { duty: 'personal.reveal' }, schema: { tags, summary: '查看完整手机号（留痕）Reveal the phone (audited)', params: IdParams } },
    async (req) => svc.revealPhone(db, actorOf(req), req.params.id));
  app.post('/intake/photos/:id/hidden', {
    config: { duty: 'intake.review' }, schema: { tags, summary: '隐藏或恢复公开照片 Hide a photo from the public', params: IdParams, body: Type.Object({ hidden: Type.Boolean() }) },
  }, async (req) => svc.hidePhoto(db, actorOf(req), req.params.id, req.body.hidden));
  app.get('/intake/settings', { config: { duty: 'intake.read' }, schema: { tags, summary: '上报频率限制 Rate limits' } }, async () => svc.intakeLimits(db));
  const Limit = Type.Integer({ minimum: 1, maximum: 1_000_000 });
  app.put('/intake/settings', {
    config: { duty: 'settings.manage' }, schema: { tags, summary: '修改上报频率限制 Set rate limits',
      body: Type.Object({ perAddress10Min: Limit, perAddressDay: Limit, perPhoneDay: Limit, perPartnerHour: Limit }) },
  }, async (req) => svc.setIntakeLimits(db, actorOf(req), req.body));
  app.get('/intake/retention', { config: { duty: 'intake.read' }, schema: { tags, summary: '群众联系方式保留期限 How long residents’ contact details are kept' } },
    async () => svc.retention(db));
  app.put('/intake/retention', {
    config: { duty: 'settings.manage' }, schema: { tags, summary: '修改保留期限（办结后多少天删除群众的手机号、姓名、邮箱）Set the retention time',
      body: Type.Object({ contactDays: Type.Integer({ minimum: 1, maximum: 100_000 }) }) },
  }, async (req) => svc.setRetention(db, actorOf(req), req.body));
};
