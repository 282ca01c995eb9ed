// 案件地图: the micro-grid boundaries as the base (no internet tiles here), cases as circles coloured
// by state (overdue: a red ring, drawn on top and listed first), filters, and a heat map.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Empty, Grid, Pagination, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import { FilterOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { AreaPicker } from '../../components/Pickers';
import { CASE_STATES, type CaseState } from '../../../../../packages/shared/src/cases';
import { LEVEL_BY_KEY, type LevelKey } from '../../../../../packages/shared/src/mechanism';
import { mapApi, type Boundaries, type MapCase } from './api';
import { L, baseTileLayer, loadHeat } from './leaflet';
import { OVERDUE_COLOR, stateHex } from './colors';
import { useDefaultScope } from './scope';
import { CategorySelect } from './CategorySelect';
import { nodeOf, textEl } from '../../safeText';

const LIST_PAGE = 20;
/** The API sends at most this many cases for the map. */
const MAP_LIMIT = 5000;

/** Circle size by zoom: the whole town at 12–13, a village at 15 and closer. */
const radiusAt = (zoom: number) => (zoom >= 16 ? 9 : zoom >= 15 ? 7.5 : zoom >= 14 ? 6.5 : 5);


/** Overdue first, then newest (the API lists newest first; ids grow with time). */
export function orderForList(cases: MapCase[]): MapCase[] {
  return [...cases].sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.id - a.id);
}

export function MapView() {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const scope = useDefaultScope();

  const [areaId, setAreaId] = useState<number | undefined>();
  const [areaLabel, setAreaLabel] = useState<string | undefined>();
  const [areaLevel, setAreaLevel] = useState<string | undefined>();
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [states, setStates] = useState<CaseState[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [heat, setHeat] = useState(false);
  const [showFilters, setShowFilters] = useState(false);

  const [cases, setCases] = useState<MapCase[] | null>(null);
  const [bounds, setBounds] = useState<Boundaries | null>(null);
  const [villages, setVillages] = useState<Boundaries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [boundaryError, setBoundaryError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [page, setPage] = useState(1);

  // The scope starts on my town (or whatever my highest area is).
  useEffect(() => {
    if (scope && areaId === undefined) { setAreaId(scope.id); setAreaLabel(scope.name); setAreaLevel(scope.level); }
  }, [scope, areaId]);

  const stateName = useCallback((s: string) => { const d = CASE_STATES.find((x) => x.key === s); return d ? d[lang] : s; }, [lang]);

  const loadCases = useCallback(async () => {
    if (!areaId) return;
    setLoading(true);
    setError(null);
    try {
      setCases(await mapApi.cases({
        areaId, categoryId, state: states.length ? states.join(',') : undefined, overdue: overdue || undefined,
        from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD'),
      }));
      setPage(1);
    } catch (e) {
      setError(errorText(e));
      setCases([]);
    } finally {
      setLoading(false);
    }
  }, [areaId, categoryId, states, overdue, range]);
  useEffect(() => { void loadCases(); }, [loadCases]);

  useEffect(() => {
    if (!areaId) return;
    let live = true;
    setBoundaryError(null);
    setBounds(null);
    setVillages(null);
    mapApi.boundaries(areaId, 'micro_grid')
      .then((b) => { if (live) setBounds(b); })
      .catch((e) => { if (live) { setBounds({ type: 'FeatureCollection', features: [] }); setBoundaryError(errorText(e)); } });
    // The villages' outlines, drawn a little stronger, when the area is a village or above.
    if (areaLevel && LEVEL_BY_KEY[areaLevel as LevelKey]?.rank <= LEVEL_BY_KEY.village.rank) {
      mapApi.boundaries(areaId, 'village').then((b) => { if (live) setVillages(b); }).catch(() => { if (live) setVillages(null); });
    } else setVillages(null);
    return () => { live = false; };
  }, [areaId, areaLevel]);

  // --- the Leaflet map ---
  const boxRef = useRef<HTMLDivElement | null>(null);
  const mapRef = useRef<L.Map | null>(null);
  const boundaryLayer = useRef<L.GeoJSON | null>(null);
  const villageLayer = useRef<L.GeoJSON | null>(null);
  /** What the view was last framed on (boundaries, villages or cases), so it is framed once. */
  const fittedFor = useRef<unknown>(null);
  const caseLayer = useRef<L.FeatureGroup | null>(null);
  const heatLayer = useRef<L.Layer | null>(null);
  const markerById = useRef(new Map<number, L.CircleMarker>());
  const [heatError, setHeatError] = useState<string | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);

  useEffect(() => {
    if (!boxRef.current) return;
    const map = L.map(boxRef.current, { zoomSnap: 0.25, attributionControl: false, maxZoom: 19, minZoom: 3 });
    map.setView([36.9, 118.0], 12);
    // Boundaries sit in their own pane under the cases (overlayPane is 400).
    map.createPane('boundaries').style.zIndex = '350';
    const tiles = baseTileLayer();
    if (tiles) { tiles.addTo(map); L.control.attribution({ prefix: false }).addTo(map); }
    L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
    mapRef.current = map;
    map.on('zoomend', () => setZoom(map.getZoom()));
    setZoom(map.getZoom());
    // The box changes size with the window and the side list: keep Leaflet's idea of it current.
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(boxRef.current);
    return () => { ro.disconnect(); map.remove(); mapRef.current = null; };
  }, []);

  // Boundaries: thin lines, the micro-grid's name (which carries the village's) on hover.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    boundaryLayer.current?.remove();
    boundaryLayer.current = null;
    if (!bounds || bounds.features.length === 0) return;
    // A micro-grid's code extends its village's 12-digit code: the hover names the village first.
    const villageName = new Map((villages?.features ?? []).map((f) => [f.properties.code, f.properties.name]));
    const layer = L.geoJSON(bounds, {
      pane: 'boundaries',
      style: () => ({ color: '#4a5a70', weight: 0.8, opacity: 0.8, fillColor: '#1677ff', fillOpacity: 0.03, className: 'map-boundary' }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        const v = p?.code ? villageName.get(p.code.slice(0, 12)) : undefined;
        // Names are text, never HTML (a name is whatever an administrator typed).
        const tip = v
          ? nodeOf('div', [textEl('b', v), textEl('div', p?.name ?? '', { style: { fontSize: '11px' } })])
          : textEl('span', p?.name ?? '');
        l.bindTooltip(tip, { sticky: true, direction: 'top', className: 'map-boundary-tip' });
        l.on('mouseover', () => (l as L.Path).setStyle({ weight: 2, fillOpacity: 0.12 }));
        l.on('mouseout', () => (l as L.Path).setStyle({ weight: 0.8, fillOpacity: 0.03 }));
      },
    });
    layer.addTo(map);
    layer.bringToBack();
    boundaryLayer.current = layer;
    const b = layer.getBounds();
    // Frame the area once per area (not again when the village outlines arrive, nor after the user zoomed).
    // No animation: a fit during a running zoom animation would be dropped by Leaflet.
    if (b.isValid() && fittedFor.current !== bounds) map.fitBounds(b, { padding: [12, 12], animate: false });
    fittedFor.current = bounds;
  }, [bounds, villages]);

  useEffect(() => {
    const map = mapRef.current;
    villageLayer.current?.remove();
    villageLayer.current = null;
    if (!map || !villages || villages.features.length === 0) return;
    const layer = L.geoJSON(villages, { pane: 'boundaries', interactive: false, style: () => ({ color: '#1d3557', weight: 1.8, opacity: 0.75, fill: false, className: 'map-village' }) });
    layer.addTo(map);
    villageLayer.current = layer;
    // Without micro-grids (none drawn yet), the villages frame the view.
    if (bounds && bounds.features.length === 0 && fittedFor.current !== villages) {
      const b = layer.getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [12, 12], animate: false });
      fittedFor.current = villages;
    }
  }, [villages, bounds]);

  // The popup is built from DOM nodes holding text: nothing from the database is parsed as HTML.
  const popupOf = useCallback((c: MapCase) => {
    const dot = textEl('span', '', { style: { display: 'inline-block', width: '8px', height: '8px', borderRadius: '4px', background: stateHex(c.state), marginRight: '4px' } });
    const link = textEl('a', t('mapOpenCase'));
    link.setAttribute('href', `#/cases/${Number(c.id)}`);
    return nodeOf('div', [
      textEl('div', c.no, { style: { fontWeight: '600' } }),
      textEl('div', c.categoryName),
      nodeOf('div', [dot, stateName(c.state), c.overdue && ' ', c.overdue && textEl('span', t('mapOverdue'), { style: { color: OVERDUE_COLOR, fontWeight: '600' } })]),
      nodeOf('div', [link], { style: { marginTop: '4px' } }),
    ], { className: 'map-popup', testId: 'map-popup' });
  }, [stateName, t]);

  // Cases: circles coloured by state; overdue with a red ring, drawn last (on top).
  const resizeRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (resizeRef.current) map.off('zoomend', resizeRef.current);
    resizeRef.current = null;
    caseLayer.current?.remove();
    caseLayer.current = null;
    markerById.current.clear();
    if (!cases || heat) return;
    const group = L.featureGroup();
    const drawOrder = [...cases].sort((a, b) => Number(a.overdue) - Number(b.overdue));
    for (const c of drawOrder) {
      if (c.lat == null || c.lng == null) continue;
      const m = L.circleMarker([c.lat, c.lng], {
        radius: radiusAt(map.getZoom()),
        color: c.overdue ? OVERDUE_COLOR : '#ffffff',
        weight: c.overdue ? 3 : 1.5,
        fillColor: stateHex(c.state),
        fillOpacity: 0.92,
        className: c.overdue ? 'case-marker case-marker-overdue' : 'case-marker',
      });
      m.bindPopup(() => popupOf(c), { minWidth: 150 });
      m.bindTooltip(() => textEl('span', c.no), { direction: 'top', offset: [0, -6] });
      group.addLayer(m);
      markerById.current.set(c.id, m);
    }
    group.addTo(map);
    caseLayer.current = group;
    // Small dots when the whole town is in view, bigger ones closer in.
    const resize = () => { const r = radiusAt(map.getZoom()); group.eachLayer((l) => (l as L.CircleMarker).setRadius(r)); };
    map.on('zoomend', resize);
    resizeRef.current = resize;
    // Without boundaries (once known to be none), the cases frame the view.
    if (bounds && bounds.features.length === 0 && (!villages || villages.features.length === 0) && group.getLayers().length > 0 && fittedFor.current !== cases) {
      const b = group.getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: 16, animate: false });
      fittedFor.current = cases;
    }
  }, [cases, heat, popupOf, bounds, villages]);

  // The heat map (in place of the circles while it is on).
  useEffect(() => {
    const map = mapRef.current;
    heatLayer.current?.remove();
    heatLayer.current = null;
    if (!map || !heat || !cases) return;
    let live = true;
    setHeatError(null);
    loadHeat().then((heatLayerOf) => {
      if (!live || !mapRef.current) return;
      // Overdue cases weigh double; about four cases in one spot reach the top colour. leaflet.heat dims points
      // below `maxZoom`: 12 keeps a whole town at full strength.
      const pts = cases.filter((c) => c.lat != null && c.lng != null).map((c) => [c.lat, c.lng, c.overdue ? 1 : 0.5] as [number, number, number]);
      const layer = heatLayerOf(pts, { radius: 22, blur: 16, maxZoom: 12, max: 2, minOpacity: 0.2 });
      layer.addTo(mapRef.current);
      heatLayer.current = layer;
    }).catch((e) => { if (live) setHeatError(errorText(e)); });
    return () => { live = false; heatLayer.current?.remove(); heatLayer.current = null; };
  }, [heat, cases]);

  const focus = (c: MapCase) => {
    const map = mapRef.current;
    if (!map) return;
    if (heat) setHeat(false);
    setTimeout(() => {
      const m = markerById.current.get(c.id);
      // No animation: the popup pans the map into view from where the map really is.
      map.setView([c.lat, c.lng], Math.max(map.getZoom(), 15), { animate: false });
      m?.openPopup();
      if (mobile) boxRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }, heat ? 50 : 0);
  };

  const listed = useMemo(() => orderForList(cases ?? []), [cases]);
  const overdueCount = useMemo(() => (cases ?? []).filter((c) => c.overdue).length, [cases]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of cases ?? []) m.set(c.state, (m.get(c.state) ?? 0) + 1);
    return m;
  }, [cases]);

  const filters = (
    <Space wrap size={[8, 8]} data-testid="map-filters">
      <AreaPicker
        value={areaId}
        initialLabel={areaLabel}
        allowClear={false}
        onChange={(id, hit) => { if (id) { setAreaId(id); setAreaLabel(hit?.name); setAreaLevel(hit?.level); } }}
        testId="map-area"
        style={{ width: mobile ? '100%' : 200 }}
      />
      <CategorySelect value={categoryId} onChange={setCategoryId} testId="map-category" style={{ width: mobile ? '100%' : 200 }} />
      <Select<CaseState[]>
        mode="multiple"
        allowClear
        value={states}
        onChange={setStates}
        placeholder={t('mapAllStates')}
        style={{ minWidth: 160, width: mobile ? '100%' : undefined }}
        maxTagCount="responsive"
        data-testid="map-state"
        options={CASE_STATES.map((s) => ({ value: s.key, label: <Space size={4}><Dot color={stateHex(s.key)} />{s[lang]}</Space> }))}
      />
      <DatePicker.RangePicker
        value={range}
        onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
        allowEmpty={[true, true]}
        format="YYYY-MM-DD"
        placeholder={[t('mapFrom'), t('mapTo')]}
        style={{ width: mobile ? '100%' : 250 }}
        data-testid="map-range"
      />
      <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="map-overdue">{t('mapOnlyOverdue')}</Checkbox>
      <Space size={4}>
        <Switch size="small" checked={heat} onChange={setHeat} data-testid="map-heat" />
        <span>{t('mapHeat')}</span>
      </Space>
      <Button icon={<ReloadOutlined />} onClick={() => void loadCases()} aria-label={t('refresh')} />
    </Space>
  );

  return (
    <Card
      size="small"
      data-testid="map-page"
      title={t('menuMap')}
      styles={{ body: { padding: mobile ? 8 : 12 } }}
      extra={mobile && (
        <Button size="small" icon={<FilterOutlined />} type={showFilters ? 'primary' : 'default'} onClick={() => setShowFilters((v) => !v)} data-testid="map-filter-toggle">
          {t('mapFilters')}
        </Button>
      )}
    >
      {(!mobile || showFilters) && <div style={{ marginBottom: 8 }}>{filters}</div>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {boundaryError && <Alert type="warning" showIcon title={`${t('mapNoBoundaries')}: ${boundaryError}`} style={{ marginBottom: 8 }} />}
      {cases && cases.length >= MAP_LIMIT && <Alert type="info" showIcon title={t('mapCapped', { n: MAP_LIMIT })} style={{ marginBottom: 8 }} />}
      {heatError && <Alert type="error" showIcon title={heatError} style={{ marginBottom: 8 }} />}
      <div style={{ display: 'flex', flexDirection: mobile ? 'column' : 'row', gap: 8 }}>
        <div style={{ position: 'relative', flex: 1, minWidth: 0 }}>
          <div
            ref={boxRef}
            data-testid="map-box"
            data-boundaries={bounds?.features.length ?? 0}
            data-villages={villages?.features.length ?? 0}
            data-cases={cases?.length ?? 0}
            data-heat={heat ? 'on' : 'off'}
            data-zoom={zoom ?? ''}
            style={{
              height: mobile ? '62vh' : 'calc(100vh - 230px)', minHeight: 320, borderRadius: 6, border: '1px solid #f0f0f0',
              background: '#f4f6f8', zIndex: 0,
            }}
          />
          {(loading || scope === null) && <div style={{ position: 'absolute', top: 12, right: 12, zIndex: 500 }}><Spin /></div>}
          {bounds && bounds.features.length === 0 && cases && cases.length === 0 && !loading && (
            <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', zIndex: 400, pointerEvents: 'none' }}>
              <Empty description={t('mapNothing')} />
            </div>
          )}
          <div style={{ position: 'absolute', left: 8, bottom: 8, zIndex: 500, background: 'rgba(255,255,255,0.92)', borderRadius: 6, padding: '4px 8px', fontSize: mobile ? 11 : 12, maxWidth: 'calc(100% - 110px)', boxShadow: '0 1px 4px rgba(0,0,0,0.15)' }} data-testid="map-legend">
            <Space wrap size={[10, 2]}>
              {CASE_STATES.map((s) => <span key={s.key}><Dot color={stateHex(s.key)} /> {s[lang]} {counts.get(s.key) ?? 0}</span>)}
              <span><Dot color="#fff" ring={OVERDUE_COLOR} /> {t('mapOverdue')} {overdueCount}</span>
            </Space>
          </div>
        </div>
        <div style={{ width: mobile ? '100%' : 300, flexShrink: 0 }} data-testid="map-list">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('mapCount', { n: cases?.length ?? 0 })}{overdueCount > 0 && <> · <span style={{ color: OVERDUE_COLOR }}>{t('mapOverdueCount', { n: overdueCount })}</span></>}
          </Typography.Text>
          <div style={{ maxHeight: mobile ? undefined : 'calc(100vh - 290px)', overflowY: 'auto', marginTop: 4 }}>
            {listed.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('mapNoCases')} />}
            {listed.slice((page - 1) * LIST_PAGE, page * LIST_PAGE).map((c) => (
              <div
                key={c.id}
                role="button"
                tabIndex={0}
                className="map-list-item"
                onClick={() => focus(c)}
                onKeyDown={(e) => { if (e.key === 'Enter') focus(c); }}
                data-testid={`map-item-${c.id}`}
                style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '6px 4px', borderBottom: '1px solid #f0f0f0', cursor: 'pointer' }}
              >
                <Dot color={stateHex(c.state)} ring={c.overdue ? OVERDUE_COLOR : undefined} />
                <div style={{ minWidth: 0, flex: 1 }}>
                  <div>
                    <Typography.Text strong style={{ fontSize: 13 }}>{c.no}</Typography.Text>
                    {c.overdue && <Tag color="red" style={{ marginInlineStart: 6 }}>{t('mapOverdue')}</Tag>}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.categoryName} · {stateName(c.state)}</Typography.Text>
                </div>
                <a onClick={(e) => { e.stopPropagation(); navigate(`/cases/${c.id}`); }}>{t('mapOpen')}</a>
              </div>
            ))}
          </div>
          {listed.length > LIST_PAGE && (
            <Pagination simple size="small" showSizeChanger={false} current={page} pageSize={LIST_PAGE} total={listed.length} onChange={setPage} style={{ marginTop: 6, textAlign: 'center' }} />
          )}
        </div>
      </div>
    </Card>
  );
}

function Dot({ color, ring }: { color: string; ring?: string }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block', width: 10, height: 10, borderRadius: '50%', background: color, verticalAlign: 'middle',
        border: ring ? `2px solid ${ring}` : '1px solid rgba(0,0,0,0.15)', boxSizing: 'border-box',
      }}
    />
  );
}
