import { vi } from 'vitest';
import type { ListJobsRequest, SubmitJobRequest, SubmitJobResult } from '../../../src-shared/bridge';
import type { JobEvent } from '../../../src-shared/events';
import type { Job, Page } from '../../../src-shared/job';
import type { ConsoleBridge } from '../../../src-renderer/bridge/console-bridge';
import type { ConnectionState } from '../../../src-renderer/store/connection-state';

/** A bridge the test drives: it answers with what the test set and emits what the test says. */
export function fakeBridge(firstPage: Job[] = []) {
  const jobListeners = new Set<(event: JobEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';

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
