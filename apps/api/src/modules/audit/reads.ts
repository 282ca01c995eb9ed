// Reads of personal data leave a trace too (PIPL): a phone looked up by its number or revealed, a
// household's or a roster's export. Each is an audit entry of its own, scoped to the area it concerns
// so that the auditors of that area see it.
import type { Db } from '../../db/client.js';
import { readRoots, type Actor } from '../access/policy.js';
import { appendAudit } from './audit.repository.js';

export interface PersonalRead {
  /** e.g. 'personal.phone.reveal', 'personal.phone.search', 'personal.export' */
  action: string;
  entity: string;
  entityId: string | number | null;
  /** what was read, without the personal data itself (a masked phone, a count, a file name) */
  after?: unknown;
  areaPath: string | null;
}

/** Appends the entry in a transaction of its own (a read changes nothing else). */
export async function auditRead(db: Db, actor: Pick<Actor, 'id' | 'username'>, r: PersonalRead): Promise<void> {
  await db.transaction((tx) => appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: r.action, entity: r.entity,
    entityId: r.entityId, after: r.after ?? null, areaPath: r.areaPath }));
}

/** The deepest area holding every given path ('/' when they share none): where a read over several areas is filed. */
export function commonPath(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  const parts = paths.map((p) => p.split('/').filter(Boolean));
  const out: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++) out.push(parts[0]![i]!);
  return `/${out.map((x) => `${x}/`).join('')}`;
}

/** Where a read over everything the actor may read is filed: their one area, the area above several, or install-wide. */
export function readScopePath(actor: Actor, subtree: string | null = null): string | null {
  if (subtree) return subtree;
  const roots = readRoots(actor);
  return roots === 'all' ? null : commonPath(roots);
}
