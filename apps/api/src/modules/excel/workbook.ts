// The two sheet shapes (区域清单, 人员名册): their columns, reading an upload into raw rows, and
// writing templates and exports. Reading refuses anything that is not a real .xlsx of that shape.
import type ExcelJS from 'exceljs';

// exceljs is large (a quarter of a second to load): load it on first use, not at server start.
let excel: Promise<typeof ExcelJS> | null = null;
export const loadExcel = () => (excel ??= import('exceljs').then((m) => (m.default ?? m) as typeof ExcelJS));
import {
  LEVELS, RESPONSIBILITY_KINDS, ROLES, LEVEL_BY_KEY, SIZE_CLASS_ZH,
} from '../../../../../packages/shared/src/mechanism.js';
import { badInput } from '../../lib/errors.js';
import { cellText } from './cells.js';
import { checkZip } from './zipcheck.js';

export interface ColumnDef { key: string; header: string; width: number; text?: boolean; help: string }

export interface Shape {
  kind: 'areas' | 'roster' | 'other_work' | 'households';
  sheet: string;
  columns: ColumnDef[];
}

const levelList = LEVELS.map((l) => `${l.zh}（${l.key}）`).join('、');

export const AREAS: Shape = {
  kind: 'areas',
  sheet: '区域清单',
  columns: [
    { key: 'code', header: '代码', width: 22, text: true, help: '必填。镇 9 位、村 12 位（国家统计用区划代码），管区 = 镇代码 + D + 2 位（如 370321107D01），网格 = 村代码 + 3 位（15 位），微网格 = 网格代码 + 3 位（18 位）。已有代码的行修改该区域，新代码的行新建区域。请保持“文本”格式，超过 15 位的数字会被 Excel 改动。' },
    { key: 'name', header: '名称', width: 24, help: '必填，不超过 100 字。' },
    { key: 'level', header: '层级', width: 10, help: `必填：${levelList}。` },
    { key: 'parentCode', header: '上级代码', width: 22, text: true, help: '新建区域必填：已有区域的代码，或本文件中更靠前一行的代码。已有区域填了不同的上级，则按规则移动（只能在同一镇/村内移动，如把村归入管区）。留空表示不改上级。' },
    { key: 'population', header: '人口', width: 10, help: '可空，非负整数。留空表示无数据。' },
    { key: 'households', header: '户数', width: 10, help: '可空，非负整数。' },
    { key: 'sizeClass', header: '规模', width: 8, help: `可空：${Object.values(SIZE_CLASS_ZH).join(' / ')}（或 small / medium / large）。` },
    { key: 'isKey', header: '重点村', width: 8, help: '是 / 否，留空为否。' },
  ],
};

export const ROSTER: Shape = {
  kind: 'roster',
  sheet: '人员名册',
  columns: [
    { key: 'username', header: '用户名', width: 16, text: true, help: '登录名，2-40 位字母、数字、汉字或 _ . -。同一人可出现在多行，每行一个角色或一项责任。新用户名会新建人员（没有密码，须由管理员重置密码后才能登录）。门前三包的行留空。' },
    { key: 'displayName', header: '姓名', width: 12, help: '新人员必填（第一次出现的行）；已有人员填写不同姓名会更新姓名。' },
    { key: 'phone', header: '手机', width: 15, text: true, help: '可空，5-20 位数字。' },
    { key: 'role', header: '角色', width: 12, help: '角色名称或代码，见下表。角色与“角色区域代码”一起授予，决定此人能看到哪些区域。' },
    { key: 'roleArea', header: '角色区域代码', width: 22, text: true, help: '填写了角色则必填：角色所在区域的代码，层级须符合下表。' },
    { key: 'kind', header: '责任类型', width: 14, help: '责任类型名称或代码，见下表。此人须有相应角色（已有的，或本文件中另一行授予的）。' },
    { key: 'respArea', header: '责任区域代码', width: 22, text: true, help: '填写了责任类型则必填：所负责区域的代码，层级须与责任类型相符。' },
    { key: 'validFrom', header: '开始日期', width: 12, help: '填写了责任类型则必填：YYYY-MM-DD（或 Excel 日期）。' },
    { key: 'validTo', header: '结束日期', width: 12, help: '可空（至今）。同一区域同一责任类型的时间段不能重叠。' },
    { key: 'household', header: '户主(门前三包)', width: 18, help: '仅“门前三包”填写：户主姓名或门牌，此时用户名留空。' },
    { key: 'principal', header: '主要领导', width: 10, help: '仅“领导挂包村”可填“是”：主要领导挂包重点村。其余留空或填“否”。' },
  ],
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_ROWS = 100_000;

export interface RawRow { row: number; cells: Record<string, unknown> }

const normHeader = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();
const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * An uploaded file: its bytes, or how to read them (an HTTP upload), so that a service checks the
 * caller's permission for the area first and only then reads the file.
 */
export type Upload = Buffer | (() => Promise<Buffer>);

/**
 * Reads an upload into raw rows keyed by column, with Excel row numbers. Throws 400 for a wrong file
 * and 413 for a zip whose directory promises too much (checkZip), before exceljs sees it.
 */
export async function readSheet(upload: Upload, shape: Shape, maxRows = MAX_ROWS): Promise<RawRow[]> {
  const buf = typeof upload === 'function' ? await upload() : upload;
  if (!isZip(buf)) throw badInput('文件不是 Excel .xlsx 文件（请用“另存为 Excel 工作簿 (*.xlsx)”；.xls 和 .csv 不支持）', undefined, 'NOT_XLSX');
  checkZip(buf);
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch {
    throw badInput('无法读取此 .xlsx 文件：文件已损坏或不是 Excel 工作簿', undefined, 'NOT_XLSX');
  }
  const ws = wb.getWorksheet(shape.sheet) ?? wb.worksheets.find((w) => w.name !== '说明');
  if (!ws) throw badInput(`文件中没有工作表“${shape.sheet}”`, undefined, 'BAD_SHEET');
  if (ws.rowCount > maxRows + 1) {
    throw badInput(`行数过多：${ws.rowCount - 1} 行，一次最多导入 ${maxRows} 行，请分成几个文件`, undefined, 'TOO_MANY_ROWS');
  }
  const header = ws.getRow(1);
  const at = new Map<string, number>();
  header.eachCell((cell, col) => { const t = normHeader(cellText(cell.value)); if (t && !at.has(t)) at.set(t, col); });
  const missing = shape.columns.filter((c) => !at.has(normHeader(c.header)));
  if (missing.length) {
    const found = [...at.keys()].join('、') || '（空）';
    throw badInput(`表头不对：工作表“${ws.name}”第 1 行缺少 ${missing.map((c) => `「${c.header}」`).join('')}。`
      + `应为：${shape.columns.map((c) => c.header).join(' | ')}；实际为：${found}。请从模板开始填写。`, undefined, 'BAD_HEADER');
  }
  const cols = shape.columns.map((c) => [c.key, at.get(normHeader(c.header))!] as const);
  const out: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells: Record<string, unknown> = {};
    let any = false;
    for (const [key, col] of cols) {
      const v = r.getCell(col).value;
      cells[key] = v;
      if (cellText(v) !== '') any = true;
    }
    if (any) out.push({ row: n, cells });
  });
  if (out.length === 0) throw badInput(`工作表“${ws.name}”没有数据行（第 1 行是表头，从第 2 行开始填写）`, undefined, 'NO_ROWS');
  if (out.length > maxRows) throw badInput(`行数过多：${out.length} 行，一次最多导入 ${maxRows} 行`, undefined, 'TOO_MANY_ROWS');
  return out;
}

function helpSheet(wb: ExcelJS.Workbook, shape: Shape) {
  const ws = wb.addWorksheet('说明');
  ws.columns = [{ width: 18 }, { width: 26 }, { width: 90 }];
  const title = ws.addRow([`${shape.sheet}：填写说明`]);
  title.font = { bold: true, size: 14 };
  ws.addRow(['每行从第 2 行开始；第 1 行表头请勿修改。导入时先检查全部行，任何一行有错都不会写入，并逐行列出问题。']);
  ws.addRow([]);
  const h = ws.addRow(['列', '', '说明']);
  h.font = { bold: true };
  for (const c of shape.columns) ws.addRow([c.header, '', c.help]).alignment = { wrapText: true, vertical: 'top' };
  ws.addRow([]);
  if (shape.kind === 'areas') {
    ws.addRow(['层级', '代码', '上级可以是']).font = { bold: true };
    const parents: Record<string, string> = { province: '—', city: '省', county: '市', town: '县', district: '镇', village: '管区 或 镇', grid: '村', micro_grid: '网格' };
    for (const l of LEVELS) ws.addRow([l.zh, l.key, parents[l.key]]);
  } else {
    ws.addRow(['角色', '代码', '可授予的层级']).font = { bold: true };
    for (const r of ROLES) ws.addRow([r.zh, r.key, r.levels === 'global' ? '全局（系统管理员不能通过导入授予）' : r.levels.map((l) => LEVEL_BY_KEY[l].zh).join('、')]);
    ws.addRow([]);
    ws.addRow(['责任类型', '代码', '区域层级；承担者须有的角色']).font = { bold: true };
    for (const k of RESPONSIBILITY_KINDS) {
      ws.addRow([k.zh, k.key, `${LEVEL_BY_KEY[k.level].zh}；${k.roles ? k.roles.map((r) => ROLES.find((x) => x.key === r)!.zh).join(' 或 ') : '户主（填写“户主(门前三包)”列，用户名留空）'}`]);
    }
  }
}

/** A workbook of one shape: the data sheet (bold frozen header, widths, text-format code columns) + 说明. */
export async function writeSheet(shape: Shape, rows: unknown[][]): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const ws = wb.addWorksheet(shape.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = shape.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
  for (const r of rows) ws.addRow(r);
  helpSheet(wb, shape);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const TEMPLATE_ROWS: Record<'areas' | 'roster', unknown[][]> = {
  areas: [
    ['370321107D01', '第一管区', '管区', '370321107', null, null, null, '否'],
    ['370321107201001', '毛家村第一网格', '网格', '370321107201', 320, 110, '中', '否'],
    ['370321107201001001', '毛家村第一网格一号微网格', '微网格', '370321107201001', 60, 20, '小', '否'],
  ],
  roster: [
    ['wgy_zhangsan', '张三', '13800000001', '网格员', '370321107201', '网格员包网格', '370321107201001', '2026-01-01', null, null],
    [null, null, null, null, null, '门前三包', '370321107201001001', '2026-01-01', null, '张家（1 号院）'],
  ],
};

/** Content-Disposition for a download: ASCII fallback plus the Chinese name (RFC 5987). */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
