// One village's scores: the three scores with its ranks and tier, each indicator with its value,
// score and weight and the counts behind it (each count opens its records), then every fact.
import type React from 'react';
import { Alert, Card, Col, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useI18n } from '../../i18n';
import type { Fact, Indicator, IndicatorValue, Scorecard } from './api';
import { COLOUR_KEY, TierTag, Trend, factName, formulaFacts, formulaInWords, inLang, indicatorName, legendText } from './common';
import type { Line } from './ScoreTable';

interface IndLine { key: string; ind: Indicator; v: IndicatorValue | undefined; previous: number | null | undefined }

export function VillageView({ card, line, townSize, catalogue, onRecords }: {
  card: Scorecard; line: Line; townSize: number | null; catalogue: Fact[];
  onRecords: (ind: Indicator | undefined, v: IndicatorValue | undefined, fact?: string) => void;
}) {
  const { t, lang } = useI18n();
  const by = new Map(catalogue.map((f) => [f.key, f]));
  const stat = (title: string, value: number | null, prev?: number | null, testId?: string) => (
    <Col xs={8} md={4}>
      <Statistic title={title} value={value ?? '—'} data-testid={testId}
        suffix={prev !== undefined ? <Trend value={value} previous={prev} /> : undefined} />
    </Col>
  );
  const lines: IndLine[] = card.indicators.map((ind) => ({ key: ind.code, ind, v: line.values.find((x) => x.code === ind.code), previous: line.previous?.values[ind.code] }));
  const columns: ColumnsType<IndLine> = [
    {
      title: t('cardIndicator'), key: 'name', fixed: 'left',
      render: (_, l) => (
        <Tooltip title={<div>{formulaInWords(l.ind.formula, catalogue, lang)}<br />{legendText(l.ind, t)}</div>}>
          <span style={{ whiteSpace: 'nowrap' }}>{indicatorName(l.ind, lang)}（{l.ind.unit}）</span>
        </Tooltip>
      ),
    },
    {
      title: t('cardValue'), key: 'value', align: 'right',
      onCell: (l) => ({
        className: `sc-cell sc-c-${l.v?.colour ?? (l.v?.thin ? 'thin' : 'none')}`,
        onClick: () => onRecords(l.ind, l.v),
        title: l.v?.colour ? t(COLOUR_KEY[l.v.colour]!) : undefined,
        'data-testid': `sc-cell-${l.ind.code}`,
        'data-colour': l.v?.colour ?? (l.v?.thin ? 'thin' : 'none'),
      } as React.TdHTMLAttributes<HTMLTableCellElement>),
      render: (_, l) => (l.v?.value === null || l.v?.value === undefined ? '—' : (
        <span>{l.v.value}<Trend value={l.v.value} previous={l.previous} direction={l.ind.direction} unit={l.ind.unit} /></span>
      )),
    },
    { title: t('cardPreviousValue'), key: 'prev', align: 'right', render: (_, l) => l.previous ?? '—' },
    {
      title: t('cardScore'), key: 'score', align: 'right',
      render: (_, l) => (l.v?.thin ? <Tooltip title={t('cardThinTip', { n: l.ind.minBase, base: l.v.base ?? 0 })}><Tag>{t('cardThin', { n: l.ind.minBase })}</Tag></Tooltip> : l.v?.score ?? '—'),
    },
    { title: t('cardWeightCol'), key: 'weight', align: 'right', render: (_, l) => `${l.ind.weight}%` },
    {
      title: t('cardBehind'), key: 'facts',
      render: (_, l) => (
        <span className="sc-facts">
          {formulaFacts(l.ind.formula, catalogue).map((k) => (
            <Tag key={k} className="sc-fact" onClick={() => onRecords(l.ind, l.v, k)} data-testid={`sc-fact-${l.ind.code}-${k}`}>
              {factName(by.get(k), k, lang)} <b>{line.facts[k] ?? 0}</b>
            </Tag>
          ))}
        </span>
      ),
    },
  ];
  return (
    <div data-testid="sc-village">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={[12, 12]}>
          {stat(`${t('cardEnvironment')}（${card.weights.environment}%）`, line.environment, line.previous?.environment, 'sc-village-environment')}
          {stat(`${t('cardOther')}（${card.weights.other}%）`, line.other)}
          {stat(t('cardComposite'), line.composite, line.previous?.composite, 'sc-village-composite')}
          <Col xs={8} md={4}><Statistic title={t('cardTownRank')} value={line.townRank ?? '—'} suffix={line.townRank && townSize ? `/ ${townSize}` : undefined} /></Col>
          <Col xs={8} md={4}><Statistic title={t('cardDistrictRank')} value={line.districtRank ?? '—'} /></Col>
          <Col xs={8} md={4}>
            <div className="sc-stat-title">{t('cardTier')}</div>
            <div style={{ fontSize: 20, lineHeight: '32px' }}>{line.tier ? <TierTag tier={line.tier} /> : '—'}</div>
          </Col>
        </Row>
        {line.reason && <Alert style={{ marginTop: 12 }} type="warning" showIcon title={inLang(line.reason, lang)} data-testid="sc-village-reason" />}
      </Card>
      <Card size="small" title={t('cardIndicators')} style={{ marginBottom: 12 }}>
        <Table<IndLine> className="sc-table" size="small" bordered rowKey="key" columns={columns} dataSource={lines} pagination={false} scroll={{ x: 'max-content' }} data-testid="sc-village-indicators" />
      </Card>
      <Card size="small" title={t('cardAllFacts')} style={{ marginBottom: 12 }}>
        <div className="sc-fact-grid" data-testid="sc-village-facts">
          {catalogue.map((f) => (
            <a key={f.key} className="sc-fact-item" onClick={() => onRecords(undefined, undefined, f.key)} data-testid={`sc-fact-${f.key}`}>
              <Typography.Text type="secondary">{factName(f, f.key, lang)}</Typography.Text>
              <b>{line.facts[f.key] ?? 0}</b>
            </a>
          ))}
        </div>
      </Card>
    </div>
  );
}
