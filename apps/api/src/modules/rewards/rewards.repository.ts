// The only place with SQL for rewards and credit: households, accounts and the points ledger,
// rules, the 积分超市, frontage checks, model-household rounds and bounties.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const like = (path: string) => `${path}%`;

// ------------------------------------------------------------------ households

export interface HouseholdRow {
  id: number; areaId: number; villageName: string; villagePath: string; no: string; headName: string; address: string | null;
  phone: string | null; members: number | null; active: boolean; version: number; createdAt: string;
}
const H_COLS = sql`h.id, h.area_id AS "areaId", v.name AS "villageName", v.path AS "villagePath", h.no, h.head_name AS "headName",
  h.address, h.phone, h.members, h.active, h.version, h.created_at AS "createdAt"`;
const toHousehold = (r: Record<string, unknown>): HouseholdRow => ({
  ...(r as unknown as HouseholdRow), id: Number(r.id), areaId: Number(r.areaId), members: num(r.members), version: Number(r.version),
});

export interface HouseholdListRow extends HouseholdRow {
  accountId: number | null; balance: number; lastCheckOn: string | null; lastGrade: string | null;
}

/**
 * Households under a path. `q` matches the 户号, the head's name and the address by a part of them;
 * `phone` (a whole normalised number) matches the phone exactly: a phone is never found by a part.
 */
export async function listHouseholds(db: Db, q: { path: string; villageId?: number; q?: string; phone?: string | null; includeInactive?: boolean; limit: number; offset: number }) {
  const where = sql`v.path LIKE ${like(q.path)} ${q.villageId ? sql`AND h.area_id = ${q.villageId}` : sql``}
    ${q.includeInactive ? sql`` : sql`AND h.active`}
    ${q.q ? sql`AND (h.no ILIKE ${`%${q.q}%`} OR h.head_name ILIKE ${`%${q.q}%`} OR h.address ILIKE ${`%${q.q}%`}
      ${q.phone ? sql`OR h.phone = ${q.phone}` : sql``})` : sql``}`;
  const [{ n }] = (await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM household h JOIN area v ON v.id = h.area_id WHERE ${where}`)) as [{ n: number }];
  const list = await rows(db, sql`SELECT ${H_COLS}, pa.id AS "accountId", coalesce(b.balance, 0) AS balance,
      fc.checked_on::text AS "lastCheckOn", fc.grade AS "lastGrade"
    FROM household h JOIN area v ON v.id = h.area_id
    LEFT JOIN points_account pa ON pa.household_id = h.id
    LEFT JOIN LATERAL (SELECT sum(e.delta) AS balance FROM points_entry e WHERE e.account_id = pa.id) b ON TRUE
    LEFT JOIN LATERAL (SELECT f.checked_on, f.grade FROM frontage_check f WHERE f.household_id = h.id ORDER BY f.checked_on DESC LIMIT 1) fc ON TRUE
    WHERE ${where}
    ORDER BY v.code, length(h.no), h.no LIMIT ${q.limit} OFFSET ${q.offset}`);
  return {
    total: Number(n),
    items: list.map((r) => ({ ...toHousehold(r), accountId: num(r.accountId), balance: Number(r.balance ?? 0), lastCheckOn: (r.lastCheckOn as string | null) ?? null, lastGrade: (r.lastGrade as string | null) ?? null })) as HouseholdListRow[],
  };
}

export async function getHousehold(db: Db, id: number, lock = false): Promise<HouseholdRow | null> {
  const [r] = await rows(db, sql`SELECT ${H_COLS} FROM household h JOIN area v ON v.id = h.area_id WHERE h.id = ${id} ${lock ? sql`FOR UPDATE OF h` : sql``}`);
  return r ? toHousehold(r) : null;
}

export async function householdsOfVillage(db: Db, villageId: number, activeOnly: boolean): Promise<HouseholdRow[]> {
  return (await rows(db, sql`SELECT ${H_COLS} FROM household h JOIN area v ON v.id = h.area_id WHERE h.area_id = ${villageId}
    ${activeOnly ? sql`AND h.active` : sql``} ORDER BY length(h.no), h.no`)).map(toHousehold);
}

export async function householdsByIds(db: Db, ids: number[]): Promise<HouseholdRow[]> {
  if (ids.length === 0) return [];
  return (await rows(db, sql`SELECT ${H_COLS} FROM household h JOIN area v ON v.id = h.area_id
    WHERE h.id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`)).map(toHousehold);
}

export interface HouseholdInput { no: string; headName: string; address: string | null; phone: string | null; members: number | null; active: boolean }

/** Inserts; null when the village already has that 户号. */
export async function insertHousehold(tx: Db, villageId: number, h: HouseholdInput): Promise<number | null> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO household (area_id, no, head_name, address, phone, members, active)
    VALUES (${villageId}, ${h.no}, ${h.headName}, ${h.address}, ${h.phone}, ${h.members}, ${h.active})
    ON CONFLICT (area_id, no) DO NOTHING RETURNING id`);
  return r ? Number(r.id) : null;
}

/** Updates when the version still matches (null: changed by someone else first). */
export async function updateHousehold(tx: Db, id: number, version: number, h: HouseholdInput): Promise<number | null> {
  const [r] = await rows<{ id: number }>(tx, sql`UPDATE household SET no = ${h.no}, head_name = ${h.headName}, address = ${h.address},
      phone = ${h.phone}, members = ${h.members}, active = ${h.active}, version = version + 1
    WHERE id = ${id} AND version = ${version} RETURNING id`);
  return r ? Number(r.id) : null;
}

/** Active households with one of these phones, those in the village holding `areaPath` first. */
export async function householdsByPhone(db: Db, phone: string, areaPath: string): Promise<{ id: number; phone: string }[]> {
  return (await rows<{ id: number; phone: string }>(db, sql`SELECT h.id, h.phone FROM household h JOIN area v ON v.id = h.area_id
    WHERE h.phone = ${phone} AND h.active ORDER BY (${areaPath} LIKE v.path || '%') DESC, h.id LIMIT 1`)).map((r) => ({ id: Number(r.id), phone: r.phone }));
}

// ------------------------------------------------------------------ accounts and the ledger

export interface AccountRow {
  id: number; householdId: number | null; phoneHash: string | null; phone: string | null; name: string | null; createdAt: string;
  householdNo: string | null; headName: string | null; villageId: number | null; villageName: string | null; villagePath: string | null;
}
const A_COLS = sql`pa.id, pa.household_id AS "householdId", pa.phone_hash AS "phoneHash", pa.phone, pa.name, pa.created_at AS "createdAt",
  h.no AS "householdNo", h.head_name AS "headName", v.id AS "villageId", v.name AS "villageName", v.path AS "villagePath"`;
const A_FROM = sql`points_account pa LEFT JOIN household h ON h.id = pa.household_id LEFT JOIN area v ON v.id = h.area_id`;
const toAccount = (r: Record<string, unknown>): AccountRow => ({
  ...(r as unknown as AccountRow), id: Number(r.id), householdId: num(r.householdId), villageId: num(r.villageId),
});

export async function getAccount(db: Db, id: number, lock = false): Promise<AccountRow | null> {
  const [r] = await rows(db, sql`SELECT ${A_COLS} FROM ${A_FROM} WHERE pa.id = ${id} ${lock ? sql`FOR UPDATE OF pa` : sql``}`);
  return r ? toAccount(r) : null;
}

export async function accountIdOfHousehold(db: Db, householdId: number): Promise<number | null> {
  const [r] = await rows<{ id: number }>(db, sql`SELECT id FROM points_account WHERE household_id = ${householdId}`);
  return r ? Number(r.id) : null;
}

/**
 * The household's account, made on first need. A reporter's account kept by the same phone and not
 * yet tied to a household becomes the household's (their report points follow them).
 */
export async function ensureHouseholdAccount(tx: Db, householdId: number, phoneHash: string | null): Promise<number> {
  const found = await accountIdOfHousehold(tx, householdId);
  if (found) return found;
  if (phoneHash) {
    const [linked] = await rows<{ id: number }>(tx, sql`UPDATE points_account SET household_id = ${householdId}
      WHERE phone_hash = ${phoneHash} AND household_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM points_account x WHERE x.household_id = ${householdId}) RETURNING id`);
    if (linked) return Number(linked.id);
  }
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO points_account (household_id) VALUES (${householdId})
    ON CONFLICT (household_id) DO NOTHING RETURNING id`);
  if (r) return Number(r.id);
  return (await accountIdOfHousehold(tx, householdId))!;
}

/** A reporter's account by the hash of their phone, made on first need. */
export async function ensurePhoneAccount(tx: Db, phoneHash: string, phone: string | null, name: string | null): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO points_account (phone_hash, phone, name) VALUES (${phoneHash}, ${phone}, ${name})
    ON CONFLICT (phone_hash) DO NOTHING RETURNING id`);
  if (r) return Number(r.id);
  const [f] = await rows<{ id: number }>(tx, sql`SELECT id FROM points_account WHERE phone_hash = ${phoneHash}`);
  return Number(f!.id);
}

export async function balanceOf(db: Db, accountId: number): Promise<number> {
  const [r] = await rows<{ b: number | null }>(db, sql`SELECT sum(delta) AS b FROM points_entry WHERE account_id = ${accountId}`);
  return Number(r?.b ?? 0);
}

export interface EntryRow { id: number; delta: number; kind: string; refType: string | null; refId: number | null; note: string | null; byName: string | null; at: string }

export async function entriesOf(db: Db, accountId: number): Promise<EntryRow[]> {
  return (await rows(db, sql`SELECT e.id, e.delta, e.kind, e.ref_type AS "refType", e.ref_id AS "refId", e.note, u.display_name AS "byName", e.at
    FROM points_entry e LEFT JOIN app_user u ON u.id = e.by WHERE e.account_id = ${accountId} ORDER BY e.at, e.id`))
    .map((r) => ({ ...(r as unknown as EntryRow), id: Number(r.id), delta: Number(r.delta), refId: num(r.refId) }));
}

export interface NewEntry { accountId: number; delta: number; kind: string; refType: string; refId: number; note: string | null; by: number | null; at?: Date }

/** Adds a ledger row; null when the same (kind, ref, account) is already there (settling twice adds nothing). */
export async function insertEntry(tx: Db, e: NewEntry): Promise<number | null> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO points_entry (account_id, delta, kind, ref_type, ref_id, note, by, at)
    VALUES (${e.accountId}, ${e.delta}, ${e.kind}, ${e.refType}, ${e.refId}, ${e.note}, ${e.by}, ${e.at ?? new Date()})
    ON CONFLICT (kind, ref_type, ref_id, account_id) DO NOTHING RETURNING id`);
  return r ? Number(r.id) : null;
}

/** Whether an event (kind and ref) has been credited to anyone: a report's points go to one account only. */
export async function entryExists(db: Db, kind: string, refType: string, refId: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM points_entry WHERE kind = ${kind} AND ref_type = ${refType} AND ref_id = ${refId} LIMIT 1`)).length > 0;
}

export interface BalanceRow {
  accountId: number | null; type: 'household' | 'reporter'; householdId: number | null; householdNo: string | null; name: string | null;
  phone: string | null; villageId: number | null; villageName: string | null; balance: number; earned: number; spent: number; entries: number;
}

/** Balances under an area: every household of its villages (with or without an account) and the reporters whose reports lie there. */
export async function balancesUnder(db: Db, path: string, limit: number): Promise<BalanceRow[]> {
  const sums = sql`SELECT account_id, sum(delta) AS balance, sum(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS earned,
    sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS spent, count(*) AS entries FROM points_entry GROUP BY account_id`;
  const list = await rows(db, sql`
    SELECT pa.id AS "accountId", 'household' AS type, h.id AS "householdId", h.no AS "householdNo", h.head_name AS name, h.phone,
      v.id AS "villageId", v.name AS "villageName", coalesce(s.balance, 0) AS balance, coalesce(s.earned, 0) AS earned,
      coalesce(s.spent, 0) AS spent, coalesce(s.entries, 0) AS entries, v.code AS sort1, h.no AS sort2
    FROM household h JOIN area v ON v.id = h.area_id
      LEFT JOIN points_account pa ON pa.household_id = h.id LEFT JOIN (${sums}) s ON s.account_id = pa.id
    WHERE v.path LIKE ${like(path)} AND (h.active OR s.balance <> 0)
    UNION ALL
    SELECT pa.id, 'reporter', NULL, NULL, pa.name, pa.phone, NULL, NULL, coalesce(s.balance, 0), coalesce(s.earned, 0), coalesce(s.spent, 0),
      coalesce(s.entries, 0), 'zzz', pa.id::text
    FROM points_account pa LEFT JOIN (${sums}) s ON s.account_id = pa.id
    WHERE pa.household_id IS NULL AND (EXISTS (SELECT 1 FROM public_report p JOIN case_file c ON c.id = p.case_id JOIN area a ON a.id = c.area_id
      WHERE p.phone_hash = pa.phone_hash AND a.path LIKE ${like(path)})
      OR EXISTS (SELECT 1 FROM points_entry e JOIN case_file c ON c.id = e.ref_id JOIN area a ON a.id = c.area_id
      WHERE e.account_id = pa.id AND e.ref_type = 'case' AND a.path LIKE ${like(path)}))
    ORDER BY balance DESC, sort1, sort2 LIMIT ${limit}`);
  return list.map((r) => ({
    accountId: num(r.accountId), type: r.type as BalanceRow['type'], householdId: num(r.householdId), householdNo: (r.householdNo as string | null) ?? null,
    name: (r.name as string | null) ?? null, phone: (r.phone as string | null) ?? null, villageId: num(r.villageId), villageName: (r.villageName as string | null) ?? null,
    balance: Number(r.balance), earned: Number(r.earned), spent: Number(r.spent), entries: Number(r.entries),
  }));
}

/**
 * The areas of the cases a reporter's account reported (by phone hash) or was credited for (its
 * ledger: still there once the reports' contact details have been purged): where its readers and
 * writers are.
 */
export async function reporterCasePaths(db: Db, phoneHash: string | null, accountId: number): Promise<string[]> {
  return (await rows<{ path: string }>(db, sql`SELECT a.path FROM public_report p JOIN case_file c ON c.id = p.case_id
      JOIN area a ON a.id = c.area_id WHERE ${phoneHash}::text IS NOT NULL AND p.phone_hash = ${phoneHash}
    UNION SELECT a.path FROM points_entry e JOIN case_file c ON c.id = e.ref_id JOIN area a ON a.id = c.area_id
      WHERE e.account_id = ${accountId} AND e.ref_type = 'case'
    LIMIT 200`)).map((r) => r.path);
}

// ------------------------------------------------------------------ settling report points

export interface ReportToSettle {
  caseId: number; caseNo: string; state: string; categoryId: number; parentCategoryId: number | null; areaPath: string;
  phone: string | null; phoneHash: string | null; name: string | null; needValid: boolean; needConfirmed: boolean;
}

/** Public reports with a phone, registered or later, whose points have not all been credited (oldest first). */
export async function reportsToSettle(db: Db, afterCaseId: number, limit: number): Promise<ReportToSettle[]> {
  const missing = (kind: string) => sql`NOT EXISTS (SELECT 1 FROM points_entry e WHERE e.kind = ${kind} AND e.ref_type = 'case' AND e.ref_id = c.id)`;
  const list = await rows(db, sql`SELECT c.id AS "caseId", c.no AS "caseNo", c.state, c.category_id AS "categoryId", cat.parent_id AS "parentCategoryId",
      a.path AS "areaPath", p.phone, p.phone_hash AS "phoneHash", p.name,
      ${missing('report_valid')} AS "needValid", (c.state = 'closed' AND ${missing('report_confirmed')}) AS "needConfirmed"
    FROM public_report p JOIN case_file c ON c.id = p.case_id JOIN case_category cat ON cat.id = c.category_id JOIN area a ON a.id = c.area_id
    WHERE c.id > ${afterCaseId} AND c.source = 'public' AND c.state IN ('registered', 'dispatched', 'fixing', 'fixed', 'closed') AND c.duplicate_of IS NULL
      AND (p.phone_hash IS NOT NULL OR p.phone IS NOT NULL)
      AND (${missing('report_valid')} OR (c.state = 'closed' AND ${missing('report_confirmed')}))
    ORDER BY c.id LIMIT ${limit}`);
  return list.map((r) => ({
    ...(r as unknown as ReportToSettle), caseId: Number(r.caseId), categoryId: Number(r.categoryId), parentCategoryId: num(r.parentCategoryId),
    needValid: Boolean(r.needValid), needConfirmed: Boolean(r.needConfirmed),
  }));
}

/** The public report of a case (the reporter), if any. */
export async function publicReportOf(db: Db, caseId: number): Promise<{ phone: string | null; phoneHash: string | null; name: string | null } | null> {
  const [r] = await rows<{ phone: string | null; phoneHash: string | null; name: string | null }>(db,
    sql`SELECT phone, phone_hash AS "phoneHash", name FROM public_report WHERE case_id = ${caseId}`);
  return r ?? null;
}

// ------------------------------------------------------------------ rules

export interface RuleRow {
  id: number; event: string; categoryId: number | null; categoryName: string | null; grade: string | null; points: number; active: boolean;
  note: string | null; updatedByName: string | null; updatedAt: string;
}
const R_COLS = sql`r.id, r.event, r.category_id AS "categoryId", cc.name AS "categoryName", r.grade, r.points, r.active, r.note,
  u.display_name AS "updatedByName", r.updated_at AS "updatedAt"`;
const R_FROM = sql`points_rule r LEFT JOIN case_category cc ON cc.id = r.category_id LEFT JOIN app_user u ON u.id = r.updated_by`;
const toRule = (r: Record<string, unknown>): RuleRow => ({ ...(r as unknown as RuleRow), id: Number(r.id), categoryId: num(r.categoryId), points: Number(r.points) });

export async function listRules(db: Db, event?: string): Promise<RuleRow[]> {
  return (await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} ${event ? sql`WHERE r.event = ${event}` : sql``}
    ORDER BY r.event, r.category_id NULLS FIRST, r.grade NULLS FIRST, r.id`)).map(toRule);
}
export async function getRule(db: Db, id: number, lock = false): Promise<RuleRow | null> {
  const [r] = await rows(db, sql`SELECT ${R_COLS} FROM ${R_FROM} WHERE r.id = ${id} ${lock ? sql`FOR UPDATE OF r` : sql``}`);
  return r ? toRule(r) : null;
}
/** An active rule other than `exceptId` with the same event, category and grade. */
export async function sameRule(db: Db, r: { event: string; categoryId: number | null; grade: string | null }, exceptId: number | null): Promise<number | null> {
  const [f] = await rows<{ id: number }>(db, sql`SELECT id FROM points_rule WHERE active AND event = ${r.event}
    AND category_id IS NOT DISTINCT FROM ${r.categoryId}::bigint AND grade IS NOT DISTINCT FROM ${r.grade}::text
    ${exceptId ? sql`AND id <> ${exceptId}` : sql``} LIMIT 1`);
  return f ? Number(f.id) : null;
}
export async function insertRule(tx: Db, r: { event: string; categoryId: number | null; grade: string | null; points: number; active: boolean; note: string | null }, by: number): Promise<number> {
  const [x] = await rows<{ id: number }>(tx, sql`INSERT INTO points_rule (event, category_id, grade, points, active, note, updated_by)
    VALUES (${r.event}, ${r.categoryId}, ${r.grade}, ${r.points}, ${r.active}, ${r.note}, ${by}) RETURNING id`);
  return Number(x!.id);
}
export async function updateRule(tx: Db, id: number, r: { event: string; categoryId: number | null; grade: string | null; points: number; active: boolean; note: string | null }, by: number) {
  await tx.execute(sql`UPDATE points_rule SET event = ${r.event}, category_id = ${r.categoryId}, grade = ${r.grade}, points = ${r.points},
    active = ${r.active}, note = ${r.note}, updated_by = ${by}, updated_at = now() WHERE id = ${id}`);
}
export async function categoryOf(db: Db, id: number): Promise<{ id: number; parentId: number | null; name: string } | null> {
  const [r] = await rows<{ id: number; parentId: number | null; name: string }>(db, sql`SELECT id, parent_id AS "parentId", name FROM case_category WHERE id = ${id}`);
  return r ? { id: Number(r.id), parentId: num(r.parentId), name: r.name } : null;
}

// ------------------------------------------------------------------ 积分超市

export interface ItemRow { id: number; name: string; points: number; stock: number | null; active: boolean; version: number; exchanged: number }
const toItem = (r: Record<string, unknown>): ItemRow => ({
  id: Number(r.id), name: r.name as string, points: Number(r.points), stock: num(r.stock), active: Boolean(r.active), version: Number(r.version),
  exchanged: Number(r.exchanged ?? 0),
});
const I_COLS = sql`i.id, i.name, i.points, i.stock, i.active, i.version,
  (SELECT coalesce(sum(x.quantity), 0) FROM points_exchange x WHERE x.item_id = i.id) AS exchanged`;

export async function listItems(db: Db, includeInactive: boolean): Promise<ItemRow[]> {
  return (await rows(db, sql`SELECT ${I_COLS} FROM shop_item i ${includeInactive ? sql`` : sql`WHERE i.active`} ORDER BY i.active DESC, i.points, i.id`)).map(toItem);
}
export async function getItem(db: Db, id: number, lock = false): Promise<ItemRow | null> {
  const [r] = await rows(db, lock ? sql`SELECT i.id, i.name, i.points, i.stock, i.active, i.version, 0 AS exchanged FROM shop_item i WHERE i.id = ${id} FOR UPDATE`
    : sql`SELECT ${I_COLS} FROM shop_item i WHERE i.id = ${id}`);
  return r ? toItem(r) : null;
}
export async function insertItem(tx: Db, i: { name: string; points: number; stock: number | null; active: boolean }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO shop_item (name, points, stock, active) VALUES (${i.name}, ${i.points}, ${i.stock}, ${i.active}) RETURNING id`);
  return Number(r!.id);
}
export async function updateItem(tx: Db, id: number, version: number, i: { name: string; points: number; stock: number | null; active: boolean }): Promise<boolean> {
  return (await rows(tx, sql`UPDATE shop_item SET name = ${i.name}, points = ${i.points}, stock = ${i.stock}, active = ${i.active}, version = version + 1
    WHERE id = ${id} AND version = ${version} RETURNING id`)).length > 0;
}
export async function takeStock(tx: Db, id: number, quantity: number): Promise<boolean> {
  return (await rows(tx, sql`UPDATE shop_item SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - ${quantity} END, version = version + 1
    WHERE id = ${id} AND (stock IS NULL OR stock >= ${quantity}) RETURNING id`)).length > 0;
}
export async function insertExchange(tx: Db, x: { accountId: number; itemId: number; quantity: number; points: number; by: number }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO points_exchange (account_id, item_id, quantity, points, by)
    VALUES (${x.accountId}, ${x.itemId}, ${x.quantity}, ${x.points}, ${x.by}) RETURNING id`);
  return Number(r!.id);
}
export async function setExchangeEntry(tx: Db, id: number, entryId: number) {
  await tx.execute(sql`UPDATE points_exchange SET entry_id = ${entryId} WHERE id = ${id}`);
}

export interface ExchangeRow {
  id: number; accountId: number; itemId: number; itemName: string; quantity: number; points: number; byName: string | null; at: string;
  householdId: number | null; householdNo: string | null; name: string | null; villageName: string | null;
}
export async function listExchanges(db: Db, q: { path: string | null; accountId?: number; limit: number }): Promise<ExchangeRow[]> {
  return (await rows(db, sql`SELECT x.id, x.account_id AS "accountId", x.item_id AS "itemId", i.name AS "itemName", x.quantity, x.points,
      u.display_name AS "byName", x.at, h.id AS "householdId", h.no AS "householdNo", coalesce(h.head_name, pa.name) AS name, v.name AS "villageName"
    FROM points_exchange x JOIN shop_item i ON i.id = x.item_id JOIN points_account pa ON pa.id = x.account_id
      LEFT JOIN household h ON h.id = pa.household_id LEFT JOIN area v ON v.id = h.area_id LEFT JOIN app_user u ON u.id = x.by
    WHERE TRUE ${q.accountId ? sql`AND x.account_id = ${q.accountId}` : sql``}
      ${q.path ? sql`AND (v.path LIKE ${like(q.path)} OR (pa.household_id IS NULL AND EXISTS (SELECT 1 FROM public_report p JOIN case_file c ON c.id = p.case_id
        JOIN area a ON a.id = c.area_id WHERE p.phone_hash = pa.phone_hash AND a.path LIKE ${like(q.path)})))` : sql``}
    ORDER BY x.at DESC, x.id DESC LIMIT ${q.limit}`)).map((r) => ({
    ...(r as unknown as ExchangeRow), id: Number(r.id), accountId: Number(r.accountId), itemId: Number(r.itemId), quantity: Number(r.quantity),
    points: Number(r.points), householdId: num(r.householdId),
  }));
}

// ------------------------------------------------------------------ 门前三包

export async function insertCheck(tx: Db, c: { householdId: number; checkedOn: string; grade: string; note: string | null; by: number }): Promise<number | null> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO frontage_check (household_id, checked_on, grade, note, by)
    VALUES (${c.householdId}, ${c.checkedOn}, ${c.grade}, ${c.note}, ${c.by}) ON CONFLICT (household_id, checked_on) DO NOTHING RETURNING id`);
  return r ? Number(r.id) : null;
}

export async function checksOn(db: Db, householdIds: number[], day: string) {
  if (householdIds.length === 0) return [];
  return (await rows(db, sql`SELECT f.id, f.household_id AS "householdId", f.grade, f.note, u.display_name AS "byName", f.at
    FROM frontage_check f LEFT JOIN app_user u ON u.id = f.by
    WHERE f.checked_on = ${day} AND f.household_id IN (${sql.join(householdIds.map((i) => sql`${i}`), sql`, `)})`))
    .map((r) => ({ id: Number(r.id), householdId: Number(r.householdId), grade: r.grade as string, note: (r.note as string | null) ?? null, byName: (r.byName as string | null) ?? null, at: r.at as string }));
}

export async function checksOfHousehold(db: Db, householdId: number, limit: number) {
  return (await rows(db, sql`SELECT f.id, f.checked_on::text AS "checkedOn", f.grade, f.note, u.display_name AS "byName", f.at
    FROM frontage_check f LEFT JOIN app_user u ON u.id = f.by WHERE f.household_id = ${householdId} ORDER BY f.checked_on DESC LIMIT ${limit}`))
    .map((r) => ({ id: Number(r.id), checkedOn: r.checkedOn as string, grade: r.grade as string, note: (r.note as string | null) ?? null, byName: (r.byName as string | null) ?? null, at: r.at as string }));
}

// ------------------------------------------------------------------ model-household rounds

export interface RoundRow {
  id: number; villageId: number; villageName: string; villagePath: string; kind: string; period: string; quota: number; status: 'open' | 'decided';
  createdByName: string | null; createdAt: string; decidedByName: string | null; decidedAt: string | null; version: number; entries: number; winners: number;
}
const RD_COLS = sql`r.id, r.village_id AS "villageId", v.name AS "villageName", v.path AS "villagePath", r.kind, r.period, r.quota, r.status,
  cu.display_name AS "createdByName", r.created_at AS "createdAt", du.display_name AS "decidedByName", r.decided_at AS "decidedAt", r.version,
  (SELECT count(*) FROM model_entry e WHERE e.round_id = r.id) AS entries, (SELECT count(*) FROM model_entry e WHERE e.round_id = r.id AND e.winner) AS winners`;
const RD_FROM = sql`model_round r JOIN area v ON v.id = r.village_id LEFT JOIN app_user cu ON cu.id = r.created_by LEFT JOIN app_user du ON du.id = r.decided_by`;
const toRound = (r: Record<string, unknown>): RoundRow => ({
  ...(r as unknown as RoundRow), id: Number(r.id), villageId: Number(r.villageId), quota: Number(r.quota), version: Number(r.version),
  entries: Number(r.entries), winners: Number(r.winners),
});

export async function listRounds(db: Db, path: string, q: { villageId?: number; kind?: string; period?: string }): Promise<RoundRow[]> {
  return (await rows(db, sql`SELECT ${RD_COLS} FROM ${RD_FROM} WHERE v.path LIKE ${like(path)}
    ${q.villageId ? sql`AND r.village_id = ${q.villageId}` : sql``} ${q.kind ? sql`AND r.kind = ${q.kind}` : sql``}
    ${q.period ? sql`AND r.period = ${q.period}` : sql``} ORDER BY r.period DESC, v.code, r.kind LIMIT 500`)).map(toRound);
}
export async function getRound(db: Db, id: number, lock = false): Promise<RoundRow | null> {
  if (lock) await db.execute(sql`SELECT id FROM model_round WHERE id = ${id} FOR UPDATE`);
  const [r] = await rows(db, sql`SELECT ${RD_COLS} FROM ${RD_FROM} WHERE r.id = ${id}`);
  return r ? toRound(r) : null;
}
export async function insertRound(tx: Db, r: { villageId: number; kind: string; period: string; quota: number; by: number }): Promise<number | null> {
  const [x] = await rows<{ id: number }>(tx, sql`INSERT INTO model_round (village_id, kind, period, quota, status, created_by)
    VALUES (${r.villageId}, ${r.kind}, ${r.period}, ${r.quota}, 'open', ${r.by}) ON CONFLICT (village_id, kind, period) DO NOTHING RETURNING id`);
  return x ? Number(x.id) : null;
}
export async function setQuota(tx: Db, id: number, quota: number) {
  await tx.execute(sql`UPDATE model_round SET quota = ${quota}, version = version + 1 WHERE id = ${id}`);
}

export interface ModelEntryRow { id: number; householdId: number; householdNo: string; headName: string; score: number | null; winner: boolean; note: string | null }
export async function roundEntries(db: Db, roundId: number): Promise<ModelEntryRow[]> {
  return (await rows(db, sql`SELECT e.id, e.household_id AS "householdId", h.no AS "householdNo", h.head_name AS "headName", e.score, e.winner, e.note
    FROM model_entry e JOIN household h ON h.id = e.household_id WHERE e.round_id = ${roundId}
    ORDER BY e.winner DESC, e.score DESC NULLS LAST, length(h.no), h.no`)).map((r) => ({
    ...(r as unknown as ModelEntryRow), id: Number(r.id), householdId: Number(r.householdId), score: r.score == null ? null : Number(r.score),
  }));
}
export async function upsertEntry(tx: Db, roundId: number, e: { householdId: number; score: number | null; note: string | null }) {
  await tx.execute(sql`INSERT INTO model_entry (round_id, household_id, score, note) VALUES (${roundId}, ${e.householdId}, ${e.score}, ${e.note})
    ON CONFLICT (round_id, household_id) DO UPDATE SET score = EXCLUDED.score, note = EXCLUDED.note`);
}
export async function deleteEntry(tx: Db, roundId: number, householdId: number): Promise<boolean> {
  return (await rows(tx, sql`DELETE FROM model_entry WHERE round_id = ${roundId} AND household_id = ${householdId} RETURNING id`)).length > 0;
}
export async function bumpRound(tx: Db, id: number) {
  await tx.execute(sql`UPDATE model_round SET version = version + 1 WHERE id = ${id}`);
}
export async function decideRound(tx: Db, id: number, winners: number[], by: number) {
  if (winners.length) {
    await tx.execute(sql`UPDATE model_entry SET winner = TRUE WHERE round_id = ${id} AND household_id IN (${sql.join(winners.map((w) => sql`${w}`), sql`, `)})`);
  }
  await tx.execute(sql`UPDATE model_round SET status = 'decided', decided_by = ${by}, decided_at = now(), version = version + 1 WHERE id = ${id}`);
}

/** Who prepared a round: its creator and everyone who entered or removed its households (from the audit log, written with each change). */
export async function roundHands(db: Db, id: number): Promise<number[]> {
  const list = await rows<{ id: number }>(db, sql`SELECT created_by AS id FROM model_round WHERE id = ${id} AND created_by IS NOT NULL
    UNION SELECT actor_id AS id FROM audit_log WHERE entity = 'model_round' AND entity_id = ${String(id)} AND actor_id IS NOT NULL
      AND action IN ('rewards.round.create', 'rewards.round.entries', 'rewards.round.remove')`);
  return list.map((r) => Number(r.id));
}

// ------------------------------------------------------------------ bounties

export interface BountyRow {
  id: number; caseId: number; caseNo: string; caseState: string; caseSource: string; caseDescription: string; areaId: number; areaName: string; areaPath: string;
  accountId: number | null; reporterName: string | null; reporterPhone: string | null; amountYuan: number; reason: string; status: string;
  proposedBy: number; proposedByName: string | null; proposedAt: string; decidedBy: number | null; decidedByName: string | null; decidedAt: string | null;
  decisionNote: string | null; paidBy: number | null; paidByName: string | null; paidAt: string | null; payNote: string | null; version: number;
}
const B_COLS = sql`b.id, b.case_id AS "caseId", c.no AS "caseNo", c.state AS "caseState", c.source AS "caseSource", c.description AS "caseDescription",
  a.id AS "areaId", a.name AS "areaName", a.path AS "areaPath", b.account_id AS "accountId",
  coalesce(pr.name, h.head_name, pa.name) AS "reporterName", coalesce(pr.phone, pa.phone, h.phone) AS "reporterPhone",
  b.amount_yuan AS "amountYuan", b.reason, b.status, b.proposed_by AS "proposedBy", pu.display_name AS "proposedByName", b.proposed_at AS "proposedAt",
  b.decided_by AS "decidedBy", du.display_name AS "decidedByName", b.decided_at AS "decidedAt", b.decision_note AS "decisionNote",
  b.paid_by AS "paidBy", yu.display_name AS "paidByName", b.paid_at AS "paidAt", b.pay_note AS "payNote", b.version`;
const B_FROM = sql`bounty b JOIN case_file c ON c.id = b.case_id JOIN area a ON a.id = c.area_id
  LEFT JOIN public_report pr ON pr.case_id = c.id LEFT JOIN points_account pa ON pa.id = b.account_id LEFT JOIN household h ON h.id = pa.household_id
  LEFT JOIN app_user pu ON pu.id = b.proposed_by LEFT JOIN app_user du ON du.id = b.decided_by LEFT JOIN app_user yu ON yu.id = b.paid_by`;
const toBounty = (r: Record<string, unknown>): BountyRow => ({
  ...(r as unknown as BountyRow), id: Number(r.id), caseId: Number(r.caseId), areaId: Number(r.areaId), accountId: num(r.accountId),
  amountYuan: Number(r.amountYuan), proposedBy: Number(r.proposedBy), decidedBy: num(r.decidedBy), paidBy: num(r.paidBy), version: Number(r.version),
});

export async function listBounties(db: Db, q: { path: string; status?: string; caseId?: number; limit: number }): Promise<BountyRow[]> {
  return (await rows(db, sql`SELECT ${B_COLS} FROM ${B_FROM} WHERE a.path LIKE ${like(q.path)}
    ${q.status ? sql`AND b.status = ${q.status}` : sql``} ${q.caseId ? sql`AND b.case_id = ${q.caseId}` : sql``}
    ORDER BY b.proposed_at DESC, b.id DESC LIMIT ${q.limit}`)).map(toBounty);
}
export async function getBounty(db: Db, id: number, lock = false): Promise<BountyRow | null> {
  if (lock) await db.execute(sql`SELECT id FROM bounty WHERE id = ${id} FOR UPDATE`);
  const [r] = await rows(db, sql`SELECT ${B_COLS} FROM ${B_FROM} WHERE b.id = ${id}`);
  return r ? toBounty(r) : null;
}
/** A bounty of the case still standing (proposed, approved or paid). */
export async function standingBounty(db: Db, caseId: number): Promise<number | null> {
  const [r] = await rows<{ id: number }>(db, sql`SELECT id FROM bounty WHERE case_id = ${caseId} AND status IN ('proposed', 'approved', 'paid') LIMIT 1`);
  return r ? Number(r.id) : null;
}
export async function insertBounty(tx: Db, b: { caseId: number; accountId: number | null; amountYuan: number; reason: string; by: number }): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO bounty (case_id, account_id, amount_yuan, reason, status, proposed_by)
    VALUES (${b.caseId}, ${b.accountId}, ${b.amountYuan}, ${b.reason}, 'proposed', ${b.by}) RETURNING id`);
  return Number(r!.id);
}
export async function setBounty(tx: Db, id: number, set: SQL) {
  await tx.execute(sql`UPDATE bounty SET ${set}, version = version + 1 WHERE id = ${id}`);
}

// ------------------------------------------------------------------ areas and cases (read only)

export interface CaseRef { id: number; no: string; state: string; source: string; areaId: number; areaPath: string; refusedReason: string | null }
export async function caseRef(db: Db, id: number): Promise<CaseRef | null> {
  const [r] = await rows(db, sql`SELECT c.id, c.no, c.state, c.source, c.area_id AS "areaId", a.path AS "areaPath", c.refused_reason AS "refusedReason"
    FROM case_file c JOIN area a ON a.id = c.area_id WHERE c.id = ${id}`);
  return r ? { ...(r as unknown as CaseRef), id: Number(r.id), areaId: Number(r.areaId) } : null;
}
export async function caseByNo(db: Db, no: string): Promise<number | null> {
  const [r] = await rows<{ id: number }>(db, sql`SELECT id FROM case_file WHERE no = ${no}`);
  return r ? Number(r.id) : null;
}

/** The town (or the highest area below the county) holding a path: who approves money there. */
export async function townPathOf(db: Db, path: string): Promise<string> {
  const [r] = await rows<{ path: string }>(db, sql`SELECT a.path FROM area a WHERE ${path} LIKE a.path || '%' AND a.level_key = 'town' LIMIT 1`);
  return r?.path ?? path;
}

/** Levels of the areas where the actor's grants sit. */
export async function levelsOf(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const list = await rows<{ id: number; level: string }>(db, sql`SELECT id, level_key AS level FROM area WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(list.map((r) => [Number(r.id), r.level]));
}
