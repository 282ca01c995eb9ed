// HTTP for publicity and civility (宣传发动): campaigns and targets, records of each kind, WeChat
// read counts (entered or imported), the summary and its .xlsx, and the banner rule.
// Bodies are typed here; ranges and per-kind rules are checked by publicity.rules.ts with messages
// that name the field in Chinese.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { IdParams, IdValue, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendXlsx, uploadedFile } from '../excel/xlsx.http.js';
import * as svc from './publicity.service.js';
import type { BannerRule, RecordInput } from './publicity.rules.js';

// Wide integer bounds: the rules give the real range with a clear message (a negative count, 0 attendance).
const Int = () => Type.Integer({ minimum: -2_000_000_000, maximum: 2_000_000_000 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);
const Str = (max: number) => Type.String({ maxLength: max });
const Version = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const DateText = Type.String({ maxLength: 30, description: 'YYYY-MM-DD' });

const Targets = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Null(), Type.Number()]),
  { description: '{ letters, lectures, attendees, posts, audioRounds }：非负整数' });
const CampaignFields = {
  scopeAreaId: IdValue({ description: '活动范围（镇、管区或村）' }),
  name: Name(200),
  startsOn: DateText,
  endsOn: DateText,
  targets: Targets,
};

const RecordFields = {
  areaId: Type.Optional(Nullable(IdValue({ description: '村' }))),
  place: Type.Optional(Nullable(Str(500))),
  mode: Type.Optional(Nullable(Str(40))),
  on: DateText,
  quantity: Type.Optional(Nullable(Int())),
  attendance: Type.Optional(Nullable(Int())),
  title: Type.Optional(Nullable(Str(1000))),
  url: Type.Optional(Nullable(Str(4000))),
  reads: Type.Optional(Nullable(Int())),
  note: Type.Optional(Nullable(Str(2000))),
};
const RecordBody = Type.Object({ kind: Type.String({ maxLength: 40, description: 'letter | audio | banner | wechat | lecture' }), ...RecordFields });
const RecordPatch = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 40 })), ...RecordFields, on: Type.Optional(DateText), version: Version });

const BannerRuleBody = Type.Object({
  min: Int(), max: Int(),
  steps: Type.Array(Type.Object({ upTo: Int(), required: Int() }), { maxItems: 50 }),
  above: Int(),
  bySizeClass: Type.Object({ small: Int(), medium: Int(), large: Int() }),
});



export const publicityRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['publicity'];

  app.get('/publicity/banner-rule', { config: { duty: 'publicity.read' }, schema: { tags, summary: '条幅标准（按村大小 5–10 条） Banner rule' } }, async () => svc.getBannerRule(db));
  app.put('/publicity/banner-rule', { config: { duty: 'settings.manage' }, schema: { tags, summary: '修改条幅标准 Edit the banner rule', body: BannerRuleBody } },
    async (req) => svc.putBannerRule(db, actorOf(req), req.body as BannerRule));

  app.get('/publicity/campaigns', { config: { duty: 'publicity.read' }, schema: { tags, summary: '宣传活动 Campaigns' } }, async (req) => svc.listCampaigns(db, actorOf(req)));
  app.post('/publicity/campaigns', { config: { duty: 'publicity.manage' }, schema: { tags, summary: '新建宣传活动 Create a campaign', body: Type.Object(CampaignFields) } },
    async (req, reply) => reply.status(201).send(await svc.createCampaign(db, actorOf(req), req.body)));
  app.get('/publicity/campaigns/:id', { config: { duty: 'publicity.read' }, schema: { tags, summary: '宣传活动 Campaign', params: IdParams } },
    async (req) => svc.getCampaign(db, actorOf(req), req.params.id));
  app.patch('/publicity/campaigns/:id', {
    config: { duty: 'publicity.manage' }, schema: { tags, summary: '修改宣传活动 Edit a campaign', params: IdParams, body: Type.Object({ ...Type.Partial(Type.Object(CampaignFields)).properties, version: Version }) },
  }, async (req) => svc.updateCampaign(db, actorOf(req), req.params.id, req.body));
  app.delete('/publicity/campaigns/:id', {
    config: { duty: 'publicity.manage' }, schema: { tags, summary: '删除没有记录的宣传活动 Delete a campaign without records', params: IdParams, querystring: Type.Object({ version: Version }) },
  }, async (req) => svc.deleteCampaign(db, actorOf(req), req.params.id, req.query.version));

  app.get('/publicity/campaigns/:id/summary', { config: { duty: 'publicity.read' }, schema: { tags, summary: '汇总：目标完成、各村、条幅检查、公众号 Summary', params: IdParams } },
    async (req) => svc.summary(db, actorOf(req), req.params.id));
  app.get('/publicity/campaigns/:id/summary.xlsx', { config: { duty: 'publicity.read' }, schema: { tags, summary: '汇总 .xlsx', params: IdParams } },
    async (req, reply) => sendXlsx(reply, await svc.summaryXlsx(db, actorOf(req), req.params.id)));

  app.get('/publicity/campaigns/:id/records', {
    config: { duty: 'publicity.read' }, schema: { tags, summary: '记录 Records', params: IdParams,
      querystring: Type.Object({ kind: Type.Optional(Type.String({ maxLength: 40 })), areaId: Type.Optional(IdValue()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })) }) },
  }, async (req) => svc.listRecords(db, actorOf(req), req.params.id, req.query));
  app.post('/publicity/campaigns/:id/records', { config: { duty: 'publicity.record' }, schema: { tags, summary: '登记一条记录 Add a record', params: IdParams, body: RecordBody } },
    async (req, reply) => reply.status(201).send(await svc.createRecord(db, actorOf(req), req.params.id, req.body as RecordInput)));
  app.get('/publicity/records/:id', { config: { duty: 'publicity.read' }, schema: { tags, summary: '记录 Record', params: IdParams } },
    async (req) => svc.getRecord(db, actorOf(req), req.params.id));
  app.patch('/publicity/records/:id', { config: { duty: 'publicity.record' }, schema: { tags, summary: '修改记录 Edit a record', params: IdParams, body: RecordPatch } },
    async (req) => svc.updateRecord(db, actorOf(req), req.params.id, req.body as Partial<RecordInput> & { version: number }));
  app.patch('/publicity/records/:id/reads', {
    config: { duty: 'publicity.record' }, schema: { tags, summary: '更新公众号文章阅读数 Update a post\'s reads', params: IdParams, body: Type.Object({ reads: Int(), version: Version }) },
  }, async (req) => svc.updateReads(db, actorOf(req), req.params.id, req.body));
  app.delete('/publicity/records/:id', {
    config: { duty: 'publicity.record' }, schema: { tags, summary: '删除记录 Delete a record', params: IdParams, querystring: Type.Object({ version: Version }) },
  }, async (req) => svc.deleteRecord(db, actorOf(req), req.params.id, req.query.version));

  app.get('/publicity/campaigns/:id/wechat.xlsx', { config: { duty: 'publicity.read' }, schema: { tags, summary: '公众号文章阅读数模板 .xlsx Template', params: IdParams } },
    async (req, reply) => sendXlsx(reply, await svc.wechatTemplate(db, actorOf(req), req.params.id)));
  app.post('/publicity/campaigns/:id/wechat/import', {
    config: { duty: 'publicity.record' }, schema: { tags, summary: '导入公众号文章及阅读数（multipart 字段 file） Import posts and reads', params: IdParams },
  }, async (req) => svc.importWechat(db, actorOf(req), req.params.id, () => uploadedFile(req)));
};
