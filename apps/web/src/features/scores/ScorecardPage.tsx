// 评分表: the scorecard of an area for a month, quarter or year. Rows are the area's children
// (districts of a town, villages of a district, towns of a county) with the total; a town or a
// district also lists its villages with their ranks and tiers. Area and period live in the hash
// (#/scores/card?area=5&period=202611), so drilling down is linkable and 返回 goes back up. Every
// number opens the records behind it. Charts load on first use; 导出 is the API's .xlsx; 打印 is
// A4 landscape.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, DatePicker, Empty, Grid, Row, Segmented, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText, type AreaRef } from '../../api';
import { useI18n } from '../../i18n';
import { navigate, type Route } from '../../router';
import { useSession } from '../../session';
import { AreaPicker } from '../../components/Pickers';
import { useDefaultScope } from '../map/scope';
import type { LevelKey } from '../../../../../packages/shared/src/mechanism';
import { scoresApi, type Fact, type Indicator, type IndicatorValue, type PeriodType, type ScoreRow, type Scorecard, type VillageScore } from './api';
import { currentMonthKey, fmtTime, parsePeriodKey, periodKeyOf, periodLabel, periodStart } from './common';
import { ScoreTable, type Line } from './ScoreTable';
import { RecordsDrawer, type RecordsTarget } from './RecordsDrawer';
import { VillageView } from './VillageView';
import { ObservationPicks, RedBlackLists } from './Lists';
import './scores.css';

const ScoreCharts = lazy(() => import('./Charts'));

const PICKER = { monthly: 'month', quarterly: 'quarter', yearly: 'year' } as const;
const TYPE_KEY = { monthly: 'raPtMonthly', quarterly: 'raPtQuarterly', yearly: 'raPtYearly' } as const;

/** Where the scorecard of an area and period lives. */
export const scorecardHref = (areaId: number, period: string) => `/scores/card?area=${areaId}&period=${period}`;

export function ScorecardPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const { me } = useSession();
  const screens = Grid.useBreakpoint();
  const scope = useDefaultScope();
  const areaId = Number(route.query.get('area')) || (scope ? scope.id : undefined);
  const period = route.query.get('period') || currentMonthKey();
  const parsed = parsePeriodKey(period);
  const type: PeriodType = parsed?.type ?? 'monthly';
  const anchor = parsed?.start ?? dayjs();

  const [card, setCard] = useState<Scorecard | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ancestors, setAncestors] = useState<AreaRef[]>([]);
  const [town, setTown] = useState<Scorecard | null>(null);
  const [catalogue, setCatalogue] = useState<Fact[]>([]);
  const [target, setTarget] = useState<RecordsTarget | null>(null);
  const [picked, setPicked] = useState<{ id: number; name?: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  const go = useCallback((a: number, p: string) => navigate(scorecardHref(a, p)), []);

  useEffect(() => { scoresApi.facts().then(setCatalogue).catch(() => setCatalogue([])); }, []);

  useEffect(() => {
    if (!areaId) return;
    let live = true;
    setLoading(true);
    setError(null);
    setTarget(null);
    scoresApi.scorecard(areaId, period)
      .then((c) => { if (live) setCard(c); })
      .catch((e) => { if (live) { setCard(null); setError(errorText(e)); } })
      .finally(() => { if (live) setLoading(false); });
    api.area(areaId).then((a) => { if (live) setAncestors(a.ancestors); }).catch(() => { if (live) setAncestors([]); });
    return () => { live = false; };
  }, [areaId, period, reloads]);

  // Below a town, ranks and tiers are the town's: a village is ranked among all the town's villages.
  const townRef = card && ['district', 'village'].includes(card.scope.level) ? ancestors.find((a) => a.level === 'town') : undefined;
  useEffect(() => {
    setTown(null);
    if (!townRef) return;
    let live = true;
    scoresApi.scorecard(townRef.id, period).then((c) => { if (live) setTown(c); }).catch(() => { /* not readable: ranks within the district only */ });
    return () => { live = false; };
  }, [townRef?.id, period, reloads]); // eslint-disable-line react-hooks/exhaustive-deps

  const inTown = useMemo(() => new Map((town ?? (card?.scope.level === 'town' ? card : null))?.villages.map((v) => [v.id, v]) ?? []), [town, card]);

  const refresh = () => { scoresApi.forget(); setReloads((n) => n + 1); };
  const setType = (nt: PeriodType) => {
    const d = anchor.isAfter(dayjs()) ? dayjs() : anchor;
    go(areaId!, periodKeyOf(nt, d));
  };

  const openArea = (id: number, name?: string) => { setPicked({ id, name }); go(id, period); };
  const openRecords = (l: Line, ind: Indicator | undefined, v: IndicatorValue | undefined, fact?: string) =>
    setTarget({ areaId: l.areaId, areaName: l.name, period, facts: l.facts, indicator: ind, value: v, fact });

  // The path above the area, from the user's own top area (or the city, for a global user).
  const crumbs = useMemo(() => {
    const mine = new Set(me.areas.map((a) => a.id));
    const from = me.global ? ancestors.findIndex((a) => a.level === 'city' || a.level === 'county') : ancestors.findIndex((a) => mine.has(a.id));
    return from < 0 ? [] : ancestors.slice(from);
  }, [ancestors, me]);

  // The picker's label for the area in the hash: as loaded, as picked, or the user's own area.
  const labelOf = (id: number | undefined) => (card?.scope.id === id ? card?.scope.name : id === scope?.id ? scope?.name : picked?.id === id ? picked?.name : undefined);
  const levels: LevelKey[] = me.global ? ['city', 'county', 'town', 'district', 'village'] : ['town', 'district', 'village'];
  const keyFirst = !screens.md;

  return (
    <div className="sc-print-root" data-testid="sc-page">
      <Card size="small" style={{ marginBottom: 12 }} className="sc-head-card"
        title={<span className="no-print">{t('menuScorecard')}</span>}
        extra={(
          <Space className="no-print" wrap>
            <Button icon={<ReloadOutlined />} onClick={refresh} loading={loading} aria-label={t('raRefresh')} data-testid="sc-refresh" />
            <Button icon={<DownloadOutlined />} href={areaId ? scoresApi.xlsxUrl(areaId, period) : undefined} disabled={!card} download data-testid="sc-xlsx">{t('cardExport')}</Button>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!card} data-testid="sc-print">{t('blPrint')}</Button>
          </Space>
        )}
      >
        <Space wrap size={[12, 8]} className="no-print" style={{ marginBottom: 8 }}>
          <AreaPicker
            testId="sc-area" value={areaId} initialLabel={labelOf(areaId)} levels={levels} allowClear={false} style={{ width: 220 }}
            onChange={(id, hit) => { if (id) openArea(id, hit?.name); }}
          />
          <Segmented<PeriodType>
            data-testid="sc-period-type" value={type} onChange={setType}
            options={(['monthly', 'quarterly', 'yearly'] as const).map((p) => ({ value: p, label: t(TYPE_KEY[p]) }))}
          />
          <DatePicker
            data-testid="sc-period-picker" picker={PICKER[type]} value={anchor} allowClear={false}
            disabledDate={(d) => periodStart(type, d).isAfter(dayjs())}
            onChange={(d) => { if (d && areaId) go(areaId, periodKeyOf(type, d)); }}
          />
          <Tag data-testid="sc-period-key">{period}</Tag>
        </Space>
        {crumbs.length > 0 && card && (
          <Breadcrumb
            className="no-print" style={{ marginBottom: 8 }} data-testid="sc-crumbs"
            items={[...crumbs.map((a) => ({ title: <a onClick={() => openArea(a.id, a.name)}>{a.name}</a> })), { title: card.scope.name }]}
          />
        )}
        {card && <Heading card={card} />}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="sc-error" />}
      {!card && (loading || (!areaId && scope === null)) && <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}
      {!card && !loading && !error && (areaId || scope === undefined) && <Card><Empty description={areaId ? undefined : t('cardNoArea')} /></Card>}
      {card && (
        <Spin spinning={loading}>
          {card.scope.level === 'village'
            ? <VillageBody card={card} inTown={inTown} catalogue={catalogue} onRecords={openRecords} />
            : <AreaBody card={card} inTown={inTown} catalogue={catalogue} keyFirst={keyFirst} onOpen={openArea} onRecords={openRecords} />}
          <div className="sc-print-hide" style={{ marginTop: 12 }}>
            <Suspense fallback={<div style={{ padding: 24, textAlign: 'center' }}><Spin /></div>}>
              <ScoreCharts card={card} />
            </Suspense>
          </div>
          {['town', 'district'].includes(card.scope.level) && (
            <div style={{ marginTop: 12 }}>
              <RedBlackLists card={card} onOpen={openArea} />
            </div>
          )}
          {['town', 'district'].includes(card.scope.level) && (
            <div style={{ marginTop: 12 }}>
              {type === 'monthly'
                ? <ObservationPicks areaId={card.scope.id} month={card.period.key} onOpen={openArea} />
                : <Card size="small" title={t('cardPicks')}><Typography.Text type="secondary">{t('cardPicksMonthly')}</Typography.Text></Card>}
            </div>
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }} className="sc-foot">
            {t('cardFoot', { env: card.weights.environment, other: card.weights.other, from: card.weights.validFrom })}
          </Typography.Paragraph>
        </Spin>
      )}
      <RecordsDrawer target={target} catalogue={catalogue} onClose={() => setTarget(null)} />
    </div>
  );
}

/** The sheet's title: area, period, 暂定 with the time of the data, the range and the total's scores. */
function Heading({ card }: { card: Scorecard }) {
  const { t, lang, level } = useI18n();
  const total = card.total;
  return (
    <div data-testid="sc-heading">
      <div className="sc-title">
        <span data-testid="sc-title">{card.scope.name} {t('cardSheet')} · {periodLabel(card.period.key, lang)}</span>{' '}
        {card.period.provisional
          ? <Tag color="orange" data-testid="sc-provisional">{t('cardProvisional')}</Tag>
          : <Tag color="green" data-testid="sc-final">{t('cardFinal')}</Tag>}
      </div>
      <Typography.Text type="secondary" className="sc-sub">
        {level(card.scope.level)} · {t('raPeriodRange', { from: card.period.start, to: card.period.end })}
        {card.asOf && <span data-testid="sc-asof"> · {t('cardAsOf', { at: fmtTime(card.asOf) })}</span>}
        {card.period.provisional && <span> · {t('cardProvisionalHint')}</span>}
      </Typography.Text>
      {card.scope.level !== 'village' && (
      <Row gutter={[12, 8]} style={{ marginTop: 8 }}>
        <Col xs={12} sm={6}><Statistic title={t('cardComposite')} value={total.composite ?? '—'} data-testid="sc-total-composite" /></Col>
        <Col xs={12} sm={6}><Statistic title={`${t('cardEnvironment')}（${card.weights.environment}%）`} value={total.environment ?? '—'} /></Col>
        <Col xs={12} sm={6}><Statistic title={`${t('cardOther')}（${card.weights.other}%）`} value={total.other ?? '—'} /></Col>
        <Col xs={12} sm={6}><Statistic title={t('cardRankedVillages')} value={total.ranked} suffix={`/ ${total.villages}`} /></Col>
      </Row>
      )}
    </div>
  );
}

const rowLine = (r: ScoreRow): Line => ({
  key: `a${r.area.id}`, areaId: r.area.id, name: r.area.name, level: r.area.level, facts: r.facts, values: r.values, previous: r.previous,
  environment: r.environment, other: r.other, composite: r.composite, rank: r.rank, tier: r.tier, reason: r.reason, villages: r.villages, ranked: r.ranked,
});

const villageLine = (v: VillageScore, inTown: Map<number, VillageScore>): Line => {
  const tv = inTown.get(v.id);
  return {
    key: `v${v.id}`, areaId: v.id, name: v.name, level: 'village', districtName: v.districtName, facts: v.facts, values: v.values, previous: v.previous,
    environment: v.environment, other: v.other, composite: v.composite, rank: v.rank,
    townRank: tv ? tv.rank : null, districtRank: tv ? tv.districtRank : v.districtRank, tier: tv ? tv.tier : v.tier, reason: v.reason,
  };
};

function AreaBody({ card, inTown, catalogue, keyFirst, onOpen, onRecords }: {
  card: Scorecard; inTown: Map<number, VillageScore>; catalogue: Fact[]; keyFirst: boolean;
  onOpen: (id: number, name?: string) => void; onRecords: (l: Line, ind: Indicator | undefined, v: IndicatorValue | undefined) => void;
}) {
  const { t, level } = useI18n();
  const byId = new Map(card.villages.map((v) => [v.id, v]));
  const childLevel = card.rows[0]?.area.level;
  // A district's children are villages: the table then carries the village columns.
  const villageRows = childLevel === 'village';
  const lines = card.rows.map((r) => (villageRows && byId.has(r.area.id) ? { ...villageLine(byId.get(r.area.id)!, inTown), values: r.values, facts: r.facts } : rowLine(r)));
  const total = { ...rowLine(card.total), key: 'total', total: true };
  return (
    <>
      <Card size="small" title={childLevel ? t('cardByChild', { level: level(childLevel) }) : t('menuScorecard')} style={{ marginBottom: 12 }}>
        {card.rows.length === 0 ? <Empty description={t('cardNoChildren')} /> : (
          <ScoreTable
            card={card} lines={lines} total={total} catalogue={catalogue} villages={villageRows} keyFirst={keyFirst}
            rankTitle={t('cardRank')} testId="sc-rows" onOpen={(l) => onOpen(l.areaId, l.name)} onRecords={onRecords}
          />
        )}
        <Legend />
      </Card>
      {card.scope.level === 'town' && card.villages.length > 0 && (
        <Card size="small" title={t('cardVillageTable', { n: card.villages.length })}>
          <ScoreTable
            card={card} lines={card.villages.map((v) => villageLine(v, inTown))} catalogue={catalogue} villages showDistrict keyFirst={keyFirst}
            rankTitle={t('cardTownRank')} testId="sc-villages" onOpen={(l) => onOpen(l.areaId, l.name)} onRecords={onRecords} pageSize={50}
          />
        </Card>
      )}
    </>
  );
}

function VillageBody({ card, inTown, catalogue, onRecords }: {
  card: Scorecard; inTown: Map<number, VillageScore>; catalogue: Fact[];
  onRecords: (l: Line, ind: Indicator | undefined, v: IndicatorValue | undefined, fact?: string) => void;
}) {
  const row = card.rows[0] ?? card.total;
  const v = card.villages[0];
  const line: Line = v ? { ...villageLine(v, inTown), facts: row.facts, values: row.values } : rowLine(row);
  const ranked = [...inTown.values()].filter((x) => x.rank !== null).length;
  return (
    <>
      <VillageView card={card} line={line} townSize={ranked || null} catalogue={catalogue} onRecords={(ind, val, fact) => onRecords(line, ind, val, fact)} />
      <Legend />
    </>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <div className="sc-legend" data-testid="sc-legend">
      <span><i className="sc-c-green" />{t('cardGreen')}</span>
      <span><i className="sc-c-yellow" />{t('cardYellow')}</span>
      <span><i className="sc-c-red" />{t('cardRed')}</span>
      <span><i className="sc-c-thin" />{t('cardThinLegend')}</span>
      <span><b style={{ color: '#389e0d' }}>↑</b><b style={{ color: '#cf1322' }}>↓</b> {t('cardArrowLegend')}</span>
      <span>{t('cardClickHint')}</span>
    </div>
  );
}
