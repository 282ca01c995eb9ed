// The vocabulary of notifications and webhooks: which events exist and how a robot is spoken to.

export const EVENT_KINDS = [
  { key: 'case.reported', zh: '新上报问题' },
  { key: 'case.dispatched', zh: '问题已派遣' },
  { key: 'case.due_soon', zh: '即将到期' },
  { key: 'case.overdue', zh: '已超期' },
  { key: 'case.rework', zh: '退回返工' },
  { key: 'case.closed', zh: '已结案' },
  { key: 'case.request', zh: '延期/回退申请' },
  { key: 'bulletin.issued', zh: '通报已发布' },
] as const;
export type EventKind = (typeof EVENT_KINDS)[number]['key'];
export const EVENT_LABEL: Record<string, string> = Object.fromEntries(EVENT_KINDS.map((e) => [e.key, e.zh]));
/** A message queued by hand from the webhook screen; no webhook subscribes to it. */
export const TEST_EVENT = 'webhook.test';
EVENT_LABEL[TEST_EVENT] = '测试消息';

export const WEBHOOK_FORMATS = [
  { key: 'wecom', zh: '企业微信群机器人' },
  { key: 'dingtalk', zh: '钉钉自定义机器人' },
  { key: 'json', zh: '通用 JSON' },
] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]['key'];
export const isWebhookFormat = (s: string): s is WebhookFormat => WEBHOOK_FORMATS.some((f) => f.key === s);
export const isEventKind = (s: string): s is EventKind => EVENT_KINDS.some((e) => e.key === s);
