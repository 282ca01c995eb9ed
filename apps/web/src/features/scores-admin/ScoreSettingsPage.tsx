// 考核设置 (administrators): the indicators of the environment score (formula over facts, direction,
// unit, target, traffic-light thresholds, the thin-data rule), the weights (a new set takes effect
// from a month; both levels add up to 100%), and the tiers, rewards and list sizes. The server
// checks everything; its messages are shown beside the fields they name.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, App, AutoComplete, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Result, Row, Select, Space, Switch, Table, Tabs, Tag,
  Tooltip, Typography,
} from 'antd';
import type { InputRef } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, PlusOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { useRoute, navigate } from '../../router';
import { useSession } from '../../session';
import {
  PERIOD_TYPES, scoresAdminApi, type Fact, type Indicator, type IndicatorInput, type PeriodType, type ScoreSettings, type WeightSet,
} from './api';
import { detailsByField, messagesUnder, monthLabel, when } from './common';
import { useSaT, type SaKey, type SaT } from './strings';

const PERIOD_KEY: Record<PeriodType, SaKey> = { monthly: 'inPeriodMonthly', quarterly: 'inPeriodQuarterly', yearly: 'inPeriodYearly' };
const TABS = ['indicators', 'weights', 'tiers'] as const;
type TabKey = (typeof TABS)[number];

export function ScoreSettingsPage() {
  const t = useSaT();
  const { can } = useSession();
  // Indicators and weights are one duty; the tiers and award amounts are install-wide settings.
  const mayOpen = can('scores.indicators.manage') || can('settings.manage');
  const route = useRoute();
  const tab: TabKey = (TABS as readonly string[]).includes(route.query.get('tab') ?? '') ? (route.query.get('tab') as TabKey) : 'indicators';
  const [indicators, setIndicators] = useState<Indicator[] | null>(null);
  const [facts, setFacts] = useState<Fact[]>([]);
  const [error, setError] = useState<string | null>(null);

  const loadIndicators = useCallback(async () => {
    setError(null);
    try { setIndicators(await scoresAdminApi.indicators()); } catch (e) { setIndicators([]); setError(errorText(e)); }
  }, []);
  useEffect(() => {
    if (!mayOpen) return;
    void loadIndicators();
    scoresAdminApi.facts().then(setFacts).catch(() => setFacts([]));
  }, [mayOpen, loadIndicators]);

  if (!mayOpen) return <Result status="403" title="403" subTitle={t('managersOnly')} data-testid="st-forbidden" />;

  return (
    <Card size="small" title={t('stTitle')} data-testid="st-page">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/scores/settings?tab=${k}`, true)}
        items={[
          { key: 'indicators', label: <span data-testid="st-tab-indicators">{t('stIndicators')}</span>,
            children: <IndicatorsTab indicators={indicators} facts={facts} reload={loadIndicators} /> },
          { key: 'weights', label: <span data-testid="st-tab-weights">{t('stWeights')}</span>,
            children: <WeightsTab indicators={indicators ?? []} onSaved={loadIndicators} /> },
          { key: 'tiers', label: <span data-testid="st-tab-tiers">{t('stTiers')}</span>, children: <TiersTab /> },
        ]}
      />
    </Card>
  );
}

// ------------------------------------------------------------------ indicators

function IndicatorsTab({ indicators, facts, reload }: { indicators: Indicator[] | null; facts: Fact[]; reload(): Promise<void> }) {
  const t = useSaT();
  const { lang } = useI18n();
  const [editing, setEditing] = useState<Indicator | 'new' | null>(null);
  const canEdit = useSession().can('scores.indicators.manage');
  const factName = (k: string | null) => (k ? (facts.find((f) => f.key === k)?.[lang] ?? k) : '');

  const columns: ColumnsType<Indicator> = [
    {
      title: t('inName'), key: 'name', width: 140,
      render: (_: unknown, i) => (
        <div data-testid={`in-name-${i.code}`}>
          <div>{lang === 'en' && i.nameEn ? i.nameEn : i.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.code}</Typography.Text>
        </div>
      ),
    },
    { title: t('inFormula'), dataIndex: 'formula', key: 'formula', width: 210, render: (v: string, i) => <Typography.Text code style={{ fontSize: 12, wordBreak: 'normal', overflowWrap: 'anywhere' }} data-testid={`in-formula-${i.code}`}>{v}</Typography.Text> },
    { title: t('inDirection'), dataIndex: 'direction', key: 'dir', width: 84, render: (v: string) => (v === 'up' ? t('inUp') : t('inDown')) },
    { title: t('inUnit'), dataIndex: 'unit', key: 'unit', width: 52 },
    { title: t('inTarget'), dataIndex: 'target', key: 'target', width: 64, align: 'right', render: (v: number | null) => v ?? '—' },
    {
      title: t('inThresholds'), key: 'thr', width: 80, align: 'right',
      render: (_: unknown, i) => <span data-testid={`in-thr-${i.code}`}><span style={{ color: '#389e0d' }}>{i.green}</span> / <span style={{ color: '#d48806' }}>{i.yellow}</span></span>,
    },
    { title: t('inBase'), key: 'base', width: 140, render: (_: unknown, i) => (i.baseFact ? t('inBaseText', { fact: factName(i.baseFact), n: i.minBase }) : t('inBaseNone')) },
    { title: t('inPeriods'), dataIndex: 'periodTypes', key: 'pt', width: 100, render: (v: PeriodType[]) => v.map((p) => <Tag key={p}>{t(PERIOD_KEY[p])}</Tag>) },
    { title: t('inWeight'), dataIndex: 'weight', key: 'w', width: 72, align: 'right', render: (v?: number) => `${v ?? 0}%` },
    { title: t('inActive'), dataIndex: 'active', key: 'active', width: 64, render: (v: boolean) => (v ? <Tag color="green">{t('inActiveOn')}</Tag> : <Tag>{t('inActiveOff')}</Tag>) },
    ...(!canEdit ? [] : [{ title: '', key: 'edit', width: 76, render: (_: unknown, i: Indicator) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(i)} data-testid={`in-edit-${i.code}`}>{t('edit')}</Button> }]),
  ];
  return (
    <div data-testid="st-indicators">
      <Space style={{ marginBottom: 8 }}>
        {canEdit && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="in-create">{t('inCreate')}</Button>}
        <Button icon={<ReloadOutlined />} onClick={() => void reload()} aria-label={t('refresh')} />
      </Space>
      <Table<Indicator> data-testid="in-table" size="small" rowKey="id" loading={!indicators} columns={columns} dataSource={indicators ?? []} pagination={false} scroll={{ x: 1080 }} />
      {editing && (
        <IndicatorForm
          indicator={editing === 'new' ? null : editing} facts={facts}
          onClose={() => setEditing(null)}
          onSaved={async () => { setEditing(null); await reload(); }}
          onStale={async () => { setEditing(null); await reload(); }}
        />
      )}
    </div>
  );
}

interface IndValues {
  code: string; name: string; nameEn: string; formula: string; direction: 'up' | 'down'; unit: string; target: number | null;
  green: number | null; yellow: number | null; baseFact: string | null; minBase: number | null; periodTypes: PeriodType[]; sort: number | null; active: boolean;
}
const IND_FIELDS = ['code', 'name', 'nameEn', 'formula', 'direction', 'unit', 'target', 'green', 'yellow', 'baseFact', 'minBase', 'periodTypes', 'sort', 'active'] as const;

function IndicatorForm({ indicator, facts, onClose, onSaved, onStale }: {
  indicator: Indicator | null; facts: Fact[]; onClose(): void; onSaved(): Promise<void>; onStale(): Promise<void>;
}) {
  const t = useSaT();
  const { lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<IndValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formulaRef = useRef<InputRef>(null);

  const initial: IndValues = indicator
    ? { ...indicator, nameEn: indicator.nameEn ?? '', sort: indicator.sort }
    : { code: '', name: '', nameEn: '', formula: '', direction: 'up', unit: '%', target: null, green: null, yellow: null, baseFact: null, minBase: 0,
      periodTypes: ['monthly', 'quarterly', 'yearly'], sort: 100, active: true };

  /** Puts a fact's name where the cursor is in the formula. */
  const insertFact = (key: string) => {
    const cur = form.getFieldValue('formula') ?? '';
    const el = formulaRef.current?.input;
    const at = el && el.selectionStart !== null ? el.selectionStart : cur.length;
    const end = el && el.selectionEnd !== null ? el.selectionEnd : at;
    const next = `${cur.slice(0, at)}${key}${cur.slice(end)}`;
    form.setFieldValue('formula', next);
    form.setFields([{ name: 'formula', errors: [] }]);
    setTimeout(() => { el?.focus(); el?.setSelectionRange(at + key.length, at + key.length); }, 0);
  };

  const save = async () => {
    let v: IndValues;
    try { v = await form.validateFields(); } catch { return; }
    const body: IndicatorInput = {
      name: v.name.trim(), nameEn: v.nameEn?.trim() || null, formula: v.formula.trim(), direction: v.direction, unit: v.unit.trim(),
      target: v.target ?? null, green: v.green!, yellow: v.yellow!, baseFact: v.baseFact ?? null, minBase: v.minBase ?? 0,
      periodTypes: v.periodTypes, sort: v.sort ?? 100, active: v.active,
    };
    setSaving(true);
    setError(null);
    try {
      if (indicator) await scoresAdminApi.updateIndicator(indicator.id, { ...body, version: indicator.version });
      else await scoresAdminApi.createIndicator({ ...body, code: v.code.trim() });
      message.success(t('inSaved'));
      await onSaved();
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) {
        if (e.status === 409 && e.code === 'STALE') { message.warning(t('inStale')); await onStale(); return; }
        const by = detailsByField(e);
        if (e.code === 'DUPLICATE_CODE') by.set('code', [e.message]);
        const known = new Set<string>(IND_FIELDS);
        form.setFields([...by].filter(([f]) => known.has(f)).map(([f, errors]) => ({ name: f as keyof IndValues, errors })));
      }
    } finally {
      setSaving(false);
    }
  };

  const num = (name: 'target' | 'green' | 'yellow' | 'minBase' | 'sort', label: string, opts: { required?: boolean; integer?: boolean; extra?: string } = {}) => (
    <Form.Item name={name} label={label} extra={opts.extra} rules={opts.required ? [{ required: true, message: t('required') }] : []}>
      <InputNumber style={{ width: '100%' }} precision={opts.integer ? 0 : undefined} min={opts.integer ? 0 : undefined} data-testid={`in-f-${name}`} />
    </Form.Item>
  );

  return (
    <Modal
      open title={indicator ? t('inEdit', { name: indicator.name }) : t('inCreate')} onCancel={onClose} onOk={() => void save()} confirmLoading={saving}
      okText={t('save')} cancelText={t('cancel')} okButtonProps={{ 'data-testid': 'in-save' }} destroyOnHidden width={720} data-testid="in-modal"
    >
      <Form<IndValues> form={form} layout="vertical" initialValues={initial} onValuesChange={(changed) => {
        setError(null);
        // A changed field's server message no longer holds.
        form.setFields(Object.keys(changed).map((k) => ({ name: k as keyof IndValues, errors: [] })));
      }}>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="code" label={t('inCode')} extra={indicator ? undefined : t('inCodeRule')}
              rules={indicator ? [] : [{ required: true, message: t('required') }, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('inCodeRule') }]}>
              <Input disabled={!!indicator} maxLength={40} data-testid="in-f-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="name" label={t('inName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <Input maxLength={30} data-testid="in-f-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="nameEn" label={t('inNameEn')}>
              <Input maxLength={60} data-testid="in-f-nameEn" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="formula" label={t('inFormula')} extra={t('inFormulaHelp')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input ref={formulaRef} maxLength={300} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} data-testid="in-f-formula" />
        </Form.Item>
        <div style={{ margin: '-8px 0 16px' }} data-testid="in-facts">
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>{t('inFacts')}:</Typography.Text>
          {facts.map((f) => (
            <Tooltip key={f.key} title={lang === 'zh' ? f.zh : f.en}>
              <Tag style={{ cursor: 'pointer', marginBottom: 4, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} onClick={() => insertFact(f.key)}>{f.key}</Tag>
            </Tooltip>
          ))}
        </div>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="direction" label={t('inDirection')} rules={[{ required: true, message: t('required') }]}>
              <Radio.Group data-testid="in-f-direction" options={[{ value: 'up', label: t('inUp') }, { value: 'down', label: t('inDown') }]} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={7}>
            <Form.Item name="unit" label={t('inUnit')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <AutoComplete options={['%', '分', '人次', '次', '件'].map((u) => ({ value: u }))} data-testid="in-f-unit"><Input maxLength={10} /></AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={12} sm={7}>{num('target', t('inTarget'))}</Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -12 }}>{t('inTargetHelp')}</Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={12} sm={8}>{num('green', t('inGreen'), { required: true })}</Col>
          <Col xs={12} sm={8}>{num('yellow', t('inYellow'), { required: true })}</Col>
          <Col xs={24} sm={8}><Typography.Paragraph type="secondary" style={{ fontSize: 12, paddingTop: 30 }}>{t('inThresholdHelp')}</Typography.Paragraph></Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="baseFact" label={t('inBaseFact')} extra={t('inBaseHelp')}>
              <Select allowClear placeholder={t('inBaseNone')} data-testid="in-f-baseFact" showSearch={{ optionFilterProp: 'label' }}
                options={facts.map((f) => ({ value: f.key, label: `${lang === 'zh' ? f.zh : f.en}（${f.key}）` }))}
                onChange={(v) => form.setFieldValue('baseFact', v ?? null)} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>{num('minBase', t('inMinBase'), { integer: true })}</Col>
          <Col xs={12} sm={6}>{num('sort', t('inSort'), { integer: true })}</Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={16}>
            <Form.Item name="periodTypes" label={t('inPeriods')} rules={[{ required: true, type: 'array', min: 1, message: t('required') }]}>
              <Checkbox.Group options={PERIOD_TYPES.map((p) => ({ value: p, label: t(PERIOD_KEY[p]) }))} data-testid="in-f-periodTypes" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="active" label={t('inActive')} valuePropName="checked">
              <Switch data-testid="in-f-active" />
            </Form.Item>
          </Col>
        </Row>
        {error && <Alert type="error" showIcon title={error} data-testid="in-error" />}
        {indicator && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('inVersion', { v: indicator.version })}</Typography.Text>}
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------ weights

const sum = (xs: (number | null | undefined)[]) => Math.round(xs.reduce<number>((a, b) => a + (b ?? 0), 0) * 1e6) / 1e6;
const near100 = (v: number) => Math.abs(v - 100) < 1e-6;

function SumTag({ value, t, testId }: { value: number; t: SaT; testId: string }) {
  const ok = near100(value);
  return <Tag color={ok ? 'green' : 'red'} data-testid={testId}>{t('wtSum', { n: Math.round(value * 100) / 100 })}{ok ? '' : ` · ${t('wtMustBe100')}`}</Tag>;
}

function WeightsTab({ indicators, onSaved }: { indicators: Indicator[]; onSaved(): Promise<void> }) {
  const t = useSaT();
  const canEditWeights = useSession().can('scores.indicators.manage');
  const { lang } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<{ current: WeightSet | null; history: WeightSet[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [validFrom, setValidFrom] = useState<Dayjs | null>(() => dayjs().add(1, 'month').startOf('month'));
  const [env, setEnv] = useState<number | null>(null);
  const [other, setOther] = useState<number | null>(null);
  const [ind, setInd] = useState<Record<string, number | null>>({});
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [errs, setErrs] = useState<Map<string, string[]>>(new Map());

  const fill = useCallback((w: WeightSet | null) => {
    setEnv(w?.weights.environment ?? null);
    setOther(w?.weights.other ?? null);
    setInd(w ? { ...w.weights.indicators } : {});
  }, []);
  const load = useCallback(async () => {
    setError(null);
    try { const d = await scoresAdminApi.weights(); setData(d); return d; } catch (e) { setError(errorText(e)); return null; }
  }, []);
  useEffect(() => { void load().then((d) => fill(d?.current ?? null)); }, [load, fill]);

  // Active indicators first, then those switched off (they may still carry a weight).
  const rows = useMemo(() => [...indicators].sort((a, b) => Number(b.active) - Number(a.active) || a.sort - b.sort || a.id - b.id), [indicators]);
  const orderOf = (code: string) => { const k = rows.findIndex((i) => i.code === code); return k < 0 ? rows.length : k; };
  const nameOf = (code: string) => { const i = indicators.find((x) => x.code === code); return i ? (lang === 'en' && i.nameEn ? i.nameEn : i.name) : code; };
  const level1 = sum([env, other]);
  const level2 = sum(rows.map((i) => ind[i.code]));

  const save = async () => {
    setSaveError(null);
    setErrs(new Map());
    if (!validFrom) { setErrs(new Map([['validFrom', [t('wtMonthNeeded')]]])); return; }
    const indicatorsW: Record<string, number> = {};
    for (const i of rows) indicatorsW[i.code] = ind[i.code] ?? 0;
    setSaving(true);
    try {
      const res = await scoresAdminApi.addWeights(validFrom.format('YYYYMM'), { environment: env ?? 0, other: other ?? 0, indicators: indicatorsW }, note.trim() || null);
      message.success(t('wtSaved', { m: monthLabel(res.validFrom) }));
      setNote('');
      await load();
      await onSaved();
    } catch (e) {
      setSaveError(errorText(e));
      setErrs(detailsByField(e));
    } finally {
      setSaving(false);
    }
  };

  const today = dayjs().format('YYYY-MM-DD');
  const current = data?.current ?? null;
  const help = (keys: string[]) => {
    const m = keys.flatMap((k) => errs.get(k) ?? []);
    return m.length ? <div className="ant-form-item-explain-error" style={{ color: '#ff4d4f', fontSize: 13 }}>{m.join('；')}</div> : null;
  };
  const historyColumns: ColumnsType<WeightSet> = [
    {
      title: t('wtValidFrom'), dataIndex: 'validFrom', key: 'from', width: 130,
      render: (v: string, w) => <span>{monthLabel(v)} {w.id === current?.id ? <Tag color="green">{t('wtCurrentTag')}</Tag> : v > today ? <Tag color="blue">{t('wtFuture')}</Tag> : null}</span>,
    },
    { title: `${t('wtEnvironment')} / ${t('wtOther')}`, key: 'lv1', width: 120, render: (_: unknown, w) => `${w.weights.environment}% / ${w.weights.other}%` },
    {
      title: t('wtIndicatorsOf'), key: 'lv2',
      render: (_: unknown, w) => <Typography.Text style={{ fontSize: 12 }}>{Object.entries(w.weights.indicators).filter(([, v]) => v).sort(([x], [y]) => orderOf(x) - orderOf(y)).map(([k, v]) => `${nameOf(k)} ${v}`).join(' · ')}</Typography.Text>,
    },
    { title: t('wtNote'), dataIndex: 'note', key: 'note', width: 200, render: (v: string | null) => v ?? '' },
    { title: t('wtCreatedBy'), key: 'by', width: 170, render: (_: unknown, w) => <span>{w.createdBy ?? '—'} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(w.createdAt)}</Typography.Text></span> },
  ];

  return (
    <div data-testid="st-weights">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('wtCurrent')} data-testid="wt-current">
            {!current ? <Typography.Text type="secondary">{t('wtNone')}</Typography.Text> : (
              <>
                <Typography.Paragraph>
                  <Tag color="green" data-testid="wt-current-from">{t('wtFrom', { m: monthLabel(current.validFrom) })}</Tag>
                  <span data-testid="wt-current-lv1">{t('wtComposite', { env: current.weights.environment, other: current.weights.other })}</span>
                </Typography.Paragraph>
                <Table<{ code: string; w: number }> size="small" rowKey="code" pagination={false}
                  dataSource={Object.entries(current.weights.indicators).map(([code, w]) => ({ code, w })).sort((x, y) => orderOf(x.code) - orderOf(y.code))}
                  columns={[
                    { title: t('wtIndicatorsOf'), dataIndex: 'code', key: 'c', render: (c: string) => nameOf(c) },
                    { title: '%', dataIndex: 'w', key: 'w', align: 'right', width: 70 },
                  ]} />
                {current.note && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{current.note}</Typography.Paragraph>}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('wtNew')} data-testid="wt-editor">
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <div>
                <Space wrap>
                  <span>{t('wtValidFrom')}</span>
                  <DatePicker picker="month" value={validFrom} onChange={(d) => setValidFrom(d ? d.startOf('month') : null)} format="YYYY-MM" data-testid="wt-valid-from" />
                  <Tag data-testid="wt-valid-from-key">{validFrom ? validFrom.format('YYYYMM') : '—'}</Tag>
                </Space>
                <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('wtValidFromHelp')}</Typography.Text></div>
                {help(['validFrom'])}
              </div>
              <div>
                <Typography.Text strong>{t('wtLevel1')}</Typography.Text>
                <Space wrap style={{ display: 'flex', marginTop: 6 }}>
                  <span>{t('wtEnvironment')}</span>
                  <InputNumber value={env} onChange={(v) => setEnv(v)} min={0} max={100} suffix="%" style={{ width: 110 }} status={errs.has('environment') ? 'error' : undefined} data-testid="wt-environment" />
                  <span>{t('wtOther')}</span>
                  <InputNumber value={other} onChange={(v) => setOther(v)} min={0} max={100} suffix="%" style={{ width: 110 }} status={errs.has('environment') ? 'error' : undefined} data-testid="wt-other" />
                  <SumTag value={level1} t={t} testId="wt-sum1" />
                </Space>
                {help(['environment', 'other'])}
              </div>
              <div>
                <Space style={{ marginBottom: 6 }} wrap>
                  <Typography.Text strong>{t('wtLevel2')}</Typography.Text>
                  <SumTag value={level2} t={t} testId="wt-sum2" />
                </Space>
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: '6px 16px' }}>
                  {rows.map((i) => (
                    <div key={i.code}>
                      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
                        <Typography.Text type={i.active ? undefined : 'secondary'} ellipsis style={{ maxWidth: 150 }}>{nameOf(i.code)}{i.active ? '' : t('wtInactive')}</Typography.Text>
                        <InputNumber value={ind[i.code] ?? null} onChange={(v) => setInd((m) => ({ ...m, [i.code]: v }))} min={0} max={100} suffix="%" style={{ width: 100 }}
                          status={errs.has(`indicators.${i.code}`) ? 'error' : undefined} data-testid={`wt-ind-${i.code}`} />
                      </div>
                      {help([`indicators.${i.code}`])}
                    </div>
                  ))}
                </div>
                <div data-testid="wt-ind-error">{help(['indicators'])}</div>
              </div>
              <div>
                <div style={{ marginBottom: 4 }}>{t('wtNote')}</div>
                <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} placeholder={t('wtNotePlaceholder')} data-testid="wt-note" />
              </div>
              {saveError && <Alert type="error" showIcon title={saveError} data-testid="wt-error" />}
              {canEditWeights && <Button type="primary" icon={<SaveOutlined />} onClick={() => void save()} loading={saving} data-testid="wt-save">{t('wtSaveNew')}</Button>}
            </Space>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('wtHistory')} style={{ marginTop: 12 }}>
        <Table<WeightSet> data-testid="wt-history" size="small" rowKey="id" columns={historyColumns} dataSource={data?.history ?? []} pagination={false} scroll={{ x: 900 }} />
      </Card>
    </div>
  );
}

// ------------------------------------------------------------------ tiers, rewards, list sizes

function TiersTab() {
  const t = useSaT();
  const canEditTiers = useSession().can('settings.manage');
  const { message } = App.useApp();
  const [s, setS] = useState<ScoreSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [errs, setErrs] = useState<Map<string, string[]>>(new Map());
  const [saving, setSaving] = useState(false);

  useEffect(() => { scoresAdminApi.settings().then(setS).catch((e) => setError(errorText(e))); }, []);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!s) return null;

  const set = (fn: (x: ScoreSettings) => ScoreSettings) => { setS((cur) => (cur ? fn(structuredClone(cur)) : cur)); setSaveError(null); };
  const missing = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

  const save = async () => {
    // Empty boxes are refused here, each beside its group; everything else is the server's to check.
    const local = new Map<string, string[]>();
    const need = (k: string, vs: unknown[]) => { if (vs.some(missing)) local.set(k, [t('required')]); };
    need(s.tiers.mode === 'share' ? 'tiers.shares' : 'tiers.thresholds', Object.values(s.tiers.mode === 'share' ? s.tiers.shares : s.tiers.thresholds));
    need('rewards', Object.values(s.rewards));
    need('redBlackSize', [s.redBlackSize]);
    need('annualAwardCount', [s.annualAwardCount]);
    need('picksPerDistrict', [s.picksPerDistrict]);
    setErrs(local);
    if (local.size) return;
    setSaving(true);
    setSaveError(null);
    try {
      setS(await scoresAdminApi.putSettings(s));
      message.success(t('trSaved'));
    } catch (e) {
      setSaveError(errorText(e));
      setErrs(detailsByField(e));
    } finally {
      setSaving(false);
    }
  };

  const item = (label: string, key: string, children: React.ReactNode, extra?: string) => {
    const m = messagesUnder(errs, key);
    return (
      <Form.Item label={label} extra={extra} validateStatus={m.length ? 'error' : undefined} help={m.length ? m.join('；') : undefined} data-testid={`tr-item-${key}`}>
        {children}
      </Form.Item>
    );
  };
  const three = (group: 'thresholds' | 'shares', suffix: string) => (
    <Space wrap>
      {(['excellent', 'good', 'pass'] as const).map((k) => (
        <Space key={k} size={4}>
          <span>{t(k === 'excellent' ? 'tierExcellent' : k === 'good' ? 'tierGood' : 'tierPass')}</span>
          <InputNumber value={s.tiers[group][k]} min={0} max={100} suffix={suffix} style={{ width: 100 }} data-testid={`tr-${group}-${k}`}
            onChange={(v) => set((x) => { x.tiers[group][k] = v as number; return x; })} />
        </Space>
      ))}
    </Space>
  );
  const int = (key: 'redBlackSize' | 'annualAwardCount' | 'picksPerDistrict', max: number) => (
    <InputNumber value={s[key]} min={1} max={max} precision={0} style={{ width: 100 }} data-testid={`tr-${key}`}
      onChange={(v) => set((x) => { x[key] = v as number; return x; })} />
  );

  return (
    <Form layout="vertical" style={{ maxWidth: 760 }} data-testid="st-tiers">
      {item(t('trMode'), 'tiers.mode', (
        <Radio.Group value={s.tiers.mode} data-testid="tr-mode" onChange={(e) => set((x) => { x.tiers.mode = e.target.value; return x; })}
          options={[{ value: 'threshold', label: t('trThreshold') }, { value: 'share', label: t('trShare') }]} />
      ))}
      {s.tiers.mode === 'threshold'
        ? item(t('trThresholds'), 'tiers.thresholds', three('thresholds', ''), t('trThresholdsHelp'))
        : item(t('trShares'), 'tiers.shares', three('shares', '%'), t('trSharesHelp'))}
      {item(t('trRewards'), 'rewards', (
        <Space wrap>
          {(['excellent', 'good', 'pass', 'fail'] as const).map((k) => (
            <Space key={k} size={4}>
              <span>{t(k === 'excellent' ? 'tierExcellent' : k === 'good' ? 'tierGood' : k === 'pass' ? 'tierPass' : 'tierFail')}</span>
              <InputNumber value={s.rewards[k]} min={0} max={10_000_000} precision={0} suffix={t('yuan')} style={{ width: 130 }} data-testid={`tr-rewards-${k}`}
                onChange={(v) => set((x) => { x.rewards[k] = v as number; return x; })} />
            </Space>
          ))}
        </Space>
      ), t('trRewardsHelp'))}
      <Row gutter={12}>
        <Col xs={24} sm={8}>{item(t('trRedBlack'), 'redBlackSize', int('redBlackSize', 50))}</Col>
        <Col xs={24} sm={8}>{item(t('trAnnual'), 'annualAwardCount', int('annualAwardCount', 100))}</Col>
        <Col xs={24} sm={8}>{item(t('trPicks'), 'picksPerDistrict', int('picksPerDistrict', 10))}</Col>
      </Row>
      {saveError && <Alert type="error" showIcon title={saveError} style={{ marginBottom: 12 }} data-testid="tr-error" />}
      {canEditTiers && <Button type="primary" icon={<SaveOutlined />} onClick={() => void save()} loading={saving} data-testid="tr-save">{t('save')}</Button>}
    </Form>
  );
}
