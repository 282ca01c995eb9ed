import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS, verifyChain, type StoredEntry } from './chain.js';

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const c = { id: i, at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(), actorId: 1, actorName: 'admin', action: 'area.update',
      entity: 'area', entityId: String(i), before: { name: `旧${i}`, n: i }, after: { n: i + 1, name: `新${i}` } };
    const hash = entryHash(c, prev);
    out.push({ ...c, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, checked: 5 });
  });
  it('does not depend on key order (jsonb reorders keys)', () => {
    const c = chain(1)[0]!;
    const reordered = { ...c, after: { name: (c.after as { name: string }).name, n: (c.after as { n: number }).n } };
    expect(verifyChain([reordered]).ok).toBe(true);
  });
  it('names the first changed entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, after: { n: 999, name: '篡改' } };
    expect(verifyChain(c)).toMatchObject({ ok: false, brokenId: 3 });
  });
  it('names a removed entry', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain(c)).toMatchObject({ ok: false, brokenId: 3 });
  });
  it('catches a rewritten tail whose hashes were recomputed but whose link was not', () => {
    const c = chain(3);
    const forged = { ...c[1]!, after: { x: 1 } };
    forged.hash = entryHash(forged, forged.prevHash);
    expect(verifyChain([c[0]!, forged, c[2]!])).toMatchObject({ ok: false, brokenId: 3 });
  });
});
