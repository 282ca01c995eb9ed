// 考核评价的管理: the other work's scores (the 60%), ratings and awards, indicators, weights and tiers.
export { OtherWorkPage } from './OtherWorkPage';
export { RatingsPage } from './RatingsPage';
export { ScoreSettingsPage } from './ScoreSettingsPage';
