// The facts an indicator's formula may name. Each is a count (or a sum) per village and month,
// kept in score_fact; a quarter or a year is the sum of its months. Case facts follow the month a
// case was reported in (its cohort); task facts follow the month a task is due in.
// `records` says which list of records lies behind the number (the drill-down).

export type RecordKind = 'cases' | 'tasks' | 'results' | 'turnout' | 'visits';

export interface FactDef { key: FactKey; column: string; zh: string; en: string; records: RecordKind }

export const FACT_KEYS = [
  'cases_reported', 'cases_refused', 'cases_registered', 'cases_due', 'cases_fixed', 'cases_fixed_on_time',
  'cases_overdue', 'cases_reworked', 'cases_closed',
  'tasks_due', 'tasks_done', 'tasks_on_time', 'checklist_count', 'checklist_percent_sum',
  'cleaning_days', 'cleaning_signed_up', 'cleaning_present', 'observation_count', 'observation_score_sum',
  'public_reports', 'public_responded', 'public_handled', 'public_resolved', 'public_rated', 'public_satisfied',
] as const;
export type FactKey = (typeof FACT_KEYS)[number];
export type Facts = Record<FactKey, number>;

const ZH: Record<FactKey, [string, string, RecordKind]> = {
  cases_reported: ['上报案件数', 'cases reported', 'cases'],
  cases_refused: ['不予立案数', 'cases refused', 'cases'],
  cases_registered: ['立案数', 'cases registered', 'cases'],
  cases_due: ['应处置数（已到期或已处置）', 'cases due (past due or fixed)', 'cases'],
  cases_fixed: ['已处置数', 'cases fixed', 'cases'],
  cases_fixed_on_time: ['按期处置数', 'cases fixed on time', 'cases'],
  cases_overdue: ['超期未处置数', 'cases overdue and not fixed', 'cases'],
  cases_reworked: ['返工案件数', 'cases reworked', 'cases'],
  cases_closed: ['结案数', 'cases closed', 'cases'],
  tasks_due: ['应完成任务数', 'tasks due', 'tasks'],
  tasks_done: ['已完成任务数', 'tasks done', 'tasks'],
  tasks_on_time: ['按时完成任务数', 'tasks done on time', 'tasks'],
  checklist_count: ['检查表份数', 'checklists submitted', 'results'],
  checklist_percent_sum: ['检查表得分合计', 'sum of checklist scores (%)', 'results'],
  cleaning_days: ['清洁日次数', 'cleaning days held', 'tasks'],
  cleaning_signed_up: ['清洁日报名人次', 'cleaning-day sign-ups', 'turnout'],
  cleaning_present: ['清洁日到场人次', 'cleaning-day turnout', 'turnout'],
  observation_count: ['观摩次数', 'observation visits scored', 'visits'],
  observation_score_sum: ['观摩得分合计', 'sum of observation scores', 'visits'],
  public_reports: ['群众上报数', 'resident reports', 'cases'],
  public_responded: ['24 小时内响应数', 'resident reports answered within 24 h', 'cases'],
  public_handled: ['群众上报立案数', 'resident reports registered', 'cases'],
  public_resolved: ['群众上报办结数', 'resident reports closed', 'cases'],
  public_rated: ['群众评价数', 'resident ratings', 'cases'],
  public_satisfied: ['满意与基本满意数', 'ratings satisfied or basically satisfied', 'cases'],
};

export const FACTS: FactDef[] = FACT_KEYS.map((key) => ({ key, column: key, zh: ZH[key][0], en: ZH[key][1], records: ZH[key][2] }));
export const isFactKey = (k: string): k is FactKey => (FACT_KEYS as readonly string[]).includes(k);

export const zeroFacts = (): Facts => Object.fromEntries(FACT_KEYS.map((k) => [k, 0])) as Facts;

/** Facts of several village-months added up (a quarter, a district, a town). */
export function sumFacts(list: Iterable<Partial<Facts>>): Facts {
  const total = zeroFacts();
  for (const f of list) for (const k of FACT_KEYS) total[k] += Number(f[k] ?? 0);
  return total;
}
