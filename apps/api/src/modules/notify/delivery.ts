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
import type { Db } from '../../db/client.js';
import { buildRequest, interpretResponse, type DeliveryOutcome } from './formats.js';
import * as repo from './notify.repository.js';
import { afterFailure, CLAIM_LEASE_MS } from './retry.js';

export interface DeliverOptions {
  /** per request; default 10 s */
  timeoutMs?: number;
  /** requests in flight at once; default 4 */
  concurrency?: number;
  /** [0,1) for the backoff jitter; default Math.random */
  random?: () => number;
}

export interface DeliverResult { claimed: number; delivered: number; retrying: number; dead: number }

const MAX_ANSWER_BYTES = 64 * 1024;

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `超时 (no answer within ${timeoutMs / 1000} s)`;
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `连接失败 (request failed): ${cause ?? err?.message ?? String(e)}`.slice(0, 500);
}

/** One HTTP request for one claimed row. Never throws: every problem is an outcome. */
export async function sendOne(row: repo.ClaimedRow, timeoutMs: number): Promise<DeliveryOutcome> {
  let req;
  try {
    req = buildRequest({ format: row.format, url: row.url, secret: row.secret }, row.payload, { now: Date.now(), deliveryId: row.id });
  } catch (e) {
    return { ok: false, error: `无法生成请求 (cannot build the request): ${(e as Error).message}` };
  }
  try {
    const res = await fetch(req.url, {
      method: 'POST', headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readLimited(res);
    return interpretResponse(row.format, res.status, text);
  } catch (e) {
    return { ok: false, error: describeError(e, timeoutMs) };
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
      const outcome = await sendOne(row, timeoutMs);
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
