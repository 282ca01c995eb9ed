// 完成情况: completeness and timeliness of one plan for one period and area, as DHIS2 reports them —
// the total, the districts, the villages (sortable, a traffic light on the rates), the people, and
// the gaps (late and missing tasks) with links to each task.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Row, Select, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api';
import { useI18n, type I18n } from '../../i18n';
import { AreaPicker } from '../../components/Pickers';
import { useDefaultScope } from '../map/scope';
import { routinesAdminApi, type Completeness, type Counts, type Gap, type Plan } from './api';
import { PERIOD_TYPES, periodKey, planPeriodType, reportTypesFor, type PeriodType } from './periods';
import { Rate, describeRecurrence } from './common';

const PT_KEYS = { daily: 'raPtDaily', weekly: 'raPtWeekly', monthly: 'raPtMonthly', quarterly: 'raPtQuarterly', sixmonthly: 'raPtSixmonthly', yearly: 'raPtYearly' } as const;
const PICKER = { daily: 'date', weekly: 'week', monthly: 'month', quarterly: 'quarter', sixmonthly: 'year', yearly: 'year' } as const;

export function CompletenessPage() {
  const { t } = useI18n();
  const scope = useDefaultScope();
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [planId, setPlanId] = useState<number | undefined>();
  const [type, setType] = useState<PeriodType>('monthly');
  const [anchor, setAnchor] = useState<Dayjs>(() => dayjs());
  const [areaId, setAreaId] = useState<number | undefined>();
  const [areaLabel, setAreaLabel] = useState<string | undefined>();
  const [data, setData] = useState<Completeness | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    routinesAdminApi.plans().then((ps) => {
      setPlans(ps);
      setPlanId((cur) => cur ?? (ps.find((p) => p.code === 'self_check') ?? ps[0])?.id);
    }).catch((e) => { setPlans([]); setError(errorText(e)); });
  }, []);
  useEffect(() => {
    if (scope && areaId === undefined) { setAreaId(scope.id); setAreaLabel(scope.name); }
  }, [scope, areaId]);

  const plan = plans?.find((p) => p.id === planId);
  const types = useMemo(() => reportTypesFor(plan?.recurrence), [plan]);
  // A plan whose own period is longer than the chosen type: report on the plan's own period.
  useEffect(() => {
    if (plan && !types.includes(type)) setType(planPeriodType(plan.recurrence));
  }, [plan, types, type]);

  const period = periodKey(type, anchor.format('YYYY-MM-DD'));

  const load = useCallback(async () => {
    if (!planId || !areaId || !types.includes(type)) return;
    setLoading(true);
    setError(null);
    try {
      setData(await routinesAdminApi.completeness(planId, period, areaId));
    } catch (e) {
      setData(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [planId, period, areaId, type, types]);
  useEffect(() => { void load(); }, [load]);

  return (
    <div data-testid="rc-page">
      <Card
        title={t('menuRoutineCompleteness')}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} data-testid="rc-refresh">{t('raRefresh')}</Button>}
        style={{ marginBottom: 12 }}
      >
        <Space wrap size={[12, 8]}>
          <span>{t('raPlan')}</span>
          <Select
            data-testid="rc-plan" style={{ minWidth: 220 }} value={planId} loading={!plans} onChange={setPlanId}
            options={(plans ?? []).map((p) => ({ value: p.id, label: `${p.name}（${describeRecurrence(t, p.recurrence)}）` }))}
          />
          <span>{t('raPeriodType')}</span>
          <Select<PeriodType>
            data-testid="rc-period-type" style={{ width: 100 }} value={type} onChange={setType}
            options={PERIOD_TYPES.filter((p) => types.includes(p)).map((p) => ({ value: p, label: t(PT_KEYS[p]) }))}
          />
          <span>{t('raPeriod')}</span>
          <DatePicker
            data-testid="rc-period-picker" picker={PICKER[type]} value={anchor} allowClear={false}
            onChange={(d) => { if (d) setAnchor(type === 'sixmonthly' ? d.month(anchor.month() < 6 ? 0 : 6).date(1) : d); }}
          />
          {type === 'sixmonthly' && (
            <Select
              data-testid="rc-half" style={{ width: 100 }} value={anchor.month() < 6 ? 1 : 2}
              onChange={(h) => setAnchor(anchor.month(h === 1 ? 0 : 6).date(1))}
              options={[{ value: 1, label: t('raH1') }, { value: 2, label: t('raH2') }]}
            />
          )}
          <Tag data-testid="rc-period-key">{period}</Tag>
          <span>{t('raArea')}</span>
          <AreaPicker
            testId="rc-area" value={areaId} initialLabel={areaLabel} allowClear={false}
            onChange={(id, hit) => { if (id) { setAreaId(id); setAreaLabel(hit ? hit.name : undefined); } }}
          />
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="rc-error" />}
      <Spin spinning={loading}>
        {data ? <Report data={data} /> : !error && <Card><Empty /></Card>}
      </Spin>
    </div>
  );
}

function Report({ data }: { data: Completeness }) {
  const i18n = useI18n();
  const { t } = i18n;
  const c = data.total;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card data-testid="rc-total" size="small"
        title={<span>{data.plan.name} · {data.area.name} · {data.period} <Typography.Text type="secondary">（{t('raPeriodRange', { from: data.periodStart, to: data.periodEnd })}）</Typography.Text></span>}>
        {c.expected === 0 ? <Typography.Text type="secondary" data-testid="rc-no-tasks">{t('raNoTasks')}</Typography.Text> : (
          <Row gutter={[16, 8]}>
            <Col xs={8} md={4}><Statistic title={t('raExpected')} value={c.expected} /></Col>
            <Col xs={8} md={4}><Statistic title={t('raDone')} value={c.done} /></Col>
            <Col xs={8} md={4}><Statistic title={t('raOnTime')} value={c.onTime} /></Col>
            <Col xs={8} md={4}><Statistic title={t('raMissing')} value={c.missing} valueStyle={c.missing ? { color: '#cf1322' } : undefined} /></Col>
            <Col xs={8} md={4}><div className="ant-statistic-title" style={{ marginBottom: 4, color: 'rgba(0,0,0,0.45)' }}>{t('raCompleteness')}</div><span style={{ fontSize: 20 }}><Rate value={c.completeness} testId="rc-total-completeness" /></span></Col>
            <Col xs={8} md={4}><div className="ant-statistic-title" style={{ marginBottom: 4, color: 'rgba(0,0,0,0.45)' }}>{t('raTimeliness')}</div><span style={{ fontSize: 20 }}><Rate value={c.timeliness} testId="rc-total-timeliness" /></span></Col>
          </Row>
        )}
      </Card>
      {data.districts.length > 0 && (
        <Card size="small" title={t('raByDistrict')}>
          <CountsTable testId="rc-districts" rows={data.districts.map((r) => ({ ...r, key: r.areaId }))} nameTitle={t('raName')} i18n={i18n} />
        </Card>
      )}
      {data.villages.length > 0 && (
        <Card size="small" title={t('raByVillage')} extra={<Button size="small" icon={<DownloadOutlined />} onClick={() => exportVillages(data, t)} data-testid="rc-export">{t('raExportCsv')}</Button>}>
          <CountsTable testId="rc-villages" rows={data.villages.map((r) => ({ ...r, key: r.areaId }))} nameTitle={t('raName')} i18n={i18n} pageSize={20} />
        </Card>
      )}
      {data.people.length > 0 && (
        <Card size="small" title={t('raByPerson')}>
          <CountsTable testId="rc-people" rows={data.people.map((r, i) => ({ ...r, name: r.name ?? '—', key: r.userId ?? `a${i}` }))} nameTitle={t('raPerson')} i18n={i18n} pageSize={20} />
        </Card>
      )}
      <Card size="small" title={<span>{t('raGaps')} <Tag>{data.gaps.length}</Tag></span>}>
        <GapsTable gaps={data.gaps} />
      </Card>
    </Space>
  );
}

type CountRow = Counts & { key: number | string; name: string };

function CountsTable({ rows, nameTitle, i18n, testId, pageSize }: { rows: CountRow[]; nameTitle: string; i18n: I18n; testId: string; pageSize?: number }) {
  const { t } = i18n;
  const num = (k: 'expected' | 'done' | 'onTime' | 'late' | 'missing', title: string) => ({
    title, dataIndex: k, key: k, align: 'right' as const, sorter: (a: CountRow, b: CountRow) => a[k] - b[k],
  });
  const rate = (k: 'completeness' | 'timeliness', title: string) => ({
    title, dataIndex: k, key: k, align: 'right' as const,
    sorter: (a: CountRow, b: CountRow) => (a[k] ?? -1) - (b[k] ?? -1),
    render: (v: number | null) => <Rate value={v} />,
  });
  const columns: ColumnsType<CountRow> = [
    { title: nameTitle, dataIndex: 'name', key: 'name', sorter: (a, b) => a.name.localeCompare(b.name, 'zh') },
    num('expected', t('raExpected')), num('done', t('raDone')), num('onTime', t('raOnTime')), num('late', t('raLate')), num('missing', t('raMissing')),
    rate('completeness', t('raCompleteness')), rate('timeliness', t('raTimeliness')),
  ];
  return (
    <Table<CountRow>
      data-testid={testId} size="small" rowKey="key" columns={columns} dataSource={rows} scroll={{ x: 720 }}
      pagination={pageSize && rows.length > pageSize ? { pageSize, showSizeChanger: true } : false}
    />
  );
}

function GapsTable({ gaps }: { gaps: Gap[] }) {
  const { t } = useI18n();
  if (!gaps.length) return <Typography.Text type="secondary" data-testid="rc-no-gaps">{t('raNoGaps')}</Typography.Text>;
  const columns: ColumnsType<Gap> = [
    { title: '', dataIndex: 'kind', key: 'kind', width: 80, filters: [{ text: t('raGapMissing'), value: 'missing' }, { text: t('raGapLate'), value: 'late' }],
      onFilter: (v, g) => g.kind === v, render: (k: Gap['kind']) => (k === 'late' ? <Tag color="orange">{t('raGapLate')}</Tag> : <Tag color="red">{t('raGapMissing')}</Tag>) },
    { title: t('raPeriod'), dataIndex: 'period', key: 'period' },
    { title: t('raDueDate'), dataIndex: 'dueDate', key: 'dueDate', sorter: (a, b) => a.dueDate.localeCompare(b.dueDate) },
    { title: t('raArea'), dataIndex: 'areaName', key: 'areaName' },
    { title: t('raPerson'), dataIndex: 'userName', key: 'userName', render: (v: string | null) => v ?? t('raWhoArea') },
    { title: '', key: 'open', render: (_: unknown, g) => <a href={`#/tasks/${g.taskId}`} data-testid="rc-gap-link">{t('raOpenTask')}</a> },
  ];
  return <Table<Gap> data-testid="rc-gaps" size="small" rowKey="taskId" columns={columns} dataSource={gaps} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 640 }} />;
}

function exportVillages(data: Completeness, t: I18n['t']) {
  const cell = (v: unknown) => { const s = v === null || v === undefined ? '' : String(v); return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s; };
  const head = [t('raName'), t('raExpected'), t('raDone'), t('raOnTime'), t('raLate'), t('raMissing'), `${t('raCompleteness')} %`, `${t('raTimeliness')} %`];
  const lines = [head, ...data.villages.map((v) => [v.name, v.expected, v.done, v.onTime, v.late, v.missing, v.completeness, v.timeliness])].map((r) => r.map(cell).join(','));
  const blob = new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${data.plan.code}-${data.area.name}-${data.period}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
