import type {
  ConnectionSettings,
  HealthSummary,
  MailRecord,
  MailSummary,
  PurgeResult,
  QueuesReport,
  WebhookRecord,
  WebhookSummary,
  WorkersReport,
} from './console-records';
import type { AlertEvent, AlertNotice, AlertRule, CreateAlert, UpdateAlert } from './alert-schemas';
import type { Batch, BatchAccepted, BatchSummary, CreateBatch } from './batch-schemas';
import type { BatchEvent, JobEvent, ResyncEvent } from './events';
import type { Job, Page } from './job';
import type { JobLogLine } from './job-log';
import type { JobRead } from './job-timing';
import type { KindsReport } from './kind-records';
import type { JobKind } from './kinds';
import type { FlowReport, KindFlow, KindLimits } from './flow';
import type { Operation, OperationAction, OperationPreview } from './operation-schemas';
import type { DeadLetter, DeadLetterAction, DeadLetterPreview } from './dead-letter-schemas';
import type { AuditEntry, AuditPage } from './audit-schemas';
import type { ModeReport } from './mode-report';
import type { Problem } from './problem';
import type {
  ConnectionProfile,
  CreateProfileRequest,
  ExportProfilesRequest,
  ImportProfilesRequest,
  PatchProfileRequest,
  ProfileExport,
  ProfileList,
  ProfileModeReport,
  ProfileTest,
} from './profile-schemas';
import type { CreateSavedView, SavedView } from './saved-view-schemas';
import type { MissedPolicy, Schedule, ScheduleDetail } from './schedule-schemas';
import type { JobStatus } from './statuses';
import type { Delivery, Subscription, SubscriptionFilter } from './subscription-schemas';

/** What the console asks when it submits a job. */
export interface SubmitJobRequest {
  kind: JobKind;
  payload: Record<string, unknown>;
  /** The job this one runs again with changes (`replay_of` of `POST /api/v1/jobs`). */
  replay_of?: string;
}

/** A submission's answer: the job, or the problem that refused it. */
export type SubmitJobResult = { ok: true; job: Job } | { ok: false; problem: Problem };

/** A dry run's answer: the payload as the job would get it (defaults in), or the problem a submit would get. */
export type ValidateJobResult = { ok: true; valid: { kind: JobKind; payload: Record<string, unknown> } } | { ok: false; problem: Problem };

export interface ListJobsRequest {
  status?: JobStatus;
  kind?: JobKind;
  limit?: number;
  cursor?: string;
  /** A search in the language of job-query.ts. */
  q?: string;
}

/**
 * The answer of a job action (cancel, retry, run now): the job after it, or the problem that refused it
 * (404 no such job, 409 not in a state that allows it, or a running job that finished before its
 * handler stopped). `cancel: 'requested'`: a running job's handler is still stopping; the job is
 * as it was, and its events tell the end.
 */
export type JobActionResult = { ok: true; job: Job; cancel?: 'requested' } | { ok: false; problem: Problem };

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
 * The one interface the renderer talks to, with one implementation: the HTTP API and its
 * Server-Sent Events, in the Electron window and in any browser alike.
 */
export interface JobdeckBridge {
  submitJob(request: SubmitJobRequest): Promise<SubmitJobResult>;
  /** Checks a job as a submit would, creating nothing (`POST /api/v1/jobs/validate`). */
  validateJob(request: SubmitJobRequest): Promise<ValidateJobResult>;
  /** The job, with its `timing` (only this read carries it: lists and events do not; a console from before timing gives none). */
  getJob(id: string): Promise<(Job & Partial<Pick<JobRead, 'timing'>>) | null>;
  listJobs(request: ListJobsRequest): Promise<Page<Job>>;
  onJobEvent(listener: (event: JobEvent) => void): Unsubscribe;
  /** Cancels a SCHEDULED, QUEUED or RETRYING job (CANCELLED at once), or a running one (its handler is aborted). */
  cancelJob(id: string): Promise<JobActionResult>;
  /** Runs a SCHEDULED job now: QUEUED at once (`POST /api/v1/jobs/<id>/run-now`). */
  runJobNow(id: string): Promise<JobActionResult>;
  /** A job's log lines, oldest first; null when there is no such job. */
  getJobLogs(id: string): Promise<JobLogLine[] | null>;
  /** Queues a FAILED (or CANCELLED) job again. */
  retryJob(id: string): Promise<JobActionResult>;
  /** Every job kind with its payload schema: the built-in ones, then the kinds file's. */
  listKinds(): Promise<KindsReport>;
  listWorkers(): Promise<WorkersReport>;
  /** Sets how many processes of `kind` run (0..{@link WorkersReport.max_per_kind}). */
  scaleWorkers(kind: JobKind, count: number): Promise<WorkersActionResult>;
  restartWorker(id: string): Promise<WorkersActionResult>;
  stopWorker(id: string): Promise<WorkersActionResult>;
  /** The health report, whether every dependency is up or not. */
  getHealth(): Promise<HealthSummary>;
  /** Messages without their bodies, newest first. */
  listMail(request: PageRequest): Promise<Page<MailSummary>>;
  /** One message whole; null when there is none (it may have been trimmed). */
  getMail(id: string): Promise<MailRecord | null>;
  /** Inbox requests without their bodies, newest first. */
  listWebhooks(request: PageRequest): Promise<Page<WebhookSummary>>;
  /** One inbox request whole; null when there is none (it may have been trimmed). */
  getWebhook(id: string): Promise<WebhookRecord | null>;
  listQueues(): Promise<QueuesReport>;
  /** The connections in use, passwords masked. */
  getSettings(): Promise<ConnectionSettings>;
  /**
   * The active connection profile and whether changing verbs are refused now (`GET /api/v1/mode`).
   * On a writable production profile the destructive verbs below take `confirm`: the name of their target.
   */
  getMode(): Promise<ModeReport>;
  /** Takes every ready message off the kind's queue; each purged job ends CANCELLED. `confirm`: the kind's name (production). */
  purgeQueue(kind: JobKind, confirm?: string): Promise<PurgeQueueResult>;
  /** The connection profiles (passwords masked), the active one's mode and where passwords are kept. */
  listProfiles(): Promise<ProfileList>;
  createProfile(request: CreateProfileRequest): Promise<ProfileResult>;
  /** A URL sent back with its password as `***` keeps the stored password. */
  updateProfile(id: string, patch: PatchProfileRequest): Promise<ProfileResult>;
  duplicateProfile(id: string): Promise<ProfileResult>;
  deleteProfile(id: string): Promise<DeleteSubscriptionResult>;
  /** Connects to each service of the profile: each by name, up or with its error. */
  testProfile(id: string): Promise<ProfileTest>;
  /** Switches the running console to the profile (the core restarts in place). */
  activateProfile(id: string): Promise<ProfileModeResult>;
  /** Unlocks a production profile for this run of the console. */
  unlockProfile(id: string): Promise<ProfileModeResult>;
  exportProfiles(request: ExportProfilesRequest): Promise<{ ok: true; document: ProfileExport } | { ok: false; problem: Problem }>;
  importProfiles(request: ImportProfilesRequest): Promise<{ ok: true; imported: { items: ConnectionProfile[] } } | { ok: false; problem: Problem }>;
  /** Every kind's pause and limits. */
  listFlows(): Promise<FlowReport>;
  /** Pauses a kind everywhere (its workers take no messages; submits wait) or resumes it. */
  pauseKind(kind: JobKind, paused: boolean): Promise<KindFlowResult>;
  /** Replaces a kind's limits (null: none). */
  setKindLimits(kind: JobKind, limits: KindLimits): Promise<KindFlowResult>;
  /** A batch's fan-in: called once per batch, when its last child reached a terminal status. */
  onBatchEvent(listener: (event: BatchEvent) => void): Unsubscribe;
  /**
   * The live feed lost events it cannot replay (the stream no longer holds them): whatever is
   * shown should be reloaded. Live events carry on after it.
   */
  onResync(listener: (event: ResyncEvent) => void): Unsubscribe;
  /** Batches, newest first. */
  listBatches(request: PageRequest): Promise<Page<BatchSummary>>;
  /** One batch aggregated from its children; null when there is no such batch. */
  getBatch(id: string): Promise<Batch | null>;
  /** Submits several jobs as one batch, all or nothing. */
  createBatch(request: CreateBatchRequest): Promise<CreateBatchResult>;
  listSubscriptions(): Promise<Page<Subscription>>;
  /** Creates a webhook subscription; the answer carries its secret, shown this once. */
  createSubscription(request: CreateSubscriptionRequest): Promise<SubscriptionResult>;
  /** `confirm`: the subscription's URL (production). */
  deleteSubscription(id: string, confirm?: string): Promise<DeleteSubscriptionResult>;
  /** A subscription's deliveries, newest first, each with every attempt. */
  listDeliveries(subscriptionId: string, request: PageRequest): Promise<Page<Delivery>>;
  /** Delivers again (same webhook-id). */
  redeliver(subscriptionId: string, deliveryId: string): Promise<RedeliverResult>;
  /** The OpenAPI 3.1 document of the HTTP API (`GET /api/v1/openapi.json`). */
  getApiDocument(): Promise<ApiDocument>;
  /** What a bulk action would do, changing nothing (`POST /api/v1/operations` with `dry_run`). */
  previewOperation(request: OperationRequest): Promise<PreviewOperationResult>;
  /** Starts a bulk action in the background; refused (409, `matched` the new count) when the matches drifted since the preview. */
  startOperation(request: StartOperationRequest): Promise<OperationResult>;
  /** A bulk operation as it stands; null when there is no such operation. */
  getOperation(id: string): Promise<Operation | null>;
  /**
   * Follows a bulk operation's states as they change (`GET /api/v1/operations/<id>/events`) until
   * a terminal one; `onError` once if the stream fails before that. Returns the unfollow.
   */
  followOperation(id: string, onState: (operation: Operation) => void, onError?: () => void): () => void;
  /** Asks a running operation to stop after its current batch. */
  cancelOperation(id: string): Promise<OperationResult>;
  /** The audit trail, newest first (`GET /api/v1/audit`): the rows matching `q` (audit-query.ts). */
  listAudit(request: AuditRequest): Promise<AuditPage>;
  /** Dead letters, newest first (`GET /api/v1/dead-letters`): of one kind or all, matching `q`. */
  listDeadLetters(request: DeadLettersRequest): Promise<Page<DeadLetter>>;
  /** What requeue or discard would do to dead letters, changing nothing (the dry run). */
  previewDeadLetters(action: DeadLetterAction, target: OperationTarget): Promise<PreviewDeadLettersResult>;
  /** Starts requeue or discard as a bulk operation; refused (409) when the matches drifted since the preview. */
  startDeadLetters(action: DeadLetterAction, target: OperationTarget & Confirmed): Promise<OperationResult>;
  /** The saved views (named queries), by name. */
  listSavedViews(): Promise<Page<SavedView>>;
  /** Saves a query under a name (unique: 409 otherwise). */
  createSavedView(request: CreateSavedView): Promise<SavedViewResult>;
  deleteSavedView(id: string): Promise<DeleteSubscriptionResult>;
  /** Recurring schedules, newest first. */
  listSchedules(request: PageRequest): Promise<Page<Schedule>>;
  /** One schedule with its next five due times and its latest runs; null when there is none. */
  getSchedule(id: string): Promise<ScheduleDetail | null>;
  /** Creates a schedule (the payload checked by its kind's schema). */
  createSchedule(request: CreateScheduleRequest): Promise<ScheduleResult>;
  pauseSchedule(id: string): Promise<ScheduleResult>;
  resumeSchedule(id: string): Promise<ScheduleResult>;
  /** Submits a run now; the answer is its job. */
  triggerSchedule(id: string): Promise<JobActionResult>;
  /** `confirm`: the schedule's ID (production). */
  deleteSchedule(id: string, confirm?: string): Promise<DeleteSubscriptionResult>;
  /** The alert rules, each with its state. */
  listAlerts(): Promise<Page<AlertRule>>;
  /** Creates a rule; the answer carries its webhook secret, shown this once. */
  createAlert(request: CreateAlertRequest): Promise<AlertResult>;
  /** Changes some fields of a rule. */
  updateAlert(id: string, changes: UpdateAlertRequest): Promise<AlertResult>;
  deleteAlert(id: string): Promise<DeleteSubscriptionResult>;
  /** A rule's episodes, newest first. */
  listAlertEvents(id: string, request: PageRequest): Promise<Page<AlertEvent>>;
  /** Each fire and resolve of any rule from now on (`GET /api/v1/alerts/stream`); returns the unfollow. */
  onAlert(listener: (notice: AlertNotice) => void): Unsubscribe;
}

/** `POST /api/v1/schedules` body, as the console sends it (validated by `createScheduleSchemaOf`). */
export interface CreateScheduleRequest {
  kind: JobKind;
  payload: Record<string, unknown>;
  cron: string;
  time_zone: string;
  missed: MissedPolicy;
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; problem: Problem };

/** `POST /api/v1/alerts` body, as the console sends it (validated by `createAlertSchemaOf`). */
export type CreateAlertRequest = Partial<CreateAlert> & Pick<CreateAlert, 'name' | 'type' | 'threshold'>;
/** `PATCH /api/v1/alerts/:id` body. */
export type UpdateAlertRequest = UpdateAlert;
/** A rule's answer: the rule (with `webhook_secret` on create), or the problem that refused it. */
export type AlertResult = { ok: true; rule: AlertRule & { webhook_secret?: string } } | { ok: false; problem: Problem };

/** Which jobs a bulk action is over: those a query matches in the whole history, or named ones. */
export type OperationTarget = { query: string } | { ids: string[] };

export type OperationRequest = { action: OperationAction } & OperationTarget;

/** A bulk start: `expected` is the preview's `matched`; `confirm` the profile's name for a cancel or discard on production. */
export interface Confirmed {
  expected: number;
  confirm?: string;
}

/** A start: `expected` is the preview's `matched`. */
export type StartOperationRequest = OperationRequest & Confirmed;

export type { Operation, OperationAction, OperationPreview };
export type { DeadLetter, DeadLetterAction, DeadLetterPreview };
export type { AuditEntry, AuditPage };

/** `GET /api/v1/audit`'s query. */
export interface AuditRequest {
  q?: string;
  cursor?: string;
  limit?: number;
}

/** `GET /api/v1/dead-letters`'s query. */
export interface DeadLettersRequest {
  kind?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export type PreviewDeadLettersResult = { ok: true; preview: DeadLetterPreview } | { ok: false; problem: Problem };

export type PreviewOperationResult = { ok: true; preview: OperationPreview } | { ok: false; problem: Problem };
export type OperationResult = { ok: true; operation: Operation } | { ok: false; problem: Problem };
export type SavedViewResult = { ok: true; view: SavedView } | { ok: false; problem: Problem };

/** `POST /api/v1/batches` body, as the console sends it (validated by `createBatchSchema`). */
export type CreateBatchRequest = CreateBatch;

/** A batch's answer: accepted (with the callback secret when one was generated), or the problem. */
export type CreateBatchResult = { ok: true; batch: BatchAccepted } | { ok: false; problem: Problem };

/** `POST /api/v1/subscriptions` body (validated by `createSubscriptionSchema`). */
export interface CreateSubscriptionRequest {
  url: string;
  events?: SubscriptionFilter;
  secret?: string;
}

export type SubscriptionResult = { ok: true; subscription: Subscription } | { ok: false; problem: Problem };
export type ProfileResult = { ok: true; profile: ConnectionProfile } | { ok: false; problem: Problem };
export type ProfileModeResult = { ok: true; mode: ProfileModeReport } | { ok: false; problem: Problem };
export type DeleteSubscriptionResult = { ok: true } | { ok: false; problem: Problem };
export type RedeliverResult = { ok: true; delivery: Delivery } | { ok: false; problem: Problem };

/** One operation of the OpenAPI document, as much of it as the console reads. */
export interface ApiOperation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  /** `example`: a body the route takes, where the document offers one. */
  requestBody?: { content?: Record<string, { example?: unknown }> };
  /** `content` names what a success carries (`text/event-stream` for a stream). */
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

/** The OpenAPI 3.1 document, as much of it as the console reads. */
export interface ApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  /** Path (`/api/v1/jobs/{id}`) → lower-case method → operation. */
  paths: Record<string, Record<string, ApiOperation>>;
}

/** The answer of a pause, resume or limits change: the kind's flow, or the problem that refused it. */
export type KindFlowResult = { ok: true; flow: KindFlow } | { ok: false; problem: Problem };

/** The answer of a purge: how many were purged, or the problem that refused it. */
export type PurgeQueueResult = { ok: true; result: PurgeResult } | { ok: false; problem: Problem };

/** A desktop notification the shell shows (the window's own, not the page's Notification API). */
export interface ShellNotification {
  title: string;
  body?: string;
}

/**
 * What only the Electron shell can do, exposed by the preload as `window.jobdeckShell`; absent
 * in a browser. Never an API verb: those are routes, reached over HTTP in both modes.
 */
export interface ShellBridge {
  /** The desktop app's version (package.json). */
  appVersion(): Promise<string>;
  /** Opens an http(s) URL in the system browser; false when the URL was refused. */
  openExternal(url: string): Promise<boolean>;
  /** Shows a desktop notification; false when the system has none or the text was refused. */
  notify(notification: ShellNotification): Promise<boolean>;
  /**
   * The API token the main process made for this launch (role write, name `window`, held in
   * memory only), which the page sends as `Authorization: Bearer`; null when there is none.
   */
  launchToken(): Promise<string | null>;
}

/** IPC channel names of the shell verbs, `shell:verb`; the preload exposes only these. */
export const SHELL_CHANNELS = {
  appVersion: 'shell:app-version',
  openExternal: 'shell:open-external',
  notify: 'shell:notify',
  launchToken: 'shell:launch-token',
} as const satisfies Record<keyof ShellBridge, string>;
