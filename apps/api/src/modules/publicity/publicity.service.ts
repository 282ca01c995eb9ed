// Publicity and civility (宣传 / 以文化人): campaigns with targets over an area and dates, and the
// records of what was done (proposal letters, audio rounds, banners, WeChat posts, lectures).
// Reads follow the grid: a campaign is seen by whoever's areas overlap its scope; its village
// rows and village records only inside the reader's areas; its totals (a public figure) whole.
// Writes: a record in a village needs write access there, a campaign-wide record (a school, a
// post, a venue) or the campaign itself needs write access on the campaign's scope.
import type { Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound, type ErrorDetail } from '../../lib/errors.js';
import { todayInChina } from '../../lib/dates.js';
import {
  assertWrite, canRead, canWrite, isGlobal, readRoots, type Actor,
} from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import { getSetting, putSetting } from '../evidence/evidence.repository.js';
import { readSheet, type Upload } from '../excel/workbook.js';
import { cellText, parseCount, parseDate } from '../excel/cells.js';
import * as repo from './publicity.repository.js';
import {
  BANNER_RULE_KEY, DEFAULT_BANNER_RULE, KIND_ZH, LIMITS, bestPost, checkBannerRule, checkCampaign, checkCount, checkRecord,
  normalTargets, overlaps, progress, schoolTable, totals, villageTable, type BannerRule, type Problem, type RecordInput, type RecordValue,
} from './publicity.rules.js';
import { WECHAT_SHAPE, summaryWorkbook, wechatWorkbook } from './publicity.xlsx.js';

const NO_SCOPE_LEVELS = new Set(['grid', 'micro_grid']);

function refuse(problems: Problem[], prefix = ''): never {
  throw badInput(`${prefix}${problems[0]!.message}`, problems.map((p) => ({ field: p.field, message: p.message })));
}

// ------------------------------------------------------------------ the banner rule

export async function getBannerRule(db: Db): Promise<BannerRule> {
  const stored = (await getSetting(db, BANNER_RULE_KEY)) as BannerRule | undefined;
  return stored && checkBannerRule(stored).length === 0 ? stored : DEFAULT_BANNER_RULE;
}

export async function putBannerRule(db: Db, actor: Actor, rule: BannerRule): Promise<BannerRule> {
  if (!isGlobal(actor)) throw forbidden('条幅标准是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
  const problems = checkBannerRule(rule);
  if (problems.length) refuse(problems, '条幅标准有误：');
  const value: BannerRule = { min: rule.min, max: rule.max, steps: rule.steps.map((s) => ({ upTo: s.upTo, required: s.required })), above: rule.above,
    bySizeClass: { small: rule.bySizeClass.small, medium: rule.bySizeClass.medium, large: rule.bySizeClass.large } };
  await db.transaction(async (tx) => {
    const before = await getSetting(tx, BANNER_RULE_KEY);
    await putSetting(tx, BANNER_RULE_KEY, value);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.banner_rule', entity: 'setting', entityId: BANNER_RULE_KEY, before: before ?? null, after: value });
  });
  return value;
}

// ------------------------------------------------------------------ campaigns

async function visibleCampaign(db: Db, actor: Actor, id: number, forUpdate = false) {
  const c = await repo.getCampaign(db, id, forUpdate);
  if (!c) throw notFound(`宣传活动 ${id} 不存在 (no such campaign)`);
  if (!overlaps(c.scopePath, readRoots(actor))) throw forbidden(`无权查看宣传活动「${c.name}」：不在您负责的区域内 (outside your areas)`);
  return c;
}

async function scopeArea(db: Db, areaId: number) {
  const a = await areas.findById(db, areaId);
  if (!a) throw badInput(`区域 ${areaId} 不存在 (no such area)`, [{ field: 'scopeAreaId', message: 'not found' }]);
  if (a.archivedAt) throw badInput(`${a.name} 已归档，不能作为活动范围 (archived)`, [{ field: 'scopeAreaId', message: 'archived' }]);
  if (NO_SCOPE_LEVELS.has(a.level)) throw badInput(`活动范围应为镇、管区或村（或更高层级），${a.name} 是网格 (pick a town, district or village)`, [{ field: 'scopeAreaId', message: 'level' }]);
  return a;
}

const campaignOut = (c: repo.CampaignRow, actor: Actor) => {
  const { scopePath: _p, ...rest } = c;
  return { ...rest, canWrite: canWrite(actor, c.scopePath) };
};

export async function listCampaigns(db: Db, actor: Actor) {
  const list = await repo.listCampaigns(db, readRoots(actor));
  return Promise.all(list.map(async (c) => {
    const t = totals(await repo.recordFacts(db, c.id));
    return { ...campaignOut(c, actor), progress: progress(t, c.targets) };
  }));
}

/** A campaign, with the villages under its scope the reader may see (for the record forms), and which of them they may write in. */
export async function getCampaign(db: Db, actor: Actor, id: number) {
  const c = await visibleCampaign(db, actor, id);
  const villages = (await areas.villagesUnder(db, c.scopePath)).filter((v) => canRead(actor, v.path));
  return {
    ...campaignOut(c, actor),
    villages: villages.map((v) => ({ id: v.id, code: v.code, name: v.name, households: v.households, sizeClass: v.sizeClass, canWrite: canWrite(actor, v.path) })),
  };
}

export interface CampaignBody { scopeAreaId: number; name: string; startsOn: string; endsOn: string; targets: Record<string, unknown> }

export async function createCampaign(db: Db, actor: Actor, input: CampaignBody) {
  const problems = checkCampaign(input);
  if (problems.length) refuse(problems);
  const scope = await scopeArea(db, input.scopeAreaId);
  assertWrite(actor, scope.path, scope.name);
  const value = { scopeAreaId: scope.id, name: input.name.replace(/\s+/g, ' ').trim(), startsOn: input.startsOn, endsOn: input.endsOn, targets: normalTargets(input.targets) };
  const id = await db.transaction(async (tx) => {
    const id = await repo.insertCampaign(tx, { ...value, by: actor.id });
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.campaign.create', entity: 'publicity_campaign', entityId: id, after: value, areaPath: scope.path });
    return id;
  });
  return getCampaign(db, actor, id);
}

export async function updateCampaign(db: Db, actor: Actor, id: number, input: Partial<CampaignBody> & { version: number }) {
  await db.transaction(async (tx) => {
    const cur = await visibleCampaign(tx, actor, id, true);
    assertWrite(actor, cur.scopePath, `宣传活动「${cur.name}」`);
    if (cur.version !== input.version) throw conflict('STALE', `宣传活动已被他人修改（您看到的是第 ${input.version} 版，现在是第 ${cur.version} 版），请刷新后再改 (stale version)`);
    const next = {
      scopeAreaId: input.scopeAreaId ?? cur.scopeAreaId, name: input.name ?? cur.name, startsOn: input.startsOn ?? cur.startsOn,
      endsOn: input.endsOn ?? cur.endsOn, targets: (input.targets ?? cur.targets) as Record<string, unknown>,
    };
    const problems = checkCampaign(next);
    if (problems.length) refuse(problems);
    if (next.scopeAreaId !== cur.scopeAreaId) {
      const scope = await scopeArea(tx, next.scopeAreaId);
      assertWrite(actor, scope.path, scope.name);
      const outside = await repo.recordsOutsideScope(tx, id, scope.path);
      if (outside) throw conflict('RECORDS_OUTSIDE', `已有 ${outside} 条记录的村不在 ${scope.name} 内，不能改成这个范围 (records lie outside the new scope)`);
    }
    const out = await repo.recordsOutside(tx, id, next.startsOn, next.endsOn);
    if (out.n) throw conflict('RECORDS_OUTSIDE', `已有 ${out.n} 条记录的日期（${out.first} 至 ${out.last}）不在 ${next.startsOn} 至 ${next.endsOn} 内，请先修改这些记录 (records fall outside the new dates)`);
    const value = { ...next, name: next.name.replace(/\s+/g, ' ').trim(), targets: normalTargets(next.targets) };
    if (!(await repo.updateCampaign(tx, id, input.version, value))) throw conflict('STALE', '宣传活动已被他人修改，请刷新后再改 (stale version)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.campaign.update', entity: 'publicity_campaign', entityId: id,
      before: { scopeAreaId: cur.scopeAreaId, name: cur.name, startsOn: cur.startsOn, endsOn: cur.endsOn, targets: cur.targets }, after: value, areaPath: cur.scopePath });
  });
  return getCampaign(db, actor, id);
}

/** Deletes a campaign with no records (a campaign with records stays: its records are its history). */
export async function deleteCampaign(db: Db, actor: Actor, id: number, version: number) {
  await db.transaction(async (tx) => {
    const cur = await visibleCampaign(tx, actor, id, true);
    assertWrite(actor, cur.scopePath, `宣传活动「${cur.name}」`);
    if (cur.version !== version) throw conflict('STALE', `宣传活动已被他人修改（现在是第 ${cur.version} 版），请刷新后再删 (stale version)`);
    const n = await repo.countRecords(tx, id);
    if (n) throw conflict('HAS_RECORDS', `宣传活动「${cur.name}」已有 ${n} 条记录，不能删除 (a campaign with records stays)`);
    await repo.deleteCampaign(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.campaign.delete', entity: 'publicity_campaign', entityId: id,
      before: { name: cur.name, scopeAreaId: cur.scopeAreaId, startsOn: cur.startsOn, endsOn: cur.endsOn, targets: cur.targets }, areaPath: cur.scopePath });
  });
  return { deleted: id };
}

// ------------------------------------------------------------------ records

const recordOut = (r: repo.RecordRow, actor: Actor, scopePath: string) => {
  const { areaPath, ...rest } = r;
  return { ...rest, canWrite: canWrite(actor, areaPath ?? scopePath) };
};

export async function listRecords(db: Db, actor: Actor, campaignId: number, f: { kind?: string; areaId?: number; limit?: number; offset?: number }) {
  const c = await visibleCampaign(db, actor, campaignId);
  if (f.kind !== undefined && !(f.kind in KIND_ZH)) throw badInput(`未知的类型「${f.kind.slice(0, 20)}」：应为 letter、audio、banner、wechat、lecture (unknown kind)`, [{ field: 'kind', message: 'unknown kind' }]);
  const r = await repo.listRecords(db, campaignId, readRoots(actor), { kind: f.kind, areaId: f.areaId, limit: f.limit ?? 200, offset: f.offset ?? 0 });
  return { total: r.total, items: r.items.map((x) => recordOut(x, actor, c.scopePath)) };
}

/** The village a record names: a live village inside the campaign's scope, where the actor may write. */
async function recordArea(db: Db, actor: Actor, c: repo.CampaignRow, areaId: number) {
  const a = await areas.findById(db, areaId);
  if (!a) throw badInput(`村 ${areaId} 不存在 (no such village)`, [{ field: 'areaId', message: 'not found' }]);
  if (a.level !== 'village') throw badInput(`${a.name} 不是村：请选择一个村 (pick a village)`, [{ field: 'areaId', message: 'not a village' }]);
  if (a.archivedAt) throw badInput(`${a.name} 已归档 (archived)`, [{ field: 'areaId', message: 'archived' }]);
  if (!a.path.startsWith(c.scopePath)) throw badInput(`${a.name} 不在活动「${c.name}」的范围（${c.scopeName}）内 (the village is outside the campaign's scope)`, [{ field: 'areaId', message: 'outside the scope' }]);
  assertWrite(actor, a.path, a.name);
  return a;
}

async function checkedValue(db: Db, actor: Actor, c: repo.CampaignRow, input: RecordInput, now: Date): Promise<RecordValue> {
  const r = checkRecord(input, { startsOn: c.startsOn, endsOn: c.endsOn, today: todayInChina(now) });
  if (!r.ok) refuse(r.problems);
  if (r.value.areaId !== null) await recordArea(db, actor, c, r.value.areaId);
  else assertWrite(actor, c.scopePath, `活动「${c.name}」（不属于某个村的记录须有${c.scopeName}的权限）`);
  return r.value;
}

export async function createRecord(db: Db, actor: Actor, campaignId: number, input: RecordInput, now = new Date()) {
  const id = await db.transaction(async (tx) => {
    // The campaign's row is locked: its dates and scope cannot change under a record being written.
    const c = await visibleCampaign(tx, actor, campaignId, true);
    const value = await checkedValue(tx, actor, c, input, now);
    const id = await repo.insertRecord(tx, campaignId, value, actor.id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: `publicity.record.create`, entity: 'publicity_record', entityId: id, after: { campaignId, ...value }, areaPath: c.scopePath });
    return id;
  });
  return getRecord(db, actor, id);
}

async function lockRecord(tx: Db, actor: Actor, id: number, version: number) {
  const cur = await repo.getRecord(tx, id, true);
  if (!cur) throw notFound(`记录 ${id} 不存在 (no such record)`);
  const c = await visibleCampaign(tx, actor, cur.campaignId, true);
  if (cur.areaPath) { if (!canRead(actor, cur.areaPath)) throw forbidden('无权查看该记录：不在您负责的区域内 (outside your areas)'); assertWrite(actor, cur.areaPath, cur.areaName ?? '该村'); }
  else assertWrite(actor, c.scopePath, `活动「${c.name}」`);
  if (cur.version !== version) throw conflict('STALE', `记录已被他人修改（您看到的是第 ${version} 版，现在是第 ${cur.version} 版），请刷新后再改 (stale version)`);
  return { cur, c };
}

export async function getRecord(db: Db, actor: Actor, id: number) {
  const r = await repo.getRecord(db, id);
  if (!r) throw notFound(`记录 ${id} 不存在 (no such record)`);
  const c = await visibleCampaign(db, actor, r.campaignId);
  if (r.areaPath && !canRead(actor, r.areaPath)) throw forbidden('无权查看该记录：不在您负责的区域内 (outside your areas)');
  return recordOut(r, actor, c.scopePath);
}

const valueOf = (r: repo.RecordRow): RecordInput => ({
  kind: r.kind, areaId: r.areaId, place: r.place, mode: r.mode, on: r.on, quantity: r.quantity, attendance: r.attendance,
  title: r.title, url: r.url, reads: r.reads, note: r.note,
});

export async function updateRecord(db: Db, actor: Actor, id: number, patch: Partial<RecordInput> & { version: number }, now = new Date()) {
  await db.transaction(async (tx) => {
    const { cur, c } = await lockRecord(tx, actor, id, patch.version);
    if (patch.kind !== undefined && patch.kind !== cur.kind) {
      throw badInput(`记录的类型（${KIND_ZH[cur.kind]}）不能修改：请删除后重新登记 (the kind cannot change)`, [{ field: 'kind', message: 'fixed' }]);
    }
    const { version: _v, ...fields } = patch;
    const merged: RecordInput = { ...valueOf(cur), ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), kind: cur.kind };
    // Keeping an old date is fine even after the day passed; a changed date must be valid now.
    const value = await checkedValue(tx, actor, c, merged, now);
    if (!(await repo.updateRecord(tx, id, patch.version, value))) throw conflict('STALE', '记录已被他人修改，请刷新后再改 (stale version)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.record.update', entity: 'publicity_record', entityId: id, before: valueOf(cur), after: value, areaPath: cur.areaPath ?? c.scopePath });
  });
  return getRecord(db, actor, id);
}

/** A WeChat post's read count, entered later (the time it was read is kept). */
export async function updateReads(db: Db, actor: Actor, id: number, input: { reads: number; version: number }, now = new Date()) {
  const m = checkCount(input.reads, 0, LIMITS.reads, '阅读数');
  if (m) throw badInput(m, [{ field: 'reads', message: m }]);
  const kind = (await repo.getRecord(db, id))?.kind;
  if (kind && kind !== 'wechat') throw badInput(`只有微信公众号文章有阅读数，这条记录是${KIND_ZH[kind as keyof typeof KIND_ZH] ?? kind} (reads are for WeChat posts)`, [{ field: 'reads', message: 'not a post' }]);
  return updateRecord(db, actor, id, { reads: input.reads, version: input.version }, now);
}

export async function deleteRecord(db: Db, actor: Actor, id: number, version: number) {
  await db.transaction(async (tx) => {
    const { cur, c } = await lockRecord(tx, actor, id, version);
    await repo.deleteRecord(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.record.delete', entity: 'publicity_record', entityId: id, before: { campaignId: cur.campaignId, ...valueOf(cur) }, areaPath: cur.areaPath ?? c.scopePath });
  });
  return { deleted: id };
}

// ------------------------------------------------------------------ the summary

/** Totals by kind against the targets (the whole campaign), the per-village table with the banner check (the reader's villages), schools, posts. */
export async function summary(db: Db, actor: Actor, id: number, now = new Date()) {
  const c = await visibleCampaign(db, actor, id);
  const [facts, rule, villages] = await Promise.all([repo.recordFacts(db, id), getBannerRule(db), areas.villagesUnder(db, c.scopePath)]);
  const t = totals(facts);
  const mine = villages.filter((v) => canRead(actor, v.path));
  const rows = villageTable(mine.map((v) => ({ id: v.id, code: v.code, name: v.name, households: v.households, sizeClass: v.sizeClass })), facts, rule);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const posts = facts.filter((f) => f.kind === 'wechat').sort((a, b) => (b.reads ?? -1) - (a.reads ?? -1) || (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id - b.id));
  const best = bestPost(facts);
  return {
    campaign: campaignOut(c, actor),
    asOf: now.toISOString(),
    totals: t,
    progress: progress(t, c.targets),
    rule,
    bannerCheck: {
      villages: rows.length, required: rows.reduce((s, r) => s + r.required, 0), up: rows.reduce((s, r) => s + (r.bannersUp ?? 0), 0),
      short: count('short'), ok: count('ok'), over: count('over'), unknown: count('unknown'),
    },
    villages: rows,
    schools: schoolTable(facts),
    posts: posts.map((p) => ({ id: p.id, title: p.title, url: p.url, on: p.on, reads: p.reads })),
    bestPost: best ? { id: best.id, title: best.title, url: best.url, on: best.on, reads: best.reads } : null,
  };
}

export async function summaryXlsx(db: Db, actor: Actor, id: number, now = new Date()) {
  const s = await summary(db, actor, id, now);
  const buffer = await summaryWorkbook(s);
  return { buffer, ascii: `publicity-${id}`, name: `${s.campaign.name}宣传发动汇总` };
}

// ------------------------------------------------------------------ WeChat posts: template and import

export async function wechatTemplate(db: Db, actor: Actor, id: number) {
  const c = await visibleCampaign(db, actor, id);
  const posts = (await repo.recordFacts(db, id)).filter((f) => f.kind === 'wechat').sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id - b.id));
  const buffer = await wechatWorkbook(c, posts);
  return { buffer, ascii: `wechat-posts-${id}`, name: `${c.name}公众号文章阅读数` };
}

/**
 * Reads a filled sheet of WeChat posts: a row with 编号 updates that post; a row without it updates
 * the post of the same title and date, or adds a new one. A blank cell keeps what is stored. Every
 * row is checked first; one bad row and nothing is written.
 */
export async function importWechat(db: Db, actor: Actor, id: number, upload: Upload, now = new Date()) {
  const c = await visibleCampaign(db, actor, id);
  assertWrite(actor, c.scopePath, `活动「${c.name}」`);
  const raw = await readSheet(upload, WECHAT_SHAPE, 5_000); // read only after the campaign's check above
  const existing = (await repo.listRecords(db, id, 'all', { kind: 'wechat', limit: 100_000, offset: 0 })).items;
  const byId = new Map(existing.map((r) => [r.id, r]));
  const byKey = new Map(existing.map((r) => [`${r.title}\u0001${r.on}`, r]));
  const window = { startsOn: c.startsOn, endsOn: c.endsOn, today: todayInChina(now) };
  const details: ErrorDetail[] = [];
  const plan: { row: number; id: number | null; version: number | null; value: RecordValue }[] = [];
  const seen = new Map<string, number>();
  for (const r of raw) {
    const err = (column: string, message: string) => details.push({ row: r.row, column, message: `第 ${r.row} 行「${column}」：${message}` });
    const idText = cellText(r.cells.id).replace(/\s+/g, '');
    let target: repo.RecordRow | undefined;
    if (idText) {
      if (!/^\d{1,15}$/.test(idText)) { err('编号', `编号应为数字，收到「${idText.slice(0, 20)}」`); continue; }
      target = byId.get(Number(idText));
      if (!target) { err('编号', `本活动没有编号为 ${idText} 的公众号文章（新文章请留空编号）`); continue; }
    }
    const on = parseDate(r.cells.on);
    if (!on.ok) { err('发布日期', on.message); continue; }
    const reads = parseCount(r.cells.reads);
    if (!reads.ok) { err('阅读数', reads.message); continue; }
    const title = cellText(r.cells.title) || null;
    const url = cellText(r.cells.url) || null;
    const note = cellText(r.cells.note) || null;
    if (!target && title && on.value) target = byKey.get(`${title.replace(/\s+/g, ' ')}\u0001${on.value}`);
    const input: RecordInput = target
      ? { ...valueOf(target), title: title ?? target.title, url: url ?? target.url, on: on.value ?? target.on, reads: reads.value ?? target.reads, note: note ?? target.note }
      : { kind: 'wechat', title, url, on: on.value ?? '', reads: reads.value, note };
    if (!target && !on.value) { err('发布日期', '新文章须填写发布日期'); continue; }
    const checked = checkRecord(input, window);
    if (!checked.ok) {
      const COL: Record<string, string> = { title: '标题', url: '链接', on: '发布日期', reads: '阅读数', note: '备注' };
      for (const p of checked.problems) err(COL[p.field] ?? p.field, p.message);
      continue;
    }
    const key = target ? `id:${target.id}` : `new:${checked.value.title}\u0001${checked.value.on}`;
    if (seen.has(key)) { err(target ? '编号' : '标题', `与第 ${seen.get(key)} 行是同一篇文章`); continue; }
    seen.set(key, r.row);
    plan.push({ row: r.row, id: target?.id ?? null, version: target?.version ?? null, value: checked.value });
  }
  if (details.length) throw badInput(`导入未进行，共 ${details.length} 处错误：${details[0]!.message}`, details);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  await db.transaction(async (tx) => {
    const locked = await repo.getCampaign(tx, id, true);
    if (!locked || locked.version !== c.version) throw conflict('STALE', '活动在导入时被他人修改，请重新导入 (the campaign changed meanwhile)');
    for (const p of plan) {
      if (p.id === null) { await repo.insertRecord(tx, id, p.value, actor.id); created += 1; continue; }
      const cur = byId.get(p.id)!;
      const same = cur.title === p.value.title && cur.url === p.value.url && cur.on === p.value.on && cur.reads === p.value.reads && cur.note === p.value.note;
      if (same) { unchanged += 1; continue; }
      if (!(await repo.updateRecord(tx, p.id, p.version!, p.value))) throw conflict('STALE', `第 ${p.row} 行的文章在导入时被他人修改，请重新导入 (changed meanwhile)`);
      updated += 1;
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'publicity.wechat.import', entity: 'publicity_campaign', entityId: id,
      after: { rows: raw.length, created, updated, unchanged, posts: plan.map((p) => ({ id: p.id, ...p.value })) }, areaPath: c.scopePath });
  });
  return { ok: true as const, rows: raw.length, created, updated, unchanged };
}
