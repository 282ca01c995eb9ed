import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPlacementIndex, locateByScan, polygonsOf, type Boundary } from './placement.rules.js';

const square = (x: number, y: number, w: number, h = w) => ({ type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] });

describe('placing a point in the micro-grids', () => {
  it('finds the boundary that holds a point, none outside every one', () => {
    const list: Boundary[] = [{ id: 1, geometry: square(118, 36, 1) }, { id: 2, geometry: square(119, 36, 1) }];
    const idx = buildPlacementIndex(list);
    expect(idx.size).toBe(2);
    expect(idx.locate(118.5, 36.5)).toBe(1);
    expect(idx.locate(119.5, 36.5)).toBe(2);
    expect(idx.locate(117.5, 36.5)).toBeNull();
    expect(idx.locate(Number.NaN, 36.5)).toBeNull();
  });

  it('gives a point on a shared edge to the lower id, whatever the order', () => {
    const a: Boundary = { id: 7, geometry: square(118, 36, 1) };
    const b: Boundary = { id: 3, geometry: square(119, 36, 1) };
    expect(buildPlacementIndex([a, b]).locate(119, 36.5)).toBe(3);
    expect(buildPlacementIndex([b, a]).locate(119, 36.5)).toBe(3);
  });

  it('respects holes and multi-polygons, and leaves out what is not a polygon', () => {
    const donut = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] };
    const multi = { type: 'MultiPolygon', coordinates: [square(20, 0, 1).coordinates, square(30, 0, 1).coordinates] };
    const idx = buildPlacementIndex([{ id: 1, geometry: donut }, { id: 2, geometry: multi }, { id: 3, geometry: { type: 'Point', coordinates: [1, 1] } }, { id: 4, geometry: null }]);
    expect(idx.size).toBe(2);
    expect(idx.locate(2, 2)).toBe(1);
    expect(idx.locate(5, 5)).toBeNull();
    expect(idx.locate(30.5, 0.5)).toBe(2);
    expect(polygonsOf({ type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] })).toEqual([]);
  });

  it('answers as testing every boundary in turn would', () => {
    const cell = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }), w: fc.integer({ min: 1, max: 6 }) });
    fc.assert(fc.property(fc.array(cell, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.double({ min: -1, max: 27, noNaN: true }), fc.double({ min: -1, max: 27, noNaN: true })), { maxLength: 20 }),
      (cells, points) => {
        const list = cells.map((c, i) => ({ id: i + 1, geometry: square(c.x, c.y, c.w) }));
        const idx = buildPlacementIndex(list);
        for (const [x, y] of points) expect(idx.locate(x, y)).toBe(locateByScan(list, x, y));
      }), { numRuns: 300 });
  });
});
