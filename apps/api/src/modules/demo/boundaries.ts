// Plausible generated boundaries for the demo town, so the map has something to draw. NOT surveyed
// data: the demo flags every area it sets (demo = true, shown as 演示数据).
//
// The town is a slightly skewed quadrilateral around 新城镇's real place (about 118.0 E, 36.95 N,
// some 9 km × 8 km). Its districts take the compass positions their names give (西北 top left, 东南
// bottom right, 镇街直管 in the middle column round the town seat); each district is cut into rows
// and columns of villages, each village into its grids, each grid into its micro-grids, sizes by
// population. Every cut runs straight from one side of the parent to the opposite side, with its
// two ends jittered independently: the pieces are convex quadrilaterals that tile their parent
// exactly (siblings share their cut edges point for point), so children stay inside parents and
// siblings never overlap. Deterministic: the same tree gives the same boundaries.
import type { Db } from '../../db/client.js';
import { badInput } from '../../lib/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { seeded } from '../areas/allocate.js';
import * as areasRepo from '../areas/areas.repository.js';

export type Pt = [number, number]; // [longitude, latitude], WGS84
/** Corners counter-clockwise from the bottom left: [bl, br, tr, tl]. */
export type Quad = [Pt, Pt, Pt, Pt];
export interface Polygon { type: 'Polygon'; coordinates: Pt[][] }

export interface TreeNode {
  id: number;
  code: string;
  name: string;
  level: string;
  population: number | null;
  children: TreeNode[];
}

/** 新城镇 (370321107), 桓台县: the frame's centre and half-size in degrees (≈ 8.9 km × 7.8 km). */
export const XINCHENG = { code: '370321107', center: [118.015, 36.945] as Pt, halfLon: 0.05, halfLat: 0.035 };

const lerp = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
const KM_PER_DEG_LAT = 111.2;
function km(a: Pt, b: Pt): number {
  const kx = KM_PER_DEG_LAT * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * KM_PER_DEG_LAT);
}

export function quadToPolygon(q: Quad): Polygon {
  return { type: 'Polygon', coordinates: [[q[0], q[1], q[2], q[3], q[0]]] };
}

/** The town's frame: a rectangle round the centre with its corners nudged a little. */
export function townFrame(center: Pt, halfLon: number, halfLat: number, rand: () => number): Quad {
  const j = () => (rand() - 0.5) * 0.16;
  const [x, y] = center;
  return [
    [x - halfLon * (1 + j()), y - halfLat * (1 + j())],
    [x + halfLon * (1 + j()), y - halfLat * (1 + j())],
    [x + halfLon * (1 + j()), y + halfLat * (1 + j())],
    [x - halfLon * (1 + j()), y + halfLat * (1 + j())],
  ];
}

/**
 * Cuts a quad into strips with the given shares: along 'x' (left to right, cuts from the bottom
 * side to the top side) or 'y' (bottom to top, cuts from the left side to the right side). Each
 * cut's two ends move independently by at most 30% of the narrower neighbouring strip, so cuts
 * never cross.
 */
export function splitStrips(q: Quad, shares: number[], axis: 'x' | 'y', rand: () => number): Quad[] {
  const n = shares.length;
  if (n <= 1) return [q];
  const total = shares.reduce((s, v) => s + v, 0);
  const cum = [0];
  for (const s of shares) cum.push(cum[cum.length - 1]! + s / total);
  cum[n] = 1;
  const ends = (i: number): [number, number] => {
    if (i === 0 || i === n) return [cum[i]!, cum[i]!];
    const room = 0.3 * Math.min(cum[i]! - cum[i - 1]!, cum[i + 1]! - cum[i]!);
    return [cum[i]! + (rand() * 2 - 1) * room, cum[i]! + (rand() * 2 - 1) * room];
  };
  const cuts = Array.from({ length: n + 1 }, (_, i) => ends(i));
  const [bl, br, tr, tl] = q;
  const out: Quad[] = [];
  // Each cut's points are computed once and shared by the strips on both sides.
  const pts = cuts.map(([a, b]) => (axis === 'x' ? [lerp(bl, br, a), lerp(tl, tr, b)] : [lerp(bl, tl, a), lerp(br, tr, b)]) as [Pt, Pt]);
  for (let i = 0; i < n; i++) {
    const [a0, b0] = pts[i]!;
    const [a1, b1] = pts[i + 1]!;
    out.push(axis === 'x' ? [a0, a1, b1, b0] : [a0, b0, b1, a1]);
  }
  return out;
}

/** Shares from weights, evened out a little so that a small village is not a sliver. */
function shares(weights: number[]): number[] {
  const total = weights.reduce((s, v) => s + v, 0) || 1;
  return weights.map((w) => 0.6 * (w / total) + 0.4 / weights.length);
}

/**
 * Tiles a quad with n pieces in reading order (top row first, left to right): about square
 * pieces, rows of near-equal counts, sizes by weight.
 */
export function tile(q: Quad, weights: number[], rand: () => number): Quad[] {
  const n = weights.length;
  if (n <= 1) return [q];
  const width = (km(q[0], q[1]) + km(q[3], q[2])) / 2;
  const height = (km(q[0], q[3]) + km(q[1], q[2])) / 2;
  const rows = Math.min(n, Math.max(1, Math.round(Math.sqrt((n * height) / Math.max(width, 1e-9)))));
  const sh = shares(weights);
  const groups: number[][] = [];
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const count = Math.floor(n / rows) + (r < n % rows ? 1 : 0);
    groups.push(Array.from({ length: count }, () => k++));
  }
  // splitStrips along 'y' goes bottom to top: the first group is the top row.
  const bottomUp = [...groups].reverse();
  const rowQuads = splitStrips(q, bottomUp.map((g) => g.reduce((s, i) => s + sh[i]!, 0)), 'y', rand);
  const out: Quad[] = new Array(n);
  bottomUp.forEach((g, r) => {
    splitStrips(rowQuads[r]!, g.map((i) => sh[i]!), 'x', rand).forEach((piece, j) => { out[g[j]!] = piece; });
  });
  return out;
}

const weightOf = (n: TreeNode): number =>
  n.population != null && n.population > 0 ? n.population : n.children.length ? n.children.reduce((s, c) => s + weightOf(c), 0) : 1;

const COMPASS: Record<string, [col: number, row: number]> = { 西北: [0, 1], 西南: [0, 0], 东北: [2, 1], 东南: [2, 0] };
const compassOf = (name: string) => Object.entries(COMPASS).find(([k]) => name.includes(k))?.[1];

/** The town's own children: districts where their names give a compass position, otherwise tiled. */
function splitTown(q: Quad, children: TreeNode[], rand: () => number): Quad[] {
  const placed = children.map((c) => compassOf(c.name));
  if (children.length === 0 || !children.every((c) => c.level === 'district') || !placed.some(Boolean)) {
    return tile(q, children.map(weightOf), rand);
  }
  // Three columns: west (西南 below 西北), the middle (the rest, e.g. 镇街直管部分), east (东南 below 东北).
  const cols: number[][] = [[], [], []];
  children.forEach((c, i) => cols[placed[i]?.[0] ?? 1]!.push(i));
  for (const col of cols) col.sort((a, b) => (placed[a]?.[1] ?? 0) - (placed[b]?.[1] ?? 0));
  const used = [0, 1, 2].filter((c) => cols[c]!.length > 0);
  const colQuads = splitStrips(q, shares(used.map((c) => cols[c]!.reduce((s, i) => s + weightOf(children[i]!), 0))), 'x', rand);
  const out: Quad[] = new Array(children.length);
  used.forEach((c, k) => {
    const col = cols[c]!;
    const pieces = c === 1
      ? tile(colQuads[k]!, col.map((i) => weightOf(children[i]!)), rand)
      : splitStrips(colQuads[k]!, shares(col.map((i) => weightOf(children[i]!))), 'y', rand);
    col.forEach((i, j) => { out[i] = pieces[j]!; });
  });
  return out;
}

/** Boundaries for a town and everything under it, by area id. */
export function layoutTown(town: TreeNode, frame: Quad, seed: number): Map<number, Polygon> {
  const rand = seeded(seed);
  const out = new Map<number, Polygon>();
  const walk = (n: TreeNode, q: Quad) => {
    out.set(n.id, quadToPolygon(q));
    if (n.children.length === 0) return;
    const pieces = n.level === 'town' ? splitTown(q, n.children, rand) : tile(q, n.children.map(weightOf), rand);
    n.children.forEach((c, i) => walk(c, pieces[i]!));
  };
  walk(town, frame);
  return out;
}

/** Ray casting; points exactly on an edge may go either way. */
export function pointInPolygon(p: Pt, poly: Polygon): boolean {
  const ring = poly.coordinates[0]!;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Generates and stores boundaries for a town's demo areas (the town, its districts, villages,
 * grids and micro-grids). Only areas flagged demo get one; a boundary already set is kept unless
 * `overwrite`. The demo town has its real position; another town needs `center` ([lon, lat]).
 */
export async function generateBoundaries(db: Db, townId: number, opts: { center?: Pt; overwrite?: boolean; actorName?: string } = {}) {
  const town = await areasRepo.findById(db, townId);
  if (!town || town.level !== 'town') throw badInput(`区域 ${townId} 不是镇 (not a town)`, [{ field: 'townId', message: 'not a town' }]);
  const center = opts.center ?? (town.code === XINCHENG.code ? XINCHENG.center : null);
  if (!center || !(Math.abs(center[0]) <= 180 && Math.abs(center[1]) <= 90)) {
    throw badInput(`只有演示镇有默认位置：请给出“${town.name}”的中心经纬度 (center [lon, lat] needed)`, [{ field: 'center', message: 'required' }]);
  }
  const list = await areasRepo.subtreeForBoundaries(db, town.path);
  const nodes = new Map<number, TreeNode>(list.map((a) => [a.id, { id: a.id, code: a.code, name: a.name, level: a.level, population: a.population, children: [] }]));
  for (const a of list) if (a.id !== town.id && a.parentId != null) nodes.get(a.parentId)?.children.push(nodes.get(a.id)!);
  const seed = [...town.code].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const frame = townFrame(center, XINCHENG.halfLon, XINCHENG.halfLat, seeded(seed ^ 0x5bd1e995));
  const shapes = layoutTown(nodes.get(town.id)!, frame, seed);
  const updates = list.filter((a) => a.demo && (opts.overwrite || !a.hasBoundary) && shapes.has(a.id))
    .map((a) => ({ id: a.id, boundary: shapes.get(a.id)! }));
  return db.transaction(async (tx) => {
    await areasRepo.setBoundaries(tx, updates);
    const byLevel: Record<string, number> = {};
    for (const u of updates) { const l = nodes.get(u.id)!.level; byLevel[l] = (byLevel[l] ?? 0) + 1; }
    await appendAudit(tx, { actorId: null, actorName: opts.actorName ?? 'system', action: 'demo.boundaries', entity: 'area', entityId: town.id,
      after: { generated: updates.length, byLevel, overwrite: opts.overwrite ?? false } });
    return { updated: updates.length, byLevel };
  });
}
