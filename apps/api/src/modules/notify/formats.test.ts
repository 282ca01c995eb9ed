import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRequest, chinaTime, dingtalkSign, dingtalkSignedUrl, interpretResponse, jsonSignature, maskSecret, maskUrl,
  truncateBytes, WECOM_MAX_BYTES, type OutboxMessage,
} from './formats.js';

const msg: OutboxMessage = {
  event: 'case.overdue', title: '已超期：C-0001 暴露垃圾（毛家村）', body: '请尽快处置', payload: { caseNo: 'C-0001' },
  areaPath: '/1/2/3/', caseId: 17, at: '2026-03-01T00:05:00.000Z',
};

describe('webhook message formats', () => {
  it('WeCom: a markdown message with the title, body, kind, case and China time', () => {
    const r = buildRequest({ format: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', secret: null }, msg, { now: 0, deliveryId: 5 });
    expect(r.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc');
    const body = JSON.parse(r.body);
    expect(Object.keys(body)).toEqual(['msgtype', 'markdown']);
    expect(body.msgtype).toBe('markdown');
    expect(Object.keys(body.markdown)).toEqual(['content']);
    expect(body.markdown.content).toContain('**【网格】已超期：C-0001 暴露垃圾（毛家村）**');
    expect(body.markdown.content).toContain('请尽快处置');
    expect(body.markdown.content).toContain('> 类型：已超期');
    expect(body.markdown.content).toContain('> 案件：#17');
    expect(body.markdown.content).toContain('> 时间：2026-03-01 08:05');
    expect(r.headers['x-wangge-delivery']).toBe('5');
    expect(r.headers['x-wangge-event']).toBe('case.overdue');
  });

  it('WeCom: content is cut to 4096 UTF-8 bytes without breaking a character', () => {
    const long = { ...msg, body: '垃'.repeat(3000) };
    const content = JSON.parse(buildRequest({ format: 'wecom', url: 'https://x.test/', secret: null }, long, { now: 0, deliveryId: 1 }).body).markdown.content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    expect(content.endsWith('…')).toBe(true);
    expect(content).not.toContain('\uFFFD');
  });

  it('DingTalk: markdown with title and text; unsigned without a secret', () => {
    const r = buildRequest({ format: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=tok', secret: null }, msg, { now: 1700000000000, deliveryId: 1 });
    expect(r.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=tok');
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('markdown');
    expect(Object.keys(body.markdown).sort()).toEqual(['text', 'title']);
    expect(body.markdown.title).toBe('【网格】已超期：C-0001 暴露垃圾（毛家村）');
    expect(body.markdown.text).toContain('#### 【网格】已超期');
    expect(body.markdown.text).toContain('请尽快处置');
  });

  it('DingTalk signing: timestamp and base64 HmacSHA256(secret, "timestamp\\nsecret"), URL-encoded', () => {
    const secret = 'SEC0123456789abcdef';
    const ts = 1700000000000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(dingtalkSign(secret, ts)).toBe(expected);
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=tok', secret, ts);
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=tok&timestamp=${ts}&sign=${encodeURIComponent(expected)}`);
    const u = new URL(url);
    expect(u.searchParams.get('sign')).toBe(expected); // decodes back to the exact base64 (+, / and = survive)
    // a known answer, so a change in the recipe shows
    expect(dingtalkSign('SECabc', 1)).toBe(createHmac('sha256', 'SECabc').update('1\nSECabc').digest('base64'));
    const r = buildRequest({ format: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=tok', secret }, msg, { now: ts, deliveryId: 1 });
    expect(r.url).toBe(url);
  });

  it('DingTalk signing replaces a stale timestamp and sign already in the URL', () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1&sign=old', 'SECx', 2);
    const u = new URL(url);
    expect(u.searchParams.getAll('timestamp')).toEqual(['2']);
    expect(u.searchParams.getAll('sign')).toEqual([dingtalkSign('SECx', 2)]);
  });

  it('plain JSON: {event, title, body, payload}; signed with a secret', () => {
    const plain = buildRequest({ format: 'json', url: 'http://127.0.0.1:9/hook', secret: null }, msg, { now: 1, deliveryId: 9 });
    expect(JSON.parse(plain.body)).toEqual({ event: 'case.overdue', title: msg.title, body: '请尽快处置', payload: { caseNo: 'C-0001' } });
    expect(plain.headers['x-wangge-signature']).toBeUndefined();
    const signed = buildRequest({ format: 'json', url: 'http://127.0.0.1:9/hook', secret: 's3cret' }, msg, { now: 1234, deliveryId: 9 });
    expect(signed.headers['x-wangge-timestamp']).toBe('1234');
    expect(signed.headers['x-wangge-signature']).toBe(jsonSignature('s3cret', 1234, signed.body));
    expect(signed.headers['x-wangge-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(`1234.${signed.body}`).digest('hex')}`);
  });
});

describe('reading the answer', () => {
  it('WeCom and DingTalk need HTTP 2xx and errcode 0; a failure keeps only the status or the errcode number', () => {
    expect(interpretResponse('wecom', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(interpretResponse('dingtalk', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    const bad = interpretResponse('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}');
    expect(bad).toEqual({ ok: false, error: 'errcode 310000：安全设置校验未通过：关键词、加签或 IP (security check failed)' });
    expect(interpretResponse('wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toEqual({ ok: false, error: 'errcode 93000：机器人地址无效或已被移除 (invalid webhook url)' });
    expect(interpretResponse('wecom', 200, '{"errcode":12345,"errmsg":"<script>x</script>"}')).toEqual({ ok: false, error: 'errcode 12345' });
    expect(interpretResponse('wecom', 200, '{"errcode":"<b>1</b>"}')).toEqual({ ok: false, error: 'errcode 不是整数 (errcode is not a number)' });
    expect(interpretResponse('wecom', 200, 'ok')).toEqual({ ok: false, error: '应答不是 JSON (answer is not JSON)' });
    expect(interpretResponse('wecom', 200, '{}')).toEqual({ ok: false, error: '应答缺少 errcode (no errcode in answer)' });
    expect(interpretResponse('wecom', 500, 'boom')).toEqual({ ok: false, error: 'HTTP 500' });
    expect(interpretResponse('wecom', 302, '')).toEqual({ ok: false, error: 'HTTP 302（不跟随跳转） (redirects are not followed)' });
  });

  it('plain JSON needs only a 2xx', () => {
    expect(interpretResponse('json', 204, '')).toEqual({ ok: true });
    expect(interpretResponse('json', 200, 'not json')).toEqual({ ok: true });
    expect(interpretResponse('json', 404, 'nope')).toEqual({ ok: false, error: 'HTTP 404' });
    expect(interpretResponse('json', 301, '')).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 301') });
  });

  it('property: nothing of the answer ever reaches the error', () => {
    const marker = 'ZQXJ';
    fc.assert(fc.property(fc.constantFrom('wecom', 'dingtalk', 'json') as fc.Arbitrary<'wecom' | 'dingtalk' | 'json'>, fc.integer({ min: 100, max: 599 }),
      fc.oneof(fc.string().map((x) => `${marker}${x}`), fc.string().map((x) => JSON.stringify({ errcode: 7, errmsg: `${marker}${x}`, [marker]: x }))),
      (format, status, text) => {
        const r = interpretResponse(format, status, text);
        if (!r.ok) expect(r.error).not.toContain(marker);
      }));
  });
});

describe('users’ text in robot messages', () => {
  const phishing: OutboxMessage = {
    ...msg,
    title: '新上报：[点此领奖](http://evil.example/x) <font color="warning">急</font>',
    body: '居民描述：![x](https://evil.cn/a.png) 详见 www.evil.com 或 http://10.0.0.1/\n# 大标题\n> 引用\n<@all>',
  };

  it('WeCom: no link, image, font, mention or heading from the title or body; our own frame stays', () => {
    const content: string = JSON.parse(buildRequest({ format: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a', secret: null }, phishing, { now: 0, deliveryId: 1 }).body).markdown.content;
    expect(content).toContain('**【网格】新上报：［点此领奖］（http：//evil．example/x） ＜font color＝"warning"＞急＜/font＞**');
    expect(content).toContain('！［x］（https：//evil．cn/a．png）');
    expect(content).toContain('> 类型：已超期');
    const userPart = content.split('\n> 类型')[0]!.replace(/^\*\*|\*\*(?=\n)/g, '');
    expect(userPart).not.toMatch(/[[\]()<>*_#!`]/);
    expect(userPart).not.toMatch(/:\/\/|\.[A-Za-z]|\d\.\d+\.\d+\.\d/);
    expect(content.split('\n').filter((l) => l.startsWith('>'))).toEqual(['> 类型：已超期', '> 案件：#17', '> 时间：2026-03-01 08:05']);
  });

  it('DingTalk: the same in the markdown text and the title', () => {
    const body = JSON.parse(buildRequest({ format: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: null }, phishing, { now: 0, deliveryId: 1 }).body);
    expect(body.markdown.title).toBe('【网格】新上报：［点此领奖］（http：//evil．example/x） ＜font color＝"warning"＞急＜/font＞');
    const userPart: string = body.markdown.text.split('\n> 类型')[0].replace(/^#### /, '');
    expect(userPart).not.toMatch(/[[\]()<>*_#!`]/);
    expect(userPart).not.toMatch(/:\/\/|\.[A-Za-z]/);
    expect(body.markdown.text).toContain('＃ 大标题');
  });

  it('plain JSON carries the text as data, unchanged', () => {
    expect(JSON.parse(buildRequest({ format: 'json', url: 'https://example.com/h', secret: null }, phishing, { now: 0, deliveryId: 1 }).body))
      .toMatchObject({ title: phishing.title, body: phishing.body });
  });
});

describe('helpers', () => {
  it('truncateBytes keeps short strings and cuts long ones on a character boundary', () => {
    expect(truncateBytes('abc', 10)).toBe('abc');
    expect(truncateBytes('网格网格', 9)).toBe('网格…'); // 3 bytes each, "…" is 3 bytes
    expect(Buffer.byteLength(truncateBytes('😀'.repeat(10), 11))).toBeLessThanOrEqual(11);
  });

  it('chinaTime is UTC+8', () => {
    expect(chinaTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
  });

  it('masks the credential in robot URLs and secrets', () => {
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'))
      .toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a***');
    expect(maskUrl('https://oapi.dingtalk.com/robot/send?access_token=short')).toBe('https://oapi.dingtalk.com/robot/send?access_token=***');
    expect(maskUrl('https://user:pw@example.com/hook')).toBe('https://***:***@example.com/hook');
    expect(maskUrl('not a url')).toBe('***');
    expect(maskSecret('SECabc')).toBe('***');
    expect(maskSecret(null)).toBeNull();
  });
});
