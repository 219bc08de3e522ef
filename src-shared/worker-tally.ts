import type { WorkerToMainMessage } from './worker-protocol';

/**
 * What a worker process has done since it started, counted from the reports it makes where it
 * learns each outcome: the worker keeps one for its heartbeat, its console one per slot.
 */
export interface WorkerTally {
  /** Jobs finished DONE. */
  processed: number;
  /** Jobs that ended FAILED here (their last attempt): once per job. */
  failed: number;
  /** Failed attempts handed to a retry. */
  retried: number;
  /** Jobs in hand, oldest first. */
  inHand: string[];
}

export function freshTally(): WorkerTally {
  return { processed: 0, failed: 0, retried: 0, inHand: [] };
}

const OUTCOME_FIELD = { done: 'processed', failed: 'failed', retrying: 'retried' } as const;

/** Counts one report into `tally`; reports that are not about jobs leave it as it is. */
export function countReport(tally: WorkerTally, message: WorkerToMainMessage): void {
  switch (message.type) {
    case 'job-started':
      tally.inHand.push(message.jobId);
      break;
    case 'job-finished':
      release(tally.inHand, message.jobId);
      if (message.outcome !== 'cancelled') tally[OUTCOME_FIELD[message.outcome]]++;
      break;
    case 'job-returned':
      release(tally.inHand, message.jobId);
      break;
  }
}

function release(inHand: string[], jobId: string): void {
  const index = inHand.indexOf(jobId);
  if (index >= 0) inHand.splice(index, 1);
}
