import type { Job } from '../../src-shared/job';
import type { JobStatusClient } from '../../src-shared/node/status-store';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a cancel of a running job waits for its outcome before answering that it was asked. */
export const CANCEL_WAIT_MS = 2_000;
const CANCEL_POLL_MS = 100;

/**
 * What came of an operator's cancel: the job ended `cancelled`, or it is still running and its
 * worker was asked to stop it (`requested`: the events tell the rest).
 */
export type CancelAnswer = { outcome: 'cancelled' | 'requested'; job: Job };

/** A running job ended otherwise before its handler stopped: DONE (its effect happened) or FAILED. */
export class CancelRefusedError extends Error {
  override name = 'CancelRefusedError';
  constructor(readonly job: Job) {
    super(
      job.status === 'DONE'
        ? `job ${job.id} finished before its handler stopped: it is DONE (its effect happened), the refused cancel is in its timeline`
        : `job ${job.id} ended ${job.status} before its handler stopped`,
    );
  }
}

/**
 * Asks the worker running `job` to stop it (see `JobStatusClient.requestCancel`) and waits up to
 * {@link CANCEL_WAIT_MS} for the outcome, reading Redis, where every console and worker agrees.
 * Resolves `{ stopped }`, with the job as it is, when it was no longer running.
 */
export async function cancelRunning(status: JobStatusClient, job: Job): Promise<CancelAnswer | { stopped: Job }> {
  const asked = await status.requestCancel(job);
  if (asked.outcome !== 'ok') return { stopped: asked.job ?? job };
  const deadline = Date.now() + CANCEL_WAIT_MS;
  let latest = asked.job ?? job;
  while (Date.now() < deadline) {
    await sleep(CANCEL_POLL_MS);
    latest = (await status.read(job.id)) ?? latest;
    if (latest.status === 'CANCELLED') return { outcome: 'cancelled', job: latest };
    if (TERMINAL_STATUSES.has(latest.status)) throw new CancelRefusedError(latest);
  }
  return { outcome: 'requested', job: latest };
}
