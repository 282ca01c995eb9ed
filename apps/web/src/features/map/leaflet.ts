// Leaflet, its stylesheet and the heat-map plugin. leaflet.heat is a plain script that extends the
// global `L`, so `L` is put on window before the plugin is loaded (on first use).
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export { L };

export type HeatPoint = [number, number, number?];
export interface HeatOptions { radius?: number; blur?: number; maxZoom?: number; max?: number; minOpacity?: number; gradient?: Record<number, string> }
type HeatFactory = (points: HeatPoint[], options?: HeatOptions) => L.Layer;

let heat: Promise<HeatFactory> | null = null;
export function loadHeat(): Promise<HeatFactory> {
  heat ??= (async () => {
    (window as unknown as { L: typeof L }).L = L;
    await import('leaflet.heat');
    const factory = (L as unknown as { heatLayer?: HeatFactory }).heatLayer;
    if (!factory) throw new Error('leaflet.heat did not load');
    return factory;
  })();
  return heat;
}

/**
 * The base map under the boundaries. This machine has no internet tiles, so there is none by default:
 * the micro-grid boundaries are the base. To put a tile layer under them, build the web app with
 * VITE_MAP_TILE_URL (e.g. a tile server on the intranet, `https://tiles.example/{z}/{x}/{y}.png`) and
 * VITE_MAP_TILE_ATTRIBUTION. (Later this can come from a setting served by the API instead.)
 */
export function baseTileLayer(): L.TileLayer | null {
  const env = import.meta.env as Record<string, string | undefined>;
  const url = env.VITE_MAP_TILE_URL;
  if (!url) return null;
  return L.tileLayer(url, { maxZoom: 19, attribution: env.VITE_MAP_TILE_ATTRIBUTION ?? '' });
}
