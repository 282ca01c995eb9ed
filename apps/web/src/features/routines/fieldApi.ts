// Typed calls for the field records of two routines: the cleaning day's turnout (全民清洁日) and the
// villages a monthly observation visits (每月一观摩).
import { request } from '../../api';

export type TurnoutKind = 'party_member' | 'volunteer' | 'villager' | 'cadre';
export const TURNOUT_KINDS: readonly TurnoutKind[] = ['party_member', 'volunteer', 'villager', 'cadre'];

export interface FieldTask { id: number; period: string; areaId: number; areaName: string; windowStart: string; windowEnd: string }
export interface TurnoutPerson {
  id: number; name: string; kind: TurnoutKind; userId: number | null; signedUpAt: string; signedInAt: string | null; area: string | null;
}
export interface Turnout {
  task: FieldTask;
  totals: { signedUp: number; came: number; partyMembers: number; volunteers: number };
  people: TurnoutPerson[];
}
export interface Visit {
  id: number; villageId: number; villageName: string; pickedBy: string; reason: string | null; visitedAt: string | null;
  score: number | null; note: string | null; photoIds: number[] | null; visitedBy: string | null;
}
export interface Visits { task: FieldTask; visits: Visit[] }

export const fieldApi = {
  turnout: (taskId: number) => request<Turnout>('GET', `/routines/tasks/${taskId}/turnout`),
  signUp: (taskId: number, body: { name: string; kind: TurnoutKind; signIn?: boolean; area?: string | null }) =>
    request<Turnout>('POST', `/routines/tasks/${taskId}/turnout`, body),
  signIn: (taskId: number, turnoutId: number, area?: string | null) =>
    request<Turnout>('POST', `/routines/tasks/${taskId}/turnout/${turnoutId}/sign-in`, { area: area ?? null }),
  visits: (taskId: number) => request<Visits>('GET', `/routines/tasks/${taskId}/visits`),
  pick: (taskId: number, body: { villageId: number; reason?: string | null }) => request<Visits>('POST', `/routines/tasks/${taskId}/visits`, body),
  pickFromScores: (taskId: number) => request<Visits>('POST', `/routines/tasks/${taskId}/visits/from-scores`),
  record: (taskId: number, visitId: number, body: { score: number; note?: string | null; photoIds?: number[] }) =>
    request<Visits>('PUT', `/routines/tasks/${taskId}/visits/${visitId}`, body),
};
