import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_WIDTH, robotLine, robotText } from './robot-text.js';

// What a markdown renderer or a chat client could turn into a link, an image, a mention or markup.
const MARKUP = /[[\]()<>*_#!`~|\\&{}$^=]/;
const LINKISH = [/:\/\//, /\.[A-Za-z]/, /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/, /\]\(/, /^[ ]*([-+]|\d+\.)( |$)/m, /^[ ]*[-+=]{2,}[ ]*$/m];
const INVISIBLE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function assertInert(out: string) {
  expect(out).not.toMatch(MARKUP);
  for (const re of LINKISH) expect(out).not.toMatch(re);
  expect(out).not.toMatch(INVISIBLE);
}

describe('robotText: users’ text stays text in a robot message', () => {
  it.each([
    ['[点此领奖](http://evil.example/x)', '［点此领奖］（http：//evil．example/x）'],
    ['![x](https://evil.cn/a.png)', '！［x］（https：//evil．cn/a．png）'],
    ['<font color="warning">紧急</font>', '＜font color＝"warning"＞紧急＜/font＞'],
    ['<a href="http://x.cn">点</a>', '＜a href＝"http：//x．cn"＞点＜/a＞'],
    ['访问 www.evil.com 领取', '访问 www．evil．com 领取'],
    ['扫码 evil.cn/abc', '扫码 evil．cn/abc'],
    ['http://10.0.0.1:8080/', 'http：//10．0．0．1:8080/'],
    ['**加粗** _斜_ `代码` ~~删~~', '＊＊加粗＊＊ ＿斜＿ ｀代码｀ ～～删～～'],
    ['# 标题\n> 引用\n- 列表\n1. 第一\n---', '＃ 标题\n＞ 引用\n－ 列表\n1． 第一\n－－－'],
    ['<@zhangsan> &lt;b&gt;', '＜@zhangsan＞ ＆lt;b＆gt;'],
    ['[x]: http://evil.cn', '［x］: http：//evil．cn'],
    ['a\u202Egnp.exe', 'agnp．exe'],
    ['e\u200Bvil.c\u200Bom', 'evil．com'],
    ['第1行\r\n第2行\t完', '第1行\n第2行 完'],
  ])('%j → %j', (input, expected) => {
    expect(robotText(input)).toBe(expected);
    assertInert(robotText(input));
  });

  it('leaves ordinary Chinese text, numbers, decimals and case numbers as they are', () => {
    for (const s of ['门口堆放建筑垃圾，约3.5立方米，请尽快清运。', 'C-0001 暴露垃圾（毛家村）', '电话 187****1005', '2026-03-01 08:05', '第3.2条', '@张三 请处理']) {
      expect(robotText(s)).toBe(s.replace('****', '＊＊＊＊'));
    }
  });

  it('robotLine puts it on one line', () => {
    expect(robotLine(' 甲\n\n乙 [x](y) \n')).toBe('甲 乙 ［x］（y）');
  });

  // Strings made to be dangerous: markup characters, schemes, domains, dotted quads, list marks and invisibles among text.
  const piece = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom(...Object.keys(FULL_WIDTH), 'http://', 'https://', 'javascript:', '.com', 'www.', 'evil.cn', '10.0.0.1', '127.0.0.1',
      '\n- ', '\n1. ', '\n---\n', '\n===', '](', '![', '<font>', '\u202E', '\u200B', '\r', '\t', '\u0000', ':', '/', '.', '-', '+', ' ', '网格'),
  );
  const nasty = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));

  it('property: no markup, link, dotted quad, list mark or invisible character survives', () => {
    fc.assert(fc.property(nasty, (s) => assertInert(robotText(s))), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => assertInert(robotText(s))), { numRuns: 1000 });
  });

  it('property: escaping twice changes nothing more', () => {
    fc.assert(fc.property(nasty, (s) => { expect(robotText(robotText(s))).toBe(robotText(s)); }), { numRuns: 1000 });
  });

  it('property: only the characters that could be markup change; every other character is kept in order', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'网格毛家村垃圾清运请尽快处置，。、：；？0123456789 abcXYZ'.split('')), maxLength: 60 });
    fc.assert(fc.property(plain, (s) => {
      if (/\.[A-Za-z]/.test(s)) return; // (no ASCII dot in the alphabet: never happens)
      expect(robotText(s)).toBe(s);
    }));
    const visible = (x: string) => x.replace(/[^\p{Script=Han}0-9]/gu, '');
    fc.assert(fc.property(nasty, (s) => { expect(visible(robotText(s))).toBe(visible(s)); }));
  });
});
