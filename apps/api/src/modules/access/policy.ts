// Access follows the grid: a role is held in an area, and its holder sees (and, if the role
// writes, acts) only inside that area's subtree. Pure functions over the actor's grants.
import { forbidden } from '../../lib/errors.js';

export interface Grant {
  roleKey: string;
  areaId: number | null; // null: the whole install (system administrator)
  areaPath: string | null;
  areaName: string | null;
  canWrite: boolean;
  canManage: boolean;
}

export interface Actor {
  id: number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  grants: Grant[];
}

const inside = (grant: Grant, path: string) => grant.areaPath === null || path.startsWith(grant.areaPath);

export const canRead = (actor: Actor, path: string) => actor.grants.some((g) => inside(g, path));
export const canWrite = (actor: Actor, path: string) => actor.grants.some((g) => g.canWrite && inside(g, path));
export const canManage = (actor: Actor, path: string) => actor.grants.some((g) => g.canManage && inside(g, path));
export const isGlobal = (actor: Actor) => actor.grants.some((g) => g.areaPath === null);
export const managesAnything = (actor: Actor) => actor.grants.some((g) => g.canManage);

/** The subtree roots the actor may read, with roots inside other roots dropped. */
export function readRoots(actor: Actor): string[] | 'all' {
  if (isGlobal(actor)) return 'all';
  const paths = [...new Set(actor.grants.map((g) => g.areaPath!))].sort((a, b) => a.length - b.length);
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

export function manageRoots(actor: Actor): string[] | 'all' {
  if (actor.grants.some((g) => g.areaPath === null && g.canManage)) return 'all';
  const paths = [...new Set(actor.grants.filter((g) => g.canManage).map((g) => g.areaPath!))];
  return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q)));
}

export function assertRead(actor: Actor, path: string, what = '该区域') {
  if (!canRead(actor, path)) throw forbidden(`无权查看${what}：不在您负责的区域内 (outside your areas)`);
}
export function assertWrite(actor: Actor, path: string, what = '该区域') {
  if (!canWrite(actor, path)) throw forbidden(`无权修改${what}：您的角色在此区域只读或不在您负责的区域内 (read-only or outside your areas)`);
}
export function assertManage(actor: Actor, path: string, what = '该区域') {
  if (!canManage(actor, path)) throw forbidden(`无权管理${what}：需要管理员角色 (needs an administrator role for this area)`);
}
