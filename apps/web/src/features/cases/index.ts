// The case screens: 我的待办, 上报问题, 案件列表, 案件详情.
export { InboxPage } from './InboxPage';
export { ReportPage } from './ReportPage';
export { CaseListPage } from './CaseListPage';
export { CaseDetailPage } from './CaseDetailPage';
export { landingPage, isFieldUser } from './common';
