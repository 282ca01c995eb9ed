// The scoring rules as pure functions: formulas over facts, an indicator's value, colour and
// 0–100 score, the environment score (the 40%), the composite, rankings, tiers and the monthly
// observation picks. No clock, no database.
import jsep from 'jsep';
import type { ErrorDetail } from '../../lib/errors.js';
import { isFactKey, type FactKey, type Facts } from './facts.js';

type Problem = ErrorDetail;

// ------------------------------------------------------------------ formulas

export type Formula = jsep.Expression;
const OPS = new Set(['+', '-', '*', '/']);

/** A formula's syntax tree and the facts it names, or the problem with it in words. */
export function parseFormula(text: unknown): { ast: Formula; facts: FactKey[] } | { problem: string } {
  if (typeof text !== 'string' || !text.trim()) return { problem: '公式不能为空 (the formula is empty)' };
  if (text.length > 300) return { problem: '公式过长，最多 300 个字符 (at most 300 characters)' };
  let ast: Formula;
  try {
    ast = jsep(text);
  } catch (e) {
    return { problem: `公式无法解析：${(e as Error).message} (cannot parse the formula)` };
  }
  const facts = new Set<FactKey>();
  const walk = (n: Formula): string | null => {
    switch (n.type) {
      case 'Literal':
        return typeof n.value === 'number' && Number.isFinite(n.value) ? null : `只能使用数字常量：${String(n.raw)} (numbers only)`;
      case 'Identifier': {
        const name = String(n.name);
        if (!isFactKey(name)) return `未知的事实：${name} (unknown fact; see GET /api/v1/scores/facts)`;
        facts.add(name);
        return null;
      }
      case 'BinaryExpression':
        if (!OPS.has(String(n.operator))) return `不支持的运算符：${String(n.operator)} (only + - * / and brackets)`;
        return walk(n.left as Formula) ?? walk(n.right as Formula);
      case 'UnaryExpression':
        if (n.operator !== '-' && n.operator !== '+') return `不支持的运算符：${String(n.operator)} (only + - * / and brackets)`;
        return walk(n.argument as Formula);
      default:
        return `公式只能包含事实名、数字、+ - * / 和括号 (found ${n.type})`;
    }
  };
  const problem = walk(ast);
  if (problem) return { problem };
  if (facts.size === 0) return { problem: '公式至少要引用一个事实 (name at least one fact)' };
  return { ast, facts: [...facts] };
}

/** The formula's value over the facts; null when it divides by zero (no data). */
export function evalFormula(ast: Formula, facts: Facts): number | null {
  const ev = (n: Formula): number | null => {
    switch (n.type) {
      case 'Literal': return n.value as number;
      case 'Identifier': return facts[n.name as FactKey] ?? 0;
      case 'UnaryExpression': {
        const v = ev(n.argument as Formula);
        return v === null ? null : n.operator === '-' ? -v : v;
      }
      case 'BinaryExpression': {
        const a = ev(n.left as Formula);
        const b = ev(n.right as Formula);
        if (a === null || b === null) return null;
        switch (n.operator) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          default: return b === 0 ? null : a / b;
        }
      }
      default: return null;
    }
  };
  const v = ev(ast);
  return v === null || !Number.isFinite(v) ? null : v;
}

// ------------------------------------------------------------------ indicators

export type Direction = 'up' | 'down';
export type Colour = 'green' | 'yellow' | 'red';
/** Units whose values already run 0–100 and score as themselves (a rate, a checklist percentage). */
export const PERCENT_UNITS = ['%', '分'];
export const PERIOD_TYPES = ['monthly', 'quarterly', 'yearly'] as const;

export interface Indicator {
  id?: number;
  code: string;
  name: string;
  nameEn?: string | null;
  formula: string;
  direction: Direction;
  unit: string;
  target: number | null;
  green: number;
  yellow: number;
  baseFact: FactKey | null;
  minBase: number;
  periodTypes: string[];
  sort?: number;
  active?: boolean;
}

/** Every problem with an indicator, field by field; empty when it is usable. */
export function checkIndicator(i: Partial<Indicator>): Problem[] {
  const out: Problem[] = [];
  const p = parseFormula(i.formula);
  if ('problem' in p) out.push({ field: 'formula', message: p.problem });
  if (i.direction !== 'up' && i.direction !== 'down') out.push({ field: 'direction', message: '方向须为 up（越高越好）或 down（越低越好）' });
  if (typeof i.green !== 'number' || typeof i.yellow !== 'number' || !Number.isFinite(i.green) || !Number.isFinite(i.yellow)) {
    out.push({ field: 'green', message: '须给出绿色和黄色的阈值 (green and yellow thresholds)' });
  } else if (i.direction === 'up' && i.green < i.yellow) {
    out.push({ field: 'green', message: `越高越好的指标，绿色阈值（${i.green}）不能低于黄色阈值（${i.yellow}） (thresholds out of order)` });
  } else if (i.direction === 'down' && i.green > i.yellow) {
    out.push({ field: 'green', message: `越低越好的指标，绿色阈值（${i.green}）不能高于黄色阈值（${i.yellow}） (thresholds out of order)` });
  }
  if (!i.unit || typeof i.unit !== 'string') out.push({ field: 'unit', message: '须给出单位（如 %、分、人次）' });
  else if (!PERCENT_UNITS.includes(i.unit) && !(typeof i.target === 'number' && i.target > 0)) {
    out.push({ field: 'target', message: `单位为「${i.unit}」的指标须给出大于 0 的目标值，得分按目标折算 (a target above 0 is needed)` });
  }
  if (i.baseFact != null && !isFactKey(i.baseFact)) out.push({ field: 'baseFact', message: `未知的事实：${String(i.baseFact)}` });
  if (i.minBase != null && (!Number.isInteger(i.minBase) || i.minBase < 0)) out.push({ field: 'minBase', message: '最少数据量须为不小于 0 的整数' });
  if (!Array.isArray(i.periodTypes) || i.periodTypes.length === 0 || i.periodTypes.some((t) => !(PERIOD_TYPES as readonly string[]).includes(t))) {
    out.push({ field: 'periodTypes', message: `周期须为 ${PERIOD_TYPES.join('、')} 中的一个或多个` });
  }
  return out;
}

const clamp = (v: number) => Math.max(0, Math.min(100, v));

/** An indicator's 0–100 score: a rate scores as itself (or 100 minus it when lower is better), anything else against its target. */
export function indicatorScore(ind: Pick<Indicator, 'direction' | 'unit' | 'target'>, value: number): number {
  if (PERCENT_UNITS.includes(ind.unit)) return clamp(ind.direction === 'up' ? value : 100 - value);
  const target = ind.target && ind.target > 0 ? ind.target : 1;
  if (ind.direction === 'up') return clamp((100 * value) / target);
  return value <= target ? 100 : clamp((100 * target) / value);
}

/** The traffic light of a value (as DHIS2 scorecards colour them). */
export function colourOf(ind: Pick<Indicator, 'direction' | 'green' | 'yellow'>, value: number): Colour {
  if (ind.direction === 'up') return value >= ind.green ? 'green' : value >= ind.yellow ? 'yellow' : 'red';
  return value <= ind.green ? 'green' : value <= ind.yellow ? 'yellow' : 'red';
}

export interface IndicatorValue {
  code: string;
  value: number | null;
  base: number | null;
  /** below the indicator's minimum data: shown, but neither scored nor ranked */
  thin: boolean;
  colour: Colour | null;
  score: number | null;
}

export type ParsedIndicator = Indicator & { ast: Formula };

export function prepare(ind: Indicator): ParsedIndicator {
  const p = parseFormula(ind.formula);
  if ('problem' in p) throw new Error(`indicator ${ind.code}: ${p.problem}`);
  return { ...ind, ast: p.ast };
}

export function evaluate(ind: ParsedIndicator, facts: Facts): IndicatorValue {
  const value = evalFormula(ind.ast, facts);
  const base = ind.baseFact ? facts[ind.baseFact] : null;
  const thin = base !== null && base < ind.minBase;
  const shown = value === null ? null : round2(value);
  return {
    code: ind.code, value: shown, base, thin,
    colour: shown === null || thin ? null : colourOf(ind, shown),
    score: shown === null || thin ? null : round2(indicatorScore(ind, shown)),
  };
}

const round2Exact = (v: number) => (String(v).includes('e') ? Math.round(v * 100) / 100 : Number(`${Math.round(Number(`${v}e2`))}e-2`));
/**
 * Rounds half up to 2 decimals as a person would (80.665 → 80.67; binary floats alone give 80.66).
 * Only values next to a half go through the exact (decimal string) path; the rest round directly.
 */
export const round2 = (v: number) => {
  const x = v * 100;
  const r = Math.round(x);
  // (+ 0 turns a -0 into 0, so a tiny negative never shows as "-0")
  return (Number.isFinite(x) && Math.abs(Math.abs(x - r) - 0.5) > 1e-6 ? r / 100 : round2Exact(v)) + 0;
};

// ------------------------------------------------------------------ weights and the composite

export interface Weights { environment: number; other: number; indicators: Record<string, number> }

const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/** Every problem with a weight set: both levels must add up to 100%, and name only known indicators. */
export function checkWeights(w: Partial<Weights>, indicatorCodes: string[]): Problem[] {
  const out: Problem[] = [];
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100;
  if (!num(w.environment) || !num(w.other)) out.push({ field: 'environment', message: '环境整治和其他工作的权重须为 0–100 的数' });
  else if (!near(w.environment! + w.other!, 100)) {
    out.push({ field: 'environment', message: `环境整治（${w.environment}%）与其他工作（${w.other}%）的权重合计须为 100%，现为 ${round2(w.environment! + w.other!)}%` });
  }
  const ind = w.indicators ?? {};
  if (typeof ind !== 'object' || Array.isArray(ind)) {
    out.push({ field: 'indicators', message: '指标权重须为「指标代码: 权重」' });
    return out;
  }
  let sum = 0;
  for (const [code, v] of Object.entries(ind)) {
    if (!indicatorCodes.includes(code)) out.push({ field: `indicators.${code}`, message: `未知的指标：${code}` });
    if (!num(v)) out.push({ field: `indicators.${code}`, message: `指标 ${code} 的权重须为 0–100 的数` });
    else sum += v;
  }
  if (!near(sum, 100)) out.push({ field: 'indicators', message: `环境整治各指标的权重合计须为 100%，现为 ${round2(sum)}%` });
  return out;
}

export interface VillageScore {
  values: IndicatorValue[];
  /** the environment-remediation score, 0–100 */
  environment: number | null;
  other: number | null;
  composite: number | null;
  /** why there is no composite, in words */
  reason: string | null;
}

/**
 * One village's scores. The environment score is the weighted mean of its indicators' scores;
 * an indicator without data (or with too little) drops out and the others' weights share its part.
 */
export function scoreVillage(facts: Facts, indicators: ParsedIndicator[], weights: Weights, other: number | null): VillageScore {
  const values = indicators.map((i) => evaluate(i, facts));
  let wsum = 0;
  let acc = 0;
  for (const v of values) {
    const w = weights.indicators[v.code] ?? 0;
    if (w > 0 && v.score !== null) {
      wsum += w;
      acc += w * v.score;
    }
  }
  const environment = wsum > 0 ? round2(acc / wsum) : null;
  let composite: number | null = null;
  let reason: string | null = null;
  if (environment === null) reason = '环境整治数据不足，不参与排名 (too little data)';
  else if (other === null && weights.other > 0) reason = '其他工作得分未录入，不参与排名 (other-work score missing)';
  else composite = round2((weights.environment * environment + weights.other * (other ?? 0)) / 100);
  return { values, environment, other, composite, reason };
}

// ------------------------------------------------------------------ rankings and tiers

/**
 * Competition ranking ("1224"), highest first; equal values (to 0.01) share a rank. Items without a
 * value get no rank. The result never depends on the input order.
 */
export function rankBy<T>(items: T[], value: (t: T) => number | null, key: (t: T) => string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const ranked = items.filter((t) => value(t) !== null).map((t) => ({ v: round2(value(t)!), k: key(t) }))
    .sort((a, b) => b.v - a.v || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  let rank = 0;
  ranked.forEach((t, i) => {
    if (i === 0 || t.v !== ranked[i - 1]!.v) rank = i + 1;
    out.set(t.k, rank);
  });
  for (const t of items) if (!out.has(key(t))) out.set(key(t), null);
  return out;
}

export type Tier = 'excellent' | 'good' | 'pass' | 'fail';
export const TIERS: Tier[] = ['excellent', 'good', 'pass', 'fail'];
export const TIER_ZH: Record<Tier, string> = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' };

export interface ScoreSettings {
  tiers: { mode: 'threshold' | 'share'; thresholds: { excellent: number; good: number; pass: number }; shares: { excellent: number; good: number; pass: number } };
  /** how many villages each of the red and the black list names */
  redBlackSize: number;
  /** yuan per village for each tier of the quarterly rating */
  rewards: Record<Tier, number>;
  /** how many top villages the annual award honours */
  annualAwardCount: number;
  /** villages picked per district for the monthly observation, best and worst each */
  picksPerDistrict: number;
}

export const DEFAULT_SETTINGS: ScoreSettings = {
  tiers: { mode: 'threshold', thresholds: { excellent: 90, good: 80, pass: 60 }, shares: { excellent: 20, good: 30, pass: 40 } },
  redBlackSize: 5,
  rewards: { excellent: 5000, good: 3000, pass: 1000, fail: 0 },
  annualAwardCount: 3,
  picksPerDistrict: 2,
};

export function checkSettings(s: ScoreSettings): Problem[] {
  const out: Problem[] = [];
  const { thresholds: t, shares } = s.tiers;
  if (!(t.excellent > t.good && t.good > t.pass)) {
    out.push({ field: 'tiers.thresholds', message: `等次分数线须从高到低：优秀（${t.excellent}）> 良好（${t.good}）> 合格（${t.pass}） (thresholds out of order)` });
  }
  for (const [k, v] of Object.entries(t)) if (!(v >= 0 && v <= 100)) out.push({ field: `tiers.thresholds.${k}`, message: '分数线须在 0–100 之间' });
  const shareSum = shares.excellent + shares.good + shares.pass;
  if (Object.values(shares).some((v) => !(v >= 0 && v <= 100)) || shareSum > 100) {
    out.push({ field: 'tiers.shares', message: `按比例评定时，优秀、良好、合格所占比例合计不能超过 100%，现为 ${shareSum}%` });
  }
  if (!(s.rewards.excellent >= s.rewards.good && s.rewards.good >= s.rewards.pass && s.rewards.pass >= s.rewards.fail)) {
    out.push({ field: 'rewards', message: '奖励金额须按等次从高到低 (rewards out of order)' });
  }
  return out;
}

/** Tiers by thresholds on the composite, or by shares of the ranking (a tie on a boundary takes the better tier). */
export function assignTiers(items: { key: string; composite: number | null; rank: number | null }[], settings: ScoreSettings['tiers']): Map<string, Tier | null> {
  const out = new Map<string, Tier | null>();
  const ranked = items.filter((i) => i.composite !== null && i.rank !== null);
  for (const i of items) out.set(i.key, null);
  if (settings.mode === 'threshold') {
    const t = settings.thresholds;
    for (const i of ranked) {
      const c = i.composite!;
      out.set(i.key, c >= t.excellent ? 'excellent' : c >= t.good ? 'good' : c >= t.pass ? 'pass' : 'fail');
    }
    return out;
  }
  const n = ranked.length;
  const cut1 = Math.round((n * settings.shares.excellent) / 100);
  const cut2 = cut1 + Math.round((n * settings.shares.good) / 100);
  const cut3 = cut2 + Math.round((n * settings.shares.pass) / 100);
  for (const i of ranked) {
    // rank r holds places r..; a tie group starting inside a band belongs to that band
    const place = i.rank!;
    out.set(i.key, place <= cut1 ? 'excellent' : place <= cut2 ? 'good' : place <= cut3 ? 'pass' : 'fail');
  }
  return out;
}

// ------------------------------------------------------------------ monthly observation picks

export interface PickCandidate {
  id: number;
  code: string;
  name: string;
  districtId: number;
  environment: number | null;
  overdue: number;
  values: IndicatorValue[];
}
export interface ObservationPick { id: number; code: string; name: string; environment: number; reasons: { code: string; value: number; score: number }[]; tie: boolean }
export interface DistrictPicks { districtId: number; best: ObservationPick[]; worst: ObservationPick[]; thin: { id: number; name: string }[] }

/**
 * For each district, the n best and n worst villages by environment score. Order: score, then
 * fewer overdue cases, then code, so the picks never depend on the input order. Villages with too
 * little data are listed apart, never picked. A district with fewer than 2n villages splits them.
 * `tie` marks a pick whose score equals the first village left out.
 */
export function observationPicks(list: PickCandidate[], n: number): DistrictPicks[] {
  const byDistrict = new Map<number, PickCandidate[]>();
  for (const v of list) byDistrict.set(v.districtId, [...(byDistrict.get(v.districtId) ?? []), v]);
  const out: DistrictPicks[] = [];
  for (const [districtId, vs] of [...byDistrict].sort((a, b) => a[0] - b[0])) {
    const scored = vs.filter((v) => v.environment !== null)
      .sort((a, b) => b.environment! - a.environment! || a.overdue - b.overdue || (a.code < b.code ? -1 : 1));
    const nBest = Math.min(n, Math.ceil(scored.length / 2));
    const nWorst = Math.min(n, scored.length - nBest);
    const best = scored.slice(0, nBest);
    const worst = scored.slice(scored.length - nWorst).reverse();
    const rest = scored.slice(nBest, scored.length - nWorst);
    const pick = (v: PickCandidate, isBest: boolean, boundary: PickCandidate | undefined): ObservationPick => {
      const reasons = v.values.filter((x) => x.score !== null && x.value !== null)
        .sort((a, b) => (isBest ? b.score! - a.score! : a.score! - b.score!) || (a.code < b.code ? -1 : 1))
        .slice(0, 3).map((x) => ({ code: x.code, value: x.value!, score: x.score! }));
      return { id: v.id, code: v.code, name: v.name, environment: v.environment!, reasons, tie: boundary !== undefined && boundary.environment === v.environment };
    };
    out.push({
      districtId,
      best: best.map((v) => pick(v, true, rest[0])),
      worst: worst.map((v) => pick(v, false, rest[rest.length - 1])),
      thin: vs.filter((v) => v.environment === null).map((v) => ({ id: v.id, name: v.name })).sort((a, b) => a.id - b.id),
    });
  }
  return out;
}
