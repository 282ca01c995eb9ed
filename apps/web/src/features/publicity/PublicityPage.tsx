// 宣传发动 (#/publicity): the campaigns with their progress; a campaign's page (#/publicity/<id>)
// with its totals against the targets, the villages (letters, audio, lectures, the banner check
// against "5 to 10 by village size", red when short), and a tab per kind to enter and correct
// records; the WeChat tab edits read counts in place and imports them from .xlsx.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Col, Empty, Grid, InputNumber, Popconfirm, Progress, Result, Row, Space, Spin, Switch, Table, Tabs, Tag, Typography, Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  ArrowLeftOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, LinkOutlined, PlusOutlined, ReloadOutlined, SaveOutlined, UploadOutlined,
} from '@ant-design/icons';
import { ApiError, errorText, type ApiErrorDetail } from '../../api';
import { navigate, type Route } from '../../router';
import { useSession } from '../../session';
import {
  publicityApi, type BannerStatus, type CampaignDetail, type CampaignListItem, type Kind, type PRecord, type Progress as TargetProgress,
  type Summary, type VillageRow,
} from './api';
import { CampaignForm, TARGET_LABEL } from './CampaignForm';
import { RecordForm } from './RecordForm';
import { usePpT, type PpKey, type PpT } from './strings';

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));
const STATUS: Record<BannerStatus, { key: PpKey; color: string }> = {
  short: { key: 'sShort', color: 'red' }, unknown: { key: 'sUnknown', color: 'orange' }, ok: { key: 'sOk', color: 'green' }, over: { key: 'sOver', color: 'gold' },
};
const TAB_KEYS = ['villages', 'letter', 'audio', 'banner', 'wechat', 'lecture'] as const;
const TAB_LABEL: Record<(typeof TAB_KEYS)[number], PpKey> = {
  villages: 'tabVillages', letter: 'tabLetter', audio: 'tabAudio', banner: 'tabBanner', wechat: 'tabWechat', lecture: 'tabLecture',
};

export function PublicityPage({ route }: { route: Route }) {
  const id = route.path[1] ? Number(route.path[1]) : undefined;
  if (id !== undefined) return Number.isSafeInteger(id) && id > 0 ? <CampaignView key={id} id={id} route={route} /> : <Result status="404" title="404" />;
  return <CampaignList />;
}

// ------------------------------------------------------------------ the list

function ProgressLine({ p, t, testId }: { p: TargetProgress; t: PpT; testId?: string }) {
  const label = t(TARGET_LABEL[p.key].name);
  const unit = t(TARGET_LABEL[p.key].unit);
  const text = p.target !== null ? t('ofTarget', { a: fmt(p.actual), t: fmt(p.target), u: unit }) : t('noTarget', { a: fmt(p.actual), u: unit });
  return (
    <div data-testid={testId}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} size={4}>
        <Typography.Text strong>{label}</Typography.Text>
        <Typography.Text data-testid={testId ? `${testId}-text` : undefined}>{text}</Typography.Text>
      </Space>
      {p.target !== null && p.target > 0 && (
        <Progress percent={Math.min(100, p.percent ?? 0)} format={() => `${p.percent ?? 0}%`} status={p.met ? 'success' : 'active'} size="small" />
      )}
    </div>
  );
}

function CampaignList() {
  const t = usePpT();
  const { can } = useSession();
  const [list, setList] = useState<CampaignListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => {
    setError(null);
    try { setList(await publicityApi.campaigns()); } catch (e) { setError(errorText(e)); }
  }, []);
  useEffect(() => { void load(); }, [load]);
  const canCreate = can('publicity.manage');

  return (
    <div data-testid="pp-list">
      <Card
        size="small" title={t('listTitle')} style={{ marginBottom: 12 }}
        extra={(
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
            {canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pp-new">{t('newCampaign')}</Button>}
          </Space>
        )}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('listExplain')}</Typography.Paragraph>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {list === null && !error && <div style={{ textAlign: 'center', padding: 40 }}><Spin /></div>}
      {list && list.length === 0 && <Card><Empty description={t('noCampaigns')} /></Card>}
      <Row gutter={[12, 12]}>
        {(list ?? []).map((c) => (
          <Col xs={24} md={12} xl={8} key={c.id}>
            <Card
              size="small" hoverable onClick={() => navigate(`/publicity/${c.id}`)} data-testid={`pp-campaign-${c.id}`}
              title={<span data-testid="pp-campaign-name">{c.name}</span>}
              extra={<Tag>{c.scopeName}</Tag>}
            >
              <Typography.Text type="secondary">{t('cPeriod', { from: c.startsOn, to: c.endsOn })}</Typography.Text>
              <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }} size={6}>
                {c.progress.filter((p) => p.target !== null).map((p) => <ProgressLine key={p.key} p={p} t={t} />)}
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
      <CampaignForm open={creating} onClose={() => setCreating(false)} onSaved={(c) => { setCreating(false); navigate(`/publicity/${c.id}`); }} />
    </div>
  );
}

// ------------------------------------------------------------------ a campaign

function CampaignView({ id, route }: { id: number; route: Route }) {
  const t = usePpT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [editing, setEditing] = useState(false);
  const [tick, setTick] = useState(0);
  const tabParam = route.query.get('tab');
  const tab = (TAB_KEYS as readonly string[]).includes(tabParam ?? '') ? tabParam! : 'villages';

  const load = useCallback(async () => {
    try {
      const [c, s] = await Promise.all([publicityApi.campaign(id), publicityApi.summary(id)]);
      setCampaign(c);
      setSummary(s);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : errorText(e));
    }
  }, [id]);
  useEffect(() => { void load(); }, [load]);
  const changed = useCallback(() => { setTick((n) => n + 1); void load(); }, [load]);

  if (error && !campaign) {
    return <Result status={error instanceof ApiError && error.status === 404 ? '404' : 'warning'} title={error instanceof ApiError ? error.message : error}
      extra={<Button onClick={() => navigate('/publicity')}>{t('back')}</Button>} />;
  }
  if (!campaign || !summary) return <div style={{ textAlign: 'center', padding: 60 }}><Spin /></div>;

  const del = async () => {
    try {
      await publicityApi.deleteCampaign(campaign.id, campaign.version);
      message.success(t('deleted'));
      navigate('/publicity');
    } catch (e) { message.error(errorText(e)); }
  };
  const s = summary.totals;
  const extraTotals = [
    t('totLettersVillages', { n: fmt(s.lettersToVillages) }), t('totLettersSchools', { n: fmt(s.lettersToSchools) }),
    t('totVan', { n: fmt(s.vanRounds) }), t('totLoud', { n: fmt(s.loudspeakerRounds) }), t('totPlays', { n: fmt(s.audioPlays) }),
    t('totBanners', { n: fmt(s.banners) }), t('totReads', { n: fmt(s.reads) }),
  ];

  return (
    <div data-testid="pp-campaign">
      <Card
        size="small" style={{ marginBottom: 12 }}
        title={(
          <Space wrap size={[8, 0]}>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/publicity')} aria-label={t('back')} data-testid="pp-back" />
            <span data-testid="pp-title">{campaign.name}</span>
          </Space>
        )}
        extra={!phone && (
          <Space>
            <Button icon={<ReloadOutlined />} onClick={changed} aria-label={t('refresh')} data-testid="pp-refresh" />
            <Button icon={<DownloadOutlined />} href={publicityApi.summaryXlsxUrl(campaign.id)} download data-testid="pp-export">{t('export')}</Button>
            {campaign.canWrite && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="pp-edit">{t('edit')}</Button>}
          </Space>
        )}
      >
        <Space wrap size={[8, 4]}>
          <Tag color="blue">{campaign.scopeName}</Tag>
          <Typography.Text type="secondary">{t('cPeriod', { from: campaign.startsOn, to: campaign.endsOn })}</Typography.Text>
          {!campaign.canWrite && <Typography.Text type="secondary">· {t('cReadOnly')}</Typography.Text>}
        </Space>
        {phone && (
          <Space wrap style={{ marginTop: 8 }}>
            <Button size="small" icon={<ReloadOutlined />} onClick={changed} aria-label={t('refresh')} />
            <Button size="small" icon={<DownloadOutlined />} href={publicityApi.summaryXlsxUrl(campaign.id)} download>{t('export')}</Button>
            {campaign.canWrite && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('edit')}</Button>}
          </Space>
        )}
      </Card>

      <Card size="small" title={t('progress')} style={{ marginBottom: 12 }} data-testid="pp-progress">
        <Row gutter={[24, 12]}>
          {summary.progress.map((p) => (
            <Col xs={24} sm={12} lg={8} key={p.key}><ProgressLine p={p} t={t} testId={`pp-total-${p.key}`} /></Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }} data-testid="pp-totals-more">
          {extraTotals.join(' · ')}
          {summary.bestPost && <><br />{t('bestPost', { title: summary.bestPost.title ?? '', n: fmt(summary.bestPost.reads) })}</>}
        </Typography.Paragraph>
      </Card>

      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab} onChange={(k) => navigate(`/publicity/${id}?tab=${k}`, true)} data-testid="pp-tabs"
          renderTabBar={phone ? () => (
            <Row gutter={[6, 6]} style={{ padding: '12px 0' }}>
              {TAB_KEYS.map((k) => (
                <Col span={8} key={k}>
                  <Button block type={k === tab ? 'primary' : 'default'} onClick={() => navigate(`/publicity/${id}?tab=${k}`, true)} data-testid={`pp-tab-${k}`}>
                    {t(TAB_LABEL[k])}
                  </Button>
                </Col>
              ))}
            </Row>
          ) : undefined}
          items={TAB_KEYS.map((k) => ({
            key: k, label: phone ? t(TAB_LABEL[k]) : <span data-testid={`pp-tab-${k}`}>{t(TAB_LABEL[k])}</span>,
            children: k === 'villages'
              ? <VillagesTab summary={summary} />
              : <KindTab key={`${k}-${tick}`} kind={k} campaign={campaign} summary={summary} onChanged={changed} />,
          }))}
        />
      </Card>

      <CampaignForm open={editing} campaign={campaign} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); changed(); }} />
      {campaign.canWrite && (
        <div style={{ marginTop: 12, textAlign: 'right' }}>
          <Popconfirm title={t('cDeleteConfirm')} onConfirm={() => void del()} okText={t('delete')} cancelText={t('cancel')}>
            <Button danger type="link" icon={<DeleteOutlined />} data-testid="pp-delete">{t('cDelete')}</Button>
          </Popconfirm>
        </div>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ villages and the banner check

function statusTag(t: PpT, s: BannerStatus, testId?: string) {
  return <Tag color={STATUS[s].color} data-testid={testId} style={{ marginInlineEnd: 0 }}>{t(STATUS[s].key)}</Tag>;
}
const shortRow = (r: VillageRow) => (r.status === 'short' ? { style: { background: '#fff1f0' } } : {});

function ruleText(t: PpT, s: Summary) {
  const r = s.rule;
  let lo = 0;
  const steps = r.steps.map((x) => { const txt = `${lo ? `${lo + 1}–` : '≤'}${x.upTo} → ${x.required}`; lo = x.upTo; return txt; }).join('，');
  return t('bannerRuleText', { min: r.min, max: r.max, steps, last: lo, above: r.above, s: r.bySizeClass.small, m: r.bySizeClass.medium, l: r.bySizeClass.large });
}

function BannerSummary({ summary }: { summary: Summary }) {
  const t = usePpT();
  const b = summary.bannerCheck;
  return (
    <Space orientation="vertical" size={2} style={{ marginBottom: 8 }}>
      <Typography.Text data-testid="pp-banner-summary" type={b.short ? 'danger' : undefined}>
        {t('bannerSummary', { v: b.villages, ok: b.ok, short: b.short, over: b.over, unknown: b.unknown, up: b.up, req: b.required })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{ruleText(t, summary)}</Typography.Text>
    </Space>
  );
}

function VillagesTab({ summary }: { summary: Summary }) {
  const t = usePpT();
  const [onlyShort, setOnlyShort] = useState(false);
  const rows = onlyShort ? summary.villages.filter((v) => v.status === 'short') : summary.villages;
  const columns: ColumnsType<VillageRow> = [
    { title: t('vVillage'), dataIndex: 'name', width: 90 },
    { title: t('vHouseholds'), dataIndex: 'households', align: 'right', width: 70, render: fmt },
    { title: t('vLetters'), dataIndex: 'letters', align: 'right', width: 80, render: fmt, sorter: (a, b) => a.letters - b.letters },
    { title: t('vAudio'), key: 'audio', align: 'right', width: 100, render: (_, r) => `${r.audioRounds} / ${fmt(r.audioPlays)}` },
    { title: t('vLectures'), key: 'lectures', align: 'right', width: 100, render: (_, r) => `${r.lectures} / ${fmt(r.attendance)}` },
    { title: t('vBanners'), key: 'banners', align: 'right', width: 100, render: (_, r) => `${r.bannersUp ?? '—'} / ${r.required}` },
    { title: t('vStatus'), dataIndex: 'status', width: 90, render: (s: BannerStatus, r) => statusTag(t, s, `pp-vstatus-${r.code}`),
      sorter: (a, b) => ['short', 'unknown', 'over', 'ok'].indexOf(a.status) - ['short', 'unknown', 'over', 'ok'].indexOf(b.status) },
  ];
  return (
    <div data-testid="pp-villages">
      <Space wrap style={{ marginBottom: 8, justifyContent: 'space-between', width: '100%' }}>
        <BannerSummary summary={summary} />
        <Space><Switch size="small" checked={onlyShort} onChange={setOnlyShort} data-testid="pp-only-short" />{t('onlyShort')}</Space>
      </Space>
      <Table<VillageRow> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 640 }} onRow={shortRow} data-testid="pp-village-table" />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('schools')}</Typography.Title>
      {summary.schools.length ? (
        <Table rowKey="place" size="small" pagination={false} dataSource={summary.schools} data-testid="pp-schools"
          columns={[{ title: t('sSchool'), dataIndex: 'place' }, { title: t('sLetters'), dataIndex: 'letters', align: 'right', render: fmt },
            { title: t('sTimes'), dataIndex: 'records', align: 'right' }]} />
      ) : <Typography.Text type="secondary">{t('noSchools')}</Typography.Text>}
    </div>
  );
}

function BannerCheck({ summary }: { summary: Summary }) {
  const t = usePpT();
  const columns: ColumnsType<VillageRow> = [
    { title: t('vVillage'), dataIndex: 'name', width: 90 },
    { title: t('vHouseholds'), dataIndex: 'households', align: 'right', width: 70, render: fmt },
    { title: t('vUp'), dataIndex: 'bannersUp', align: 'right', width: 60, render: (v: number | null, r) => <span data-testid={`pp-bup-${r.code}`}>{v ?? '—'}</span> },
    { title: t('vRequired'), dataIndex: 'required', align: 'right', width: 60 },
    { title: t('vStatus'), dataIndex: 'status', width: 90, render: (s: BannerStatus, r) => statusTag(t, s, `pp-bstatus-${r.code}`),
      sorter: (a, b) => ['short', 'unknown', 'over', 'ok'].indexOf(a.status) - ['short', 'unknown', 'over', 'ok'].indexOf(b.status) },
    { title: t('vCounted'), dataIndex: 'bannersCountedOn', width: 100, render: (v: string | null) => v ?? '—' },
    { title: t('vBasis'), dataIndex: 'note', render: (v: string | null) => (v ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text> : null) },
  ];
  return (
    <div data-testid="pp-banner-check" style={{ marginBottom: 16 }}>
      <BannerSummary summary={summary} />
      <Table<VillageRow> rowKey="id" size="small" columns={columns} dataSource={summary.villages} pagination={false} scroll={{ x: 560 }} onRow={shortRow} />
    </div>
  );
}

// ------------------------------------------------------------------ records of one kind

function KindTab({ kind, campaign, summary, onChanged }: { kind: Kind; campaign: CampaignDetail; summary: Summary; onChanged: () => void }) {
  const t = usePpT();
  const { message } = App.useApp();
  const [items, setItems] = useState<PRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<{ record: PRecord | null } | null>(null);
  const load = useCallback(async () => {
    try { setItems((await publicityApi.records(campaign.id, kind)).items); setError(null); } catch (e) { setError(errorText(e)); }
  }, [campaign.id, kind]);
  useEffect(() => { void load(); }, [load]);
  const required = useMemo(() => new Map(summary.villages.map((v) => [v.id, v.required])), [summary.villages]);
  const canAdd = campaign.canWrite || campaign.villages.some((v) => v.canWrite);

  const remove = async (r: PRecord) => {
    try {
      await publicityApi.deleteRecord(r.id, r.version);
      message.success(t('deleted'));
      onChanged();
    } catch (e) { message.error(errorText(e)); void load(); }
  };
  const where = (r: PRecord) => r.areaName ?? r.place ?? '—';
  const actions: ColumnsType<PRecord>[number] = {
    title: t('actions'), key: 'actions', width: 96, fixed: 'right',
    render: (_, r) => r.canWrite && (
      <Space size={0}>
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setForm({ record: r })} aria-label={t('edit')} data-testid={`pp-edit-${r.id}`} />
        <Popconfirm title={t('deleteConfirm')} onConfirm={() => void remove(r)} okText={t('delete')} cancelText={t('cancel')}>
          <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('delete')} data-testid={`pp-del-${r.id}`} />
        </Popconfirm>
      </Space>
    ),
  };
  const dateCol: ColumnsType<PRecord>[number] = { title: t('date'), dataIndex: 'on', width: 100, defaultSortOrder: 'descend', sorter: (a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0) };
  const noteCol: ColumnsType<PRecord>[number] = { title: t('note'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' };
  const byCol: ColumnsType<PRecord>[number] = { title: t('by'), dataIndex: 'byName', width: 90, render: (v: string | null) => v ?? '—' };
  const cols: Record<Exclude<Kind, 'wechat'>, ColumnsType<PRecord>> = {
    letter: [dateCol, { title: t('fTarget'), key: 'where', render: (_, r) => <>{where(r)} {r.areaId === null && <Tag>{t('fToSchool')}</Tag>}</> },
      { title: t('fQuantityLetters'), dataIndex: 'quantity', align: 'right', width: 80, render: fmt }, byCol, noteCol, actions],
    audio: [dateCol, { title: t('fVillage'), key: 'where', render: (_, r) => where(r) },
      { title: t('aMode'), dataIndex: 'mode', width: 100, render: (m: string) => (m === 'van' ? t('mVan') : t('mLoudspeaker')) },
      { title: t('aPlays'), dataIndex: 'quantity', align: 'right', width: 80, render: fmt }, byCol, noteCol, actions],
    banner: [dateCol, { title: t('fVillage'), key: 'where', render: (_, r) => where(r) },
      { title: t('vUp'), dataIndex: 'quantity', align: 'right', width: 70, render: fmt }, { title: t('fBannerPlace'), dataIndex: 'place', render: (v: string | null) => v ?? '' },
      byCol, noteCol, actions],
    lecture: [dateCol, { title: t('lTopic'), dataIndex: 'title' }, { title: t('lVenue'), key: 'where', render: (_, r) => where(r) },
      { title: t('lAttendance'), dataIndex: 'attendance', align: 'right', width: 80, render: fmt }, byCol, noteCol, actions],
  };

  return (
    <div data-testid={`pp-kind-${kind}`}>
      {kind === 'banner' && <BannerCheck summary={summary} />}
      <Space wrap style={{ marginBottom: 8 }}>
        {canAdd && <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setForm({ record: null })} data-testid={`pp-add-${kind}`}>{t(`add${kind[0]!.toUpperCase()}${kind.slice(1)}` as PpKey)}</Button>}
      </Space>
      {kind === 'wechat' && <WechatImport campaign={campaign} onDone={onChanged} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {kind === 'wechat'
        ? <WechatTable items={items} onChanged={onChanged} onEdit={(r) => setForm({ record: r })} onDelete={(r) => void remove(r)} />
        : (
          <Table<PRecord>
            rowKey="id" size="small" loading={items === null} dataSource={items ?? []} columns={cols[kind]} scroll={{ x: 720 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }} locale={{ emptyText: t('noRecords') }} data-testid={`pp-records-${kind}`}
          />
        )}
      <RecordForm
        open={form !== null} kind={kind} campaign={campaign} record={form?.record} schools={summary.schools.map((s) => s.place)}
        requiredOf={(v) => required.get(v)} onClose={() => setForm(null)} onSaved={() => { setForm(null); onChanged(); }}
      />
    </div>
  );
}

// ------------------------------------------------------------------ WeChat posts

function WechatTable({ items, onChanged, onEdit, onDelete }: { items: PRecord[] | null; onChanged: () => void; onEdit: (r: PRecord) => void; onDelete: (r: PRecord) => void }) {
  const t = usePpT();
  const { message } = App.useApp();
  const [reads, setReads] = useState<Record<number, number | null>>({});
  const [saving, setSaving] = useState<number | null>(null);
  const save = async (r: PRecord) => {
    const v = reads[r.id];
    if (v === null || v === undefined) return;
    setSaving(r.id);
    try {
      await publicityApi.updateReads(r.id, v, r.version);
      message.success(t('wReadsSaved'));
      onChanged();
    } catch (e) {
      message.error(e instanceof ApiError && e.code === 'STALE' ? t('recStale') : errorText(e));
      if (e instanceof ApiError && e.code === 'STALE') onChanged();
    } finally { setSaving(null); }
  };
  const columns: ColumnsType<PRecord> = [
    { title: t('fOnPost'), dataIndex: 'on', width: 100, defaultSortOrder: 'descend', sorter: (a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0) },
    { title: t('fTitle'), dataIndex: 'title', render: (v: string, r) => (
      <>{v} {r.url && <a href={r.url} target="_blank" rel="noopener noreferrer" aria-label={t('wOpen')}><LinkOutlined /></a>}</>
    ) },
    { title: t('fReads'), key: 'reads', width: 190, sorter: (a, b) => (a.reads ?? -1) - (b.reads ?? -1), render: (_, r) => (r.canWrite ? (
      <Space.Compact>
        <InputNumber
          min={0} max={100_000_000} precision={0} value={r.id in reads ? reads[r.id] : r.reads} style={{ width: 110 }} inputMode="numeric"
          onChange={(v) => setReads((m) => ({ ...m, [r.id]: typeof v === 'number' ? v : null }))} data-testid={`pp-reads-${r.id}`} aria-label={t('fReads')}
        />
        <Button icon={<SaveOutlined />} loading={saving === r.id} disabled={!(r.id in reads) || reads[r.id] === null || reads[r.id] === r.reads}
          onClick={() => void save(r)} aria-label={t('wSaveReads')} data-testid={`pp-reads-save-${r.id}`} />
      </Space.Compact>
    ) : fmt(r.reads)) },
    { title: t('fReadsAt'), dataIndex: 'readsAt', width: 140, render: (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, -3) : '—') },
    { title: t('actions'), key: 'actions', width: 96, render: (_, r) => r.canWrite && (
      <Space size={0}>
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(r)} aria-label={t('edit')} />
        <Popconfirm title={t('deleteConfirm')} onConfirm={() => onDelete(r)} okText={t('delete')} cancelText={t('cancel')}>
          <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('delete')} />
        </Popconfirm>
      </Space>
    ) },
  ];
  return (
    <Table<PRecord> rowKey="id" size="small" loading={items === null} dataSource={items ?? []} columns={columns} scroll={{ x: 720 }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }} locale={{ emptyText: t('noRecords') }} data-testid="pp-records-wechat" />
  );
}

function WechatImport({ campaign, onDone }: { campaign: CampaignDetail; onDone: () => void }) {
  const t = usePpT();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; text: string } | { ok: false; file: string; error: unknown } | null>(null);
  const upload = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    try {
      const r = await publicityApi.importWechat(campaign.id, file);
      setOutcome({ ok: true, text: t('wImported', { rows: r.rows, c: r.created, u: r.updated, n: r.unchanged }) });
      onDone();
    } catch (e) {
      setOutcome({ ok: false, file: file.name, error: e });
    } finally { setBusy(false); }
  };
  const details: ApiErrorDetail[] = outcome && !outcome.ok && outcome.error instanceof ApiError ? outcome.error.details ?? [] : [];
  return (
    <div style={{ marginBottom: 12 }}>
      <Space wrap>
        <Button icon={<DownloadOutlined />} href={publicityApi.wechatTemplateUrl(campaign.id)} download data-testid="pp-wechat-template">{t('wTemplate')}</Button>
        {campaign.canWrite && (
          <Upload accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" maxCount={1} showUploadList={false} disabled={busy}
            customRequest={(opt) => { void upload(opt.file as File).then(() => opt.onSuccess?.({})); }}>
            <Button icon={<UploadOutlined />} loading={busy} data-testid="pp-wechat-import">{t('wImport')}</Button>
          </Upload>
        )}
      </Space>
      <div style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('wImportHint')}</Typography.Text>
        {outcome?.ok && <Alert type="success" showIcon title={outcome.text} style={{ marginTop: 8 }} data-testid="pp-import-ok" />}
        {outcome && !outcome.ok && (
          <Alert
            type="error" showIcon style={{ marginTop: 8 }} data-testid="pp-import-error"
            title={`${t('wImportFailed', { file: outcome.file })}：${errorText(outcome.error)}`}
            description={details.length > 0 && (
              <Table size="small" rowKey={(d) => `${d.row}-${d.column}-${d.message}`} pagination={false} dataSource={details} data-testid="pp-import-rows"
                columns={[{ title: t('wRow'), dataIndex: 'row', width: 50 }, { title: t('wColumn'), dataIndex: 'column', width: 80 }, { title: t('wProblem'), dataIndex: 'message' }]} />
            )}
          />
        )}
      </div>
    </div>
  );
}
