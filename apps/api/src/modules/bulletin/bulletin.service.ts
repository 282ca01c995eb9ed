// The daily bulletin (每天通报, 三天工作法): computed for a town or district and a day, previewed by
// anyone who reads the area, issued (stored, never changed) by the town's leadership, administrators
// or the supervising offices. A correction is a new version with its reason.
import type { Db } from '../../db/client.js';
import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { todayInChina } from '../../lib/dates.js';
import { assertRead, readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import type { AreaRow } from '../areas/areas.repository.js';
import { answerable } from '../people/people.repository.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { hoursPerDay, workingTimeBetween } from '../calendar/deadline.rules.js';
import { notify } from '../notify/notify.service.js';
import * as repo from './bulletin.repository.js';
import {
  DEFINITIONS, buildTable, calendarDays, hoursUntil, checkDay, checkScopeLevel, dayWindow, mayIssue, nextVersion, overdueText,
  pathIds, pickAnswerable, shortText, type BulletinContent, type OverdueItem, type Responsibility,
} from './bulletin.rules.js';
import { bulletinWorkbook } from './bulletin.xlsx.js';

async function scopeArea(db: Db, areaId: number): Promise<AreaRow> {
  const a = await areas.findById(db, areaId);
  if (!a) throw notFound(`区域 ${areaId} 不存在 (no such area)`);
  return a;
}

/** The overdue cases at the end of the day, each with who answers for it that day. */
async function overdueList(db: Db, day: string, scopePath: string, end: Date): Promise<OverdueItem[]> {
  const list = await repo.overdueCases(db, scopePath, end);
  if (list.length === 0) return [];
  const paths = new Map(list.map((c) => [c.areaId, c.areaPath]));
  const allIds = [...new Set([...paths.values()].flatMap(pathIds))];
  // Who answered that day: the chain as the tree stood then (from the path unless something on it moved since).
  const chains = new Map<number, number[]>();
  const moved = await repo.movedSince(db, allIds, end);
  for (const [id, path] of paths) {
    chains.set(id, moved ? await areas.ancestorIdsOn(db, { id, path }, end) : pathIds(path).reverse());
  }
  const chainIds = [...new Set([...chains.values()].flat())];
  const byArea = new Map<number, Responsibility[]>();
  for (const r of await answerable(db, chainIds, day)) {
    const k = Number(r.areaId);
    const here = byArea.get(k) ?? [];
    here.push({ kind: r.kind, areaId: k, userId: r.userId == null ? null : Number(r.userId), userName: r.userName, holderName: r.holderName });
    byArea.set(k, here);
  }
  const names = new Map((await repo.areaNames(db, allIds)).map((a) => [a.id, a]));
  const cal = await loadCalendar(db);
  const perDay = hoursPerDay(cal.hours);
  const at = (path: string, level: string) => pathIds(path).map((i) => names.get(i)).find((a) => a?.level === level)?.name ?? null;
  const overdueHours = hoursUntil(end, (a, b) => workingTimeBetween(a, b, cal));
  return list.map((c) => {
    const hours = Math.max(0, overdueHours(c.dueAt));
    return {
      caseId: c.id, no: c.no, categoryName: c.categoryName, areaId: c.areaId, areaName: c.areaName,
      districtName: at(c.areaPath, 'district'), villageName: at(c.areaPath, 'village'),
      gridName: at(c.areaPath, 'grid'), microGridName: at(c.areaPath, 'micro_grid'),
      description: shortText(c.description), reportedAt: c.reportedAt.toISOString(), dueAt: c.dueAt.toISOString(),
      overdueWorkHours: Math.round(hours * 10) / 10, overdueText: overdueText(hours, perDay), overdueDays: calendarDays(c.dueAt, end),
      assignee: c.assigneeId == null ? null : { userId: c.assigneeId, name: c.assigneeName ?? '' },
      ...pickAnswerable(chains.get(c.areaId)!, byArea),
    };
  });
}

/** The bulletin of a scope (town or district) for a day, computed now. */
export async function computeBulletin(db: Db, scope: AreaRow, day: string): Promise<BulletinContent> {
  const w = dayWindow(day);
  const [scopeList, counts, overdue] = await Promise.all([
    repo.scopeAreas(db, scope.path),
    repo.countsByArea(db, scope.path, w),
    overdueList(db, day, scope.path, w.end),
  ]);
  const self = { id: scope.id, code: scope.code, name: scope.name, level: scope.level, parentId: scope.parentId, path: scope.path, archived: scope.archivedAt != null };
  const { totals, groups } = buildTable(self, scopeList, counts);
  return {
    scope: { id: scope.id, name: scope.name, code: scope.code, level: scope.level },
    day, generatedAt: new Date().toISOString(), totals, groups, overdue, definitions: DEFINITIONS,
  };
}

/** GET /bulletins/preview: anyone who reads the area. */
export async function preview(db: Db, actor: Actor, areaId: number, day?: string): Promise<BulletinContent> {
  const d = checkDay(day ?? todayInChina(), todayInChina());
  const scope = await scopeArea(db, areaId);
  assertRead(actor, scope.path);
  checkScopeLevel(scope.level, scope.name);
  return computeBulletin(db, scope, d);
}

export interface IssueInput { areaId: number; day: string; note?: string | null }

function assertIssuer(actor: Actor, scope: AreaRow) {
  if (!mayIssue(actor.grants, scope.path)) {
    throw forbidden(`无权发布“${scope.name}”的通报：需要本镇（或管区）的镇领导、镇管理员或督查科室角色 (needs a town leadership, administrator or office role here)`);
  }
}

/** POST /bulletins: stores the day's bulletin as the next version; a correction needs a note. */
export async function issue(db: Db, actor: Actor, input: IssueInput) {
  const day = checkDay(input.day, todayInChina());
  const scope = await scopeArea(db, input.areaId);
  assertRead(actor, scope.path);
  checkScopeLevel(scope.level, scope.name);
  assertIssuer(actor, scope);
  const note = input.note?.trim() || null;
  // Read outside the transaction: two issuers racing both read the same last version, and the
  // unique (scope, day, version) index lets exactly one of them store it; the other gets 409.
  const version = nextVersion(await repo.lastVersion(db, scope.id, day), note);
  const content = await computeBulletin(db, scope, day);
  try {
    const stored = await db.transaction(async (tx) => {
      const r = await repo.insertBulletin(tx, { scopeAreaId: scope.id, day, version, content, note, issuedBy: actor.id });
      await appendAudit(tx, {
        actorId: actor.id, actorName: actor.displayName, action: 'bulletin.issue', entity: 'bulletin', entityId: r.id,
        after: { scopeAreaId: scope.id, scope: scope.name, day, version, note, totals: content.totals, overdueCases: content.overdue.map((o) => o.no) },
      });
      const userIds = (await repo.recipients(tx, scope.path, day)).filter((u) => u !== actor.id);
      const t = content.totals;
      const title = `${scope.name} ${day} 每日通报${version > 1 ? `（第 ${version} 版更正）` : ''}已发布`;
      const body = `新发现 ${t.new}，整改完成 ${t.fixed}，超期未改 ${t.overdue}，返工 ${t.reworked}${t.onTimeRate === null ? '' : `，按期率 ${(t.onTimeRate * 100).toFixed(1)}%`}${note ? `。更正说明：${note}` : ''}`;
      await notify(tx, { userIds, kind: 'bulletin.issued', title, body, areaPath: scope.path,
        payload: { bulletinId: r.id, scopeAreaId: scope.id, day, version, totals: t } });
      return r;
    });
    return {
      id: stored.id, scopeAreaId: scope.id, scopeName: scope.name, day, version, note,
      issuedAt: stored.issuedAt.toISOString(), issuedBy: actor.id, issuedByName: actor.displayName, content,
    };
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw conflict('BULLETIN_VERSION_TAKEN', `“${scope.name}” ${day} 的第 ${version} 版通报刚刚已由他人发布，请刷新查看后再决定是否发布更正 (someone issued this version just now)`,
        [{ field: 'day', message: 'version taken' }]);
    }
    throw e;
  }
}

/** GET /bulletins: issued versions the actor can read (of one scope, or everywhere they read), newest first. */
export async function list(db: Db, actor: Actor, f: { areaId?: number; day?: string; limit?: number }) {
  if (f.day) checkDay(f.day, '9999-12-31');
  if (f.areaId) assertRead(actor, (await scopeArea(db, f.areaId)).path);
  const items = await repo.listBulletins(db, { roots: readRoots(actor), scopeAreaId: f.areaId, day: f.day, limit: Math.min(f.limit ?? 30, 200) });
  return items.map((b) => ({
    id: b.id, scopeAreaId: b.scopeAreaId, scopeName: b.scopeName, scopeCode: b.scopeCode, day: b.day, version: b.version,
    issuedAt: b.issuedAt.toISOString(), issuedBy: b.issuedBy, issuedByName: b.issuedByName, note: b.note,
  }));
}

/** GET /bulletins/:id: as issued, never recomputed. */
export async function get(db: Db, actor: Actor, id: number) {
  const b = await repo.bulletinById(db, id);
  if (!b) throw notFound(`通报 ${id} 不存在 (no such bulletin)`);
  assertRead(actor, b.scopePath, '该通报');
  return {
    id: b.id, scopeAreaId: b.scopeAreaId, scopeName: b.scopeName, scopeCode: b.scopeCode, day: b.day, version: b.version, note: b.note,
    issuedAt: b.issuedAt.toISOString(), issuedBy: b.issuedBy, issuedByName: b.issuedByName, content: b.content,
  };
}

const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '');

export async function exportIssued(db: Db, actor: Actor, id: number) {
  const b = await get(db, actor, id);
  const buffer = await bulletinWorkbook(b.content, { version: b.version, issuedAt: new Date(b.issuedAt), issuedByName: b.issuedByName, note: b.note });
  return { buffer, ascii: `bulletin-${b.scopeCode}-${b.day}-v${b.version}`, name: `${safe(b.scopeName)}每日通报-${b.day}-第${b.version}版` };
}

export async function exportPreview(db: Db, actor: Actor, areaId: number, day?: string) {
  const content = await preview(db, actor, areaId, day);
  const buffer = await bulletinWorkbook(content, null);
  return { buffer, ascii: `bulletin-${content.scope.code}-${content.day}-preview`, name: `${safe(content.scope.name)}每日通报-${content.day}-预览` };
}
