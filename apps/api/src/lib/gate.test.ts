import { describe, expect, it } from 'vitest';
import { Busy, Gate } from './gate.js';

const later = () => {
  let resolve!: () => void;
  const p = new Promise<void>((r) => { resolve = r; });
  return { p, resolve };
};

describe('Gate', () => {
  it('runs at most `concurrency` at once, queues `queue` more, and turns the next away', async () => {
    const g = new Gate(2, 3);
    const hold = later();
    let peak = 0;
    let now = 0;
    const work = async () => { now++; peak = Math.max(peak, now); await hold.p; now--; return 'done'; };
    const running = [1, 2, 3, 4, 5].map(() => g.run(work));
    await Promise.resolve();
    expect([g.active, g.queued]).toEqual([2, 3]);
    await expect(g.run(work)).rejects.toBeInstanceOf(Busy);
    hold.resolve();
    expect(await Promise.all(running)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
    expect([g.active, g.queued]).toEqual([0, 0]);
  });

  it('frees its place when the work fails', async () => {
    const g = new Gate(1, 0);
    await expect(g.run(async () => { throw new Error('x'); })).rejects.toThrow('x');
    expect(await g.run(async () => 7)).toBe(7);
    expect(g.active).toBe(0);
  });

  it('hands places on in order', async () => {
    const g = new Gate(1, 10);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((i) => g.run(async () => { order.push(i); await new Promise((r) => setTimeout(r, 1)); })));
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
