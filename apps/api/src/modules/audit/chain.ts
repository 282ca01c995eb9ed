// The audit log's hash chain, as pure functions: entry n's hash covers its content and entry
// n-1's hash, so changing or removing any entry breaks every hash after it. Each entry written
// since the install got its key also carries mac = HMAC-SHA256(key, hash), with the key kept
// outside the database: whoever can rewrite the table can recompute hashes, but not macs.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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
  /** the area the entry concerns (/1/5/23/); null: install-wide. Hashed only when set, so older hashes hold. */
  areaPath?: string | null;
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
    ...(c.areaPath != null ? { areaPath: c.areaPath } : {}),
  });
  return createHash('sha256').update(body).digest('hex');
}

/** The key as given (WANGGE_AUDIT_KEY or the key file's text); its UTF-8 bytes key the HMAC. */
export type AuditKey = string;

export function entryMac(key: AuditKey, hash: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(hash).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface StoredEntry extends AuditContent { prevHash: string; hash: string; mac: string | null }

/** Where a walk stands after some entries: the next page continues from here. */
export interface ChainState {
  prevHash: string;
  prevId: number;
  /** the first entry that carried a mac; every later one must carry a valid one */
  firstKeyedId: number | null;
  /** entries before the first keyed one ("unkeyed, before keying") */
  unkeyed: number;
}

export const START: ChainState = { prevHash: GENESIS, prevId: 0, firstKeyedId: null, unkeyed: 0 };

export type VerifyResult =
  | { ok: true; checked: number; lastHash: string; lastId: number; unkeyed: number; firstKeyedId: number | null }
  | { ok: false; checked: number; brokenId: number; reason: string; unkeyed: number; firstKeyedId: number | null };

/**
 * Walks entries in id order; names the first entry whose link, hash or mac does not hold.
 * Entries before the first keyed one are counted as unkeyed; a missing mac after it is a break.
 * Without a key (null) only the hashes are checked, and a keyed entry is a break: it cannot be vouched for.
 */
export function verifyChain(entries: Iterable<StoredEntry>, key: AuditKey | null, start: ChainState = START): VerifyResult {
  let { prevHash: prev, prevId, firstKeyedId, unkeyed } = start;
  let checked = 0;
  const broken = (e: StoredEntry, reason: string): VerifyResult => ({ ok: false, checked, brokenId: e.id, reason, unkeyed, firstKeyedId });
  for (const e of entries) {
    if (e.id !== prevId + 1) return broken(e, `entry ${prevId + 1} is missing (next found is ${e.id})`);
    if (e.prevHash !== prev) return broken(e, 'its link to the previous entry does not match');
    if (entryHash(e, e.prevHash) !== e.hash) return broken(e, 'its content does not match its hash (changed after writing)');
    if (e.mac == null) {
      if (firstKeyedId !== null) return broken(e, `its mac is missing, though entries are keyed since ${firstKeyedId} (written or rewritten without the key)`);
      unkeyed += 1;
    } else {
      if (key === null) return broken(e, 'it carries a mac but no audit key was given to check it');
      if (!sameHex(entryMac(key, e.hash), e.mac)) return broken(e, 'its mac does not match (written or rewritten without the key, or the key is not the one it was written with)');
      firstKeyedId ??= e.id;
    }
    prev = e.hash;
    prevId = e.id;
    checked += 1;
  }
  return { ok: true, checked, lastHash: prev, lastId: prevId, unkeyed, firstKeyedId };
}

/** The head written down outside the database: one line of JSON, or `id:hash` for short. */
export interface Anchor { id: number; hash: string; mac?: string | null; at?: string }

export function formatAnchor(a: Required<Anchor>): string {
  return JSON.stringify({ id: a.id, hash: a.hash, mac: a.mac, at: a.at });
}

/** Reads what `audit anchor` printed (the JSON line) or `id:hash`; null when it is neither. */
export function parseAnchor(text: string): Anchor | null {
  const s = text.trim();
  const hex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  const short = /^(\d{1,15}):([0-9a-f]{64})$/.exec(s);
  if (short) return { id: Number(short[1]), hash: short[2]! };
  try {
    const o = JSON.parse(s) as Record<string, unknown>;
    if (!o || typeof o !== 'object' || !Number.isSafeInteger(o.id) || (o.id as number) < 1 || !hex(o.hash)) return null;
    if (o.mac != null && !hex(o.mac)) return null;
    return { id: o.id as number, hash: o.hash, mac: (o.mac as string | null | undefined) ?? null, ...(typeof o.at === 'string' ? { at: o.at } : {}) };
  } catch {
    return null;
  }
}

/** Whether the entry found under the anchor's id is the one anchored; a reason when not. */
export function checkAnchor(anchor: Anchor, found: Pick<StoredEntry, 'id' | 'hash' | 'mac'> | undefined): string | null {
  if (!found) return `anchored entry ${anchor.id} is gone (the log was cut off after entry ${anchor.id - 1} or earlier)`;
  if (found.hash !== anchor.hash) return `entry ${anchor.id} is not the one anchored (its hash differs: the log was rewritten or cut off and written again)`;
  if (anchor.mac && found.mac !== anchor.mac) return `entry ${anchor.id} is not the one anchored (its mac differs)`;
  return null;
}
