// The records behind a number: for an indicator, its formula with the counts filled in and one tab
// per fact it names; for a fact, its list. Cases link to 案件详情, tasks to the task page.
import { useEffect, useState } from 'react';
import { Alert, Drawer, Empty, Grid, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { errorText } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { StateTag } from '../cases/common';
import type { CaseState } from '../../../../../packages/shared/src/cases';
import { scoresApi, type CaseRecord, type Fact, type Facts, type Indicator, type IndicatorValue, type Records, type TaskRecord } from './api';
import { COLOUR_BG, COLOUR_KEY, factName, fmtTime, formulaFacts, formulaInWords, indicatorName, legendText, periodLabel } from './common';

export interface RecordsTarget {
  areaId: number;
  areaName: string;
  period: string;
  facts: Facts;
  /** an indicator cell: its facts as tabs */
  indicator?: Indicator;
  value?: IndicatorValue;
  /** the fact to show first (or the only one, without an indicator) */
  fact?: string;
}

export function RecordsDrawer({ target, catalogue, onClose }: { target: RecordsTarget | null; catalogue: Fact[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const keys = target ? (target.indicator ? formulaFacts(target.indicator.formula, catalogue) : target.fact ? [target.fact] : []) : [];
  const [tab, setTab] = useState<string | undefined>();
  useEffect(() => { setTab(target?.fact ?? keys[0]); }, [target]); // eslint-disable-line react-hooks/exhaustive-deps
  const by = new Map(catalogue.map((f) => [f.key, f]));
  const ind = target?.indicator;
  const title = target ? `${target.areaName} · ${ind ? indicatorName(ind, lang) : factName(by.get(target.fact ?? ''), target.fact ?? '', lang)} · ${periodLabel(target.period, lang)}` : '';
  return (
    <Drawer
      open={!!target} onClose={onClose} title={title} destroyOnHidden
      size={screens.md ? 820 : window.innerWidth} data-testid="sc-records"
      rootClassName="no-print"
    >
      {target && ind && (
        <div style={{ marginBottom: 12 }} data-testid="sc-records-formula">
          <div>
            <Typography.Text strong>{indicatorName(ind, lang)}</Typography.Text>{' '}
            {target.value?.value !== null && target.value?.value !== undefined ? (
              <Tag style={{ background: target.value.colour ? COLOUR_BG[target.value.colour] : undefined }} data-colour={target.value.colour ?? 'none'}>
                {target.value.value}{ind.unit}{target.value.colour ? ` · ${t(COLOUR_KEY[target.value.colour]!)}` : ''}
              </Tag>
            ) : <Tag>—</Tag>}
            {target.value?.thin && <Tag color="default">{t('cardThin', { n: ind.minBase })}</Tag>}
          </div>
          <div><Typography.Text type="secondary">= {formulaInWords(ind.formula, catalogue, lang)}</Typography.Text></div>
          <div><Typography.Text type="secondary">= {formulaWithCounts(ind.formula, target.facts, catalogue)}{target.value?.value !== null && target.value?.value !== undefined ? ` = ${target.value.value}` : ''}</Typography.Text></div>
          <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{legendText(ind, t)} · {t('cardWeight', { w: ind.weight })}</Typography.Text></div>
        </div>
      )}
      {target && keys.length > 0 && (
        <Tabs
          activeKey={tab} onChange={setTab} data-testid="sc-records-tabs"
          items={keys.map((k) => ({
            key: k,
            label: <span data-testid={`sc-records-tab-${k}`}>{factName(by.get(k), k, lang)} <Tag style={{ marginInlineEnd: 0 }}>{target.facts[k] ?? 0}</Tag></span>,
            children: tab === k ? <RecordsList areaId={target.areaId} period={target.period} fact={k} /> : null,
          }))}
        />
      )}
    </Drawer>
  );
}

/** The formula with each fact's count in place: 1 ÷ 5 × 100. */
function formulaWithCounts(formula: string, facts: Facts, catalogue: Fact[]): string {
  const keys = new Set(catalogue.map((f) => f.key));
  return formula.replace(/[a-z_][a-z0-9_]*/g, (k) => (keys.has(k) ? String(facts[k] ?? 0) : k))
    .replace(/\s*\*\s*/g, ' × ').replace(/\s*\/\s*/g, ' ÷ ');
}

const KIND_LABEL: Record<string, TKey> = { party_member: 'rfKindParty', volunteer: 'rfKindVolunteer', villager: 'rfKindVillager', cadre: 'rfKindCadre' };

function RecordsList({ areaId, period, fact }: { areaId: number; period: string; fact: string }) {
  const { t } = useI18n();
  const [data, setData] = useState<Records | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    scoresApi.records(areaId, period, fact).then((r) => { if (live) setData(r); }).catch((e) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [areaId, period, fact]);
  if (error) return <Alert type="error" showIcon title={error} data-testid="sc-records-error" />;
  if (!data) return <div style={{ padding: 24, textAlign: 'center' }}><Spin /></div>;
  if (data.total === 0) return <Empty description={t('cardNoRecords')} data-testid="sc-records-empty" />;
  const more = data.total > data.items.length;
  return (
    <div data-testid="sc-records-list" data-fact={fact}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {more ? t('cardRecordsFirst', { n: data.items.length, total: data.total }) : t('cardRecordsTotal', { n: data.total })}
      </Typography.Paragraph>
      {data.kind === 'cases' ? <CaseTable items={data.items} /> : <TaskTable kind={data.kind} items={data.items} />}
    </div>
  );
}

function CaseTable({ items }: { items: CaseRecord[] }) {
  const { t } = useI18n();
  const columns: ColumnsType<CaseRecord> = [
    { title: t('cardCaseNo'), dataIndex: 'no', key: 'no', fixed: 'left', render: (no: string, c) => <a href={`#/cases/${c.id}`} data-testid="sc-record-case">{no}</a> },
    { title: t('cardState'), dataIndex: 'state', key: 'state', render: (s: string) => <StateTag state={s as CaseState} /> },
    { title: t('cardCategory'), dataIndex: 'categoryName', key: 'cat' },
    { title: t('cardPlace'), dataIndex: 'areaName', key: 'area' },
    { title: t('cardReportedAt'), dataIndex: 'reportedAt', key: 'rep', render: fmtTime },
    { title: t('cardDueAt'), dataIndex: 'dueAt', key: 'due', render: fmtTime },
    { title: t('cardFixedAt'), dataIndex: 'fixedAt', key: 'fixed', render: (v: string | null) => (v ? fmtTime(v) : <Typography.Text type="secondary">{t('cardNotFixed')}</Typography.Text>) },
    { title: t('cardDescription'), dataIndex: 'description', key: 'desc', ellipsis: true, width: 180 },
  ];
  return <Table<CaseRecord> size="small" rowKey="id" columns={columns} dataSource={items} className="sc-records-table" scroll={{ x: 900 }} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="sc-records-cases" />;
}

function TaskTable({ kind, items }: { kind: Exclude<Records['kind'], 'cases'>; items: TaskRecord[] }) {
  const { t } = useI18n();
  const link = (_: unknown, r: TaskRecord) => <a href={`#/tasks/${r.id}`} data-testid="sc-record-task">{r.planName}</a>;
  const columns: ColumnsType<TaskRecord> = [
    { title: t('cardPlan'), key: 'plan', fixed: 'left', render: link },
    { title: t('cardTaskPeriod'), dataIndex: 'period', key: 'period' },
    { title: t('cardPlace'), dataIndex: 'areaName', key: 'area' },
    { title: t('cardPerson'), dataIndex: 'userName', key: 'user', render: (v: string | null) => v ?? '—' },
    { title: t('cardDueDate'), dataIndex: 'dueDate', key: 'due' },
  ];
  if (kind === 'tasks' || kind === 'results') {
    columns.push({ title: t('cardDoneAt'), dataIndex: 'doneAt', key: 'done', render: (v: string | null, r) => (v
      ? <span>{fmtTime(v)} {r.onTime === false && <Tag color="orange">{t('cardLate')}</Tag>}</span>
      : <Tag color="red">{t('cardNotDone')}</Tag>) });
  }
  if (kind === 'results') columns.push({ title: t('cardChecklistScore'), dataIndex: 'percent', key: 'pct', align: 'right', render: (v: number) => `${v}%` });
  if (kind === 'turnout') {
    columns.push(
      { title: t('rfName'), dataIndex: 'personName', key: 'pn' },
      { title: t('cardPersonKind'), dataIndex: 'personKind', key: 'pk', render: (v: string) => (KIND_LABEL[v] ? t(KIND_LABEL[v]!) : v) },
      { title: t('rfSignedInAt'), dataIndex: 'signedInAt', key: 'si', render: (v: string | null) => (v ? fmtTime(v) : <Typography.Text type="secondary">{t('rfNotSignedIn')}</Typography.Text>) },
    );
  }
  if (kind === 'visits') {
    columns.push(
      { title: t('cardVisitScore'), dataIndex: 'score', key: 'score', align: 'right' },
      { title: t('cardVisitedAt'), dataIndex: 'visitedAt', key: 'va', render: fmtTime },
      { title: t('rfNote'), dataIndex: 'note', key: 'note', ellipsis: true },
    );
  }
  // One task stands behind several turnout rows, so rows are keyed by their place in the list.
  const rows = items.map((r, i) => ({ ...r, key: i }));
  return <Table<TaskRecord & { key: number }> size="small" rowKey="key" columns={columns as ColumnsType<TaskRecord & { key: number }>} dataSource={rows} className="sc-records-table" scroll={{ x: 760 }} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="sc-records-tasks" />;
}
