// 示范户评选: 最美庭院 (courtyard) and 美在家庭 (family) rounds, one per village, kind and period.
// Households are entered with scores while the round is open; deciding it names the winners (the
// top `quota`, ties on the boundary all win: see roundWinners) and credits each winner's household
// once by the model_household rule for the kind. A decided round is read-only. It is decided by a
// second person: not who created it or entered its households, nor anyone holding a role in its village.
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { readRoots, type Actor } from '../access/policy.js';
import { approvalRefusal, assertAllowed, ownUnitRefusal } from '../access/separation.rules.js';
import { appendAudit } from '../audit/audit.repository.js';
import { grantsOf } from '../people/people.repository.js';
import * as repo from './rewards.repository.js';
import { areaFor, eventPoints } from './rewards.service.js';
import { GRADE_ZH, MODEL_KINDS, isRoundPeriod, normalisePhone, phoneHash, roundWinners } from './rewards.rules.js';

const KIND_NAME = (k: string) => GRADE_ZH[k] ?? k;

export async function listRounds(db: Db, actor: Actor, q: { areaId?: number; kind?: string; period?: string }) {
  const filters = { kind: q.kind, period: q.period };
  if (q.areaId) {
    const a = await areaFor(db, actor, q.areaId);
    return repo.listRounds(db, a.path, { ...filters, villageId: a.level === 'village' ? a.id : undefined });
  }
  const roots = readRoots(actor);
  if (roots === 'all') return repo.listRounds(db, '/', filters);
  return (await Promise.all(roots.map((p) => repo.listRounds(db, p, filters)))).flat();
}

async function roundFor(db: Db, actor: Actor, id: number, write: boolean, lock = false) {
  const r = await repo.getRound(db, id, lock);
  if (!r) throw notFound(`评选 ${id} 不存在 (no such round)`);
  await areaFor(db, actor, r.villageId, { write, what: `${r.villageName}的示范户评选` });
  return r;
}

export async function getRound(db: Db, actor: Actor, id: number) {
  const r = await roundFor(db, actor, id, false);
  return { ...r, kindName: KIND_NAME(r.kind), entries: await repo.roundEntries(db, id) };
}

export async function createRound(db: Db, actor: Actor, body: { villageId: number; kind: string; period: string; quota: number }) {
  const v = await areaFor(db, actor, body.villageId, { write: true, village: true });
  const details: { field: string; message: string }[] = [];
  if (!(MODEL_KINDS as readonly string[]).includes(body.kind)) details.push({ field: 'kind', message: `评选类型应为 最美庭院（courtyard）或 美在家庭（family），收到 "${body.kind}"` });
  if (!isRoundPeriod(body.period)) details.push({ field: 'period', message: `期别应为年（2026）或季度（2026Q3），收到 "${body.period}"` });
  if (!Number.isInteger(body.quota) || body.quota < 1 || body.quota > 100) details.push({ field: 'quota', message: '名额应为 1–100 的整数' });
  if (details.length) throw badInput(`评选有误：${details.map((d) => d.message).join('；')}`, details);
  return db.transaction(async (tx) => {
    const id = await repo.insertRound(tx, { villageId: v.id, kind: body.kind, period: body.period, quota: body.quota, by: actor.id });
    if (id === null) throw conflict('ROUND_EXISTS', `${v.name} ${body.period} 的${KIND_NAME(body.kind)}评选已经建立 (the round exists)`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.round.create', entity: 'model_round', entityId: id,
      after: { villageId: v.id, kind: body.kind, period: body.period, quota: body.quota }, areaPath: v.path });
    return getRound(tx, actor, id);
  });
}

const decided = (r: repo.RoundRow) => conflict('ROUND_DECIDED', `${r.villageName} ${r.period} ${KIND_NAME(r.kind)}评选已经评定，不能再修改 (a decided round is read-only)`);

/** Enters households with scores (0–100; null: entered, not yet scored) and optionally changes the quota. */
export async function putEntries(db: Db, actor: Actor, id: number, body: { quota?: number; items: { householdId: number; score: number | null; note?: string | null }[] }) {
  const details: { field: string; message: string }[] = [];
  const seen = new Set<number>();
  body.items.forEach((i, n) => {
    if (i.score !== null && (!Number.isFinite(i.score) || i.score < 0 || i.score > 100)) details.push({ field: `items.${n}.score`, message: '得分应为 0–100' });
    if (seen.has(i.householdId)) details.push({ field: `items.${n}.householdId`, message: `户 ${i.householdId} 重复` });
    seen.add(i.householdId);
    if (i.note && i.note.trim().length > 200) details.push({ field: `items.${n}.note`, message: '说明不超过 200 字' });
  });
  if (body.quota !== undefined && (!Number.isInteger(body.quota) || body.quota < 1 || body.quota > 100)) details.push({ field: 'quota', message: '名额应为 1–100 的整数' });
  return db.transaction(async (tx) => {
    const r = await roundFor(tx, actor, id, true, true);
    if (r.status === 'decided') throw decided(r);
    const hs = new Map((await repo.householdsByIds(tx, [...seen])).map((h) => [h.id, h]));
    body.items.forEach((i, n) => {
      const h = hs.get(i.householdId);
      if (!h || h.areaId !== r.villageId) details.push({ field: `items.${n}.householdId`, message: `户 ${i.householdId} 不是${r.villageName}的户` });
      else if (!h.active) details.push({ field: `items.${n}.householdId`, message: `${h.no} ${h.headName} 已停用` });
    });
    if (details.length) throw badInput(`评选录入有误：${details.map((d) => d.message).join('；')}`, details);
    for (const i of body.items) await repo.upsertEntry(tx, id, { householdId: i.householdId, score: i.score, note: i.note?.trim() || null });
    if (body.quota !== undefined && body.quota !== r.quota) await repo.setQuota(tx, id, body.quota);
    else await repo.bumpRound(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.round.entries', entity: 'model_round', entityId: id,
      after: { quota: body.quota ?? r.quota, items: body.items }, areaPath: r.villagePath });
    return getRound(tx, actor, id);
  });
}

export async function removeEntry(db: Db, actor: Actor, id: number, householdId: number) {
  return db.transaction(async (tx) => {
    const r = await roundFor(tx, actor, id, true, true);
    if (r.status === 'decided') throw decided(r);
    if (!(await repo.deleteEntry(tx, id, householdId))) throw notFound(`户 ${householdId} 不在这次评选中`);
    await repo.bumpRound(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.round.remove', entity: 'model_round', entityId: id, before: { householdId }, areaPath: r.villagePath });
    return getRound(tx, actor, id);
  });
}

/** Decides an open round: marks the winners and credits each winner's household once. A second person decides (see the top). */
export async function decideRound(db: Db, actor: Actor, id: number, body: { version: number }) {
  return db.transaction(async (tx) => {
    const r = await roundFor(tx, actor, id, true, true);
    if (r.status === 'decided') throw decided(r);
    if (r.version !== body.version) throw conflict('STALE', '评选已被他人修改，请刷新后核对再评定 (changed since you looked)');
    assertAllowed(approvalRefusal(actor.id, { zh: '示范户评选', en: 'round' }, { proposedBy: null, preparedBy: await repo.roundHands(tx, id) }));
    assertAllowed(ownUnitRefusal(await grantsOf(tx, actor.id), [{ name: r.villageName, path: r.villagePath }], '评定自己所在的村的示范户', 'you belong to this village'));
    const entries = await repo.roundEntries(tx, id);
    const winners = roundWinners(entries, r.quota);
    if (winners.length === 0) throw conflict('NOTHING_TO_DECIDE', '还没有打分的户，不能评定 (no household has a score)');
    const points = await eventPoints(tx, { event: 'model_household', grade: r.kind });
    const hs = new Map((await repo.householdsByIds(tx, winners)).map((h) => [h.id, h]));
    const credited: { householdId: number; accountId: number; points: number }[] = [];
    for (const hid of winners) {
      const h = hs.get(hid)!;
      const phone = normalisePhone(h.phone);
      const account = await repo.ensureHouseholdAccount(tx, hid, phone ? phoneHash(phone) : null);
      if (points !== 0) {
        await repo.insertEntry(tx, { accountId: account, delta: points, kind: 'model_household', refType: 'model_round', refId: id,
          note: `${r.period} ${KIND_NAME(r.kind)}示范户`, by: actor.id });
      }
      credited.push({ householdId: hid, accountId: account, points });
    }
    await repo.decideRound(tx, id, winners, actor.id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.round.decide', entity: 'model_round', entityId: id,
      after: { quota: r.quota, winners: credited, tieOverQuota: winners.length > r.quota }, areaPath: r.villagePath });
    return getRound(tx, actor, id);
  });
}
