// Notifications in the app, and out through webhooks by way of the outbox.
// notify() runs inside the caller's transaction: the notification rows and the outbox rows land
// with the change that caused them, or not at all. Delivery happens later (delivery.ts).
import type { Db } from '../../db/client.js';
import { badInput, conflict, notFound } from '../../lib/errors.js';
import { assertManage, manageRoots, type Actor } from '../access/policy.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areas from '../areas/areas.repository.js';
import { EVENT_KINDS, TEST_EVENT, WEBHOOK_FORMATS, isEventKind, isWebhookFormat, type WebhookFormat } from './events.js';
import { webhookUrlProblem } from './destination.rules.js';
import { maskSecret, maskUrl, type OutboxMessage } from './formats.js';
import * as repo from './notify.repository.js';
import { allowPrivateFromEnv } from './outbound.js';

export interface NotifyInput {
  userIds: number[];
  kind: string;
  caseId?: number | null;
  title: string;
  body?: string | null;
  /** the area the event happened in: webhooks scoped to an area above it (or to none) get it */
  areaPath: string;
  payload?: object;
}

/** One notification per distinct user and one outbox row per matching webhook, in the caller's transaction. */
export async function notify(tx: Db, n: NotifyInput, at: Date = new Date()): Promise<{ notifications: number; outbox: number[] }> {
  if (!/^\/(\d+\/)*$/.test(n.areaPath)) throw new Error(`notify: areaPath must look like /1/5/23/, got "${n.areaPath}"`);
  if (!n.title.trim()) throw new Error('notify: title is empty');
  const users = [...new Set(n.userIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  const caseId = n.caseId ?? null;
  const body = n.body ?? null;
  await repo.insertNotifications(tx, users.map((userId) => ({ userId, kind: n.kind, caseId, title: n.title, body })));
  const hooks = await repo.webhooksFor(tx, n.kind, n.areaPath);
  const message: OutboxMessage = {
    event: n.kind, title: n.title, body, payload: n.payload ?? {}, areaPath: n.areaPath, caseId, at: at.toISOString(),
  };
  const outbox = await repo.insertOutbox(tx, hooks.map((webhookId) => ({ webhookId, event: n.kind, payload: message })));
  return { notifications: users.length, outbox };
}

// --- my notifications ---

export async function myNotifications(db: Db, actor: Actor, f: { unread?: boolean; limit?: number; before?: number }) {
  const limit = Math.min(f.limit ?? 50, 200);
  const [items, unread] = await Promise.all([
    repo.listNotifications(db, actor.id, { unread: f.unread ?? false, limit, beforeId: f.before }),
    repo.unreadCount(db, actor.id),
  ]);
  return { items, unread, nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
}

export async function markRead(db: Db, actor: Actor, id: number) {
  const r = await repo.markRead(db, actor.id, id);
  if (!r) throw notFound(`通知 ${id} 不存在 (no such notification of yours)`);
  return r;
}

export async function markAllRead(db: Db, actor: Actor) {
  return { updated: await repo.markAllRead(db, actor.id) };
}

// --- webhooks ---

export interface WebhookInput {
  name: string;
  url: string;
  format: string;
  secret?: string | null;
  areaId?: number | null;
  events: string[];
  active?: boolean;
}

function cleanName(name: string): string {
  const s = name.trim();
  if (!s) throw badInput('请填写名称 (name is required)', [{ field: 'name', message: 'required' }]);
  return s;
}

/**
 * A webhook URL fit for its format (destination.rules.ts): robots only at their official https
 * address; plain JSON not to this machine or the local network. Names are checked again, with the
 * addresses they resolve to, at each send.
 */
export function checkUrl(format: WebhookFormat, url: string): string {
  const s = url.trim();
  const problem = webhookUrlProblem(format, s, { allowPrivate: allowPrivateFromEnv() });
  if (problem) throw badInput(problem, [{ field: 'url', message: 'not allowed' }]);
  return s;
}

function checkFormat(format: string): WebhookFormat {
  if (!isWebhookFormat(format)) {
    throw badInput(`未知的消息格式“${format}”，可选：${WEBHOOK_FORMATS.map((f) => `${f.key}（${f.zh}）`).join('、')} (unknown format)`, [{ field: 'format', message: 'unknown' }]);
  }
  return format;
}

function checkEvents(events: string[]): string[] {
  const list = [...new Set(events)];
  if (!list.length) throw badInput('请至少选择一种事件 (choose at least one event)', [{ field: 'events', message: 'required' }]);
  const bad = list.filter((e) => !isEventKind(e));
  if (bad.length) {
    throw badInput(`未知的事件类型：${bad.join('、')}；可选：${EVENT_KINDS.map((e) => e.key).join(', ')} (unknown event)`, [{ field: 'events', message: 'unknown' }]);
  }
  return list;
}

const cleanSecret = (s: string | null | undefined) => (s == null || !s.trim() ? null : s.trim());

/** The webhook's area path for access checks: none means the whole install, which only a global administrator manages. */
async function areaFor(db: Db, areaId: number | null): Promise<{ path: string; name: string }> {
  if (areaId === null) return { path: '/', name: '全部区域' };
  const a = await areas.findById(db, areaId);
  if (!a) throw badInput(`区域 ${areaId} 不存在 (no such area)`, [{ field: 'areaId', message: 'no such area' }]);
  return { path: a.path, name: a.name };
}

function assertManageHook(actor: Actor, area: { path: string; name: string }) {
  assertManage(actor, area.path, area.path === '/' ? '不限区域的 Webhook（需系统管理员）' : `区域“${area.name}”的 Webhook`);
}

const auditView = (w: repo.WebhookFields) => ({
  name: w.name, url: maskUrl(w.url), format: w.format, secret: maskSecret(w.secret), areaId: w.areaId, events: w.events, active: w.active,
});

function view(w: repo.WebhookRow & { pending?: number; dead?: number }) {
  return {
    id: w.id, name: w.name, url: maskUrl(w.url), format: w.format, hasSecret: !!w.secret, areaId: w.areaId, areaName: w.areaName,
    events: w.events, active: w.active, createdAt: w.createdAt, pending: w.pending ?? 0, dead: w.dead ?? 0,
  };
}

async function visibleHook(db: Db, actor: Actor, id: number, forUpdate = false) {
  const w = await repo.findWebhook(db, id, forUpdate);
  if (!w) throw notFound(`Webhook ${id} 不存在 (no such webhook)`);
  assertManageHook(actor, { path: w.areaPath ?? '/', name: w.areaName ?? '' });
  return w;
}

export async function listWebhooks(db: Db, actor: Actor) {
  const items = await repo.listWebhooks(db, manageRoots(actor));
  return { items: items.map(view), events: EVENT_KINDS, formats: WEBHOOK_FORMATS };
}

export async function getWebhook(db: Db, actor: Actor, id: number) {
  const w = await visibleHook(db, actor, id);
  const [withCounts] = await repo.listWebhooks(db, 'all', w.id);
  return view(withCounts ?? w);
}

export async function createWebhook(db: Db, actor: Actor, input: WebhookInput) {
  const format = checkFormat(input.format);
  const fields: repo.WebhookFields = {
    name: cleanName(input.name), url: checkUrl(format, input.url), format, secret: cleanSecret(input.secret),
    areaId: input.areaId ?? null, events: checkEvents(input.events), active: input.active ?? true,
  };
  assertManageHook(actor, await areaFor(db, fields.areaId));
  const id = await db.transaction(async (tx) => {
    const newId = await repo.insertWebhook(tx, fields);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'webhook.create', entity: 'webhook', entityId: newId, after: auditView(fields) });
    return newId;
  });
  return getWebhook(db, actor, id);
}

export async function updateWebhook(db: Db, actor: Actor, id: number, p: Partial<WebhookInput>) {
  await db.transaction(async (tx) => {
    const w = await visibleHook(tx, actor, id, true);
    const before: repo.WebhookFields = { name: w.name, url: w.url, format: w.format, secret: w.secret, areaId: w.areaId, events: w.events, active: w.active };
    const format = p.format !== undefined ? checkFormat(p.format) : before.format;
    // The address is checked against the format whenever either changes or the webhook is switched on,
    // so neither a new format nor re-activation lets an address through that the rules refuse.
    const recheck = p.url !== undefined || p.format !== undefined || (p.active === true && !before.active);
    const after: repo.WebhookFields = {
      name: p.name !== undefined ? cleanName(p.name) : before.name,
      url: recheck ? checkUrl(format, p.url ?? before.url) : before.url,
      format,
      secret: p.secret !== undefined ? cleanSecret(p.secret) : before.secret,
      areaId: p.areaId !== undefined ? p.areaId : before.areaId,
      events: p.events !== undefined ? checkEvents(p.events) : before.events,
      active: p.active ?? before.active,
    };
    if (after.areaId !== before.areaId) assertManageHook(actor, await areaFor(tx, after.areaId));
    await repo.updateWebhook(tx, id, after);
    const changed = (Object.keys(after) as (keyof repo.WebhookFields)[]).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    const pick = (v: ReturnType<typeof auditView>) => Object.fromEntries(changed.map((k) => [k, v[k]]));
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'webhook.update', entity: 'webhook', entityId: id,
      before: pick(auditView(before)), after: pick(auditView(after)) });
  });
  return getWebhook(db, actor, id);
}

/** Deletes a webhook that never queued anything; one with outbox rows is kept (its history) and deactivated. */
export async function deleteWebhook(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const w = await visibleHook(tx, actor, id, true);
    const fields: repo.WebhookFields = { name: w.name, url: w.url, format: w.format, secret: w.secret, areaId: w.areaId, events: w.events, active: w.active };
    if ((await repo.outboxCount(tx, id)) > 0) {
      if (w.active) {
        await repo.updateWebhook(tx, id, { ...fields, active: false });
        await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'webhook.deactivate', entity: 'webhook', entityId: id,
          before: { active: true }, after: { active: false } });
      }
      return { deleted: false, active: false, message: '该 Webhook 已有发送记录，已停用而未删除 (it has deliveries: deactivated, not deleted)' };
    }
    await repo.deleteWebhook(tx, id);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'webhook.delete', entity: 'webhook', entityId: id, before: auditView(fields) });
    return { deleted: true, active: false, message: '已删除 (deleted)' };
  });
}

/** Queues a test message to one webhook; the job queue sends it within a minute. */
export async function testWebhook(db: Db, actor: Actor, id: number, at: Date = new Date()) {
  const w = await visibleHook(db, actor, id);
  if (!w.active) throw conflict('WEBHOOK_INACTIVE', `Webhook“${w.name}”已停用，请先启用再测试 (inactive: activate it first)`);
  const message: OutboxMessage = {
    event: TEST_EVENT, title: `测试消息：${w.name}`, body: '这是一条来自网格平台的测试消息，收到即说明配置正确。',
    payload: { test: true, webhookId: id }, areaPath: w.areaPath, caseId: null, at: at.toISOString(),
  };
  const [outboxId] = await repo.insertOutbox(db, [{ webhookId: id, event: TEST_EVENT, payload: message }]);
  return { outboxId: outboxId!, status: 'pending' as const, message: '测试消息已排队，一分钟内发送 (queued; sent within a minute)' };
}

// --- the outbox ---

export async function listOutbox(db: Db, actor: Actor, f: { status?: string; webhookId?: number; before?: number; limit?: number }) {
  const limit = Math.min(f.limit ?? 50, 500);
  const items = await repo.listOutbox(db, manageRoots(actor), { status: f.status, webhookId: f.webhookId, beforeId: f.before, limit });
  return { items: items.map(({ areaPath: _p, ...r }) => r), nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
}

/** Sends a dead (or still pending) row again: pending, due now; a dead row gets a fresh series of attempts. */
export async function retryOutbox(db: Db, actor: Actor, id: number, now: Date = new Date()) {
  return db.transaction(async (tx) => {
    const o = await repo.findOutbox(tx, id, true);
    if (!o) throw notFound(`发送记录 ${id} 不存在 (no such outbox row)`);
    assertManageHook(actor, { path: o.areaPath ?? '/', name: o.webhookName });
    if (o.status === 'delivered') throw conflict('ALREADY_DELIVERED', `发送记录 ${id} 已送达，无需重发 (already delivered)`);
    await repo.requeueOutbox(tx, id, now);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'outbox.retry', entity: 'outbox', entityId: id,
      before: { status: o.status, attempts: o.attempts, lastError: o.lastError }, after: { status: 'pending' } });
    const { areaPath: _p, ...r } = (await repo.findOutbox(tx, id))!;
    return r;
  });
}
