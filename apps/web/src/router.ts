import { useSyncExternalStore } from 'react';
import type { BaseLocationHook } from 'wouter';

/**
 * Hash routing with a query part inside the hash (`#/benchmarks/x?scenario=srm`). wouter's own hash
 * hook keeps the query in the path (so routes would not match) and moves it to location.search on
 * navigation; this one splits it off, so links stay inside the fragment and work from any sub-path.
 */
function subscribe(callback: () => void): () => void {
  addEventListener('hashchange', callback);
  return () => removeEventListener('hashchange', callback);
}

const rawHash = () => location.hash.replace(/^#?\/?/, '');
const hashPath = () => '/' + (rawHash().split('?')[0] ?? '');
const hashQuery = () => rawHash().split('?').slice(1).join('?');

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = '#/' + to.replace(/^#?\/?/, '');
  if (options.replace) {
    history.replaceState(history.state, '', target);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = target;
}

export const useHashPath: BaseLocationHook = () => [
  useSyncExternalStore(subscribe, hashPath, () => '/'),
  navigate,
];

/** How wouter turns a route into an href under this hook. */
export const hashHref = (href: string) => '#' + href;

/** The query string inside the hash, as URLSearchParams (a fresh object per change). */
export function useHashQuery(): URLSearchParams {
  const query = useSyncExternalStore(subscribe, hashQuery, () => '');
  return new URLSearchParams(query);
}
