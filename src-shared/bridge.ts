import type { JobEvent } from './events';
import type { Job, Page } from './job';
import type { JobKind } from './kinds';
import type { Problem } from './problem';
import type { JobStatus } from './statuses';

/** What the console asks when it submits a job. */
export interface SubmitJobRequest {
  kind: JobKind;
  payload: Record<string, unknown>;
}

/** A submission's answer: the job, or the problem that refused it. */
export type SubmitJobResult = { ok: true; job: Job } | { ok: false; problem: Problem };

export interface ListJobsRequest {
  status?: JobStatus;
  kind?: JobKind;
  limit?: number;
  cursor?: string;
}

/** Ends a subscription: its listener is not called again. */
export type Unsubscribe = () => void;

/**
 * The one interface the renderer talks to. Two implementations: Electron IPC (through the
 * preload) and HTTP + Server-Sent Events (headless mode, any browser).
 */
export interface JobdeckBridge {
  submitJob(request: SubmitJobRequest): Promise<SubmitJobResult>;
  getJob(id: string): Promise<Job | null>;
  listJobs(request: ListJobsRequest): Promise<Page<Job>>;
  onJobEvent(listener: (event: JobEvent) => void): Unsubscribe;
}

/** IPC channel names, `domain:verb`; the preload exposes only these. */
export const IPC_CHANNELS = {
  submitJob: 'jobs:submit',
  getJob: 'jobs:get',
  listJobs: 'jobs:list',
  jobEvent: 'jobs:event',
} as const;
