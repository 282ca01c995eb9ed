// 宣传发动 (publicity and civility): campaigns, their targets and records, the banner check.
export { PublicityPage } from './PublicityPage';
export { publicityMenuLabel } from './strings';
