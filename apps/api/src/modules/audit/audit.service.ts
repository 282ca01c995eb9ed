import type { Db } from '../../db/client.js';
import { auditPage } from './audit.repository.js';
import { GENESIS, verifyChain, type VerifyResult } from './chain.js';

/** Checks the whole chain page by page, so a long log never sits in memory at once. */
export async function verifyAudit(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prev = { prevHash: GENESIS, prevId: 0 };
  let total = 0;
  for (;;) {
    const page = await auditPage(db, prev.prevId, pageSize);
    if (page.length === 0) return { ok: true, checked: total, lastHash: prev.prevHash };
    const r = verifyChain(page, prev);
    if (!r.ok) return { ...r, checked: total + r.checked };
    total += r.checked;
    prev = { prevHash: r.lastHash, prevId: page[page.length - 1]!.id };
  }
}
