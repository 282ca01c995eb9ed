// The bulletin as .xlsx: sheet 1 the table (district rows bold, their villages under them, the
// total), sheet 2 the overdue list. Written from the content alone: an issued bulletin exports
// exactly what was issued.
import type ExcelJS from 'exceljs';
import { loadExcel } from '../excel/workbook.js';
import { chinaTime, type BulletinContent, type BulletinRow, type Person } from './bulletin.rules.js';

export interface Issue { version: number; issuedAt: Date; issuedByName: string | null; note: string | null }

const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
const GROUP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3F6FA' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF4E5' } };

const TABLE_COLUMNS = [
  { header: '区域', width: 18 },
  { header: '代码', width: 16 },
  { header: '新发现', width: 9 },
  { header: '整改完成', width: 10 },
  { header: '超期未改', width: 10 },
  { header: '返工', width: 8 },
  { header: '当日结案', width: 10 },
  { header: '其中按期', width: 10 },
  { header: '按期率', width: 10 },
  { header: '本月结案', width: 10 },
  { header: '本月按期', width: 10 },
  { header: '本月按期率', width: 11 },
];

const OVERDUE_COLUMNS = [
  { header: '序号', width: 6 },
  { header: '案件编号', width: 18 },
  { header: '类别', width: 14 },
  { header: '管区', width: 12 },
  { header: '村', width: 10 },
  { header: '网格/微网格', width: 20 },
  { header: '问题描述', width: 36 },
  { header: '上报时间', width: 17 },
  { header: '整改期限', width: 17 },
  { header: '超期（工作时间）', width: 17 },
  { header: '超期（自然日）', width: 12 },
  { header: '处置人', width: 10 },
  { header: '网格员', width: 10 },
  { header: '挂包领导', width: 10 },
  { header: '督查科室', width: 16 },
];

const who = (p: Person | null) => p?.name ?? '';

function titleRow(ws: ExcelJS.Worksheet, text: string, span: number) {
  const r = ws.addRow([text]);
  r.font = { bold: true, size: 14 };
  r.height = 24;
  ws.mergeCells(r.number, 1, r.number, span);
  return r;
}

function headRow(ws: ExcelJS.Worksheet, headers: string[]) {
  const r = ws.addRow(headers);
  r.font = { bold: true };
  r.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  r.eachCell((c) => { c.fill = HEAD_FILL; });
  return r;
}

function tableRow(ws: ExcelJS.Worksheet, row: BulletinRow, kind: 'district' | 'village' | 'total') {
  const r = ws.addRow([
    row.name, row.code ?? '', row.new, row.fixed, row.overdue, row.reworked, row.closed, row.closedOnTime,
    row.onTimeRate ?? '—', row.closedMonth, row.closedOnTimeMonth, row.onTimeRateMonth ?? '—',
  ]);
  r.getCell(2).numFmt = '@';
  for (const c of [9, 12]) {
    const cell = r.getCell(c);
    if (typeof cell.value === 'number') cell.numFmt = '0.0%';
    else cell.alignment = { horizontal: 'right' };
  }
  if (kind === 'village') r.getCell(1).alignment = { indent: 2 };
  else {
    r.font = { bold: true };
    r.eachCell({ includeEmpty: true }, (c) => { c.fill = kind === 'total' ? TOTAL_FILL : GROUP_FILL; });
  }
  return r;
}

/** The workbook of a bulletin; `issue` null marks it as a preview (not issued). */
export async function bulletinWorkbook(content: BulletinContent, issue: Issue | null): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const status = issue ? `第 ${issue.version} 版 · 已发布` : '预览（未发布）';
  const title = `${content.scope.name} 每日通报 ${content.day} ${status}`;

  const ws = wb.addWorksheet('通报', { views: [{ state: 'frozen', ySplit: 3 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = TABLE_COLUMNS.map((c) => ({ width: c.width }));
  titleRow(ws, title, TABLE_COLUMNS.length);
  const sub = issue
    ? `发布：${chinaTime(issue.issuedAt)}${issue.issuedByName ? ` ${issue.issuedByName}` : ''}${issue.note ? `；说明：${issue.note}` : ''}；数据生成于 ${chinaTime(content.generatedAt)}`
    : `预览生成于 ${chinaTime(content.generatedAt)}，未发布，数字可能随案件办理变化`;
  ws.mergeCells(ws.addRow([sub]).number, 1, ws.rowCount, TABLE_COLUMNS.length);
  headRow(ws, TABLE_COLUMNS.map((c) => c.header));
  for (const g of content.groups) {
    tableRow(ws, g.district, 'district');
    for (const v of g.villages) tableRow(ws, v, 'village');
  }
  tableRow(ws, content.totals, 'total');
  ws.addRow([]);
  ws.addRow(['口径说明']).font = { bold: true };
  for (const text of Object.values(content.definitions)) {
    const r = ws.addRow([text]);
    ws.mergeCells(r.number, 1, r.number, TABLE_COLUMNS.length);
    r.alignment = { wrapText: true, vertical: 'top' };
  }

  const od = wb.addWorksheet('超期清单', { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  od.columns = OVERDUE_COLUMNS.map((c) => ({ width: c.width }));
  titleRow(od, `${title} · 超期未改 ${content.overdue.length} 件`, OVERDUE_COLUMNS.length);
  headRow(od, OVERDUE_COLUMNS.map((c) => c.header));
  content.overdue.forEach((o, i) => {
    const r = od.addRow([
      i + 1, o.no, o.categoryName, o.districtName ?? '', o.villageName ?? '',
      [o.gridName, o.microGridName].filter(Boolean).join(' / '), o.description, chinaTime(o.reportedAt), chinaTime(o.dueAt),
      o.overdueText, o.overdueDays, who(o.assignee), who(o.gridWorker), who(o.villageLeader), who(o.districtOffice),
    ]);
    r.getCell(2).numFmt = '@';
    r.getCell(7).alignment = { wrapText: true, vertical: 'top' };
  });
  if (content.overdue.length === 0) od.addRow(['', '无超期未改的问题']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
