// The first administrator: user `admin` with the global admin role. A generated password is shown
// once and must be changed at first login; one given in WANGGE_ADMIN_PASSWORD was chosen by the operator.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { appendAudit } from '../audit/audit.repository.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import * as people from './people.repository.js';

export async function ensureAdmin(db: Db, password: string | null) {
  if (await people.userByName(db, 'admin')) return { created: false as const };
  const generated = !password;
  const pw = password ?? `${randomBytes(9).toString('base64url')}7a`;
  const problem = passwordProblem(pw, 'admin');
  if (problem) throw new Error(`WANGGE_ADMIN_PASSWORD: ${problem}`);
  const passwordHash = await hashPassword(pw);
  await db.transaction(async (tx) => {
    const id = await people.insertUser(tx, { username: 'admin', displayName: '系统管理员', phone: null, passwordHash, mustChangePassword: generated });
    await people.insertGrant(tx, id, 'admin', null);
    await appendAudit(tx, { actorId: null, actorName: 'system', action: 'user.create', entity: 'user', entityId: id, after: { username: 'admin', roles: [{ roleKey: 'admin', areaId: null }] } });
  });
  return { created: true as const, password: generated ? pw : null };
}
