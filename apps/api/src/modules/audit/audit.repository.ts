import { desc, sql } from 'drizzle-orm';
import { rows, schema, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { entryHash, entryMac, GENESIS, type AuditContent, type StoredEntry } from './chain.js';
import { auditKey } from './key.js';

export interface AuditInput {
  actorId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  /** the area the entry concerns (/1/5/23/): readers of that area see it; null or absent: install-wide */
  areaPath?: string | null;
}

/** Appends inside the caller's transaction, so the entry lands with the change or not at all. */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  // One writer at a time extends the chain; the lock ends with the transaction.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(727002)`);
  const [last] = await tx.select({ id: schema.auditLog.id, hash: schema.auditLog.hash, mac: schema.auditLog.mac })
    .from(schema.auditLog).orderBy(desc(schema.auditLog.id)).limit(1);
  const key = auditKey();
  // An unkeyed entry after keyed ones would read as a break: refuse rather than write it.
  if (key === null && last?.mac != null) throw new Error('appendAudit: the audit key is not set (setAuditKey) but the log is keyed');
  if (input.areaPath != null && !/^\/(\d+\/)*$/.test(input.areaPath)) throw new Error(`appendAudit: areaPath must look like /1/5/23/, got "${input.areaPath}"`);
  const content: AuditContent = {
    id: (last?.id ?? 0) + 1,
    at: new Date().toISOString(),
    actorId: input.actorId,
    actorName: input.actorName,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId == null ? null : String(input.entityId),
    before: input.before ?? null,
    after: input.after ?? null,
    areaPath: input.areaPath ?? null,
  };
  const prevHash = last?.hash ?? GENESIS;
  const hash = entryHash(content, prevHash);
  await tx.insert(schema.auditLog).values({
    ...content,
    at: new Date(content.at),
    before: JSON.parse(JSON.stringify(content.before)),
    after: JSON.parse(JSON.stringify(content.after)),
    prevHash,
    hash,
    mac: key === null ? null : entryMac(key, hash),
  });
}

type Row = {
  id: number; at: Date; actor_id: number | null; actor_name: string | null; action: string;
  entity: string; entity_id: string | null; before: unknown; after: unknown; prev_hash: string; hash: string;
  area_path: string | null; mac: string | null;
};

export function toStored(r: Row): StoredEntry {
  return {
    id: Number(r.id), at: toDate(r.at)!.toISOString(), actorId: r.actor_id == null ? null : Number(r.actor_id),
    actorName: r.actor_name, action: r.action, entity: r.entity, entityId: r.entity_id,
    before: r.before, after: r.after, areaPath: r.area_path, prevHash: r.prev_hash, hash: r.hash, mac: r.mac,
  };
}

export async function auditPage(db: Db, afterId: number, limit: number): Promise<StoredEntry[]> {
  const list = await rows<Row>(db, sql`SELECT * FROM audit_log WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`);
  return list.map(toStored);
}

export async function findAudit(db: Db, id: number): Promise<StoredEntry | undefined> {
  const [r] = await rows<Row>(db, sql`SELECT * FROM audit_log WHERE id = ${id}`);
  return r && toStored(r);
}

export async function auditHead(db: Db): Promise<StoredEntry | undefined> {
  const [r] = await rows<Row>(db, sql`SELECT * FROM audit_log ORDER BY id DESC LIMIT 1`);
  return r && toStored(r);
}

/** Newest first; `roots` = the reader's subtrees: entries of areas inside them, install-wide ones only for 'all'. */
export async function listAudit(db: Db, roots: string[] | 'all', opts: { entity?: string; entityId?: string; beforeId?: number; limit: number }) {
  const paths = roots === 'all' ? [] : roots.filter((p) => /^\/(\d+\/)+$/.test(p));
  const conds = [roots === 'all' ? sql`TRUE` : paths.length === 0 ? sql`FALSE`
    : sql`(${sql.join(paths.map((p) => sql`area_path LIKE ${`${p}%`}`), sql` OR `)})`];
  if (opts.entity) conds.push(sql`entity = ${opts.entity}`);
  if (opts.entityId) conds.push(sql`entity_id = ${opts.entityId}`);
  if (opts.beforeId) conds.push(sql`id < ${opts.beforeId}`);
  const list = await rows<Row>(db, sql`SELECT * FROM audit_log WHERE ${sql.join(conds, sql` AND `)} ORDER BY id DESC LIMIT ${opts.limit}`);
  return list.map(toStored);
}
