// The event table (事部件分类) is data: 大类 rows group 小类 rows, which carry the deadline,
// the closing requirement and whom a case goes to. Install-wide: town administrators edit it.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/pgerror.js';
import { RESPONSIBILITY_KINDS } from '../../../../../packages/shared/src/mechanism.js';
import type { Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import { attributeProblems, type PublicAttribute } from '../intake/intake.rules.js';

const COLS = sql`id, code, parent_id AS "parentId", name, name_en AS "nameEn", deadline_amount AS "deadlineAmount",
  deadline_unit AS "deadlineUnit", closing_requirement AS "closingRequirement", route_kind AS "routeKind",
  duplicate_radius_m AS "duplicateRadiusM", public_visible AS "publicVisible", public_attributes AS "publicAttributes", active, sort, version`;
type Row = { id: number; code: string; parentId: number | null; name: string; nameEn: string | null; deadlineAmount: number | null;
  deadlineUnit: string | null; closingRequirement: string | null; routeKind: string | null; duplicateRadiusM: number | null;
  publicVisible: boolean; publicAttributes: PublicAttribute[] | null; active: boolean; sort: number; version: number };
const toCategory = (r: Row): Row => ({ ...r, id: Number(r.id), parentId: r.parentId == null ? null : Number(r.parentId),
  publicAttributes: typeof r.publicAttributes === 'string' ? JSON.parse(r.publicAttributes) as PublicAttribute[] : r.publicAttributes });

export async function listCategories(db: Db) {
  return (await rows<Row>(db, sql`SELECT ${COLS} FROM case_category ORDER BY sort, code`)).map(toCategory);
}

async function find(db: Db, id: number, forUpdate = false) {
  const [r] = await rows<Row>(db, sql`SELECT ${COLS} FROM case_category WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  return r ? toCategory(r) : undefined;
}

function assertEditor(actor: Actor) {
  // who may is the duty table's (categories.manage, checked on the route); here: they act under it
  if (!actor.grants.length) throw forbidden('无权修改事件分类：需要“修改事件分类”职责 (needs the duty)');
}

export interface CategoryInput {
  code?: string; parentId?: number | null; name?: string; nameEn?: string | null; deadlineAmount?: number | null;
  deadlineUnit?: 'work_hour' | 'work_day' | 'day' | null; closingRequirement?: string | null; routeKind?: string | null;
  duplicateRadiusM?: number | null; publicVisible?: boolean;
  /** checked by attributeProblems (the datatype among them) */
  publicAttributes?: (Omit<PublicAttribute, 'datatype'> & { datatype: string })[] | null;
  active?: boolean; sort?: number; version?: number;
}

async function check(db: Db, c: Required<Pick<CategoryInput, 'code' | 'parentId' | 'deadlineAmount' | 'deadlineUnit' | 'routeKind'>> & { id?: number; publicAttributes?: unknown }) {
  const details: { field: string; message: string }[] = [...attributeProblems(c.publicAttributes)];
  if (c.parentId) {
    const p = await find(db, c.parentId);
    if (!p) details.push({ field: 'parentId', message: `上级分类 ${c.parentId} 不存在` });
    else if (p.parentId) details.push({ field: 'parentId', message: `“${p.name}”是小类，分类只有大类和小类两级` });
    else if (!c.code.startsWith(p.code)) details.push({ field: 'code', message: `小类代码应以大类代码 ${p.code} 开头` });
    if ((c.deadlineAmount == null) !== (c.deadlineUnit == null)) details.push({ field: 'deadlineAmount', message: '处置时限的数值和单位要一起填写' });
  } else if (c.deadlineAmount != null || c.deadlineUnit != null) {
    details.push({ field: 'deadlineAmount', message: '大类不设处置时限，请在小类上设置' });
  }
  if (c.deadlineUnit === 'work_hour' && c.deadlineAmount != null && c.deadlineAmount > 200) details.push({ field: 'deadlineAmount', message: '工作时不超过 200' });
  if (c.routeKind && !RESPONSIBILITY_KINDS.some((k) => k.key === c.routeKind)) {
    details.push({ field: 'routeKind', message: `派遣对象应为责任类型之一：${RESPONSIBILITY_KINDS.map((k) => k.key).join(', ')}` });
  }
  if (details.length) throw badInput(details.map((d) => d.message).join('；'), details);
}

export async function createCategory(db: Db, actor: Actor, input: CategoryInput & { code: string; name: string }) {
  assertEditor(actor);
  const c = { code: input.code, parentId: input.parentId ?? null, deadlineAmount: input.deadlineAmount ?? null, deadlineUnit: input.deadlineUnit ?? null,
    routeKind: input.routeKind ?? null, publicAttributes: input.publicAttributes };
  await check(db, c);
  try {
    const id = await db.transaction(async (tx) => {
      const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit,
          closing_requirement, route_kind, duplicate_radius_m, public_visible, public_attributes, active, sort)
        VALUES (${c.code}, ${c.parentId}, ${input.name.trim()}, ${input.nameEn ?? null}, ${c.deadlineAmount}, ${c.deadlineUnit},
          ${input.closingRequirement ?? null}, ${c.routeKind}, ${input.duplicateRadiusM ?? null}, ${input.publicVisible ?? true},
          ${input.publicAttributes ? JSON.stringify(input.publicAttributes) : null}::jsonb, ${input.active ?? true}, ${input.sort ?? 1000}) RETURNING id`);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'category.create', entity: 'case_category', entityId: r!.id, after: input });
      return Number(r!.id);
    });
    return (await find(db, id))!;
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('CODE_TAKEN', `分类代码 ${input.code} 已存在`);
    throw e;
  }
}

export async function updateCategory(db: Db, actor: Actor, id: number, input: CategoryInput) {
  assertEditor(actor);
  try {
    await db.transaction(async (tx) => {
      const cur = await find(tx, id, true);
      if (!cur) throw notFound(`事件分类 ${id} 不存在`);
      if (input.version !== undefined && input.version !== cur.version) throw conflict('STALE', `分类已被他人修改（第 ${cur.version} 版），请刷新后重试`);
      const next = { ...cur, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as Row;
      if (next.parentId === id) throw badInput('分类不能以自己为上级', [{ field: 'parentId', message: 'self' }]);
      await check(tx, { id, code: next.code, parentId: next.parentId, deadlineAmount: next.deadlineAmount, deadlineUnit: (next.deadlineUnit ?? null) as "work_hour" | "work_day" | "day" | null, routeKind: next.routeKind, publicAttributes: input.publicAttributes });
      await tx.execute(sql`UPDATE case_category SET code = ${next.code}, parent_id = ${next.parentId}, name = ${next.name.trim()}, name_en = ${next.nameEn},
        deadline_amount = ${next.deadlineAmount}, deadline_unit = ${next.deadlineUnit}, closing_requirement = ${next.closingRequirement},
        route_kind = ${next.routeKind}, duplicate_radius_m = ${next.duplicateRadiusM}, public_visible = ${next.publicVisible},
        public_attributes = ${next.publicAttributes ? JSON.stringify(next.publicAttributes) : null}::jsonb, active = ${next.active}, sort = ${next.sort},
        version = version + 1, updated_at = now() WHERE id = ${id}`);
      await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'category.update', entity: 'case_category', entityId: id, before: cur, after: input });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('CODE_TAKEN', `分类代码 ${input.code} 已存在`);
    throw e;
  }
  return (await find(db, id))!;
}
