// The guarded POST against a real local listener: what is refused never reaches it.
import type dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeFailure, guardedLookup, OutboundFailure, postGuarded, REFUSED_PRIVATE, type PostOptions } from './outbound.js';

const hits: string[] = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url!);
    req.resume();
    if (req.url === '/redirect') res.writeHead(302, { location: '/landed' }).end('moved');
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(100_000));
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"internal":"INTERNAL-PAGE-TEXT"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => { hits.length = 0; });

/** A resolver that answers every name with the given addresses (as a rebinding DNS server would). */
const resolvesTo = (...addresses: string[]): NonNullable<PostOptions['resolve']> => (_name, _opts, cb) =>
  cb(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

async function attempt(url: string, opts: Partial<PostOptions> = {}) {
  try {
    return { ok: true as const, ...(await postGuarded(url, { 'content-type': 'application/json' }, '{}', { timeoutMs: 3000, readAnswer: true, ...opts })) };
  } catch (e) {
    return { ok: false as const, error: describeFailure(e, 3000) };
  }
}

describe('guardedLookup', () => {
  const ask = (lookup: ReturnType<typeof guardedLookup>, all: boolean) => new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>(
    (r) => lookup('name.example', all ? { all: true } : {}, (err, address, family) => r({ err, address, family })));

  it('passes public addresses in both shapes net asks for', async () => {
    const l = guardedLookup({}, resolvesTo('93.184.216.34', '2400:3200::1'));
    expect(await ask(l, true)).toMatchObject({ err: null, address: [{ address: '93.184.216.34', family: 4 }, { address: '2400:3200::1', family: 6 }] });
    expect(await ask(l, false)).toMatchObject({ err: null, address: '93.184.216.34', family: 4 });
  });

  it('refuses when any resolved address is loopback, private, link-local, unique-local or mapped', async () => {
    for (const bad of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '169.254.169.254', '::1', 'fd00::5', '::ffff:127.0.0.1', '0.0.0.0', '100.100.100.200']) {
      const r = await ask(guardedLookup({}, resolvesTo('93.184.216.34', bad)), false);
      expect(r.err?.code, bad).toBe('EWANGGE_PRIVATE');
      expect(describeFailure(r.err, 1000)).toBe(REFUSED_PRIVATE);
    }
    expect((await ask(guardedLookup({ allowPrivate: true }, resolvesTo('127.0.0.1')), false)).err).toBeNull();
    expect((await ask(guardedLookup({}, resolvesTo()), false)).err?.code).toBe('ENOTFOUND');
  });
});

describe('postGuarded against a local listener', () => {
  it.each([
    `http://127.0.0.1:PORT/a`, `http://[::1]:PORT/a`, `http://[::ffff:127.0.0.1]:PORT/a`, `http://2130706433:PORT/a`,
    `http://10.0.0.1:PORT/a`, `http://localhost:PORT/a`,
  ])('refuses %s before anything is sent', async (template) => {
    const r = await attempt(template.replace('PORT', String(port)));
    expect(r).toEqual({ ok: false, error: REFUSED_PRIVATE });
    expect(hits).toEqual([]);
  });

  it('refuses a public-looking name that resolves to 127.0.0.1 at connect time (DNS rebinding)', async () => {
    const r = await attempt(`http://hooks.example.com:${port}/a`, { resolve: resolvesTo('127.0.0.1') });
    expect(r).toEqual({ ok: false, error: REFUSED_PRIVATE });
    expect(hits).toEqual([]);
  });

  it('with the test-only allowance the listener is reached; a name resolving to it too', async () => {
    expect(await attempt(`http://127.0.0.1:${port}/a`, { allowPrivate: true })).toMatchObject({ ok: true, status: 200 });
    expect(await attempt(`http://hooks.example.com:${port}/b`, { allowPrivate: true, resolve: resolvesTo('127.0.0.1') })).toMatchObject({ ok: true, status: 200 });
    expect(hits).toEqual(['/a', '/b']);
  });

  it('follows no redirect, reads the answer only when asked, and at most the limit', async () => {
    expect(await attempt(`http://127.0.0.1:${port}/redirect`, { allowPrivate: true })).toEqual({ ok: true, status: 302, text: '' });
    expect(hits).toEqual(['/redirect']);
    expect(await attempt(`http://127.0.0.1:${port}/a`, { allowPrivate: true, readAnswer: false })).toEqual({ ok: true, status: 200, text: '' });
    expect(await attempt(`http://127.0.0.1:${port}/big`, { allowPrivate: true, maxAnswerBytes: 1024 })).toEqual({ ok: true, status: 200, text: '' });
  });

  it('failures are told in fixed words', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await attempt(`http://127.0.0.1:${closedPort}/`, { allowPrivate: true })).toEqual({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    const silent = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const r = await postGuarded(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, {}, '{}', { timeoutMs: 200, readAnswer: true, allowPrivate: true })
      .catch((e: unknown) => describeFailure(e, 200));
    expect(r).toBe('超时 (no answer within 0.2 s)');
    silent.closeAllConnections();
    await new Promise((res) => silent.close(res));
    expect(await attempt('ftp://example.com/')).toEqual({ ok: false, error: expect.stringContaining('http') });
    expect(describeFailure(new Error('<html>secret internal page</html>'), 1000)).toBe('连接失败 (request failed)');
    expect(describeFailure(Object.assign(new Error('remote said things'), { code: 'ECONNRESET' }), 1000)).not.toContain('remote');
    expect(describeFailure(new OutboundFailure('地址无效 (invalid url)'), 1000)).toBe('地址无效 (invalid url)');
    const resolveFails: NonNullable<PostOptions['resolve']> = (_n, _o, cb) => cb(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }) as NodeJS.ErrnoException, [] as dns.LookupAddress[]);
    expect(await attempt(`http://nowhere.example.com:${port}/`, { resolve: resolveFails })).toEqual({ ok: false, error: '连接失败：域名无法解析 (name not found, ENOTFOUND)' });
  });
});
