// Rewards and credit (信用赋能): settling residents' report points, accounts and statements, the
// points rules, the 积分超市 and its exchanges. Households and 门前三包 are in households.service.ts,
// the model-household rounds in rounds.service.ts, the bounties in bounties.service.ts.
//
// Report points are settled from what the case tables say, without the cases module calling in:
// settleReportPoints finds public reports with a phone whose case is registered or later (a valid
// report) or closed (confirmed) and credits the reporter once per event: the ledger's unique
// (kind, ref_type, ref_id, account_id) makes a replay add nothing, and an event already credited
// to any account is skipped. It runs as the job 'rewards.settle' and before statements are read.
import type { Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { assertRead, assertWrite, canRead, canWrite, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { auditRead } from '../audit/reads.js';
import { phoneQuery } from '../../../../../packages/shared/src/personal.js';
import { assertAllowed, exchangeRefusal as ownAccountRefusal } from '../access/separation.rules.js';
import { userById } from '../people/people.repository.js';
import * as areas from '../areas/areas.repository.js';
import * as repo from './rewards.repository.js';
import {
  GRADE_ZH, KIND_ZH, checkRule, exchangeRefusal, maskPhone, normalisePhone, phoneHash, pointsFor, withRunningBalance,
  type PointsEvent, type PointsRule,
} from './rewards.rules.js';

// ------------------------------------------------------------------ access

/** An area the actor may read; `level` when it must be a village. */
export async function areaFor(db: Db, actor: Actor, areaId: number, opts: { write?: boolean; village?: boolean; what?: string } = {}) {
  const a = await areas.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在 (no such area)`);
  if (opts.village && a.level !== 'village') throw badInput(`“${a.name}”不是村：户、门前三包和示范户评选以村为单位 (pick a village)`, [{ field: 'villageId', message: 'not a village' }]);
  if (opts.write) assertWrite(actor, a.path, opts.what ?? a.name);
  else assertRead(actor, a.path, opts.what ?? a.name);
  return a;
}

const TOP_LEVELS = new Set(['province', 'city', 'county', 'town']);

/**
 * The points rules and the shop are the same for the whole install (their tables have no area):
 * changing them needs an administrator of a town or above.
 */
export async function assertTownManager(db: Db, actor: Actor, what: string) {
  const grants = actor.grants.filter((g) => g.canManage);
  if (grants.some((g) => g.areaId === null)) return;
  const levels = await repo.levelsOf(db, grants.map((g) => g.areaId!));
  if (grants.some((g) => TOP_LEVELS.has(levels.get(g.areaId!) ?? ''))) return;
  throw forbidden(`无权修改${what}：需要镇（或以上）管理员 (needs a town administrator)`);
}

/** The paths that hold an account: its household's village, or the areas of the cases its reporter reported. */
async function accountPaths(db: Db, a: repo.AccountRow): Promise<string[]> {
  if (a.villagePath) return [a.villagePath];
  return repo.reporterCasePaths(db, a.phoneHash, a.id);
}

async function accountFor(db: Db, actor: Actor, accountId: number, write: boolean, lock = false) {
  const a = await repo.getAccount(db, accountId, lock);
  if (!a) throw notFound(`积分账户 ${accountId} 不存在 (no such account)`);
  const paths = await accountPaths(db, a);
  const ok = paths.some((p) => (write ? canWrite(actor, p) : canRead(actor, p)));
  if (!ok) {
    if (!write || !paths.some((p) => canRead(actor, p))) throw forbidden('无权查看该积分账户：不在您负责的区域内 (outside your areas)');
    throw forbidden('无权操作该积分账户：您的角色在此区域只读 (read-only here)');
  }
  return a;
}

// ------------------------------------------------------------------ rules as the services use them

async function activeRules(db: Db): Promise<PointsRule[]> {
  return (await repo.listRules(db)).filter((r) => r.active);
}

/** The points an event earns now, by the rules in force. */
export async function eventPoints(db: Db, ctx: { event: PointsEvent; categoryIds?: number[]; grade?: string | null }): Promise<number> {
  return pointsFor(await activeRules(db), ctx);
}

// ------------------------------------------------------------------ settling report points

/**
 * The reporter's account for a public report: the active household with the reporter's phone (in
 * the case's village first), else the account kept by the phone's hash (made with phone and name).
 */
export async function reporterAccount(tx: Db, r: { phone: string | null; phoneHash: string | null; name: string | null; areaPath: string }): Promise<number | null> {
  const phone = normalisePhone(r.phone);
  const hash = r.phoneHash ?? (phone ? phoneHash(phone) : null);
  if (!hash) return null;
  if (phone) {
    const [h] = await repo.householdsByPhone(tx, phone, r.areaPath);
    if (h) return repo.ensureHouseholdAccount(tx, h.id, hash);
  }
  return repo.ensurePhoneAccount(tx, hash, phone ?? r.phone, r.name);
}

/**
 * Credits residents' valid and confirmed reports (see the top of this file). Returns how many
 * ledger rows it added. Safe to run at any time, twice at once, or cut short.
 */
export async function settleReportPoints(db: Db, opts: { batch?: number; maxBatches?: number; now?: Date } = {}): Promise<{ entries: number; reports: number }> {
  const batch = opts.batch ?? 200;
  let entries = 0;
  let reports = 0;
  let afterId = 0;
  for (let round = 0; round < (opts.maxBatches ?? 50); round++) {
    const pending = await repo.reportsToSettle(db, afterId, batch);
    if (pending.length === 0) break;
    const rules = await activeRules(db);
    const added = await db.transaction(async (tx) => {
      let n = 0;
      for (const r of pending) {
        const account = await reporterAccount(tx, r);
        if (account === null) continue;
        const categoryIds = [r.categoryId, ...(r.parentCategoryId ? [r.parentCategoryId] : [])];
        const credit = async (kind: 'report_valid' | 'report_confirmed', note: string) => {
          if (await repo.entryExists(tx, kind, 'case', r.caseId)) return; // credited already (perhaps to another account)
          // A rule worth 0 still leaves a row: the event is settled, and a later rule change does not pay it afterwards.
          const delta = pointsFor(rules, { event: kind, categoryIds });
          if (await repo.insertEntry(tx, { accountId: account, delta, kind, refType: 'case', refId: r.caseId, note, by: null, at: opts.now })) n++;
        };
        if (r.needValid) await credit('report_valid', `随手拍有效上报：案件 ${r.caseNo}`);
        if (r.needConfirmed) await credit('report_confirmed', `随手拍问题核实结案：案件 ${r.caseNo}`);
      }
      if (n > 0) {
        await appendAudit(tx, { actorId: null, actorName: 'system', action: 'rewards.settle', entity: 'points_entry', entityId: null,
          after: { entries: n, cases: pending.map((r) => r.caseId) } });
      }
      return n;
    });
    entries += added;
    reports += pending.length;
    afterId = pending[pending.length - 1]!.caseId;
    if (pending.length < batch) break;
  }
  return { entries, reports };
}

// ------------------------------------------------------------------ accounts and statements

const accountView = (a: repo.AccountRow) => ({
  id: a.id, type: a.householdId ? 'household' as const : 'reporter' as const, householdId: a.householdId, householdNo: a.householdNo,
  name: a.householdId ? a.headName : a.name, phone: a.householdId ? null : maskPhone(a.phone), villageId: a.villageId, villageName: a.villageName,
  createdAt: a.createdAt,
});

const refText = (e: repo.EntryRow) => e.note ?? KIND_ZH[e.kind] ?? e.kind;

async function statement(db: Db, a: repo.AccountRow) {
  const list = withRunningBalance(await repo.entriesOf(db, a.id));
  const balance = list.length ? list[list.length - 1]!.balance : 0;
  return {
    account: accountView(a), balance,
    earned: list.filter((e) => e.delta > 0).reduce((s, e) => s + e.delta, 0),
    spent: -list.filter((e) => e.delta < 0).reduce((s, e) => s + e.delta, 0),
    // newest first, as a passbook is read on a screen
    entries: list.map((e) => ({ ...e, kindName: KIND_ZH[e.kind] ?? e.kind, text: refText(e) })).reverse(),
  };
}

export async function accountStatement(db: Db, actor: Actor, accountId: number) {
  await settleReportPoints(db);
  return statement(db, await accountFor(db, actor, accountId, false));
}

/** A household's statement (an empty one while it has no account). */
export async function householdStatement(db: Db, actor: Actor, householdId: number) {
  const h = await repo.getHousehold(db, householdId);
  if (!h) throw notFound(`户 ${householdId} 不存在 (no such household)`);
  assertRead(actor, h.villagePath, h.villageName);
  await settleReportPoints(db);
  const accountId = await repo.accountIdOfHousehold(db, householdId);
  const checks = await repo.checksOfHousehold(db, householdId, 30);
  if (!accountId) {
    return { account: { id: null, type: 'household' as const, householdId: h.id, householdNo: h.no, name: h.headName, phone: null, villageId: h.areaId, villageName: h.villageName, createdAt: null },
      balance: 0, earned: 0, spent: 0, entries: [], checks };
  }
  return { ...(await statement(db, (await repo.getAccount(db, accountId))!)), checks };
}

/** Balances under an area (a village or above): households and the reporters whose reports lie there. */
export async function balances(db: Db, actor: Actor, q: { areaId: number; limit?: number }) {
  const a = await areaFor(db, actor, q.areaId);
  await settleReportPoints(db);
  const list = await repo.balancesUnder(db, a.path, q.limit ?? 2000);
  return { area: { id: a.id, name: a.name, level: a.level }, items: list.map((r) => ({ ...r, phone: maskPhone(r.phone) })) };
}

// ------------------------------------------------------------------ rules

export interface RuleBody { event: string; categoryId?: number | null; grade?: string | null; points: number; active?: boolean; note?: string | null }

export async function listRules(db: Db) {
  return (await repo.listRules(db)).map((r) => ({ ...r, gradeName: r.grade ? GRADE_ZH[r.grade] ?? r.grade : null, eventName: KIND_ZH[r.event] ?? r.event }));
}

async function checkedRule(db: Db, body: RuleBody) {
  const r = { event: body.event, categoryId: body.categoryId ?? null, grade: body.grade ?? null, points: body.points, active: body.active ?? true, note: body.note?.trim() || null };
  const problems = checkRule(r);
  if (problems.length) throw badInput(`积分规则有误：${problems.map((p) => p.message).join('；')}`, problems);
  if (r.categoryId !== null && !(await repo.categoryOf(db, r.categoryId))) {
    throw badInput(`事件分类 ${r.categoryId} 不存在 (unknown category)`, [{ field: 'categoryId', message: 'unknown category' }]);
  }
  return r;
}

export async function createRule(db: Db, actor: Actor, body: RuleBody) {
  await assertTownManager(db, actor, '积分规则');
  const r = await checkedRule(db, body);
  return db.transaction(async (tx) => {
    if (r.active && (await repo.sameRule(tx, r, null))) throw conflict('RULE_EXISTS', '已有相同事件、分类和等级的启用规则：请修改那条规则 (the same rule exists)');
    const id = await repo.insertRule(tx, r, actor.id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.rule.create', entity: 'points_rule', entityId: id, after: r });
    return (await repo.getRule(tx, id))!;
  });
}

export async function updateRule(db: Db, actor: Actor, id: number, body: Partial<RuleBody>) {
  await assertTownManager(db, actor, '积分规则');
  return db.transaction(async (tx) => {
    const cur = await repo.getRule(tx, id, true);
    if (!cur) throw notFound(`积分规则 ${id} 不存在`);
    const r = await checkedRule(tx, {
      event: body.event ?? cur.event, categoryId: body.categoryId === undefined ? cur.categoryId : body.categoryId,
      grade: body.grade === undefined ? cur.grade : body.grade, points: body.points ?? cur.points, active: body.active ?? cur.active,
      note: body.note === undefined ? cur.note : body.note,
    });
    if (r.active && (await repo.sameRule(tx, r, id))) throw conflict('RULE_EXISTS', '已有相同事件、分类和等级的启用规则 (the same rule exists)');
    await repo.updateRule(tx, id, r, actor.id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.rule.update', entity: 'points_rule', entityId: id,
      before: { event: cur.event, categoryId: cur.categoryId, grade: cur.grade, points: cur.points, active: cur.active, note: cur.note }, after: r });
    return (await repo.getRule(tx, id))!;
  });
}

// ------------------------------------------------------------------ 积分超市

export interface ItemBody { name: string; points: number; stock: number | null; active?: boolean }

function checkItem(i: ItemBody) {
  const details: { field: string; message: string }[] = [];
  const name = i.name.trim();
  if (name.length === 0 || name.length > 50) details.push({ field: 'name', message: '商品名称 1–50 字' });
  if (!Number.isInteger(i.points) || i.points < 1 || i.points > 100_000) details.push({ field: 'points', message: '所需积分应为 1–100000 的整数' });
  if (i.stock !== null && (!Number.isInteger(i.stock) || i.stock < 0 || i.stock > 1_000_000)) details.push({ field: 'stock', message: '库存应为 0–1000000 的整数（留空为不限）' });
  if (details.length) throw badInput(`商品有误：${details.map((d) => d.message).join('；')}`, details);
  return { name, points: i.points, stock: i.stock, active: i.active ?? true };
}

export const listItems = (db: Db, includeInactive: boolean) => repo.listItems(db, includeInactive);

export async function createItem(db: Db, actor: Actor, body: ItemBody) {
  await assertTownManager(db, actor, '积分超市商品');
  const i = checkItem(body);
  return db.transaction(async (tx) => {
    const id = await repo.insertItem(tx, i);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.item.create', entity: 'shop_item', entityId: id, after: i });
    return (await repo.getItem(tx, id))!;
  });
}

export async function updateItem(db: Db, actor: Actor, id: number, body: Partial<ItemBody> & { version: number }) {
  await assertTownManager(db, actor, '积分超市商品');
  return db.transaction(async (tx) => {
    const cur = await repo.getItem(tx, id, true);
    if (!cur) throw notFound(`商品 ${id} 不存在`);
    const i = checkItem({ name: body.name ?? cur.name, points: body.points ?? cur.points, stock: body.stock === undefined ? cur.stock : body.stock, active: body.active ?? cur.active });
    if (!(await repo.updateItem(tx, id, body.version, i))) throw conflict('STALE', '商品已被他人修改，请刷新后再改 (changed by someone else)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.item.update', entity: 'shop_item', entityId: id,
      before: { name: cur.name, points: cur.points, stock: cur.stock, active: cur.active }, after: i });
    return (await repo.getItem(tx, id))!;
  });
}

/**
 * Exchanges points for an item: in one transaction the account row is locked (two exchanges of one
 * account take turns, so they cannot both spend the same points), then the item (its stock), the
 * balance is checked, the stock taken, and the exchange and its negative ledger row written.
 */
export async function exchange(db: Db, actor: Actor, body: { accountId?: number; householdId?: number; itemId: number; quantity: number; note?: string | null }) {
  if ((body.accountId === undefined) === (body.householdId === undefined)) {
    throw badInput('请指定 accountId 或 householdId 之一 (give an account or a household)', [{ field: 'accountId', message: 'one of accountId, householdId' }]);
  }
  const note = body.note?.trim() || null;
  if (note && note.length > 200) throw badInput('备注不超过 200 字', [{ field: 'note', message: 'too long' }]);
  return db.transaction(async (tx) => {
    let accountId = body.accountId;
    if (body.householdId !== undefined) {
      const h = await repo.getHousehold(tx, body.householdId);
      if (!h) throw notFound(`户 ${body.householdId} 不存在 (no such household)`);
      assertWrite(actor, h.villagePath, h.villageName);
      const p = normalisePhone(h.phone);
      accountId = await repo.ensureHouseholdAccount(tx, h.id, p ? phoneHash(p) : null);
    }
    const account = await accountFor(tx, actor, accountId!, true, true); // FOR UPDATE: exchanges of one account take turns
    // Nobody spends points from their own account or their own household's (known by the phone both carry).
    const household = account.householdId === null ? null : await repo.getHousehold(tx, account.householdId);
    assertAllowed(ownAccountRefusal(normalisePhone((await userById(tx, actor.id))?.phone), { phone: normalisePhone(account.phone), householdPhone: normalisePhone(household?.phone) }));
    const item = await repo.getItem(tx, body.itemId, true);
    if (!item) throw notFound(`商品 ${body.itemId} 不存在 (no such item)`);
    const balance = await repo.balanceOf(tx, account.id);
    const refusal = exchangeRefusal({ balance, itemPoints: item.points, stock: item.stock, active: item.active, quantity: body.quantity });
    if (refusal) {
      if (refusal.code === 'BAD_QUANTITY') throw badInput(refusal.message, [{ field: 'quantity', message: refusal.message }], refusal.code);
      throw conflict(refusal.code, refusal.message);
    }
    if (!(await repo.takeStock(tx, item.id, body.quantity))) throw conflict('OUT_OF_STOCK', '库存不足 (not enough stock)');
    const cost = item.points * body.quantity;
    const xid = await repo.insertExchange(tx, { accountId: account.id, itemId: item.id, quantity: body.quantity, points: cost, by: actor.id });
    const entryId = await repo.insertEntry(tx, { accountId: account.id, delta: -cost, kind: 'exchange', refType: 'points_exchange', refId: xid,
      note: `兑换 ${item.name} × ${body.quantity}${note ? `（${note}）` : ''}`, by: actor.id });
    await repo.setExchangeEntry(tx, xid, entryId!);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.exchange', entity: 'points_exchange', entityId: xid,
      after: { accountId: account.id, itemId: item.id, item: item.name, quantity: body.quantity, points: cost, balanceBefore: balance } });
    return { id: xid, accountId: account.id, itemId: item.id, itemName: item.name, quantity: body.quantity, points: cost, balance: balance - cost };
  });
}

/** The exchange record (积分兑换记录): under an area the actor reads, or one account's. */
export async function listExchanges(db: Db, actor: Actor, q: { areaId?: number; accountId?: number; limit?: number }) {
  const limit = q.limit ?? 500;
  if (q.accountId) {
    await accountFor(db, actor, q.accountId, false);
    return repo.listExchanges(db, { path: null, accountId: q.accountId, limit });
  }
  if (q.areaId) {
    const a = await areaFor(db, actor, q.areaId);
    return repo.listExchanges(db, { path: a.path, limit });
  }
  const roots = readRoots(actor);
  if (roots === 'all') return repo.listExchanges(db, { path: null, limit });
  const lists = await Promise.all(roots.map((p) => repo.listExchanges(db, { path: p, limit })));
  return lists.flat().sort((a, b) => (String(b.at) < String(a.at) ? -1 : 1)).slice(0, limit);
}

/**
 * Households and reporters' accounts the actor may see, for the exchange form's search: by a part of
 * the name or the 户号, or by a whole phone number (never a part of one; each such look-up is audited).
 */
export async function findAccounts(db: Db, actor: Actor, q: { areaId: number; q?: string }) {
  const a = await areaFor(db, actor, q.areaId);
  const list = await repo.balancesUnder(db, a.path, 5000);
  const needle = q.q?.trim();
  const byPhone = phoneQuery(needle);
  const hits = needle
    ? list.filter((r) => [r.name, r.householdNo].some((x) => x && x.includes(needle)) || (byPhone?.phone != null && normalisePhone(r.phone) === byPhone.phone))
    : list;
  if (byPhone?.phone) {
    await auditRead(db, actor, { action: 'personal.phone.search', entity: 'area', entityId: a.id, areaPath: a.path,
      after: { search: 'rewards.accounts', phone: maskPhone(byPhone.phone), found: hits.length } });
  }
  return hits.slice(0, 50).map((r) => ({ ...r, phone: maskPhone(r.phone) }));
}
