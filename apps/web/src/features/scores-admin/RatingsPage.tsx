// 评比与奖励: a town's quarterly ratings (每季一评比: tiers and rewards) and annual awards (每全年一大奖:
// honour medals). Propose one for an ended period, approve it as a second person, withdraw it while
// proposed, mark each award paid; the annual award's certificates print on A4. Every refusal is the
// server's own message.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Collapse, DatePicker, Descriptions, Empty, Grid, Popconfirm, Result, Row, Segmented, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, CheckOutlined, PrinterOutlined, ReloadOutlined, RollbackOutlined, SendOutlined, TrophyOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../../api';
import { AreaPicker } from '../../components/Pickers';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { useDefaultScope } from '../map/scope';
import { scoresAdminApi, type Award, type Rating, type RatingVillage } from './api';
import { TierTag, money, monthLabel, score, when } from './common';
import { Certificates } from './Certificates';
import { useSaT, type SaT } from './strings';

export function RatingsPage({ id, certificate }: { id?: number; certificate?: boolean }) {
  if (id !== undefined && Number.isFinite(id)) return certificate ? <Certificates id={id} /> : <RatingDetail id={id} />;
  return <RatingsList />;
}

type Kind = 'quarter' | 'year';
const periodOf = (kind: Kind, d: Dayjs) => (kind === 'year' ? d.format('YYYY') : `${d.year()}Q${Math.floor(d.month() / 3) + 1}`);
/** The first month of the last ended quarter, or the first day of the last ended year. */
const lastEnded = (kind: Kind) => {
  const now = dayjs();
  return kind === 'year' ? now.subtract(1, 'year').startOf('year') : now.month(Math.floor(now.month() / 3) * 3).startOf('month').subtract(3, 'month');
};

function RatingsList() {
  const t = useSaT();
  const { message } = App.useApp();
  const scope = useDefaultScope();
  const [townId, setTownId] = useState<number | undefined>();
  const [townLabel, setTownLabel] = useState<string | undefined>();
  const [list, setList] = useState<Rating[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [kind, setKind] = useState<Kind>('quarter');
  const [anchor, setAnchor] = useState<Dayjs>(() => lastEnded('quarter'));
  const [proposing, setProposing] = useState(false);
  const [proposeError, setProposeError] = useState<string | null>(null);
  const period = periodOf(kind, anchor);
  const mayPropose = useSession().can('scores.rating.propose');

  useEffect(() => {
    if (scope && townId === undefined && scope.level === 'town') { setTownId(scope.id); setTownLabel(scope.name); }
  }, [scope, townId]);

  const load = useCallback(async () => {
    if (!townId) return;
    setLoading(true);
    setError(null);
    try { setList(await scoresAdminApi.ratings(townId)); } catch (e) { setList(null); setError(errorText(e)); } finally { setLoading(false); }
  }, [townId]);
  useEffect(() => { void load(); }, [load]);

  const propose = async () => {
    if (!townId) return;
    setProposing(true);
    setProposeError(null);
    try {
      const r = await scoresAdminApi.propose(townId, period);
      message.success(t('rtProposed'));
      navigate(`/scores/ratings/${r.id}`);
    } catch (e) {
      setProposeError(errorText(e));
    } finally {
      setProposing(false);
    }
  };

  const columns: ColumnsType<Rating> = [
    { title: t('rtPeriod'), dataIndex: 'period', key: 'period', render: (v: string, r) => <a href={`#/scores/ratings/${r.id}`} data-testid={`rt-link-${r.period}`}>{v}</a> },
    { title: t('rtKind'), dataIndex: 'kind', key: 'kind', render: (k: Kind) => (k === 'year' ? <Tag color="gold" icon={<TrophyOutlined />}>{t('rtKindYear')}</Tag> : t('rtKindQuarter')) },
    { title: t('rtStatus'), dataIndex: 'status', key: 'status', render: (s: Rating['status'], r) => <StatusTag status={s} t={t} testId={`rt-status-${r.period}`} /> },
    { title: t('rtProposer'), key: 'proposer', render: (_: unknown, r) => <span>{r.proposedByName ?? '—'} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(r.proposedAt)}</Typography.Text></span> },
    { title: t('rtApprover'), key: 'approver', render: (_: unknown, r) => (r.approvedAt ? <span>{r.approvedByName ?? '—'} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(r.approvedAt)}</Typography.Text></span> : '—') },
    { title: t('rtVillages'), key: 'awards', align: 'right', render: (_: unknown, r) => r.awards.length },
    { title: t('rtAmount'), key: 'amount', align: 'right', render: (_: unknown, r) => (r.kind === 'year' ? '—' : t('yuanN', { n: money(r.totalAmount) })) },
    { title: t('rtPaid'), key: 'paid', align: 'right', render: (_: unknown, r) => (r.kind === 'year' ? `${r.awards.filter((a) => a.paidAt).length}/${r.awards.length}` : t('yuanN', { n: money(r.paidAmount) })) },
    { title: '', key: 'open', render: (_: unknown, r) => <a href={`#/scores/ratings/${r.id}`}>{t('rtOpen')}</a> },
  ];

  return (
    <div data-testid="rt-page">
      <Card size="small" title={t('rtTitle')} style={{ marginBottom: 12 }}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} aria-label={t('refresh')} />}>
        <Space wrap size={[12, 8]}>
          <span>{t('rtTown')}</span>
          <AreaPicker testId="rt-town" level="town" value={townId} initialLabel={townLabel} allowClear={false} placeholder={t('rtPickTown')}
            onChange={(id, hit) => { if (id) { setTownId(id); setTownLabel(hit?.name); } }} />
        </Space>
      </Card>

      {mayPropose && <Card size="small" title={t('rtPropose')} style={{ marginBottom: 12 }} data-testid="rt-propose-card">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>{t('rtProposeHint')}</Typography.Paragraph>
        <Space wrap size={[12, 8]}>
          <Segmented<Kind>
            value={kind} data-testid="rt-kind"
            onChange={(k) => { setKind(k); setAnchor(lastEnded(k)); setProposeError(null); }}
            options={[{ value: 'quarter', label: t('rtKindQuarter') }, { value: 'year', label: t('rtKindYear') }]}
          />
          <DatePicker
            picker={kind === 'year' ? 'year' : 'quarter'} value={anchor} allowClear={false} data-testid="rt-period-picker"
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(d) => { if (d) { setAnchor(d); setProposeError(null); } }}
          />
          <Tag data-testid="rt-period-key">{period}</Tag>
          <Button type="primary" icon={<SendOutlined />} onClick={() => void propose()} loading={proposing} disabled={!townId} data-testid="rt-propose">
            {t('rtPropose')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rtLastEnded', { p: periodOf(kind, lastEnded(kind)) })}</Typography.Text>
        </Space>
        {proposeError && <Alert type="error" showIcon title={proposeError} style={{ marginTop: 12 }} data-testid="rt-propose-error" />}
      </Card>}

      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Card size="small" title={t('rtList')}>
        {!townId ? <Empty description={t('rtPickTown')} /> : (
          <Table<Rating> data-testid="rt-list" size="small" rowKey="id" loading={loading} columns={columns} dataSource={list ?? []}
            pagination={false} scroll={{ x: 860 }} locale={{ emptyText: t('rtNoRatings') }} />
        )}
      </Card>
    </div>
  );
}

function StatusTag({ status, t, testId }: { status: Rating['status']; t: SaT; testId?: string }) {
  return status === 'approved'
    ? <Tag color="green" data-testid={testId}>{t('rtStatusApproved')}</Tag>
    : <Tag color="orange" data-testid={testId}>{t('rtStatusProposed')}</Tag>;
}

function RatingDetail({ id }: { id: number }) {
  const t = useSaT();
  const { message } = App.useApp();
  const { me, can } = useSession();
  const screens = Grid.useBreakpoint();
  const [r, setR] = useState<Rating | null>(null);
  const [town, setTown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const rating = await scoresAdminApi.rating(id);
      setR(rating);
      api.area(rating.areaId).then((a) => setTown(a.name)).catch(() => setTown(null));
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  /** Runs an action; its refusal (the server's message) is shown above the table. */
  const act = async (name: string, fn: () => Promise<Rating | null>, ok: string) => {
    setBusy(name);
    setActionError(null);
    try {
      const next = await fn();
      if (next) setR(next);
      message.success(ok);
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const byVillage = useMemo(() => new Map((r?.content.villages ?? []).map((v) => [v.id, v])), [r]);
  if (error && !r) return <Result status="warning" title={t('rtNotFound')} subTitle={error} extra={<Button href="#/scores/ratings">{t('back')}</Button>} />;
  if (!r) return <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;

  const year = r.kind === 'year';
  const proposed = r.status === 'proposed';
  const mine = r.proposedBy === me.id;
  const unranked = r.content.villages.filter((v) => v.rank === null);
  const tiers = r.content.settings.tiers;
  const unpaid = r.totalAmount - r.paidAmount;

  const columns: ColumnsType<Award> = [
    { title: t('rtRank'), dataIndex: 'rank', key: 'rank', width: 64, align: 'right' },
    { title: t('village'), key: 'village', render: (_: unknown, a) => <span data-testid={`rt-award-name-${a.villageCode}`}>{a.villageName}</span> },
    { title: t('district'), dataIndex: 'districtName', key: 'district', render: (v: string | null) => v ?? '—' },
    { title: t('rtTier'), dataIndex: 'tier', key: 'tier', render: (v: string, a) => <TierTag tier={v} t={t} testId={`rt-award-tier-${a.villageCode}`} /> },
    { title: t('rtComposite'), dataIndex: 'composite', key: 'composite', align: 'right', render: (v: number) => <b>{score(v)}</b> },
    { title: t('rtEnvironment'), key: 'env', align: 'right', render: (_: unknown, a) => score(byVillage.get(a.villageId)?.environment) },
    { title: t('rtOther'), key: 'other', align: 'right', render: (_: unknown, a) => score(byVillage.get(a.villageId)?.other) },
    ...(!year ? [{ title: t('rtAmount'), dataIndex: 'amount', key: 'amount', align: 'right' as const, render: (v: number) => t('yuanN', { n: money(v) }) }] : []),
    {
      title: t('rtPaidState'), key: 'paid', render: (_: unknown, a) => {
        if (a.paidAt) return <span data-testid={`rt-paid-${a.villageCode}`}><Tag color="green">{t('rtPaid')}</Tag><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rtPaidAt', { who: a.paidByName ?? '—', at: when(a.paidAt) })}</Typography.Text></span>;
        if (!year && a.amount === 0) return <span data-testid={`rt-paid-${a.villageCode}`}>—</span>;
        // the proposer and the approver never pay (the server refuses them too)
        if (proposed || !can('scores.rating.pay') || r.proposedBy === me.id || r.approvedBy === me.id) return <Typography.Text type="secondary" data-testid={`rt-paid-${a.villageCode}`}>{t('rtNotPaid')}</Typography.Text>;
        return (
          <Popconfirm title={t('rtMarkPaidConfirm', { v: a.villageName })} okText={t('rtMarkPaid')} cancelText={t('cancel')}
            okButtonProps={{ 'data-testid': 'rt-mark-paid-ok' }}
            onConfirm={() => act(`paid-${a.id}`, () => scoresAdminApi.markPaid(r.id, a.id), t('saved'))}>
            <Button size="small" loading={busy === `paid-${a.id}`} data-testid={`rt-mark-paid-${a.villageCode}`}>{year ? t('rtMarkAwarded') : t('rtMarkPaid')}</Button>
          </Popconfirm>
        );
      },
    },
    ...(year && !proposed ? [{
      title: '', key: 'cert', render: (_: unknown, a: Award) => <a href={`#/scores/ratings/${r.id}/certificate?award=${a.id}`} data-testid={`rt-cert-${a.villageCode}`}>{t('rtCertificate')}</a>,
    }] : []),
  ];

  const tierCounts = (['excellent', 'good', 'pass', 'fail'] as const).map((k) => [k, r.awards.filter((a) => a.tier === k).length] as const);

  return (
    <div data-testid="rt-detail">
      <Card
        size="small" style={{ marginBottom: 12 }}
        title={<Space wrap><Button type="text" size="small" icon={<ArrowLeftOutlined />} href="#/scores/ratings" aria-label={t('back')} />
          <span data-testid="rt-title">{town ?? ''} {r.period} {year ? t('rtKindYear') : t('rtKindQuarter')}</span><StatusTag status={r.status} t={t} testId="rt-status" /></Space>}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />}
      >
        <Descriptions size="small" column={screens.md ? 2 : 1} items={[
          { key: 'p', label: t('rtPeriod'), children: `${r.period}（${t('rtPeriodRange', { from: r.content.period.start, to: r.content.period.end })}）` },
          { key: 'w', label: t('rtWeights'), children: t('rtWeightsText', { env: r.content.weights.weights.environment, other: r.content.weights.weights.other, from: monthLabel(r.content.weights.validFrom) }) },
          { key: 'by', label: t('rtProposer'), children: <span data-testid="rt-proposer">{r.proposedByName ?? '—'} · {when(r.proposedAt)}</span> },
          { key: 'ap', label: t('rtApprover'), children: <span data-testid="rt-approver">{r.approvedAt ? `${r.approvedByName ?? '—'} · ${when(r.approvedAt)}` : '—'}</span> },
          ...(!year ? [{ key: 'm', label: t('rtTierMode'), children: tiers.mode === 'share'
            ? t('rtModeShare', { e: tiers.shares.excellent, g: tiers.shares.good, p: tiers.shares.pass })
            : t('rtModeThreshold', { e: tiers.thresholds.excellent, g: tiers.thresholds.good, p: tiers.thresholds.pass }) }] : []),
        ]} />
        {(proposed || year) && <Space wrap style={{ marginTop: 12 }}>
          {proposed && can('scores.rating.approve') && (
            <Popconfirm title={t('rtApproveConfirm')} okText={t('rtApprove')} cancelText={t('cancel')} okButtonProps={{ 'data-testid': 'rt-approve-ok' }}
              onConfirm={() => act('approve', () => scoresAdminApi.approve(r.id), t('rtApproved'))}>
              <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} data-testid="rt-approve">{t('rtApprove')}</Button>
            </Popconfirm>
          )}
          {proposed && can('scores.rating.propose') && (
            <Popconfirm title={t('rtWithdrawConfirm')} okText={t('rtWithdraw')} cancelText={t('cancel')} okButtonProps={{ danger: true, 'data-testid': 'rt-withdraw-ok' }}
              onConfirm={() => act('withdraw', async () => { await scoresAdminApi.withdraw(r.id); navigate('/scores/ratings'); return null; }, t('rtWithdrawn'))}>
              <Button danger icon={<RollbackOutlined />} loading={busy === 'withdraw'} data-testid="rt-withdraw">{t('rtWithdraw')}</Button>
            </Popconfirm>
          )}
          {year && (proposed
            ? <Typography.Text type="secondary">{t('rtCertNeedsApproval')}</Typography.Text>
            : <Button icon={<PrinterOutlined />} href={`#/scores/ratings/${r.id}/certificate`} data-testid="rt-certificates">{t('rtCertificates')}</Button>)}
          {proposed && <Typography.Text type="secondary" data-testid="rt-second-hint">{mine ? t('rtYouProposed') : t('rtSecondPerson')}</Typography.Text>}
        </Space>}
        {actionError && <Alert type="error" showIcon title={actionError} style={{ marginTop: 12 }} data-testid="rt-action-error" closable={{ onClose: () => setActionError(null) }} />}
      </Card>

      <Card size="small" title={t('rtTotals')} style={{ marginBottom: 12 }} data-testid="rt-totals">
        <Row gutter={[16, 8]}>
          <Col xs={12} md={6}><Statistic title={year ? t('rtAwardCount') : t('rtRatedCount')} value={r.awards.length} /></Col>
          {!year && <Col xs={12} md={6}><Statistic title={t('rtTotalAmount')} value={r.totalAmount} suffix={t('yuan')} data-testid="rt-total-amount" /></Col>}
          {!year && <Col xs={12} md={6}><Statistic title={t('rtPaidAmount')} value={r.paidAmount} suffix={t('yuan')} data-testid="rt-paid-amount" /></Col>}
          {!year && <Col xs={12} md={6}><Statistic title={t('rtUnpaidAmount')} value={unpaid} suffix={t('yuan')} styles={unpaid ? { content: { color: '#d46b08' } } : undefined} /></Col>}
          {year && <Col xs={12} md={6}><Statistic title={t('rtPaid')} value={r.awards.filter((a) => a.paidAt).length} suffix={`/ ${r.awards.length}`} /></Col>}
        </Row>
        {!year && (
          <Space wrap style={{ marginTop: 8 }} data-testid="rt-tier-counts">
            <Typography.Text type="secondary">{t('rtTierCounts')}</Typography.Text>
            {tierCounts.map(([k, n]) => <span key={k}><TierTag tier={k} t={t} /> {n}{r.content.settings.rewards[k] ? ` × ${money(r.content.settings.rewards[k])}` : ''}</span>)}
          </Space>
        )}
      </Card>

      <Card size="small" style={{ marginBottom: 12 }}>
        <Table<Award> data-testid="rt-awards" size="small" rowKey="id" columns={columns} dataSource={r.awards} pagination={false} scroll={{ x: 820 }} />
      </Card>

      {unranked.length > 0 && (
        <Collapse size="small" items={[{
          key: 'u', label: t('rtUnranked', { n: unranked.length }),
          children: <Table<RatingVillage> size="small" rowKey="id" dataSource={unranked} pagination={false} data-testid="rt-unranked" columns={[
            { title: t('village'), dataIndex: 'name', key: 'name' },
            { title: t('district'), dataIndex: 'districtName', key: 'd', render: (v: string | null) => v ?? '—' },
            { title: t('rtEnvironment'), dataIndex: 'environment', key: 'e', align: 'right', render: (v: number | null) => score(v) },
            { title: t('rtOther'), dataIndex: 'other', key: 'o', align: 'right', render: (v: number | null) => score(v) },
            { title: t('rtReason'), dataIndex: 'reason', key: 'r' },
          ]} />,
        }]} />
      )}
    </div>
  );
}
