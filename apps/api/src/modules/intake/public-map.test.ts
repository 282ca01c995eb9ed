// GET /api/public/map: the town's and villages' boundaries for the resident's map, names and shapes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers.js';
import { setupDemo } from '../demo/demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await setupDemo(t.database.db);
});
afterAll(async () => { await t.close(); });

describe('the public map', () => {
  it('gives the town and its 40 villages, without login, with names and shapes only', async () => {
    const r = await t.app.inject({ url: '/api/public/map' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toContain('max-age');
    const fc = r.json() as { type: string; villages: string; features: { type: string; id?: unknown; geometry: { type: string; coordinates: number[][][] }; properties: Record<string, unknown> }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.villages).toBe('all');
    const towns = fc.features.filter((f) => f.properties.level === 'town');
    const villages = fc.features.filter((f) => f.properties.level === 'village');
    expect(towns.map((f) => f.properties.name)).toEqual(['新城镇']);
    expect(villages).toHaveLength(40);
    expect(villages.map((f) => f.properties.name)).toContain('毛家村');
    for (const f of fc.features) {
      expect(Object.keys(f.properties).sort()).toEqual(['level', 'name']);
      expect(f.id).toBeUndefined();
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    }
    // Coordinates are rounded to 5 decimals.
    const [x, y] = villages[0]!.geometry.coordinates[0]![0]!;
    expect(Math.round(x! * 1e5) / 1e5).toBe(x);
    expect(Math.round(y! * 1e5) / 1e5).toBe(y);
    // Nothing about people.
    expect(r.body).not.toMatch(/phone|user|wgy|\d{11}/);
  });

  it('refuses half a point', async () => {
    const r = await t.app.inject({ url: '/api/public/map?lat=36.9' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('同时');
    expect((await t.app.inject({ url: '/api/public/map?lat=abc&lng=1' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/public/map?lat=36.94&lng=118.01' })).statusCode).toBe(200);
  });
});
