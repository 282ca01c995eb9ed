// The routines' administration: 完成情况 (completeness and timeliness) and 例行计划 (the plans).
export { CompletenessPage } from './CompletenessPage';
export { PlansPage } from './PlansPage';
export { useIsRoutineAdmin } from './common';
