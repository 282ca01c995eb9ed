// The duty table (role_duty) and which duties were seeded (duty). The only SQL of the access module.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';

/** Puts in the default roles of each duty not seeded before, in one transaction; returns the keys seeded now. */
export async function seedMissing(db: Db, defaults: { key: string; roles: readonly string[] }[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const keys = defaults.map((d) => d.key);
    const fresh = await rows<{ key: string }>(tx, sql`INSERT INTO duty (key) SELECT jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)
      ON CONFLICT (key) DO NOTHING RETURNING key`);
    const added = new Set(fresh.map((r) => r.key));
    const pairs = defaults.filter((d) => added.has(d.key)).flatMap((d) => d.roles.map((r) => [d.key, r] as const));
    if (pairs.length) {
      await tx.execute(sql`INSERT INTO role_duty (duty, role_key)
        SELECT x->>0, x->>1 FROM jsonb_array_elements(${JSON.stringify(pairs)}::jsonb) x
        JOIN role ON role.key = x->>1 ON CONFLICT DO NOTHING`);
    }
    return [...added];
  });
}

export async function allRoleDuties(db: Db): Promise<{ duty: string; roleKey: string }[]> {
  return rows(db, sql`SELECT duty, role_key AS "roleKey" FROM role_duty ORDER BY duty, role_key`);
}

export async function rolesOfDuty(tx: Db, duty: string): Promise<string[]> {
  const r = await rows<{ roleKey: string }>(tx, sql`SELECT role_key AS "roleKey" FROM role_duty WHERE duty = ${duty} ORDER BY role_key FOR UPDATE`);
  return r.map((x) => x.roleKey);
}

export async function setRolesOfDuty(tx: Db, duty: string, roles: string[]): Promise<void> {
  await tx.execute(sql`DELETE FROM role_duty WHERE duty = ${duty} AND role_key NOT IN (SELECT jsonb_array_elements_text(${JSON.stringify(roles)}::jsonb))`);
  if (roles.length) {
    await tx.execute(sql`INSERT INTO role_duty (duty, role_key) SELECT ${duty}, jsonb_array_elements_text(${JSON.stringify(roles)}::jsonb) ON CONFLICT DO NOTHING`);
  }
}
