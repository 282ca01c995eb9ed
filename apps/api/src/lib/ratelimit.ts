// A small in-process rate limiter: one token bucket per key (a hashed address), refilled evenly.
// Cheap enough to run before a request's body is read. It is per process: behind a load balancer
// with several processes each allows the full rate; the exact limits that matter (reports per
// address, phone and partner) are counted in the database, this only keeps floods off them.
import { DomainError } from './errors.js';

export interface Taken { ok: boolean; /** whole seconds until one more would be allowed (0 when ok) */ retryAfter: number }

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  /**
   * `limit` requests per `windowMs`, in bursts of at most `limit`. At most `maxKeys` keys are kept: the
   * least recently seen is forgotten first (a forgotten key starts full, so memory stays bounded
   * whatever the number of addresses, at the price of a fresh burst for a long-idle one).
   */
  constructor(readonly limit: number, readonly windowMs: number, private readonly maxKeys = 100_000) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error(`bad rate: ${limit} per ${windowMs} ms`);
    this.perMs = limit / windowMs;
  }

  /** Takes one token for the key if there is one. A refused request takes nothing. */
  take(key: string, now = Date.now()): Taken {
    const b = this.buckets.get(key);
    let tokens = this.limit;
    if (b) {
      tokens = Math.min(this.limit, b.tokens + Math.max(0, now - b.at) * this.perMs);
      this.buckets.delete(key); // re-inserted below: the map's order is the order of last use
    } else if (this.buckets.size >= this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { ok: true, retryAfter: 0 };
    }
    this.buckets.set(key, { tokens, at: now });
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  /** Keys held (for tests and metrics). */
  get size(): number { return this.buckets.size; }
}

/** Takes a token for the key, or throws 429 with the wait (Retry-After) in words a person can act on. */
export function takeOrRefuse(limiter: RateLimiter, key: string, now = Date.now()): void {
  const t = limiter.take(key, now);
  if (t.ok) return;
  throw new DomainError(429, 'TOO_MANY_REQUESTS',
    `请求太频繁：每个网络地址每分钟最多 ${Math.round((limiter.limit * 60_000) / limiter.windowMs)} 次，请 ${t.retryAfter} 秒后再试 (too many requests from this address; retry after ${t.retryAfter} s)`,
    [{ field: 'retryAfter', message: String(t.retryAfter) }]);
}
