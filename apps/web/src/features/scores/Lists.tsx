// 红黑榜 (the best and the worst villages of the period) and 每月一观摩 (per district, the villages
// to visit this month: the best and the worst by environment score, with the reasons).
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Spin, Tag, Tooltip, Typography } from 'antd';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { scoresApi, type ListedVillage, type Pick, type Picks, type Scorecard } from './api';
import { TierTag, inLang } from './common';

export function RedBlackLists({ card, onOpen }: { card: Scorecard; onOpen: (id: number, name?: string) => void }) {
  const { t, lang } = useI18n();
  const list = (items: ListedVillage[], testId: string) => (
    <ol className="sc-list" data-testid={testId}>
      {items.map((v) => (
        <li key={v.id}>
          <span className="sc-list-rank">{v.rank}</span>
          <a onClick={() => onOpen(v.id, v.name)}>{v.name}</a>
          {v.districtName && <Typography.Text type="secondary" style={{ fontSize: 12 }}> {v.districtName}</Typography.Text>}
          <span className="sc-list-score">{v.composite}</span>
          <TierTag tier={v.tier} />
        </li>
      ))}
    </ol>
  );
  // Nobody ranked (the other work not yet entered, say): say why instead of two empty lists.
  if (!card.redList.length && !card.blackList.length) {
    const reasons = new Map<string, number>();
    for (const u of card.unranked) {
      const r = inLang(u.reason, lang) || '—';
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    return (
      <Card size="small" title={t('cardRedBlack')} data-testid="sc-redblack">
        <Alert type="info" showIcon title={t('cardNoRanking')} data-testid="sc-redblack-none"
          description={[...reasons].map(([r, n]) => <div key={r}>{t('cardReasonCount', { r, n })}</div>)} />
      </Card>
    );
  }
  return (
    <Row gutter={[12, 12]} data-testid="sc-redblack">
      <Col xs={24} md={12}>
        <Card size="small" title={<span className="sc-red-title">{t('cardRedList')}</span>}>{list(card.redList, 'sc-redlist')}</Card>
      </Col>
      <Col xs={24} md={12}>
        <Card size="small" title={<span className="sc-black-title">{t('cardBlackList')}</span>}>{list(card.blackList, 'sc-blacklist')}</Card>
      </Col>
    </Row>
  );
}

export function ObservationPicks({ areaId, month, onOpen }: { areaId: number; month: string; onOpen: (id: number, name?: string) => void }) {
  const { t } = useI18n();
  const [data, setData] = useState<Picks | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    scoresApi.picks(areaId, month).then((p) => { if (live) setData(p); }).catch((e) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [areaId, month]);

  const pickList = (items: Pick[], kind: 'best' | 'worst') => (
    <ul className={`sc-picks sc-picks-${kind}`} data-testid={`sc-picks-${kind}`}>
      {items.map((p) => (
        <li key={p.id}>
          <a onClick={() => onOpen(p.id, p.name)}>{p.name}</a> <b>{p.environment}</b>
          {p.tie && <Tooltip title={t('cardTieTip')}><Tag color="orange" style={{ marginInlineStart: 4 }}>{t('cardTie')}</Tag></Tooltip>}
          <div className="sc-pick-reason">{p.reasonText}</div>
        </li>
      ))}
      {!items.length && <li><Typography.Text type="secondary">—</Typography.Text></li>}
    </ul>
  );

  return (
    <Card size="small" title={<span>{t('cardPicks')} {data?.provisional && <Tag color="orange">{t('cardProvisional')}</Tag>}</span>} data-testid="sc-picks">
      {error && <Alert type="error" showIcon title={error} />}
      {!data && !error && <div style={{ padding: 24, textAlign: 'center' }}><Spin /></div>}
      {data && !data.districts.length && <Empty description={t('cardNoPicks')} />}
      {data && data.districts.length > 0 && (
        <Row gutter={[12, 12]}>
          {data.districts.map((d) => (
            <Col xs={24} md={12} xl={8} key={d.districtId}>
              <div className="sc-pick-district" data-testid="sc-pick-district">
                <Typography.Text strong>{d.districtName}</Typography.Text>
                <div className="sc-pick-head sc-good">{t('cardPicksBest')}</div>
                {pickList(d.best, 'best')}
                <div className="sc-pick-head sc-bad">{t('cardPicksWorst')}</div>
                {pickList(d.worst, 'worst')}
                {d.thin.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cardPicksThin', { names: d.thin.map((x) => x.name).join('、') })}</Typography.Text>
                )}
              </div>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
