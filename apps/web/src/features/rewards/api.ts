// Typed calls for rewards and credit (信用赋能): households, points, 门前三包, model-household
// rounds, rules, the 积分超市 and bounties.
import { request, qs, uploadXlsx } from '../../api';

export type Grade = 'good' | 'fair' | 'poor';
export const GRADES: readonly Grade[] = ['good', 'fair', 'poor'];
export type ModelKind = 'courtyard' | 'family';
export const MODEL_KINDS: readonly ModelKind[] = ['courtyard', 'family'];
export type BountyStatus = 'proposed' | 'approved' | 'rejected' | 'withdrawn' | 'paid';
export type PointsEvent = 'report_valid' | 'report_confirmed' | 'frontage_check' | 'model_household';
export const EVENTS: readonly PointsEvent[] = ['report_valid', 'report_confirmed', 'frontage_check', 'model_household'];

export interface Household {
  id: number; areaId: number; villageName: string; no: string; headName: string; address: string | null; phone: string | null;
  members: number | null; active: boolean; version: number; createdAt: string;
  accountId?: number | null; balance?: number; lastCheckOn?: string | null; lastGrade?: Grade | null;
}
export interface HouseholdInput { no: string; headName: string; address: string | null; phone: string | null; members: number | null; active?: boolean }

export interface Entry { id: number; delta: number; kind: string; kindName: string; text: string; refType: string | null; refId: number | null; byName: string | null; at: string; balance: number }
export interface Statement {
  account: { id: number | null; type: 'household' | 'reporter'; householdId: number | null; householdNo: string | null; name: string | null; phone: string | null; villageName: string | null };
  balance: number; earned: number; spent: number; entries: Entry[];
  checks?: { id: number; checkedOn: string; grade: Grade; note: string | null; byName: string | null }[];
}
export interface BalanceRow {
  accountId: number | null; type: 'household' | 'reporter'; householdId: number | null; householdNo: string | null; name: string | null;
  phone: string | null; villageId: number | null; villageName: string | null; balance: number; earned: number; spent: number; entries: number;
}

export interface FrontageDay {
  village: { id: number; name: string }; on: string;
  households: { householdId: number; no: string; headName: string; address: string | null; checkId: number | null; grade: Grade | null; note: string | null; byName: string | null }[];
}

export interface Round {
  id: number; villageId: number; villageName: string; kind: ModelKind; period: string; quota: number; status: 'open' | 'decided';
  createdByName: string | null; createdAt: string; decidedByName: string | null; decidedAt: string | null; version: number; entries: number; winners: number;
}
export interface RoundEntry { id: number; householdId: number; householdNo: string; headName: string; score: number | null; winner: boolean; note: string | null }
export type RoundDetail = Omit<Round, 'entries'> & { kindName: string; entries: RoundEntry[] };

export interface Rule {
  id: number; event: PointsEvent; eventName: string; categoryId: number | null; categoryName: string | null; grade: string | null; gradeName: string | null;
  points: number; active: boolean; note: string | null; updatedByName: string | null; updatedAt: string;
}
export interface RuleInput { event: PointsEvent; categoryId: number | null; grade: string | null; points: number; active: boolean; note: string | null }

export interface Item { id: number; name: string; points: number; stock: number | null; active: boolean; version: number; exchanged: number }
export interface Exchange {
  id: number; accountId: number; itemId: number; itemName: string; quantity: number; points: number; byName: string | null; at: string;
  householdId: number | null; householdNo: string | null; name: string | null; villageName: string | null;
}

export interface Bounty {
  id: number; caseId: number; caseNo: string; caseState: string; caseSource: string; caseDescription: string; areaId: number; areaName: string;
  accountId: number | null; reporterName: string | null; reporterPhone: string | null; amountYuan: number; reason: string; status: BountyStatus; statusName: string;
  proposedBy: number; proposedByName: string | null; proposedAt: string; decidedBy: number | null; decidedByName: string | null; decidedAt: string | null;
  decisionNote: string | null; paidBy: number | null; paidByName: string | null; paidAt: string | null; payNote: string | null; version: number;
}

export const rewardsApi = {
  households: (areaId: number, q?: string, page = 1, pageSize = 50) =>
    request<{ total: number; items: Household[] }>('GET', `/rewards/households${qs({ areaId, q, page, pageSize })}`),
  createHousehold: (villageId: number, h: HouseholdInput) => request<Household>('POST', '/rewards/households', { villageId, ...h }),
  updateHousehold: (id: number, h: Partial<HouseholdInput> & { version: number }) => request<Household>('PATCH', `/rewards/households/${id}`, h),
  /** the whole number: an audited look, under the duty personal.reveal */
  revealHouseholdPhone: (id: number) => request<{ id: number; phone: string | null }>('POST', `/rewards/households/${id}/phone`, {}),
  householdStatement: (id: number) => request<Statement>('GET', `/rewards/households/${id}/statement`),
  accountStatement: (id: number) => request<Statement>('GET', `/rewards/accounts/${id}/statement`),
  templateUrl: (villageId: number) => `/api/v1/rewards/households.xlsx${qs({ villageId })}`,
  importHouseholds: (villageId: number, file: File) => uploadXlsx(`/rewards/households/import${qs({ villageId })}`, file),
  balances: (areaId: number) => request<{ items: BalanceRow[] }>('GET', `/rewards/balances${qs({ areaId })}`),
  findAccounts: (areaId: number, q: string) => request<BalanceRow[]>('GET', `/rewards/accounts/search${qs({ areaId, q })}`),

  frontageDay: (villageId: number, on: string) => request<FrontageDay>('GET', `/rewards/frontage${qs({ villageId, on })}`),
  recordFrontage: (villageId: number, checkedOn: string, items: { householdId: number; grade: Grade; note?: string | null }[]) =>
    request<{ saved: number; points: number }>('POST', '/rewards/frontage', { villageId, checkedOn, items }),

  rounds: (areaId: number) => request<Round[]>('GET', `/rewards/rounds${qs({ areaId })}`),
  round: (id: number) => request<RoundDetail>('GET', `/rewards/rounds/${id}`),
  createRound: (villageId: number, kind: ModelKind, period: string, quota: number) => request<Round>('POST', '/rewards/rounds', { villageId, kind, period, quota }),
  putEntries: (id: number, items: { householdId: number; score: number | null; note?: string | null }[], quota?: number) =>
    request<RoundDetail>('PUT', `/rewards/rounds/${id}/entries`, { items, quota }),
  removeEntry: (id: number, householdId: number) => request<RoundDetail>('DELETE', `/rewards/rounds/${id}/entries/${householdId}`),
  decideRound: (id: number, version: number) => request<RoundDetail>('POST', `/rewards/rounds/${id}/decide`, { version }),

  rules: () => request<Rule[]>('GET', '/rewards/rules'),
  createRule: (r: RuleInput) => request<Rule>('POST', '/rewards/rules', r),
  updateRule: (id: number, r: Partial<RuleInput>) => request<Rule>('PATCH', `/rewards/rules/${id}`, r),

  items: (includeInactive = false) => request<Item[]>('GET', `/rewards/shop/items${qs({ includeInactive })}`),
  createItem: (i: { name: string; points: number; stock: number | null; active?: boolean }) => request<Item>('POST', '/rewards/shop/items', i),
  updateItem: (id: number, i: { name?: string; points?: number; stock?: number | null; active?: boolean; version: number }) => request<Item>('PATCH', `/rewards/shop/items/${id}`, i),
  exchange: (who: { accountId?: number; householdId?: number }, itemId: number, quantity: number, note?: string | null) =>
    request<{ id: number; points: number; balance: number; itemName: string }>('POST', '/rewards/exchanges', { ...who, itemId, quantity, note }),
  exchanges: (q: { areaId?: number; accountId?: number }) => request<Exchange[]>('GET', `/rewards/exchanges${qs(q)}`),

  bounties: (q: { areaId?: number; status?: BountyStatus }) => request<Bounty[]>('GET', `/rewards/bounties${qs(q)}`),
  proposeBounty: (b: { caseNo: string; amountYuan: number; reason: string }) => request<Bounty>('POST', '/rewards/bounties', b),
  decideBounty: (id: number, approve: boolean, note: string | null) => request<Bounty>('POST', `/rewards/bounties/${id}/decide`, { approve, note }),
  payBounty: (id: number, note: string | null) => request<Bounty>('POST', `/rewards/bounties/${id}/paid`, { note }),
  withdrawBounty: (id: number) => request<Bounty>('POST', `/rewards/bounties/${id}/withdraw`, {}),
};
