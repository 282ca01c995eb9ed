// The demo's rewards and credit (信用赋能): households for the first villages of the demo town
// (surnames as a village has them: a few big families), the 积分超市's everyday goods, two weeks of
// 门前三包 checks, a decided 最美庭院 round of the last quarter and a few exchanges. Everything goes
// through the services (so the points follow the rules and every write is audited), done by the
// villages' own cadres and the town office. The names and phones are generated.
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { seeded } from '../areas/allocate.js';
import * as people from '../people/people.repository.js';
import type { Actor } from '../access/policy.js';
import { createHousehold, recordFrontage } from '../rewards/households.service.js';
import { createRound, decideRound, putEntries } from '../rewards/rounds.service.js';
import { createItem, exchange } from '../rewards/rewards.service.js';
import { DEMO_TOWN } from './demo.js';

const SURNAMES = '王李张刘陈杨赵孙周吴徐马朱胡郭何高林罗郑梁宋谢韩唐冯于董';
const GIVEN = ['建国', '志强', '秀英', '玉兰', '桂芳', '春梅', '德胜', '保国', '红霞', '立新', '海燕', '文华', '金凤', '永福', '明亮', '淑珍', '振华', '丽娟', '长青', '凤英', '庆'];
const STREETS = ['东街', '西街', '南街', '北街', '前街', '后街', '中心路', '文化路'];
const ITEMS: [string, number, number | null][] = [
  ['毛巾', 10, 200], ['香皂', 5, 300], ['牙膏', 8, 200], ['洗衣粉', 20, 150], ['洗洁精', 15, 150], ['食用油（5 升）', 80, 40], ['大米（10 斤）', 60, 50], ['垃圾桶', 30, 60],
];

async function actorByName(db: Db, username: string): Promise<Actor> {
  const u = await people.userByName(db, username);
  if (!u) throw new Error(`demo user ${username} is missing`);
  return { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: false, grants: await people.grantsOf(db, u.id) };
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The last ended quarter of a day, as '2026Q2'. */
function lastQuarter(day: string): string {
  const y = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  return q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`;
}

export async function setupRewardsDemo(db: Db, opts: { villages?: number; days?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const today = todayInChina(now);
  const rand = seeded(370321107 + 7);
  const pick = <T>(xs: readonly T[] | string) => xs[Math.floor(rand() * xs.length)] as T;
  const [town] = await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE code = ${DEMO_TOWN}`);
  if (!town) throw new Error('the demo town is missing: setupDemo first');
  // The villages of the first village cadres (cungan01 …): each records its own households' checks.
  const villages = await rows<{ id: number; name: string; username: string }>(db, sql`SELECT a.id, a.name, u.username FROM area a
    JOIN user_role r ON r.area_id = a.id AND r.role_key = 'village_cadre' JOIN app_user u ON u.id = r.user_id
    WHERE a.level_key = 'village' AND a.path LIKE ${`${town.path}%`} ORDER BY a.code LIMIT ${opts.villages ?? 4}`);
  const office = await actorByName(db, 'zhenadmin');

  let households = 0;
  const byVillage = new Map<number, number[]>();
  for (const v of villages) {
    const cadre = await actorByName(db, v.username);
    // A village has a few big families: three surnames take most of the households.
    const big = [pick(SURNAMES), pick(SURNAMES), pick(SURNAMES)] as string[];
    const n = 24 + Math.floor(rand() * 16);
    const ids: number[] = [];
    for (let i = 1; i <= n; i++) {
      const surname = rand() < 0.7 ? pick(big) : (pick(SURNAMES) as string);
      const h = await createHousehold(db, cadre, {
        villageId: v.id, no: String(i), headName: `${surname}${pick(GIVEN) as string}`, address: `${pick(STREETS)}${1 + Math.floor(rand() * 60)}号`,
        phone: rand() < 0.6 ? `13${5 + Math.floor(rand() * 5)}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null,
        members: 1 + Math.floor(rand() * 6),
      });
      ids.push(h.id);
      households += 1;
    }
    byVillage.set(v.id, ids);
  }

  let items = 0;
  const itemIds: number[] = [];
  for (const [name, points, stock] of ITEMS) {
    itemIds.push((await createItem(db, office, { name, points, stock })).id);
    items += 1;
  }

  // 门前三包: the cadre walks the village every few days; most frontages are good.
  let checks = 0;
  const days = opts.days ?? 14;
  for (const v of villages) {
    const cadre = await actorByName(db, v.username);
    for (let d = days; d >= 1; d -= 2 + Math.floor(rand() * 2)) {
      const items = byVillage.get(v.id)!.filter(() => rand() < 0.85).map((householdId) => {
        const r = rand();
        return { householdId, grade: r < 0.68 ? 'good' : r < 0.92 ? 'fair' : 'poor', note: r >= 0.92 ? pick(['门前柴草乱堆', '垃圾未入桶', '杂物占道']) as string : null };
      });
      if (items.length === 0) continue;
      await recordFrontage(db, cadre, { villageId: v.id, checkedOn: addDays(today, -d), items }, now);
      checks += items.length;
    }
  }

  // 最美庭院 of the last quarter in the first village: eight households scored, three named.
  let rounds = 0;
  const first = villages[0];
  if (first) {
    const cadre = await actorByName(db, first.username);
    const round = await createRound(db, cadre, { villageId: first.id, kind: 'courtyard', period: lastQuarter(today), quota: 3 });
    const entrants = byVillage.get(first.id)!.filter(() => rand() < 0.5).slice(0, 8);
    const scored = await putEntries(db, cadre, round.id, { items: entrants.map((householdId) => ({ householdId, score: Math.round(70 + rand() * 28), note: null })) });
    await decideRound(db, office, round.id, { version: scored.version });
    rounds += 1;
  }

  // A few households have spent points in the 积分超市.
  let exchanges = 0;
  for (const v of villages) {
    const cadre = await actorByName(db, v.username);
    for (const householdId of byVillage.get(v.id)!.filter(() => rand() < 0.2)) {
      const itemId = itemIds[Math.floor(rand() * 3)]!; // the cheap everyday goods
      const done = await exchange(db, cadre, { householdId, itemId, quantity: 1 }).then(() => true, () => false); // not enough points: skipped
      if (done) exchanges += 1;
    }
  }
  return { households, items, checks, rounds, exchanges };
}
