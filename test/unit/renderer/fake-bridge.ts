import { vi } from 'vitest';
import type {
  JobActionResult,
  ListJobsRequest,
  PageRequest,
  PurgeQueueResult,
  SubmitJobRequest,
  SubmitJobResult,
  WorkersActionResult,
} from '../../../src-shared/bridge';
import {
  MAX_WORKERS_PER_KIND,
  type ConnectionSettings,
  type HealthSummary,
  type MailRecord,
  type QueuesReport,
  type WebhookRecord,
  type WorkersReport,
} from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import type { JobEvent } from '../../../src-shared/events';
import type { Job, Page } from '../../../src-shared/job';
import type { ConsoleBridge } from '../../../src-renderer/bridge/console-bridge';
import type { ConnectionState } from '../../../src-renderer/store/connection-state';

/** A bridge the test drives: it answers with what the test set and emits what the test says. */
export function fakeBridge(firstPage: Job[] = []) {
  const jobListeners = new Set<(event: JobEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  const notSetUp = (verb: string) => new Error(`${verb} was not set up`);

  const bridge = {
    submitJob: vi.fn(async (_request: SubmitJobRequest): Promise<SubmitJobResult> => {
      throw new Error('submitJob was not set up');
    }),
    getJob: vi.fn(async (_id: string): Promise<Job | null> => null),
    listJobs: vi.fn(async (_request: ListJobsRequest): Promise<Page<Job>> => ({ items: firstPage, next_cursor: null })),
    onJobEvent: vi.fn((listener: (event: JobEvent) => void) => {
      jobListeners.add(listener);
      return () => jobListeners.delete(listener);
    }),
    cancelJob: vi.fn(async (_id: string): Promise<JobActionResult> => {
      throw notSetUp('cancelJob');
    }),
    retryJob: vi.fn(async (_id: string): Promise<JobActionResult> => {
      throw notSetUp('retryJob');
    }),
    listWorkers: vi.fn(
      async (): Promise<WorkersReport> => ({
        workers: [],
        counts: { log: 0, callback: 0, email: 0 },
        max_per_kind: MAX_WORKERS_PER_KIND,
        supervised: true,
      }),
    ),
    scaleWorkers: vi.fn(async (_kind: JobKind, _count: number): Promise<WorkersActionResult> => {
      throw notSetUp('scaleWorkers');
    }),
    restartWorker: vi.fn(async (_id: string): Promise<WorkersActionResult> => {
      throw notSetUp('restartWorker');
    }),
    stopWorker: vi.fn(async (_id: string): Promise<WorkersActionResult> => {
      throw notSetUp('stopWorker');
    }),
    getHealth: vi.fn(async (): Promise<HealthSummary> => {
      throw notSetUp('getHealth');
    }),
    listMail: vi.fn(async (_request: PageRequest): Promise<Page<MailRecord>> => ({ items: [], next_cursor: null })),
    listWebhooks: vi.fn(async (_request: PageRequest): Promise<Page<WebhookRecord>> => ({ items: [], next_cursor: null })),
    listQueues: vi.fn(async (): Promise<QueuesReport> => ({ queues: [] })),
    getSettings: vi.fn(async (): Promise<ConnectionSettings> => {
      throw notSetUp('getSettings');
    }),
    purgeQueue: vi.fn(async (_kind: JobKind): Promise<PurgeQueueResult> => {
      throw notSetUp('purgeQueue');
    }),
    onConnectionChange: vi.fn((listener: (state: ConnectionState) => void) => {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    }),
  } satisfies ConsoleBridge;

  return {
    bridge,
    emit(event: JobEvent) {
      for (const listener of jobListeners) listener(event);
    },
    setConnection(state: ConnectionState) {
      connection = state;
      for (const listener of connectionListeners) listener(state);
    },
    listenerCount: () => jobListeners.size + connectionListeners.size,
  };
}
