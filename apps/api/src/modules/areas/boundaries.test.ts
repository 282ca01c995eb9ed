// The demo town's generated boundaries and GET /areas/:id/boundaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { rows, sql } from '../../db/client.js';
import { setupDemo } from '../demo/demo.js';
import { generateBoundaries, layoutTown, pointInPolygon, type Polygon, type Pt, type TreeNode } from '../demo/boundaries.js';
import { seeded } from './allocate.js';
import { checkBoundary } from './rules.js';

let t: TestApp;
let admin: string;
let townId: number;
interface Feature { id: number; geometry: Polygon; properties: { id: number; code: string; name: string; level: string } }
interface Collection { type: string; level: string; total: number; withoutBoundary: number; truncated: boolean; features: Feature[] }
const get = (url: string, cookie = admin) => t.app.inject({ url: `/api/v1${url}`, headers: { cookie } });
const collection = async (id: number, level: string, cookie = admin) => {
  const res = await get(`/areas/${id}/boundaries?level=${level}`, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Collection;
};
const parentOf = new Map<number, number>();

beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  const list = await rows<{ id: number; parentId: number; code: string }>(t.database.db, sql`SELECT id, parent_id AS "parentId", code FROM area`);
  for (const a of list) parentOf.set(a.id, a.parentId);
  townId = list.find((a) => a.code === '370321107')!.id;
});
afterAll(async () => { await t.close(); });

function bbox(p: Polygon) {
  const xs = p.coordinates[0]!.map((c) => c[0]);
  const ys = p.coordinates[0]!.map((c) => c[1]);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}
/** Seeded random points inside a polygon. */
function pointsIn(p: Polygon, n: number, rand: () => number): Pt[] {
  const b = bbox(p);
  const out: Pt[] = [];
  while (out.length < n) {
    const q: Pt = [b.x0 + rand() * (b.x1 - b.x0), b.y0 + rand() * (b.y1 - b.y0)];
    if (pointInPolygon(q, p)) out.push(q);
  }
  return out;
}

describe('generated boundaries of the demo town', () => {
  it('every demo area from the town down has a valid polygon around 新城镇', async () => {
    const town = await collection(townId, 'town');
    expect(town.features).toHaveLength(1);
    const b = bbox(town.features[0]!.geometry);
    expect(b.x0).toBeGreaterThan(117.95);
    expect(b.x1).toBeLessThan(118.1);
    expect(b.y0).toBeGreaterThan(36.9);
    expect(b.y1).toBeLessThan(37.0);
    // A few km across.
    const widthKm = (b.x1 - b.x0) * 111.2 * Math.cos((36.95 * Math.PI) / 180);
    expect(widthKm).toBeGreaterThan(5);
    expect(widthKm).toBeLessThan(15);
    for (const [level, n] of [['district', 5], ['village', 40], ['grid', 141], ['micro_grid', 228]] as const) {
      const c = await collection(townId, level);
      expect(c).toMatchObject({ type: 'FeatureCollection', level, total: n, withoutBoundary: 0, truncated: false });
      expect(c.features).toHaveLength(n);
      for (const f of c.features) {
        expect(checkBoundary(f.geometry)).toBeNull();
        expect(f.properties.level).toBe(level);
        expect(f.id).toBe(f.properties.id);
      }
    }
  });

  it('villages tile the town, grids their village, micro-grids their grid: random points fall in exactly one child of their parent', async () => {
    const [town] = (await collection(townId, 'town')).features;
    const districts = (await collection(townId, 'district')).features;
    const villages = (await collection(townId, 'village')).features;
    const grids = (await collection(townId, 'grid')).features;
    const micro = (await collection(townId, 'micro_grid')).features;
    const rand = seeded(42);
    const containing = (p: Pt, list: Feature[]) => list.filter((f) => pointInPolygon(p, f.geometry));
    for (const p of pointsIn(town!.geometry, 3000, rand)) {
      const d = containing(p, districts);
      const v = containing(p, villages);
      expect(d).toHaveLength(1);
      expect(v).toHaveLength(1);
      expect(parentOf.get(v[0]!.id)).toBe(d[0]!.id); // a village lies in its own district's area
      const g = containing(p, grids);
      expect(g).toHaveLength(1);
      expect(parentOf.get(g[0]!.id)).toBe(v[0]!.id);
      const m = containing(p, micro);
      expect(m).toHaveLength(1);
      expect(parentOf.get(m[0]!.id)).toBe(g[0]!.id);
    }
    // And every child lies inside its parent: points drawn inside each micro-grid are inside its grid.
    const gridById = new Map(grids.map((f) => [f.id, f]));
    for (const m of micro) {
      for (const p of pointsIn(m.geometry, 5, rand)) expect(pointInPolygon(p, gridById.get(parentOf.get(m.id)!)!.geometry)).toBe(true);
    }
  });

  it('districts sit where their names say', async () => {
    const districts = (await collection(townId, 'district')).features;
    const centre = (f: Feature) => { const b = bbox(f.geometry); return [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2] as Pt; };
    const at = (name: string) => centre(districts.find((f) => f.properties.name === name)!);
    expect(at('西北管区')[0]).toBeLessThan(at('镇街直管部分')[0]);
    expect(at('西北管区')[1]).toBeGreaterThan(at('西南管区')[1]);
    expect(at('东北管区')[0]).toBeGreaterThan(at('镇街直管部分')[0]);
    expect(at('东北管区')[1]).toBeGreaterThan(at('东南管区')[1]);
  });

  it('is deterministic, and regenerating keeps what is there unless asked', async () => {
    const before = (await collection(townId, 'micro_grid')).features.map((f) => f.geometry);
    expect(await generateBoundaries(t.database.db, townId)).toMatchObject({ updated: 0 });
    const again = await generateBoundaries(t.database.db, townId, { overwrite: true });
    expect(again.updated).toBe(1 + 5 + 40 + 141 + 228);
    expect((await collection(townId, 'micro_grid')).features.map((f) => f.geometry)).toEqual(before);
    const leaf = (id: number): TreeNode => ({ id, code: String(id), name: '', level: 'grid', population: null, children: [] });
    const tree: TreeNode = { id: 1, code: '1', name: '', level: 'town', population: null, children: [leaf(2), leaf(3), leaf(4)] };
    const frame: [Pt, Pt, Pt, Pt] = [[0, 0], [1, 0], [1, 1], [0, 1]];
    expect(layoutTown(tree, frame, 7)).toEqual(layoutTown(tree, frame, 7));
  });

  it('refuses an area that is not a town', async () => {
    const [village] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107201'`);
    await expect(generateBoundaries(t.database.db, village!.id)).rejects.toMatchObject({ status: 400 });
  });
});

describe('GET /areas/:id/boundaries', () => {
  it('defaults to micro-grids; the area itself at its own level', async () => {
    const [village] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107201'`);
    const res = await get(`/areas/${village!.id}/boundaries`);
    expect(res.statusCode).toBe(200);
    const c = res.json() as Collection;
    expect(c.level).toBe('micro_grid');
    expect(c.features.length).toBeGreaterThan(0);
    expect(c.features.every((f) => f.properties.code.startsWith('370321107201'))).toBe(true);
    expect((await collection(village!.id, 'village')).features.map((f) => f.id)).toEqual([village!.id]);
  });
  it('follows access: a village cadre reads their village, not the town', async () => {
    const cadre = await login(t.app, 'cungan01', 'demo1234');
    const top = (await get('/areas', cadre)).json()[0];
    const own = await collection(top.id, 'micro_grid', cadre);
    expect(own.features.length).toBeGreaterThan(0);
    expect(own.features.every((f) => f.properties.code.startsWith(top.code))).toBe(true);
    expect((await get(`/areas/${townId}/boundaries?level=village`, cadre)).statusCode).toBe(403);
  });
  it('bad input: unknown level, a level above the area, a bad or unknown id', async () => {
    const [village] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM area WHERE code = '370321107201'`);
    for (const url of [`/areas/${townId}/boundaries?level=street`, `/areas/${village!.id}/boundaries?level=town`, '/areas/abc/boundaries', '/areas/0/boundaries']) {
      const res = await get(url);
      expect(res.statusCode, `${url} → ${res.body}`).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
    expect((await get(`/areas/${village!.id}/boundaries?level=town`)).json().error.message).toMatch(/村级/);
    expect((await get('/areas/999999999/boundaries')).statusCode).toBe(404);
  });
});
