// Small pieces the scorecard screens share: period keys, formulas in words, the traffic light,
// the trend arrow and the tier tag.
import { Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n, type I18n, type Lang, type TKey } from '../../i18n';
import type { Fact, Indicator, IndicatorValue, PeriodType, Tier } from './api';

// ------------------------------------------------------------------ periods

/** The key the API takes: month 202611, quarter 2026Q4, year 2026. */
export function periodKeyOf(type: PeriodType, d: Dayjs): string {
  if (type === 'monthly') return d.format('YYYYMM');
  if (type === 'quarterly') return `${d.year()}Q${Math.floor(d.month() / 3) + 1}`;
  return String(d.year());
}

/** A key back to its type and first day; null when it is none of the three forms. */
export function parsePeriodKey(key: string | null | undefined): { type: PeriodType; start: Dayjs } | null {
  if (!key) return null;
  let m = /^(\d{4})(\d{2})$/.exec(key);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { type: 'monthly', start: dayjs(new Date(Number(m[1]), Number(m[2]) - 1, 1)) };
  m = /^(\d{4})Q([1-4])$/.exec(key);
  if (m) return { type: 'quarterly', start: dayjs(new Date(Number(m[1]), (Number(m[2]) - 1) * 3, 1)) };
  m = /^(\d{4})$/.exec(key);
  if (m) return { type: 'yearly', start: dayjs(new Date(Number(m[1]), 0, 1)) };
  return null;
}

export const currentMonthKey = () => dayjs().format('YYYYMM');

/** A period's first day; the API refuses periods not yet begun. */
export function periodStart(type: PeriodType, d: Dayjs): Dayjs {
  return type === 'monthly' ? d.startOf('month') : type === 'quarterly' ? d.month(Math.floor(d.month() / 3) * 3).startOf('month') : d.startOf('year');
}

/** The n month keys ending with the period's last month (or this month, if the period is still running). */
export function trendMonths(periodEnd: string, n = 6): string[] {
  let last = dayjs(periodEnd).startOf('month');
  if (last.isAfter(dayjs(), 'month')) last = dayjs().startOf('month');
  return Array.from({ length: n }, (_, i) => last.subtract(n - 1 - i, 'month').format('YYYYMM'));
}

/** A period key for people: 2026年11月, 2026年第4季度, 2026年 (or Nov 2026, 2026 Q4, 2026). */
export function periodLabel(key: string, lang: Lang): string {
  const p = parsePeriodKey(key);
  if (!p) return key;
  const y = p.start.year();
  if (p.type === 'monthly') return lang === 'zh' ? `${y}年${p.start.month() + 1}月` : p.start.locale('en').format('MMM YYYY');
  if (p.type === 'quarterly') return lang === 'zh' ? `${y}年第${Math.floor(p.start.month() / 3) + 1}季度` : `${y} Q${Math.floor(p.start.month() / 3) + 1}`;
  return lang === 'zh' ? `${y}年` : String(y);
}

// ------------------------------------------------------------------ texts

/** The API's messages read '中文 (English)': the part for the current language. */
export function inLang(text: string | null | undefined, lang: Lang): string {
  if (!text) return '';
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(text);
  if (!m) return text;
  return lang === 'zh' ? m[1]! : m[2]!;
}

export const indicatorName = (i: Pick<Indicator, 'name' | 'nameEn'>, lang: Lang) => (lang === 'en' && i.nameEn ? i.nameEn : i.name);
export const factName = (f: Fact | undefined, key: string, lang: Lang) => (f ? (lang === 'en' ? f.en : f.zh) : key);

/** The facts a formula names, in the order they appear (the numerator first). */
export function formulaFacts(formula: string, known: Fact[]): string[] {
  const keys = new Set(known.map((f) => f.key));
  const out: string[] = [];
  for (const m of formula.matchAll(/[a-z_][a-z0-9_]*/g)) if (keys.has(m[0]) && !out.includes(m[0])) out.push(m[0]);
  return out;
}

/** 'cases_overdue / cases_due * 100' → '超期未处置数 ÷ 应处置数（…） × 100'. */
export function formulaInWords(formula: string, known: Fact[], lang: Lang): string {
  const by = new Map(known.map((f) => [f.key, f]));
  return formula
    .replace(/[a-z_][a-z0-9_]*/g, (k) => (by.has(k) ? factName(by.get(k), k, lang) : k))
    .replace(/\s*\*\s*/g, ' × ').replace(/\s*\/\s*/g, ' ÷ ');
}

/** Times from the API come as ISO strings or as PostgreSQL text ('2026-11-23 01:07:27.473+00'). */
export function fmtTime(v: string | null | undefined): string {
  if (!v) return '';
  const d = dayjs(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : v;
}

// ------------------------------------------------------------------ colours, arrows, tiers

/** Light backgrounds so the numbers stay readable (and print). */
export const COLOUR_BG: Record<string, string> = { green: '#d9f7be', yellow: '#fff1b8', red: '#ffccc7' };
export const COLOUR_KEY: Record<string, TKey> = { green: 'cardGreen', yellow: 'cardYellow', red: 'cardRed' };

/** The legend of an indicator in words: 绿 ≥ 90，黄 ≥ 75，其余为红. */
export function legendText(i: Indicator, t: I18n['t']): string {
  const op = i.direction === 'up' ? '≥' : '≤';
  return t('cardLegend', { g: `${op} ${i.green}`, y: `${op} ${i.yellow}` });
}

/** ↑/↓ against the previous period, green when it got better and red when worse. */
export function Trend({ value, previous, direction = 'up', unit = '' }: { value: number | null; previous: number | null | undefined; direction?: 'up' | 'down'; unit?: string }) {
  const { t } = useI18n();
  if (value === null || previous === null || previous === undefined || value === previous) return null;
  const up = value > previous;
  const good = up === (direction === 'up');
  return (
    <Tooltip title={t('cardPrevious', { v: `${previous}${unit}` })}>
      <span className="sc-trend" data-trend={up ? 'up' : 'down'} style={{ color: good ? '#389e0d' : '#cf1322' }}>{up ? '↑' : '↓'}</span>
    </Tooltip>
  );
}

const TIER_COLOUR: Record<Tier, string> = { excellent: 'green', good: 'blue', pass: 'gold', fail: 'red' };
const TIER_KEY: Record<Tier, TKey> = { excellent: 'cardTierExcellent', good: 'cardTierGood', pass: 'cardTierPass', fail: 'cardTierFail' };
export const tierName = (tier: Tier, t: I18n['t']) => t(TIER_KEY[tier]);

export function TierTag({ tier }: { tier: Tier | null | undefined }) {
  const { t } = useI18n();
  if (!tier) return null;
  return <Tag color={TIER_COLOUR[tier]} style={{ marginInlineEnd: 0 }} data-testid="sc-tier" data-tier={tier}>{tierName(tier, t)}</Tag>;
}

/** One indicator's value as a coloured cell body: the number, the arrow, thin data greyed. */
export function ValueText({ v, ind, previous }: { v: IndicatorValue | undefined; ind: Indicator; previous: number | null | undefined }) {
  if (!v || v.value === null) return <span className="sc-none">—</span>;
  return <span className="sc-value">{v.value}<Trend value={v.value} previous={previous} direction={ind.direction} unit={ind.unit} /></span>;
}
