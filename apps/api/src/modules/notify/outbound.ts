// One POST to a webhook, refused when it would reach this machine or the local network.
//  - A literal IP is checked before connecting; a name is resolved by our own `lookup`, which refuses
//    the connection when any address it resolves to is not public. The check happens on the very
//    addresses the socket connects to, so a name that resolved to a public address when the webhook
//    was saved and to 127.0.0.1 now (DNS rebinding) is refused.
//  - node:http(s) with a fresh agent per request (no pooled socket made by someone else's lookup),
//    no proxy from the environment, and redirects never followed (a 3xx is a status like any other).
//  - Errors come back as fixed messages (`OutboundFailure.message`): nothing the remote side wrote
//    ever reaches the outbox.
//
// WANGGE_WEBHOOK_ALLOW_PRIVATE=1 is FOR TESTS ONLY: it lets deliveries reach loopback and private
// addresses (a local listener standing in for a robot or receiver). Never set it on a server.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal, bareHost, type DestinationOptions } from './destination.rules.js';

export const ALLOW_PRIVATE_ENV = 'WANGGE_WEBHOOK_ALLOW_PRIVATE';

/** The test-only allowance from the environment (`WANGGE_WEBHOOK_ALLOW_PRIVATE=1`); off unless set exactly so. */
export const allowPrivateFromEnv = (): boolean => process.env[ALLOW_PRIVATE_ENV] === '1';

export const REFUSED_PRIVATE = '连接被拒绝：目标地址是内网地址 (refused: private address)';
const REFUSED_CODE = 'EWANGGE_PRIVATE';

/** A failure told in our own words only. */
export class OutboundFailure extends Error {}

type AllLookup = (hostname: string, options: dns.LookupAllOptions, cb: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

const systemLookup: AllLookup = (hostname, options, cb) => dns.lookup(hostname, options, cb);

/**
 * A `lookup` for net.connect that resolves as usual and refuses when any resolved address is not
 * public. Answers in both shapes net asks for (`all` or a single address).
 */
export function guardedLookup(opts: DestinationOptions = {}, base: AllLookup = systemLookup): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses ?? [];
      if (!list.length) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '');
      if (list.some((a) => addressRefusal(a.address, opts) !== null)) {
        return callback(Object.assign(new Error(REFUSED_PRIVATE), { code: REFUSED_CODE }), '');
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface PostOptions extends DestinationOptions {
  timeoutMs: number;
  /** read the answer's body (robots: for errcode); otherwise only the status is kept */
  readAnswer: boolean;
  /** at most this many bytes of the answer are read; default 16 KiB */
  maxAnswerBytes?: number;
  /** for tests: how names are resolved (default: the system resolver) */
  resolve?: AllLookup;
}

export interface PostResult { status: number; text: string }

/** POSTs `body` to `target`; rejects with an error `describeFailure` turns into a fixed message. */
export function postGuarded(target: string, headers: Record<string, string>, body: string, opts: PostOptions): Promise<PostResult> {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return Promise.reject(new OutboundFailure('地址无效 (invalid url)'));
  }
  const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
  if (!mod) return Promise.reject(new OutboundFailure('地址须为 http 或 https (url must be http or https)'));
  const host = bareHost(u.hostname);
  if (isIP(host) && addressRefusal(host, opts) !== null) return Promise.reject(new OutboundFailure(REFUSED_PRIVATE));
  const max = opts.maxAnswerBytes ?? 16 * 1024;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  return new Promise<PostResult>((resolve, reject) => {
    const fail = (e: unknown) => reject(signal.aborted ? new OutboundFailure(timeoutMessage(opts.timeoutMs)) : e);
    const req = mod.request(u, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'utf8')) },
      agent: false,
      lookup: guardedLookup(opts, opts.resolve),
      signal,
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (!opts.readAnswer || status < 200 || status > 299) {
        res.destroy();
        resolve({ status, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          res.destroy();
          resolve({ status, text: '' }); // too long to be a robot's answer: read as "not JSON"
        } else chunks.push(c);
      });
      res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

const timeoutMessage = (ms: number) => `超时 (no answer within ${ms / 1000} s)`;

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: '连接失败：对方拒绝连接 (connection refused, ECONNREFUSED)',
  ECONNRESET: '连接失败：连接被对方重置 (connection reset, ECONNRESET)',
  EHOSTUNREACH: '连接失败：主机不可达 (host unreachable, EHOSTUNREACH)',
  ENETUNREACH: '连接失败：网络不可达 (network unreachable, ENETUNREACH)',
  ETIMEDOUT: '连接失败：连接超时 (connect timed out, ETIMEDOUT)',
  ENOTFOUND: '连接失败：域名无法解析 (name not found, ENOTFOUND)',
  EAI_AGAIN: '连接失败：域名暂时无法解析 (name lookup failed, EAI_AGAIN)',
  EPIPE: '连接失败：连接已断开 (connection closed, EPIPE)',
  HPE_INVALID_CONSTANT: '应答不是有效的 HTTP (invalid HTTP answer)',
};

/** A delivery error in fixed words: never a message or body from the remote side. */
export function describeFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof OutboundFailure) return e.message;
  const err = e as { name?: string; code?: string; cause?: { code?: string } } | null;
  if (err?.code === REFUSED_CODE) return REFUSED_PRIVATE;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'ABORT_ERR') return timeoutMessage(timeoutMs);
  const code = err?.code ?? err?.cause?.code;
  if (code && CONNECT_ERRORS[code]) return CONNECT_ERRORS[code]!;
  if (code && /CERT|TLS|SSL/.test(code)) return '连接失败：对方证书无效 (TLS certificate not accepted)';
  if (code && code.startsWith('HPE_')) return '应答不是有效的 HTTP (invalid HTTP answer)';
  return '连接失败 (request failed)';
}
