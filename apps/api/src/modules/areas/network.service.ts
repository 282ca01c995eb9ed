// Setting up a network: any town in China from the national divisions, and the demo town.
import type { Db } from '../../db/client.js';
import { badInput, conflict } from '../../lib/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { townDivisions } from '../divisions/divisions.js';
import type { LevelKey } from '../../../../../packages/shared/src/mechanism.js';
import * as repo from './areas.repository.js';
import { countyOf, displayName, searchText } from './rules.js';
import { allocate } from './allocate.js';
import { ensureCalendar } from '../calendar/calendar.seed.js';
import { todayInChina } from '../../lib/dates.js';

export interface AuditActor { id: number | null; name: string }

type Spec = Omit<repo.NewArea, 'id' | 'path' | 'depth' | 'parentId' | 'search' | 'countyCode'> & { parent: string | null };

/** Inserts areas given parent-before-child, by code; existing codes are reused as parents. */
export async function insertTree(tx: Db, specs: Spec[]): Promise<Map<string, { id: number; path: string; depth: number }>> {
  const known = new Map<string, { id: number; path: string; depth: number }>();
  const ids = await repo.reserveIds(tx, specs.length);
  const rowsOut: repo.NewArea[] = [];
  for (const [i, s] of specs.entries()) {
    let parent = s.parent ? known.get(s.parent) : undefined;
    if (s.parent && !parent) {
      const p = await repo.findByCode(tx, s.parent);
      if (!p) throw new Error(`parent ${s.parent} missing`);
      parent = { id: p.id, path: p.path, depth: p.depth };
      known.set(s.parent, parent);
    }
    const id = ids[i]!;
    const path = `${parent?.path ?? '/'}${id}/`;
    const depth = (parent?.depth ?? -1) + 1;
    known.set(s.code, { id, path, depth });
    rowsOut.push({ ...s, id, path, depth, parentId: parent?.id ?? null, search: searchText(s.name), countyCode: countyOf(s.code) });
  }
  await repo.insertAreas(tx, rowsOut);
  return known;
}

const blank = { population: null, households: null, sizeClass: null, isKey: false, boundary: null, demo: false, officialName: null };

/** Creates a town with its real villages (and its county, city and province above it). */
export async function initTown(db: Db, townCode: string, actor: AuditActor, demo = false) {
  if (!/^\d{9}$/.test(townCode)) throw badInput(`镇代码应为 9 位数字，收到 "${townCode}"`, [{ field: 'town', message: 'must be 9 digits' }]);
  const d = await townDivisions(townCode);
  if (!d) throw badInput(`全国区划数据中没有代码为 ${townCode} 的乡镇 (unknown town code)`, [{ field: 'town', message: 'unknown town code' }], 'UNKNOWN_TOWN');
  return db.transaction(async (tx) => {
    if (await repo.findByCode(tx, townCode)) throw conflict('TOWN_EXISTS', `${d.town.name}（${townCode}）已经建立`);
    const chain: [LevelKey, { code: string; name: string }, string | null][] = [
      ['province', d.province, null], ['city', d.city, d.province.code], ['county', d.county, d.city.code],
    ];
    const specs: Spec[] = [];
    for (const [level, div, parent] of chain) {
      if (!(await repo.findByCode(tx, div.code))) {
        // 市辖区 is the statistical name for a city's own districts: show the city's name instead.
        const name = div.name === '市辖区' ? `${d.city.name}市辖区` : div.name;
        specs.push({ ...blank, code: div.code, name, officialName: div.name, level, parent, demo });
      }
    }
    specs.push({ ...blank, code: d.town.code, name: d.town.name, officialName: d.town.name, level: 'town', parent: d.county.code, demo });
    for (const v of d.villages) {
      specs.push({ ...blank, code: v.code, name: displayName(v.name), officialName: v.name, level: 'village', parent: d.town.code, demo });
    }
    const made = await insertTree(tx, specs);
    // Deadlines need the working calendar: holidays and 调休 for last, this and next year (admins' days kept).
    const year = Number(todayInChina().slice(0, 4));
    await ensureCalendar(tx, [year - 1, year, year + 1]);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.name, action: 'town.init', entity: 'area', entityId: made.get(townCode)!.id,
      after: { town: d.town, county: d.county, villages: d.villages.length, created: specs.length }, areaPath: made.get(townCode)!.path });
    return { town: { id: made.get(townCode)!.id, code: townCode, name: d.town.name }, villages: d.villages.length, created: specs.length };
  });
}

/**
 * A generator for demos: spreads `grids` grids over the town's villages (by population where
 * known, evenly otherwise; at least one each) and `microGrids` micro-grids over those grids. Only
 * villages without grids get any; everything made is flagged demo.
 */
export async function generateGrids(db: Db, townCode: string, totals: { grids: number; microGrids: number }, actor: AuditActor) {
  const town = await repo.findByCode(db, townCode);
  if (!town || town.level !== 'town') throw badInput(`没有代码为 ${townCode} 的镇，请先 init --town ${townCode}`, [{ field: 'town', message: 'no such town' }], 'UNKNOWN_TOWN');
  const villages = (await repo.villagesUnder(db, town.path)).filter((v) => Number(v.childCount ?? 0) === 0);
  if (villages.length === 0) throw conflict('NOTHING_TO_GENERATE', `${town.name}的每个村都已有网格`);
  if (!Number.isInteger(totals.grids) || totals.grids < villages.length) {
    throw badInput(`网格数应为整数且不少于无网格的村数（${villages.length}）`, [{ field: 'grids', message: 'too few' }]);
  }
  if (!Number.isInteger(totals.microGrids) || totals.microGrids < totals.grids) {
    throw badInput(`微网格数应为整数且不少于网格数（${totals.grids}）`, [{ field: 'microGrids', message: 'too few' }]);
  }
  if (totals.grids > villages.length * 999 || totals.microGrids > totals.grids * 999) throw badInput('每个村最多 999 个网格，每个网格最多 999 个微网格');
  const gridsPer = allocate(totals.grids, villages.map((v) => v.population ?? 1));
  const gridWeights: number[] = [];
  villages.forEach((v, i) => { for (let g = 0; g < gridsPer[i]!; g++) gridWeights.push((v.population ?? 1) / gridsPer[i]!); });
  const microPer = allocate(totals.microGrids, gridWeights);
  const specs: Spec[] = [];
  let gi = 0;
  villages.forEach((v, i) => {
    for (let g = 1; g <= gridsPer[i]!; g++, gi++) {
      const code = `${v.code}${String(g).padStart(3, '0')}`;
      specs.push({ ...blank, code, name: `${v.name}第${g}网格`, level: 'grid', parent: v.code, demo: true });
      for (let m = 1; m <= microPer[gi]!; m++) {
        specs.push({ ...blank, code: `${code}${String(m).padStart(3, '0')}`, name: `${v.name}${g}-${m}微网格`, level: 'micro_grid', parent: code, demo: true });
      }
    }
  });
  return db.transaction(async (tx) => {
    await insertTree(tx, specs);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.name, action: 'network.generate', entity: 'area', entityId: town.id,
      after: { villages: villages.length, grids: totals.grids, microGrids: totals.microGrids }, areaPath: town.path });
    return { villages: villages.length, grids: totals.grids, microGrids: totals.microGrids };
  });
}
