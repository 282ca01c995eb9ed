// Where a webhook may send. Pure: no DNS, no clock, no environment (the caller says whether the
// test-only allowance is on).
//  - WeCom and DingTalk robots: only their official address, over https, on the default port,
//    with no user name or password: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
//    and https://oapi.dingtalk.com/robot/send?access_token=… (DingTalk's timestamp/sign may be there;
//    the sender replaces them).
//  - Plain JSON: any http(s) host except loopback, private (RFC 1918), link-local, unique-local,
//    CGNAT, unspecified, multicast, reserved and documentation addresses, IPv4 embedded in IPv6
//    (mapped, NAT64, 6to4, Teredo) and names that are plainly local (localhost, *.local, a name
//    without a dot…); ports 80, 443 or 1024 and above. Names are resolved only when sending, where
//    every address they resolve to is checked again (`addressRefusal`), so DNS rebinding is refused.
// With `allowPrivate` (tests only: a local listener stands in for the robot or the receiver) private
// and loopback addresses are let through, and a robot may point at a loopback address.
import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import type { WebhookFormat } from './events.js';

export interface DestinationOptions {
  /** tests only: loopback and private addresses allowed (a local listener) */
  allowPrivate?: boolean;
}

export const ROBOT_ENDPOINTS: Record<'wecom' | 'dingtalk', { zh: string; en: string; host: string; path: string; credential: string; optional: string[] }> = {
  wecom: { zh: '企业微信群机器人', en: 'WeCom robot', host: 'qyapi.weixin.qq.com', path: '/cgi-bin/webhook/send', credential: 'key', optional: [] },
  dingtalk: { zh: '钉钉机器人', en: 'DingTalk robot', host: 'oapi.dingtalk.com', path: '/robot/send', credential: 'access_token', optional: ['timestamp', 'sign'] },
};

export const robotExample = (f: 'wecom' | 'dingtalk') => {
  const e = ROBOT_ENDPOINTS[f];
  return `https://${e.host}${e.path}?${e.credential}=…`;
};

/** A URL's host as a bare name or address: no IPv6 brackets, no trailing dot, lower case. */
export function bareHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** What kind of address an IP is when it may not be reached (e.g. 'loopback', 'private'); null when it is a public unicast address. */
export function addressKind(ip: string): string | null {
  const bare = bareHost(ip);
  if (!ipaddr.isValid(bare)) return 'invalid';
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.process(bare); // IPv4-mapped IPv6 becomes its IPv4
  } catch {
    return 'invalid';
  }
  const range = a.range();
  if (a.kind() === 'ipv4') return range === 'unicast' ? null : range;
  if (range !== 'unicast') return range;
  // Only global unicast (2000::/3) is public; this also catches ::/8 (IPv4-compatible) and the like.
  return (a as ipaddr.IPv6).match(ipaddr.IPv6.parse('2000::'), 3) ? null : 'reserved';
}

/** Whether an address is loopback (127/8, ::1, or either mapped into IPv6). */
export function isLoopback(ip: string): boolean {
  return addressKind(ip) === 'loopback';
}

/** The fixed reason an address is refused, or null when it may be reached. */
export function addressRefusal(ip: string, opts: DestinationOptions = {}): string | null {
  const kind = addressKind(ip);
  if (kind === null) return null;
  if (opts.allowPrivate && kind !== 'invalid') return null;
  return kind;
}

const LOCAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa', 'arpa', 'test', 'invalid'];

/** A host name that plainly names this machine or the local network (no DNS needed to say so). */
export function isLocalName(name: string): boolean {
  const h = bareHost(name);
  if (!h.includes('.')) return true; // a single label is completed by the resolver's search list: an internal host
  return LOCAL_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}

const formatProblem = '请填写以 http:// 或 https:// 开头的完整网址 (url must be an http or https address)';

/**
 * What is wrong with a webhook address for its format, in words (Chinese first), or null when it may be used.
 * Never resolves a name: a JSON receiver's name is checked again, with its addresses, at each send.
 */
export function webhookUrlProblem(
  format: WebhookFormat, raw: string,
  opts: DestinationOptions & {
    /** false when sending: the connection itself refuses non-public addresses (with one fixed message) */
    checkAddresses?: boolean;
  } = {},
): string | null {
  const s = raw.trim();
  let u: URL | null = null;
  try { u = new URL(s); } catch { /* reported below */ }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return `网址无效：${formatProblem}`;
  if (u.username || u.password) return '地址中不能含用户名或密码，请改用“密钥”签名 (no user name or password in the url; use the secret)';
  const host = bareHost(u.hostname);
  const ip = isIP(host) ? host : null;
  const loopbackStandIn = !!opts.allowPrivate && (ip ? isLoopback(ip) : host === 'localhost');

  if (format === 'wecom' || format === 'dingtalk') {
    if (loopbackStandIn) return null;
    const e = ROBOT_ENDPOINTS[format];
    const example = robotExample(format);
    if (u.protocol !== 'https:') return `${e.zh}地址须以 https:// 开头：${example} (${e.en}: https only)`;
    if (host !== e.host || u.hostname !== e.host) return `${e.zh}只能发往官方地址 ${example} (${e.en}: only its official host ${e.host})`;
    if (u.port) return `${e.zh}地址不能指定端口：${example} (${e.en}: no port)`;
    const params = [...u.searchParams.keys()];
    const credential = u.searchParams.getAll(e.credential);
    if (u.pathname !== e.path || u.hash || credential.length !== 1 || !/^[A-Za-z0-9_-]{1,200}$/.test(credential[0]!)
      || params.some((k) => k !== e.credential && !e.optional.includes(k))) {
      return `${e.zh}地址应为 ${example}，请从群设置中完整复制 (${e.en}: expected ${example})`;
    }
    return null;
  }

  // plain JSON
  if (opts.checkAddresses === false) { /* checked on the resolved addresses when connecting */ } else if (ip) {
    const refused = addressRefusal(ip, opts);
    if (refused) return `不能发往本机、内网或保留地址 ${host}（${refused}） (refused: not a public address)`;
  } else if (!opts.allowPrivate && isLocalName(host)) {
    return `不能发往本机或内网主机名“${host}” (refused: a local host name)`;
  }
  if (u.port) {
    const port = Number(u.port);
    if (port < 1024 && port !== 80 && port !== 443) return `不能发往端口 ${port}：只可用 80、443 或 1024 以上的端口 (port not allowed)`;
  }
  return null;
}
