// The rules of rewards and credit (信用赋能), pure: which points rule applies to an event, the
// bounty's amount, balances, whether an exchange can go ahead, and a model-household round's
// winners. No database here; the services feed these rows and act on the answers.
import { createHash } from 'node:crypto';

export const POINTS_EVENTS = ['report_valid', 'report_confirmed', 'frontage_check', 'model_household'] as const;
export type PointsEvent = (typeof POINTS_EVENTS)[number];
export const FRONTAGE_GRADES = ['good', 'fair', 'poor'] as const;
export type FrontageGrade = (typeof FRONTAGE_GRADES)[number];
export const MODEL_KINDS = ['courtyard', 'family'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** Ledger kinds: the events above, an exchange in the 积分超市, and a hand adjustment. */
export const ENTRY_KINDS = [...POINTS_EVENTS, 'exchange', 'adjust'] as const;

export const EVENT_ZH: Record<PointsEvent, string> = {
  report_valid: '有效上报', report_confirmed: '上报核实结案', frontage_check: '门前三包', model_household: '示范户评选',
};
export const KIND_ZH: Record<string, string> = { ...EVENT_ZH, exchange: '积分兑换', adjust: '调整' };
export const GRADE_ZH: Record<string, string> = { good: '好', fair: '一般', poor: '差', courtyard: '最美庭院', family: '美在家庭' };
/** Which grades an event's rules may name (null: the event has no grades, rules name a category instead). */
export const EVENT_GRADES: Record<PointsEvent, readonly string[] | null> = {
  report_valid: null, report_confirmed: null, frontage_check: FRONTAGE_GRADES, model_household: MODEL_KINDS,
};

export const BOUNTY_MIN = 50;
export const BOUNTY_MAX = 1000;
export const MAX_RULE_POINTS = 10_000;
export const MAX_EXCHANGE_QUANTITY = 1000;

// ------------------------------------------------------------------ points rules

export interface PointsRule { id: number; event: string; categoryId: number | null; grade: string | null; points: number; active: boolean }
/** What happened: the event, the case's category and its parents (most specific first), the grade or award kind. */
export interface RuleContext { event: PointsEvent; categoryIds?: number[]; grade?: string | null }

/**
 * How specifically a rule fits the context, or null when it does not apply (another event, inactive,
 * another grade or category). A rule naming the case's own category beats one naming its parent
 * (大类), which beats a rule for every category; a rule naming the grade beats one for every grade.
 */
export function ruleSpecificity(rule: PointsRule, ctx: RuleContext): number | null {
  if (!rule.active || rule.event !== ctx.event) return null;
  let s = 0;
  if (rule.grade !== null) {
    if (rule.grade !== (ctx.grade ?? null)) return null;
    s += 1;
  }
  if (rule.categoryId !== null) {
    const cats = ctx.categoryIds ?? [];
    const i = cats.indexOf(rule.categoryId);
    if (i < 0) return null;
    s += 2 * (cats.length - i);
  }
  return s;
}

/** The rule that applies: the most specific active one; between equally specific ones, the newest (highest id). */
export function applicableRule<R extends PointsRule>(rules: readonly R[], ctx: RuleContext): R | null {
  let best: R | null = null;
  let bestScore = -1;
  for (const r of rules) {
    const s = ruleSpecificity(r, ctx);
    if (s === null) continue;
    if (s > bestScore || (s === bestScore && best !== null && r.id > best.id)) { best = r; bestScore = s; }
  }
  return best;
}

/** The points an event earns (0 when no rule applies). */
export const pointsFor = (rules: readonly PointsRule[], ctx: RuleContext) => applicableRule(rules, ctx)?.points ?? 0;

export interface RuleInput { event: string; categoryId: number | null; grade: string | null; points: number }

/** What is wrong with a rule, field by field (empty: fine). */
export function checkRule(r: RuleInput): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!(POINTS_EVENTS as readonly string[]).includes(r.event)) {
    out.push({ field: 'event', message: `事件应为 ${POINTS_EVENTS.join(' / ')} (unknown event)` });
    return out;
  }
  const grades = EVENT_GRADES[r.event as PointsEvent];
  if (grades === null && r.grade !== null) out.push({ field: 'grade', message: `“${EVENT_ZH[r.event as PointsEvent]}”的规则不分等级，请按事件分类区分 (no grade for this event)` });
  if (grades !== null && r.grade !== null && !grades.includes(r.grade)) {
    out.push({ field: 'grade', message: `等级应为 ${grades.map((g) => `${GRADE_ZH[g]}（${g}）`).join('、')} (unknown grade)` });
  }
  if (grades !== null && r.categoryId !== null) out.push({ field: 'categoryId', message: `“${EVENT_ZH[r.event as PointsEvent]}”的规则与事件分类无关 (no category for this event)` });
  if (!Number.isInteger(r.points) || r.points < 0 || r.points > MAX_RULE_POINTS) {
    out.push({ field: 'points', message: `积分应为 0–${MAX_RULE_POINTS} 的整数 (points: a whole number 0–${MAX_RULE_POINTS})` });
  }
  return out;
}

// ------------------------------------------------------------------ bounty (爆料奖励)

/** Why a bounty amount is refused, or null when it is a whole number of yuan from 50 to 1,000. */
export function bountyAmountProblem(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v)) {
    return `奖励金额应为整数元，${BOUNTY_MIN}–${BOUNTY_MAX} 元 (the amount is whole yuan, ${BOUNTY_MIN} to ${BOUNTY_MAX})`;
  }
  if (v < BOUNTY_MIN || v > BOUNTY_MAX) {
    return `奖励金额 ${v} 元超出范围：爆料奖励为 ${BOUNTY_MIN}–${BOUNTY_MAX} 元 (a bounty is ${BOUNTY_MIN} to ${BOUNTY_MAX} yuan)`;
  }
  return null;
}

export type BountyStatus = 'proposed' | 'approved' | 'rejected' | 'withdrawn' | 'paid';
export const BOUNTY_STATUS_ZH: Record<BountyStatus, string> = { proposed: '待审批', approved: '已批准', rejected: '未批准', withdrawn: '已撤回', paid: '已发放' };

// ------------------------------------------------------------------ balances

export const balanceOf = (deltas: readonly number[]) => deltas.reduce((s, d) => s + d, 0);

/** The entries in the order given (oldest first) with the balance after each. */
export function withRunningBalance<T extends { delta: number }>(entries: readonly T[], opening = 0): (T & { balance: number })[] {
  let b = opening;
  return entries.map((e) => { b += e.delta; return { ...e, balance: b }; });
}

// ------------------------------------------------------------------ 积分超市

export interface ExchangeCheck { balance: number; itemPoints: number; stock: number | null; active: boolean; quantity: number }
export interface Refusal { code: string; message: string }

/** Why an exchange cannot go ahead, or null: a whole quantity, an active item, enough stock (null = unlimited), enough points. */
export function exchangeRefusal(c: ExchangeCheck): Refusal | null {
  if (!Number.isInteger(c.quantity) || c.quantity < 1 || c.quantity > MAX_EXCHANGE_QUANTITY) {
    return { code: 'BAD_QUANTITY', message: `数量应为 1–${MAX_EXCHANGE_QUANTITY} 的整数 (quantity)` };
  }
  if (!c.active) return { code: 'ITEM_INACTIVE', message: '该商品已下架 (the item is no longer offered)' };
  if (c.stock !== null && c.stock < c.quantity) {
    return { code: 'OUT_OF_STOCK', message: `库存不足：剩 ${c.stock} 件，要兑换 ${c.quantity} 件 (not enough stock)` };
  }
  const cost = c.itemPoints * c.quantity;
  if (c.balance < cost) {
    return { code: 'INSUFFICIENT_POINTS', message: `积分不足：需要 ${cost} 分，余额 ${c.balance} 分 (not enough points)` };
  }
  return null;
}

// ------------------------------------------------------------------ model-household rounds

export interface RoundEntry { householdId: number; score: number | null }

/**
 * The winners of a round: the top `quota` households by score. Households tied with the last place
 * inside the quota all win (so a round may name more than `quota` winners, never fewer while enough
 * households have a score): a tie on the boundary is never broken by an arbitrary order.
 * Entries without a score do not take part.
 */
export function roundWinners(entries: readonly RoundEntry[], quota: number): number[] {
  if (!Number.isInteger(quota) || quota < 1) return [];
  const scored = entries.filter((e) => e.score !== null && Number.isFinite(e.score)).sort((a, b) => b.score! - a.score! || a.householdId - b.householdId);
  if (scored.length <= quota) return scored.map((e) => e.householdId);
  const bar = scored[quota - 1]!.score!;
  return scored.filter((e) => e.score! >= bar).map((e) => e.householdId);
}

/** A round's period: a year (2026) or a quarter (2026Q3). */
export function isRoundPeriod(p: string): boolean {
  const m = /^(\d{4})(Q[1-4])?$/.exec(p);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2100;
}

// ------------------------------------------------------------------ phones

// Phones are normalised and masked one way for the whole API (packages/shared/src/personal.ts).
export { maskPhone, normalisePhone } from '../../../../../packages/shared/src/personal.js';

/** sha-256 hex of the normalised phone: how public reports keep a reporter's phone. */
export const phoneHash = (normalised: string) => createHash('sha256').update(normalised).digest('hex');
