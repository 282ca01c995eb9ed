// The publicity sheets: the WeChat posts' template (filled with the campaign's posts, read back on
// import) and the campaign's summary (targets, villages with the banner check, schools, posts).
import type ExcelJS from 'exceljs';
import { loadExcel, type Shape } from '../excel/workbook.js';
import { BANNER_STATUS_ZH, type BannerRule, type BannerStatus, type TargetProgress, type VillageRow } from './publicity.rules.js';

const FILL = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const HEAD = FILL('FFE8F0FE');
const STATUS_FILL: Record<BannerStatus, ExcelJS.Fill> = { short: FILL('FFF8D7DA'), over: FILL('FFFFF2CC'), unknown: FILL('FFEDEDED'), ok: FILL('FFD9F2D9') };

// readSheet looks only at the sheet's name and columns; the kind names the shape for the shared type.
export const WECHAT_SHAPE = {
  kind: 'other_work',
  sheet: '公众号文章',
  columns: [
    { key: 'id', header: '编号', width: 10, text: true, help: '已登记文章的编号（模板已列出）：按编号更新。新文章请留空。' },
    { key: 'title', header: '标题', width: 44, help: '新文章必填，最多 200 字。没有编号时，标题和发布日期都相同的行更新那篇已有文章。' },
    { key: 'url', header: '链接', width: 40, help: '可空；只接受 http:// 或 https:// 开头的网址。' },
    { key: 'on', header: '发布日期', width: 12, help: '新文章必填：YYYY-MM-DD（或 Excel 日期），须在活动期间内且不晚于今天。' },
    { key: 'reads', header: '阅读数', width: 10, help: '非负整数（可从公众号后台“内容分析”抄录）；留空表示不改。' },
    { key: 'note', header: '备注', width: 30, help: '可空，最多 500 字；留空表示不改。' },
  ],
} as Shape;

interface PostFact { id: number; title: string | null; url: string | null; on: string; reads: number | null }

function header(ws: ExcelJS.Worksheet, cells: string[]) {
  const h = ws.addRow(cells);
  h.font = { bold: true };
  h.eachCell((c) => { c.fill = HEAD; c.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }; });
}

/** The posts sheet with the campaign's posts so far, and a 说明 sheet. */
export async function wechatWorkbook(c: { name: string; startsOn: string; endsOn: string }, posts: (PostFact & { note?: string | null })[]): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const ws = wb.addWorksheet(WECHAT_SHAPE.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = WECHAT_SHAPE.columns.map((col) => ({ header: col.header, key: col.key, width: col.width, style: col.text ? { numFmt: '@' } : {} }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = HEAD;
  for (const p of posts) ws.addRow([String(p.id), p.title ?? '', p.url ?? '', p.on, p.reads ?? '', p.note ?? '']);
  const help = wb.addWorksheet('说明');
  help.columns = [{ width: 14 }, { width: 90 }];
  help.addRow([`${c.name}：公众号文章阅读数（活动期间 ${c.startsOn} 至 ${c.endsOn}）`]).font = { bold: true, size: 14 };
  help.addRow(['第 1 行表头请勿修改，从第 2 行开始填写。导入时先检查全部行，任何一行有错都不会写入，并逐行列出问题。']);
  help.addRow([]);
  help.addRow(['列', '说明']).font = { bold: true };
  for (const col of WECHAT_SHAPE.columns) help.addRow([col.header, col.help]).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface SummaryForSheet {
  campaign: { name: string; scopeName: string; startsOn: string; endsOn: string };
  asOf: string;
  progress: TargetProgress[];
  totals: { lettersToVillages: number; lettersToSchools: number; vanRounds: number; loudspeakerRounds: number; audioPlays: number; banners: number; reads: number };
  rule: BannerRule;
  bannerCheck: { villages: number; required: number; up: number; short: number; ok: number; over: number; unknown: number };
  villages: VillageRow[];
  schools: { place: string; letters: number; records: number }[];
  posts: PostFact[];
  bestPost: PostFact | null;
}

/** The campaign's summary as a workbook, the same numbers as the page. */
export async function summaryWorkbook(s: SummaryForSheet): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const page = { paperSize: 9 as const, orientation: 'landscape' as const, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  const asOf = new Date(s.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
  const title = (ws: ExcelJS.Worksheet, text: string, width: number) => {
    const t = ws.addRow([text]);
    t.font = { bold: true, size: 14 };
    ws.mergeCells(t.number, 1, t.number, width);
    ws.mergeCells(ws.addRow([`${s.campaign.scopeName} · ${s.campaign.startsOn} 至 ${s.campaign.endsOn} · 数据截至 ${asOf}`]).number, 1, ws.rowCount, width);
  };

  const t = wb.addWorksheet('目标完成', { pageSetup: page });
  t.columns = [{ width: 16 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 10 }];
  title(t, `${s.campaign.name}：目标完成情况`, 5);
  header(t, ['项目', '目标', '完成', '完成率', '单位']);
  for (const p of s.progress) {
    const row = t.addRow([p.name, p.target ?? '未设', p.actual, p.percent === null ? '—' : `${p.percent}%`, p.unit]);
    if (p.met === false) row.getCell(4).fill = STATUS_FILL.short;
    if (p.met === true) row.getCell(4).fill = STATUS_FILL.ok;
  }
  t.addRow([]);
  t.addRow(['倡议书发到村', s.totals.lettersToVillages, '份']);
  t.addRow(['倡议书发到学校', s.totals.lettersToSchools, '份']);
  t.addRow(['宣传车巡回', s.totals.vanRounds, '轮']);
  t.addRow(['村大喇叭', s.totals.loudspeakerRounds, '轮']);
  t.addRow(['音频播放', s.totals.audioPlays, '次']);
  t.addRow(['条幅（各村最近清点）', s.totals.banners, '条']);
  t.addRow(['公众号总阅读数', s.totals.reads, '次']);
  if (s.bestPost) t.addRow(['阅读最多的文章', `${s.bestPost.title ?? ''}（${s.bestPost.on}，${s.bestPost.reads} 次）`]);

  const v = wb.addWorksheet('各村', { views: [{ state: 'frozen', ySplit: 3, xSplit: 2 }], pageSetup: page });
  const vHead = ['村代码', '村', '户数', '倡议书（份）', '音频（轮）', '播放（次）', '宣讲（场）', '参加（人）', '条幅现有', '条幅应有', '清点日期', '条幅检查', '说明'];
  v.columns = vHead.map((h, i) => ({ width: i === 0 ? 15 : i === 1 ? 12 : i === 12 ? 36 : Math.max(9, h.length + 4) }));
  title(v, `${s.campaign.name}：各村情况（条幅 ${s.rule.min}–${s.rule.max} 条，按村大小）`, vHead.length);
  header(v, vHead);
  for (const r of s.villages) {
    const row = v.addRow([r.code, r.name, r.households ?? '', r.letters, r.audioRounds, r.audioPlays, r.lectures, r.attendance,
      r.bannersUp ?? '', r.required, r.bannersCountedOn ?? '', BANNER_STATUS_ZH[r.status], r.note ?? '']);
    row.getCell(12).fill = STATUS_FILL[r.status];
  }
  const b = s.bannerCheck;
  v.addRow([]);
  v.addRow(['', `合计 ${b.villages} 个村：达标 ${b.ok}，不足 ${b.short}，超出上限 ${b.over}，未清点 ${b.unknown}；现有 ${b.up} 条，应有 ${b.required} 条`]).font = { bold: true };

  const sc = wb.addWorksheet('学校');
  sc.columns = [{ width: 30 }, { width: 14 }, { width: 12 }];
  header(sc, ['学校', '倡议书（份）', '发放次数']);
  for (const x of s.schools) sc.addRow([x.place, x.letters, x.records]);

  const w = wb.addWorksheet('公众号文章');
  w.columns = [{ width: 10 }, { width: 48 }, { width: 12 }, { width: 10 }, { width: 44 }];
  header(w, ['编号', '标题', '发布日期', '阅读数', '链接']);
  for (const p of s.posts) w.addRow([p.id, p.title ?? '', p.on, p.reads ?? '', p.url ?? '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
