// 每季一评比 (the quarterly rating, with material rewards per tier) and 每全年一大奖 (the annual
// award: honour medals for the year's top villages). A rating is proposed for an ended period as a
// snapshot of the ranking, approved by a second person who holds no role in any rated village, and
// each award is marked paid by a third (neither the proposer nor the approver). Approving completes
// the town's routine task for that period.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { todayInChina } from '../../lib/dates.js';
import { assertRead, assertWrite, type Actor } from '../access/policy.js';
import { approvalRefusal, assertAllowed, ownUnitRefusal, paymentRefusal } from '../access/separation.rules.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import { grantsOf } from '../people/people.repository.js';
import * as setup from './setup.repository.js';
import { periodInfo, scoreScope } from './scores.service.js';
import { TIER_ZH } from './scoring.rules.js';

async function townOf(db: Db, actor: Actor, areaId: number) {
  const a = await areas.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在`);
  assertRead(actor, a.path, a.name);
  if (a.level !== 'town') throw badInput('评比和年度大奖以镇为单位：请选择一个镇 (pick a town)', [{ field: 'areaId', message: 'not a town' }]);
  return a;
}

async function withAwards(db: Db, r: setup.RatingRow) {
  const awards = await setup.awardsOf(db, r.id);
  return { ...r, awards, totalAmount: awards.reduce((s, a) => s + a.amount, 0), paidAmount: awards.filter((a) => a.paidAt).reduce((s, a) => s + a.amount, 0) };
}

export async function listRatings(db: Db, actor: Actor, areaId: number) {
  const town = await townOf(db, actor, areaId);
  return Promise.all((await setup.listRatings(db, town.id)).map((r) => withAwards(db, r)));
}

export async function getRating(db: Db, actor: Actor, id: number) {
  const r = await setup.getRating(db, id);
  if (!r) throw notFound(`评比 ${id} 不存在`);
  const a = await areas.findById(db, r.areaId);
  assertRead(actor, a!.path, a!.name);
  return withAwards(db, r);
}

/** Proposes the rating of an ended quarter (tiers and rewards) or year (the top villages' medals). */
export async function propose(db: Db, actor: Actor, input: { areaId: number; period: string }, now = new Date()) {
  const town = await townOf(db, actor, input.areaId);
  assertWrite(actor, town.path, town.name);
  const p = periodInfo(input.period, todayInChina(now));
  if (p.type === 'monthly') throw badInput('评比按季度（2026Q3），年度大奖按年（2026） (a quarter or a year)', [{ field: 'period', message: 'quarter or year' }]);
  if (p.provisional) throw conflict('PERIOD_NOT_ENDED', `${p.key} 尚未结束，结束后才能提交评比；现在可在评分页查看暂定排名 (the period has not ended)`);
  const kind = p.type === 'quarterly' ? 'quarter' : 'year';
  const s = await scoreScope(db, town, p, now);
  const ranked = s.villages.filter((v) => v.rank !== null).sort((a, b) => a.rank! - b.rank! || (a.code < b.code ? -1 : 1));
  if (ranked.length === 0) throw conflict('NOTHING_TO_RATE', `${p.key} 没有可排名的村（数据不足或其他工作得分未录入） (no village can be ranked)`);
  const awards = kind === 'quarter'
    ? ranked.map((v) => ({ villageId: v.id, rank: v.rank!, tier: v.tier!, composite: v.composite!, amount: s.settings.rewards[v.tier!] }))
    : ranked.filter((v) => v.rank! <= s.settings.annualAwardCount).map((v) => ({ villageId: v.id, rank: v.rank!, tier: 'medal', composite: v.composite!, amount: 0 }));
  const content = {
    period: p, weights: s.weights, settings: { tiers: s.settings.tiers, rewards: s.settings.rewards, annualAwardCount: s.settings.annualAwardCount },
    villages: s.villages.map((v) => ({ id: v.id, code: v.code, name: v.name, districtName: v.districtName, environment: v.environment, other: v.other,
      composite: v.composite, rank: v.rank, tier: v.tier, tierZh: v.tier ? TIER_ZH[v.tier] : null, reason: v.reason })),
  };
  return db.transaction(async (tx) => {
    const id = await setup.insertRating(tx, kind, town.id, p.key, content, actor.id);
    if (id === null) throw conflict('ALREADY_PROPOSED', `${town.name} ${p.key} 的${kind === 'quarter' ? '评比' : '年度大奖'}已经提交过；如需重做，请先撤回 (already proposed)`);
    for (const a of awards) await setup.insertAward(tx, id, a);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: `scores.rating.propose`, entity: 'score_rating', entityId: id, after: { kind, period: p.key, awards }, areaPath: town.path });
    return withAwards(tx, (await setup.getRating(tx, id))!);
  });
}

const RATING = { zh: '评比', en: 'rating' };

/** The villages a rating ranks (its snapshot's), with their paths today. */
async function ratedVillages(db: Db, r: setup.RatingRow) {
  const content = (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as { villages?: { id: number }[] } | null;
  const ids = new Set((content?.villages ?? []).map((v) => Number(v.id)));
  for (const a of await setup.awardsOf(db, r.id)) ids.add(a.villageId);
  return (await areas.listByIds(db, [...ids])).sort((a, b) => (a.code < b.code ? -1 : 1));
}

async function lockRating(tx: Db, actor: Actor, id: number) {
  const r = await setup.getRating(tx, id, true);
  if (!r) throw notFound(`评比 ${id} 不存在`);
  const town = (await areas.findById(tx, r.areaId))!;
  assertWrite(actor, town.path, town.name);
  return { ...r, townPath: town.path };
}

/** A second person approves: not the proposer, nor anyone holding a role in a rated village. Completes the town's 每季一评比 / 每全年一大奖 task for the period. */
export async function approve(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const r = await lockRating(tx, actor, id);
    if (r.status === 'approved') throw conflict('ALREADY_APPROVED', '该评比已经审批 (already approved)');
    assertAllowed(approvalRefusal(actor.id, RATING, { proposedBy: r.proposedBy }));
    assertAllowed(ownUnitRefusal(await grantsOf(tx, actor.id), await ratedVillages(tx, r), '审批自己所在的村参评的评比', 'you belong to a rated village'));
    await setup.approveRating(tx, id, actor.id);
    await tx.execute(sql`UPDATE routine_task SET done_at = now(), on_time = (due_date >= ${todayInChina()}::date)
      WHERE plan_id IN (SELECT id FROM routine_plan WHERE kind = ${r.kind === 'quarter' ? 'rating' : 'annual_award'})
        AND area_id = ${r.areaId} AND period = ${r.period} AND done_at IS NULL`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.rating.approve', entity: 'score_rating', entityId: id, after: { status: 'approved' }, areaPath: r.townPath });
    return withAwards(tx, (await setup.getRating(tx, id))!);
  });
}

/** Withdraws a proposal not yet approved (to propose again after corrections). */
export async function withdraw(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const r = await lockRating(tx, actor, id);
    if (r.status === 'approved') throw conflict('ALREADY_APPROVED', '已审批的评比不能撤回 (approved ratings stay)');
    await setup.deleteRating(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.rating.withdraw', entity: 'score_rating', entityId: id, before: { period: r.period, kind: r.kind }, areaPath: r.townPath });
  });
  return { withdrawn: id };
}

/** Marks one award paid (once), after approval: neither by the proposer nor by the approver. */
export async function markPaid(db: Db, actor: Actor, id: number, awardId: number) {
  return db.transaction(async (tx) => {
    const r = await lockRating(tx, actor, id);
    if (r.status !== 'approved') throw conflict('NOT_APPROVED', '评比审批后才能登记发放 (approve first)');
    assertAllowed(paymentRefusal(actor.id, { zh: '评比奖励', en: 'award' }, { proposedBy: r.proposedBy, approvedBy: r.approvedBy }));
    if (!(await setup.awardExists(tx, id, awardId))) throw notFound(`评比 ${id} 中没有奖励 ${awardId}`);
    if (!(await setup.markPaid(tx, id, awardId, actor.id))) throw conflict('ALREADY_PAID', '该奖励已登记发放 (already marked paid)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.award.paid', entity: 'score_award', entityId: awardId, after: { ratingId: id }, areaPath: r.townPath });
    return withAwards(tx, (await setup.getRating(tx, id))!);
  });
}
