// 积分与奖励 (信用赋能): households and points, 门前三包, model-household rounds, the 积分超市, bounties, rules.
export { RewardsPage } from './RewardsPage';
/** The menu's label in the app's language. */
export const rewardsMenuLabel = (lang: string) => (lang === 'en' ? 'Points and rewards' : '积分与奖励');
