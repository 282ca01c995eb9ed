// 在地图上选: a full-screen map of the town's villages (no internet tiles needed: the boundaries are the
// base), a tap places the problem. Loaded (with leaflet) only when the resident opens it.
import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { FeatureCollection } from 'geojson';
import { publicApi, type MapData } from './api';
import { placeNameAt } from './helpers';
import { textEl } from '../safeText';

export interface Picked { lat: number; lng: number; place: string | null }

/** The answer that holds every village (a town or a county), kept for the page's life. */
let full: MapData | null = null;
const byPoint = new Map<string, Promise<MapData>>();
/** The villages to draw: all of them when the install is small, else those of the town around `near`. */
async function mapData(near?: { lat: number; lng: number }): Promise<MapData> {
  if (full) return full;
  const key = near ? `${near.lat.toFixed(2)},${near.lng.toFixed(2)}` : '';
  let p = byPoint.get(key);
  if (!p) {
    p = publicApi.map(near);
    byPoint.set(key, p);
    p.catch(() => byPoint.delete(key));
  }
  const d = await p;
  if (d.villages === 'all') full = d;
  return d;
}

function tileUrl(): string | null {
  try { const v = localStorage.getItem('wangge.map.tileUrl'); if (v) return v; } catch { /* private mode */ }
  return (import.meta.env.VITE_MAP_TILE_URL as string | undefined) || null;
}

/** Where the map opens with nothing else to go on: the demo town (新城镇, 桓台县). */
const FALLBACK: L.LatLngTuple = [36.945, 118.015];

export default function PickMap({ start, onPick, onClose }: { start: { lat: number; lng: number } | null; onPick: (p: Picked) => void; onClose: () => void }) {
  const el = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Picked | null>(start ? { ...start, place: null } : null);
  const features = useRef<MapData['features']>([]);

  useEffect(() => {
    if (!el.current) return;
    const map = L.map(el.current, { center: start ? [start.lat, start.lng] : FALLBACK, zoom: start ? 15 : 12, zoomSnap: 0.25, attributionControl: false, tapTolerance: 15,
      // No zoom animation: lighter on a cheap phone, and none left running (a timer on a removed map) when the sheet closes mid-zoom.
      zoomAnimation: false });
    // Village names only where they can be read (zoomed out far, a county's names would pile up).
    const labels = () => el.current?.classList.toggle('pub-far', map.getZoom() < 11.5);
    map.on('zoomend', labels);
    labels();
    const url = tileUrl();
    if (url) L.tileLayer(url, { maxZoom: 19 }).addTo(map);
    let marker: L.CircleMarker | null = null;
    let layer: L.GeoJSON | null = null;
    let live = true;
    const put = (lat: number, lng: number) => {
      const ll: L.LatLngTuple = [lat, lng];
      if (marker) marker.setLatLng(ll);
      else marker = L.circleMarker(ll, { radius: 11, color: '#fff', weight: 3, fillColor: '#e8401c', fillOpacity: 1 }).addTo(map);
    };
    const draw = (d: MapData, fit: boolean) => {
      layer?.remove();
      features.current = d.features;
      layer = L.geoJSON(d as unknown as FeatureCollection, {
        interactive: false,
        style: (f) => (f?.properties as { level?: string })?.level === 'town'
          ? { color: '#0b6b3a', weight: 3, fill: false }
          : { color: '#2f8f5b', weight: 1.2, fillColor: '#9fd5b0', fillOpacity: 0.18 },
        onEachFeature: (f, l) => {
          const p = f.properties as { name: string; level: string };
          if (p.level === 'village') l.bindTooltip(textEl('span', p.name), { permanent: true, direction: 'center', className: 'pub-map-label', interactive: false });
        },
      }).addTo(map);
      marker?.bringToFront();
      const b = layer.getBounds();
      if (fit && b.isValid()) map.fitBounds(b, { padding: [12, 12], animate: false });
    };
    const named = (lat: number, lng: number) => placeNameAt(features.current, lng, lat);
    if (start) put(start.lat, start.lng);
    mapData(start ?? undefined).then((d) => {
      if (!live) return;
      draw(d, !start);
      if (start) setPicked({ ...start, place: named(start.lat, start.lng) });
      setStatus('ready');
    }).catch((e: Error) => { if (live) { setStatus('error'); setError(e.message); } });
    map.on('click', (e: L.LeafletMouseEvent) => {
      const lat = Number(e.latlng.lat.toFixed(6)); const lng = Number(e.latlng.lng.toFixed(6));
      put(lat, lng);
      setPicked({ lat, lng, place: named(lat, lng) });
      // A large install sends the villages of one town at a time: ask for the tapped point's.
      if (!full) {
        mapData({ lat, lng }).then((d) => {
          if (!live) return;
          draw(d, false);
          setPicked({ lat, lng, place: named(lat, lng) });
        }).catch(() => { /* the tap stands without a name */ });
      }
    });
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el.current);
    return () => { live = false; ro.disconnect(); map.remove(); };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="pub-mapsheet" role="dialog" aria-modal="true" aria-label="在地图上选择问题位置">
      <div className="pub-mapsheet-head">
        <strong>点地图，标出问题所在位置</strong>
        <button type="button" className="pub-link" onClick={onClose} data-testid="pub-map-close">关闭</button>
      </div>
      <div ref={el} className="pub-mapsheet-map" data-testid="pub-map" data-status={status} />
      <div className="pub-mapsheet-foot">
        {status === 'error' && <div className="pub-err">地图没有加载成功：{error}（可关闭后用定位）</div>}
        <div className="pub-muted" data-testid="pub-map-picked">
          {picked ? `${picked.place ? `${picked.place} · ` : ''}${picked.lat.toFixed(5)}, ${picked.lng.toFixed(5)}` : '还没有选位置：请点地图上问题所在的地方'}
        </div>
        <button type="button" className="pub-btn pub-primary" disabled={!picked} onClick={() => picked && onPick(picked)} data-testid="pub-map-ok">确定这个位置</button>
      </div>
    </div>
  );
}
