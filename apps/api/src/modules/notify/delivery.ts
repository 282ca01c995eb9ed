// Sends due outbox rows to their webhooks, with retries and backoff.
//
// How a row moves:
//   pending --claim--> (still pending, attempts+1, next_attempt_at = now + 5 min lease)
//     --sent, accepted--> delivered (delivered_at)
//     --failed--> pending, next_attempt_at = now + backoff (30 s, 1 min, 2 min … 1 h, +≤10% jitter)
//     --failed the 10th time--> dead (kept; POST /outbox/:id/retry puts it back)
//
// Claiming is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) that commits before anything
// is sent: concurrent workers (several API processes on PostgreSQL) take disjoint rows, and no
// transaction stays open across a slow HTTP call.
//
// A worker that crashes mid-delivery (process killed, machine down) leaves its claimed rows pending
// with next_attempt_at at the end of the lease: five minutes later any worker takes them again.
// So a crash means a later retry, never a loss; the price is that a message whose send had already
// reached the robot may arrive twice (at-least-once; X-Wangge-Delivery carries the row id so a
// receiver can drop duplicates). The try is counted at claim time, so a row that crashes its
// worker every time still ends 'dead' after 10 tries instead of looping for ever.
// Every send goes through outbound.ts: the address is checked again against the format's rules, and
// the connection refuses loopback, private and other non-public addresses (also when a name resolves
// to one). Only a status and a fixed message are kept: never the answer's body.
import type { Db } from '../../db/client.js';
import { webhookUrlProblem } from './destination.rules.js';
import { buildRequest, interpretResponse, type DeliveryOutcome } from './formats.js';
import * as repo from './notify.repository.js';
import { allowPrivateFromEnv, describeFailure, postGuarded, type PostOptions } from './outbound.js';
import { afterFailure, CLAIM_LEASE_MS } from './retry.js';

export interface DeliverOptions {
  /** per request; default 10 s */
  timeoutMs?: number;
  /** requests in flight at once; default 4 */
  concurrency?: number;
  /** [0,1) for the backoff jitter; default Math.random */
  random?: () => number;
  /**
   * TESTS ONLY: let deliveries reach loopback and private addresses (a local listener). Default: the
   * environment's WANGGE_WEBHOOK_ALLOW_PRIVATE=1, which is for tests only too; otherwise refused.
   */
  allowPrivate?: boolean;
  /** TESTS ONLY: how names are resolved (default: the system resolver) */
  resolve?: PostOptions['resolve'];
}

export interface DeliverResult { claimed: number; delivered: number; retrying: number; dead: number }

/** One HTTP request for one claimed row. Never throws: every problem is an outcome in fixed words. */
export async function sendOne(row: repo.ClaimedRow, timeoutMs: number, opts: Pick<DeliverOptions, 'allowPrivate' | 'resolve'> = {}): Promise<DeliveryOutcome> {
  const allowPrivate = opts.allowPrivate ?? allowPrivateFromEnv();
  // The format's rules again (a row saved before them, or edited in the database); a JSON receiver's
  // address is left to the connection, which refuses loopback and private addresses after resolving.
  const problem = webhookUrlProblem(row.format, row.url, { allowPrivate, checkAddresses: false });
  if (problem) return { ok: false, error: `地址不符合规则，未发送，请修改 Webhook (url not allowed; not sent): ${problem}` };
  let req;
  try {
    req = buildRequest({ format: row.format, url: row.url, secret: row.secret }, row.payload, { now: Date.now(), deliveryId: row.id });
  } catch {
    return { ok: false, error: '无法生成请求 (cannot build the request)' };
  }
  try {
    const res = await postGuarded(req.url, req.headers, req.body, {
      timeoutMs, allowPrivate, resolve: opts.resolve, readAnswer: row.format !== 'json',
    });
    return interpretResponse(row.format, res.status, res.text);
  } catch (e) {
    return { ok: false, error: describeFailure(e, timeoutMs) };
  }
}

/** Claims up to `limit` due rows (due at `now`), sends them and records each outcome. */
export async function deliverDue(db: Db, now: Date = new Date(), limit = 50, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const claimed = await repo.claimDue(db, now, limit, new Date(now.getTime() + CLAIM_LEASE_MS));
  const result: DeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, dead: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const row = claimed[next++]!;
      const outcome = await sendOne(row, timeoutMs, opts);
      if (outcome.ok) {
        await repo.markDelivered(db, row.id, now);
        result.delivered += 1;
      } else {
        const after = afterFailure(row.attempts, now, random());
        await repo.markFailed(db, row.id, { ...after, error: outcome.error.slice(0, 1000) });
        if (after.status === 'dead') result.dead += 1;
        else result.retrying += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, claimed.length) }, worker));
  return result;
}

/** For the job queue: batches until nothing due is left or `budgetMs` has passed. */
export async function deliverAllDue(db: Db, now: Date = new Date(), opts: DeliverOptions & { batch?: number; budgetMs?: number } = {}) {
  const batch = opts.batch ?? 50;
  const started = Date.now();
  const total: DeliverResult = { claimed: 0, delivered: 0, retrying: 0, dead: 0 };
  for (;;) {
    const r = await deliverDue(db, now, batch, opts);
    for (const k of Object.keys(total) as (keyof DeliverResult)[]) total[k] += r[k];
    if (r.claimed < batch || Date.now() - started > (opts.budgetMs ?? 45_000)) return total;
  }
}
