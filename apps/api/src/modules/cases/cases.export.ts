// The case list as a workbook: what a desk prints or sends on.
import { CASE_SOURCES, CASE_STATES, type CaseView } from '../../../../../packages/shared/src/cases.js';
import { loadExcel } from '../excel/workbook.js';

const STATE = Object.fromEntries(CASE_STATES.map((s) => [s.key, s.zh]));
const SOURCE = Object.fromEntries(CASE_SOURCES.map((s) => [s.key, s.zh]));
const china = (s: string | null) => (s ? new Date(Date.parse(s) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

export async function casesWorkbook(list: CaseView[]): Promise<Buffer> {
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet('案件清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '案件编号', key: 'no', width: 16 }, { header: '状态', key: 'state', width: 9 }, { header: '超期', key: 'overdue', width: 6 },
    { header: '来源', key: 'source', width: 10 }, { header: '类别', key: 'category', width: 14 }, { header: '区域', key: 'area', width: 34 },
    { header: '问题描述', key: 'description', width: 40 }, { header: '上报人', key: 'reporter', width: 10 }, { header: '上报时间', key: 'reportedAt', width: 17 },
    { header: '处置人', key: 'assignee', width: 10 }, { header: '处置期限', key: 'dueAt', width: 17 }, { header: '反馈时间', key: 'fixedAt', width: 17 },
    { header: '结案时间', key: 'closedAt', width: 17 }, { header: '返工次数', key: 'rework', width: 8 }, { header: '延期次数', key: 'ext', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const c of list) {
    ws.addRow({
      no: c.no, state: STATE[c.state], overdue: c.overdue ? '超期' : c.late ? '逾期完成' : '', source: SOURCE[c.source], category: c.categoryName,
      area: c.areaTrail, description: c.description, reporter: c.reporterName ?? '', reportedAt: china(c.reportedAt), assignee: c.assigneeName ?? '',
      dueAt: china(c.dueAt), fixedAt: china(c.fixedAt), closedAt: china(c.closedAt), rework: c.reworkCount, ext: c.extensionCount,
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
