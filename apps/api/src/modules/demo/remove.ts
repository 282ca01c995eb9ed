// `npx wangge demo remove`: takes a demo install to a town ready to go live, in one transaction.
//
// What goes: every demo person (with their grants, responsibilities, sessions, notifications and
// tasks); the generated districts, grids and micro-grids; everything recorded in the demo town
// (cases with their steps, requests, photos and public reports, routine tasks and results, cleaning
// turnout, observations, households and their points, rounds, exchanges, bounties, publicity,
// other-work scores, ratings and awards, bulletins, kept score facts) and the shop goods the demo
// put in. What stays: the real divisions (province, city, county, the town and its villages with
// their codes), no longer flagged demo, with the generated populations and boundaries cleared and
// the villages straight under the town, as `init --town` makes them; with `allAreas` those go too
// (an area above anything not made by the demo always stays). Never touched: the audit log (the
// record; one `demo.remove` entry is added with the counts), people and areas not flagged demo,
// and configuration (categories, plans, indicators, settings, the calendar).
import fs from 'node:fs';
import type { Db } from '../../db/client.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as areasRepo from '../areas/areas.repository.js';
import type { PhotoStore } from '../evidence/storage.js';
import * as repo from './remove.repository.js';

export interface RemoveOptions {
  /** also remove the demo-flagged real divisions (the town and its villages…) */
  allAreas?: boolean;
  actorName?: string;
}

export interface Preview extends repo.Marked {
  /** demo-flagged areas that stay, unflagged */
  keptAreas: number;
}

export interface Removed {
  /** rows deleted per table, in the order deleted (zeros left out) */
  deleted: Record<string, number>;
  keptAreas: number;
  movedAreas: number;
  files: number;
}

class Rollback extends Error {}

/** Whether anything flagged demo is left. */
export async function hasDemoData(db: Db): Promise<boolean> {
  const p = await repo.demoPresence(db);
  return p.areas + p.users + p.cases + p.otherScores > 0;
}

/** What a removal would take, counted in a transaction that is rolled back; null when there is no demo data. */
export async function previewDemoRemoval(db: Db, opts: RemoveOptions = {}): Promise<Preview | null> {
  if (!(await hasDemoData(db))) return null;
  let out: Preview | null = null;
  await db.transaction(async (tx) => {
    await repo.markDemo(tx, { allAreas: opts.allAreas ?? false });
    const m = await repo.markedCounts(tx);
    const p = await repo.demoPresence(tx);
    out = { ...m, keptAreas: p.areas - m.areas };
    throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return out;
}

/** Removes the demo data; null when there is none. Photo files no row refers to any more are deleted after the commit. */
export async function removeDemo(db: Db, store: PhotoStore, opts: RemoveOptions = {}): Promise<Removed | null> {
  if (!(await hasDemoData(db))) return null;
  const allAreas = opts.allAreas ?? false;
  const result = await db.transaction(async (tx) => {
    await repo.markDemo(tx, { allAreas });
    await repo.setGuards(tx, false);
    const deleted = await repo.deleteMarked(tx);
    const files = await repo.orphanFiles(tx);
    // Kept areas under removed ones (the villages under the generated districts) move up to their
    // nearest kept ancestor, as `init --town` places villages straight under the town.
    const moving = await repo.keptUnderRemoved(tx);
    for (const a of moving) {
      const current = (await areasRepo.findById(tx, a.id))!;
      const chain = current.path.split('/').filter(Boolean).map(Number).slice(0, -1);
      const removed = await repo.removedAmong(tx, chain);
      const parentId = [...chain].reverse().find((id) => !removed.has(id));
      if (parentId === undefined) throw new Error(`area ${a.id} would be left without a parent`);
      const parent = (await areasRepo.findById(tx, parentId))!;
      await areasRepo.moveSubtree(tx, a.id, parentId, current.path, `${parent.path}${a.id}/`);
    }
    deleted.area = await repo.deleteAreas(tx);
    const keptAreas = await repo.unflagKept(tx);
    await repo.setGuards(tx, true);
    const counts = Object.fromEntries(Object.entries(deleted).filter(([, n]) => n > 0));
    await appendAudit(tx, { actorId: null, actorName: opts.actorName ?? 'cli', action: 'demo.remove', entity: 'demo', entityId: null,
      after: { deleted: counts, keptAreas, movedAreas: moving.length, allAreas, photoFiles: files.length } });
    return { deleted: counts, keptAreas, movedAreas: moving.length, fileKeys: files };
  });
  let files = 0;
  for (const key of result.fileKeys) {
    try {
      await fs.promises.rm(store.pathOf(key), { force: true });
      files += 1;
    } catch {
      // a file that cannot be removed stays; no row refers to it
    }
  }
  return { deleted: result.deleted, keptAreas: result.keptAreas, movedAreas: result.movedAreas, files };
}
