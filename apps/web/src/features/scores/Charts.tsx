// The scorecard's charts, loaded on first use (echarts stays out of the main bundle): the trend of
// the composite and the environment score over the last 6 months, the children compared, and how
// the villages' composites spread.
import { useEffect, useRef, useState } from 'react';
import { Card, Col, Empty, Row, Typography } from 'antd';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useI18n } from '../../i18n';
import { scoresApi, type Scorecard } from './api';
import { trendMonths } from './common';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.EChartsCoreOption;

function EChart({ option, height = 260, testId }: { option: Option; height?: number; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    // The card may change width (menu, phone rotation): follow it.
    const ro = new ResizeObserver(() => { if (ref.current?.clientWidth) c.resize(); });
    ro.observe(ref.current);
    return () => { ro.disconnect(); c.dispose(); chart.current = null; };
  }, []);
  useEffect(() => { chart.current?.setOption(option, true); }, [option]);
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} className="sc-chart" />;
}

const GREEN = '#52c41a';
const BLUE = '#1677ff';

export default function ScoreCharts({ card }: { card: Scorecard }) {
  const { t } = useI18n();
  const [trend, setTrend] = useState<{ month: string; composite: number | null; environment: number | null }[] | null>(null);
  const areaId = card.scope.id;
  const months = trendMonths(card.period.end).join(',');

  useEffect(() => {
    let live = true;
    setTrend(null);
    // One scorecard a month; a month the API refuses (no weights then) is a gap in the line.
    Promise.all(months.split(',').map((m) => scoresApi.scorecard(areaId, m)
      .then((c) => ({ month: m, composite: c.total.composite, environment: c.total.environment }))
      .catch(() => ({ month: m, composite: null, environment: null }))))
      .then((points) => { if (live) setTrend(points); });
    return () => { live = false; };
  }, [areaId, months]);

  const trendOption: Option | null = trend && {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 36, right: 12, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: trend.map((p) => `${p.month.slice(0, 4)}-${p.month.slice(4)}`) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      { name: t('cardComposite'), type: 'line', data: trend.map((p) => p.composite), connectNulls: false, color: BLUE },
      { name: t('cardEnvironment'), type: 'line', data: trend.map((p) => p.environment), connectNulls: false, color: GREEN },
    ],
  };

  const children = card.scope.level === 'village' ? [] : card.rows;
  const compareOption: Option = {
    // Area names are text: the tooltip is drawn on the canvas (richText), never parsed as HTML.
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: { type: 'category', inverse: true, data: children.map((r) => r.area.name) },
    series: [
      { name: t('cardComposite'), type: 'bar', data: children.map((r) => r.composite), color: BLUE },
      { name: t('cardEnvironment'), type: 'bar', data: children.map((r) => r.environment), color: GREEN },
    ],
  };

  // Composites where there are any; before the other work is entered, the environment scores.
  const composites = card.villages.map((v) => v.composite).filter((x): x is number => x !== null);
  const byEnvironment = composites.length === 0;
  const scores = byEnvironment ? card.villages.map((v) => v.environment).filter((x): x is number => x !== null) : composites;
  const bins = Array.from({ length: 10 }, (_, i) => i * 10);
  const counts = bins.map((b) => scores.filter((s) => (b === 90 ? s >= 90 : s >= b && s < b + 10)).length);
  const histOption: Option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 32, right: 12, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: bins.map((b) => (b === 90 ? '90–100' : `${b}–${b + 10}`)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('cardVillageCount'), type: 'bar', data: counts, color: byEnvironment ? GREEN : BLUE }],
  };

  return (
    <Row gutter={[12, 12]} className="sc-charts">
      <Col xs={24} lg={children.length ? 8 : 12}>
        <Card size="small" title={t('cardTrend')} data-testid="sc-chart-trend-card">
          {trendOption ? <EChart option={trendOption} testId="sc-chart-trend" /> : <div style={{ height: 260 }} />}
        </Card>
      </Col>
      {children.length > 0 && (
        <Col xs={24} lg={8}>
          <Card size="small" title={t('cardCompare')} data-testid="sc-chart-compare-card">
            <EChart option={compareOption} height={Math.max(260, children.length * 28 + 60)} testId="sc-chart-compare" />
          </Card>
        </Col>
      )}
      {card.villages.length > 1 && (
        <Col xs={24} lg={children.length ? 8 : 12}>
          <Card size="small" title={byEnvironment ? t('cardHistEnvironment') : t('cardHistComposite')} data-testid="sc-chart-hist-card">
            {scores.length ? <EChart option={histOption} testId="sc-chart-hist" /> : <Empty />}
            {byEnvironment && scores.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cardHistNoComposite')}</Typography.Text>}
          </Card>
        </Col>
      )}
    </Row>
  );
}
