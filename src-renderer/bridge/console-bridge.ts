import type { JobdeckBridge, SubmitJobRequest, Unsubscribe } from '../../src-shared/bridge';
import type { Problem } from '../../src-shared/problem';
import type { ConnectionState } from '../store/connection-state';

/** `POST /api/v1/jobs/validate`'s answer: the payload as the job would get it (defaults in), or the 400. */
export type ValidateJobResult = { ok: true; valid: { kind: string; payload: Record<string, unknown> } } | { ok: false; problem: Problem };

/**
 * The shared bridge plus what only the console needs: the state of its live feed. Kept here,
 * not in src-shared, because it describes the renderer's transport, not the job contract.
 */
export interface ConsoleBridge extends JobdeckBridge {
  /** Calls `listener` with the current state at once, then on every change. */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Checks a job as a submit would, creating nothing (`POST /api/v1/jobs/validate`). */
  validateJob(request: SubmitJobRequest): Promise<ValidateJobResult>;
}
