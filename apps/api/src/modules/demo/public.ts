// Residents' reports for the demo town: a couple a day over the past months, sent through the
// public intake itself (so placement, photos, limits and audit are real), handled through the case
// services, most reviewed by the desk, and rated by their reporters once closed; one is reopened.
// A dozen demo residents report with their phones, so their points and the 12345 rates have data.
import { rows, sql, type Db } from '../../db/client.js';
import { seeded } from '../areas/allocate.js';
import type { Actor } from '../access/policy.js';
import { assignees, takeStep, type StepInput } from '../cases/cases.service.js';
import { caseById } from '../cases/cases.repository.js';
import { uploadPhoto } from '../evidence/evidence.service.js';
import type { PhotoStore } from '../evidence/storage.js';
import { rate, reopen, review, submitReport } from '../intake/intake.service.js';
import { actorByName, centreOf, picture } from './cases.js';
import { DEMO_TOWN } from './demo.js';

const H = 3_600_000;
/** Demo residents (invented numbers in a reserved-looking range). */
export const DEMO_RESIDENTS = Array.from({ length: 12 }, (_, i) => ({ phone: `1870000${String(1001 + i).padStart(4, '0')}`, name: ['王秀英', '李建国', '张丽', '刘强', '陈静', '杨帆', '赵敏', '黄磊', '周芳', '吴军', '徐娟', '孙涛'][i]! }));
const TEXTS: Record<string, string[]> = {
  暴露垃圾: ['村口路边有一堆垃圾好几天了', '小学门口有垃圾没人清理'],
  乱堆物堆料: ['邻居在路边堆了砖头，晚上看不见', '胡同里堆满杂物，车过不去'],
  道路不洁: ['下雨后路面全是泥', '集市散了以后路上很脏'],
  秸秆柴草乱堆: ['路边柴草垛挨着电线杆', '麦秸堆在路中间'],
  '垃圾桶（箱）满溢': ['垃圾桶满了两天没人拉', '垃圾箱旁边全是垃圾'],
  乱贴乱画: ['新刷的墙又被贴了小广告'],
  公共设施损坏: ['广场健身器材坏了，孩子容易受伤', '路灯不亮一个星期了'],
  水域不洁: ['村南大湾里有很多塑料瓶'],
};

export async function generateDemoPublicReports(db: Db, store: PhotoStore, opts: { days?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 60;
  const [town] = await rows<{ path: string }>(db, sql`SELECT path FROM area WHERE code = ${DEMO_TOWN}`);
  if (!town) throw new Error('the demo town is not set up');
  const micro = await rows<{ id: number; boundary: unknown }>(db, sql`SELECT id, boundary FROM area
    WHERE level_key = 'micro_grid' AND boundary IS NOT NULL AND path LIKE ${`${town.path}%`} ORDER BY code`);
  const cats = (await rows<{ code: string; name: string }>(db, sql`SELECT code, name FROM case_category WHERE parent_id IS NOT NULL AND active AND public_visible`))
    .filter((c) => TEXTS[c.name]);
  if (!micro.length || !cats.length) return { reports: 0 };
  const desk = await actorByName(db, 'zhenadmin');
  const cache = new Map<number, Actor>();
  const byId = async (userId: number) => {
    if (!cache.has(userId)) {
      const [u] = await rows<{ username: string }>(db, sql`SELECT username FROM app_user WHERE id = ${userId}`);
      cache.set(userId, await actorByName(db, u!.username));
    }
    return cache.get(userId)!;
  };
  const rand = seeded(20261129);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const todayStart = Date.parse(`${new Date(now.getTime() + 8 * H).toISOString().slice(0, 10)}T08:00:00+08:00`);
  let made = 0; let reopened = false;
  for (let d = days; d >= 0; d--) {
    const n = rand() < 0.35 ? 0 : rand() < 0.7 ? 1 : 2;
    for (let i = 0; i < n; i++) {
      const reportedAt = new Date(todayStart - d * 24 * H + (rand() * 13 - 1) * H);
      if (reportedAt > now) continue;
      const m = pick(micro);
      const c = centreOf(m.boundary);
      if (!c) continue;
      const cat = pick(cats);
      const who = rand() < 0.8 ? pick(DEMO_RESIDENTS) : null;
      const s = await submitReport(db, store, {
        fields: { category: cat.code, description: pick(TEXTS[cat.name]!), lat: c[1] + (rand() - 0.5) * 0.0006, lng: c[0] + (rand() - 0.5) * 0.0006,
          phone: who?.phone, name: who?.name },
        photos: [await picture(rand)], channel: 'web', partnerId: null, ip: `198.51.100.${made % 250}`, requirePhoto: true, needLocation: true,
      }, { now: reportedAt, demo: true });
      made += 1;
      const id = s.caseId;
      let t = reportedAt.getTime();
      const next = (hours: number) => { t += hours * H; return t <= now.getTime() ? new Date(t) : null; };
      const step = async (a: Actor, action: StepInput['action'], when: Date, extra: Partial<StepInput> = {}) => {
        const cur = (await caseById(db, id))!;
        await takeStep(db, a, id, { action, version: cur.version, ...extra }, { now: when, detail: false });
      };
      // The desk looks at most of them the same day (review makes the text and photos public).
      if (rand() < 0.9 && next(0.5 + rand() * 6)) await review(db, desk, id, {});
      if (rand() < 0.08) { const w = next(1); if (w) await step(desk, 'refuse', w, { reason: 'invalid', note: '现场核实无此问题' }); continue; }
      // Most are answered within the day; a few wait past 24 hours (the response rate is not 100%).
      const r1 = next(rand() < 0.85 ? 1 + rand() * 6 : 26 + rand() * 20); if (!r1) continue;
      await step(desk, 'register', r1);
      const to = (await assignees(db, desk, id)).find((x) => x.suggested);
      if (!to) continue;
      const r2 = next(0.5); if (!r2) continue;
      await step(desk, 'dispatch', r2, { assigneeId: to.userId });
      const fixer = await byId(to.userId);
      const r3 = next(4 + rand() * 40); if (!r3) continue;
      await step(fixer, 'feedback', r3, { note: '已处理', photoIds: [(await uploadPhoto(db, fixer, await picture(rand), store)).id] });
      const r4 = next(2 + rand() * 20); if (!r4) continue;
      await step(desk, 'pass', r4, { note: '核查通过' });
      const r5 = next(3 + rand() * 30); if (!r5) continue;
      const full = (await rows<{ token: string }>(db, sql`SELECT token FROM public_report WHERE case_id = ${id}`))[0]!;
      if (!reopened && d > 10 && rand() < 0.3) {
        await rate(db, s.no, { token: full.token, rating: 'unsatisfied', note: '旁边还有没清理的' }, r5);
        await reopen(db, s.no, { token: full.token, reason: '旁边还有没清理的' }, r5);
        reopened = true;
        continue;
      }
      if (rand() < 0.75) {
        const x = rand();
        await rate(db, s.no, { token: full.token, rating: x < 0.7 ? 'satisfied' : x < 0.92 ? 'basically' : 'unsatisfied' }, r5);
      }
    }
  }
  return { reports: made };
}
