// The SQL of `wangge demo remove`. What goes is first marked in temporary tables of ids (dropped
// when the transaction ends), then deleted table by table in foreign-key order, children first.
//
// Marked:
// - areas: demo-flagged districts, grids and micro-grids (with `allAreas`: every demo-flagged area),
//   never one that has a non-demo area below it;
// - the demo scope: those areas plus every demo-flagged area from the town down (the kept town and
//   villages too): what was recorded there is demo activity (cases, tasks, households, bulletins…);
// - users flagged demo, cases flagged demo or in the scope, and everything hanging off both.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';

/** Levels the demo generates (the national division list has none of them). */
const GENERATED_LEVELS = sql`('district', 'grid', 'micro_grid')`;

export interface DemoPresence { areas: number; users: number; cases: number; otherScores: number }

export async function demoPresence(db: Db): Promise<DemoPresence> {
  const [r] = await rows<Record<keyof DemoPresence, number>>(db, sql`SELECT
    (SELECT count(*) FROM area WHERE demo)::int AS areas,
    (SELECT count(*) FROM app_user WHERE demo)::int AS users,
    (SELECT count(*) FROM case_file WHERE demo)::int AS cases,
    (SELECT count(*) FROM score_other WHERE source = 'demo')::int AS "otherScores"`);
  return r!;
}

const temp = (name: string, columns: string, select: SQL) => [
  sql.raw(`CREATE TEMP TABLE ${name} (${columns}) ON COMMIT DROP`),
  sql`INSERT INTO ${sql.raw(name)} ${select}`,
];
const ids = (name: string) => sql.raw(`(SELECT id FROM ${name})`);

/** Fills the temporary tables demo_rm_* with what goes. Inside the removal's transaction. */
export async function markDemo(tx: Db, opts: { allAreas: boolean }): Promise<void> {
  const statements = [
    // An area stays when anything not made by the demo lies below it (its path runs through it).
    ...temp('demo_rm_area', 'id bigint PRIMARY KEY', sql`SELECT a.id FROM area a
      WHERE a.demo AND ${opts.allAreas ? sql`true` : sql`a.level_key IN ${GENERATED_LEVELS}`}
      AND a.id NOT IN (SELECT DISTINCT unnest(string_to_array(trim(both '/' from n.path), '/'))::bigint FROM area n WHERE NOT n.demo)`),
    ...temp('demo_rm_scope', 'id bigint PRIMARY KEY', sql`SELECT id FROM area WHERE demo AND level_key NOT IN ('province', 'city', 'county')
      UNION SELECT id FROM demo_rm_area`),
    ...temp('demo_rm_user', 'id bigint PRIMARY KEY, username text NOT NULL', sql`SELECT id, username FROM app_user WHERE demo`),
    ...temp('demo_rm_case', 'id bigint PRIMARY KEY', sql`SELECT id FROM case_file WHERE demo OR area_id IN ${ids('demo_rm_scope')}`),
    ...temp('demo_rm_plan', 'id bigint PRIMARY KEY', sql`SELECT id FROM routine_plan WHERE scope_area_id IN ${ids('demo_rm_area')}`),
    ...temp('demo_rm_task', 'id bigint PRIMARY KEY', sql`SELECT id FROM routine_task WHERE area_id IN ${ids('demo_rm_scope')}
      OR user_id IN ${ids('demo_rm_user')} OR plan_id IN ${ids('demo_rm_plan')}`),
    // Photos of those cases and tasks, and uploads of demo users never attached to anything.
    ...temp('demo_rm_photo', 'id bigint PRIMARY KEY, storage_key text NOT NULL, thumb_key text NOT NULL', sql`SELECT id, storage_key, thumb_key
      FROM case_photo WHERE case_id IN ${ids('demo_rm_case')} OR task_id IN ${ids('demo_rm_task')}
      OR (case_id IS NULL AND task_id IS NULL AND uploaded_by IN ${ids('demo_rm_user')})`),
    ...temp('demo_rm_household', 'id bigint PRIMARY KEY', sql`SELECT id FROM household WHERE area_id IN ${ids('demo_rm_scope')}`),
    ...temp('demo_rm_round', 'id bigint PRIMARY KEY', sql`SELECT id FROM model_round WHERE village_id IN ${ids('demo_rm_scope')}`),
    ...temp('demo_rm_account', 'id bigint PRIMARY KEY', sql`SELECT id FROM points_account WHERE household_id IN ${ids('demo_rm_household')}`),
    // Points earned by the demo's reports and rounds, also on residents' phone accounts.
    ...temp('demo_rm_entry', 'id bigint PRIMARY KEY, account_id bigint NOT NULL', sql`SELECT id, account_id FROM points_entry
      WHERE account_id IN ${ids('demo_rm_account')} OR (ref_type = 'case' AND ref_id IN ${ids('demo_rm_case')})
      OR (ref_type = 'model_round' AND ref_id IN ${ids('demo_rm_round')})`),
    ...temp('demo_rm_campaign', 'id bigint PRIMARY KEY', sql`SELECT id FROM publicity_campaign WHERE scope_area_id IN ${ids('demo_rm_scope')}`),
    // A rating goes when it is the demo's or ranks a demo village (its snapshot holds them).
    ...temp('demo_rm_rating', 'id bigint PRIMARY KEY', sql`SELECT id FROM score_rating WHERE area_id IN ${ids('demo_rm_scope')}
      UNION SELECT rating_id FROM score_award WHERE village_id IN ${ids('demo_rm_scope')}`),
    ...temp('demo_rm_webhook', 'id bigint PRIMARY KEY', sql`SELECT id FROM webhook WHERE area_id IN ${ids('demo_rm_area')}`),
    // The shop's goods the demo's people put in (the audit log says who created each item).
    ...temp('demo_rm_item', 'id bigint PRIMARY KEY', sql`SELECT s.id FROM shop_item s WHERE s.id::text IN (SELECT entity_id FROM audit_log
      WHERE entity = 'shop_item' AND action = 'rewards.item.create' AND actor_id IN ${ids('demo_rm_user')})`),
  ];
  for (const s of statements) await tx.execute(s);
  for (const t of ['demo_rm_case', 'demo_rm_task', 'demo_rm_photo', 'demo_rm_entry']) await tx.execute(sql.raw(`ANALYZE ${t}`));
}

export interface Marked { areas: number; scope: number; users: number; cases: number; tasks: number; photos: number; households: number }

export async function markedCounts(tx: Db): Promise<Marked> {
  const [r] = await rows<Record<keyof Marked, number>>(tx, sql`SELECT
    (SELECT count(*) FROM demo_rm_area)::int AS areas, (SELECT count(*) FROM demo_rm_scope)::int AS scope,
    (SELECT count(*) FROM demo_rm_user)::int AS users, (SELECT count(*) FROM demo_rm_case)::int AS cases,
    (SELECT count(*) FROM demo_rm_task)::int AS tasks, (SELECT count(*) FROM demo_rm_photo)::int AS photos,
    (SELECT count(*) FROM demo_rm_household)::int AS households`);
  return r!;
}

/** Tables whose triggers refuse DELETE: switched off inside the transaction only (the app owns its tables). */
const GUARDED: [table: string, trigger: string][] = [['case_step', 'case_step_no_change'], ['bulletin', 'bulletin_no_change']];

export async function setGuards(tx: Db, on: boolean): Promise<void> {
  for (const [table, trigger] of GUARDED) await tx.execute(sql.raw(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`));
}

/** The deletions in foreign-key order: [table, WHERE]. Every id set comes from markDemo. */
const DELETIONS: [table: string, where: SQL][] = [
  ['notification', sql`user_id IN ${ids('demo_rm_user')} OR case_id IN ${ids('demo_rm_case')}`],
  ['session', sql`user_id IN ${ids('demo_rm_user')}`],
  ['login_throttle', sql`key IN (SELECT 'user:' || username FROM demo_rm_user)`],
  ['observation_visit', sql`task_id IN ${ids('demo_rm_task')} OR village_id IN ${ids('demo_rm_scope')}`],
  ['cleaning_turnout', sql`task_id IN ${ids('demo_rm_task')} OR user_id IN ${ids('demo_rm_user')}`],
  ['task_result', sql`task_id IN ${ids('demo_rm_task')}`],
  ['case_photo', sql`id IN ${ids('demo_rm_photo')}`],
  ['period_lock', sql`plan_id IN ${ids('demo_rm_plan')}`],
  ['routine_task', sql`id IN ${ids('demo_rm_task')}`],
  ['routine_plan', sql`id IN ${ids('demo_rm_plan')}`],
  ['bounty', sql`case_id IN ${ids('demo_rm_case')} OR account_id IN ${ids('demo_rm_account')}`],
  ['points_exchange', sql`account_id IN ${ids('demo_rm_account')}`],
  ['frontage_check', sql`household_id IN ${ids('demo_rm_household')}`],
  ['model_entry', sql`round_id IN ${ids('demo_rm_round')} OR household_id IN ${ids('demo_rm_household')}`],
  ['points_entry', sql`id IN ${ids('demo_rm_entry')}`],
  // a resident's phone account goes with the last of its points, when nothing else refers to it
  ['points_account', sql`id IN ${ids('demo_rm_account')} OR (household_id IS NULL AND id IN (SELECT account_id FROM demo_rm_entry)
    AND NOT EXISTS (SELECT 1 FROM points_entry e WHERE e.account_id = points_account.id)
    AND NOT EXISTS (SELECT 1 FROM points_exchange x WHERE x.account_id = points_account.id)
    AND NOT EXISTS (SELECT 1 FROM bounty b WHERE b.account_id = points_account.id))`],
  ['model_round', sql`id IN ${ids('demo_rm_round')}`],
  ['household', sql`id IN ${ids('demo_rm_household')}`],
  ['shop_item', sql`id IN ${ids('demo_rm_item')} AND NOT EXISTS (SELECT 1 FROM points_exchange x WHERE x.item_id = shop_item.id)`],
  ['public_report', sql`case_id IN ${ids('demo_rm_case')}`],
  ['case_request', sql`case_id IN ${ids('demo_rm_case')}`],
  ['case_step', sql`case_id IN ${ids('demo_rm_case')}`],
  ['case_file', sql`id IN ${ids('demo_rm_case')}`],
  ['bulletin', sql`scope_area_id IN ${ids('demo_rm_scope')}`],
  ['publicity_record', sql`campaign_id IN ${ids('demo_rm_campaign')} OR area_id IN ${ids('demo_rm_scope')}`],
  ['publicity_campaign', sql`id IN ${ids('demo_rm_campaign')}`],
  ['score_award', sql`rating_id IN ${ids('demo_rm_rating')}`],
  ['score_rating', sql`id IN ${ids('demo_rm_rating')}`],
  ['score_other', sql`village_id IN ${ids('demo_rm_scope')} OR source = 'demo'`],
  // kept facts are a cache: the villages' go, and their counties' months are computed again when read
  ['score_fact', sql`village_id IN ${ids('demo_rm_scope')}`],
  ['score_month', sql`county_code IN (SELECT DISTINCT county_code FROM area WHERE id IN ${ids('demo_rm_scope')} AND county_code IS NOT NULL)`],
  ['outbox', sql`webhook_id IN ${ids('demo_rm_webhook')}`],
  ['webhook', sql`id IN ${ids('demo_rm_webhook')}`],
  ['responsibility', sql`area_id IN ${ids('demo_rm_area')} OR user_id IN ${ids('demo_rm_user')}`],
  ['user_role', sql`area_id IN ${ids('demo_rm_area')} OR user_id IN ${ids('demo_rm_user')}`],
  ['area_move', sql`area_id IN ${ids('demo_rm_area')} OR from_parent_id IN ${ids('demo_rm_area')} OR to_parent_id IN ${ids('demo_rm_area')}`],
  ['app_user', sql`id IN ${ids('demo_rm_user')}`],
];

/**
 * Deletes what markDemo marked, except the areas themselves (see `detachKept` and `deleteAreas`).
 * Returns the rows deleted per table, in the order deleted.
 */
export async function deleteMarked(tx: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // a kept case marked as a duplicate of a demo case is no longer one
  await tx.execute(sql`UPDATE case_file SET duplicate_of = NULL WHERE duplicate_of IN ${ids('demo_rm_case')} AND id NOT IN ${ids('demo_rm_case')}`);
  for (const [table, where] of DELETIONS) {
    const [r] = await rows<{ n: number }>(tx, sql`WITH d AS (DELETE FROM ${sql.raw(table)} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM d`);
    counts[table] = Number(r!.n);
  }
  return counts;
}

/** Photo files of deleted rows that no remaining row refers to (the store keeps one file per picture and month). */
export async function orphanFiles(tx: Db): Promise<string[]> {
  const list = await rows<{ key: string }>(tx, sql`SELECT k AS key FROM (SELECT storage_key AS k FROM demo_rm_photo UNION SELECT thumb_key FROM demo_rm_photo) f
    WHERE NOT EXISTS (SELECT 1 FROM case_photo p WHERE p.storage_key = f.k OR p.thumb_key = f.k)`);
  return list.map((r) => r.key);
}

/** Kept areas whose parent goes, with the ids on their path from the root. */
export async function keptUnderRemoved(tx: Db): Promise<{ id: number; path: string }[]> {
  const list = await rows<{ id: number; path: string }>(tx, sql`SELECT id, path FROM area
    WHERE parent_id IN ${ids('demo_rm_area')} AND id NOT IN ${ids('demo_rm_area')} ORDER BY depth, id`);
  return list.map((r) => ({ id: Number(r.id), path: r.path }));
}

export async function removedAmong(tx: Db, areaIds: number[]): Promise<Set<number>> {
  if (areaIds.length === 0) return new Set();
  const list = await rows<{ id: number }>(tx, sql`SELECT id FROM demo_rm_area WHERE id IN (${sql.join(areaIds.map((i) => sql`${i}`), sql`, `)})`);
  return new Set(list.map((r) => Number(r.id)));
}

export async function deleteAreas(tx: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(tx, sql`WITH d AS (DELETE FROM area WHERE id IN ${ids('demo_rm_area')} RETURNING 1) SELECT count(*)::int AS n FROM d`);
  return Number(r!.n);
}

/**
 * The demo-flagged areas that stay (the real town and villages, or areas holding real ones) become
 * ordinary areas: no demo flag, and the demo's generated figures and boundaries cleared, as
 * `init --town` would have made them.
 */
export async function unflagKept(tx: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(tx, sql`WITH u AS (UPDATE area SET demo = false, population = NULL, households = NULL,
      size_class = NULL, is_key = false, boundary = NULL, updated_at = now(), version = version + 1
    WHERE demo AND id NOT IN ${ids('demo_rm_area')} RETURNING 1) SELECT count(*)::int AS n FROM u`);
  return Number(r!.n);
}
