import type { KindRegistry } from '../src-shared/kind-registry';
import type { JobKind } from '../src-shared/kinds';
import type { JobStatusClient, WriteReply } from '../src-shared/node/status-store';
import type { JobLogStore } from '../src-shared/node/job-log-store';
import type { RunningAttempts } from './running-attempts';
import type { OutageWatch } from './outage-watch';
import type { RetryPolicy } from '../src-shared/retry-policy';
import type { Names } from '../src-shared/topology';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import type { JobHandler } from './handlers/handler';
import type { Session } from './broker-session';
import { sleep } from './waits';
import type { FlowControl } from './flow-control';

/** What handling one delivery needs of the worker that took it. */
export interface DeliveryContext {
  names: Names;
  kinds: readonly JobKind[];
  registry: KindRegistry;
  status: JobStatusClient;
  /** Where handlers' log lines are kept. */
  logs: JobLogStore;
  /** The attempts running here, which an operator's cancel reaches. */
  cancels: RunningAttempts;
  handlers: Partial<Record<JobKind, JobHandler>>;
  retry: RetryPolicy;
  /** The kinds held while their own dependency is down. */
  outages: OutageWatch;
  /** Seconds a job may wait out outages of its kind's dependency before they count as failed attempts. */
  unavailableMaxWaitS: number;
  /** The retry ladder's rungs, from `retry`. */
  ladder: number[];
  /** Names this worker in the statuses it writes. */
  workerId: string;
  report: (message: WorkerToMainMessage) => void;
  log: (line: string) => void;
  /** The kinds' pause and limits, asked before each start; every start goes at once without it. */
  flow?: Pick<FlowControl, 'admit'>;
}

/** How one delivery ended, for its ack and the console. */
export type JobOutcome = 'done' | 'failed' | 'retrying' | 'cancelled' | 'skipped' | 'stale' | 'superseded' | 'given-back';

/** The pause before a job goes back to the queue, and between two tries of a final status. */
export const REQUEUE_DELAY_MS = 1_000;

/**
 * Writes a final status until Redis takes it; gives up (throws) only when the connection is
 * lost or the worker stops.
 */
export async function persist(context: DeliveryContext, session: Session, write: () => Promise<WriteReply>): Promise<WriteReply> {
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (session.abort.signal.aborted) throw error;
      context.log(`status not written (${(error as Error).message}); trying again in ${REQUEUE_DELAY_MS} ms`);
      await sleep(REQUEUE_DELAY_MS, session.abort.signal);
    }
  }
}
