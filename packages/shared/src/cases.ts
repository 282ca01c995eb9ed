// The case loop's vocabulary, after the digital city-management standard's steps:
// 采集 → 立案 (or 不予立案) → 派遣 → 处置 → 反馈 → 核查 → 结案, with 返工, 延期 and 回退.
// Shared by the API (which enforces it) and the web app (which shows what may be done next).

export type CaseState = 'reported' | 'registered' | 'dispatched' | 'fixing' | 'fixed' | 'closed' | 'refused';
export const CASE_STATES: { key: CaseState; zh: string; en: string; color: string }[] = [
  { key: 'reported', zh: '待立案', en: 'Reported', color: 'default' },
  { key: 'registered', zh: '待派遣', en: 'Registered', color: 'cyan' },
  { key: 'dispatched', zh: '待处置', en: 'Dispatched', color: 'blue' },
  { key: 'fixing', zh: '处置中', en: 'Being fixed', color: 'geekblue' },
  { key: 'fixed', zh: '待核查', en: 'Fix reported', color: 'purple' },
  { key: 'closed', zh: '已结案', en: 'Closed', color: 'green' },
  { key: 'refused', zh: '不予立案', en: 'Refused', color: 'red' },
];
export const OPEN_STATES: CaseState[] = ['reported', 'registered', 'dispatched', 'fixing', 'fixed'];
/** States in which the deadline runs: the problem is known, registered and not yet fixed. */
export const RUNNING_STATES: CaseState[] = ['registered', 'dispatched', 'fixing'];

export type CaseSource = 'field' | 'desk' | 'phone' | 'feedback' | 'supervision' | 'routine' | 'public';
export const CASE_SOURCES: { key: CaseSource; zh: string; en: string }[] = [
  { key: 'field', zh: '现场采集', en: 'Field' },
  { key: 'desk', zh: '案头录入', en: 'Desk' },
  { key: 'phone', zh: '电话', en: 'Phone call' },
  { key: 'feedback', zh: '上级反馈', en: 'Higher-level feedback' },
  { key: 'supervision', zh: '每周督查', en: 'Weekly supervision' },
  { key: 'routine', zh: '例行检查', en: 'Routine check' },
  { key: 'public', zh: '群众随手拍', en: 'Resident report' },
];

export type CaseAction =
  | 'report' | 'register' | 'refuse' | 'dispatch' | 'accept' | 'feedback' | 'pass' | 'rework'
  | 'request_extension' | 'request_return' | 'approve' | 'reject'
  // the resident reporter's own steps (public intake): a rating, and reopening a closed case once
  | 'rate' | 'reopen'
  // staff moving a resident's report to the right area before registering it
  | 'place';
export const CASE_ACTIONS: Record<CaseAction, { zh: string; en: string }> = {
  report: { zh: '上报', en: 'Report' },
  register: { zh: '立案', en: 'Register' },
  refuse: { zh: '不予立案', en: 'Refuse' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  accept: { zh: '接收处置', en: 'Accept' },
  feedback: { zh: '处置反馈', en: 'Report fix' },
  pass: { zh: '核查通过结案', en: 'Check passed, close' },
  rework: { zh: '返工', en: 'Return for rework' },
  request_extension: { zh: '申请延期', en: 'Ask for extension' },
  request_return: { zh: '申请回退', en: 'Ask to return' },
  approve: { zh: '批准', en: 'Approve' },
  reject: { zh: '驳回', en: 'Reject' },
  rate: { zh: '群众评价', en: 'Reporter rated' },
  reopen: { zh: '群众重开', en: 'Reopened by reporter' },
  place: { zh: '调整区域', en: 'Placed in an area' },
};

/** Who may take a step: the dispatcher (立案/派遣/审批), the assignee, or a checker (核查). */
export type CaseParty = 'dispatcher' | 'assignee' | 'checker';

export interface Transition { from: CaseState[]; to: CaseState | 'same'; by: CaseParty }
export const TRANSITIONS: Record<Exclude<CaseAction, 'report' | 'approve' | 'reject' | 'rate' | 'reopen' | 'place'>, Transition> = {
  register: { from: ['reported'], to: 'registered', by: 'dispatcher' },
  refuse: { from: ['reported'], to: 'refused', by: 'dispatcher' },
  dispatch: { from: ['registered'], to: 'dispatched', by: 'dispatcher' },
  accept: { from: ['dispatched'], to: 'fixing', by: 'assignee' },
  feedback: { from: ['dispatched', 'fixing'], to: 'fixed', by: 'assignee' },
  pass: { from: ['fixed'], to: 'closed', by: 'checker' },
  rework: { from: ['fixed'], to: 'fixing', by: 'checker' },
  request_extension: { from: ['dispatched', 'fixing'], to: 'same', by: 'assignee' },
  request_return: { from: ['dispatched', 'fixing'], to: 'same', by: 'assignee' },
};

export type RefuseReason = 'invalid' | 'duplicate';
export type DeadlineUnit = 'work_hour' | 'work_day' | 'day';
export const DEADLINE_UNITS: { key: DeadlineUnit; zh: string; en: string }[] = [
  { key: 'work_hour', zh: '工作时', en: 'working hours' },
  { key: 'work_day', zh: '工作日', en: 'working days' },
  { key: 'day', zh: '自然日', en: 'calendar days' },
];
/** 三天工作法: problems fed back by weekly supervision are fixed within three working days. */
export const SUPERVISION_DEADLINE = { amount: 3, unit: 'work_day' as DeadlineUnit };

export interface EvidenceFlag { code: 'no_capture_data' | 'taken_before_report' | 'too_far' | 'same_as_before' | 'same_as_other_case'; message: string; data?: Record<string, unknown> }

export interface CasePhotoView {
  id: number; phase: 'before' | 'after' | 'check' | null; stepSeq: number | null;
  url: string; thumbUrl: string; width: number | null; height: number | null;
  takenAt: string | null; lat: number | null; lng: number | null; flags: EvidenceFlag[];
  /** hidden from the public by moderation (staff still see it) */
  hidden?: boolean;
}

/** A case as lists show it. Times are ISO strings. */
export interface CaseView {
  id: number; no: string; source: CaseSource; state: CaseState;
  categoryId: number; categoryCode: string; categoryName: string; closingRequirement: string | null;
  areaId: number; areaCode: string; areaName: string; areaTrail: string;
  description: string; address: string | null; lat: number | null; lng: number | null;
  reportedBy: number | null; reporterName: string | null; reportedAt: string;
  registeredAt: string | null; dispatchedAt: string | null;
  assigneeId: number | null; assigneeName: string | null;
  dueAt: string | null; deadlineRule: string | null; fixedAt: string | null; closedAt: string | null;
  refusedReason: string | null; duplicateOf: number | null;
  reworkCount: number; extensionCount: number;
  /** past due and not yet fixed */
  overdue: boolean;
  /** fixed (or closed) after the due time */
  late: boolean;
  version: number; demo: boolean;
}

export interface CaseStepView { seq: number; action: CaseAction | 'escalate'; fromState: CaseState | null; toState: CaseState; actorId: number | null; actorName: string | null; at: string; note: string | null; data: Record<string, unknown> | null }
export interface CaseRequestView { id: number; kind: 'extension' | 'return'; reason: string; requestedDueAt: string | null; requestedBy: number; requesterName: string | null; requestedAt: string; decision: 'approved' | 'rejected' | 'withdrawn' | null; decidedBy: number | null; decidedAt: string | null; decisionNote: string | null }
export interface CaseDetail extends CaseView {
  steps: CaseStepView[]; photos: CasePhotoView[]; requests: CaseRequestView[];
  /** the steps this user may take now */
  allowed: CaseAction[];
}
