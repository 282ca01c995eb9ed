import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressKind, addressRefusal, bareHost, isLocalName, webhookUrlProblem } from './destination.rules.js';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const DINGTALK = 'https://oapi.dingtalk.com/robot/send?access_token=abc123def456';

describe('robots only at their official https address', () => {
  it('accepts the official addresses (DingTalk also with a stale timestamp and sign, replaced when sending)', () => {
    expect(webhookUrlProblem('wecom', WECOM)).toBeNull();
    expect(webhookUrlProblem('wecom', ` ${WECOM} `)).toBeNull();
    expect(webhookUrlProblem('wecom', WECOM.replace('qyapi.weixin.qq.com', 'QYAPI.weixin.qq.com:443'))).toBeNull();
    expect(webhookUrlProblem('dingtalk', DINGTALK)).toBeNull();
    expect(webhookUrlProblem('dingtalk', `${DINGTALK}&timestamp=1&sign=abc`)).toBeNull();
  });

  it.each([
    ['wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'https'],
    ['wecom', 'https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', 'https://evil.cn/cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', 'https://qyapi.weixin.qq.com./cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', 'https://x.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', 'https://127.0.0.1/cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', 'https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abc', '端口'],
    ['wecom', 'https://qyapi.weixin.qq.com:80/cgi-bin/webhook/send?key=abc', '端口'],
    ['wecom', 'https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', '用户名或密码'],
    ['wecom', 'https://evil.cn@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', '用户名或密码'],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/other?key=abc', '地址应为'],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', '地址应为'],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a&key=b', '地址应为'],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc&url=http://x', '地址应为'],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a%0Ab', '地址应为'],
    ['wecom', 'https://qyapi.weixin.qq.com\\@evil.cn/cgi-bin/webhook/send?key=abc', '地址应为'],
    ['dingtalk', 'https://oapi.dingtalk.com/robot/send', '地址应为'],
    ['dingtalk', 'https://oapi.dingtalk.com.cn/robot/send?access_token=a', '官方地址'],
    ['dingtalk', 'http://oapi.dingtalk.com/robot/send?access_token=a', 'https'],
    ['dingtalk', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', '官方地址'],
    ['wecom', DINGTALK, '官方地址'],
    ['wecom', 'ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'http'],
    ['wecom', 'qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'http'],
  ] as const)('%s %s is refused (%s)', (format, url, words) => {
    const p = webhookUrlProblem(format, url);
    expect(p).toContain(words);
    expect(p).toMatch(/^[^\x00-\x7F]/); // Chinese first
    expect(p).toMatch(/\([^)]*[a-z][^)]*\)/); // English in parentheses
  });

  it('with the test-only allowance a robot may point at a loopback listener, and at nothing else', () => {
    const allow = { allowPrivate: true };
    expect(webhookUrlProblem('wecom', 'http://127.0.0.1:3000/k?key=a', allow)).toBeNull();
    expect(webhookUrlProblem('dingtalk', 'http://localhost:3000/d', allow)).toBeNull();
    expect(webhookUrlProblem('wecom', 'http://[::1]:3000/k', allow)).toBeNull();
    expect(webhookUrlProblem('wecom', 'http://127.0.0.1:3000/k?key=a')).not.toBeNull();
    expect(webhookUrlProblem('wecom', 'http://10.0.0.1/k?key=a', allow)).not.toBeNull();
    expect(webhookUrlProblem('wecom', 'https://evil.cn/k?key=a', allow)).not.toBeNull();
  });
});

describe('plain JSON: not this machine, not the local network', () => {
  it('accepts public hosts over http or https, on 80, 443 or 1024 and above', () => {
    for (const url of ['https://example.com/hook', 'http://example.com/hook', 'https://hooks.example.cn:8443/x?a=1',
      'http://93.184.216.34/x', 'https://[2400:3200::1]/x', 'http://example.com:80/', 'https://example.com:65535/']) {
      expect(webhookUrlProblem('json', url), url).toBeNull();
    }
  });

  it.each([
    'http://127.0.0.1/x', 'http://127.1.2.3:8080/x', 'http://2130706433/', 'http://0x7f.1/', 'http://017700000001/',
    'http://10.0.0.5/x', 'http://172.16.3.4/', 'http://172.31.255.255/', 'http://192.168.1.1/', 'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0/', 'http://224.0.0.1/', 'http://255.255.255.255/', 'http://240.0.0.1/',
    'http://[::1]/', 'http://[::]/', 'http://[fe80::1]/', 'http://[fc00::1]/', 'http://[fd12:3456::1]/', 'http://[ff02::1]/',
    'http://[::ffff:127.0.0.1]/', 'http://[::ffff:10.0.0.1]/', 'http://[::ffff:169.254.169.254]/', 'http://[::127.0.0.1]/',
    'http://[64:ff9b::a00:1]/', 'http://[2002:a00:1::]/', 'http://[2001:db8::1]/',
  ])('refuses the address %s', (url) => {
    const p = webhookUrlProblem('json', url);
    expect(p).toContain('不能发往');
    expect(p).toContain('(refused: not a public address)');
  });

  it.each(['http://localhost:8080/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://printer.local/', 'http://intranet/',
    'http://db.internal/', 'http://nas.lan/', 'http://router.home.arpa/', 'http://1.0.0.127.in-addr.arpa/', 'http://x.localdomain/'])(
    'refuses the local name %s', (url) => {
      expect(webhookUrlProblem('json', url)).toContain('(refused: a local host name)');
    });

  it('refuses service ports below 1024 other than 80 and 443, and credentials in the URL', () => {
    expect(webhookUrlProblem('json', 'http://example.com:25/')).toContain('端口 25');
    expect(webhookUrlProblem('json', 'https://example.com:22/')).toContain('端口 22');
    expect(webhookUrlProblem('json', 'https://u:p@example.com/')).toContain('用户名或密码');
  });

  it('with the test-only allowance loopback and private addresses and local names are let through', () => {
    const allow = { allowPrivate: true };
    for (const url of ['http://127.0.0.1:3000/x', 'http://localhost:3000/', 'http://10.1.2.3:8080/', 'http://[::1]:3000/']) {
      expect(webhookUrlProblem('json', url, allow), url).toBeNull();
    }
  });
});

describe('addresses', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const privateV4 = fc.oneof(
    fc.tuple(fc.constant(127), octet, octet, octet),
    fc.tuple(fc.constant(10), octet, octet, octet),
    fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
    fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
    fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
    fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
    fc.tuple(fc.constant(0), octet, octet, octet),
    fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
  ).map((o) => o.join('.'));
  const hex = (a: number, b: number) => ((a << 8) | b).toString(16);

  it('every loopback, private, link-local, CGNAT, unspecified and multicast IPv4 is refused, also written as IPv4-mapped IPv6', () => {
    fc.assert(fc.property(privateV4, (ip) => {
      const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
      expect(addressRefusal(ip)).not.toBeNull();
      expect(addressRefusal(`::ffff:${ip}`)).not.toBeNull();
      expect(addressRefusal(`[::ffff:${hex(a, b)}:${hex(c, d)}]`)).not.toBeNull();
      expect(webhookUrlProblem('json', `http://${ip}:8080/`)).not.toBeNull();
      expect(webhookUrlProblem('json', `http://[::ffff:${ip}]:8080/`)).not.toBeNull();
      expect(webhookUrlProblem('json', `http://${(((a * 256 + b) * 256 + c) * 256 + d)}:8080/`)).not.toBeNull(); // as one number
    }));
  });

  it('every unique-local (fc00::/7) and link-local (fe80::/10) IPv6 is refused', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    fc.assert(fc.property(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.array(group, { minLength: 7, maxLength: 7 }), (first, rest) => {
      expect(addressKind([first.toString(16), ...rest].join(':'))).toBe('uniqueLocal');
    }));
    fc.assert(fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), fc.array(group, { minLength: 7, maxLength: 7 }), (first, rest) => {
      expect(addressRefusal([first.toString(16), ...rest].join(':'))).not.toBeNull();
    }));
  });

  it('public addresses pass', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '114.114.114.114', '223.5.5.5', '2400:3200::1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect(addressRefusal(ip), ip).toBeNull();
    }
    expect(addressRefusal('not an ip')).toBe('invalid');
    expect(addressRefusal('not an ip', { allowPrivate: true })).toBe('invalid');
    expect(addressRefusal('127.0.0.1', { allowPrivate: true })).toBeNull();
  });

  it('host helpers', () => {
    expect(bareHost('[::1]')).toBe('::1');
    expect(bareHost('Example.COM.')).toBe('example.com');
    expect(isLocalName('example.com')).toBe(false);
    expect(isLocalName('localhost')).toBe(true);
    expect(isLocalName('evil-localhost.com')).toBe(false);
  });
});
