import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AccessGate, AccessSnapshot } from '../bridge/access-gate';
import { useConsole } from '../store/context';
import { selectors } from '../store/selectors';

const AccessContext = createContext<AccessGate | null>(null);

/** Gives the components below it the page's API token (see access-gate.ts); null in tests that need none. */
export const AccessProvider = AccessContext.Provider;

export function useAccessGate(): AccessGate | null {
  return useContext(AccessContext);
}

const NO_ACCESS: AccessSnapshot = { asking: false, reason: '', refused: null, actor: null, fromWindow: false };

/** What the token dialog and the role line show, kept current. */
export function useAccess(): AccessSnapshot {
  const gate = useAccessGate();
  const snapshot = () => gate?.snapshot() ?? NO_ACCESS;
  return useSyncExternalStore((listener) => gate?.subscribe(listener) ?? (() => undefined), snapshot, snapshot);
}

/**
 * Whether the page may not change anything now: the console is unreachable, or the page's token
 * is a read token (the API would answer 403). Views disable their changing buttons by it.
 */
export function useChangesBlocked(): boolean {
  const offline = useConsole(selectors.offline);
  // Both hooks on every render: a hook behind `||` would be skipped while offline (React's order of hooks).
  const role = useAccess().actor?.role;
  return offline || role === 'read';
}
