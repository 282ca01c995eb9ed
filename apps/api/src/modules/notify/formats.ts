// What goes over the wire to a webhook, and what its answer means. Pure: no I/O, no clock.
//  - WeCom group robot (企业微信群机器人): POST {"msgtype":"markdown","markdown":{"content"}};
//    the URL's `key` is the credential; content at most 4096 bytes.
//  - DingTalk custom robot (钉钉自定义机器人): POST {"msgtype":"markdown","markdown":{"title","text"}};
//    with 加签 the URL gets `timestamp` (ms) and `sign` = base64(HmacSHA256(secret, `${timestamp}\n${secret}`)).
//  - Plain JSON: POST {event, title, body, payload}; with a secret, X-Wangge-Signature is
//    `sha256=` + hex(HmacSHA256(secret, `${timestamp}.${body}`)) and X-Wangge-Timestamp the timestamp.
// WeCom and DingTalk answer HTTP 200 with {"errcode":0,...} on success; any other errcode is a failure.
// Robot messages carry residents' and staff text (titles, bodies) through `robotText`/`robotLine`:
// shown as plain text, never as a link, image or markup. The JSON format carries them as data.
// What an answer means is said in fixed words (`interpretResponse`): the remote side's text is never kept.
import { createHmac } from 'node:crypto';
import { EVENT_LABEL, type WebhookFormat } from './events.js';
import { robotLine, robotText } from './robot-text.js';

/** What an outbox row carries (its `payload` column): rendered for the webhook's format at send time. */
export interface OutboxMessage {
  event: string;
  title: string;
  body: string | null;
  payload: unknown;
  areaPath: string | null;
  caseId: number | null;
  at: string; // ISO time the event happened
}

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const WECOM_MAX_BYTES = 4096;
export const DINGTALK_MAX_BYTES = 18_000;

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character, marking the cut with "…". */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const ell = '…';
  let out = '';
  let bytes = Buffer.byteLength(ell, 'utf8');
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out + ell;
}

/** A time as China reads it (UTC+8, no daylight saving): 2026-03-01 08:05. */
export function chinaTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function markdownLines(m: OutboxMessage): string[] {
  const lines = [];
  const body = m.body ? robotText(m.body).trim() : '';
  if (body) lines.push(body, '');
  lines.push(`> 类型：${EVENT_LABEL[m.event] ?? robotLine(m.event)}`);
  if (m.caseId) lines.push(`> 案件：#${m.caseId}`);
  lines.push(`> 时间：${chinaTime(m.at)}`);
  return lines;
}

export function wecomBody(m: OutboxMessage): object {
  const content = [`**【网格】${robotLine(m.title)}**`, ...markdownLines(m)].join('\n');
  return { msgtype: 'markdown', markdown: { content: truncateBytes(content, WECOM_MAX_BYTES) } };
}

export function dingtalkBody(m: OutboxMessage): object {
  const title = truncateBytes(`【网格】${robotLine(m.title)}`, 200);
  const text = [`#### ${title}`, '', ...markdownLines(m).map((l) => (l.startsWith('>') ? `${l}\n` : l))].join('\n');
  return { msgtype: 'markdown', markdown: { title, text: truncateBytes(text, DINGTALK_MAX_BYTES) } };
}

export function jsonBody(m: OutboxMessage): object {
  return { event: m.event, title: m.title, body: m.body, payload: m.payload };
}

/** DingTalk's 加签: base64(HmacSHA256(key = secret, data = `${timestamp}\n${secret}`)). */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The robot URL with `timestamp` and URL-encoded `sign` appended (replacing any already there). */
export function dingtalkSignedUrl(url: string, secret: string, timestamp: number): string {
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', dingtalkSign(secret, timestamp));
  return u.toString();
}

export function jsonSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The HTTP request for one outbox row. `now` is the send time in ms (used by the signatures). */
export function buildRequest(
  hook: { format: WebhookFormat; url: string; secret: string | null },
  m: OutboxMessage,
  opts: { now: number; deliveryId: number },
): HttpRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-wangge-event': m.event,
    'x-wangge-delivery': String(opts.deliveryId),
  };
  if (hook.format === 'wecom') return { url: hook.url, headers, body: JSON.stringify(wecomBody(m)) };
  if (hook.format === 'dingtalk') {
    const url = hook.secret ? dingtalkSignedUrl(hook.url, hook.secret, opts.now) : hook.url;
    return { url, headers, body: JSON.stringify(dingtalkBody(m)) };
  }
  const body = JSON.stringify(jsonBody(m));
  if (hook.secret) {
    headers['x-wangge-timestamp'] = String(opts.now);
    headers['x-wangge-signature'] = jsonSignature(hook.secret, opts.now, body);
  }
  return { url: hook.url, headers, body };
}

export type DeliveryOutcome = { ok: true } | { ok: false; error: string };

/** What some of the robots' errcodes mean, in our words (the answer's own errmsg is never kept). */
export const ROBOT_ERRCODES: Record<WebhookFormat, Record<number, string>> = {
  wecom: {
    93000: '机器人地址无效或已被移除 (invalid webhook url)',
    45009: '发送过于频繁 (rate limited)',
  },
  dingtalk: {
    310000: '安全设置校验未通过：关键词、加签或 IP (security check failed)',
    300005: '机器人地址无效 (token does not exist)',
    130101: '发送过于频繁 (rate limited)',
  },
  json: {},
};

/**
 * Reads a webhook's answer: 2xx for all; WeCom and DingTalk also need {"errcode":0} in the body.
 * A failure is told in fixed words: the status, or the robot's errcode number; never the answer's text.
 */
export function interpretResponse(format: WebhookFormat, status: number, text: string): DeliveryOutcome {
  if (status >= 300 && status <= 399) return { ok: false, error: `HTTP ${status}（不跟随跳转） (redirects are not followed)` };
  if (status < 200 || status > 299) return { ok: false, error: `HTTP ${status}` };
  if (format === 'json') return { ok: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: '应答不是 JSON (answer is not JSON)' };
  }
  const errcode = (parsed as { errcode?: unknown } | null)?.errcode;
  if (errcode === 0) return { ok: true };
  if (errcode === undefined) return { ok: false, error: '应答缺少 errcode (no errcode in answer)' };
  if (typeof errcode !== 'number' || !Number.isSafeInteger(errcode)) return { ok: false, error: 'errcode 不是整数 (errcode is not a number)' };
  const meaning = ROBOT_ERRCODES[format][errcode];
  return { ok: false, error: `errcode ${errcode}${meaning ? `：${meaning}` : ''}` };
}

/**
 * A URL fit for an audit entry or a list: robot URLs carry their credential in the query
 * (`key=`, `access_token=`), so query values and any user:password are masked.
 */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '***';
  }
  if (u.username) u.username = '***';
  if (u.password) u.password = '***';
  const masked = [...u.searchParams.entries()].map(([k, v]) => [k, v.length > 8 ? `${v.slice(0, 4)}***` : '***']);
  u.search = '';
  for (const [k, v] of masked) u.searchParams.append(k!, v!);
  return u.toString().replace(/%2A/g, '*');
}

/** A secret as an audit entry may show it: only whether there is one. */
export const maskSecret = (s: string | null | undefined) => (s ? '***' : null);
