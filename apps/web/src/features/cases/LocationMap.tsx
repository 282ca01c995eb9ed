// A small Leaflet map: the area's micro-grid boundaries (no internet tiles needed), tap to place the problem.
// A tile layer is drawn only when a URL is configured: VITE_MAP_TILE_URL at build time, or
// localStorage 'wangge.map.tileUrl' (e.g. a town's own tile server, http://host/tiles/{z}/{x}/{y}.png).
import { useEffect, useRef, useState } from 'react';
import { Typography } from 'antd';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import { casesApi } from './api';
import { textEl } from '../../safeText';

export interface LatLng { lat: number; lng: number }

export function tileUrl(): string | null {
  try {
    const v = localStorage.getItem('wangge.map.tileUrl');
    if (v) return v;
  } catch { /* private mode */ }
  const env = (import.meta.env.VITE_MAP_TILE_URL as string | undefined) ?? '';
  return env || null;
}

/** Where a map with nothing else to show opens: the demo town (新城镇, 桓台县). */
const FALLBACK_CENTER: L.LatLngTuple = [37.0, 117.98];

function ringContains(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if ((yi! > y) !== (yj! > y) && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}
function geometryContains(g: Geometry | null, p: LatLng): boolean {
  if (!g) return false;
  const poly = (rings: Position[][]) => rings.length > 0 && ringContains(rings[0]!, p.lng, p.lat) && !rings.slice(1).some((h) => ringContains(h, p.lng, p.lat));
  if (g.type === 'Polygon') return poly(g.coordinates);
  if (g.type === 'MultiPolygon') return g.coordinates.some(poly);
  return false;
}
const featureArea = (f: Feature) => {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const id = Number(p.areaId ?? p.id ?? f.id);
  return Number.isFinite(id) && id > 0 ? { id, name: String(p.name ?? '') } : null;
};

export interface LocationMapProps {
  /** whose micro-grid boundaries to draw */
  areaId?: number | null;
  value?: LatLng | null;
  onChange?: (v: LatLng) => void;
  /** a tap inside a micro-grid names it (when the boundaries carry area ids) */
  onAreaHit?: (area: { id: number; name: string }) => void;
  readOnly?: boolean;
  height?: number;
  testId?: string;
}

export function LocationMap({ areaId, value, onChange, onAreaHit, readOnly, height = 240, testId }: LocationMapProps) {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const boundaryLayer = useRef<L.GeoJSON | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const features = useRef<Feature[]>([]);
  const seen = useRef(false);
  const cb = useRef({ onChange, onAreaHit });
  cb.current = { onChange, onAreaHit };
  const [status, setStatus] = useState<'loading' | 'boundaries' | 'outline' | 'none'>('loading');
  const hasTiles = !!tileUrl();

  // The map itself, once.
  useEffect(() => {
    if (!el.current) return;
    // No zoom animation: a page left while the map still zooms to its boundaries (a quick 返回)
    // would otherwise end the animation on a removed map (Leaflet's '_leaflet_pos' error).
    const m = L.map(el.current, { center: FALLBACK_CENTER, zoom: 13, attributionControl: hasTiles, zoomControl: true, tapTolerance: 15, zoomAnimation: false });
    const url = tileUrl();
    if (url) L.tileLayer(url, { maxZoom: 19 }).addTo(m);
    if (!readOnly) {
      m.on('click', (e: L.LeafletMouseEvent) => {
        const p = { lat: Number(e.latlng.lat.toFixed(6)), lng: Number(e.latlng.lng.toFixed(6)) };
        cb.current.onChange?.(p);
      });
    }
    map.current = m;
    // The container may get its size after the first paint (cards, modals).
    const ro = new ResizeObserver(() => m.invalidateSize());
    ro.observe(el.current);
    return () => { ro.disconnect(); m.remove(); map.current = null; boundaryLayer.current = null; marker.current = null; };
  }, [readOnly, hasTiles]);

  // The boundaries of the area's micro-grids; else the area's own outline (or its nearest ancestor's); else a plain map.
  useEffect(() => {
    let live = true;
    const m = map.current;
    if (!m) return;
    boundaryLayer.current?.remove();
    boundaryLayer.current = null;
    features.current = [];
    if (!areaId) { setStatus('none'); return; }
    setStatus('loading');
    void (async () => {
      let fc: FeatureCollection | null = await casesApi.boundaries(areaId).catch(() => null);
      let kind: 'boundaries' | 'outline' = 'boundaries';
      if (!fc || fc.features.length === 0) {
        kind = 'outline';
        fc = null;
        try {
          const a = await api.area(areaId);
          const chain = [{ id: a.id, boundary: a.boundary, name: a.name }];
          for (const anc of [...a.ancestors].reverse().slice(0, 3)) {
            if (chain.some((c) => c.boundary)) break;
            const d = await api.area(anc.id).catch(() => null);
            if (d) chain.push({ id: d.id, boundary: d.boundary, name: d.name });
          }
          const found = chain.find((c) => c.boundary);
          if (found) fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: found.name }, geometry: found.boundary as Geometry }] };
        } catch { /* no outline */ }
      }
      if (!live || !map.current) return;
      if (!fc) { setStatus('none'); return; }
      features.current = kind === 'boundaries' ? fc.features : [];
      const few = fc.features.length <= 16;
      const layer = L.geoJSON(fc, {
        interactive: false,
        style: () => ({ color: '#1677ff', weight: 1.5, fillColor: '#1677ff', fillOpacity: 0.06 }),
        onEachFeature: (f, l) => {
          const name = (f.properties as { name?: string } | null)?.name;
          if (name && few) l.bindTooltip(textEl('span', name), { permanent: true, direction: 'center', className: 'wg-area-label', interactive: false });
        },
      }).addTo(map.current);
      boundaryLayer.current = layer;
      const b = layer.getBounds();
      const mk = marker.current?.getLatLng();
      if (b.isValid() && mk) b.extend(mk);
      if (b.isValid()) map.current.fitBounds(b, { padding: [16, 16], maxZoom: 18 });
      setStatus(kind);
    })();
    return () => { live = false; };
  }, [areaId, readOnly, hasTiles]);

  // The marker.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const first = !seen.current;
    seen.current = true;
    if (!value) { marker.current?.remove(); marker.current = null; return; }
    const ll: L.LatLngTuple = [value.lat, value.lng];
    if (marker.current) marker.current.setLatLng(ll);
    else marker.current = L.circleMarker(ll, { radius: 9, color: '#fff', weight: 2, fillColor: '#f5222d', fillOpacity: 1 }).addTo(m);
    if (!m.getBounds().contains(ll)) m.setView(ll, Math.max(m.getZoom(), 15));
    // A place set from outside (GPS) names its micro-grid too; the first (restored) value does not.
    if (!first) {
      const hit = features.current.find((f) => geometryContains(f.geometry, value));
      const a = hit && featureArea(hit);
      if (a) cb.current.onAreaHit?.(a);
    }
  }, [value?.lat, value?.lng, readOnly, hasTiles]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div>
      <style>{'.wg-area-label{background:rgba(255,255,255,.75);border:0;box-shadow:none;padding:0 2px;font-size:11px;color:#1d39c4}.wg-area-label:before{display:none}'}</style>
      <div ref={el} data-testid={testId} data-status={status} style={{ height, width: '100%', borderRadius: 6, border: '1px solid #d9d9d9', background: hasTiles ? undefined : '#f4f7f0', cursor: readOnly ? 'default' : 'crosshair', zIndex: 0 }} />
      {!readOnly && status === 'none' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('caseMapNoBoundary')}</Typography.Text>
      )}
    </div>
  );
}
