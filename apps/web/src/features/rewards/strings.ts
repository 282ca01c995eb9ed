// The words of the rewards screens (积分与奖励), Chinese first. Kept here rather than in the shared
// i18n.ts: the words are these screens' alone. The language follows the app's.
import { useCallback } from 'react';
import { useI18n } from '../../i18n';

const zh = {
  title: '积分与奖励', explain: '信用赋能：群众有效上报、门前三包和示范户评选得积分，积分在积分超市兑换；重要线索给予爆料奖励（50–1000 元，须另一人审批）。',
  tabHouseholds: '户与积分', tabRounds: '示范户评选', tabShop: '积分超市', tabBounties: '爆料奖励', tabRules: '积分规则',
  village: '村', pickVillage: '选择村', pickVillageFirst: '请先选择一个村', refresh: '刷新', save: '保存', cancel: '取消', edit: '编辑', add: '新增',
  yes: '是', no: '否', none: '—', points: '积分', pointsN: '{n} 分', yuanN: '{n} 元', saved: '已保存', note: '备注', optional: '可空', actions: '操作',
  // households
  hhNo: '户号', hhHead: '户主', hhPhone: '电话', hhAddress: '地址', hhMembers: '人口', hhActive: '在册', hhInactive: '停用', hhStatus: '状态',
  hhLastCheck: '最近门前三包', hhBalance: '积分余额', hhStatement: '明细', hhSearch: '搜索户号、户主或完整手机号', hhAdd: '新增户', hhEdit: '编辑户：{name}',
  hhCreated: '已新增 {name}', hhTemplate: '下载户名册', hhImport: '导入户名册', hhImported: '已导入 {n} 行：新增 {c}，修改 {u}', hhImportFailed: '导入未进行',
  hhRow: '行', hhColumn: '列', hhProblem: '问题', hhNone: '这个村还没有登记户：新增或导入户名册', hhTotal: '共 {n} 户',
  // statement
  stTitle: '积分明细：{name}', stBalance: '余额', stEarned: '累计获得', stSpent: '累计兑换', stWhen: '时间', stWhat: '事项', stDelta: '积分', stAfter: '余额',
  hhReveal: '查看完整号码', hhRevealTitle: '查看完整手机号？', hhRevealText: '每次查看都记入审计日志，仅用于联系住户。', hhPhoneKeep: '留空则不改（现为 {phone}）', hhPhoneHelp: '手机号只显示部分；要改，填写新号码。',
  stBy: '经办', stNoEntries: '还没有积分记录', stChecks: '门前三包记录', stExchange: '兑换商品', stReporter: '上报群众',
  // frontage
  ftTitle: '门前三包检查', ftOpen: '门前三包检查', ftDate: '检查日期', ftGood: '好', ftFair: '一般', ftPoor: '差', ftSkip: '未查',
  ftAllGood: '未查的全部设为“好”', ftSave: '保存检查（{n} 户）', ftSavedN: '已保存 {n} 户的检查，共得 {p} 分', ftChecked: '已检查', ftNothing: '请至少为一户选择等级',
  ftHint: '每户每天检查一次；“好”“一般”“差”按积分规则得分。已检查的户当天不能再录。', ftNotePlaceholder: '问题（可空）', ftPointsHint: '好 {g} 分 · 一般 {f} 分 · 差 {p} 分',
  // rounds
  rdCreate: '新建评选', rdKind: '类型', rdCourtyard: '最美庭院', rdFamily: '美在家庭', rdPeriod: '期别', rdPeriodHelp: '年（2026）或季度（2026Q3）',
  rdQuota: '名额', rdEntries: '参评户', rdWinners: '获奖户', rdStatus: '状态', rdOpen: '评选中', rdDecided: '已评定', rdView: '查看',
  rdNone: '这个村还没有评选', rdScore: '得分（0–100）', rdWinner: '示范户', rdAddHouseholds: '添加参评户', rdSaveScores: '保存得分',
  rdDecide: '评定', rdDecideConfirm: '按得分评定前 {q} 名为示范户（并列的同时入选），获奖户得积分。评定后不能再修改。确定？',
  rdDecidedMsg: '已评定：{n} 户获评示范户', rdReadOnly: '已评定的评选只读', rdRule: '得分前 {q} 名入选；与第 {q} 名并列的同时入选',
  rdRemove: '移出', rdCreatedMsg: '已新建评选', rdDecidedBy: '{who} 于 {at} 评定', rdNoScore: '未打分',
  // shop
  spItems: '商品', spName: '名称', spPoints: '所需积分', spStock: '库存', spUnlimited: '不限', spExchanged: '已兑换', spActive: '上架', spInactive: '已下架',
  spStockHelp: '留空为不限', spAdd: '新增商品', spEdit: '编辑商品：{name}', spManagersOnly: '商品由镇管理员维护', spNoExchange: '您没有积分兑换的职责', spExchange: '积分兑换', spWho: '兑换人（户）', spWhoPlaceholder: '搜索户主、户号或完整手机号',
  spItem: '商品', spQty: '数量', spCost: '需 {n} 分', spDo: '兑换', spDone: '已兑换 {item}，扣 {p} 分，余额 {b} 分', spRecord: '兑换记录', spWhen: '时间',
  spBy: '经办', spNoRecord: '还没有兑换记录', spBalanceOf: '余额 {n} 分',
  // bounties
  bnPropose: '提议爆料奖励', bnCaseNo: '案件编号', bnCaseNoHelp: '13 位案件编号（群众随手拍的案件，奖励给上报人）', bnAmount: '金额（元）', bnAmountHelp: '50–1000 元',
  bnReason: '理由', bnReasonPlaceholder: '如：举报私搭乱建，线索属实，问题已整改', bnSubmit: '提议', bnProposed: '已提议，等待另一位负责人审批',
  bnList: '爆料奖励', bnCase: '案件', bnReporter: '上报人', bnStatus: '状态', bnProposer: '提议人', bnDecider: '审批', bnPaid: '发放',
  bnApprove: '批准', bnReject: '不批准', bnPay: '登记发放', bnWithdraw: '撤回', bnRejectNote: '不批准的理由', bnDecisionNote: '审批意见（可空）',
  bnPayNote: '发放说明（如：现金发放，已签收）', bnPayConfirm: '登记 {n} 元已发放给 {who}？', bnWithdrawConfirm: '撤回这条爆料奖励？', bnNone: '没有爆料奖励',
  bnAll: '全部', bnStProposed: '待审批', bnStApproved: '已批准', bnStRejected: '未批准', bnStWithdrawn: '已撤回', bnStPaid: '已发放',
  bnSecond: '须由提议人以外的镇级负责人审批', bnYours: '这是您提议的：请另一位负责人审批', bnApproved: '已批准', bnRejected: '已不批准', bnPaidMsg: '已登记发放', bnWithdrawn: '已撤回',
  bnNoReporter: '（无上报人）',
  // rules
  rlEvent: '事件', rlCategory: '事件分类', rlGrade: '等级', rlPoints: '积分', rlActive: '启用', rlNote: '说明', rlUpdated: '修改', rlAll: '全部',
  rlAdd: '新增规则', rlEdit: '编辑规则', rlExplain: '规则即数据：有效上报可按事件分类设定积分（小类优先于大类，大类优先于通用规则）；重复上报和不予立案不得分。门前三包按等级、示范户按类型得分。停用的规则不再使用；修改只影响此后的积分。',
  rlManagersOnly: '只有镇管理员可以修改积分规则', rlCategoryAny: '全部分类', rlGradeAny: '全部等级',
  evReportValid: '有效上报（立案）', evReportConfirmed: '上报核实结案', evFrontage: '门前三包', evModel: '示范户评选',
};

export type RwKey = keyof typeof zh;

const en: Record<RwKey, string> = {
  title: 'Points and rewards', explain: 'Credit: valid resident reports, frontage checks and model-household awards earn points, spent in the points shop; a significant tip earns a bounty (50–1,000 yuan, approved by a second person).',
  tabHouseholds: 'Households', tabRounds: 'Model households', tabShop: 'Points shop', tabBounties: 'Bounties', tabRules: 'Points rules',
  village: 'Village', pickVillage: 'Pick a village', pickVillageFirst: 'Pick a village first', refresh: 'Refresh', save: 'Save', cancel: 'Cancel', edit: 'Edit', add: 'Add',
  yes: 'Yes', no: 'No', none: '—', points: 'Points', pointsN: '{n} pts', yuanN: '{n} yuan', saved: 'Saved', note: 'Note', optional: 'optional', actions: 'Actions',
  hhNo: 'No.', hhHead: 'Head', hhPhone: 'Phone', hhAddress: 'Address', hhMembers: 'Members', hhActive: 'Active', hhInactive: 'Inactive', hhStatus: 'Status',
  hhLastCheck: 'Last frontage check', hhBalance: 'Balance', hhStatement: 'Statement', hhSearch: 'Search number, name or whole phone number', hhAdd: 'Add household', hhEdit: 'Edit household: {name}',
  hhCreated: 'Added {name}', hhTemplate: 'Download list', hhImport: 'Import list', hhImported: 'Imported {n} rows: {c} added, {u} changed', hhImportFailed: 'Nothing imported',
  hhRow: 'Row', hhColumn: 'Column', hhProblem: 'Problem', hhNone: 'No households yet: add them or import the list', hhTotal: '{n} households',
  stTitle: 'Statement: {name}', stBalance: 'Balance', stEarned: 'Earned', stSpent: 'Spent', stWhen: 'When', stWhat: 'What', stDelta: 'Points', stAfter: 'Balance',
  hhReveal: 'Show the full number', hhRevealTitle: 'Show the full phone number?', hhRevealText: 'Every look is written to the audit log. For contacting the household only.', hhPhoneKeep: 'Leave empty to keep ({phone})', hhPhoneHelp: 'Phones are shown in part; to change one, type the new number.',
  stBy: 'By', stNoEntries: 'No points yet', stChecks: 'Frontage checks', stExchange: 'Exchange', stReporter: 'Reporter',
  ftTitle: 'Frontage checks (门前三包)', ftOpen: 'Frontage checks', ftDate: 'Date', ftGood: 'Good', ftFair: 'Fair', ftPoor: 'Poor', ftSkip: 'Not checked',
  ftAllGood: 'Set the rest to Good', ftSave: 'Save ({n} households)', ftSavedN: 'Saved {n} checks, {p} points', ftChecked: 'Checked', ftNothing: 'Grade at least one household',
  ftHint: 'One check per household a day; grades earn points by the rules. A household checked today cannot be checked again.', ftNotePlaceholder: 'Problem (optional)', ftPointsHint: 'Good {g} · Fair {f} · Poor {p}',
  rdCreate: 'New round', rdKind: 'Kind', rdCourtyard: 'Most beautiful courtyard', rdFamily: 'Beauty in the family', rdPeriod: 'Period', rdPeriodHelp: 'A year (2026) or a quarter (2026Q3)',
  rdQuota: 'Quota', rdEntries: 'Entries', rdWinners: 'Winners', rdStatus: 'Status', rdOpen: 'Open', rdDecided: 'Decided', rdView: 'Open',
  rdNone: 'No rounds in this village', rdScore: 'Score (0–100)', rdWinner: 'Model household', rdAddHouseholds: 'Add households', rdSaveScores: 'Save scores',
  rdDecide: 'Decide', rdDecideConfirm: 'The top {q} by score (ties included) become model households and earn points. A decided round cannot change. Go ahead?',
  rdDecidedMsg: 'Decided: {n} model households', rdReadOnly: 'A decided round is read-only', rdRule: 'The top {q} win; ties with place {q} also win',
  rdRemove: 'Remove', rdCreatedMsg: 'Round created', rdDecidedBy: 'Decided by {who} at {at}', rdNoScore: 'No score',
  spItems: 'Items', spName: 'Name', spPoints: 'Points', spStock: 'Stock', spUnlimited: 'Unlimited', spExchanged: 'Exchanged', spActive: 'Offered', spInactive: 'Withdrawn',
  spStockHelp: 'Leave empty for unlimited', spAdd: 'Add item', spEdit: 'Edit item: {name}', spManagersOnly: 'Items are kept by the town administrators', spNoExchange: 'Exchanging points is not among your duties', spExchange: 'Exchange points', spWho: 'Household', spWhoPlaceholder: 'Search name, number or whole phone number',
  spItem: 'Item', spQty: 'Quantity', spCost: '{n} points', spDo: 'Exchange', spDone: 'Exchanged {item}: {p} points, balance {b}', spRecord: 'Exchange record', spWhen: 'When',
  spBy: 'By', spNoRecord: 'No exchanges yet', spBalanceOf: 'Balance {n}',
  bnPropose: 'Propose a bounty', bnCaseNo: 'Case number', bnCaseNoHelp: 'The 13-digit case number (a resident report pays its reporter)', bnAmount: 'Amount (yuan)', bnAmountHelp: '50–1,000 yuan',
  bnReason: 'Reason', bnReasonPlaceholder: 'e.g. reported an illegal structure; true and fixed', bnSubmit: 'Propose', bnProposed: 'Proposed; a second person approves',
  bnList: 'Bounties', bnCase: 'Case', bnReporter: 'Reporter', bnStatus: 'Status', bnProposer: 'Proposed by', bnDecider: 'Decision', bnPaid: 'Paid',
  bnApprove: 'Approve', bnReject: 'Reject', bnPay: 'Mark paid', bnWithdraw: 'Withdraw', bnRejectNote: 'Reason for rejecting', bnDecisionNote: 'Note (optional)',
  bnPayNote: 'Payment note (e.g. paid in cash, signed)', bnPayConfirm: 'Mark {n} yuan paid to {who}?', bnWithdrawConfirm: 'Withdraw this bounty?', bnNone: 'No bounties',
  bnAll: 'All', bnStProposed: 'Proposed', bnStApproved: 'Approved', bnStRejected: 'Rejected', bnStWithdrawn: 'Withdrawn', bnStPaid: 'Paid',
  bnSecond: 'A town officer other than the proposer approves', bnYours: 'You proposed this: another officer approves', bnApproved: 'Approved', bnRejected: 'Rejected', bnPaidMsg: 'Marked paid', bnWithdrawn: 'Withdrawn',
  bnNoReporter: '(no reporter)',
  rlEvent: 'Event', rlCategory: 'Category', rlGrade: 'Grade', rlPoints: 'Points', rlActive: 'Active', rlNote: 'Note', rlUpdated: 'Changed', rlAll: 'All',
  rlAdd: 'Add rule', rlEdit: 'Edit rule', rlExplain: 'Rules are data: valid reports may earn points per category (a sub-category beats its major category, which beats the general rule); duplicates and refusals earn nothing. Frontage checks earn by grade, model households by kind. Inactive rules are not used; changes apply from now on.',
  rlManagersOnly: 'Only town administrators change the rules', rlCategoryAny: 'Every category', rlGradeAny: 'Every grade',
  evReportValid: 'Valid report (registered)', evReportConfirmed: 'Report confirmed (closed)', evFrontage: 'Frontage check', evModel: 'Model household',
};

const DICTS = { zh, en };

/** t(key, vars) in the app's language. */
export function useRwT() {
  const { lang } = useI18n();
  return useCallback((key: RwKey, vars?: Record<string, string | number>) => {
    let s: string = DICTS[lang][key] ?? zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }, [lang]);
}
export type RwT = ReturnType<typeof useRwT>;
