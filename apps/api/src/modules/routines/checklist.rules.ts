// Checklist templates, answers and scoring, as pure functions.
//
// A template is a list of items in sections. Two kinds are scored: 'yes_no' (full weight if yes,
// nothing if no) and 'score' (weight × value / maxScore). The other kinds record facts: 'count' (a
// whole number ≥ 0), 'photo' (photo ids; required means at least one) and 'note' (text); they
// carry weight 0. The weights of the scored items add up to 100 (a template with no scored items
// at all, e.g. a turnout sheet, is allowed and scores null).
//
// Scoring: 'na' (not applicable, yes_no and score only) leaves the item out of the denominator;
// an unanswered scored item (no answer, or value null — only possible for a draft or an optional
// item) counts as 0 out of its weight. A failed item — yes_no answered no, or a score below half of
// its maxScore — is listed with its category so it can become a case in one tap.
import { badInput, type ErrorDetail } from '../../lib/errors.js';

export type ItemKind = 'yes_no' | 'score' | 'count' | 'photo' | 'note';
export const ITEM_KINDS: readonly ItemKind[] = ['yes_no', 'score', 'count', 'photo', 'note'];
export const SCORED_KINDS: readonly ItemKind[] = ['yes_no', 'score'];
export const isScored = (kind: ItemKind) => kind === 'yes_no' || kind === 'score';

export interface ChecklistItem {
  /** stable key within the template */
  id: string;
  section: string;
  label: string;
  kind: ItemKind;
  /** ≥ 0; 0 for count, photo and note */
  weight: number;
  /** for 'score': the top of the scale, an integer N ≥ 1 (scores run 0..N) */
  maxScore?: number;
  required?: boolean;
  /** the case category a failure becomes */
  categoryCode?: string;
}
export interface ChecklistTemplate { name: string; items: ChecklistItem[] }

export interface Answer {
  itemId: string;
  value: boolean | number | 'na' | null;
  note?: string;
  photoIds?: number[];
}

export interface FailedItem {
  itemId: string;
  section: string;
  label: string;
  categoryCode: string | null;
  note: string | null;
  photoIds: number[];
}
export interface ItemContribution {
  itemId: string;
  /** points earned */
  earned: number;
  /** points possible: the weight, or 0 when 'na' */
  possible: number;
  na: boolean;
}
export interface ScoreResult {
  score: number;
  max: number;
  /** 0..100 with 2 decimals; null when nothing is scorable (no scored items, or all 'na') */
  percent: number | null;
  failed: FailedItem[];
  /** one row per scored item, in template order */
  contributions: ItemContribution[];
}

export type Problem = { field: string; message: string };

export const WEIGHT_TOTAL = 100;
export const WEIGHT_TOLERANCE = 0.001;
export const MAX_ITEMS = 500;
const MAX_TEXT = 500;

const KIND_ZH: Record<ItemKind, string> = { yes_no: '是/否', score: '评分', count: '计数', photo: '照片', note: '备注' };
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

// ------------------------------------------------------------------ templates

/** Every problem with a template, field by field ('items[3].weight'); empty when it is usable. */
export function checkTemplate(t: unknown): Problem[] {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) {
    return [{ field: 'template', message: '检查表应为对象 {name, items} (template must be an object {name, items})' }];
  }
  const v = t as Record<string, unknown>;
  const out: Problem[] = [];
  if (!isText(v.name)) out.push({ field: 'name', message: '检查表名称不能为空 (name is required)' });
  else if (v.name.length > MAX_TEXT) out.push({ field: 'name', message: `名称过长（最多 ${MAX_TEXT} 字） (name too long)` });
  if (!Array.isArray(v.items) || v.items.length === 0) {
    out.push({ field: 'items', message: '检查表至少需要一个检查项 (a checklist needs at least one item)' });
    return out;
  }
  if (v.items.length > MAX_ITEMS) {
    out.push({ field: 'items', message: `检查项过多（最多 ${MAX_ITEMS} 项） (at most ${MAX_ITEMS} items)` });
    return out;
  }
  const seen = new Map<string, number>();
  let total = 0;
  let scored = 0;
  v.items.forEach((raw, i) => {
    const f = (name: string) => `items[${i}].${name}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      out.push({ field: `items[${i}]`, message: `第 ${i + 1} 项应为对象 (item must be an object)` });
      return;
    }
    const it = raw as Record<string, unknown>;
    if (!isText(it.id)) out.push({ field: f('id'), message: `第 ${i + 1} 项缺少编号 (item id is required)` });
    else if (it.id.length > 64) out.push({ field: f('id'), message: `第 ${i + 1} 项编号过长（最多 64 字符） (id too long)` });
    else if (seen.has(it.id)) {
      out.push({ field: f('id'), message: `检查项编号“${it.id}”重复（第 ${seen.get(it.id)! + 1} 项已用） (duplicate item id)` });
    } else seen.set(it.id, i);
    if (!isText(it.section)) out.push({ field: f('section'), message: `第 ${i + 1} 项的分组不能为空 (section is required)` });
    if (!isText(it.label)) out.push({ field: f('label'), message: `第 ${i + 1} 项的内容不能为空 (label is required)` });
    else if (it.label.length > MAX_TEXT) out.push({ field: f('label'), message: `第 ${i + 1} 项内容过长 (label too long)` });
    const kindOk = ITEM_KINDS.includes(it.kind as ItemKind);
    if (!kindOk) {
      out.push({ field: f('kind'), message: `第 ${i + 1} 项类型未知：${JSON.stringify(it.kind)} (kind: one of ${ITEM_KINDS.join(', ')})` });
    }
    const kind = it.kind as ItemKind;
    if (!finite(it.weight) || it.weight < 0) {
      out.push({ field: f('weight'), message: `第 ${i + 1} 项的权重应为不小于 0 的数 (weight must be a number ≥ 0)` });
    } else if (kindOk && !isScored(kind) && it.weight !== 0) {
      out.push({ field: f('weight'), message: `第 ${i + 1} 项为${KIND_ZH[kind]}项，不计分，权重应为 0 (${kind} items are not scored: weight 0)` });
    } else if (kindOk && isScored(kind)) {
      total += it.weight;
      scored++;
    }
    if (kind === 'score') {
      if (!Number.isInteger(it.maxScore) || (it.maxScore as number) < 1) {
        out.push({ field: f('maxScore'), message: `第 ${i + 1} 项为评分项，需要满分 N（不小于 1 的整数） (score items need maxScore, an integer ≥ 1)` });
      }
    } else if (kindOk && it.maxScore !== undefined) {
      out.push({ field: f('maxScore'), message: `第 ${i + 1} 项不是评分项，不应有满分 (maxScore is only for score items)` });
    }
    if (it.required !== undefined && typeof it.required !== 'boolean') {
      out.push({ field: f('required'), message: `第 ${i + 1} 项的“必填”应为是或否 (required must be true or false)` });
    }
    if (it.categoryCode !== undefined && it.categoryCode !== null && !isText(it.categoryCode)) {
      out.push({ field: f('categoryCode'), message: `第 ${i + 1} 项的案件类别编码不能为空字符串 (categoryCode must be a non-empty string)` });
    }
  });
  if (scored > 0 && Math.abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE) {
    out.push({
      field: 'items',
      message: `计分项（是/否、评分）的权重合计应为 ${WEIGHT_TOTAL}，现为 ${round(total, 3)} (weights of the scored items must add up to ${WEIGHT_TOTAL}, they add up to ${round(total, 3)})`,
    });
  }
  return out;
}

/** The template itself when usable; otherwise a 400 listing every problem. */
export function assertTemplate(t: unknown): ChecklistTemplate {
  const problems = checkTemplate(t);
  if (problems.length) throw badInput(`检查表无效：${problems[0]!.message}`, problems as ErrorDetail[]);
  return t as ChecklistTemplate;
}

// ------------------------------------------------------------------ answers

/**
 * Every problem with a set of answers to a (valid) template. With `draft: true` missing required
 * answers are allowed (a result being filled in); the shapes are still checked.
 */
export function checkAnswers(t: ChecklistTemplate, answers: unknown, opts: { draft?: boolean } = {}): Problem[] {
  if (!Array.isArray(answers)) return [{ field: 'answers', message: '答案应为数组 (answers must be an array)' }];
  const items = new Map(t.items.map((it) => [it.id, it]));
  const given = new Map<string, Answer>();
  const out: Problem[] = [];
  answers.forEach((raw, i) => {
    const f = (name: string) => `answers[${i}].${name}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      out.push({ field: `answers[${i}]`, message: `第 ${i + 1} 个答案应为对象 (answer must be an object)` });
      return;
    }
    const a = raw as Record<string, unknown>;
    const item = typeof a.itemId === 'string' ? items.get(a.itemId) : undefined;
    if (!item) {
      out.push({ field: f('itemId'), message: `检查表中没有编号为 ${JSON.stringify(a.itemId)} 的检查项 (unknown item id)` });
      return;
    }
    if (given.has(item.id)) {
      out.push({ field: f('itemId'), message: `检查项“${item.label}”回答了两次 (item answered twice)` });
      return;
    }
    given.set(item.id, a as unknown as Answer);
    const where = `检查项“${item.label}”`;
    const v = a.value;
    if (v === 'na' && !isScored(item.kind)) {
      out.push({ field: f('value'), message: `${where}为${KIND_ZH[item.kind]}项，不能选“不适用” (only yes/no and score items may be 'na')` });
    } else if (v !== null && v !== undefined && v !== 'na') {
      switch (item.kind) {
        case 'yes_no':
          if (typeof v !== 'boolean') out.push({ field: f('value'), message: `${where}应回答是或否 (yes_no: true, false or 'na')` });
          break;
        case 'score':
          if (!finite(v) || v < 0 || v > (item.maxScore ?? 0)) {
            out.push({ field: f('value'), message: `${where}的得分应在 0–${item.maxScore} 之间 (score must be within 0..${item.maxScore})` });
          }
          break;
        case 'count':
          if (!Number.isInteger(v) || (v as number) < 0) {
            out.push({ field: f('value'), message: `${where}的数量应为不小于 0 的整数 (count must be a whole number ≥ 0)` });
          }
          break;
        case 'photo':
        case 'note':
          out.push({ field: f('value'), message: `${where}为${KIND_ZH[item.kind]}项，内容填在 ${item.kind === 'photo' ? 'photoIds' : 'note'} 中，value 应为空 (value must be null for ${item.kind} items)` });
          break;
      }
    }
    if (a.note !== undefined && a.note !== null && typeof a.note !== 'string') {
      out.push({ field: f('note'), message: `${where}的备注应为文字 (note must be text)` });
    } else if (typeof a.note === 'string' && a.note.length > 2000) {
      out.push({ field: f('note'), message: `${where}的备注过长（最多 2000 字） (note too long)` });
    }
    if (a.photoIds !== undefined && a.photoIds !== null
      && (!Array.isArray(a.photoIds) || !a.photoIds.every((p) => Number.isInteger(p) && p > 0))) {
      out.push({ field: f('photoIds'), message: `${where}的照片编号应为正整数数组 (photoIds must be an array of positive integers)` });
    } else if (Array.isArray(a.photoIds) && new Set(a.photoIds).size !== a.photoIds.length) {
      out.push({ field: f('photoIds'), message: `${where}的照片重复 (duplicate photo ids)` });
    }
  });
  if (!opts.draft) {
    for (const item of t.items) {
      if (!item.required) continue;
      const a = given.get(item.id);
      const field = `items.${item.id}`;
      if (item.kind === 'photo') {
        if (!a || !Array.isArray(a.photoIds) || a.photoIds.length === 0) {
          out.push({ field, message: `检查项“${item.label}”必须上传照片 (a photo is required)` });
        }
      } else if (item.kind === 'note') {
        if (!a || !isText(a.note)) out.push({ field, message: `检查项“${item.label}”必须填写 (a note is required)` });
      } else if (!a || a.value === null || a.value === undefined) {
        out.push({ field, message: `检查项“${item.label}”为必答项 (this item must be answered)` });
      }
    }
  }
  return out;
}

/** A 400 listing every problem with the answers, or nothing. */
export function assertAnswers(t: ChecklistTemplate, answers: unknown, opts: { draft?: boolean } = {}): Answer[] {
  const problems = checkAnswers(t, answers, opts);
  if (problems.length) throw badInput(`检查结果无效：${problems[0]!.message}`, problems as ErrorDetail[]);
  return answers as Answer[];
}

// ------------------------------------------------------------------ scoring

/**
 * The score of a set of answers. The answers' shapes are checked (a 400 if wrong); missing required
 * answers are not (a draft may be scored) — call checkAnswers/assertAnswers before accepting a result.
 */
export function scoreResult(t: ChecklistTemplate, answers: readonly Answer[]): ScoreResult {
  assertAnswers(t, answers, { draft: true });
  const byItem = new Map(answers.map((a) => [a.itemId, a]));
  const contributions: ItemContribution[] = [];
  const failed: FailedItem[] = [];
  let score = 0;
  let max = 0;
  for (const item of t.items) {
    if (!isScored(item.kind)) continue;
    const a = byItem.get(item.id);
    const v = a?.value ?? null;
    if (v === 'na') {
      contributions.push({ itemId: item.id, earned: 0, possible: 0, na: true });
      continue;
    }
    let earned = 0;
    let fail = false;
    if (item.kind === 'yes_no') {
      earned = v === true ? item.weight : 0;
      fail = v === false;
    } else if (typeof v === 'number') {
      const top = item.maxScore!;
      earned = (item.weight * v) / top;
      fail = v < top / 2;
    }
    contributions.push({ itemId: item.id, earned, possible: item.weight, na: false });
    score += earned;
    max += item.weight;
    if (fail) {
      failed.push({
        itemId: item.id, section: item.section, label: item.label, categoryCode: item.categoryCode ?? null,
        note: a?.note && a.note.trim() ? a.note : null, photoIds: a?.photoIds ?? [],
      });
    }
  }
  const percent = max > 0 ? Math.min(100, Math.max(0, round((100 * score) / max, 2))) : null;
  return { score: round(score, 6), max: round(max, 6), percent, failed, contributions };
}

/** The best answer to every scored item (yes, or full marks): for tests and a "all fine" shortcut. */
export function bestAnswers(t: ChecklistTemplate): Answer[] {
  return t.items.filter((it) => isScored(it.kind)).map((it) => ({ itemId: it.id, value: it.kind === 'yes_no' ? true : it.maxScore! }));
}
