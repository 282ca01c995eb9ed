// 考核评价: the scorecard (villages × indicators × periods) with drill-down to the records.
export { ScorecardPage, scorecardHref } from './ScorecardPage';
