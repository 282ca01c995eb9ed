// A month of plausible case history for the demo town, made through the case services themselves
// (so every rule, step, deadline, photo and audit entry is real). Times are spread over working
// hours; most fixes come on time, some late, some are reworked, a few are refused; the most recent
// cases are still open, and some of those are overdue. Photos are generated pictures without
// capture data, so the checker sees them flagged as such. Everything is marked demo.
import sharp from 'sharp';
import { rows, sql, type Db } from '../../db/client.js';
import { seeded } from '../areas/allocate.js';
import * as people from '../people/people.repository.js';
import type { Actor } from '../access/policy.js';
import { assignees, reportCase, sweepDeadlines, takeStep, type StepInput } from '../cases/cases.service.js';
import { caseById } from '../cases/cases.repository.js';
import { uploadPhoto } from '../evidence/evidence.service.js';
import type { PhotoStore } from '../evidence/storage.js';
import { DEMO_TOWN } from './demo.js';

const H = 3_600_000;
const DESCRIPTIONS: Record<string, string[]> = {
  暴露垃圾: ['路边有一堆生活垃圾未清理', '村口垃圾散落在路肩', '沟边有塑料袋和饭盒'],
  积存垃圾渣土: ['建房后的渣土堆在路边', '空地上积存垃圾渣土约 3 方'],
  乱堆物堆料: ['门前堆放砖块木料', '街道两侧堆放杂物影响通行'],
  道路不洁: ['主街路面有泥土和落叶', '路面有洒落的饲料和泥块'],
  水域不洁: ['排水沟内有漂浮垃圾', '坑塘水面有塑料瓶'],
  绿地脏乱: ['游园绿地内有烟头纸屑', '绿化带里有生活垃圾'],
  秸秆柴草乱堆: ['路边柴草垛占道', '村西秸秆乱堆有火灾隐患'],
  废弃车辆: ['路边停放一辆报废三轮车', '废弃面包车长期占道'],
  '垃圾桶（箱）满溢': ['垃圾桶满溢未及时清运', '垃圾箱周边散落垃圾'],
  私搭乱建: ['院外私搭彩钢棚', '路边违规搭建简易房'],
  残垣断壁: ['废弃院落的残墙有倒塌风险', '村北残垣断壁影响村容'],
  乱贴乱画: ['墙面张贴小广告', '电线杆上乱贴广告'],
  乱拉乱挂: ['门前乱拉晾衣绳', '街边乱挂横幅破损'],
  杂物清运: ['闲置院落杂物成堆', '房后杂物需清运'],
  户厕问题: ['户厕化粪池盖板破损', '改厕户冲水设施损坏'],
  公厕不洁: ['村公厕卫生差有异味'],
  公共设施损坏: ['健身器材损坏', '路灯杆倾斜'],
  路域环境脏乱: ['省道沿线有垃圾和杂草', '路肩堆放杂物'],
  路边秸秆焚烧隐患: ['路边秸秆堆放，存在焚烧隐患'],
  道路破损: ['村内道路出现坑洼'],
};

/** A generated photo: coloured blocks from the seed, so every picture (and its hash) differs. */
export async function picture(rand: () => number): Promise<Buffer> {
  const n = 12; const size = 192;
  const raw = Buffer.alloc(n * n * 3);
  const base = [rand() * 120 + 60, rand() * 120 + 60, rand() * 120 + 40];
  for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) raw[i * 3 + c] = Math.max(0, Math.min(255, base[c]! + (rand() - 0.5) * 180));
  return sharp(raw, { raw: { width: n, height: n, channels: 3 } }).resize(size, size, { kernel: 'nearest' }).jpeg({ quality: 70 }).toBuffer();
}

export async function actorByName(db: Db, username: string): Promise<Actor> {
  const u = await people.userByName(db, username);
  if (!u) throw new Error(`demo user ${username} is missing`);
  return { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: false, grants: await people.grantsOf(db, u.id) };
}

/** Working time of a day (China time) at hour h (8.5–17.5). */
const at = (dayStart: number, hour: number) => new Date(dayStart + (hour - 8) * H);

export async function generateDemoCases(db: Db, store: PhotoStore, opts: { days?: number; perDay?: number; historyDays?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 30;
  const [town] = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM area WHERE code = ${DEMO_TOWN}`);
  if (!town) throw new Error('the demo town is not set up');
  const micro = await rows<{ id: number; code: string; path: string; district: string | null; boundary: unknown }>(db, sql`
    SELECT m.id, m.code, m.path, m.boundary, (SELECT d.code FROM area d WHERE d.level_key = 'district' AND m.path LIKE d.path || '%') AS district
    FROM area m WHERE m.level_key = 'micro_grid' AND m.path LIKE ${`${town.path}%`} ORDER BY m.code`);
  const cats = (await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM case_category WHERE parent_id IS NOT NULL AND active ORDER BY sort`))
    .map((c) => ({ id: Number(c.id), name: c.name }));
  // Garbage and clutter are most of what a grid worker finds.
  const weighted = cats.flatMap((c) => Array(['暴露垃圾', '乱堆物堆料', '积存垃圾渣土', '道路不洁', '秸秆柴草乱堆'].includes(c.name) ? 4 : 1).fill(c));
  // Who answers for each micro-grid today: its grid worker.
  const holders = await rows<{ areaId: number; username: string }>(db, sql`SELECT m.id AS "areaId", u.username FROM area m
    JOIN responsibility r ON r.area_id = m.parent_id AND r.kind = 'grid_worker_grid' AND r.valid_to IS NULL
    JOIN app_user u ON u.id = r.user_id WHERE m.level_key = 'micro_grid'`);
  const workerOf = new Map(holders.map((h) => [Number(h.areaId), h.username]));
  const cache = new Map<string, Actor>();
  const actor = async (name: string) => cache.get(name) ?? cache.set(name, await actorByName(db, name)).get(name)!;
  const officeOf: Record<string, string> = {};
  for (const r of await rows<{ code: string; username: string }>(db, sql`SELECT a.code, u.username FROM responsibility r
    JOIN area a ON a.id = r.area_id JOIN app_user u ON u.id = r.user_id WHERE r.kind = 'office_district'`)) officeOf[r.code] = r.username;
  const desk = await actor('zhenadmin');
  // Each case draws from its own seeded generator, so cases can be made four at a time (photos are
  // processed while the database works) and the result is still the same every time.
  const plans: { day: number; index: number; rand: () => number }[] = [];
  const todayStart = Date.parse(`${new Date(now.getTime() + 8 * H).toISOString().slice(0, 10)}T08:00:00+08:00`);
  for (let d = days; d >= 0; d--) {
    const dayStart = todayStart - d * 24 * H;
    const weekday = new Date(dayStart + 8 * H).getUTCDay();
    const perDay = weekday === 0 || weekday === 6 ? 2 : (opts.perDay ?? 8);
    for (let i = 0; i < perDay; i++) plans.push({ day: dayStart, index: i, rand: seeded(20261128 + plans.length * 7919) });
  }
  // Older history, thinner (2 a working day, 1 at weekends), so that past months and quarters have
  // case figures to score; their own seeds leave the last month's cases as they were.
  for (let d = days + 1, k = 0; d <= days + (opts.historyDays ?? 0); d++) {
    const dayStart = todayStart - d * 24 * H;
    const weekday = new Date(dayStart + 8 * H).getUTCDay();
    for (let i = 0; i < (weekday === 0 || weekday === 6 ? 1 : 2); i++, k++) plans.push({ day: dayStart, index: i, rand: seeded(20250611 + k * 7919) });
  }
  let made = 0;
  const one = async ({ day: dayStart, index: i, rand }: (typeof plans)[number]) => {
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const weekday = new Date(dayStart + 8 * H).getUTCDay();
    const m = pick(micro);
    const cat = pick(weighted);
    // Mondays: the offices' weekly supervision feeds problems back to the district (三天工作法).
    const supervision = weekday === 1 && i < 3 && m.district && officeOf[m.district];
    const reporterName = supervision ? officeOf[m.district!]! : rand() < 0.1 ? 'zhenadmin' : workerOf.get(Number(m.id));
    if (!reporterName) return;
    const reporter = await actor(reporterName);
    const reportedAt = at(dayStart, 8.5 + rand() * 8.5);
    if (reportedAt > now) return;
    const source = supervision ? 'supervision' : reporterName === 'zhenadmin' ? pick(['phone', 'feedback'] as const) : 'field';
    const centre = centreOf(m.boundary);
    const photos = async (a: Actor) => [(await uploadPhoto(db, a, await picture(rand), store)).id];
    const c = await reportCase(db, reporter, {
      source, categoryId: cat.id, areaId: Number(m.id), description: pick(DESCRIPTIONS[cat.name] ?? ['发现问题，请处理']),
      lat: centre ? centre[1] + (rand() - 0.5) * 0.0008 : null, lng: centre ? centre[0] + (rand() - 0.5) * 0.0008 : null,
      photoIds: await photos(reporter),
    }, { now: reportedAt, demo: true, detail: false });
    made += 1;
    const id = c.case.id;
    // About a quarter of the last ten days' cases stall at some step, so every state shows and
    // some of the stalled ones run past their deadline (超期).
    const recent = now.getTime() - reportedAt.getTime() < 10 * 24 * H;
    const stall = recent && rand() < 0.25 ? pick(['reported', 'registered', 'dispatched', 'fixing', 'fixing', 'fixed'] as const) : null;
    let t = reportedAt.getTime();
    const next = (hours: number) => { t += hours * H; return t <= now.getTime() ? new Date(t) : null; };
    const step = async (a: Actor, action: StepInput['action'], when: Date, extra: Partial<StepInput> = {}) => {
      const cur = (await caseById(db, id))!;
      await takeStep(db, a, id, { action, version: cur.version, ...extra }, { now: when, detail: false });
    };
    if (rand() < 0.05) {
      const w = next(1 + rand() * 3); if (!w) return;
      await step(desk, 'refuse', w, { reason: 'invalid', note: '经核实问题已不存在' });
      return;
    }
    if (stall === 'reported') return;
    const r1 = next(0.3 + rand() * 2.5); if (!r1) return;
    await step(desk, 'register', r1);
    if (stall === 'registered') return;
    const options = await assignees(db, desk, id);
    const to = options.find((x) => x.suggested) ?? options[0];
    if (!to) return;
    const r2 = next(rand() * 1.5); if (!r2) return;
    await step(desk, 'dispatch', r2, { assigneeId: to.userId });
    if (stall === 'dispatched') return;
    const fixer = await actorById(to.userId);
    const r3 = next(0.2 + rand() * 3); if (!r3) return;
    await step(fixer, 'accept', r3);
    if (stall === 'fixing') return;
    const dueAt = (await caseById(db, id))!.dueAt;
    const due = dueAt ? dueAt.getTime() : t + 48 * H;
    // Most fixes land before the deadline; about one in six is late.
    const late = rand() < 0.17;
    let fixAt = late ? due + (2 + rand() * 40) * H : t + (due - t) * (0.2 + rand() * 0.75);
    let round = 0;
    for (;;) {
      if (fixAt > now.getTime()) break;
      t = fixAt;
      await step(fixer, 'feedback', new Date(t), { note: '已按要求整改', photoIds: await photos(fixer) });
      if (stall === 'fixed') break;
      const checkAt = next(2 + rand() * 20); if (!checkAt) break;
      const checker = m.district && officeOf[m.district] && rand() < 0.5 ? await actor(officeOf[m.district]!) : desk;
      if (round === 0 && rand() < 0.12) {
        await step(checker, 'rework', checkAt, { note: pick(['现场仍有残留，需彻底清理', '整改不到位，请返工']) });
        round += 1;
        fixAt = t + (4 + rand() * 20) * H;
        continue;
      }
      await step(checker, 'pass', checkAt, { note: '现场核查通过' });
      break;
    }
  };
  const byId = new Map<number, Actor>();
  const actorById = async (userId: number) => byId.get(userId) ?? byId.set(userId, await actor((await people.userById(db, userId))!.username)).get(userId)!;
  for (let i = 0; i < plans.length; i += 4) await Promise.all(plans.slice(i, i + 4).map(one));
  // Escalate what is overdue now, as the job queue would have.
  await sweepDeadlines(db, now);
  return { cases: made };
}

export function centreOf(boundary: unknown): [number, number] | null {
  const g = boundary as { type?: string; coordinates?: number[][][] } | null;
  const ring = g?.type === 'Polygon' ? g.coordinates?.[0] : undefined;
  if (!ring?.length) return null;
  const xs = ring.map((p) => p[0]!); const ys = ring.map((p) => p[1]!);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}
