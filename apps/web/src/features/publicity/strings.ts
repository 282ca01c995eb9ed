// The words of the publicity screens (宣传发动), Chinese first. Kept here rather than in the shared
// i18n.ts: the words are these screens' alone. The language follows the app's.
import { useCallback } from 'react';
import { useI18n, type Lang } from '../../i18n';

const zh = {
  menu: '宣传发动',
  save: '保存', cancel: '取消', refresh: '刷新', edit: '编辑', delete: '删除', back: '返回', add: '登记', saved: '已保存', deleted: '已删除',
  required: '必填', none: '—', loading: '加载中…', actions: '操作', note: '备注', notePlaceholder: '可空', by: '登记人', date: '日期',
  // campaigns
  listTitle: '宣传发动', listExplain: '以文化人：倡议书进村入校、音频巡回播放、条幅按村大小 5–10 条、公众号文章、宣讲活动。每个活动设目标，随时对照完成情况。',
  newCampaign: '新建活动', editCampaign: '修改活动', noCampaigns: '还没有宣传活动', open: '打开',
  cName: '活动名称', cScope: '活动范围', cScopeHelp: '镇、管区或村', cDates: '活动期间', cStarts: '开始日期', cEnds: '结束日期',
  cTargets: '目标', cTargetsHelp: '留空表示不设目标', cCreated: '活动已建立', cUpdated: '活动已修改', cDelete: '删除活动',
  cDeleteConfirm: '删除这个活动？只有没有任何记录的活动可以删除。', cPeriod: '{from} 至 {to}', cReadOnly: '您对此活动只读（可登记自己负责的村的记录）',
  cStale: '活动已被他人修改，已刷新：请核对后再改',
  // targets
  tLetters: '倡议书', tLectures: '宣讲活动', tAttendees: '宣讲受众', tPosts: '公众号文章', tAudioRounds: '音频播放',
  uLetters: '份', uLectures: '场', uAttendees: '人', uPosts: '篇', uAudioRounds: '轮',
  progress: '目标完成', ofTarget: '{a} / {t} {u}', noTarget: '{a} {u}（未设目标）', percent: '{p}%', met: '已完成',
  totLettersVillages: '发到村 {n} 份', totLettersSchools: '发到学校 {n} 份', totVan: '宣传车 {n} 轮', totLoud: '大喇叭 {n} 轮', totPlays: '共播放 {n} 次',
  totBanners: '条幅 {n} 条', totReads: '总阅读 {n} 次', bestPost: '阅读最多：《{title}》{n} 次',
  export: '导出汇总', asOf: '数据截至 {t}',
  // tabs
  tabVillages: '各村', tabLetter: '倡议书', tabAudio: '音频播放', tabBanner: '条幅', tabWechat: '公众号', tabLecture: '宣讲活动',
  // kinds
  kLetter: '倡议书', kAudio: '音频播放', kBanner: '条幅', kWechat: '公众号文章', kLecture: '宣讲活动',
  addLetter: '登记倡议书发放', addAudio: '登记音频播放', addBanner: '登记条幅清点', addWechat: '登记公众号文章', addLecture: '登记宣讲活动',
  editRecord: '修改记录', deleteConfirm: '删除这条记录？', recordSaved: '已登记', recordUpdated: '已修改', recStale: '记录已被他人修改，已刷新：请核对后再改',
  noRecords: '还没有记录', noVillageToWrite: '您没有可以登记的村',
  // fields
  fTarget: '发放对象', fToVillage: '村', fToSchool: '学校', fVillage: '村', fSchool: '学校名称', fSchoolPh: '如：新城镇中心小学',
  fQuantityLetters: '份数', fMode: '播放方式', mVan: '宣传车巡回', mLoudspeaker: '村大喇叭', fPlays: '播放次数', fRoute: '地点/路线',
  fBannersUp: '现有条幅数（清点）', fBannersHelp: '清点该村现有的条幅数，新的清点代替上一次；此村应有 {n} 条', fBannersHelpNoVillage: '清点该村现有的条幅数，新的清点代替上一次',
  fPlace: '地点', fBannerPlace: '位置', fTitle: '标题', fUrl: '链接', fUrlPh: 'https://mp.weixin.qq.com/s/…', fReads: '阅读数', fReadsAt: '阅读数更新于',
  fTopic: '主题', fVenue: '举办地点', fAtVillage: '在村里', fAtPlace: '其他地点', fVenuePh: '如：镇文化站', fAttendance: '参加人数', fOnPost: '发布日期', fOnCount: '清点日期',
  mustPickVillage: '请选择村', mustSchool: '请填写学校', mustTitle: '请填写标题', mustTopic: '请填写主题', mustVenue: '请填写地点', mustDate: '请选择日期', mustNumber: '请填写数字',
  // villages / banners
  vVillage: '村', vHouseholds: '户数', vLetters: '倡议书', vAudio: '音频（轮/次）', vLectures: '宣讲（场/人）', vBanners: '条幅 现有/应有',
  vStatus: '条幅检查', vCounted: '清点日期', vRequired: '应有', vUp: '现有', vBasis: '依据',
  sUnknown: '未清点', sShort: '不足', sOk: '达标', sOver: '超出上限',
  bannerSummary: '{v} 个村：达标 {ok}，不足 {short}，超出上限 {over}，未清点 {unknown}；现有 {up} 条，应有 {req} 条',
  bannerRuleText: '标准：每村 {min}–{max} 条，按户数：{steps}，{last} 户以上 {above} 条；户数未知按规模（小 {s} / 中 {m} / 大 {l}）。',
  onlyShort: '只看不足', schools: '学校', sSchool: '学校', sLetters: '倡议书（份）', sTimes: '发放次数', noSchools: '还没有发到学校的倡议书',
  // wechat
  wTemplate: '下载模板', wImport: '导入 Excel', wImported: '已导入 {rows} 行：新增 {c}，更新 {u}，未变 {n}', wImportFailed: '{file}：导入未进行',
  wImportHint: '下载模板（已列出本活动的文章），填好阅读数后导入；没有编号的行按“标题 + 发布日期”对应已有文章，否则新增。某一行有误时整表不导入。',
  wRow: '行', wColumn: '列', wProblem: '问题', wSaveReads: '保存阅读数', wReadsSaved: '阅读数已更新', wOpen: '打开链接',
  // lectures / audio
  aMode: '方式', aPlays: '播放次数', lAttendance: '参加人数', lTopic: '主题', lVenue: '地点',
};

export type PpKey = keyof typeof zh;

const en: Record<PpKey, string> = {
  menu: 'Publicity',
  save: 'Save', cancel: 'Cancel', refresh: 'Refresh', edit: 'Edit', delete: 'Delete', back: 'Back', add: 'Add', saved: 'Saved', deleted: 'Deleted',
  required: 'Required', none: '—', loading: 'Loading…', actions: 'Actions', note: 'Note', notePlaceholder: 'optional', by: 'Entered by', date: 'Date',
  listTitle: 'Publicity and civility', listExplain: 'Proposal letters through villages and schools, audio rounds, banners (5–10 per village by size), WeChat posts, lectures. Each campaign has targets to check the work against.',
  newCampaign: 'New campaign', editCampaign: 'Edit campaign', noCampaigns: 'No campaign yet', open: 'Open',
  cName: 'Name', cScope: 'Scope', cScopeHelp: 'A town, district or village', cDates: 'Dates', cStarts: 'Starts', cEnds: 'Ends',
  cTargets: 'Targets', cTargetsHelp: 'Leave empty for no target', cCreated: 'Campaign created', cUpdated: 'Campaign saved', cDelete: 'Delete campaign',
  cDeleteConfirm: 'Delete this campaign? Only a campaign without records can be deleted.', cPeriod: '{from} to {to}', cReadOnly: 'Read-only here (you may enter records for your own villages)',
  cStale: 'Someone else changed the campaign; reloaded: check and edit again',
  tLetters: 'Proposal letters', tLectures: 'Lectures', tAttendees: 'People reached', tPosts: 'WeChat posts', tAudioRounds: 'Audio rounds',
  uLetters: 'copies', uLectures: '', uAttendees: 'people', uPosts: 'posts', uAudioRounds: 'rounds',
  progress: 'Against targets', ofTarget: '{a} / {t} {u}', noTarget: '{a} {u} (no target)', percent: '{p}%', met: 'Met',
  totLettersVillages: '{n} to villages', totLettersSchools: '{n} to schools', totVan: 'van {n} rounds', totLoud: 'loudspeakers {n} rounds', totPlays: '{n} plays',
  totBanners: '{n} banners', totReads: '{n} reads', bestPost: 'Most read: "{title}" {n} times',
  export: 'Export summary', asOf: 'As of {t}',
  tabVillages: 'Villages', tabLetter: 'Letters', tabAudio: 'Audio', tabBanner: 'Banners', tabWechat: 'WeChat', tabLecture: 'Lectures',
  kLetter: 'Proposal letters', kAudio: 'Audio', kBanner: 'Banners', kWechat: 'WeChat post', kLecture: 'Lecture',
  addLetter: 'Letters handed out', addAudio: 'Audio round', addBanner: 'Banner count', addWechat: 'WeChat post', addLecture: 'Lecture',
  editRecord: 'Edit record', deleteConfirm: 'Delete this record?', recordSaved: 'Saved', recordUpdated: 'Saved', recStale: 'Someone else changed the record; reloaded: check and edit again',
  noRecords: 'No records yet', noVillageToWrite: 'No village you may enter records for',
  fTarget: 'Handed out to', fToVillage: 'Village', fToSchool: 'School', fVillage: 'Village', fSchool: 'School', fSchoolPh: 'e.g. the town central primary school',
  fQuantityLetters: 'Copies', fMode: 'Played by', mVan: 'Patrol van', mLoudspeaker: 'Village loudspeaker', fPlays: 'Plays', fRoute: 'Place / route',
  fBannersUp: 'Banners up (counted)', fBannersHelp: 'Count the banners up in the village; a new count replaces the last. This village needs {n}', fBannersHelpNoVillage: 'Count the banners up in the village; a new count replaces the last',
  fPlace: 'Place', fBannerPlace: 'Where', fTitle: 'Title', fUrl: 'Link', fUrlPh: 'https://mp.weixin.qq.com/s/…', fReads: 'Reads', fReadsAt: 'Reads updated',
  fTopic: 'Topic', fVenue: 'Venue', fAtVillage: 'In a village', fAtPlace: 'Elsewhere', fVenuePh: 'e.g. the town culture station', fAttendance: 'Attendance', fOnPost: 'Published', fOnCount: 'Counted on',
  mustPickVillage: 'Pick a village', mustSchool: 'Enter the school', mustTitle: 'Enter the title', mustTopic: 'Enter the topic', mustVenue: 'Enter the venue', mustDate: 'Pick the date', mustNumber: 'Enter a number',
  vVillage: 'Village', vHouseholds: 'Households', vLetters: 'Letters', vAudio: 'Audio (rounds/plays)', vLectures: 'Lectures (n/people)', vBanners: 'Banners up/needed',
  vStatus: 'Banner check', vCounted: 'Counted', vRequired: 'Needed', vUp: 'Up', vBasis: 'Basis',
  sUnknown: 'Not counted', sShort: 'Short', sOk: 'OK', sOver: 'Above maximum',
  bannerSummary: '{v} villages: {ok} OK, {short} short, {over} above maximum, {unknown} not counted; {up} up of {req} needed',
  bannerRuleText: 'Rule: {min}–{max} per village, by households: {steps}, above {last} households {above}; households unknown: by size (small {s} / medium {m} / large {l}).',
  onlyShort: 'Short only', schools: 'Schools', sSchool: 'School', sLetters: 'Letters', sTimes: 'Times', noSchools: 'No letters to schools yet',
  wTemplate: 'Download template', wImport: 'Import Excel', wImported: 'Imported {rows} rows: {c} new, {u} updated, {n} unchanged', wImportFailed: '{file}: nothing imported',
  wImportHint: 'Download the template (the campaign\'s posts), fill in the reads and import it; a row without an id matches a post by title and date, else it is added. One bad row stops the whole import.',
  wRow: 'Row', wColumn: 'Column', wProblem: 'Problem', wSaveReads: 'Save reads', wReadsSaved: 'Reads updated', wOpen: 'Open link',
  aMode: 'Mode', aPlays: 'Plays', lAttendance: 'Attendance', lTopic: 'Topic', lVenue: 'Venue',
};

const DICTS = { zh, en };

/** t(key, vars) in the app's language. */
export function usePpT() {
  const { lang } = useI18n();
  return useCallback((key: PpKey, vars?: Record<string, string | number>) => {
    let s: string = DICTS[lang][key] ?? zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }, [lang]);
}
export type PpT = ReturnType<typeof usePpT>;

/** The menu's label, for App.tsx. */
export const publicityMenuLabel = (lang: Lang) => DICTS[lang].menu;
