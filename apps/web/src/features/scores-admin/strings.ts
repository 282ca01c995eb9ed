// The words of the scores' administration screens, Chinese first. Kept here rather than in the
// shared i18n.ts: the screens are many and the words are theirs alone. The language follows the app's.
import { useCallback } from 'react';
import { useI18n } from '../../i18n';

const zh = {
  // common
  save: '保存', cancel: '取消', refresh: '刷新', edit: '编辑', back: '返回', required: '必填', saved: '已保存',
  month: '月份', village: '村', district: '管区', yuan: '元', yuanN: '{n} 元', by: '{who} 于 {at}',
  tierExcellent: '优秀', tierGood: '良好', tierPass: '合格', tierFail: '不合格', tierMedal: '荣誉奖章',
  managersOnly: '只有管理员可以修改考核设置',
  // other work
  owTitle: '其他工作得分', owExplain: '其他工作得分占综合评价的 {other}%（环境整治占 {env}%）：每村每月一个 0–100 的分，季度和年度取各月平均；未录入的村不参与排名。',
  owExplainNoWeights: '其他工作得分是综合评价中环境整治以外的部分：每村每月一个 0–100 的分，季度和年度取各月平均；未录入的村不参与排名。',
  owPickArea: '选择镇或管区', owScore: '得分（0–100）', owNote: '说明', owNotePlaceholder: '可空', owEntered: '录入',
  owSourceImported: '导入', owNotEntered: '未录入', owTemplate: '下载模板', owImport: '导入 Excel',
  owSaveAll: '保存全部', owChanged: '{n} 个村有改动', owNoChanges: '没有改动', owSavedN: '已保存 {n} 个村的得分',
  owScoreRange: '得分须为 0–100 的数', owFixFirst: '请先改正标红的得分', owEntered2: '已录入 {a}/{n} 个村',
  owDiscardTitle: '放弃未保存的修改？', owDiscard: '有 {n} 个村的修改尚未保存，切换后将丢失。', owDiscardOk: '放弃并切换',
  owImportedN: '已导入 {n} 行（{file}）', owImportFailed: '{file}：导入未进行', owRow: '行', owColumn: '列', owProblem: '问题',
  owImportHint: '先下载模板（已列出本区域所有村和已录入的分），填好“得分”一列后导入；某一行有误时整表不导入。', owNoVillages: '此区域下没有村',
  owClear: '清空得分即删除该村本月的得分', owUndo: '撤销修改', owSearch: '搜索村名',
  // ratings
  rtTitle: '评比与奖励', rtTown: '镇', rtPickTown: '选择一个镇', rtPropose: '提交评比', rtKindQuarter: '每季一评比', rtKindYear: '每全年一大奖',
  rtPeriod: '期别', rtProposeHint: '季度评比按各村综合得分评定等次并发放奖励；年度大奖为全年得分最高的村颁发荣誉奖章。只能对已结束的季度或年份提交，提交后须由另一位负责人审批。',
  rtProposed: '已提交，等待另一位负责人审批', rtList: '评比记录', rtNoRatings: '还没有评比', rtStatus: '状态', rtStatusProposed: '待审批', rtStatusApproved: '已审批',
  rtProposer: '提交人', rtApprover: '审批人', rtKind: '类型', rtVillages: '村数', rtAmount: '奖励金额', rtPaid: '已发放', rtOpen: '查看',
  rtApprove: '审批通过', rtApproveConfirm: '审批通过后评比结果生效，不能再撤回。确定审批？', rtApproved: '已审批',
  rtWithdraw: '撤回', rtWithdrawConfirm: '撤回这次评比？撤回后可重新提交。', rtWithdrawn: '已撤回',
  rtRank: '名次', rtTier: '等次', rtComposite: '综合得分', rtEnvironment: '环境整治', rtOther: '其他工作', rtPaidState: '发放',
  rtMarkPaid: '登记发放', rtMarkAwarded: '登记颁发', rtMarkPaidConfirm: '登记 {v} 的奖励已发放？', rtNotPaid: '未发放', rtPaidAt: '{who} {at} 登记',
  rtTotals: '合计', rtTotalAmount: '奖励合计', rtPaidAmount: '已发放', rtUnpaidAmount: '未发放', rtAwardCount: '获奖村数', rtRatedCount: '参评村数', rtTierCounts: '各等次',
  rtUnranked: '未参与排名的村（{n}）', rtReason: '原因', rtWeights: '权重', rtWeightsText: '环境整治 {env}% · 其他工作 {other}%（自 {from} 起）',
  rtTierMode: '等次评定', rtModeThreshold: '按分数线：优秀 ≥ {e}，良好 ≥ {g}，合格 ≥ {p}', rtModeShare: '按比例：优秀 {e}%，良好 {g}%，合格 {p}%',
  rtCertificates: '打印荣誉证书', rtCertificate: '荣誉证书', rtCertNeedsApproval: '审批后可打印荣誉证书', rtPeriodRange: '{from} 至 {to}',
  rtNotFound: '没有这次评比', rtSecondPerson: '须由提交人以外的另一位负责人审批', rtYouProposed: '这是您提交的评比：请另一位负责人审批',
  rtLastEnded: '最近结束的是 {p}',
  // certificate
  ctPrint: '打印',
  ctAll: '全部证书', ctNoAwards: '这次评比没有获奖的村',
  ctOnlyYear: '荣誉证书只用于年度大奖',
  // settings
  stTitle: '考核设置', stIndicators: '指标', stWeights: '权重', stTiers: '等次与奖励',
  inCode: '代码', inName: '名称', inNameEn: '英文名称', inFormula: '公式', inDirection: '方向', inUp: '越高越好', inDown: '越低越好', inUnit: '单位',
  inTarget: '目标值', inGreen: '绿色阈值', inYellow: '黄色阈值', inThresholds: '绿 / 黄', inBase: '数据量下限', inBaseFact: '计数依据', inMinBase: '最少',
  inBaseNone: '不设下限', inBaseText: '{fact} ≥ {n}', inPeriods: '适用周期', inActive: '启用', inActiveOn: '启用', inActiveOff: '停用', inWeight: '当前权重',
  inSort: '排序', inEdit: '编辑指标：{name}', inCreate: '新建指标', inCodeRule: '小写字母开头，只含小写字母、数字和下划线（2–40 位），保存后不能修改',
  inFormulaHelp: '用下面的事实名和 + - * / 及括号；点击事实名插入。比率写作 a / b * 100。', inFacts: '可用的事实',
  inTargetHelp: '单位为 % 或 分 的指标按数值本身计分；其他单位按目标值折算，须大于 0', inThresholdHelp: '越高越好：绿色 ≥ 黄色；越低越好：绿色 ≤ 黄色',
  inBaseHelp: '数据太少（如当月案件不足 3 件）时只显示、不计分也不排名', inVersion: '第 {v} 版', inStale: '指标已被他人修改，已刷新：请核对后再改',
  inPeriodMonthly: '月', inPeriodQuarterly: '季', inPeriodYearly: '年', inSaved: '指标已保存',
  wtCurrent: '当前权重', wtFrom: '自 {m} 起生效', wtNone: '还没有权重', wtEnvironment: '环境整治', wtOther: '其他工作', wtComposite: '综合评价 = 环境整治 × {env}% + 其他工作 × {other}%',
  wtIndicatorsOf: '环境整治各指标', wtNew: '新的权重', wtValidFrom: '生效月份', wtValidFromHelp: '从该月起的评分使用新权重；之前各期仍按原来的权重',
  wtSum: '合计 {n}%', wtMustBe100: '须为 100%', wtNote: '说明', wtNotePlaceholder: '如：年初调整，提高按期处置率的比重', wtSaveNew: '保存新的权重',
  wtHistory: '历史', wtCreatedBy: '设置人', wtInactive: '（停用）', wtSaved: '新的权重已保存，自 {m} 起生效', wtCurrentTag: '当前', wtFuture: '待生效',
  wtLevel1: '第一层：环境整治 + 其他工作 = 100%', wtLevel2: '第二层：环境整治各指标合计 = 100%', wtMonthNeeded: '请选择生效月份',
  trMode: '评定方式', trThreshold: '按分数线', trShare: '按比例', trThresholds: '分数线（综合得分）', trShares: '比例（%，按排名）',
  trSharesHelp: '按排名先后，前若干比例为优秀，依次为良好、合格，其余为不合格；合计不超过 100%', trThresholdsHelp: '综合得分不低于分数线即为该等次；须从高到低',
  trRewards: '每村奖励（元，季度评比）', trRewardsHelp: '须按等次从高到低', trRedBlack: '红黑榜各列村数', trAnnual: '年度大奖村数', trPicks: '每月观摩每个管区最好/最差各选',
  trSaved: '设置已保存',
};

export type SaKey = keyof typeof zh;

const en: Record<SaKey, string> = {
  save: 'Save', cancel: 'Cancel', refresh: 'Refresh', edit: 'Edit', back: 'Back', required: 'Required', saved: 'Saved',
  month: 'Month', village: 'Village', district: 'District', yuan: 'yuan', yuanN: '{n} yuan', by: '{who} at {at}',
  tierExcellent: 'Excellent', tierGood: 'Good', tierPass: 'Pass', tierFail: 'Fail', tierMedal: 'Honour medal',
  managersOnly: 'Only administrators may change the score settings',
  owTitle: 'Other-work scores', owExplain: 'Other work is {other}% of the composite (environment remediation {env}%): one 0–100 score per village and month; a quarter or year takes the mean of its months. Villages without it are not ranked.',
  owExplainNoWeights: 'Other work is the part of the composite besides environment remediation: one 0–100 score per village and month; a quarter or year takes the mean. Villages without it are not ranked.',
  owPickArea: 'Pick a town or district', owScore: 'Score (0–100)', owNote: 'Note', owNotePlaceholder: 'optional', owEntered: 'Entered',
  owSourceImported: 'imported', owNotEntered: 'Not entered', owTemplate: 'Download template', owImport: 'Import Excel',
  owSaveAll: 'Save all', owChanged: '{n} village(s) changed', owNoChanges: 'No changes', owSavedN: 'Saved the scores of {n} village(s)',
  owScoreRange: 'A score is a number from 0 to 100', owFixFirst: 'Correct the scores marked in red first', owEntered2: '{a}/{n} villages entered',
  owDiscardTitle: 'Discard unsaved changes?', owDiscard: 'Changes to {n} village(s) are not saved and will be lost.', owDiscardOk: 'Discard and switch',
  owImportedN: 'Imported {n} row(s) ({file})', owImportFailed: '{file}: nothing imported', owRow: 'Row', owColumn: 'Column', owProblem: 'Problem',
  owImportHint: 'Download the template (all villages of the area with the scores so far), fill in the score column and import it; one bad row stops the whole import.', owNoVillages: 'No village in this area',
  owClear: " An empty score deletes the village's score for the month", owUndo: 'Undo changes', owSearch: 'Search villages',
  rtTitle: 'Ratings and awards', rtTown: 'Town', rtPickTown: 'Pick a town', rtPropose: 'Propose', rtKindQuarter: 'Quarterly rating', rtKindYear: 'Annual award',
  rtPeriod: 'Period', rtProposeHint: 'The quarterly rating gives each village a tier by its composite score, with rewards; the annual award gives honour medals to the year\'s top villages. Only an ended quarter or year can be proposed, and another leader must approve.',
  rtProposed: 'Proposed: waiting for another leader to approve', rtList: 'Ratings', rtNoRatings: 'No rating yet', rtStatus: 'Status', rtStatusProposed: 'Proposed', rtStatusApproved: 'Approved',
  rtProposer: 'Proposed by', rtApprover: 'Approved by', rtKind: 'Kind', rtVillages: 'Villages', rtAmount: 'Amount', rtPaid: 'Paid', rtOpen: 'Open',
  rtApprove: 'Approve', rtApproveConfirm: 'Once approved the rating takes effect and cannot be withdrawn. Approve?', rtApproved: 'Approved',
  rtWithdraw: 'Withdraw', rtWithdrawConfirm: 'Withdraw this rating? It can be proposed again.', rtWithdrawn: 'Withdrawn',
  rtRank: 'Rank', rtTier: 'Tier', rtComposite: 'Composite', rtEnvironment: 'Environment', rtOther: 'Other work', rtPaidState: 'Payment',
  rtMarkPaid: 'Mark paid', rtMarkAwarded: 'Mark awarded', rtMarkPaidConfirm: 'Mark the award of {v} paid?', rtNotPaid: 'Not paid', rtPaidAt: 'by {who} {at}',
  rtTotals: 'Totals', rtTotalAmount: 'Total rewards', rtPaidAmount: 'Paid', rtUnpaidAmount: 'Unpaid', rtAwardCount: 'Villages awarded', rtRatedCount: 'Villages rated', rtTierCounts: 'By tier',
  rtUnranked: 'Villages not ranked ({n})', rtReason: 'Reason', rtWeights: 'Weights', rtWeightsText: 'environment {env}% · other work {other}% (from {from})',
  rtTierMode: 'Tiers', rtModeThreshold: 'by score: excellent ≥ {e}, good ≥ {g}, pass ≥ {p}', rtModeShare: 'by share: excellent {e}%, good {g}%, pass {p}%',
  rtCertificates: 'Print certificates', rtCertificate: 'Certificate', rtCertNeedsApproval: 'Certificates can be printed once approved', rtPeriodRange: '{from} to {to}',
  rtNotFound: 'No such rating', rtSecondPerson: 'A leader other than the proposer must approve', rtYouProposed: 'You proposed this rating: another leader approves it',
  rtLastEnded: 'The last ended is {p}',
  ctPrint: 'Print',
  ctAll: 'All certificates', ctNoAwards: 'No village was awarded',
  ctOnlyYear: 'Certificates are for the annual award only',
  stTitle: 'Score settings', stIndicators: 'Indicators', stWeights: 'Weights', stTiers: 'Tiers and rewards',
  inCode: 'Code', inName: 'Name', inNameEn: 'English name', inFormula: 'Formula', inDirection: 'Direction', inUp: 'Higher is better', inDown: 'Lower is better', inUnit: 'Unit',
  inTarget: 'Target', inGreen: 'Green threshold', inYellow: 'Yellow threshold', inThresholds: 'Green / yellow', inBase: 'Minimum data', inBaseFact: 'Counted by', inMinBase: 'At least',
  inBaseNone: 'No minimum', inBaseText: '{fact} ≥ {n}', inPeriods: 'Periods', inActive: 'Active', inActiveOn: 'Active', inActiveOff: 'Off', inWeight: 'Weight now',
  inSort: 'Order', inEdit: 'Edit indicator: {name}', inCreate: 'New indicator', inCodeRule: 'A lower-case letter first, then lower-case letters, digits or _ (2–40); fixed once saved',
  inFormulaHelp: 'Use the facts below with + - * / and brackets; click a fact to insert it. A rate is a / b * 100.', inFacts: 'Facts',
  inTargetHelp: 'Units % and 分 score as the value itself; other units score against the target, which must be above 0', inThresholdHelp: 'Higher is better: green ≥ yellow; lower is better: green ≤ yellow',
  inBaseHelp: 'With too little data (e.g. fewer than 3 cases in the month) the value is shown but neither scored nor ranked', inVersion: 'Version {v}', inStale: 'Someone else changed the indicator; reloaded: check and edit again',
  inPeriodMonthly: 'Month', inPeriodQuarterly: 'Quarter', inPeriodYearly: 'Year', inSaved: 'Indicator saved',
  wtCurrent: 'Weights in force', wtFrom: 'from {m}', wtNone: 'No weights yet', wtEnvironment: 'Environment', wtOther: 'Other work', wtComposite: 'Composite = environment × {env}% + other work × {other}%',
  wtIndicatorsOf: 'Environment indicators', wtNew: 'New weights', wtValidFrom: 'Takes effect from', wtValidFromHelp: 'Scores from this month on use the new weights; earlier periods keep theirs',
  wtSum: 'Sum {n}%', wtMustBe100: 'must be 100%', wtNote: 'Note', wtNotePlaceholder: 'e.g. more weight on on-time fixes from January', wtSaveNew: 'Save the new weights',
  wtHistory: 'History', wtCreatedBy: 'Set by', wtInactive: '(off)', wtSaved: 'New weights saved, in force from {m}', wtCurrentTag: 'in force', wtFuture: 'upcoming',
  wtLevel1: 'Level 1: environment + other work = 100%', wtLevel2: 'Level 2: the environment indicators add up to 100%', wtMonthNeeded: 'Pick the month',
  trMode: 'Tiers by', trThreshold: 'Score thresholds', trShare: 'Shares of the ranking', trThresholds: 'Thresholds (composite score)', trShares: 'Shares (%, by rank)',
  trSharesHelp: 'By rank: the first share is excellent, then good, then pass, the rest fail; at most 100% together', trThresholdsHelp: 'A composite at or above the threshold gets the tier; high to low',
  trRewards: 'Reward per village (yuan, quarterly rating)', trRewardsHelp: 'High to low by tier', trRedBlack: 'Villages on each of the red and black lists', trAnnual: 'Villages for the annual award', trPicks: 'Monthly observation: best/worst per district',
  trSaved: 'Settings saved',
};

const DICTS = { zh, en };

/** t(key, vars) in the app's language. */
export function useSaT() {
  const { lang } = useI18n();
  return useCallback((key: SaKey, vars?: Record<string, string | number>) => {
    let s: string = DICTS[lang][key] ?? zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }, [lang]);
}
export type SaT = ReturnType<typeof useSaT>;
