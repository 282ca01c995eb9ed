// The household list (户名册) of a village as an .xlsx: the template and export (the same sheet,
// with the households already there), read back by the import.
import { loadExcel, type Shape } from '../excel/workbook.js';

export const HOUSEHOLDS: Shape = {
  kind: 'households',
  sheet: '户名册',
  columns: [
    { key: 'no', header: '户号', width: 10, text: true, help: '必填：村内唯一，1–20 位数字、字母或汉字（如 3、A12、东3）。已有户号的行修改该户，新户号的行新增一户。' },
    { key: 'headName', header: '户主', width: 12, help: '必填，1–30 字。' },
    { key: 'address', header: '地址', width: 28, help: '可空，如 东街 12 号。' },
    { key: 'phone', header: '电话', width: 15, text: true, help: '可空，5–20 位数字。群众随手拍上报时留的电话与此相同，上报积分记入该户。' },
    { key: 'members', header: '人口', width: 8, help: '可空，0–100 的整数。' },
    { key: 'active', header: '状态', width: 8, help: '在册 / 停用，留空为在册。停用的户不参加门前三包检查和评选，积分保留。' },
  ],
};

/** The sheet with its rows, and a 说明 sheet of the columns. */
export async function householdsWorkbook(villageName: string, rows: unknown[][]): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wangge 网格';
  const ws = wb.addWorksheet(HOUSEHOLDS.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = HOUSEHOLDS.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
  for (const r of rows) ws.addRow(r);
  const help = wb.addWorksheet('说明');
  help.columns = [{ width: 12 }, { width: 100 }];
  help.addRow([`${villageName}户名册：填写说明`]).font = { bold: true, size: 14 };
  help.addRow(['每行一户，从第 2 行开始；第 1 行表头请勿修改。导入时先检查全部行，任何一行有错都不会写入，并逐行列出问题。']);
  help.addRow([]);
  help.addRow(['列', '说明']).font = { bold: true };
  for (const c of HOUSEHOLDS.columns) help.addRow([c.header, c.help]).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
