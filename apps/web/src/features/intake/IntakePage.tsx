// 群众上报: the residents' reports (随手拍) as the town's clerks handle them — the queue (待受理 / 待审核 /
// 全部), and one report's panel: photos to hide, the text to review and redact, the phone (masked; the full
// number is a logged look), the area (queued reports get one), nearby duplicates to merge into, and the
// case page for registering and dispatching as usual.
import { useCallback, useEffect, useState } from 'react';
import {
  Alert, App, Badge, Button, Card, Col, Descriptions, Empty, Grid, Image, Input, List, Pagination, Popconfirm, Row, Segmented, Space, Spin, Tag, Typography,
} from 'antd';
import { ArrowLeftOutlined, EyeInvisibleOutlined, EyeOutlined, LinkOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { AreaPicker } from '../../components/Pickers';
import { useSession } from '../../session';
import { useI18n } from '../../i18n';
import { navigate, type Route } from '../../router';
import type { CaseDetail } from '../../../../../packages/shared/src/cases';
import { formatPublicNo } from '../../../../../packages/shared/src/personal';
import { casesApi } from '../cases/api';
import { fmtTime, sourceName, StateTag } from '../cases/common';
import { intakeApi, type IntakeDetail, type IntakeView, type StaffReport } from './api';
import { useIntakeT, type IntakeT } from './strings';

const VIEWS: IntakeView[] = ['waiting', 'unreviewed', 'all'];
const PAGE_SIZE = 20;

export function IntakePage({ route }: { route: Route }) {
  const t = useIntakeT();
  const screens = Grid.useBreakpoint();
  const wide = !!screens.lg;
  const view: IntakeView = VIEWS.includes(route.query.get('view') as IntakeView) ? (route.query.get('view') as IntakeView) : 'waiting';
  const selected = Number(route.query.get('case')) || null;
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: StaffReport[] } | null>(null);
  const [counts, setCounts] = useState<Partial<Record<IntakeView, number>>>({});
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const go = (v: IntakeView, caseId?: number | null) => navigate(`/intake?view=${v}${caseId ? `&case=${caseId}` : ''}`);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [list, ...others] = await Promise.all([
        intakeApi.list(view, page, PAGE_SIZE),
        ...VIEWS.filter((v) => v !== view).map((v) => intakeApi.list(v, 1, 1).then((r) => [v, r.total] as const)),
      ]);
      setData(list);
      setCounts({ [view]: list.total, ...Object.fromEntries(others) });
      setError(null);
    } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [view, page]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { setPage(1); }, [view]);

  const list = (
    <Card size="small" styles={{ body: { padding: 0 } }} data-testid="intake-list" data-view={view}>
      {error && <Alert type="error" showIcon title={error} style={{ margin: 8 }} />}
      {!data && !error ? <div style={{ padding: 24, textAlign: 'center' }}><Spin /></div> : (
        <List
          dataSource={data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> }}
          renderItem={(r) => (
            <List.Item
              key={r.caseId}
              onClick={() => go(view, r.caseId)}
              style={{ cursor: 'pointer', padding: '10px 12px', background: r.caseId === selected ? '#e6f4ff' : undefined, display: 'block' }}
              data-testid="intake-item"
              data-case-no={r.no}
              data-case-id={r.caseId}
            >
              <Space size={6} wrap style={{ marginBottom: 2 }}>
                <Typography.Text strong>{r.categoryName}</Typography.Text>
                <StateTag state={r.state} />
                {r.placement === 'queue' && r.state === 'reported' && <Tag color="orange">{t('queued')}</Tag>}
                {!r.reviewed && <Tag color="gold">{t('unreviewed')}</Tag>}
                {r.reopened && <Tag color="magenta">{t('reopened')}</Tag>}
              </Space>
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{r.description}</Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.no} · {r.areaName} · {fmtTime(r.reportedAt)}</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {data && data.total > PAGE_SIZE && (
        <div style={{ padding: 8, textAlign: 'center' }}>
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} size="small" />
        </div>
      )}
    </Card>
  );

  const panel = selected
    ? <ReportPanel key={selected} caseId={selected} t={t} onChanged={() => void load()} onBack={wide ? undefined : () => go(view)} />
    : wide ? <Card size="small"><Empty description={t('pick')} /></Card> : null;

  return (
    <div style={{ maxWidth: 1280, margin: '0 auto' }} data-testid="intake-page">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8, flexWrap: 'wrap' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('title')}</Typography.Title>
        <div style={{ flex: 1 }} />
        <Button size="small" icon={<LinkOutlined />} href="/s" target="_blank" data-testid="intake-public-link">{t('openPublicPage')}</Button>
        <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('refresh')} />
      </div>
      {(wide || !selected) && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{t('hint')}</Typography.Paragraph>
          <Segmented<IntakeView>
            block={!wide}
            value={view}
            onChange={(v) => go(v)}
            style={{ marginBottom: 8 }}
            data-testid="intake-tabs"
            options={VIEWS.map((v) => ({
              value: v,
              label: (
                <span data-testid={`intake-tab-${v}`}>
                  {t(v === 'waiting' ? 'tabWaiting' : v === 'unreviewed' ? 'tabUnreviewed' : 'tabAll')}
                  {counts[v] !== undefined && <Badge count={counts[v]} showZero size="small" color={counts[v] ? (v === 'all' ? '#8c8c8c' : '#1677ff') : '#d9d9d9'} style={{ marginInlineStart: 4 }} />}
                </span>
              ),
            }))}
          />
        </>
      )}
      {wide ? (
        <Row gutter={12}>
          <Col span={9}>{list}</Col>
          <Col span={15}>{panel}</Col>
        </Row>
      ) : selected ? panel : list}
    </div>
  );
}

// ---------------------------------------------------------------- one report

function ReportPanel({ caseId, t, onChanged, onBack }: { caseId: number; t: IntakeT; onChanged: () => void; onBack?: () => void }) {
  const { lang } = useI18n();
  const { message, modal } = App.useApp();
  const [d, setD] = useState<IntakeDetail | null>(null);
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [publicText, setPublicText] = useState('');
  const [phone, setPhone] = useState<string | null>(null);
  const [areaId, setAreaId] = useState<number | undefined>();
  const { can } = useSession();
  // Reviewing (text, photos) and handling (placing, merging) are separate duties; the server decides.
  const mayReview = can('intake.review');
  const mayHandle = can('intake.handle');
  const mayReveal = can('personal.reveal'); // the whole number is an audited look, under a duty of its own

  const load = useCallback(async () => {
    try {
      const [detail, kase] = await Promise.all([intakeApi.get(caseId), casesApi.get(caseId)]);
      setD(detail); setC(kase); setError(null);
      setPublicText(detail.report.publicText ?? detail.report.description);
    } catch (e) { setError(errorText(e)); }
  }, [caseId]);
  useEffect(() => { void load(); }, [load]);

  const run = async <T,>(what: string, f: () => Promise<T>, done?: string | ((x: T) => string)) => {
    setBusy(what);
    try {
      const x = await f();
      if (done) message.success(typeof done === 'function' ? done(x) : done);
      await load();
      onChanged();
    } catch (e) { message.error(errorText(e)); await load(); } finally { setBusy(null); }
  };

  if (error && !d) return <Alert type="error" showIcon title={error} action={onBack && <Button size="small" onClick={onBack}>{t('back')}</Button>} />;
  if (!d || !c) return <Card size="small"><div style={{ padding: 24, textAlign: 'center' }}><Spin /></div></Card>;
  const r = d.report;
  const before = r.state === 'reported';
  const canMerge = mayHandle && c.allowed.includes('refuse');
  const redacted = r.publicText !== null && r.publicText !== r.description;
  const ratingText = r.rating === 'satisfied' ? t('ratingSatisfied') : r.rating === 'basically' ? t('ratingBasically') : r.rating === 'unsatisfied' ? t('ratingUnsatisfied') : null;

  const revealPhone = () => modal.confirm({
    title: t('revealTitle'), content: t('revealText'), okText: t('revealOk'),
    onOk: async () => {
      try { setPhone((await intakeApi.phone(caseId)).phone); } catch (e) { message.error(errorText(e)); }
    },
  });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="intake-panel" data-case-id={caseId} data-reviewed={r.reviewed} data-state={r.state}>
      <Card
        size="small"
        title={
          <Space wrap size={6}>
            {onBack && <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('back')} data-testid="intake-back" />}
            <span data-testid="intake-no">{r.no}</span>
            {r.publicNo && <Typography.Text type="secondary" copyable={{ text: r.publicNo }} data-testid="intake-public-no">{t('publicNo')} {formatPublicNo(r.publicNo)}</Typography.Text>}
            <StateTag state={r.state} />
            {r.placement === 'queue' && before && <Tag color="orange">{t('queued')}</Tag>}
            {r.reviewed ? <Tag color="green">{t('reviewed')}</Tag> : <Tag color="gold">{t('unreviewed')}</Tag>}
          </Space>
        }
        extra={<Button type="primary" size="small" href={`#/cases/${caseId}`} data-testid="intake-open-case">{t('openCase')}</Button>}
      >
        <Descriptions size="small" column={1} items={[
          { key: 'cat', label: t('category'), children: r.categoryName },
          { key: 'area', label: t('place'), children: <span data-testid="intake-area">{r.areaName}</span> },
          { key: 'at', label: t('reportedAt'), children: `${fmtTime(r.reportedAt)} · ${r.channel === 'open311' ? t('channelOpen311') : sourceName('public', lang)}` },
          {
            key: 'who', label: t('reporter'),
            children: (
              <Space wrap size={6}>
                <span>{r.name ?? '群众'}</span>
                {r.phone ? (
                  phone ? <a href={`tel:${phone}`} data-testid="intake-phone-full"><PhoneOutlined /> {phone}</a> : (
                    <>
                      <span data-testid="intake-phone">{r.phone}</span>
                      {mayReveal && <Button size="small" onClick={revealPhone} data-testid="intake-reveal-phone">{t('revealPhone')}</Button>}
                    </>
                  )
                ) : <Typography.Text type="secondary">{r.contactPurged ? t('contactPurged') : t('noPhone')}</Typography.Text>}
              </Space>
            ),
          },
          ...(ratingText ? [{ key: 'rating', label: t('rating'), children: <span data-testid="intake-rating">{ratingText}{r.ratingNote ? `：${r.ratingNote}` : ''}</span> }] : []),
          ...(r.reopenNote ? [{ key: 'reopen', label: t('reopenNote'), children: r.reopenNote }] : []),
        ]} />
        {c.state === 'refused' && c.refusedReason === 'duplicate' && c.duplicateOf && (
          <Alert type="info" showIcon style={{ marginTop: 8 }} data-testid="intake-merged"
            title={<>{t('mergedInto')} <a href={`#/cases/${c.duplicateOf}`}>{mergedNo(c) ?? `#${c.duplicateOf}`}</a></>} />
        )}
        <Space wrap style={{ marginTop: 8 }}>
          {r.publicNo && <Button size="small" icon={<LinkOutlined />} href={`/s#/q/${r.publicNo}`} target="_blank">{t('publicView')}</Button>}
        </Space>
      </Card>

      <Card size="small" title={t('photos')} data-testid="intake-photos">
        {c.photos.length === 0 ? <Typography.Text type="secondary">{t('noPhotos')}</Typography.Text> : (
          <Image.PreviewGroup>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 10 }}>
              {c.photos.map((p) => (
                <div key={p.id} style={{ width: 120 }} data-testid="intake-photo" data-photo-id={p.id} data-hidden={!!p.hidden}>
                  <div style={{ position: 'relative', opacity: p.hidden ? 0.45 : 1 }}>
                    <Image src={p.thumbUrl} preview={{ src: p.url }} width={120} height={120} style={{ objectFit: 'cover', borderRadius: 6 }} alt="" />
                    {p.hidden && <Tag color="default" style={{ position: 'absolute', top: 4, left: 4 }}>{t('hidden')}</Tag>}
                  </div>
                  {mayReview && <Button
                    size="small" block style={{ marginTop: 4 }}
                    icon={p.hidden ? <EyeOutlined /> : <EyeInvisibleOutlined />}
                    loading={busy === `photo-${p.id}`}
                    onClick={() => void run(`photo-${p.id}`, () => intakeApi.hidePhoto(p.id, !p.hidden), p.hidden ? t('shownDone') : t('hiddenDone'))}
                    data-testid="intake-photo-toggle"
                  >
                    {p.hidden ? t('show') : t('hide')}
                  </Button>}
                </div>
              ))}
            </div>
          </Image.PreviewGroup>
        )}
      </Card>

      <Card size="small" title={t('text')} data-testid="intake-review">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="intake-description">{r.description}</Typography.Paragraph>
        {r.reviewed
          ? <Alert type="success" showIcon style={{ marginBottom: 8 }} title={<>{t('reviewedAt', { at: fmtTime(r.reviewedAt) })}{redacted ? t('redacted') : ''}</>} />
          : <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('notReviewedAlert')} />}
        <Typography.Text strong>{t('publicText')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 4px' }}>{t('publicTextHelp')}</Typography.Paragraph>
        {mayReview && <><Input.TextArea
          value={publicText} onChange={(e) => setPublicText(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount
          style={{ marginBottom: 24 }} data-testid="intake-public-text"
        />
        <Button
          type={r.reviewed ? 'default' : 'primary'}
          loading={busy === 'review'}
          disabled={!publicText.trim()}
          onClick={() => void run('review', () => intakeApi.review(caseId, publicText.trim() === r.description ? null : publicText.trim()), t('reviewDone'))}
          data-testid="intake-review-submit"
        >
          {r.reviewed ? t('reReview') : t('review')}
        </Button></>}
        {!mayReview && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="intake-public-text-ro">{r.publicText ?? '—'}</Typography.Paragraph>}
      </Card>

      <Card size="small" title={t('place')} data-testid="intake-place">
        <div style={{ marginBottom: 8 }}>{r.areaName}</div>
        {before && mayHandle ? (
          <>
            {r.placement === 'queue' && <Alert type="warning" showIcon title={t('placeQueued')} style={{ marginBottom: 8 }} />}
            <Space.Compact style={{ width: '100%' }}>
              <AreaPicker value={areaId} onChange={(id) => setAreaId(id)} levels={['micro_grid', 'grid', 'village']} placeholder={t('placePick')} style={{ flex: 1, minWidth: 0 }} testId="intake-area-picker" />
              <Button
                type={r.placement === 'queue' ? 'primary' : 'default'} disabled={!areaId} loading={busy === 'place'}
                onClick={() => areaId && void run('place', async () => { const x = await intakeApi.place(caseId, areaId); setAreaId(undefined); return x; }, (x) => t('placeDone', { name: x.report.areaName }))}
                data-testid="intake-place-submit"
              >
                {t('placeDo')}
              </Button>
            </Space.Compact>
          </>
        ) : before ? null : <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('placeOnlyBefore')}</Typography.Text>}
      </Card>

      <Card size="small" title={<Space>{t('dups')}<Badge count={d.duplicates.list.length} showZero color={d.duplicates.list.length ? '#fa8c16' : '#d9d9d9'} /></Space>}
        extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('dupsHint', { r: d.duplicates.radiusM })}</Typography.Text>} data-testid="intake-dups">
        {d.duplicates.list.length === 0 ? <Typography.Text type="secondary">{t('noDups')}</Typography.Text> : (
          <List
            size="small"
            dataSource={d.duplicates.list}
            renderItem={(x) => (
              <List.Item
                data-testid="intake-dup" data-case-no={x.no}
                actions={canMerge ? [
                  <Popconfirm key="m" title={t('mergeTitle', { no: x.no })} description={<div style={{ maxWidth: 280 }}>{t('mergeText')}</div>}
                    onConfirm={() => run('merge', () => intakeApi.merge(caseId, x.id, c.version), t('mergeDone', { no: x.no }))}>
                    <Button size="small" danger loading={busy === 'merge'} data-testid="intake-merge">{t('merge')}</Button>
                  </Popconfirm>,
                ] : []}
              >
                <div style={{ minWidth: 0 }}>
                  <Space size={6} wrap>
                    <Tag color="blue">{t('distance', { m: x.distanceM })}</Tag>
                    <a href={`#/cases/${x.id}`}>{x.no}</a>
                    <StateTag state={x.state} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{sourceName(x.source, lang)} · {fmtTime(x.reportedAt)}</Typography.Text>
                  </Space>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{x.description}</Typography.Paragraph>
                </div>
              </List.Item>
            )}
          />
        )}
        {!canMerge && d.duplicates.list.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('mergeNotAllowed')}</Typography.Text>}
      </Card>
    </Space>
  );
}

/** The number of the case a duplicate was merged into (kept on the refusing step). */
function mergedNo(c: CaseDetail): string | null {
  const step = [...c.steps].reverse().find((x) => x.action === 'refuse');
  const v = (step?.data as { duplicateOf?: unknown } | null)?.duplicateOf;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}
