// Households (户) of a village: list, create, edit, import from .xlsx; and 门前三包 frontage checks,
// one grade per household and day, each earning points by the rules.
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound, type ErrorDetail } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { isIsoDate, todayInChina } from '../../lib/dates.js';
import { assertRead, assertWrite, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { cellText } from '../excel/cells.js';
import { readSheet, type Upload } from '../excel/workbook.js';
import * as repo from './rewards.repository.js';
import { areaFor, eventPoints, settleReportPoints } from './rewards.service.js';
import { FRONTAGE_GRADES, GRADE_ZH, maskPhone, normalisePhone, phoneHash, type FrontageGrade } from './rewards.rules.js';
import { phoneQuery } from '../../../../../packages/shared/src/personal.js';
import { holds } from '../access/duties.rules.js';
import { dutyTable } from '../access/duties.service.js';
import { auditRead } from '../audit/reads.js';
import { HOUSEHOLDS, householdsWorkbook } from './rewards.xlsx.js';

export interface HouseholdBody { no: string; headName: string; address?: string | null; phone?: string | null; members?: number | null; active?: boolean }

/** Checks and tidies a household; the problems name their fields. */
export function householdProblems(b: HouseholdBody): { value: repo.HouseholdInput; problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = [];
  const no = (b.no ?? '').trim();
  const headName = (b.headName ?? '').trim();
  if (!/^[0-9A-Za-z\u4e00-\u9fa5\-_#()（）]{1,20}$/.test(no)) problems.push({ field: 'no', message: `户号 1–20 位数字、字母或汉字，收到 "${no}"` });
  if (headName.length === 0 || headName.length > 30) problems.push({ field: 'headName', message: '户主姓名 1–30 字' });
  const address = b.address?.trim() || null;
  if (address && address.length > 100) problems.push({ field: 'address', message: '地址不超过 100 字' });
  let phone: string | null = null;
  if (b.phone != null && String(b.phone).trim() !== '') {
    phone = normalisePhone(String(b.phone));
    if (!phone) problems.push({ field: 'phone', message: `电话应为 11 位手机号或带区号的座机号，收到 "${b.phone}"` });
  }
  const members = b.members ?? null;
  if (members !== null && (!Number.isInteger(members) || members < 0 || members > 100)) problems.push({ field: 'members', message: '人口应为 0–100 的整数' });
  return { value: { no, headName, address, phone, members, active: b.active ?? true }, problems };
}

/** A household as every list and detail shows it: the phone masked (the whole number only through revealHouseholdPhone). */
const view = <H extends repo.HouseholdRow>(h: H): H => ({ ...h, phone: maskPhone(h.phone) });

/** Households under an area; a search of digits finds a phone by its whole number only, and that look-up is audited. */
export async function listHouseholds(db: Db, actor: Actor, q: { areaId: number; q?: string; includeInactive?: boolean; page?: number; pageSize?: number }) {
  const a = await areaFor(db, actor, q.areaId);
  const pageSize = q.pageSize ?? 50;
  const page = q.page ?? 1;
  const text = q.q?.trim() || undefined;
  const byPhone = phoneQuery(text);
  await settleReportPoints(db); // the balances shown include the reports' points
  const r = await repo.listHouseholds(db, { path: a.path, villageId: a.level === 'village' ? a.id : undefined, q: text, phone: byPhone?.phone ?? null,
    includeInactive: q.includeInactive, limit: pageSize, offset: (page - 1) * pageSize });
  if (byPhone?.phone) {
    await auditRead(db, actor, { action: 'personal.phone.search', entity: 'area', entityId: a.id, areaPath: a.path,
      after: { search: 'rewards.households', phone: maskPhone(byPhone.phone), found: r.total } });
  }
  return { ...r, items: r.items.map(view), page, pageSize };
}

export async function getHousehold(db: Db, actor: Actor, id: number) {
  const h = await repo.getHousehold(db, id);
  if (!h) throw notFound(`户 ${id} 不存在 (no such household)`);
  await areaFor(db, actor, h.areaId);
  return view(h);
}

/**
 * A household's whole phone number, for a call: only under the duty 查看完整手机号 (the route's), in
 * the areas where the reader holds it; every look is audited.
 */
export async function revealHouseholdPhone(db: Db, actor: Actor, id: number) {
  const h = await repo.getHousehold(db, id);
  if (!h) throw notFound(`户 ${id} 不存在 (no such household)`);
  assertRead(actor, h.villagePath, `${h.villageName}的户`);
  await auditRead(db, actor, { action: 'personal.phone.reveal', entity: 'household', entityId: h.id, areaPath: h.villagePath,
    after: { householdNo: h.no, phone: maskPhone(h.phone) } });
  return { id: h.id, phone: h.phone };
}

export async function createHousehold(db: Db, actor: Actor, body: HouseholdBody & { villageId: number }) {
  const v = await areaFor(db, actor, body.villageId, { write: true, village: true });
  const { value, problems } = householdProblems(body);
  if (problems.length) throw badInput(`户信息有误：${problems.map((p) => p.message).join('；')}`, problems);
  return db.transaction(async (tx) => {
    const id = await repo.insertHousehold(tx, v.id, value);
    if (id === null) throw conflict('HOUSEHOLD_EXISTS', `${v.name}已有户号 ${value.no} (the village already has this number)`);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.household.create', entity: 'household', entityId: id,
      after: { villageId: v.id, ...value, phone: maskPhone(value.phone) }, areaPath: v.path });
    return view((await repo.getHousehold(tx, id))!);
  });
}

export async function updateHousehold(db: Db, actor: Actor, id: number, body: Partial<HouseholdBody> & { version: number }) {
  return db.transaction(async (tx) => {
    const cur = await repo.getHousehold(tx, id, true);
    if (!cur) throw notFound(`户 ${id} 不存在 (no such household)`);
    assertWrite(actor, cur.villagePath, cur.villageName);
    // The phone is checked only when a new one is given (the screens never hold the whole number to send back).
    const { value, problems } = householdProblems({
      no: body.no ?? cur.no, headName: body.headName ?? cur.headName, address: body.address === undefined ? cur.address : body.address,
      phone: body.phone === undefined ? null : body.phone, members: body.members === undefined ? cur.members : body.members, active: body.active ?? cur.active,
    });
    if (body.phone === undefined) value.phone = cur.phone;
    if (problems.length) throw badInput(`户信息有误：${problems.map((p) => p.message).join('；')}`, problems);
    let ok: number | null;
    try {
      ok = await repo.updateHousehold(tx, id, body.version, value);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw conflict('HOUSEHOLD_EXISTS', `${cur.villageName}已有户号 ${value.no} (the village already has this number)`);
      }
      throw e;
    }
    if (ok === null) throw conflict('STALE', '该户已被他人修改，请刷新后再改 (changed by someone else)');
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.household.update', entity: 'household', entityId: id,
      before: { no: cur.no, headName: cur.headName, address: cur.address, phone: maskPhone(cur.phone), members: cur.members, active: cur.active },
      after: { ...value, phone: maskPhone(value.phone), phoneChanged: value.phone !== cur.phone }, areaPath: cur.villagePath });
    return view((await repo.getHousehold(tx, id))!);
  });
}

// ------------------------------------------------------------------ Excel

/**
 * The village's household list as the import template. Phones are whole only for a reader who holds
 * 查看完整手机号 there, masked for everyone else (a masked phone imported back leaves the phone as it
 * is); every download is audited.
 */
export async function householdsTemplate(db: Db, actor: Actor, villageId: number) {
  const v = await areaFor(db, actor, villageId, { village: true });
  const list = await repo.householdsOfVillage(db, v.id, false);
  const whole = holds(await dutyTable(db), { ...actor, grants: actor.grants.filter((g) => g.areaPath === null || v.path.startsWith(g.areaPath)) }, 'personal.reveal');
  const buffer = await householdsWorkbook(v.name, list.map((h) => [h.no, h.headName, h.address ?? '', (whole ? h.phone : maskPhone(h.phone)) ?? '', h.members ?? '', h.active ? '在册' : '停用']));
  await auditRead(db, actor, { action: 'personal.export', entity: 'household', entityId: null, areaPath: v.path,
    after: { export: 'households.xlsx', villageId: v.id, rows: list.length, phones: whole ? 'whole' : 'masked' } });
  return { buffer, ascii: `households-${v.code}`, name: `${v.name}户名册` };
}

/** Imports a village's household list: new 户号 are added, known ones updated; any bad row and nothing is written. */
export async function importHouseholds(db: Db, actor: Actor, villageId: number, upload: Upload) {
  const v = await areaFor(db, actor, villageId, { write: true, village: true });
  const raw = await readSheet(upload, HOUSEHOLDS, 5000); // read only after the village's check above
  const filed = new Map((await repo.householdsOfVillage(db, v.id, false)).map((h) => [h.no, h]));
  const details: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  const parsed: repo.HouseholdInput[] = [];
  for (const r of raw) {
    const membersText = cellText(r.cells.members);
    const members = membersText === '' ? null : Number(membersText);
    const status = cellText(r.cells.active);
    if (status && !['在册', '停用', '是', '否'].includes(status)) details.push({ row: r.row, column: '状态', message: `第 ${r.row} 行：状态填“在册”或“停用”，收到 "${status}"` });
    // A phone as the template showed it masked stands for the phone on file (unchanged).
    const no = cellText(r.cells.no);
    const phoneCell = cellText(r.cells.phone) || null;
    const onFile = phoneCell !== null && phoneCell.includes('*') ? filed.get(no) : undefined;
    const keep = onFile !== undefined && onFile.phone !== null && maskPhone(onFile.phone) === phoneCell;
    const { value, problems } = householdProblems({
      no, headName: cellText(r.cells.headName), address: cellText(r.cells.address) || null,
      phone: keep ? null : phoneCell, members: members !== null && Number.isNaN(members) ? -1 : members, active: !(status === '停用' || status === '否'),
    });
    if (keep) value.phone = onFile!.phone;
    const column: Record<string, string> = { no: '户号', headName: '户主', address: '地址', phone: '电话', members: '人口' };
    for (const p of problems) details.push({ row: r.row, column: column[p.field] ?? p.field, message: `第 ${r.row} 行：${p.message}` });
    if (value.no && seen.has(value.no)) details.push({ row: r.row, column: '户号', message: `第 ${r.row} 行：户号 ${value.no} 与第 ${seen.get(value.no)} 行重复` });
    seen.set(value.no, r.row);
    parsed.push(value);
  }
  if (details.length) throw badInput(`导入未进行：${details.length} 处问题，请改正后重新导入 (nothing imported)`, details, 'IMPORT_ERRORS');
  return db.transaction(async (tx) => {
    const existing = new Map((await repo.householdsOfVillage(tx, v.id, false)).map((h) => [h.no, h]));
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const h of parsed) {
      const cur = existing.get(h.no);
      if (!cur) {
        await repo.insertHousehold(tx, v.id, h);
        created++;
      } else if (cur.headName !== h.headName || cur.address !== h.address || cur.phone !== h.phone || cur.members !== h.members || cur.active !== h.active) {
        await repo.updateHousehold(tx, cur.id, cur.version, h);
        updated++;
      } else unchanged++;
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.household.import', entity: 'household', entityId: null,
      after: { villageId: v.id, rows: parsed.length, created, updated, unchanged }, areaPath: v.path });
    return { ok: true as const, rows: parsed.length, created: { households: created }, updated: { households: updated }, unchanged: { households: unchanged } };
  });
}

// ------------------------------------------------------------------ 门前三包

/** A village's active households with their check on a day (grade null: not yet checked). */
export async function frontageDay(db: Db, actor: Actor, q: { villageId: number; on?: string }) {
  const v = await areaFor(db, actor, q.villageId, { village: true });
  const on = q.on ?? todayInChina();
  if (!isIsoDate(on)) throw badInput(`日期应为 YYYY-MM-DD，收到 "${on}"`, [{ field: 'on', message: 'YYYY-MM-DD' }]);
  const list = await repo.householdsOfVillage(db, v.id, true);
  const checks = new Map((await repo.checksOn(db, list.map((h) => h.id), on)).map((c) => [c.householdId, c]));
  return {
    village: { id: v.id, name: v.name }, on,
    households: list.map((h) => {
      const c = checks.get(h.id);
      return { householdId: h.id, no: h.no, headName: h.headName, address: h.address, checkId: c?.id ?? null, grade: c?.grade ?? null,
        gradeName: c ? GRADE_ZH[c.grade] ?? c.grade : null, note: c?.note ?? null, byName: c?.byName ?? null, at: c?.at ?? null };
    }),
  };
}

/**
 * Records the day's grades for households of one village (one or many), each earning points by the
 * rule for its grade. One check per household and day: if any is already checked that day the whole
 * batch is refused (409, naming them) and nothing is written.
 */
export async function recordFrontage(db: Db, actor: Actor, body: { villageId: number; checkedOn?: string; items: { householdId: number; grade: string; note?: string | null }[] }, now = new Date()) {
  const v = await areaFor(db, actor, body.villageId, { write: true, village: true, what: '门前三包检查' });
  const today = todayInChina(now);
  const on = body.checkedOn ?? today;
  if (!isIsoDate(on)) throw badInput(`检查日期应为 YYYY-MM-DD，收到 "${on}"`, [{ field: 'checkedOn', message: 'YYYY-MM-DD' }]);
  if (on > today) throw badInput(`检查日期 ${on} 在今天之后 (a check cannot be dated in the future)`, [{ field: 'checkedOn', message: 'in the future' }]);
  const details: ErrorDetail[] = [];
  const ids = body.items.map((i) => i.householdId);
  body.items.forEach((i, n) => {
    if (!(FRONTAGE_GRADES as readonly string[]).includes(i.grade)) details.push({ field: `items.${n}.grade`, message: `等级应为 好（good）、一般（fair）或 差（poor），收到 "${i.grade}"` });
    if (ids.indexOf(i.householdId) !== n) details.push({ field: `items.${n}.householdId`, message: `户 ${i.householdId} 在本次提交中重复` });
    if (i.note && i.note.trim().length > 200) details.push({ field: `items.${n}.note`, message: '备注不超过 200 字' });
  });
  const found = new Map((await repo.householdsByIds(db, [...new Set(ids)])).map((h) => [h.id, h]));
  body.items.forEach((i, n) => {
    const h = found.get(i.householdId);
    if (!h || h.areaId !== v.id) details.push({ field: `items.${n}.householdId`, message: `户 ${i.householdId} 不是${v.name}的户` });
    else if (!h.active) details.push({ field: `items.${n}.householdId`, message: `${h.no} ${h.headName} 已停用` });
  });
  if (details.length) throw badInput(`门前三包检查有误：${details.map((d) => d.message).join('；')}`, details);
  const points = new Map<string, number>();
  for (const g of FRONTAGE_GRADES) points.set(g, await eventPoints(db, { event: 'frontage_check', grade: g }));
  return db.transaction(async (tx) => {
    const taken: ErrorDetail[] = [];
    const saved: { householdId: number; checkId: number; grade: string; points: number }[] = [];
    for (const [n, i] of body.items.entries()) {
      const id = await repo.insertCheck(tx, { householdId: i.householdId, checkedOn: on, grade: i.grade, note: i.note?.trim() || null, by: actor.id });
      const h = found.get(i.householdId)!;
      if (id === null) { taken.push({ field: `items.${n}.householdId`, message: `${h.no} ${h.headName} ${on} 已检查过` }); continue; }
      const p = points.get(i.grade) ?? 0;
      if (p !== 0) {
        const phone = normalisePhone(h.phone);
        const account = await repo.ensureHouseholdAccount(tx, h.id, phone ? phoneHash(phone) : null);
        await repo.insertEntry(tx, { accountId: account, delta: p, kind: 'frontage_check', refType: 'frontage_check', refId: id,
          note: `门前三包 ${on}：${GRADE_ZH[i.grade]}`, by: actor.id });
      }
      saved.push({ householdId: i.householdId, checkId: id, grade: i.grade, points: p });
    }
    if (taken.length) {
      throw conflict('ALREADY_CHECKED', `每户每天只检查一次：${taken.map((t) => t.message).join('；')}（本次未保存） (already checked that day)`, taken);
    }
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'rewards.frontage.record', entity: 'frontage_check', entityId: null,
      after: { villageId: v.id, checkedOn: on, items: saved }, areaPath: v.path });
    return { villageId: v.id, checkedOn: on, saved: saved.length, points: saved.reduce((s, x) => s + x.points, 0), items: saved };
  });
}

export type { FrontageGrade };
