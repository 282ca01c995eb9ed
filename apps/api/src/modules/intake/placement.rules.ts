// Placing a point in the grid: which micro-grid's boundary holds it. A static R-tree (flatbush) over
// the boundaries' bounding boxes narrows the candidates; an exact point-in-polygon test (holes and
// multi-polygons included) decides. A point on a shared edge goes to the lower id, so the answer
// never depends on the order the areas were indexed in. Pure: built from a list, no database.
import Flatbush from 'flatbush';
import pointInPolygon from 'point-in-polygon-hao';

type Ring = number[][];
type PolygonCoords = Ring[];
export interface Boundary { id: number; geometry: unknown }
interface Shape { id: number; polygons: PolygonCoords[] }

/** The polygons of a GeoJSON Polygon or MultiPolygon (anything else: none). */
export function polygonsOf(g: unknown): PolygonCoords[] {
  const geo = g as { type?: string; coordinates?: unknown } | null;
  const ok = (p: unknown): p is PolygonCoords => Array.isArray(p) && p.length > 0
    && p.every((r) => Array.isArray(r) && r.length >= 4 && r.every((pt) => Array.isArray(pt) && pt.length >= 2 && pt.every((n) => typeof n === 'number' && Number.isFinite(n))));
  if (geo?.type === 'Polygon') return ok(geo.coordinates) ? [geo.coordinates] : [];
  if (geo?.type === 'MultiPolygon' && Array.isArray(geo.coordinates)) return (geo.coordinates as unknown[]).filter(ok);
  return [];
}

export interface PlacementIndex { size: number; locate(lng: number, lat: number): number | null }

/** Builds the index; areas without a usable boundary are left out (and counted out of `size`). */
export function buildPlacementIndex(list: Boundary[]): PlacementIndex {
  const shapes: Shape[] = [];
  for (const b of list) {
    const polygons = polygonsOf(b.geometry);
    if (polygons.length) shapes.push({ id: b.id, polygons });
  }
  if (shapes.length === 0) return { size: 0, locate: () => null };
  const index = new Flatbush(shapes.length);
  for (const s of shapes) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const poly of s.polygons) for (const [x, y] of poly[0]!) {
      if (x! < minX) minX = x!; if (y! < minY) minY = y!; if (x! > maxX) maxX = x!; if (y! > maxY) maxY = y!;
    }
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  return {
    size: shapes.length,
    locate(lng, lat) {
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
      let best: number | null = null;
      for (const i of index.search(lng, lat, lng, lat)) {
        const s = shapes[i]!;
        if (best !== null && s.id > best) continue;
        if (s.polygons.some((p) => pointInPolygon([lng, lat], p) !== false)) best = s.id;
      }
      return best;
    },
  };
}

/** The same answer by testing every boundary in turn (the benchmark's baseline and the tests' check). */
export function locateByScan(list: Boundary[], lng: number, lat: number): number | null {
  let best: number | null = null;
  for (const b of list) {
    if (best !== null && b.id > best) continue;
    if (polygonsOf(b.geometry).some((p) => pointInPolygon([lng, lat], p) !== false)) best = b.id;
  }
  return best;
}
