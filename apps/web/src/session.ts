import { createContext, useContext } from 'react';
import type { Me, Reference } from './api';

export interface Session {
  me: Me;
  reference: Reference | null;
  reload(): Promise<void>;
  /**
   * Whether the caller holds a duty (职责, packages/shared/src/duties.ts): anywhere, or, given the
   * ancestor-or-self ids of an area, in that area. The screens show only what this allows; the
   * server stays the authority (a refusal shows its message).
   */
  can(duty: string, areaIds?: number[]): boolean;
}

export const SessionContext = createContext<Session | null>(null);
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

/** The `can` of a session, from `/me`'s capabilities. */
export function can(me: Pick<Me, 'capabilities' | 'capabilityAreas'> | null | undefined, duty: string, areaIds?: number[]): boolean {
  if (!me?.capabilities?.includes(duty)) return false;
  if (!areaIds) return true;
  const held = me.capabilityAreas?.[duty] ?? [];
  return held.some((a) => a === null || areaIds.includes(a));
}
