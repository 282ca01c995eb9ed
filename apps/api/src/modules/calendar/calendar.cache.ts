// A small in-process cache of the loaded calendar, per database handle. Every change in this
// process bumps the generation; other processes see a change within MAX_AGE_MS.
import type { Db } from '../../db/client.js';
import type { WorkCalendar } from './deadline.rules.js';

const MAX_AGE_MS = 60_000;
let generation = 0;
const cache = new WeakMap<Db, { generation: number; at: number; cal: WorkCalendar }>();

export function cached(db: Db): WorkCalendar | undefined {
  const e = cache.get(db);
  if (!e || e.generation !== generation || Date.now() - e.at > MAX_AGE_MS) return undefined;
  return e.cal;
}

export function remember(db: Db, cal: WorkCalendar, loadedAtGeneration: number): void {
  if (loadedAtGeneration === generation) cache.set(db, { generation, at: Date.now(), cal });
}

export const currentGeneration = () => generation;

export function invalidateCalendar(): void {
  generation += 1;
}
