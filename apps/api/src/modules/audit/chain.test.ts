import { describe, expect, it } from 'vitest';
import { checkAnchor, entryHash, entryMac, formatAnchor, GENESIS, parseAnchor, START, verifyChain, type StoredEntry } from './chain.js';

const KEY = 'k'.repeat(40);
const OTHER = 'o'.repeat(40);

/** n entries; the first `unkeyed` carry no mac (written before the install had a key). */
function chain(n: number, opts: { key?: string | null; unkeyed?: number } = {}): StoredEntry[] {
  const key = opts.key === undefined ? KEY : opts.key;
  const out: StoredEntry[] = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const c = { id: i, at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(), actorId: 1, actorName: 'admin', action: 'area.update',
      entity: 'area', entityId: String(i), before: { name: `旧${i}`, n: i }, after: { n: i + 1, name: `新${i}` }, areaPath: i % 2 ? `/1/${i}/` : null };
    const hash = entryHash(c, prev);
    out.push({ ...c, prevHash: prev, hash, mac: key === null || i <= (opts.unkeyed ?? 0) ? null : entryMac(key, hash) });
    prev = hash;
  }
  return out;
}

/** What someone with the database but not the key can do: change entry `from` and re-hash everything after it. */
function rehashFrom(c: StoredEntry[], from: number, change: (e: StoredEntry) => StoredEntry, mac: (hash: string, old: StoredEntry) => string | null): StoredEntry[] {
  const out = c.slice(0, from - 1);
  let prev = out.length ? out[out.length - 1]!.hash : GENESIS;
  for (const e0 of c.slice(from - 1)) {
    const e = e0.id === from ? change(e0) : e0;
    const hash = entryHash(e, prev);
    out.push({ ...e, prevHash: prev, hash, mac: mac(hash, e0) });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5), KEY)).toMatchObject({ ok: true, checked: 5, unkeyed: 0, firstKeyedId: 1, lastId: 5 });
  });
  it('does not depend on key order (jsonb reorders keys)', () => {
    const c = chain(1)[0]!;
    const reordered = { ...c, after: { name: (c.after as { name: string }).name, n: (c.after as { n: number }).n } };
    expect(verifyChain([reordered], KEY).ok).toBe(true);
  });
  it('names the first changed entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, after: { n: 999, name: '篡改' } };
    expect(verifyChain(c, KEY)).toMatchObject({ ok: false, brokenId: 3 });
  });
  it('covers the area: moving an entry to another area breaks it', () => {
    const c = chain(3);
    c[0] = { ...c[0]!, areaPath: '/1/9/' };
    expect(verifyChain(c, KEY)).toMatchObject({ ok: false, brokenId: 1 });
    const d = chain(3);
    d[1] = { ...d[1]!, areaPath: '/1/2/' }; // was null (install-wide)
    expect(verifyChain(d, KEY)).toMatchObject({ ok: false, brokenId: 2 });
  });
  it('names a removed entry', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain(c, KEY)).toMatchObject({ ok: false, brokenId: 3 });
  });
  it('catches a rewritten tail whose hashes were recomputed but whose link was not', () => {
    const c = chain(3);
    const forged = { ...c[1]!, after: { x: 1 } };
    forged.hash = entryHash(forged, forged.prevHash);
    expect(verifyChain([c[0]!, forged, c[2]!], KEY)).toMatchObject({ ok: false, brokenId: 2 }); // its mac
    const u = chain(3, { key: null });
    const forgedU = { ...u[1]!, after: { x: 1 } };
    forgedU.hash = entryHash(forgedU, forgedU.prevHash);
    expect(verifyChain([u[0]!, forgedU, u[2]!], KEY)).toMatchObject({ ok: false, brokenId: 3 }); // unkeyed: the next link
  });
  it('continues across pages from a state', () => {
    const c = chain(6, { unkeyed: 2 });
    const a = verifyChain(c.slice(0, 3), KEY);
    expect(a).toMatchObject({ ok: true, unkeyed: 2, firstKeyedId: 3 });
    if (!a.ok) return;
    const b = verifyChain(c.slice(3), KEY, { prevHash: a.lastHash, prevId: a.lastId, firstKeyedId: a.firstKeyedId, unkeyed: a.unkeyed });
    expect(b).toMatchObject({ ok: true, checked: 3, unkeyed: 2, firstKeyedId: 3, lastId: 6 });
  });
});

describe('the keyed chain', () => {
  it('counts entries written before the key as unkeyed, and checks every mac after', () => {
    expect(verifyChain(chain(5, { unkeyed: 3 }), KEY)).toMatchObject({ ok: true, checked: 5, unkeyed: 3, firstKeyedId: 4 });
    expect(verifyChain(chain(4, { key: null }), KEY)).toMatchObject({ ok: true, checked: 4, unkeyed: 4, firstKeyedId: null });
  });
  it('a rewritten entry re-hashed without the key: the chain holds, the mac does not', () => {
    const forged = rehashFrom(chain(5), 3, (e) => ({ ...e, after: { n: 0, name: '改过' } }), (_h, old) => old.mac);
    expect(verifyChain(forged, null)).toMatchObject({ ok: false, brokenId: 1 }); // without a key nothing keyed is vouched for
    const r = verifyChain(forged, KEY);
    expect(r).toMatchObject({ ok: false, brokenId: 3, checked: 2 });
    expect(!r.ok && r.reason).toMatch(/mac does not match/);
  });
  it('a re-hashed chain signed with a guessed key, or with its macs dropped, breaks at the first rewritten entry', () => {
    const guessed = rehashFrom(chain(5), 2, (e) => ({ ...e, actorName: 'someone' }), (h) => entryMac(OTHER, h));
    expect(verifyChain(guessed, KEY)).toMatchObject({ ok: false, brokenId: 2 });
    const dropped = rehashFrom(chain(5), 4, (e) => ({ ...e, before: null }), () => null);
    const r = verifyChain(dropped, KEY);
    expect(r).toMatchObject({ ok: false, brokenId: 4, firstKeyedId: 1 });
    expect(!r.ok && r.reason).toMatch(/mac is missing/);
  });
  it('a key other than the one the log was written with is told', () => {
    expect(verifyChain(chain(3), OTHER)).toMatchObject({ ok: false, brokenId: 1 });
  });
});

describe('anchors', () => {
  const c = chain(6);
  const head = c[5]!;
  const line = formatAnchor({ id: head.id, hash: head.hash, mac: head.mac, at: head.at });

  it('reads back what anchor printed, and id:hash', () => {
    expect(parseAnchor(line)).toEqual({ id: 6, hash: head.hash, mac: head.mac, at: head.at });
    expect(parseAnchor(`  6:${head.hash}\n`)).toEqual({ id: 6, hash: head.hash });
    for (const bad of ['', '6', `x:${head.hash}`, `6:${head.hash.slice(1)}`, '{"id":0,"hash":"00"}', '{"id":6}', 'null', `{"id":6,"hash":"${head.hash}","mac":"zz"}`]) {
      expect(parseAnchor(bad), bad).toBeNull();
    }
  });
  it('a cut-off tail verifies as a chain, but not against the anchor', () => {
    const cut = c.slice(0, 4);
    expect(verifyChain(cut, KEY).ok).toBe(true);
    const found = cut.find((e) => e.id === 6);
    expect(checkAnchor(parseAnchor(line)!, found)).toMatch(/gone/);
    expect(checkAnchor(parseAnchor(line)!, c.find((e) => e.id === 6))).toBeNull();
  });
  it('a tail cut off and written again (ids reused) differs from the anchor', () => {
    const again = rehashFrom(c, 5, (e) => ({ ...e, action: 'area.create' }), (h) => entryMac(KEY, h)); // even with the key
    expect(verifyChain(again, KEY, START).ok).toBe(true);
    expect(checkAnchor(parseAnchor(line)!, again[5])).toMatch(/hash differs/);
  });
  it('a whole chain re-hashed with its macs dropped looks unkeyed, and the anchor tells', () => {
    const stripped = rehashFrom(c, 1, (e) => ({ ...e, actorName: 'x' }), () => null);
    expect(verifyChain(stripped, KEY)).toMatchObject({ ok: true, unkeyed: 6, firstKeyedId: null });
    expect(checkAnchor(parseAnchor(line)!, stripped[5])).not.toBeNull();
    expect(checkAnchor({ id: 6, hash: head.hash, mac: head.mac }, { id: 6, hash: head.hash, mac: null })).toMatch(/mac differs/);
  });
});
