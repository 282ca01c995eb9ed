// The scorecard as an .xlsx (cells coloured by the indicators' legend, as on the page), and the
// other-work sheet: a template per month to fill in, read back on import.
import type ExcelJS from 'exceljs';
import { loadExcel, type Shape } from '../excel/workbook.js';
import type { IndicatorValue, Tier } from './scoring.rules.js';
import { TIER_ZH } from './scoring.rules.js';

const FILL = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const COLOUR: Record<string, ExcelJS.Fill> = { green: FILL('FFD9F2D9'), yellow: FILL('FFFFF2CC'), red: FILL('FFF8D7DA') };
const HEAD = FILL('FFE8F0FE');

export const OTHER_WORK: Shape = {
  kind: 'other_work',
  sheet: '其他工作得分',
  columns: [
    { key: 'code', header: '村代码', width: 16, text: true, help: '必填：12 位村代码（模板已列出本镇所有村）。' },
    { key: 'name', header: '村名称', width: 16, help: '仅供核对，不导入。' },
    { key: 'score', header: '得分', width: 10, help: '0–100；留空表示删除该村本月的得分。' },
    { key: 'note', header: '说明', width: 40, help: '可空。' },
  ],
};

interface ListEntry { name: string; districtName: string | null; composite: number | null; rank: number | null; tier: Tier | null }
interface SheetRow { name: string; level: string; values: IndicatorValue[]; environment: number | null; other: number | null; composite: number | null; rank: number | null; tier?: Tier | null; district?: string | null }

export async function scorecardWorkbook(input: {
  title: string; subtitle: string; indicators: { code: string; name: string; unit: string }[];
  rows: SheetRow[]; total: SheetRow; villages: SheetRow[];
  redList?: ListEntry[]; blackList?: ListEntry[];
}): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const headers = ['名称', ...input.indicators.map((i) => `${i.name}（${i.unit}）`), '环境整治得分', '其他工作得分', '综合得分', '排名', '等次'];
  const sheet = (name: string, rows: SheetRow[], withDistrict: boolean) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3, xSplit: withDistrict ? 2 : 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    const head = withDistrict ? ['管区', ...headers] : headers;
    ws.columns = head.map((h, i) => ({ width: i === 0 || (withDistrict && i === 1) ? 16 : Math.max(10, h.length + 4) }));
    const t = ws.addRow([input.title]);
    t.font = { bold: true, size: 14 };
    ws.mergeCells(t.number, 1, t.number, head.length);
    ws.mergeCells(ws.addRow([input.subtitle]).number, 1, ws.rowCount, head.length);
    const h = ws.addRow(head);
    h.font = { bold: true };
    h.eachCell((c) => { c.fill = HEAD; c.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }; });
    for (const r of rows) {
      const cells = [
        ...(withDistrict ? [r.district ?? ''] : []), r.name,
        ...r.values.map((v) => (v.value === null ? '—' : v.thin ? `${v.value}（数据不足）` : v.value)),
        r.environment ?? '—', r.other ?? '—', r.composite ?? '—', r.rank ?? '—', r.tier ? TIER_ZH[r.tier] : '',
      ];
      const row = ws.addRow(cells);
      r.values.forEach((v, i) => { if (v.colour) row.getCell(i + (withDistrict ? 3 : 2)).fill = COLOUR[v.colour]!; });
      if (r.level !== 'village') row.font = { bold: true };
    }
    return ws;
  };
  sheet('评分表', [...input.rows, input.total], false);
  if (input.villages.length) sheet('各村', input.villages, true);
  if (input.redList?.length || input.blackList?.length) {
    // 红黑榜: ready to post, best first on the red list, worst first on the black list.
    const ws = wb.addWorksheet('红黑榜', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = [{ width: 8 }, { width: 18 }, { width: 16 }, { width: 12 }, { width: 10 }];
    const t = ws.addRow([`${input.title} 红黑榜`]);
    t.font = { bold: true, size: 14 };
    ws.mergeCells(t.number, 1, t.number, 5);
    for (const [name, list, fill] of [['红榜', input.redList ?? [], COLOUR.red!], ['黑榜', input.blackList ?? [], FILL('FFD9D9D9')]] as const) {
      ws.addRow([]);
      const h = ws.addRow([name, '村', '管区', '综合得分', '等次']);
      h.font = { bold: true };
      h.eachCell((c) => { c.fill = fill; });
      for (const e of list) ws.addRow([e.rank ?? '', e.name, e.districtName ?? '', e.composite ?? '', e.tier ? TIER_ZH[e.tier] : '']);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
