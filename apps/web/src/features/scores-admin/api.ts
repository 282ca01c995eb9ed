// Typed calls for the scores' administration: the other work's scores (the 60%), indicators,
// weights, tier settings, and the ratings with their awards.
import { request, qs, uploadXlsx } from '../../api';

export type Direction = 'up' | 'down';
export type PeriodType = 'monthly' | 'quarterly' | 'yearly';
export const PERIOD_TYPES: readonly PeriodType[] = ['monthly', 'quarterly', 'yearly'];
export type Tier = 'excellent' | 'good' | 'pass' | 'fail';
export const TIERS: readonly Tier[] = ['excellent', 'good', 'pass', 'fail'];

export interface Fact { key: string; zh: string; en: string; records: string }

export interface Indicator {
  id: number; code: string; name: string; nameEn: string | null; formula: string; direction: Direction; unit: string;
  target: number | null; green: number; yellow: number; baseFact: string | null; minBase: number; periodTypes: PeriodType[];
  sort: number; active: boolean; version: number;
  /** the weight in the set in force today (percent of the environment score) */
  weight?: number;
}
export interface IndicatorInput {
  code?: string; name: string; nameEn: string | null; formula: string; direction: Direction; unit: string; target: number | null;
  green: number; yellow: number; baseFact: string | null; minBase: number; periodTypes: PeriodType[]; sort?: number; active?: boolean;
}

export interface Weights { environment: number; other: number; indicators: Record<string, number> }
/** validFrom is the first day of the month it takes effect ('2026-12-01'). */
export interface WeightSet { id: number; validFrom: string; weights: Weights; note: string | null; createdBy: string | null; createdAt: string }

export interface Tiers3 { excellent: number; good: number; pass: number }
export interface ScoreSettings {
  tiers: { mode: 'threshold' | 'share'; thresholds: Tiers3; shares: Tiers3 };
  redBlackSize: number;
  rewards: Record<Tier, number>;
  annualAwardCount: number;
  picksPerDistrict: number;
}

export interface OtherRow {
  id: number; code: string; name: string; score: number | null; note: string | null;
  source: 'entered' | 'imported' | null; enteredBy: string | null; enteredAt: string | null;
}
export interface OtherItem { villageId: number; score: number | null; note: string | null }

export interface Award {
  id: number; villageId: number; villageCode: string; villageName: string; districtName: string | null; rank: number;
  /** a tier of the quarterly rating, or 'medal' for the annual award */
  tier: Tier | 'medal'; composite: number; amount: number; paidAt: string | null; paidByName: string | null;
}
export interface RatingVillage {
  id: number; code: string; name: string; districtName: string | null; environment: number | null; other: number | null;
  composite: number | null; rank: number | null; tier: Tier | null; tierZh: string | null; reason: string | null;
}
export interface RatingContent {
  period: { key: string; type: PeriodType; start: string; end: string };
  weights: WeightSet;
  settings: { tiers: ScoreSettings['tiers']; rewards: ScoreSettings['rewards']; annualAwardCount: number };
  villages: RatingVillage[];
}
export interface Rating {
  id: number; kind: 'quarter' | 'year'; areaId: number; period: string; status: 'proposed' | 'approved'; content: RatingContent;
  proposedBy: number; proposedByName: string | null; proposedAt: string; approvedBy: number | null; approvedByName: string | null;
  approvedAt: string | null; version: number; awards: Award[]; totalAmount: number; paidAmount: number;
}

export const scoresAdminApi = {
  facts: () => request<Fact[]>('GET', '/scores/facts'),
  indicators: () => request<Indicator[]>('GET', '/scores/indicators'),
  createIndicator: (input: IndicatorInput & { code: string }) => request<Indicator>('POST', '/scores/indicators', input),
  updateIndicator: (id: number, input: Partial<IndicatorInput> & { version: number }) => request<Indicator>('PATCH', `/scores/indicators/${id}`, input),

  weights: () => request<{ current: WeightSet | null; history: WeightSet[] }>('GET', '/scores/weights'),
  addWeights: (validFrom: string, weights: Weights, note: string | null) =>
    request<{ id: number; validFrom: string; weights: Weights }>('POST', '/scores/weights', { validFrom, weights, note }),

  settings: () => request<ScoreSettings>('GET', '/scores/settings'),
  putSettings: (s: ScoreSettings) => request<ScoreSettings>('PUT', '/scores/settings', s),

  other: (areaId: number, month: string) => request<{ month: string; villages: OtherRow[] }>('GET', `/scores/other${qs({ areaId, month })}`),
  putOther: (month: string, items: OtherItem[]) => request<{ month: string; saved: number }>('PUT', '/scores/other', { month, items }),
  otherTemplateUrl: (areaId: number, month: string) => `/api/v1/scores/other.xlsx${qs({ areaId, month })}`,
  importOther: (month: string, file: File, onProgress?: (p: number) => void) =>
    uploadXlsx(`/scores/other/import${qs({ month })}`, file, onProgress) as unknown as Promise<{ month: string; saved: number }>,

  ratings: (areaId: number) => request<Rating[]>('GET', `/scores/ratings${qs({ areaId })}`),
  rating: (id: number) => request<Rating>('GET', `/scores/ratings/${id}`),
  propose: (areaId: number, period: string) => request<Rating>('POST', '/scores/ratings', { areaId, period }),
  approve: (id: number) => request<Rating>('POST', `/scores/ratings/${id}/approve`, {}),
  withdraw: (id: number) => request<{ withdrawn: number }>('DELETE', `/scores/ratings/${id}`),
  markPaid: (id: number, awardId: number) => request<Rating>('POST', `/scores/ratings/${id}/awards/${awardId}/paid`, {}),
};

/** 'YYYYMM' from a month's first day ('2026-12-01' → '202612'). */
export const monthKeyOf = (day: string) => day.slice(0, 4) + day.slice(5, 7);
