// Scores that keep everyone honest (考核评价): the scorecard of any area and period (villages ×
// indicators, rolled up to districts, towns, counties), rankings and tiers, the red and black list,
// the monthly observation picks, and the other work's scores (the 60%). Indicators, weights and
// tier rules are data, edited here with their checks. The rules themselves are in scoring.rules.ts.
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { todayInChina } from '../../lib/dates.js';
import { assertRead, assertWrite, isGlobal, type Actor } from '../access/policy.js';
import { assertAllowed, ownUnitRefusal } from '../access/separation.rules.js';
import { forbidden } from '../../lib/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { commonArea } from '../audit/area.js';
import * as areas from '../areas/areas.repository.js';
import { grantsOf } from '../people/people.repository.js';
import type { AreaRow } from '../areas/areas.repository.js';
import { getSetting, putSetting } from '../evidence/evidence.repository.js';
import { addDays, parsePeriodKey } from '../routines/periods.rules.js';
import { FACTS, isFactKey, sumFacts, type Facts } from './facts.js';
import * as repo from './scores.repository.js';
import * as setup from './setup.repository.js';
import { OTHER_WORK, scorecardWorkbook } from './scores.xlsx.js';
import { readSheet, writeSheet, type Upload } from '../excel/workbook.js';
import { cellText } from '../excel/cells.js';
import {
  DEFAULT_SETTINGS, assignTiers, checkIndicator, checkSettings, checkWeights, evaluate, observationPicks, prepare, rankBy, round2,
  scoreVillage, type Indicator, type IndicatorValue, type ParsedIndicator, type ScoreSettings, type Tier, type Weights,
} from './scoring.rules.js';

// ------------------------------------------------------------------ periods

export type ScorePeriodType = 'monthly' | 'quarterly' | 'yearly';
export interface PeriodInfo { key: string; type: ScorePeriodType; start: string; end: string; months: repo.Month[]; provisional: boolean; previous: string }

const monthKey = (m: repo.Month) => m.slice(0, 4) + m.slice(5, 7);

/** A monthly, quarterly or yearly key ('202611', '2026Q4', '2026'); a period not yet ended is provisional, one not yet begun is refused. */
export function periodInfo(key: unknown, today: string): PeriodInfo {
  const p = parsePeriodKey(key);
  if (!p || !['monthly', 'quarterly', 'yearly'].includes(p.type)) {
    throw badInput(`周期「${String(key)}」无效：请用月（202611）、季度（2026Q4）或年（2026） (a monthly, quarterly or yearly key)`, [{ field: 'period', message: 'bad period key' }]);
  }
  if (p.start > today) throw badInput(`周期 ${String(key)} 尚未开始，无法评分 (the period has not begun)`, [{ field: 'period', message: 'not begun' }]);
  const months: repo.Month[] = [];
  for (let m = p.start; m <= p.end; m = repo.nextMonth(m)) months.push(m);
  const prevDay = addDays(p.start, -1);
  const previous = p.type === 'monthly' ? prevDay.slice(0, 4) + prevDay.slice(5, 7)
    : p.type === 'quarterly' ? `${prevDay.slice(0, 4)}Q${Math.floor((Number(prevDay.slice(5, 7)) - 1) / 3) + 1}` : prevDay.slice(0, 4);
  return { key: String(key), type: p.type as ScorePeriodType, start: p.start, end: p.end, months, provisional: p.end >= today, previous };
}

async function scopeArea(db: Db, actor: Actor, areaId: number): Promise<AreaRow> {
  const a = await areas.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在 (no such area)`);
  assertRead(actor, a.path, a.name);
  if (a.level === 'grid' || a.level === 'micro_grid') throw badInput('评分以村为单位：请选择村或以上的区域 (pick a village or above)', [{ field: 'areaId', message: 'below village' }]);
  return a;
}

/** The hourly job: recomputes every kept county-month that changed or that the clock made stale. */
export async function refreshScores(db: Db, now = new Date()) {
  return { recomputed: await repo.refresh(db, { counties: [], months: [], allStale: true }, now) };
}

// ------------------------------------------------------------------ settings, indicators, weights

export async function getSettings(db: Db): Promise<ScoreSettings> {
  const s = (await getSetting(db, 'scores')) as Partial<ScoreSettings> | undefined;
  return { ...DEFAULT_SETTINGS, ...(s ?? {}), tiers: { ...DEFAULT_SETTINGS.tiers, ...(s?.tiers ?? {}) } };
}

// Who may is the duty table's (checked on the route); the actor arrives narrowed to the duty's grants.
const assertConfigure = (actor: Actor) => {
  if (!actor.grants.length) throw forbidden('无权修改考核设置：需要“修改考核指标、权重和等次设置”职责 (needs the duty)');
};

export async function putSettings(db: Db, actor: Actor, input: ScoreSettings): Promise<ScoreSettings> {
  if (!isGlobal(actor)) throw forbidden('等次与奖励设置是全局设置：需要全局授予的“修改全局设置”职责 (install-wide setting)');
  const problems = checkSettings(input);
  if (problems.length) throw badInput(problems[0]!.message, problems);
  await db.transaction(async (tx) => {
    await putSetting(tx, 'scores', input);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.settings', entity: 'setting', entityId: null, after: input });
  });
  return input;
}

export const listFacts = () => FACTS.map((f) => ({ key: f.key, zh: f.zh, en: f.en, records: f.records }));

export async function listIndicators(db: Db) {
  const [list, w] = await Promise.all([setup.listIndicators(db), setup.weightSetOn(db, todayInChina())]);
  return list.map((i) => ({ ...i, weight: w?.weights.indicators[i.code] ?? 0 }));
}

export type IndicatorInput = Omit<Indicator, 'id'> & { sort?: number; active?: boolean };

function assertIndicator(i: Partial<Indicator>) {
  const problems = checkIndicator(i);
  if (problems.length) throw badInput(`指标有误：${problems[0]!.message}`, problems);
}

export async function createIndicator(db: Db, actor: Actor, input: IndicatorInput) {
  assertConfigure(actor);
  assertIndicator(input);
  return db.transaction(async (tx) => {
    const row = await setup.insertIndicator(tx, { ...input, baseFact: input.baseFact ?? null, minBase: input.minBase ?? 0, sort: input.sort ?? 100 });
    if (!row) throw conflict('DUPLICATE_CODE', `指标代码 ${input.code} 已存在 (the code is taken)`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.indicator.create', entity: 'score_indicator', entityId: row.id, after: input });
    return row;
  });
}

export async function updateIndicator(db: Db, actor: Actor, id: number, input: Partial<IndicatorInput> & { version: number }) {
  assertConfigure(actor);
  return db.transaction(async (tx) => {
    const cur = await setup.getIndicator(tx, id);
    if (!cur) throw notFound(`指标 ${id} 不存在`);
    const { version, ...patch } = input;
    const next = { ...cur, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as setup.IndicatorRow;
    assertIndicator(next);
    const row = await setup.updateIndicator(tx, id, version, next);
    if (!row) throw conflict('STALE', '指标已被他人修改，请刷新后再试 (changed by someone else; reload)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.indicator.update', entity: 'score_indicator', entityId: id, before: cur, after: row });
    return row;
  });
}

export async function listWeights(db: Db) {
  const [sets, current] = await Promise.all([setup.listWeightSets(db), setup.weightSetOn(db, todayInChina())]);
  return { current, history: sets };
}

export async function addWeights(db: Db, actor: Actor, input: { validFrom: string; weights: Weights; note?: string | null }) {
  assertConfigure(actor);
  const p = parsePeriodKey(input.validFrom);
  if (!p || p.type !== 'monthly') throw badInput('生效月份须写作 YYYYMM，如 202612 (the month it takes effect)', [{ field: 'validFrom', message: 'YYYYMM' }]);
  const codes = (await setup.listIndicators(db)).map((i) => i.code);
  const problems = checkWeights(input.weights, codes);
  if (problems.length) throw badInput(`权重有误：${problems[0]!.message}`, problems);
  const weights: Weights = { environment: input.weights.environment, other: input.weights.other, indicators: { ...input.weights.indicators } };
  return db.transaction(async (tx) => {
    const id = await setup.insertWeightSet(tx, p.start, weights, input.note?.trim() || null, actor.id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.weights', entity: 'score_weight_set', entityId: id, after: { validFrom: p.start, weights } });
    return { id, validFrom: p.start, weights };
  });
}

// ------------------------------------------------------------------ the scores of a scope

export interface VillageResult {
  id: number; code: string; name: string; path: string; districtId: number | null; districtName: string | null;
  facts: Facts; values: IndicatorValue[]; environment: number | null; other: number | null; otherMonths: number;
  composite: number | null; reason: string | null; rank: number | null; districtRank: number | null; tier: Tier | null;
}
interface ScopeScores { villages: VillageResult[]; indicators: ParsedIndicator[]; weights: setup.WeightSet; settings: ScoreSettings; asOf: Date | null }

/** Every village under the scope scored for the period: facts brought up to date first, then the rules. */
async function scoreScope(db: Db, scope: AreaRow, p: PeriodInfo, now: Date): Promise<ScopeScores> {
  const counties = await repo.countiesUnder(db, scope.path);
  if (counties.length) await repo.refresh(db, { counties, months: p.months }, now);
  // The scored scope is kept per database, scope and period while the stamp of what it is computed
  // from (kept facts, indicators, weights, other work, settings, areas) stays the same.
  const stamp = await repo.scoresStamp(db, scope.path, counties, p.months);
  const memo = memos.get(db) ?? memos.set(db, new Map()).get(db)!;
  const key = `${scope.id}|${p.key}`;
  const hit = memo.get(key);
  if (hit && hit.stamp === stamp) return hit.value;
  const value = await computeScope(db, scope, p, counties);
  memo.delete(key);
  memo.set(key, { stamp, value });
  if (memo.size > 32) memo.delete(memo.keys().next().value!);
  return value;
}

const memos = new WeakMap<Db, Map<string, { stamp: string; value: ScopeScores }>>();
/** Drops the kept scored scopes of a database (the benchmark measures scoring without them). */
export const forgetScores = (db: Db) => { memos.delete(db); };

async function computeScope(db: Db, scope: AreaRow, p: PeriodInfo, counties: string[]): Promise<ScopeScores> {
  const [vf, inds, w, others, settings] = await Promise.all([
    repo.villageFacts(db, scope.path, p.months),
    setup.listIndicators(db, true),
    setup.weightSetOn(db, p.start),
    setup.otherScores(db, scope.path, p.months),
    getSettings(db),
  ]);
  if (!w) throw conflict('NO_WEIGHTS', `${p.start} 没有生效的权重，请先设置权重 (no weights in force)`);
  const indicators = inds.filter((i) => i.periodTypes.includes(p.type)).map(prepare);
  const otherBy = new Map<number, number[]>();
  for (const o of others) otherBy.set(o.villageId, [...(otherBy.get(o.villageId) ?? []), o.score]);
  const parents = new Map((await areas.listByIds(db, [...new Set(vf.map((v) => v.parentId).filter((x): x is number => x !== null))])).map((a) => [a.id, a]));
  const villages: VillageResult[] = vf.map((v) => {
    const os = otherBy.get(v.id) ?? [];
    const other = os.length ? round2(os.reduce((a, b) => a + b, 0) / os.length) : null;
    const s = scoreVillage(v.facts, indicators, w.weights, other);
    const parent = v.parentId === null ? undefined : parents.get(v.parentId);
    const district = parent?.level === 'district' ? parent : undefined;
    return { id: v.id, code: v.code, name: v.name, path: v.path, districtId: district?.id ?? null, districtName: district?.name ?? null, facts: v.facts,
      ...s, otherMonths: os.length, rank: null, districtRank: null, tier: null };
  });
  const ranks = rankBy(villages, (v) => v.composite, (v) => v.code);
  for (const v of villages) v.rank = ranks.get(v.code) ?? null;
  const byDistrict = new Map<number | null, VillageResult[]>();
  for (const v of villages) byDistrict.set(v.districtId, [...(byDistrict.get(v.districtId) ?? []), v]);
  for (const list of byDistrict.values()) {
    const r = rankBy(list, (v) => v.composite, (v) => v.code);
    for (const v of list) v.districtRank = r.get(v.code) ?? null;
  }
  const tiers = assignTiers(villages.map((v) => ({ key: v.code, composite: v.composite, rank: v.rank })), settings.tiers);
  for (const v of villages) v.tier = tiers.get(v.code) ?? null;
  return { villages, indicators, weights: w, settings, asOf: counties.length ? await repo.freshness(db, counties, p.months) : null };
}

interface Row {
  area: { id: number; code: string; name: string; level: string };
  facts: Facts; values: IndicatorValue[]; environment: number | null; other: number | null; composite: number | null;
  villages: number; ranked: number; rank: number | null; tier?: Tier | null; reason?: string | null;
  previous: { composite: number | null; environment: number | null; values: Record<string, number | null> } | null;
}

/** The mean of scores already rounded to 0.01, summed in hundredths so that 74 and 87.33 give 80.67. */
const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null).map((x) => Math.round(x * 100));
  return v.length ? round2(v.reduce((a, b) => a + b, 0) / v.length / 100) : null;
};

/** A row for a group of villages: its facts added up and its indicators computed from the sums; scores are the villages' means. */
function groupRow(area: Row['area'], vs: VillageResult[], indicators: ParsedIndicator[]): Row {
  const facts = sumFacts(vs.map((v) => v.facts));
  return {
    area, facts, values: indicators.map((i) => evaluate(i, facts)),
    environment: mean(vs.map((v) => v.environment)), other: mean(vs.map((v) => v.other)), composite: mean(vs.map((v) => v.composite)),
    villages: vs.length, ranked: vs.filter((v) => v.rank !== null).length, rank: null, previous: null,
  };
}

export async function scorecard(db: Db, actor: Actor, q: { areaId: number; period: string }, now = new Date()) {
  const scope = await scopeArea(db, actor, q.areaId);
  const p = periodInfo(q.period, todayInChina(now));
  const cur = await scoreScope(db, scope, p, now);
  let prev: ScopeScores | null = null;
  try {
    prev = await scoreScope(db, scope, periodInfo(p.previous, todayInChina(now)), now);
  } catch {
    prev = null; // no weights in force then, or before the calendar: no arrows
  }
  const children = scope.level === 'village' ? [scope] : (await areas.listChildren(db, scope.id, true)).filter((c) => c.level !== 'grid');
  const rowOf = (s: ScopeScores, a: AreaRow) => groupRow({ id: a.id, code: a.code, name: a.name, level: a.level },
    s.villages.filter((v) => v.path.startsWith(a.path)), s.indicators);
  const rows = children.map((a) => {
    const r = rowOf(cur, a);
    const pr = prev ? rowOf(prev, a) : null;
    r.previous = pr ? { composite: pr.composite, environment: pr.environment, values: Object.fromEntries(pr.values.map((x) => [x.code, x.value])) } : null;
    if (a.level === 'village') {
      const v = cur.villages.find((x) => x.id === a.id);
      Object.assign(r, { rank: v?.rank ?? null, tier: v?.tier ?? null, reason: v?.reason ?? null, other: v?.other ?? null });
    }
    return r;
  }).filter((r) => r.villages > 0 || r.area.level === 'village');
  if (scope.level !== 'village') {
    const rr = rankBy(rows, (r) => r.composite, (r) => r.area.code);
    for (const r of rows) r.rank = rr.get(r.area.code) ?? null;
  }
  const total = groupRow({ id: scope.id, code: scope.code, name: scope.name, level: scope.level }, cur.villages, cur.indicators);
  const prevById = new Map((prev?.villages ?? []).map((v) => [v.id, v]));
  const detailed = ['town', 'district', 'village'].includes(scope.level);
  const villages = detailed ? cur.villages.map((v) => {
    const pv = prevById.get(v.id);
    return { ...v, previous: pv ? { composite: pv.composite, environment: pv.environment, values: Object.fromEntries(pv.values.map((x) => [x.code, x.value])) } : null };
  }) : [];
  const ranked = cur.villages.filter((v) => v.rank !== null).sort((a, b) => a.rank! - b.rank! || (a.code < b.code ? -1 : 1));
  const n = cur.settings.redBlackSize;
  return {
    scope: { id: scope.id, code: scope.code, name: scope.name, level: scope.level },
    period: p, asOf: cur.asOf?.toISOString() ?? null,
    weights: { id: cur.weights.id, validFrom: cur.weights.validFrom, ...cur.weights.weights },
    settings: cur.settings,
    indicators: cur.indicators.map(({ ast: _ast, ...i }) => ({ ...i, weight: cur.weights.weights.indicators[i.code] ?? 0 })),
    rows, total, villages,
    redList: detailed ? ranked.slice(0, n).map(brief) : [],
    blackList: detailed ? ranked.slice(Math.max(n, ranked.length - n)).reverse().map(brief) : [],
    unranked: detailed ? cur.villages.filter((v) => v.rank === null).map((v) => ({ id: v.id, name: v.name, reason: v.reason })) : [],
  };
}

const brief = (v: VillageResult) => ({ id: v.id, code: v.code, name: v.name, districtName: v.districtName, composite: v.composite, environment: v.environment, rank: v.rank, tier: v.tier });

/** The records behind a number: the cases, tasks, results, turnout or visits a fact counts. */
export async function records(db: Db, actor: Actor, q: { areaId: number; period: string; fact: string; limit?: number }, now = new Date()) {
  const scope = await scopeArea(db, actor, q.areaId);
  if (!isFactKey(q.fact)) throw badInput(`未知的事实：${q.fact} (see GET /api/v1/scores/facts)`, [{ field: 'fact', message: 'unknown fact' }]);
  const p = periodInfo(q.period, todayInChina(now));
  const counties = await repo.countiesUnder(db, scope.path);
  if (counties.length) await repo.refresh(db, { counties, months: p.months }, now);
  const list = await repo.recordsOf(db, scope.path, p.months, q.fact, now, Math.min(q.limit ?? 200, 1000));
  const def = FACTS.find((f) => f.key === q.fact)!;
  return { scope: { id: scope.id, name: scope.name, level: scope.level }, period: p.key, fact: { key: def.key, zh: def.zh, en: def.en }, ...list };
}

/** 每月一观摩: per district, the best and the worst villages of the month by environment score. */
export async function picks(db: Db, actor: Actor, q: { areaId: number; month: string }, now = new Date()) {
  const scope = await scopeArea(db, actor, q.areaId);
  const p = periodInfo(q.month, todayInChina(now));
  if (p.type !== 'monthly') throw badInput('观摩选村按月：请用 YYYYMM (monthly)', [{ field: 'month', message: 'YYYYMM' }]);
  const s = await scoreScope(db, scope, p, now);
  const list = observationPicks(s.villages.filter((v) => v.districtId !== null).map((v) => ({
    id: v.id, code: v.code, name: v.name, districtId: v.districtId!, environment: v.environment, overdue: v.facts.cases_overdue, values: v.values,
  })), s.settings.picksPerDistrict);
  const names = new Map(s.villages.map((v) => [v.districtId, v.districtName]));
  const indName = new Map(s.indicators.map((i) => [i.code, i]));
  const reasonText = (r: { code: string; value: number }) => `${indName.get(r.code)?.name ?? r.code} ${r.value}${indName.get(r.code)?.unit ?? ''}`;
  return {
    scope: { id: scope.id, name: scope.name }, month: p.key, provisional: p.provisional,
    districts: list.map((d) => ({
      ...d, districtName: names.get(d.districtId) ?? '',
      best: d.best.map((b) => ({ ...b, reasonText: b.reasons.map(reasonText).join('；') })),
      worst: d.worst.map((b) => ({ ...b, reasonText: b.reasons.map(reasonText).join('；') })),
    })),
  };
}

// ------------------------------------------------------------------ other work (the 60%)

export async function otherWork(db: Db, actor: Actor, q: { areaId: number; month: string }, now = new Date()) {
  const scope = await scopeArea(db, actor, q.areaId);
  const p = periodInfo(q.month, todayInChina(now));
  if (p.type !== 'monthly') throw badInput('其他工作得分按月录入：请用 YYYYMM', [{ field: 'month', message: 'YYYYMM' }]);
  const [vf, scores] = await Promise.all([repo.villageFacts(db, scope.path, []), setup.otherScores(db, scope.path, p.months)]);
  const by = new Map(scores.map((s) => [s.villageId, s]));
  return { month: p.key, villages: vf.map((v) => ({ id: v.id, code: v.code, name: v.name, ...(by.get(v.id) ?? { score: null, note: null, source: null, enteredBy: null, enteredAt: null }) })) };
}

export interface OtherInput { villageId: number; score: number | null; note?: string | null }

/**
 * Enters (or clears, with score null) villages' other-work scores for a month, all or nothing. Nobody
 * enters the score of a village they hold a role in, whoever the duty table gives the duty to.
 */
export async function putOtherWork(db: Db, actor: Actor, input: { month: string; items: OtherInput[] }, source: 'entered' | 'imported' = 'entered', now = new Date()) {
  const p = periodInfo(input.month, todayInChina(now));
  if (p.type !== 'monthly') throw badInput('其他工作得分按月录入：请用 YYYYMM', [{ field: 'month', message: 'YYYYMM' }]);
  const ids = [...new Set(input.items.map((i) => i.villageId))];
  if (ids.length !== input.items.length) throw badInput('同一个村出现了两次 (a village appears twice)', [{ field: 'items', message: 'duplicate village' }]);
  const found = new Map((await areas.listByIds(db, ids)).map((a) => [a.id, a]));
  const details = input.items.flatMap((it, row) => {
    const a = found.get(it.villageId);
    if (!a) return [{ row: row + 1, field: 'villageId', message: `区域 ${it.villageId} 不存在` }];
    if (a.level !== 'village') return [{ row: row + 1, field: 'villageId', message: `${a.name} 不是村` }];
    if (it.score !== null && !(Number.isFinite(it.score) && it.score >= 0 && it.score <= 100)) return [{ row: row + 1, field: 'score', message: `${a.name} 的得分须在 0–100 之间` }];
    return [];
  });
  if (details.length) throw badInput(details[0]!.message, details);
  for (const a of found.values()) assertWrite(actor, a.path, a.name);
  assertAllowed(ownUnitRefusal(await grantsOf(db, actor.id), input.items.map((it) => found.get(it.villageId)!), '为自己所在的村录入得分', 'you belong to this village'));
  await db.transaction(async (tx) => {
    for (const it of input.items) {
      if (it.score === null) await setup.deleteOtherScore(tx, it.villageId, p.start);
      else await setup.putOtherScore(tx, it.villageId, p.start, it.score, it.note?.trim() || null, source, actor.id);
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'scores.other', entity: 'score_other', entityId: null, after: input, areaPath: commonArea([...found.values()].map((a) => a.path)) });
  });
  return { month: p.key, saved: input.items.length };
}

/** The scorecard as an .xlsx, the same numbers as the page. */
export async function scorecardXlsx(db: Db, actor: Actor, q: { areaId: number; period: string }, now = new Date()) {
  const c = await scorecard(db, actor, q, now);
  const title = `${c.scope.name} 考核评分表 ${c.period.key}${c.period.provisional ? '（暂定）' : ''}`;
  const subtitle = `环境整治占 ${c.weights.environment}%、其他工作占 ${c.weights.other}%（权重自 ${c.weights.validFrom} 起）；数据截至 ${c.asOf ? new Date(c.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—'}`;
  const buffer = await scorecardWorkbook({
    title, subtitle, indicators: c.indicators,
    rows: c.rows.map((r) => ({ ...r, name: r.area.name, level: r.area.level })),
    total: { ...c.total, name: `合计 ${c.total.area.name}`, level: 'total' },
    villages: c.villages.map((v) => ({ ...v, level: 'village', district: v.districtName })),
    redList: c.redList, blackList: c.blackList,
  });
  return { buffer, ascii: `scorecard-${c.scope.code}-${c.period.key}`, name: `${c.scope.name}考核评分表${c.period.key}` };
}

/** The other-work sheet for a month: every village under the scope, with what is entered so far. */
export async function otherWorkTemplate(db: Db, actor: Actor, q: { areaId: number; month: string }, now = new Date()) {
  const o = await otherWork(db, actor, q, now);
  const buffer = await writeSheet(OTHER_WORK, o.villages.map((v) => [v.code, v.name, v.score ?? '', v.note ?? '']));
  return { buffer, ascii: `other-work-${o.month}`, name: `其他工作得分${o.month}` };
}

/** Reads a filled other-work sheet; every row is checked before anything is saved. */
export async function importOtherWork(db: Db, actor: Actor, q: { month: string }, upload: Upload, now = new Date()) {
  // who may enter scores at all is known before the file is read; each village is checked after
  if (!actor.grants.some((g) => g.canWrite)) throw forbidden('无权录入其他工作得分：您的角色只读 (read-only)');
  const raw = await readSheet(upload, OTHER_WORK, 20_000);
  const codes = raw.map((r) => cellText(r.cells.code).trim());
  const found = new Map<string, AreaRow>();
  for (const code of new Set(codes.filter(Boolean))) {
    const a = await areas.findByCode(db, code);
    if (a) found.set(code, a);
  }
  const details = raw.flatMap((r, i) => {
    const code = codes[i]!;
    if (!code) return [{ row: r.row, column: '村代码', message: `第 ${r.row} 行缺少村代码` }];
    const a = found.get(code);
    if (!a || a.level !== 'village') return [{ row: r.row, column: '村代码', message: `第 ${r.row} 行：${code} 不是已有的村` }];
    const t = cellText(r.cells.score).trim();
    if (t !== '' && !(Number.isFinite(Number(t)) && Number(t) >= 0 && Number(t) <= 100)) return [{ row: r.row, column: '得分', message: `第 ${r.row} 行：得分「${t}」须为 0–100 的数` }];
    return [];
  });
  if (details.length) throw badInput(`导入未进行，共 ${details.length} 处错误：${details[0]!.message}`, details);
  const items = raw.map((r, i) => {
    const t = cellText(r.cells.score).trim();
    return { villageId: found.get(codes[i]!)!.id, score: t === '' ? null : Number(t), note: cellText(r.cells.note).trim() || null };
  });
  return putOtherWork(db, actor, { month: q.month, items }, 'imported', now);
}

export { scoreScope, type ScopeScores };
