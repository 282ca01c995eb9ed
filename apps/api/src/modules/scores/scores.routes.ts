// HTTP for the scores (考核评价): scorecard, drill-down, picks, other work, indicators, weights,
// settings, ratings and awards.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { badInput } from '../../lib/errors.js';
import { IdParams, IdValue, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendXlsx, uploadedFile } from '../excel/xlsx.http.js';
import * as svc from './scores.service.js';
import * as ratings from './ratings.service.js';
import { pickFromScores } from './observation.service.js';
import { FACT_KEYS } from './facts.js';

const Period = Type.String({ maxLength: 8, description: '月 202611、季度 2026Q4 或年 2026' });
const Month = Type.String({ maxLength: 6, description: 'YYYYMM' });
const Num = (max = 1_000_000) => Type.Number({ minimum: -max, maximum: max });
const Score = Type.Object({ areaId: IdValue({ description: '村及以上的区域' }), period: Period });

const IndicatorBody = {
  name: Name(30, 1),
  nameEn: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 60 })])),
  formula: Type.String({ maxLength: 300 }),
  direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  unit: Type.String({ minLength: 1, maxLength: 10 }),
  target: Type.Union([Type.Null(), Num()]),
  green: Num(),
  yellow: Num(),
  baseFact: Type.Union([Type.Null(), Type.Union(FACT_KEYS.map((k) => Type.Literal(k)))]),
  minBase: Type.Integer({ minimum: 0, maximum: 100_000 }),
  periodTypes: Type.Array(Type.String({ maxLength: 12 }), { minItems: 1, maxItems: 3 }),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  active: Type.Optional(Type.Boolean()),
};

const Tiers3 = Type.Object({ excellent: Num(100), good: Num(100), pass: Num(100) });
const SettingsBody = Type.Object({
  tiers: Type.Object({ mode: Type.Union([Type.Literal('threshold'), Type.Literal('share')]), thresholds: Tiers3, shares: Tiers3 }),
  redBlackSize: Type.Integer({ minimum: 1, maximum: 50 }),
  rewards: Type.Object({ excellent: Type.Integer({ minimum: 0, maximum: 10_000_000 }), good: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    pass: Type.Integer({ minimum: 0, maximum: 10_000_000 }), fail: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }),
  annualAwardCount: Type.Integer({ minimum: 1, maximum: 100 }),
  picksPerDistrict: Type.Integer({ minimum: 1, maximum: 10 }),
});



export const scoreRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['scores'];
  app.get('/scores/scorecard', { config: { duty: 'scores.read' }, schema: { tags, summary: '评分表（村 × 指标，可下钻） Scorecard', querystring: Score } },
    async (req) => svc.scorecard(db, actorOf(req), req.query));
  app.get('/scores/scorecard.xlsx', { config: { duty: 'scores.read' }, schema: { tags, summary: '评分表 .xlsx', querystring: Score } },
    async (req, reply) => sendXlsx(reply, await svc.scorecardXlsx(db, actorOf(req), req.query)));
  app.get('/scores/records', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '数字背后的记录 The records behind a number',
      querystring: Type.Object({ areaId: IdValue(), period: Period, fact: Type.String({ maxLength: 40 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) },
  }, async (req) => svc.records(db, actorOf(req), req.query));
  app.get('/scores/picks', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '每月一观摩：各管区最好和最差的村 Observation picks', querystring: Type.Object({ areaId: IdValue(), month: Month }) },
  }, async (req) => svc.picks(db, actorOf(req), req.query));
  app.post('/routines/tasks/:id/visits/from-scores', {
    config: { duty: 'routines.do' }, schema: { tags: ['routines', ...tags], summary: '按评分选观摩村（各管区最好、最差各 2 个） Pick the visits from the scores', params: IdParams },
  }, async (req, reply) => reply.status(201).send(await pickFromScores(db, actorOf(req), req.params.id)));
  app.get('/scores/facts', { config: { duty: 'scores.read' }, schema: { tags, summary: '公式可用的事实 Facts' } }, async () => svc.listFacts());

  app.get('/scores/other', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '其他工作得分（占 60%） Other-work scores', querystring: Type.Object({ areaId: IdValue(), month: Month }) },
  }, async (req) => svc.otherWork(db, actorOf(req), req.query));
  app.put('/scores/other', {
    config: { duty: 'scores.other.enter' }, schema: { tags, summary: '录入其他工作得分（score 为 null 即删除） Enter other-work scores',
      body: Type.Object({ month: Month, items: Type.Array(Type.Object({ villageId: IdValue(), score: Type.Union([Type.Null(), Num(1000)]),
        note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])) }), { minItems: 1, maxItems: 5000 }) }) },
  }, async (req) => svc.putOtherWork(db, actorOf(req), req.body));
  app.get('/scores/other.xlsx', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '其他工作得分模板 .xlsx Template', querystring: Type.Object({ areaId: IdValue(), month: Month }) },
  }, async (req, reply) => sendXlsx(reply, await svc.otherWorkTemplate(db, actorOf(req), req.query)));
  app.post('/scores/other/import', {
    config: { duty: 'scores.other.enter' }, schema: { tags, summary: '导入其他工作得分（multipart 字段 file） Import', querystring: Type.Object({ month: Month }) },
  }, async (req) => svc.importOtherWork(db, actorOf(req), req.query, () => uploadedFile(req)));

  app.get('/scores/indicators', { config: { duty: 'scores.read' }, schema: { tags, summary: '指标 Indicators' } }, async () => svc.listIndicators(db));
  app.post('/scores/indicators', {
    config: { duty: 'scores.indicators.manage' }, schema: { tags, summary: '新建指标 Create an indicator', body: Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }), ...IndicatorBody }) },
  }, async (req, reply) => reply.status(201).send(await svc.createIndicator(db, actorOf(req), req.body as svc.IndicatorInput)));
  app.patch('/scores/indicators/:id', {
    config: { duty: 'scores.indicators.manage' }, schema: { tags, summary: '修改指标 Edit an indicator', params: IdParams,
      body: Type.Partial(Type.Object({ ...IndicatorBody, version: Type.Integer({ minimum: 0, maximum: 2_000_000_000 }) })) },
  }, async (req) => {
    if (req.body.version === undefined) throw badInput('缺少 version（防止覆盖他人的修改）', [{ field: 'version', message: 'required' }]);
    return svc.updateIndicator(db, actorOf(req), req.params.id, req.body as Partial<svc.IndicatorInput> & { version: number });
  });

  app.get('/scores/weights', { config: { duty: 'scores.read' }, schema: { tags, summary: '权重（当前与历史） Weights' } }, async () => svc.listWeights(db));
  app.post('/scores/weights', {
    config: { duty: 'scores.indicators.manage' }, schema: { tags, summary: '新的权重（自某月起生效） New weights from a month',
      body: Type.Object({ validFrom: Month, note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])),
        weights: Type.Object({ environment: Num(1000), other: Num(1000), indicators: Type.Record(Type.String({ maxLength: 40 }), Num(1000)) }) }) },
  }, async (req, reply) => reply.status(201).send(await svc.addWeights(db, actorOf(req), req.body)));

  app.get('/scores/settings', { config: { duty: 'scores.read' }, schema: { tags, summary: '等次、红黑榜、奖励设置 Settings' } }, async () => svc.getSettings(db));
  app.put('/scores/settings', { config: { duty: 'settings.manage' }, schema: { tags, summary: '修改设置 Edit settings', body: SettingsBody } },
    async (req) => svc.putSettings(db, actorOf(req), req.body));

  app.get('/scores/ratings', { config: { duty: 'scores.read' }, schema: { tags, summary: '评比与年度大奖 Ratings', querystring: Type.Object({ areaId: IdValue() }) } },
    async (req) => ratings.listRatings(db, actorOf(req), req.query.areaId));
  app.get('/scores/ratings/:id', { config: { duty: 'scores.read' }, schema: { tags, summary: '评比 Rating', params: IdParams } },
    async (req) => ratings.getRating(db, actorOf(req), req.params.id));
  app.post('/scores/ratings', {
    config: { duty: 'scores.rating.propose' }, schema: { tags, summary: '提交评比（季度）或年度大奖（年） Propose', body: Type.Object({ areaId: IdValue(), period: Period }) },
  }, async (req, reply) => reply.status(201).send(await ratings.propose(db, actorOf(req), req.body)));
  app.post('/scores/ratings/:id/approve', { config: { duty: 'scores.rating.approve' }, schema: { tags, summary: '审批（须另一人） Approve (a second person)', params: IdParams } },
    async (req) => ratings.approve(db, actorOf(req), req.params.id));
  app.delete('/scores/ratings/:id', { config: { duty: 'scores.rating.propose' }, schema: { tags, summary: '撤回未审批的评比 Withdraw', params: IdParams } },
    async (req) => ratings.withdraw(db, actorOf(req), req.params.id));
  app.post('/scores/ratings/:id/awards/:awardId/paid', {
    config: { duty: 'scores.rating.pay' }, schema: { tags, summary: '登记奖励已发放 Mark paid', params: Type.Object({ id: IdValue(), awardId: IdValue() }) },
  }, async (req) => ratings.markPaid(db, actorOf(req), req.params.id, req.params.awardId));
};
