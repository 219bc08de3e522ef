import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AccessGate, AccessSnapshot } from '../bridge/access-gate';
import { useConsole } from '../store/context';
import { readOnlyReason } from '../store/mode-slice';
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
 * Why the page may not change anything now, or null when it may: the console is unreachable, the
 * page's token is a read token, or the active profile is read-only (the API would answer 403).
 * Changing buttons show it as their title.
 */
export function useChangesBlockedReason(): string | null {
  const offline = useConsole(selectors.offline);
  const readToken = useAccess().actor?.role === 'read';
  const readOnly = readOnlyReason(useConsole((state) => state.mode.data));
  if (offline) return 'The console does not answer.';
  if (readToken) return 'This token may read only.';
  return readOnly;
}

/** Whether the page may not change anything now (see {@link useChangesBlockedReason}). Views disable their changing buttons by it. */
export function useChangesBlocked(): boolean {
  return useChangesBlockedReason() !== null;
}
