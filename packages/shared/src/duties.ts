// Duties (职责权限): every action that changes something or reveals personal data has a name, and
// each name a list of roles. The lists below are the defaults, seeded from how Xincheng works
// (../shared/MECHANISM.md): cleaners and volunteers report and do their own tasks; the party
// secretary and the leaders approve money; the town office (镇管理员) enters other-work scores; the
// finance clerk (镇财务), or the town office, pays what others proposed and approved; county viewers
// read, with personal data masked. Once seeded they are data (role_duty): a
// global administrator edits them on 设置 → 职责权限, and every change is audited.
//
// A role is still held in an area: a duty lets its holder act inside the areas where they hold a
// role that has the duty. `scope: 'global'` duties (install-wide settings) need a grant over the
// whole install. `secondFactor` duties (manage and money) need a second factor at log-in.
import type { RoleKey } from './mechanism.js';

export type DutyGroup = 'network' | 'people' | 'cases' | 'routines' | 'scores' | 'rewards' | 'public' | 'publicity' | 'settings' | 'audit';

export interface DutyDef {
  key: string;
  zh: string;
  en: string;
  group: DutyGroup;
  /** the roles that have it on a new install */
  roles: readonly RoleKey[];
  /** install-wide: only a grant over the whole install carries it */
  scope?: 'global';
  /** manage or money: holders log in with a second factor */
  secondFactor?: boolean;
}

const ALL: RoleKey[] = ['admin', 'town_admin', 'finance', 'party_secretary', 'leader', 'discipline_office', 'agriculture_office', 'construction_office',
  'resident_cadre', 'village_cadre', 'grid_worker', 'cleaner', 'volunteer', 'county_viewer'];
const STAFF: RoleKey[] = ALL.filter((r) => r !== 'county_viewer');
const OFFICES: RoleKey[] = ['discipline_office', 'agriculture_office', 'construction_office'];
const TOWN: RoleKey[] = ['town_admin', 'party_secretary', 'leader', ...OFFICES];

export const DUTIES: readonly DutyDef[] = [
  // ---- reading (inside one's areas)
  { key: 'network.read', zh: '查看区域网格和人员', en: 'See areas and people', group: 'network', roles: ALL },
  { key: 'cases.read', zh: '查看案件', en: 'See cases', group: 'cases', roles: ALL },
  { key: 'routines.read', zh: '查看例行工作和完成情况', en: 'See routines and completeness', group: 'routines', roles: ALL },
  { key: 'scores.read', zh: '查看考核评分和通报', en: 'See scores and bulletins', group: 'scores', roles: ALL },
  { key: 'rewards.read', zh: '查看户、积分和奖励', en: 'See households, points and rewards', group: 'rewards', roles: ALL },
  { key: 'publicity.read', zh: '查看宣传发动', en: 'See publicity', group: 'publicity', roles: ALL },
  { key: 'intake.read', zh: '查看群众上报', en: 'See residents\' reports', group: 'public', roles: ['admin', ...TOWN, 'resident_cadre', 'village_cadre', 'county_viewer'] },
  // ---- the grid and its people
  { key: 'network.manage', zh: '管理区域网格', en: 'Manage areas', group: 'network', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'people.manage', zh: '管理人员、角色和责任分工', en: 'Manage people, roles and responsibilities', group: 'people', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'people.export', zh: '导出人员名册（含手机号）', en: 'Export the roster (with phones)', group: 'people', roles: ['admin', 'town_admin'] },
  // ---- the case loop
  { key: 'cases.report', zh: '上报问题、上传照片', en: 'Report a problem, upload photos', group: 'cases', roles: STAFF },
  { key: 'cases.handle', zh: '办理案件（立案、派遣、处置、核查）', en: 'Take steps on cases', group: 'cases', roles: STAFF },
  { key: 'cases.export', zh: '导出案件', en: 'Export cases', group: 'cases', roles: ['admin', ...TOWN] },
  { key: 'categories.manage', zh: '修改事件分类', en: 'Edit the event categories', group: 'settings', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'bulletin.issue', zh: '发布每日通报', en: 'Issue the daily bulletin', group: 'scores', roles: ['admin', ...TOWN] },
  // ---- routines
  { key: 'routines.do', zh: '完成自己的任务（检查表、签到、观摩）', en: 'Do one\'s own tasks', group: 'routines', roles: STAFF },
  { key: 'routines.manage', zh: '修改例行计划和检查表、锁定一期', en: 'Edit plans and checklists, lock periods', group: 'routines', roles: ['admin', 'town_admin'], secondFactor: true },
  // ---- scores (money and rankings)
  { key: 'scores.other.enter', zh: '录入其他工作得分', en: 'Enter other-work scores', group: 'scores', roles: ['town_admin'], secondFactor: true },
  { key: 'scores.indicators.manage', zh: '修改考核指标、权重和等次设置', en: 'Edit indicators, weights and tiers', group: 'scores', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'scores.rating.propose', zh: '提交季度评比和年度大奖', en: 'Propose a rating or annual award', group: 'scores', roles: ['town_admin', 'agriculture_office'], secondFactor: true },
  { key: 'scores.rating.approve', zh: '审批评比奖励', en: 'Approve a rating\'s awards', group: 'scores', roles: ['party_secretary', 'leader'], secondFactor: true },
  { key: 'scores.rating.pay', zh: '登记评比奖励已发放', en: 'Mark a rating\'s awards paid', group: 'scores', roles: ['finance', 'town_admin'], secondFactor: true },
  // ---- rewards and credit
  { key: 'rewards.households.manage', zh: '管理户名册', en: 'Manage households', group: 'rewards', roles: ['admin', 'town_admin', 'resident_cadre', 'village_cadre'] },
  { key: 'rewards.frontage.enter', zh: '录入门前三包检查', en: 'Enter frontage checks', group: 'rewards', roles: ['town_admin', 'resident_cadre', 'village_cadre', 'grid_worker'] },
  { key: 'rewards.round.manage', zh: '组织示范户评选（新建、录入得分）', en: 'Run model-household rounds', group: 'rewards', roles: ['town_admin', 'resident_cadre', 'village_cadre'] },
  { key: 'rewards.round.decide', zh: '评定示范户（发积分）', en: 'Decide a model-household round', group: 'rewards', roles: ['party_secretary', 'leader'], secondFactor: true },
  { key: 'rewards.rules.manage', zh: '修改积分规则和积分超市商品', en: 'Edit points rules and shop items', group: 'rewards', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'rewards.exchange', zh: '积分兑换', en: 'Exchange points', group: 'rewards', roles: ['town_admin', 'resident_cadre', 'village_cadre'] },
  { key: 'rewards.bounty.propose', zh: '提议爆料奖励', en: 'Propose a bounty', group: 'rewards', roles: ['town_admin', ...OFFICES, 'resident_cadre'] },
  { key: 'rewards.bounty.decide', zh: '审批爆料奖励', en: 'Approve a bounty', group: 'rewards', roles: ['party_secretary', 'leader'], secondFactor: true },
  { key: 'rewards.bounty.pay', zh: '登记爆料奖励已发放', en: 'Mark a bounty paid', group: 'rewards', roles: ['finance', 'town_admin'], secondFactor: true },
  // ---- the public's part
  { key: 'intake.handle', zh: '受理群众上报（调整区域、合并重复）', en: 'Handle residents\' reports', group: 'public', roles: ['admin', 'town_admin', ...OFFICES] },
  { key: 'intake.review', zh: '审核公开群众上报、隐藏照片', en: 'Review and publish residents\' reports', group: 'public', roles: ['town_admin', ...OFFICES] },
  { key: 'personal.reveal', zh: '查看完整手机号（留痕）', en: 'Reveal a phone number (audited)', group: 'public', roles: ['town_admin', 'party_secretary', ...OFFICES] },
  { key: 'publicity.manage', zh: '管理宣传活动', en: 'Manage publicity campaigns', group: 'publicity', roles: ['admin', 'town_admin', 'agriculture_office'] },
  { key: 'publicity.record', zh: '登记宣传记录', en: 'Record publicity work', group: 'publicity', roles: ['town_admin', 'agriculture_office', 'resident_cadre', 'village_cadre', 'volunteer'] },
  // ---- install-wide settings and oversight
  { key: 'settings.manage', zh: '修改全局设置（照片核验、上报限制、工作日历、考核等次、条幅标准、保留期限）', en: 'Change install-wide settings', group: 'settings', roles: ['admin'], scope: 'global', secondFactor: true },
  { key: 'webhooks.manage', zh: '管理消息推送（群机器人）', en: 'Manage webhooks', group: 'settings', roles: ['admin', 'town_admin'], secondFactor: true },
  { key: 'open311.manage', zh: '管理 Open311 合作方密钥', en: 'Manage Open311 partner keys', group: 'settings', roles: ['admin'], scope: 'global', secondFactor: true },
  { key: 'duties.manage', zh: '修改职责权限表', en: 'Edit the duty table', group: 'settings', roles: ['admin'], scope: 'global', secondFactor: true },
  { key: 'audit.read', zh: '查看审计日志', en: 'Read the audit log', group: 'audit', roles: ['admin', 'town_admin', 'discipline_office'] },
];

export type DutyKey = (typeof DUTIES)[number]['key'];
export const DUTY_BY_KEY: Record<string, DutyDef> = Object.fromEntries(DUTIES.map((d) => [d.key, d]));
