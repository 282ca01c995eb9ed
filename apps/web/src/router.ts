// A tiny hash router: #/areas/123 → { path: ['areas', '123'] }.
import { useMemo, useSyncExternalStore } from 'react';

export interface Route { path: string[]; query: URLSearchParams }

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [p = '', q = ''] = raw.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

export function navigate(to: string, replace = false) {
  const h = to.startsWith('#') ? to : `#${to}`;
  if (replace) {
    history.replaceState(null, '', h);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = h;
  }
}

const subscribe = (on: () => void) => {
  window.addEventListener('hashchange', on);
  return () => window.removeEventListener('hashchange', on);
};
const hashNow = () => window.location.hash;

/**
 * The current route. The hash is an external store: React re-reads it when it subscribes, so a
 * hash change between the first render and the subscription (a busy page) is never missed.
 */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, hashNow);
  return useMemo(() => parseHash(hash), [hash]);
}
