import type { JobdeckBridge, Unsubscribe } from '../../src-shared/bridge';
import type { ConnectionState } from '../store/connection-state';

/**
 * The shared bridge plus what only the console needs: the state of its live feed. Kept here,
 * not in src-shared, because it describes the renderer's transport, not the job contract.
 */
export interface ConsoleBridge extends JobdeckBridge {
  /** Calls `listener` with the current state at once, then on every change. */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
}
