// The audit log's hash chain, as pure functions: entry n's hash covers its content and entry
// n-1's hash, so changing or removing any entry breaks every hash after it.
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface AuditContent {
  id: number;
  at: string; // ISO 8601, milliseconds
  actorId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order does not matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

/** What a value looks like after a round trip through jsonb (dates become strings, undefined goes). */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function entryHash(content: AuditContent, prevHash: string): string {
  const c = content;
  const body = canonicalJson({
    id: c.id, at: c.at, actorId: c.actorId, actorName: c.actorName, action: c.action, entity: c.entity,
    entityId: c.entityId, before: toJsonValue(c.before), after: toJsonValue(c.after), prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

export interface StoredEntry extends AuditContent { prevHash: string; hash: string }

export type VerifyResult =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; brokenId: number; reason: string };

/** Walks entries in id order; names the first entry whose link or hash does not hold. */
export function verifyChain(entries: Iterable<StoredEntry>, start = { prevHash: GENESIS, prevId: 0 }): VerifyResult {
  let prev = start.prevHash;
  let prevId = start.prevId;
  let checked = 0;
  for (const e of entries) {
    if (e.id !== prevId + 1) {
      return { ok: false, checked, brokenId: e.id, reason: `entry ${prevId + 1} is missing (next found is ${e.id})` };
    }
    if (e.prevHash !== prev) {
      return { ok: false, checked, brokenId: e.id, reason: 'its link to the previous entry does not match' };
    }
    const h = entryHash(e, e.prevHash);
    if (h !== e.hash) {
      return { ok: false, checked, brokenId: e.id, reason: 'its content does not match its hash (changed after writing)' };
    }
    prev = e.hash;
    prevId = e.id;
    checked += 1;
  }
  return { ok: true, checked, lastHash: prev };
}
