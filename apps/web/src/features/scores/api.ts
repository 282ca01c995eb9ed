// Typed calls for the scorecard (考核评价): the scorecard of an area and period, the records behind
// a number, the monthly observation picks and the fact catalogue. Shapes follow
// apps/api/src/modules/scores/scores.service.ts.
import { request, qs } from '../../api';

export type Colour = 'green' | 'yellow' | 'red';
export type Tier = 'excellent' | 'good' | 'pass' | 'fail';
export type PeriodType = 'monthly' | 'quarterly' | 'yearly';
export type RecordKind = 'cases' | 'tasks' | 'results' | 'turnout' | 'visits';
export type Facts = Record<string, number>;

export interface Indicator {
  id: number; code: string; name: string; nameEn: string | null; formula: string; direction: 'up' | 'down'; unit: string;
  target: number | null; green: number; yellow: number; baseFact: string | null; minBase: number; periodTypes: string[]; weight: number;
}
export interface IndicatorValue { code: string; value: number | null; base: number | null; thin: boolean; colour: Colour | null; score: number | null }
export interface Previous { composite: number | null; environment: number | null; values: Record<string, number | null> }
export interface AreaBrief { id: number; code: string; name: string; level: string }

export interface ScoreRow {
  area: AreaBrief; facts: Facts; values: IndicatorValue[]; environment: number | null; other: number | null; composite: number | null;
  villages: number; ranked: number; rank: number | null; tier?: Tier | null; reason?: string | null; previous: Previous | null;
}
export interface VillageScore {
  id: number; code: string; name: string; path: string; districtId: number | null; districtName: string | null;
  facts: Facts; values: IndicatorValue[]; environment: number | null; other: number | null; otherMonths: number; composite: number | null;
  reason: string | null; rank: number | null; districtRank: number | null; tier: Tier | null; previous: Previous | null;
}
export interface ListedVillage { id: number; code: string; name: string; districtName: string | null; composite: number | null; environment: number | null; rank: number | null; tier: Tier | null }
export interface Scorecard {
  scope: AreaBrief;
  period: { key: string; type: PeriodType; start: string; end: string; months: string[]; provisional: boolean; previous: string };
  asOf: string | null;
  weights: { id: number; validFrom: string; environment: number; other: number; indicators: Record<string, number> };
  settings: { redBlackSize: number; picksPerDistrict: number; tiers: { mode: 'threshold' | 'share'; thresholds: Record<string, number>; shares: Record<string, number> } };
  indicators: Indicator[];
  rows: ScoreRow[];
  total: ScoreRow;
  villages: VillageScore[];
  redList: ListedVillage[];
  blackList: ListedVillage[];
  unranked: { id: number; name: string; reason: string | null }[];
}

export interface CaseRecord {
  id: number; no: string; state: string; description: string; reportedAt: string; dueAt: string | null; fixedAt: string | null;
  closedAt: string | null; reworkCount: number; areaName: string; categoryName: string;
}
export interface TaskRecord {
  id: number; period: string; dueDate: string; doneAt: string | null; onTime: boolean | null; planName: string; areaName: string; userName: string | null;
  percent?: number; submittedAt?: string; personName?: string; personKind?: string; signedInAt?: string | null;
  score?: number; visitedAt?: string; note?: string | null;
}
export type RecordList =
  | { kind: 'cases'; total: number; items: CaseRecord[] }
  | { kind: Exclude<RecordKind, 'cases'>; total: number; items: TaskRecord[] };
export type Records = RecordList & { scope: { id: number; name: string; level: string }; period: string; fact: { key: string; zh: string; en: string } };

export interface Pick { id: number; code: string; name: string; environment: number; reasons: { code: string; value: number; score: number }[]; tie: boolean; reasonText: string }
export interface Picks {
  scope: { id: number; name: string }; month: string; provisional: boolean;
  districts: { districtId: number; districtName: string; best: Pick[]; worst: Pick[]; thin: { id: number; name: string }[] }[];
}
export interface Fact { key: string; zh: string; en: string; records: RecordKind }

// Scorecards are kept a short while so that drilling down and back (and the trend's months) do not
// ask again; 刷新 clears them.
const TTL = 120_000;
const cards = new Map<string, { at: number; p: Promise<Scorecard> }>();
let facts: Promise<Fact[]> | null = null;

export const scoresApi = {
  scorecard(areaId: number, period: string): Promise<Scorecard> {
    const key = `${areaId}|${period}`;
    const hit = cards.get(key);
    if (hit && Date.now() - hit.at < TTL) return hit.p;
    const p = request<Scorecard>('GET', '/scores/scorecard' + qs({ areaId, period }));
    cards.set(key, { at: Date.now(), p });
    p.catch(() => cards.delete(key));
    return p;
  },
  forget: () => cards.clear(),
  xlsxUrl: (areaId: number, period: string) => '/api/v1/scores/scorecard.xlsx' + qs({ areaId, period }),
  records: (areaId: number, period: string, fact: string, limit = 500) => request<Records>('GET', '/scores/records' + qs({ areaId, period, fact, limit })),
  picks: (areaId: number, month: string) => request<Picks>('GET', '/scores/picks' + qs({ areaId, month })),
  facts(): Promise<Fact[]> {
    facts ??= request<Fact[]>('GET', '/scores/facts').catch((e) => { facts = null; throw e; });
    return facts;
  },
};
