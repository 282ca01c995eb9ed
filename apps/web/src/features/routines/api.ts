// Typed calls for the routines (7个1): my tasks, one task with its checklist, the one result per task.
import { request, qs } from '../../api';

export type TaskStatus = 'open' | 'due' | 'overdue' | 'done' | 'late';
export const TASK_STATUSES: readonly TaskStatus[] = ['overdue', 'due', 'open', 'late', 'done'];

/** A task as GET /routines/my-tasks lists it (dates are YYYY-MM-DD, doneAt an ISO time). */
export interface RoutineTask {
  id: number; planId: number; planCode: string; planName: string; kind: string; templateId: number | null; period: string;
  areaId: number; areaName: string; userId: number | null; userName: string | null;
  windowStart: string; windowEnd: string; dueDate: string; doneAt: string | null; onTime: boolean | null; resultId: number | null;
  status: TaskStatus;
  /** the result's percent, when the list carries it */
  percent?: number | null;
}

export type ItemKind = 'yes_no' | 'score' | 'count' | 'photo' | 'note';
export interface ChecklistItem {
  id: string; section: string; label: string; kind: ItemKind; weight: number; maxScore?: number; required?: boolean; categoryCode?: string;
}
export type AnswerValue = boolean | number | 'na' | null;
export interface Answer { itemId: string; value: AnswerValue; note?: string | null; photoIds?: number[]; raiseCase?: boolean }

export interface TaskResult {
  id: number; clientId?: string | null; submittedAt: string; submittedBy: number; answers: Answer[];
  score: number | null; maxScore: number | null; percent: number | null; note: string | null; cases: { id: number; no: string }[];
}
export interface TaskDetail {
  task: RoutineTask;
  /** whether I may submit the result (my task, or my area's task) */
  mayDo?: boolean;
  plan: { id: number; code: string; name: string; kind: string; recurrence: unknown; graceDays: number };
  template: { id: number; code: string; name: string; items: ChecklistItem[] } | null;
  result: TaskResult | null;
}
export interface ResultInput { clientId: string; answers: Answer[]; note?: string | null }

export const routinesApi = {
  myTasks: (from: string, to: string) => request<RoutineTask[]>('GET', `/routines/my-tasks${qs({ from, to })}`),
  task: (id: number) => request<TaskDetail>('GET', `/routines/tasks/${id}`),
  submit: (id: number, input: ResultInput) => request<TaskResult>('POST', `/routines/tasks/${id}/result`, input),
};
