// Shared bits of the scores' administration screens: the tier tag, times in China, money, and the
// server's error details grouped by the field they name.
import { Tag } from 'antd';
import { ApiError } from '../../api';
import type { SaKey, SaT } from './strings';
import type { Tier } from './api';

const TIER_KEY: Record<Tier | 'medal', SaKey> = { excellent: 'tierExcellent', good: 'tierGood', pass: 'tierPass', fail: 'tierFail', medal: 'tierMedal' };
const TIER_COLOR: Record<Tier | 'medal', string> = { excellent: 'green', good: 'blue', pass: 'default', fail: 'red', medal: 'gold' };

export const tierName = (t: SaT, tier: string | null | undefined) => (tier && tier in TIER_KEY ? t(TIER_KEY[tier as Tier]) : '—');

export function TierTag({ tier, t, testId }: { tier: string | null | undefined; t: SaT; testId?: string }) {
  if (!tier) return <span data-testid={testId}>—</span>;
  return <Tag color={TIER_COLOR[tier as Tier] ?? 'default'} data-testid={testId} style={{ marginInlineEnd: 0 }}>{tierName(t, tier)}</Tag>;
}

/** A timestamp as a person in the town reads it: '2026-11-29 08:15'. */
export function when(ts: string | null | undefined): string {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const g = (k: string) => p.find((x) => x.type === k)?.value ?? '';
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}`;
}

/** The day in China of a timestamp, as [year, month, day]. */
export function chinaDay(ts: string): [number, number, number] {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ts));
  return [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
}

export const money = (n: number) => n.toLocaleString('zh-CN');

/** A score with at most two decimals, or a dash. */
export const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v * 100) / 100));

/** '2026-12-01' or '202612' → '2026-12'. */
export const monthLabel = (m: string) => (m.includes('-') ? m.slice(0, 7) : `${m.slice(0, 4)}-${m.slice(4, 6)}`);

/** The server's error details by the field they name (exactly as named: 'indicators.closure_rate'). */
export function detailsByField(e: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!(e instanceof ApiError)) return out;
  for (const d of e.details ?? []) {
    if (!d.field) continue;
    out.set(d.field, [...(out.get(d.field) ?? []), d.message]);
  }
  return out;
}

/** The messages for a field and any field under it ('tiers.thresholds' holds 'tiers.thresholds.good'). */
export function messagesUnder(m: Map<string, string[]>, prefix: string): string[] {
  return [...m].filter(([k]) => k === prefix || k.startsWith(`${prefix}.`)).flatMap(([, v]) => v);
}
