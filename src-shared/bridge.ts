import type { ConnectionSettings, HealthSummary, MailRecord, PurgeResult, QueuesReport, WebhookRecord, WorkersReport } from './console-records';
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

/**
 * The answer of a job action (cancel, retry): the job after it, or the problem that refused it
 * (404 no such job, 409 not in a state that allows it).
 */
export type JobActionResult = { ok: true; job: Job } | { ok: false; problem: Problem };

/** The answer of a worker control (scale, restart, stop): the workers after it, or the problem. */
export type WorkersActionResult = { ok: true; report: WorkersReport } | { ok: false; problem: Problem };

/** Asks for one page of a record list (mail, webhooks), newest first. */
export interface PageRequest {
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
  /** Cancels a QUEUED job: it ends CANCELLED. */
  cancelJob(id: string): Promise<JobActionResult>;
  /** Queues a FAILED (or CANCELLED) job again. */
  retryJob(id: string): Promise<JobActionResult>;
  listWorkers(): Promise<WorkersReport>;
  /** Sets how many processes of `kind` run (0..{@link WorkersReport.max_per_kind}). */
  scaleWorkers(kind: JobKind, count: number): Promise<WorkersActionResult>;
  restartWorker(id: string): Promise<WorkersActionResult>;
  stopWorker(id: string): Promise<WorkersActionResult>;
  /** The health report, whether every dependency is up or not. */
  getHealth(): Promise<HealthSummary>;
  listMail(request: PageRequest): Promise<Page<MailRecord>>;
  listWebhooks(request: PageRequest): Promise<Page<WebhookRecord>>;
  listQueues(): Promise<QueuesReport>;
  /** The connections in use, passwords masked. */
  getSettings(): Promise<ConnectionSettings>;
  /** Takes every ready message off the kind's queue; each purged job ends CANCELLED. */
  purgeQueue(kind: JobKind): Promise<PurgeQueueResult>;
}

/** The answer of a purge: how many were purged, or the problem that refused it. */
export type PurgeQueueResult = { ok: true; result: PurgeResult } | { ok: false; problem: Problem };

/** IPC channel names, `domain:verb`; the preload exposes only these. */
export const IPC_CHANNELS = {
  submitJob: 'jobs:submit',
  getJob: 'jobs:get',
  listJobs: 'jobs:list',
  jobEvent: 'jobs:event',
  cancelJob: 'jobs:cancel',
  retryJob: 'jobs:retry',
  listWorkers: 'workers:list',
  scaleWorkers: 'workers:scale',
  restartWorker: 'workers:restart',
  stopWorker: 'workers:stop',
  getHealth: 'health:get',
  listMail: 'mail:list',
  listWebhooks: 'webhooks:list',
  listQueues: 'queues:list',
  purgeQueue: 'queues:purge',
  getSettings: 'settings:get',
} as const;
