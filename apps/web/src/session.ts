import { createContext, useContext } from 'react';
import type { Me, Reference } from './api';

export interface Session {
  me: Me;
  reference: Reference | null;
  reload(): Promise<void>;
  /** may manage areas/people/responsibilities in the area whose ancestor-or-self ids are given */
  canManageIn(ids: number[]): boolean;
  /** has a manage role anywhere */
  canManageAny: boolean;
}

export const SessionContext = createContext<Session | null>(null);
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export function canManageIn(me: Me, ids: number[]): boolean {
  return me.roles.some((r) => r.canManage && (r.areaId === null || ids.includes(r.areaId)));
}
