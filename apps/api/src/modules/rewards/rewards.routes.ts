// HTTP for rewards and credit (信用赋能): households and their points, 门前三包 checks, model-household
// rounds, the points rules, the 积分超市 and exchanges, and bounties (爆料奖励).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { IdParams, IdValue, Name } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendXlsx, uploadedFile } from '../excel/xlsx.http.js';
import * as svc from './rewards.service.js';
import * as hh from './households.service.js';
import * as rounds from './rounds.service.js';
import * as bounties from './bounties.service.js';

const Text = (max: number) => Type.String({ maxLength: max });
const OptText = (max: number) => Type.Optional(Type.Union([Type.Null(), Text(max)]));
const Version = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const Day = Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 }));
// Amounts and points are taken as any number here so that the rules give the clear message.
const AnyNumber = Type.Number({ minimum: -1_000_000_000, maximum: 1_000_000_000 });

const HouseholdFields = {
  no: Text(40),
  headName: Name(60),
  address: OptText(200),
  phone: OptText(40),
  members: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: -1000, maximum: 1000 })])),
  active: Type.Optional(Type.Boolean()),
};
const RuleFields = {
  event: Text(40),
  categoryId: Type.Optional(Type.Union([Type.Null(), IdValue()])),
  grade: Type.Optional(Type.Union([Type.Null(), Text(20)])),
  points: AnyNumber,
  active: Type.Optional(Type.Boolean()),
  note: OptText(200),
};
const ItemFields = {
  name: Name(100),
  points: AnyNumber,
  stock: Type.Union([Type.Null(), AnyNumber]),
  active: Type.Optional(Type.Boolean()),
};


export const rewardRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['rewards'];

  // ---- households
  app.get('/rewards/households', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '户（村或以上区域内） Households', querystring: Type.Object({ areaId: IdValue(), q: Type.Optional(Text(40)),
      includeInactive: Type.Optional(Type.Boolean()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) },
  }, async (req) => hh.listHouseholds(db, actorOf(req), req.query));
  app.post('/rewards/households', {
    config: { duty: 'rewards.households.manage' }, schema: { tags, summary: '新增户 Add a household', body: Type.Object({ villageId: IdValue(), ...HouseholdFields }) },
  }, async (req, reply) => reply.status(201).send(await hh.createHousehold(db, actorOf(req), req.body)));
  app.get('/rewards/households.xlsx', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '户名册模板（含已有的户） .xlsx', querystring: Type.Object({ villageId: IdValue() }) },
  }, async (req, reply) => {
    return sendXlsx(reply, await hh.householdsTemplate(db, actorOf(req), req.query.villageId));
  });
  app.post('/rewards/households/import', {
    config: { duty: 'rewards.households.manage' }, schema: { tags, summary: '导入户名册（multipart 字段 file） Import households', querystring: Type.Object({ villageId: IdValue() }) },
  }, async (req) => hh.importHouseholds(db, actorOf(req), req.query.villageId, () => uploadedFile(req)));
  app.get('/rewards/households/:id', { config: { duty: 'rewards.read' }, schema: { tags, summary: '户 Household', params: IdParams } },
    async (req) => hh.getHousehold(db, actorOf(req), req.params.id));
  app.patch('/rewards/households/:id', {
    config: { duty: 'rewards.households.manage' }, schema: { tags, summary: '修改户 Edit a household', params: IdParams, body: Type.Object({ ...Type.Partial(Type.Object(HouseholdFields)).properties, version: Version }) },
  }, async (req) => hh.updateHousehold(db, actorOf(req), req.params.id, req.body));
  app.post('/rewards/households/:id/phone', { config: { duty: 'personal.reveal' }, schema: { tags, summary: '查看户的完整手机号（留痕）Reveal a household’s phone (audited)', params: IdParams } },
    async (req) => hh.revealHouseholdPhone(db, actorOf(req), req.params.id));
  app.get('/rewards/households/:id/statement', { config: { duty: 'rewards.read' }, schema: { tags, summary: '户的积分明细 Points statement', params: IdParams } },
    async (req) => svc.householdStatement(db, actorOf(req), req.params.id));

  // ---- accounts and balances
  app.get('/rewards/balances', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '积分余额（户和上报群众） Balances', querystring: Type.Object({ areaId: IdValue(), limit: Limit }) },
  }, async (req) => svc.balances(db, actorOf(req), req.query));
  app.get('/rewards/accounts/search', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '查找积分账户 Find accounts', querystring: Type.Object({ areaId: IdValue(), q: Type.Optional(Text(40)) }) },
  }, async (req) => svc.findAccounts(db, actorOf(req), req.query));
  app.get('/rewards/accounts/:id/statement', { config: { duty: 'rewards.read' }, schema: { tags, summary: '积分明细 Statement', params: IdParams } },
    async (req) => svc.accountStatement(db, actorOf(req), req.params.id));

  // ---- 门前三包
  app.get('/rewards/frontage', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '门前三包：某村某日的检查 A village’s checks of a day', querystring: Type.Object({ villageId: IdValue(), on: Type.Optional(Day) }) },
  }, async (req) => hh.frontageDay(db, actorOf(req), req.query));
  app.post('/rewards/frontage', {
    config: { duty: 'rewards.frontage.enter' }, schema: { tags, summary: '门前三包：录入检查（可批量） Record checks',
      body: Type.Object({ villageId: IdValue(), checkedOn: Type.Optional(Day),
        items: Type.Array(Type.Object({ householdId: IdValue(), grade: Text(20), note: OptText(400) }), { minItems: 1, maxItems: 2000 }) }) },
  }, async (req, reply) => reply.status(201).send(await hh.recordFrontage(db, actorOf(req), req.body)));

  // ---- model-household rounds
  app.get('/rewards/rounds', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '示范户评选 Rounds', querystring: Type.Object({ areaId: Type.Optional(IdValue()), kind: Type.Optional(Text(20)), period: Type.Optional(Text(8)) }) },
  }, async (req) => rounds.listRounds(db, actorOf(req), req.query));
  app.post('/rewards/rounds', {
    config: { duty: 'rewards.round.manage' }, schema: { tags, summary: '新建评选 Create a round', body: Type.Object({ villageId: IdValue(), kind: Text(20), period: Text(8), quota: AnyNumber }) },
  }, async (req, reply) => reply.status(201).send(await rounds.createRound(db, actorOf(req), req.body)));
  app.get('/rewards/rounds/:id', { config: { duty: 'rewards.read' }, schema: { tags, summary: '评选 Round', params: IdParams } },
    async (req) => rounds.getRound(db, actorOf(req), req.params.id));
  app.put('/rewards/rounds/:id/entries', {
    config: { duty: 'rewards.round.manage' }, schema: { tags, summary: '录入参评户和得分 Enter households and scores', params: IdParams,
      body: Type.Object({ quota: Type.Optional(AnyNumber),
        items: Type.Array(Type.Object({ householdId: IdValue(), score: Type.Union([Type.Null(), AnyNumber]), note: OptText(400) }), { maxItems: 2000 }) }) },
  }, async (req) => rounds.putEntries(db, actorOf(req), req.params.id, req.body));
  app.delete('/rewards/rounds/:id/entries/:householdId', {
    config: { duty: 'rewards.round.manage' }, schema: { tags, summary: '移出参评户 Remove a household', params: Type.Object({ id: IdValue(), householdId: IdValue() }) },
  }, async (req) => rounds.removeEntry(db, actorOf(req), req.params.id, req.params.householdId));
  app.post('/rewards/rounds/:id/decide', {
    config: { duty: 'rewards.round.decide' }, schema: { tags, summary: '评定（获奖户得积分） Decide', params: IdParams, body: Type.Object({ version: Version }) },
  }, async (req) => rounds.decideRound(db, actorOf(req), req.params.id, req.body));

  // ---- rules
  app.get('/rewards/rules', { config: { duty: 'rewards.read' }, schema: { tags, summary: '积分规则 Points rules' } }, async () => svc.listRules(db));
  app.post('/rewards/rules', { config: { duty: 'rewards.rules.manage' }, schema: { tags, summary: '新建积分规则 Create a rule', body: Type.Object(RuleFields) } },
    async (req, reply) => reply.status(201).send(await svc.createRule(db, actorOf(req), req.body)));
  app.patch('/rewards/rules/:id', {
    config: { duty: 'rewards.rules.manage' }, schema: { tags, summary: '修改积分规则 Edit a rule', params: IdParams, body: Type.Partial(Type.Object(RuleFields)) },
  }, async (req) => svc.updateRule(db, actorOf(req), req.params.id, req.body));

  // ---- 积分超市
  app.get('/rewards/shop/items', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '积分超市商品 Shop items', querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }) },
  }, async (req) => svc.listItems(db, req.query.includeInactive ?? false));
  app.post('/rewards/shop/items', { config: { duty: 'rewards.rules.manage' }, schema: { tags, summary: '新增商品 Add an item', body: Type.Object(ItemFields) } },
    async (req, reply) => reply.status(201).send(await svc.createItem(db, actorOf(req), req.body)));
  app.patch('/rewards/shop/items/:id', {
    config: { duty: 'rewards.rules.manage' }, schema: { tags, summary: '修改商品 Edit an item', params: IdParams, body: Type.Object({ ...Type.Partial(Type.Object(ItemFields)).properties, version: Version }) },
  }, async (req) => svc.updateItem(db, actorOf(req), req.params.id, req.body));
  app.post('/rewards/exchanges', {
    config: { duty: 'rewards.exchange' }, schema: { tags, summary: '积分兑换 Exchange points for an item',
      body: Type.Object({ accountId: Type.Optional(IdValue()), householdId: Type.Optional(IdValue()), itemId: IdValue(), quantity: AnyNumber, note: OptText(400) }) },
  }, async (req, reply) => reply.status(201).send(await svc.exchange(db, actorOf(req), req.body)));
  app.get('/rewards/exchanges', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '兑换记录 Exchange record', querystring: Type.Object({ areaId: Type.Optional(IdValue()), accountId: Type.Optional(IdValue()), limit: Limit }) },
  }, async (req) => svc.listExchanges(db, actorOf(req), req.query));

  // ---- bounties
  app.get('/rewards/bounties', {
    config: { duty: 'rewards.read' }, schema: { tags, summary: '爆料奖励 Bounties', querystring: Type.Object({ areaId: Type.Optional(IdValue()), status: Type.Optional(Text(20)), caseId: Type.Optional(IdValue()), limit: Limit }) },
  }, async (req) => bounties.listBounties(db, actorOf(req), req.query));
  app.post('/rewards/bounties', {
    config: { duty: 'rewards.bounty.propose' }, schema: { tags, summary: '提议爆料奖励（50–1000 元） Propose a bounty',
      body: Type.Object({ caseId: Type.Optional(IdValue()), caseNo: Type.Optional(Text(40)), amountYuan: AnyNumber, reason: Text(1000) }) },
  }, async (req, reply) => reply.status(201).send(await bounties.proposeBounty(db, actorOf(req), req.body)));
  app.get('/rewards/bounties/:id', { config: { duty: 'rewards.read' }, schema: { tags, summary: '爆料奖励 Bounty', params: IdParams } },
    async (req) => bounties.getBounty(db, actorOf(req), req.params.id));
  app.post('/rewards/bounties/:id/decide', {
    config: { duty: 'rewards.bounty.decide' }, schema: { tags, summary: '审批（须另一人） Approve or reject (a second person)', params: IdParams, body: Type.Object({ approve: Type.Boolean(), note: OptText(1000) }) },
  }, async (req) => bounties.decideBounty(db, actorOf(req), req.params.id, req.body));
  app.post('/rewards/bounties/:id/paid', {
    config: { duty: 'rewards.bounty.pay' }, schema: { tags, summary: '登记已发放 Mark paid', params: IdParams, body: Type.Object({ note: OptText(1000) }) },
  }, async (req) => bounties.payBounty(db, actorOf(req), req.params.id, req.body));
  app.post('/rewards/bounties/:id/withdraw', { config: { duty: 'rewards.bounty.propose' }, schema: { tags, summary: '撤回（待审批时） Withdraw', params: IdParams } },
    async (req) => bounties.withdrawBounty(db, actorOf(req), req.params.id));
};
