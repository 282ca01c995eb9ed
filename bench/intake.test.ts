// The micro-grid generator of intake.grid_lookup: the polygons tile the box (no gap, no overlap), the codes
// are tierTree's, holes and islands line up, and the index answers as the scan does on them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pointInPolygon from 'point-in-polygon-hao';
import { buildPlacementIndex, locateByScan, polygonsOf } from '../apps/api/src/modules/intake/placement.rules.js';
import { microGridLayout, randomPoints, type Box } from './intake.js';

const villages = (n: number) => Array.from({ length: n }, (_, k) => ({ code: `370321107${String(k + 1).padStart(3, '0')}` }));
const ringArea = (r: number[][]) => {
  let a = 0;
  for (let k = 0; k < r.length - 1; k++) a += r[k]![0]! * r[k + 1]![1]! - r[k + 1]![0]! * r[k]![1]!;
  return a / 2;
};
const box: Box = { minLng: 118, minLat: 36, maxLng: 118.4, maxLat: 36.4 };

describe('the micro-grid layout', () => {
  it('makes five micro-grids per village with tierTree codes, closed rings, counter-clockwise outside and clockwise holes', () => {
    const l = microGridLayout(villages(400), { box });
    expect(l.grids).toHaveLength(2000);
    expect(l.cols * l.rows).toBe(400);
    expect(l.emptyCells).toBe(0);
    expect(l.grids.slice(0, 5).map((g) => g.code)).toEqual(['370321107001001001', '370321107001001002', '370321107001002001', '370321107001002002', '370321107001003001']);
    expect(l.grids.map((g) => g.id)).toEqual(l.grids.map((_, k) => k + 1));
    expect(l.withHoles).toBe(10);
    for (const g of l.grids) {
      const polys = polygonsOf(g.geometry);
      expect(polys.length).toBeGreaterThan(0);
      for (const p of polys) {
        p.forEach((r, k) => {
          expect(r[0]).toEqual(r[r.length - 1]);
          expect(Math.sign(ringArea(r))).toBe(k === 0 ? 1 : -1);
        });
      }
    }
  });

  it('tiles the box: the areas add up to the box and no point lies inside two micro-grids', () => {
    const l = microGridLayout(villages(400), { box, seed: 5 });
    let total = 0;
    for (const g of l.grids) for (const p of polygonsOf(g.geometry)) for (const r of p) total += ringArea(r);
    expect(total).toBeCloseTo(0.4 * 0.4, 9);
    const pts = randomPoints(3000, box, 11, 0);
    const polys = l.grids.map((g) => polygonsOf(g.geometry));
    for (let k = 0; k < 3000; k++) {
      const pt = [pts[2 * k]!, pts[2 * k + 1]!];
      const strictly = polys.filter((ps) => ps.some((p) => pointInPolygon(pt, p) === true)).length;
      const touching = polys.filter((ps) => ps.some((p) => pointInPolygon(pt, p) !== false)).length;
      expect(strictly).toBeLessThanOrEqual(1);
      expect(touching).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives the centre of a hole to the island of the fourth micro-grid', () => {
    const l = microGridLayout(villages(40), { box });
    const holed = l.grids.find((g) => g.geometry.type === 'Polygon' && g.geometry.coordinates.length === 2)!;
    expect(holed.code.endsWith('003001')).toBe(true);
    const hole = (holed.geometry.coordinates as number[][][])[1]!;
    const [cx, cy] = [hole.slice(0, 6).reduce((s, p) => s + p[0]!, 0) / 6, hole.slice(0, 6).reduce((s, p) => s + p[1]!, 0) / 6];
    const idx = buildPlacementIndex(l.grids);
    expect(idx.locate(cx, cy)).toBe(holed.id - 1);
    expect(l.grids[holed.id - 2]!.geometry.type).toBe('MultiPolygon');
  });

  it('leaves empty cells when the villages do not fill the lattice, and the index answers as the scan', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 1000 }), (n, seed) => {
      const l = microGridLayout(villages(n), { box, seed });
      expect(l.grids).toHaveLength(5 * n);
      expect(l.cols * l.rows - l.emptyCells).toBe(n);
      const idx = buildPlacementIndex(l.grids);
      const pts = randomPoints(40, box, seed, 0.02);
      for (let k = 0; k < 40; k++) expect(idx.locate(pts[2 * k]!, pts[2 * k + 1]!)).toBe(locateByScan(l.grids, pts[2 * k]!, pts[2 * k + 1]!));
    }), { numRuns: 60 });
  });
});
