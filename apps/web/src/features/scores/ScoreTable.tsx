// The scorecard table: one line per area (districts of a town, villages, towns of a county), the
// indicators coloured by their legend with an arrow against the previous period, then the
// environment score, the other work's score, the composite, the rank and the tier. The total is
// the last line. A name opens that area's scorecard; an indicator cell opens the records behind it.
import type React from 'react';
import { Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useI18n } from '../../i18n';
import type { Fact, Facts, Indicator, IndicatorValue, Previous, Scorecard, Tier } from './api';
import { COLOUR_KEY, TierTag, Trend, ValueText, formulaInWords, inLang, indicatorName, legendText } from './common';

export interface Line {
  key: string;
  areaId: number;
  name: string;
  level: string;
  total?: boolean;
  districtName?: string | null;
  facts: Facts;
  values: IndicatorValue[];
  previous: Previous | null;
  environment: number | null;
  other: number | null;
  composite: number | null;
  /** the rank among the table's lines (districts among districts, villages within the district) */
  rank: number | null;
  /** villages only: the rank in the town and in the district */
  townRank?: number | null;
  districtRank?: number | null;
  tier?: Tier | null;
  reason?: string | null;
  villages?: number;
  ranked?: number;
}

interface Col {
  key: string;
  title: React.ReactNode;
  render: (l: Line) => React.ReactNode;
  cell?: (l: Line) => React.TdHTMLAttributes<HTMLTableCellElement> & Record<string, unknown>;
  sort?: (l: Line) => number | string | null;
  align?: 'right' | 'center';
  fixed?: 'left' | 'right';
  width?: number;
  filters?: { text: string; value: string }[];
  filter?: (l: Line, v: string) => boolean;
}

export interface ScoreTableProps {
  card: Scorecard;
  lines: Line[];
  total?: Line;
  catalogue: Fact[];
  /** villages: with the ranks in town and district, the tier and why a village is not ranked */
  villages?: boolean;
  showDistrict?: boolean;
  /** phones: the key numbers first, the indicators after */
  keyFirst?: boolean;
  rankTitle: string;
  testId: string;
  onOpen: (l: Line) => void;
  onRecords: (l: Line, ind: Indicator, v: IndicatorValue | undefined) => void;
  pageSize?: number;
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : v);
const cmp = (a: number | string | null, b: number | string | null) => {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'zh');
};

export function ScoreTable({ card, lines, total, catalogue, villages, showDistrict, keyFirst, rankTitle, testId, onOpen, onRecords, pageSize }: ScoreTableProps) {
  const { t, lang } = useI18n();
  const w = card.weights;

  const nameCol: Col = {
    key: 'name', title: t('cardName'), fixed: 'left', sort: (l) => l.name,
    render: (l) => (l.total
      ? <Typography.Text strong>{t('cardTotal')} · {l.name}</Typography.Text>
      : <a onClick={() => onOpen(l)} data-testid="sc-open" style={{ whiteSpace: 'nowrap' }}>{l.name}</a>),
  };
  const districtCol: Col = {
    key: 'district', title: t('cardDistrict'), render: (l) => l.districtName ?? '—', sort: (l) => l.districtName ?? null,
    filters: [...new Set(lines.map((l) => l.districtName ?? '—'))].map((d) => ({ text: d, value: d })),
    filter: (l, v) => (l.districtName ?? '—') === v,
  };
  const indicatorCols: Col[] = card.indicators.map((ind) => ({
    key: `ind-${ind.code}`,
    align: 'right',
    title: (
      <Tooltip title={<IndicatorTip ind={ind} catalogue={catalogue} />}>
        <span className="sc-head" data-testid={`sc-head-${ind.code}`}>{indicatorName(ind, lang)}<br /><small>（{ind.unit}）</small></span>
      </Tooltip>
    ),
    sort: (l) => num(l.values.find((v) => v.code === ind.code)?.value),
    render: (l) => {
      const v = l.values.find((x) => x.code === ind.code);
      const body = <ValueText v={v} ind={ind} previous={l.previous?.values[ind.code]} />;
      return v?.thin ? <Tooltip title={t('cardThinTip', { n: ind.minBase, base: v.base ?? 0 })}>{body}</Tooltip> : body;
    },
    cell: (l) => {
      const v = l.values.find((x) => x.code === ind.code);
      return {
        className: `sc-cell sc-c-${v?.colour ?? (v?.thin ? 'thin' : 'none')}`,
        onClick: () => onRecords(l, ind, v),
        title: v?.colour ? t(COLOUR_KEY[v.colour]!) : undefined,
        'data-testid': `sc-cell-${ind.code}`,
        'data-colour': v?.colour ?? (v?.thin ? 'thin' : 'none'),
      };
    },
  }));
  const scoreCol = (key: 'environment' | 'other' | 'composite', title: React.ReactNode): Col => ({
    key, align: 'right', title, sort: (l) => l[key],
    render: (l) => (l[key] === null ? <span className="sc-none">—</span> : (
      <span className={key === 'composite' ? 'sc-composite' : undefined}>
        {l[key]}{key !== 'other' && <Trend value={l[key]} previous={l.previous?.[key]} />}
      </span>
    )),
    // A score is made of the line's indicators: a click opens that area's own scorecard.
    cell: (l) => (l.total ? { 'data-testid': `sc-${key}` } : { 'data-testid': `sc-${key}`, className: 'sc-cell', onClick: () => onOpen(l) }),
  });
  const envCol = scoreCol('environment', <span className="sc-head">{t('cardEnvironment')}<br /><small>（{w.environment}%）</small></span>);
  const otherCol = scoreCol('other', <span className="sc-head">{t('cardOther')}<br /><small>（{w.other}%）</small></span>);
  const compositeCol = scoreCol('composite', <span className="sc-head">{t('cardComposite')}</span>);
  const rankCol: Col = { key: 'rank', align: 'center', title: rankTitle, sort: (l) => l.rank, render: (l) => l.rank ?? '—', cell: () => ({ 'data-testid': 'sc-rank' }) };
  const townRankCol: Col = { key: 'townRank', align: 'center', title: t('cardTownRank'), sort: (l) => num(l.townRank), render: (l) => l.townRank ?? '—' };
  const districtRankCol: Col = { key: 'districtRank', align: 'center', title: t('cardDistrictRank'), sort: (l) => num(l.districtRank), render: (l) => l.districtRank ?? '—' };
  const tierCol: Col = { key: 'tier', align: 'center', title: t('cardTier'), render: (l) => <TierTag tier={l.tier} /> };
  const countCol: Col = {
    key: 'count', align: 'center', title: <Tooltip title={t('cardRankedTip')}><span className="sc-head">{t('cardVillages')}</span></Tooltip>,
    render: (l) => (l.villages === undefined ? '' : `${l.ranked ?? 0}/${l.villages}`),
  };
  const reasonCol: Col = {
    key: 'reason', title: t('cardNote'), cell: () => ({ className: 'sc-reason-cell' }),
    render: (l) => (l.reason ? <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="sc-reason">{inLang(l.reason, lang)}</Typography.Text> : null),
  };

  const ranks = villages ? [townRankCol, districtRankCol, tierCol] : [rankCol, countCol];
  const anyReason = villages && lines.some((l) => l.reason);
  // Wide screens keep the composite, the ranks and the tier in view on the right; phones put them first.
  const cols: Col[] = keyFirst
    ? [nameCol, compositeCol, ...ranks, envCol, otherCol, ...indicatorCols, ...(showDistrict ? [districtCol] : []), ...(anyReason ? [reasonCol] : [])]
    : [nameCol, ...(showDistrict ? [districtCol] : []), ...indicatorCols, envCol, otherCol, ...(anyReason ? [reasonCol] : []),
      ...[compositeCol, ...ranks].map((c) => ({ ...c, fixed: 'right' as const }))];

  const columns: ColumnsType<Line> = cols.map((c) => ({
    key: c.key,
    title: c.title,
    align: c.align,
    fixed: c.fixed,
    width: c.width,
    render: (_: unknown, l: Line) => c.render(l),
    onCell: c.cell ? (l: Line) => c.cell!(l) as React.TdHTMLAttributes<HTMLTableCellElement> : undefined,
    sorter: c.sort ? (a: Line, b: Line) => cmp(c.sort!(a), c.sort!(b)) : undefined,
    filters: c.filters,
    onFilter: c.filter ? (v, l) => c.filter!(l, String(v)) : undefined,
  }));

  return (
    <Table<Line>
      className="sc-table"
      data-testid={testId}
      size="small"
      bordered
      rowKey="key"
      columns={columns}
      dataSource={lines}
      scroll={{ x: 'max-content' }}
      pagination={pageSize && lines.length > pageSize ? { pageSize, showSizeChanger: true } : false}
      onRow={(l) => ({ 'data-testid': 'sc-row', 'data-area': l.areaId, 'data-name': l.name } as React.HTMLAttributes<HTMLTableRowElement>)}
      summary={total ? () => (
        <Table.Summary.Row className="sc-total" data-testid="sc-total">
          {cols.map((c, i) => {
            // A summary cell takes only a class: the colour goes there, the click and test ids on a filling div.
            const { className, onClick, ...rest } = c.cell?.(total) ?? {};
            return (
              <Table.Summary.Cell key={c.key} index={i} align={c.align} className={className}>
                <div className={onClick ? 'sc-fill' : undefined} onClick={onClick as React.MouseEventHandler | undefined} {...(rest as object)}>{c.render(total)}</div>
              </Table.Summary.Cell>
            );
          })}
        </Table.Summary.Row>
      ) : undefined}
    />
  );
}

/** An indicator's header tooltip: its formula in words, the legend, the weight and the minimum data. */
function IndicatorTip({ ind, catalogue }: { ind: Indicator; catalogue: Fact[] }) {
  const { t, lang } = useI18n();
  return (
    <div data-testid={`sc-tip-${ind.code}`}>
      <div><b>{indicatorName(ind, lang)}</b> = {formulaInWords(ind.formula, catalogue, lang)}</div>
      <div>{ind.direction === 'up' ? t('cardUpGood') : t('cardDownGood')} · {legendText(ind, t)}</div>
      <div>{t('cardWeight', { w: ind.weight })}{ind.baseFact && ind.minBase > 0 ? ` · ${t('cardMinBase', { n: ind.minBase })}` : ''}</div>
    </div>
  );
}

