// Typed calls for publicity (宣传发动): campaigns, records, the summary, WeChat reads and import.
import { qs, request, uploadXlsx } from '../../api';

export type Kind = 'letter' | 'audio' | 'banner' | 'wechat' | 'lecture';
export const KINDS: readonly Kind[] = ['letter', 'audio', 'banner', 'wechat', 'lecture'];
export type TargetKey = 'letters' | 'lectures' | 'attendees' | 'posts' | 'audioRounds';
export const TARGET_KEYS: readonly TargetKey[] = ['letters', 'lectures', 'attendees', 'posts', 'audioRounds'];
export type Targets = Partial<Record<TargetKey, number | null>>;
export type BannerStatus = 'unknown' | 'short' | 'ok' | 'over';

export interface Progress { key: TargetKey; name: string; unit: string; target: number | null; actual: number; percent: number | null; met: boolean | null }

export interface Campaign {
  id: number; scopeAreaId: number; scopeName: string; scopeCode: string; scopeLevel: string; name: string; startsOn: string; endsOn: string;
  targets: Targets; createdBy: number | null; createdByName: string | null; createdAt: string; version: number; canWrite: boolean;
}
export interface CampaignListItem extends Campaign { progress: Progress[] }
export interface CampaignVillage { id: number; code: string; name: string; households: number | null; sizeClass: string | null; canWrite: boolean }
export interface CampaignDetail extends Campaign { villages: CampaignVillage[] }
export interface CampaignInput { scopeAreaId: number; name: string; startsOn: string; endsOn: string; targets: Targets }

export interface PRecord {
  id: number; campaignId: number; kind: Kind; areaId: number | null; areaName: string | null; areaCode: string | null; place: string | null;
  mode: 'van' | 'loudspeaker' | null; on: string; quantity: number | null; attendance: number | null; title: string | null; url: string | null;
  reads: number | null; readsAt: string | null; note: string | null; by: number | null; byName: string | null; at: string; version: number; canWrite: boolean;
}
export interface RecordInput {
  kind?: Kind; areaId?: number | null; place?: string | null; mode?: string | null; on?: string; quantity?: number | null; attendance?: number | null;
  title?: string | null; url?: string | null; reads?: number | null; note?: string | null;
}

export interface BannerRule { min: number; max: number; steps: { upTo: number; required: number }[]; above: number; bySizeClass: { small: number; medium: number; large: number } }
export interface VillageRow {
  id: number; code: string; name: string; households: number | null; sizeClass: string | null;
  letters: number; audioRounds: number; audioPlays: number; lectures: number; attendance: number;
  bannersUp: number | null; bannersCountedOn: string | null; required: number; basis: 'households' | 'size_class' | 'minimum'; status: BannerStatus; note: string | null;
}
export interface Totals {
  letters: number; lettersToVillages: number; lettersToSchools: number; letterRecords: number; audioRounds: number; audioPlays: number;
  vanRounds: number; loudspeakerRounds: number; banners: number; villagesWithBanners: number; lectures: number; attendees: number; posts: number; reads: number;
}
export interface Post { id: number; title: string | null; url: string | null; on: string; reads: number | null }
export interface Summary {
  campaign: Campaign; asOf: string; totals: Totals; progress: Progress[]; rule: BannerRule;
  bannerCheck: { villages: number; required: number; up: number; short: number; ok: number; over: number; unknown: number };
  villages: VillageRow[]; schools: { place: string; letters: number; records: number }[]; posts: Post[]; bestPost: Post | null;
}
export interface WechatImport { ok: true; rows: number; created: number; updated: number; unchanged: number }

export const publicityApi = {
  campaigns: () => request<CampaignListItem[]>('GET', '/publicity/campaigns'),
  campaign: (id: number) => request<CampaignDetail>('GET', `/publicity/campaigns/${id}`),
  createCampaign: (input: CampaignInput) => request<CampaignDetail>('POST', '/publicity/campaigns', input),
  updateCampaign: (id: number, input: Partial<CampaignInput> & { version: number }) => request<CampaignDetail>('PATCH', `/publicity/campaigns/${id}`, input),
  deleteCampaign: (id: number, version: number) => request<unknown>('DELETE', `/publicity/campaigns/${id}${qs({ version })}`),
  summary: (id: number) => request<Summary>('GET', `/publicity/campaigns/${id}/summary`),
  summaryXlsxUrl: (id: number) => `/api/v1/publicity/campaigns/${id}/summary.xlsx`,
  records: (id: number, kind: Kind) => request<{ total: number; items: PRecord[] }>('GET', `/publicity/campaigns/${id}/records${qs({ kind, limit: 1000 })}`),
  addRecord: (id: number, input: RecordInput) => request<PRecord>('POST', `/publicity/campaigns/${id}/records`, input),
  updateRecord: (id: number, input: RecordInput & { version: number }) => request<PRecord>('PATCH', `/publicity/records/${id}`, input),
  updateReads: (id: number, reads: number, version: number) => request<PRecord>('PATCH', `/publicity/records/${id}/reads`, { reads, version }),
  deleteRecord: (id: number, version: number) => request<unknown>('DELETE', `/publicity/records/${id}${qs({ version })}`),
  wechatTemplateUrl: (id: number) => `/api/v1/publicity/campaigns/${id}/wechat.xlsx`,
  importWechat: (id: number, file: File) => uploadXlsx(`/publicity/campaigns/${id}/wechat/import`, file) as unknown as Promise<WechatImport>,
  bannerRule: () => request<BannerRule>('GET', '/publicity/banner-rule'),
};
