import { describe, expect, it } from 'vitest';
import { RateLimiter } from './ratelimit.js';

describe('RateLimiter', () => {
  it('allows a burst of the limit, then refuses with the wait until the next token', () => {
    const r = new RateLimiter(120, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 120; i++) expect(r.take('a', t0).ok).toBe(true);
    expect(r.take('a', t0)).toEqual({ ok: false, retryAfter: 1 }); // 2 per second refilled
    expect(r.take('b', t0).ok).toBe(true); // another address has its own bucket
    expect(r.take('a', t0 + 499).ok).toBe(false);
    expect(r.take('a', t0 + 500).ok).toBe(true);
    expect(r.take('a', t0 + 500).ok).toBe(false);
  });

  it('a refused request takes nothing; an idle key fills up to the limit, not past it', () => {
    const r = new RateLimiter(5, 10 * 60_000);
    for (let i = 0; i < 5; i++) r.take('x', 0);
    expect(r.take('x', 0).retryAfter).toBe(120); // one token per 2 minutes
    for (let i = 0; i < 50; i++) expect(r.take('x', 1000).ok).toBe(false);
    expect(r.take('x', 1000).retryAfter).toBe(119);
    expect(r.take('x', 120_000).ok).toBe(true);
    let n = 0;
    while (r.take('x', 24 * 3600_000).ok) n++;
    expect(n).toBe(5);
  });

  it('keeps at most maxKeys keys, forgetting the least recently used', () => {
    const r = new RateLimiter(1, 60_000, 3);
    for (const k of ['a', 'b', 'c']) expect(r.take(k, 0).ok).toBe(true);
    expect(r.take('a', 1).ok).toBe(false); // a is now the most recent
    expect(r.take('d', 2).ok).toBe(true); // b is forgotten
    expect(r.size).toBe(3);
    expect(r.take('b', 3).ok).toBe(true); // b starts full again; c is forgotten
    expect(r.take('a', 4).ok).toBe(false);
    expect(r.take('c', 5).ok).toBe(true);
  });

  it('refuses nonsense settings', () => {
    expect(() => new RateLimiter(0, 1000)).toThrow();
    expect(() => new RateLimiter(5, 0)).toThrow();
  });
});
