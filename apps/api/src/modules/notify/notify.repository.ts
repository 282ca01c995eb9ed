// The only place with SQL for notifications, webhooks and the outbox.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import type { WebhookFormat } from './events.js';
import type { OutboxMessage } from './formats.js';

// Raw SQL hands timestamps back as text on one driver and as Date on the other: always Dates here.
function withDates<T extends object>(list: T[], keys: (keyof T)[]): T[] {
  for (const r of list) for (const k of keys) (r as Record<keyof T, unknown>)[k] = toDate(r[k]);
  return list;
}
const N_DATES: (keyof NotificationRow)[] = ['createdAt', 'readAt'];
const O_DATES: (keyof OutboxRow)[] = ['nextAttemptAt', 'createdAt', 'deliveredAt'];

// --- in-app notifications ---

export interface NotificationRow {
  id: number; kind: string; caseId: number | null; title: string; body: string | null; createdAt: Date; readAt: Date | null;
}

export async function insertNotifications(tx: Db, list: { userId: number; kind: string; caseId: number | null; title: string; body: string | null }[]) {
  if (!list.length) return;
  const values = list.map((n) => sql`(${n.userId}, ${n.kind}, ${n.caseId}, ${n.title}, ${n.body})`);
  await tx.execute(sql`INSERT INTO notification (user_id, kind, case_id, title, body) VALUES ${sql.join(values, sql`, `)}`);
}

export async function listNotifications(db: Db, userId: number, f: { unread: boolean; limit: number; beforeId?: number }) {
  const conds: SQL[] = [sql`user_id = ${userId}`];
  if (f.unread) conds.push(sql`read_at IS NULL`);
  if (f.beforeId) conds.push(sql`id < ${f.beforeId}`);
  return withDates(await rows<NotificationRow>(db, sql`SELECT id, kind, case_id AS "caseId", title, body, created_at AS "createdAt", read_at AS "readAt"
    FROM notification WHERE ${sql.join(conds, sql` AND `)} ORDER BY id DESC LIMIT ${f.limit}`), N_DATES);
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM notification WHERE user_id = ${userId} AND read_at IS NULL`);
  return Number(r?.n ?? 0);
}

/** Marks one of the user's notifications read (kept read if it was); undefined when it is not theirs. */
export async function markRead(db: Db, userId: number, id: number): Promise<NotificationRow | undefined> {
  const [r] = withDates(await rows<NotificationRow>(db, sql`UPDATE notification SET read_at = COALESCE(read_at, now())
    WHERE id = ${id} AND user_id = ${userId}
    RETURNING id, kind, case_id AS "caseId", title, body, created_at AS "createdAt", read_at AS "readAt"`), N_DATES);
  return r;
}

export async function markAllRead(db: Db, userId: number): Promise<number> {
  const r = await rows<{ id: number }>(db, sql`UPDATE notification SET read_at = now() WHERE user_id = ${userId} AND read_at IS NULL RETURNING id`);
  return r.length;
}

// --- webhooks ---

export interface WebhookRow {
  id: number; name: string; url: string; format: WebhookFormat; secret: string | null; areaId: number | null;
  areaPath: string | null; areaName: string | null; events: string[]; active: boolean; createdAt: Date;
}

const HOOK_COLS = sql`w.id, w.name, w.url, w.format, w.secret, w.area_id AS "areaId", a.path AS "areaPath", a.name AS "areaName",
  w.events, w.active, w.created_at AS "createdAt"`;

/**
 * The active webhooks subscribed to `kind` whose area's subtree (none = everything) holds `areaPath`.
 * FOR KEY SHARE: a webhook being deleted at this moment either waits for this transaction (and then
 * sees its outbox rows, so it is deactivated instead) or is gone before it is picked.
 */
export async function webhooksFor(tx: Db, kind: string, areaPath: string): Promise<number[]> {
  const r = await rows<{ id: number }>(tx, sql`SELECT w.id FROM webhook w LEFT JOIN area a ON a.id = w.area_id
    WHERE w.active AND w.events @> jsonb_build_array(${kind}::text)
      AND (w.area_id IS NULL OR left(${areaPath}::text, length(a.path)) = a.path)
    ORDER BY w.id FOR KEY SHARE OF w`);
  return r.map((x) => Number(x.id));
}

/** Webhooks in areas under the given roots ('all' also gives those without an area), or the one with `id`. */
export async function listWebhooks(db: Db, roots: string[] | 'all', id?: number): Promise<(WebhookRow & { pending: number; dead: number })[]> {
  const where = id !== undefined ? sql`w.id = ${id}`
    : roots === 'all' ? sql`TRUE`
      : roots.length === 0 ? sql`FALSE`
        : sql`(${sql.join(roots.map((p) => sql`a.path LIKE ${`${p}%`}`), sql` OR `)})`;
  return withDates(await rows<WebhookRow & { pending: number; dead: number }>(db, sql`SELECT ${HOOK_COLS},
      (SELECT count(*)::int FROM outbox o WHERE o.webhook_id = w.id AND o.status = 'pending') AS pending,
      (SELECT count(*)::int FROM outbox o WHERE o.webhook_id = w.id AND o.status = 'dead') AS dead
    FROM webhook w LEFT JOIN area a ON a.id = w.area_id WHERE ${where} ORDER BY w.id`), ['createdAt']);
}

export async function findWebhook(db: Db, id: number, forUpdate = false): Promise<WebhookRow | undefined> {
  const [r] = withDates(await rows<WebhookRow>(db, sql`SELECT ${HOOK_COLS} FROM webhook w LEFT JOIN area a ON a.id = w.area_id
    WHERE w.id = ${id} ${forUpdate ? sql`FOR UPDATE OF w` : sql``}`), ['createdAt']);
  return r;
}

export interface WebhookFields { name: string; url: string; format: WebhookFormat; secret: string | null; areaId: number | null; events: string[]; active: boolean }

export async function insertWebhook(tx: Db, w: WebhookFields): Promise<number> {
  const [r] = await rows<{ id: number }>(tx, sql`INSERT INTO webhook (name, url, format, secret, area_id, events, active)
    VALUES (${w.name}, ${w.url}, ${w.format}, ${w.secret}, ${w.areaId}, ${JSON.stringify(w.events)}::jsonb, ${w.active}) RETURNING id`);
  return Number(r!.id);
}

export async function updateWebhook(tx: Db, id: number, w: WebhookFields): Promise<void> {
  await tx.execute(sql`UPDATE webhook SET name = ${w.name}, url = ${w.url}, format = ${w.format}, secret = ${w.secret},
    area_id = ${w.areaId}, events = ${JSON.stringify(w.events)}::jsonb, active = ${w.active} WHERE id = ${id}`);
}

export async function deleteWebhook(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM webhook WHERE id = ${id}`);
}

export async function outboxCount(tx: Db, webhookId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM outbox WHERE webhook_id = ${webhookId}`);
  return Number(r?.n ?? 0);
}

// --- the outbox ---

export async function insertOutbox(tx: Db, list: { webhookId: number; event: string; payload: OutboxMessage }[]): Promise<number[]> {
  if (!list.length) return [];
  const values = list.map((o) => sql`(${o.webhookId}, ${o.event}, ${JSON.stringify(o.payload)}::jsonb)`);
  const r = await rows<{ id: number }>(tx, sql`INSERT INTO outbox (webhook_id, event, payload) VALUES ${sql.join(values, sql`, `)} RETURNING id`);
  return r.map((x) => Number(x.id));
}

export interface OutboxRow {
  id: number; webhookId: number; webhookName: string; areaPath: string | null; event: string; title: string | null;
  status: string; attempts: number; nextAttemptAt: Date; lastError: string | null; createdAt: Date; deliveredAt: Date | null;
}

const OUTBOX_COLS = sql`o.id, o.webhook_id AS "webhookId", w.name AS "webhookName", a.path AS "areaPath", o.event,
  o.payload->>'title' AS title, o.status, o.attempts, o.next_attempt_at AS "nextAttemptAt", o.last_error AS "lastError",
  o.created_at AS "createdAt", o.delivered_at AS "deliveredAt"`;

export async function listOutbox(db: Db, roots: string[] | 'all', f: { status?: string; webhookId?: number; beforeId?: number; limit: number }) {
  const conds: SQL[] = [roots === 'all' ? sql`TRUE`
    : roots.length === 0 ? sql`FALSE`
      : sql`(${sql.join(roots.map((p) => sql`a.path LIKE ${`${p}%`}`), sql` OR `)})`];
  if (f.status) conds.push(sql`o.status = ${f.status}`);
  if (f.webhookId) conds.push(sql`o.webhook_id = ${f.webhookId}`);
  if (f.beforeId) conds.push(sql`o.id < ${f.beforeId}`);
  return withDates(await rows<OutboxRow>(db, sql`SELECT ${OUTBOX_COLS} FROM outbox o JOIN webhook w ON w.id = o.webhook_id LEFT JOIN area a ON a.id = w.area_id
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY o.id DESC LIMIT ${f.limit}`), O_DATES);
}

export async function findOutbox(db: Db, id: number, forUpdate = false): Promise<OutboxRow | undefined> {
  const [r] = withDates(await rows<OutboxRow>(db, sql`SELECT ${OUTBOX_COLS} FROM outbox o JOIN webhook w ON w.id = o.webhook_id LEFT JOIN area a ON a.id = w.area_id
    WHERE o.id = ${id} ${forUpdate ? sql`FOR UPDATE OF o` : sql``}`), O_DATES);
  return r;
}

/** Puts a row back in the queue, due now; a dead row starts a fresh series of attempts. */
export async function requeueOutbox(tx: Db, id: number, now: Date): Promise<void> {
  await tx.execute(sql`UPDATE outbox SET next_attempt_at = ${now},
    attempts = CASE WHEN status = 'dead' THEN 0 ELSE attempts END, status = 'pending' WHERE id = ${id}`);
}

export interface ClaimedRow {
  id: number; event: string; payload: OutboxMessage; attempts: number;
  webhookId: number; url: string; format: WebhookFormat; secret: string | null;
}

/**
 * Claims up to `limit` due rows of active webhooks in one statement (its own short transaction):
 * FOR UPDATE SKIP LOCKED so concurrent workers take different rows, and next_attempt_at moved to
 * `leaseUntil` so no other worker takes them again while they are being sent. The try is counted
 * here, before sending: a row whose delivery crashes its worker every time still ends 'dead'.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedRow[]> {
  return rows<ClaimedRow>(db, sql`UPDATE outbox o SET next_attempt_at = ${leaseUntil}, attempts = o.attempts + 1
    FROM webhook w
    WHERE o.id IN (
      SELECT q.id FROM outbox q JOIN webhook qw ON qw.id = q.webhook_id AND qw.active
      WHERE q.status = 'pending' AND q.next_attempt_at <= ${now}
      ORDER BY q.next_attempt_at, q.id LIMIT ${limit}
      FOR UPDATE OF q SKIP LOCKED)
    AND w.id = o.webhook_id
    RETURNING o.id, o.event, o.payload, o.attempts, w.id AS "webhookId", w.url, w.format, w.secret`);
}

export async function markDelivered(db: Db, id: number, at: Date): Promise<void> {
  await db.execute(sql`UPDATE outbox SET status = 'delivered', delivered_at = ${at}, last_error = NULL
    WHERE id = ${id} AND status = 'pending'`);
}

export async function markFailed(db: Db, id: number, f: { status: 'pending' | 'dead'; nextAttemptAt: Date; error: string }): Promise<void> {
  await db.execute(sql`UPDATE outbox SET status = ${f.status}, next_attempt_at = ${f.nextAttemptAt}, last_error = ${f.error}
    WHERE id = ${id} AND status = 'pending'`);
}
