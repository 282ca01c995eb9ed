// The area a screen opens on: the highest of my areas (a town administrator: the town); for a
// global administrator, the top of the tree, down through single children to the town.
import { useEffect, useState } from 'react';
import { api, type Me } from '../../api';
import { useSession } from '../../session';
import { LEVEL_BY_KEY, type LevelKey } from '../../../../../packages/shared/src/mechanism';

export interface ScopeArea { id: number; name: string; code: string; level: LevelKey }

const rank = (l: string) => LEVEL_BY_KEY[l as LevelKey]?.rank ?? 99;

export async function defaultScope(me: Me): Promise<ScopeArea | null> {
  if (!me.global && me.areas.length > 0) {
    const found = (await Promise.all(me.areas.map((a) => api.area(a.id).catch(() => null)))).filter((a) => a !== null);
    found.sort((a, b) => rank(a.level) - rank(b.level));
    const a = found[0];
    return a ? { id: a.id, name: a.name, code: a.code, level: a.level } : null;
  }
  const top = await api.topAreas();
  if (top.length === 0) return null;
  let cur = top[0]!;
  for (let hops = 0; hops < 4 && top.length === 1 && cur.childCount === 1 && rank(cur.level) < rank('town'); hops++) {
    const below = await api.children(cur.id, false).catch(() => []);
    if (below.length !== 1) break;
    cur = below[0]!;
  }
  return { id: cur.id, name: cur.name, code: cur.code, level: cur.level };
}

/** The default scope, loaded once; null while loading, undefined if there is none. */
export function useDefaultScope(): ScopeArea | null | undefined {
  const { me } = useSession();
  const [scope, setScope] = useState<ScopeArea | null | undefined>(null);
  useEffect(() => {
    let live = true;
    defaultScope(me).then((s) => { if (live) setScope(s ?? undefined); }).catch(() => { if (live) setScope(undefined); });
    return () => { live = false; };
  }, [me]);
  return scope;
}
