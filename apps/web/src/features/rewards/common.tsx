// Shared bits of the rewards screens: times in China, the grade tag, signed points, the server's
// row-by-row import problems.
import { Table, Tag, Typography } from 'antd';
import { ApiError } from '../../api';
import type { Grade } from './api';
import type { RwKey, RwT } from './strings';

/** A timestamp as read in the town: '2026-11-29 08:15'. */
export function when(ts: string | null | undefined): string {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const g = (k: string) => p.find((x) => x.type === k)?.value ?? '';
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}`;
}

/** Today in China as YYYY-MM-DD. */
export const todayInChina = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const GRADE_KEY: Record<Grade, RwKey> = { good: 'ftGood', fair: 'ftFair', poor: 'ftPoor' };
const GRADE_COLOR: Record<Grade, string> = { good: 'green', fair: 'gold', poor: 'red' };
export const gradeName = (t: RwT, g: string | null | undefined) => (g && g in GRADE_KEY ? t(GRADE_KEY[g as Grade]) : '—');

export function GradeTag({ grade, t, testId }: { grade: string | null | undefined; t: RwT; testId?: string }) {
  if (!grade) return <span data-testid={testId}>—</span>;
  return <Tag color={GRADE_COLOR[grade as Grade] ?? 'default'} data-testid={testId} style={{ marginInlineEnd: 0 }}>{gradeName(t, grade)}</Tag>;
}

export function Delta({ n, testId }: { n: number; testId?: string }) {
  return <Typography.Text type={n > 0 ? 'success' : n < 0 ? 'danger' : 'secondary'} strong data-testid={testId}>{n > 0 ? `+${n}` : String(n)}</Typography.Text>;
}

/** The server's row-by-row problems of an import, as a small table. */
export function RowProblems({ error, t }: { error: unknown; t: RwT }) {
  if (!(error instanceof ApiError) || !error.details?.length) return null;
  const rows = error.details.map((d, i) => ({ key: i, row: d.row ?? '', column: d.column ?? d.field ?? '', message: d.message }));
  return (
    <Table size="small" pagination={false} dataSource={rows} data-testid="rw-import-problems" style={{ marginTop: 8 }} scroll={{ x: 480 }}
      columns={[{ title: t('hhRow'), dataIndex: 'row', width: 60 }, { title: t('hhColumn'), dataIndex: 'column', width: 90 }, { title: t('hhProblem'), dataIndex: 'message' }]} />
  );
}

export const kindKey: Record<string, RwKey> = {
  report_valid: 'evReportValid', report_confirmed: 'evReportConfirmed', frontage_check: 'evFrontage', model_household: 'evModel',
  courtyard: 'rdCourtyard', family: 'rdFamily', good: 'ftGood', fair: 'ftFair', poor: 'ftPoor',
};
