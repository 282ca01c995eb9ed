import type { Db } from '../../db/client.js';
import { notFound, conflict } from '../../lib/errors.js';
import { readRoots, type Actor } from '../access/policy.js';
import { findWebhook, insertOutbox } from '../notify/notify.repository.js';
import { auditHead, auditPage, findAudit, listAudit } from './audit.repository.js';
import { checkAnchor, formatAnchor, START, verifyChain, type Anchor, type VerifyResult } from './chain.js';
import { auditKey } from './key.js';

export type AuditVerifyResult = VerifyResult & { anchor?: { id: number; ok: boolean } };

/**
 * Checks the whole chain page by page (so a long log never sits in memory at once): links, hashes
 * and, from the first keyed entry on, macs. With an anchor (a head written down earlier), also that
 * the anchored entry is still there as it was: a cut-off tail or a rewrite with recomputed hashes shows.
 */
export async function verifyAudit(db: Db, opts: { anchor?: Anchor; pageSize?: number } = {}): Promise<AuditVerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  const key = auditKey();
  let state = START;
  let total = 0;
  let result: VerifyResult;
  for (;;) {
    const page = await auditPage(db, state.prevId, pageSize);
    if (page.length === 0) {
      result = { ok: true, checked: total, lastHash: state.prevHash, lastId: state.prevId, unkeyed: state.unkeyed, firstKeyedId: state.firstKeyedId };
      break;
    }
    const r = verifyChain(page, key, state);
    if (!r.ok) return { ...r, checked: total + r.checked };
    total += r.checked;
    state = { prevHash: r.lastHash, prevId: r.lastId, firstKeyedId: r.firstKeyedId, unkeyed: r.unkeyed };
  }
  if (!opts.anchor) return result;
  const why = checkAnchor(opts.anchor, await findAudit(db, opts.anchor.id));
  if (why) return { ok: false, checked: total, brokenId: opts.anchor.id, reason: why, unkeyed: state.unkeyed, firstKeyedId: state.firstKeyedId, anchor: { id: opts.anchor.id, ok: false } };
  return { ...result, anchor: { id: opts.anchor.id, ok: true } };
}

/** The head of the chain as one line to keep outside (paper, a robot's group); null on an empty log. */
export async function auditAnchor(db: Db): Promise<{ anchor: Required<Anchor>; line: string } | null> {
  const h = await auditHead(db);
  if (!h) return null;
  const anchor = { id: h.id, hash: h.hash, mac: h.mac, at: h.at };
  return { anchor, line: formatAnchor(anchor) };
}

/** Queues the anchor line to one webhook through the outbox (sent by the delivery job within a minute). */
export async function sendAnchor(db: Db, webhookId: number, a: { anchor: Required<Anchor>; line: string }, at: Date = new Date()): Promise<number> {
  const w = await findWebhook(db, webhookId);
  if (!w) throw notFound(`Webhook ${webhookId} 不存在 (no such webhook)`);
  if (!w.active) throw conflict('WEBHOOK_INACTIVE', `Webhook“${w.name}”已停用 (inactive)`);
  const [id] = await insertOutbox(db, [{ webhookId, event: 'audit.anchor', payload: {
    event: 'audit.anchor', title: `审计链锚点 #${a.anchor.id}`, body: a.line, payload: a.anchor, areaPath: null, caseId: null, at: at.toISOString(),
  } }]);
  return id!;
}

/** The log as a reader may see it: a global reader all of it, others the entries of their areas. */
export async function readAudit(db: Db, actor: Actor, q: { entity?: string; entityId?: string; beforeId?: number; limit?: number }) {
  return listAudit(db, readRoots(actor), { ...q, limit: q.limit ?? 100 });
}
