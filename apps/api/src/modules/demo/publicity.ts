// The demo's publicity campaign (宣传发动, MECHANISM.md §2): the article's targets (8,000 proposal
// letters, 30 lectures, 1,000 people reached) for the demo town over a year from the start of the
// demo's history, and what was done in the months so far: letters through every village and the
// town's schools, the patrol van's rounds village by village and the village loudspeakers mornings
// and evenings, banners counted per village (some villages short of the 5–10 the rule asks by their
// size), the town's WeChat posts (the best read 6,838 times, as in the article) and the lectures.
// Generated, each record noted 演示数据: the schools' names, the post titles, all the numbers
// except the article's. Every record passes the same rules as one entered on the screens.
import { rows, sql, type Db } from '../../db/client.js';
import { todayInChina } from '../../lib/dates.js';
import { seeded } from '../areas/allocate.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as people from '../people/people.repository.js';
import { addDays } from '../routines/periods.rules.js';
import * as repo from '../publicity/publicity.repository.js';
import { DEFAULT_BANNER_RULE, checkRecord, requiredBanners, type RecordInput, type RecordValue } from '../publicity/publicity.rules.js';
import { DEMO_TOWN } from './demo.js';
import { historyStart } from './routines.js';

export const DEMO_CAMPAIGN = '城乡环境综合整治宣传发动';
const NOTE = '演示数据';

const SCHOOLS = [['新城镇中心小学', 900], ['新城镇中学', 700], ['新城镇中心幼儿园', 250]] as const;
const POSTS = [
  '致全镇居民的一封信：城乡环境综合整治倡议书',
  '“1357”工作机制：新城镇环境整治全面启动',
  '网格员在行动：141个中网格、228个微网格全覆盖',
  '拆除残垣断壁，还村庄整洁面貌',
  '户厕改革进村入户，群众拍手称赞',
  '每月一清洁：全民清洁日党员志愿者齐上阵',
  '整改进行时：三天工作法跑出加速度',
  '最美庭院评选结果出炉',
  '每月一观摩：看先进、找差距',
  '秸秆清理不留死角，路域环境焕然一新',
  '美在家庭示范户：小院里的大文明',
  '门前三包，家家有责',
  '村规民约写进环境卫生条款',
  '宣讲进村：以文化人，共建美丽家园',
];
const TOPICS = ['城乡环境综合整治政策宣讲', '垃圾分类进万家', '村规民约与门前三包', '最美庭院评选动员会', '文明示范村创建宣讲'];

/** Creates the demo campaign and its records; returns what it made. Refuses to run twice. */
export async function setupPublicityDemo(db: Db, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const today = todayInChina(now);
  const rand = seeded(370321107 + 2);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  const [town] = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM area WHERE code = ${DEMO_TOWN}`);
  if (!town) throw new Error('the demo town is missing: run setupDemo first');
  const [done] = await rows(db, sql`SELECT 1 FROM publicity_campaign WHERE scope_area_id = ${town.id} AND name = ${DEMO_CAMPAIGN}`);
  if (done) return { campaignId: null, records: 0 };
  const desk = await people.userByName(db, 'zhenadmin');
  const villages = (await rows<{ id: number; name: string; households: number | null; size_class: string | null }>(db, sql`SELECT id, name, households, size_class
    FROM area WHERE level_key = 'village' AND archived_at IS NULL AND path LIKE ${`${town.path}%`} ORDER BY code`))
    .map((v) => ({ ...v, id: Number(v.id), households: v.households === null ? null : Number(v.households) }));

  const startsOn = historyStart(today);
  const endsOn = addDays(`${Number(startsOn.slice(0, 4)) + 1}${startsOn.slice(4)}`, -1);
  const days = Math.max(1, Math.round((Date.parse(today) - Date.parse(startsOn)) / 86_400_000) + 1);
  /** A day between the fractions `from` and `to` (0–1) of the time so far. */
  const dayIn = (from: number, to: number) => addDays(startsOn, Math.min(days - 1, Math.floor((from + rand() * (to - from)) * days)));

  const list: RecordInput[] = [];
  // Letters: through every village in the first weeks, and through the schools.
  for (const v of villages) list.push({ kind: 'letter', areaId: v.id, on: dayIn(0, 0.15), quantity: Math.max(50, Math.round(((v.households ?? 600) * 0.24 + between(-20, 20)) / 10) * 10), note: NOTE });
  for (const [school, n] of SCHOOLS) list.push({ kind: 'letter', place: school, on: dayIn(0.02, 0.2), quantity: n, note: NOTE });
  // Audio: the patrol van village by village (2–4 rounds each), the loudspeakers mornings and evenings every month.
  for (const v of villages) {
    for (let i = between(2, 4); i > 0; i--) list.push({ kind: 'audio', mode: 'van', areaId: v.id, on: dayIn(0, 1), quantity: between(1, 3), note: NOTE });
    for (let m = 0; m < days; m += 30) {
      const span = Math.min(30, days - m);
      if (span < 3) break;
      list.push({ kind: 'audio', mode: 'loudspeaker', areaId: v.id, on: addDays(startsOn, m + span - 1), quantity: Math.max(1, span * 2 - between(0, 6)), note: NOTE });
    }
  }
  // Banners: counted in each village early on, some recounted later; about one village in six stays short.
  for (const v of villages) {
    const need = requiredBanners(DEFAULT_BANNER_RULE, { households: v.households, sizeClass: v.size_class }).required;
    const short = rand() < 0.17;
    const first = short ? Math.max(1, need - between(1, 3)) : need - between(0, 2);
    list.push({ kind: 'banner', areaId: v.id, on: dayIn(0.05, 0.3), quantity: first, note: NOTE });
    if (!short && first < need) list.push({ kind: 'banner', areaId: v.id, on: dayIn(0.4, 0.9), quantity: Math.min(10, need + between(0, 1)), note: NOTE });
  }
  // WeChat posts through the months; the most read one 6,838 times.
  const best = Math.floor(POSTS.length / 2);
  POSTS.forEach((title, i) => {
    const on = addDays(startsOn, Math.min(days - 1, Math.floor(((i + 0.5) / POSTS.length) * days)));
    list.push({ kind: 'wechat', title, on, reads: i === best ? 6838 : between(900, 5200), note: NOTE });
  });
  // Lectures: in villages (18–40 people) and at the town's culture station (60–90).
  for (let i = 0; i < 26; i++) {
    const atTown = i % 6 === 0;
    list.push({ kind: 'lecture', title: pick(TOPICS), ...(atTown ? { place: '镇文化站' } : { areaId: pick(villages).id }), on: dayIn(0.03, 1),
      attendance: atTown ? between(60, 90) : between(18, 40), note: NOTE });
  }

  const window = { startsOn, endsOn, today };
  const values: RecordValue[] = list.map((r) => {
    const c = checkRecord(r, window);
    if (!c.ok) throw new Error(`demo publicity record refused: ${c.problems[0]!.message}`);
    return c.value;
  });
  return db.transaction(async (tx) => {
    const campaignId = await repo.insertCampaign(tx, { scopeAreaId: town.id, name: DEMO_CAMPAIGN, startsOn, endsOn,
      targets: { letters: 8000, lectures: 30, attendees: 1000 }, by: desk?.id ?? null });
    for (const v of values) await repo.insertRecord(tx, campaignId, v, desk?.id ?? null);
    await appendAudit(tx, { actorId: null, actorName: 'system', action: 'demo.publicity', entity: 'publicity_campaign', entityId: campaignId,
      after: { name: DEMO_CAMPAIGN, startsOn, endsOn, records: values.length } });
    return { campaignId, records: values.length };
  });
}
