import type { JobdeckBridge, Unsubscribe } from '../../src-shared/bridge';

/**
 * State of the live event feed: `connecting` before the first event stream opens, `live` while
 * it is open, `reconnecting` after it dropped and until it opens again.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/**
 * The shared bridge plus what only the console needs: the state of its live feed. Kept here,
 * not in src-shared, because it describes the renderer's transport, not the job contract.
 */
export interface ConsoleBridge extends JobdeckBridge {
  /** Calls `listener` with the current state at once, then on every change. */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
}
