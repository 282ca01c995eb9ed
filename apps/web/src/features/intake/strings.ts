// The words of the 群众上报 screen, Chinese first; the language follows the app's.
import { useCallback } from 'react';
import { useI18n } from '../../i18n';

const zh = {
  title: '群众上报', hint: '群众通过“随手拍”（/s）上报的问题：审核公开的内容、确定区域、查重，然后在案件页立案派遣。',
  tabWaiting: '待受理', tabUnreviewed: '待审核', tabAll: '全部', empty: '没有上报', refresh: '刷新', back: '返回列表',
  openPublicPage: '打开随手拍页面', pick: '从左侧选一件上报查看', loading: '加载中…',
  queued: '待定位', reviewed: '已公开', unreviewed: '未审核', reopened: '已重开', channelOpen311: '12345/对接',
  photos: '照片', hidden: '已隐藏', hide: '隐藏', show: '恢复', hiddenDone: '照片已隐藏：公众看不到它', shownDone: '照片已恢复公开',
  noPhotos: '没有照片',
  text: '群众的描述', publicText: '公开的描述', publicTextHelp: '公开给群众查询的文字：可去掉姓名、门牌、电话等个人信息。不改则公开原文。',
  review: '审核公开', reReview: '更新公开内容', reviewDone: '已审核：描述和未隐藏的照片对公众公开',
  notReviewedAlert: '未审核：公众查询时看不到描述和照片，只看到类别、村和进度。',
  reviewedAt: '已于 {at} 审核公开', redacted: '（已改写）',
  reporter: '上报人', phone: '手机号', noPhone: '未留手机号', revealPhone: '查看完整号码', contactPurged: '联系方式已按保留期限删除', publicNo: '查询编号',
  revealTitle: '查看完整手机号？', revealText: '每次查看都会记入审计日志。仅用于回访核实。', revealOk: '查看',
  call: '拨打',
  place: '区域', placeQueued: '这个位置不在任何微网格内（或在网格外），已放在镇里待定位：请指定正确的区域后再立案。',
  placePick: '调整到区域', placeDo: '调整', placeDone: '已调整到 {name}', placeOnlyBefore: '已受理或已处理的上报不能在这里改区域', mergedInto: '已作为重复件合并到',
  dups: '附近的同类问题', dupsHint: '{r} 米内、同类别、未结案的案件', noDups: '附近没有同类的未结案问题',
  distance: '{m} 米', merge: '合并为重复', mergeTitle: '作为重复件合并到 {no}？', mergeText: '本件将“不予立案（重复）”，群众查询时看到合并到的编号，跟着那一件的进度。',
  mergeDone: '已合并到 {no}', mergeNotAllowed: '只有待立案的上报可以合并',
  openCase: '打开案件（立案、派遣）', publicView: '群众看到的页面',
  rating: '群众评价', ratingNote: '评价说明', reopenNote: '重开原因',
  ratingSatisfied: '满意', ratingBasically: '基本满意', ratingUnsatisfied: '不满意',
  reportedAt: '上报时间', category: '类别', state: '状态',
};
type Key = keyof typeof zh;

const en: Record<Key, string> = {
  title: 'Residents’ reports', hint: 'Problems residents reported through the public page (/s): review what is public, place, check duplicates, then register and dispatch on the case page.',
  tabWaiting: 'Waiting', tabUnreviewed: 'To review', tabAll: 'All', empty: 'No reports', refresh: 'Refresh', back: 'Back to the list',
  openPublicPage: 'Open the public page', pick: 'Pick a report on the left', loading: 'Loading…',
  queued: 'To place', reviewed: 'Public', unreviewed: 'Not reviewed', reopened: 'Reopened', channelOpen311: '12345 / partner',
  photos: 'Photos', hidden: 'Hidden', hide: 'Hide', show: 'Show', hiddenDone: 'Photo hidden from the public', shownDone: 'Photo public again',
  noPhotos: 'No photos',
  text: 'The resident’s text', publicText: 'Public text', publicTextHelp: 'What the public sees: remove names, door numbers, phone numbers. Unchanged, the original is public.',
  review: 'Review and publish', reReview: 'Update the public text', reviewDone: 'Reviewed: the text and the photos not hidden are public',
  notReviewedAlert: 'Not reviewed: the public sees only the category, the village and the progress.',
  reviewedAt: 'Reviewed {at}', redacted: '(redacted)',
  reporter: 'Reporter', phone: 'Phone', noPhone: 'No phone left', revealPhone: 'Show the full number', contactPurged: 'Contact details removed after the retention time', publicNo: 'Tracking no.',
  revealTitle: 'Show the full phone number?', revealText: 'Every look is written to the audit log. For follow-up calls only.', revealOk: 'Show',
  call: 'Call',
  place: 'Area', placeQueued: 'The point is outside every micro-grid: it waits in the town’s queue. Place it in the right area before registering.',
  placePick: 'Move to area', placeDo: 'Move', placeDone: 'Moved to {name}', placeOnlyBefore: 'Once registered or settled, the area cannot change here', mergedInto: 'Merged as a duplicate into',
  dups: 'Similar problems nearby', dupsHint: 'Open cases of the same category within {r} m', noDups: 'No open case of the same category nearby',
  distance: '{m} m', merge: 'Merge as duplicate', mergeTitle: 'Merge into {no} as a duplicate?', mergeText: 'This report is refused as a duplicate; the resident sees the number it joined and follows that case.',
  mergeDone: 'Merged into {no}', mergeNotAllowed: 'Only reports waiting for registration can be merged',
  openCase: 'Open the case (register, dispatch)', publicView: 'What the public sees',
  rating: 'Resident’s rating', ratingNote: 'Note', reopenNote: 'Reopen reason',
  ratingSatisfied: 'Satisfied', ratingBasically: 'Basically satisfied', ratingUnsatisfied: 'Unsatisfied',
  reportedAt: 'Reported', category: 'Category', state: 'State',
};

const DICTS = { zh, en };

/** t(key, vars) in the app's language. */
export function useIntakeT() {
  const { lang } = useI18n();
  return useCallback((key: Key, vars?: Record<string, string | number>) => {
    let s: string = DICTS[lang][key] ?? zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }, [lang]);
}
export type IntakeT = ReturnType<typeof useIntakeT>;
