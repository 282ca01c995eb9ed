// The duty table: seeded from packages/shared/src/duties.ts, then data a global administrator edits.
// Read on every request that needs a duty, so it is cached for a few seconds per process; an edit
// clears this process's cache at once and reaches other processes within CACHE_MS.
import { DUTIES, DUTY_BY_KEY } from '../../../../../packages/shared/src/duties.js';
import { ROLES } from '../../../../../packages/shared/src/mechanism.js';
import type { Db } from '../../db/client.js';
import { badInput } from '../../lib/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { Actor } from './policy.js';
import { dutyChangeProblem, type DutyTable } from './duties.rules.js';
import * as repo from './duties.repository.js';

const CACHE_MS = 5_000;
const cache = new WeakMap<Db, { at: number; table: Promise<DutyTable> }>();

export async function ensureDuties(db: Db): Promise<string[]> {
  const seeded = await repo.seedMissing(db, DUTIES.map((d) => ({ key: d.key, roles: d.roles })));
  cache.delete(db);
  return seeded;
}

export function dutyTable(db: Db): Promise<DutyTable> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.table;
  const table = repo.allRoleDuties(db).then((list) => {
    const m = new Map<string, Set<string>>();
    for (const r of list) {
      if (!m.has(r.duty)) m.set(r.duty, new Set());
      m.get(r.duty)!.add(r.roleKey);
    }
    return m as DutyTable;
  });
  table.catch(() => cache.delete(db));
  cache.set(db, { at: Date.now(), table });
  return table;
}

export async function listDuties(db: Db) {
  const table = await dutyTable(db);
  return {
    roles: ROLES.map((r) => ({ key: r.key, zh: r.zh, en: r.en })),
    duties: DUTIES.map((d) => ({
      key: d.key, zh: d.zh, en: d.en, group: d.group, global: d.scope === 'global', secondFactor: Boolean(d.secondFactor),
      roles: [...(table.get(d.key) ?? [])].sort(), defaultRoles: [...d.roles],
    })),
  };
}

export async function setDutyRoles(db: Db, actor: Actor, duty: string, roles: string[]) {
  const wanted = [...new Set(roles)].sort();
  const problem = dutyChangeProblem(duty, wanted, new Set(ROLES.map((r) => r.key)));
  if (problem) throw badInput(problem, [{ field: 'roles', message: problem }], DUTY_BY_KEY[duty] ? 'BAD_INPUT' : 'UNKNOWN_DUTY');
  await db.transaction(async (tx) => {
    const before = await repo.rolesOfDuty(tx, duty);
    await repo.setRolesOfDuty(tx, duty, wanted);
    await appendAudit(tx, { actorId: actor.id, actorName: actor.username, action: 'duty.set', entity: 'duty', entityId: duty, before: { roles: before }, after: { roles: wanted } });
  });
  cache.delete(db);
  return (await listDuties(db)).duties.find((d) => d.key === duty)!;
}
