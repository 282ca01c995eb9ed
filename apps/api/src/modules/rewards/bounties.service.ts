// 爆料奖励: a bounty of 50–1,000 yuan for a significant tip. Staff who may act on the case's area
// propose it with an amount and a reason; a second person of the town (not the proposer) approves
// or rejects it; a third (neither the proposer nor the approver) marks it paid, once. The proposer (or the town) may withdraw it while it
// is proposed. The money goes to the reporter of the case's public report, when there is one.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { assertRead, assertWrite, readRoots, type Actor } from '../access/policy.js';
import { approvalRefusal, assertAllowed, paymentRefusal } from '../access/separation.rules.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as repo from './rewards.repository.js';
import { areaFor, reporterAccount } from './rewards.service.js';
import { BOUNTY_STATUS_ZH, bountyAmountProblem, maskPhone, type BountyStatus } from './rewards.rules.js';

const view = (b: repo.BountyRow) => ({ ...b, reporterPhone: maskPhone(b.reporterPhone), statusName: BOUNTY_STATUS_ZH[b.status as BountyStatus] ?? b.status });
const STATUSES: BountyStatus[] = ['proposed', 'approved', 'rejected', 'withdrawn', 'paid'];
const BOUNTY = { zh: '爆料奖励', en: 'bounty' };

export async function listBounties(db: Db, actor: Actor, q: { areaId?: number; status?: string; caseId?: number; limit?: number }) {
  if (q.status && !STATUSES.includes(q.status as BountyStatus)) throw badInput(`状态应为 ${STATUSES.join(' / ')}`, [{ field: 'status', message: 'unknown status' }]);
  const limit = q.limit ?? 500;
  const filters = { status: q.status, caseId: q.caseId, limit };
  if (q.areaId) return (await repo.listBounties(db, { path: (await areaFor(db, actor, q.areaId)).path, ...filters })).map(view);
  const roots = readRoots(actor);
  const lists = roots === 'all' ? [await repo.listBounties(db, { path: '/', ...filters })]
    : await Promise.all(roots.map((p) => repo.listBounties(db, { path: p, ...filters })));
  return lists.flat().sort((a, b) => b.id - a.id).slice(0, limit).map(view);
}

async function bountyFor(db: Db, actor: Actor, id: number, lock = false) {
  const b = await repo.getBounty(db, id, lock);
  if (!b) throw notFound(`爆料奖励 ${id} 不存在 (no such bounty)`);
  assertRead(actor, b.areaPath, '该案件的爆料奖励');
  return b;
}

export async function getBounty(db: Db, actor: Actor, id: number) {
  return view(await bountyFor(db, actor, id));
}

/** Proposes a bounty for a case: anyone who may act on the case's area, with the amount (50–1,000 yuan) and the reason. */
export async function proposeBounty(db: Db, actor: Actor, body: { caseId?: number; caseNo?: string; amountYuan: number; reason: string }) {
  const problem = bountyAmountProblem(body.amountYuan);
  if (problem) throw badInput(problem, [{ field: 'amountYuan', message: problem }], 'BOUNTY_AMOUNT');
  const reason = (body.reason ?? '').trim();
  if (reason.length < 2 || reason.length > 500) throw badInput('请写明奖励理由（2–500 字） (give the reason)', [{ field: 'reason', message: '2–500 characters' }]);
  const caseId = body.caseId ?? (body.caseNo ? await repo.caseByNo(db, body.caseNo.trim()) : null);
  if (!caseId) throw badInput(body.caseNo ? `没有编号为 ${body.caseNo} 的案件 (no such case)` : '请指定案件 (caseId or caseNo)', [{ field: 'caseId', message: 'unknown case' }]);
  const c = await repo.caseRef(db, caseId);
  if (!c) throw badInput(`案件 ${caseId} 不存在 (no such case)`, [{ field: 'caseId', message: 'unknown case' }]);
  assertWrite(actor, c.areaPath, '该案件的爆料奖励');
  if (c.state === 'refused') {
    throw conflict('CASE_REFUSED', `案件 ${c.no} 已不予立案（${c.refusedReason === 'duplicate' ? '重复上报' : '无效'}），不能发爆料奖励 (a refused case earns no bounty)`);
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM case_file WHERE id = ${c.id} FOR UPDATE`); // one proposal per case at a time
    const standing = await repo.standingBounty(tx, c.id);
    if (standing) throw conflict('BOUNTY_EXISTS', `案件 ${c.no} 已有爆料奖励（#${standing}），如需改金额请先撤回 (this case already has a bounty)`);
    const reporter = await repo.publicReportOf(tx, c.id);
    const accountId = reporter ? await reporterAccount(tx, { ...reporter, areaPath: c.areaPath }) : null;
    const id = await repo.insertBounty(tx, { caseId: c.id, accountId, amountYuan: body.amountYuan, reason, by: actor.id });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.bounty.propose', entity: 'bounty', entityId: id,
      after: { caseId: c.id, caseNo: c.no, amountYuan: body.amountYuan, reason, accountId }, areaPath: c.areaPath });
    return view((await repo.getBounty(tx, id))!);
  });
}

/** Approves or rejects a proposed bounty: a second person with the right to act on the case's town. */
export async function decideBounty(db: Db, actor: Actor, id: number, body: { approve: boolean; note?: string | null }) {
  const note = body.note?.trim() || null;
  if (note && note.length > 500) throw badInput('审批意见不超过 500 字', [{ field: 'note', message: 'too long' }]);
  if (!body.approve && !note) throw badInput('不批准时请写明理由 (give the reason for rejecting)', [{ field: 'note', message: 'required when rejecting' }]);
  return db.transaction(async (tx) => {
    const b = await bountyFor(tx, actor, id, true);
    const town = await repo.townPathOf(tx, b.areaPath);
    assertWrite(actor, town, '爆料奖励的审批（须镇级负责人）');
    if (b.status !== 'proposed') throw conflict('BOUNTY_DECIDED', `该爆料奖励${BOUNTY_STATUS_ZH[b.status as BountyStatus] ?? b.status}，不能再审批 (already decided)`);
    assertAllowed(approvalRefusal(actor.id, BOUNTY, { proposedBy: b.proposedBy }));
    const status = body.approve ? 'approved' : 'rejected';
    await repo.setBounty(tx, id, sql`status = ${status}, decided_by = ${actor.id}, decided_at = now(), decision_note = ${note}`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: `rewards.bounty.${body.approve ? 'approve' : 'reject'}`, entity: 'bounty', entityId: id,
      before: { status: b.status }, after: { status, note, amountYuan: b.amountYuan }, areaPath: b.areaPath });
    return view((await repo.getBounty(tx, id))!);
  });
}

/** Marks an approved bounty paid, once: neither by its proposer nor by its approver. */
export async function payBounty(db: Db, actor: Actor, id: number, body: { note?: string | null }) {
  const note = body.note?.trim() || null;
  if (note && note.length > 500) throw badInput('发放说明不超过 500 字', [{ field: 'note', message: 'too long' }]);
  return db.transaction(async (tx) => {
    const b = await bountyFor(tx, actor, id, true);
    assertWrite(actor, await repo.townPathOf(tx, b.areaPath), '爆料奖励的发放（须镇级负责人）');
    if (b.status === 'paid') throw conflict('ALREADY_PAID', `该爆料奖励已于 ${new Date(b.paidAt!).toISOString().slice(0, 10)} 登记发放 (already paid)`);
    if (b.status !== 'approved') throw conflict('NOT_APPROVED', `该爆料奖励${BOUNTY_STATUS_ZH[b.status as BountyStatus] ?? b.status}：批准后才能登记发放 (approve first)`);
    assertAllowed(paymentRefusal(actor.id, BOUNTY, { proposedBy: b.proposedBy, approvedBy: b.decidedBy }));
    await repo.setBounty(tx, id, sql`status = 'paid', paid_by = ${actor.id}, paid_at = now(), pay_note = ${note}`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.bounty.paid', entity: 'bounty', entityId: id,
      before: { status: b.status }, after: { status: 'paid', amountYuan: b.amountYuan, note }, areaPath: b.areaPath });
    return view((await repo.getBounty(tx, id))!);
  });
}

/** Withdraws a proposed bounty: its proposer, or someone who may act on the town. */
export async function withdrawBounty(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const b = await bountyFor(tx, actor, id, true);
    if (b.proposedBy !== actor.id) assertWrite(actor, await repo.townPathOf(tx, b.areaPath), '他人提议的爆料奖励');
    else assertWrite(actor, b.areaPath, '该案件的爆料奖励');
    if (b.status !== 'proposed') throw conflict('BOUNTY_DECIDED', `该爆料奖励${BOUNTY_STATUS_ZH[b.status as BountyStatus] ?? b.status}，只有待审批的才能撤回 (only a proposed bounty can be withdrawn)`);
    await repo.setBounty(tx, id, sql`status = 'withdrawn'`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.bounty.withdraw', entity: 'bounty', entityId: id, before: { status: b.status }, after: { status: 'withdrawn' }, areaPath: b.areaPath });
    return view((await repo.getBounty(tx, id))!);
  });
}
