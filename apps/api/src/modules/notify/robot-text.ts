// Residents' and staff text made safe for a robot's markdown (WeCom, DingTalk). Pure.
// Nothing a user typed may become a link, an image, a mention or markup in the town's work group:
//  - markdown and HTML special characters become their full-width look-alikes ([ → ［, ( → （,
//    < → ＜, * → ＊ …), which read the same to a Chinese reader and mean nothing to any renderer,
//    whether or not it knows backslash escapes;
//  - URLs are broken so no client auto-links them: "://" → "：//", and a dot before a letter or inside
//    a dotted quad (evil.com, www.x.cn, 10.0.0.1) → "．";
//  - a line that would start a list or rule ("- ", "+ ", "1. ", "---", "===") gets full-width marks;
//  - invisible characters that could hide or reorder text (controls, zero-width, bidi overrides) are
//    dropped; tabs become spaces.
// The result has none of these left, so escaping twice changes nothing more.

/** ASCII characters with a meaning in markdown, HTML or a robot's syntax, and what each becomes. */
export const FULL_WIDTH: Readonly<Record<string, string>> = {
  '[': '［', ']': '］', '(': '（', ')': '）', '<': '＜', '>': '＞', '*': '＊', '_': '＿', '#': '＃', '!': '！',
  '`': '｀', '~': '～', '|': '｜', '\\': '＼', '&': '＆', '{': '｛', '}': '｝', '$': '＄', '^': '＾', '=': '＝',
};
const FULL_WIDTH_MARK: Readonly<Record<string, string>> = { '-': '－', '+': '＋', '.': '．' };

const SPECIAL = /[[\]()<>*_#!`~|\\&{}$^=]/g;
// C0/C1 controls but \n, zero-width and joiners, bidi embeddings/overrides/isolates, word joiner, BOM, soft hyphen
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;
const SCHEME = /:(?=\/\/)/g;
const DOT_BEFORE_LETTER = /\.(?=[A-Za-z])/g;
const DOTTED_QUAD = /\d+(?:\.\d+){3,}/g;
const LIST_MARK = /^([ ]*)([-+]|\d+\.)(?=[ ]|$)/gm;
const RULE_LINE = /^[ ]*[-+]+[ ]*$/gm;
const fullMarks = (s: string) => s.replace(/[-+.]/g, (c) => FULL_WIDTH_MARK[c]!);

/** A user's text as plain text inside robot markdown: no link, image, mention or markup can come of it. */
export function robotText(s: string): string {
  return s
    .replace(/\t/g, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(SPECIAL, (c) => FULL_WIDTH[c]!)
    .replace(SCHEME, '：')
    .replace(DOT_BEFORE_LETTER, '．')
    .replace(DOTTED_QUAD, (q) => q.replace(/\./g, '．'))
    .replace(RULE_LINE, fullMarks)
    .replace(LIST_MARK, (_m, indent: string, mark: string) => indent + fullMarks(mark));
}

/** The same on one line (titles). */
export function robotLine(s: string): string {
  return robotText(s).replace(/\n+/g, ' ').trim();
}
