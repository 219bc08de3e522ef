/** The console store's shape: one store made of typed slices (jobs, submit, live feed). */
import type { ApiDocument, CreateBatchRequest, CreateSubscriptionRequest, PurgeQueueResult, Unsubscribe } from '../../src-shared/bridge';
import type { Batch, BatchAccepted } from '../../src-shared/batch-schemas';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
import type {
  ConnectionSettings,
  HealthSummary,
  MailRecord,
  MailSummary,
  QueuesReport,
  WebhookRecord,
  WebhookSummary,
  WorkersReport,
} from '../../src-shared/console-records';
import type { BatchEvent, JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleBridge } from '../bridge/console-bridge';
import type { Schedule } from '../bridge/schedule';
import type { ConnectionState } from './connection-state';
import type { JobFilter } from './job-filter';
import type { JobsData } from './jobs-data';
import type { QueueRateSeries, ThroughputSeries } from './throughput';


export type ListStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface JobsSlice extends JobsData {
  /** The job whose details are open; kept even when it is among the oldest. */
  selectedJobId: string | null;
  listStatus: ListStatus;
  /** Why the last page load failed, in one sentence. */
  listError: string | null;
  applyEvents(events: readonly JobEvent[]): void;
  /** Folds in snapshots (a list page, a submit answer); a higher version wins. */
  mergeJobs(jobs: readonly Job[]): void;
  /** Loads the newest page of jobs and folds it in; only the latest load sets `listStatus`. */
  loadFirstPage(): Promise<void>;
  selectJob(id: string | null): void;
  filter: JobFilter;
  /** Cursor of the next older history page for the current status and kind; null when none is left. */
  olderCursor: string | null;
  olderStatus: 'idle' | 'loading' | 'failed';
  /** Loads the next older page of the history (same status and kind filter) and folds it in. */
  loadOlder(): Promise<void>;
  /** Changes the filter; a new status or kind loads the history's first page for it. */
  setFilter(change: Partial<JobFilter>): void;
  /** The last cancel or retry, for the detail panel to show. */
  jobAction: JobAction | null;
  cancelJob(id: string): Promise<boolean>;
  retryJob(id: string): Promise<boolean>;
}

export interface JobAction {
  id: string;
  verb: 'cancel' | 'retry';
  pending: boolean;
  problem: Problem | null;
}

export interface WorkersSlice {
  workers: WorkersReport | null;
  /** Why the last list failed; the last list stays shown. */
  workersError: string | null;
  /** The last control (target: a kind for scaling, a worker ID otherwise). */
  workerAction: { target: string; pending: boolean; problem: Problem | null } | null;
  loadWorkers(): Promise<void>;
  scaleWorkers(kind: JobKind, count: number): Promise<boolean>;
  restartWorker(id: string): Promise<boolean>;
  stopWorker(id: string): Promise<boolean>;
}

export interface OverviewSlice {
  health: HealthSummary | null;
  healthError: string | null;
  /** Epoch ms of the last health check. */
  healthCheckedAt: number | null;
  /** Jobs accepted and done per second, from the live events (updated with each batch). */
  throughput: ThroughputSeries;
  /** Per kind's queue: published, delivered and acked per second, from the live events. */
  queueRates: Readonly<Record<JobKind, QueueRateSeries>>;
  loadHealth(): Promise<void>;
  /** The connections in use (passwords masked), for Settings. */
  settings: ConnectionSettings | null;
  settingsError: string | null;
  loadSettings(): Promise<void>;
}

/**
 * The shown item read whole (lists carry no bodies). `missing`: the API has no such item any
 * more (trimmed to the quota or pruned by age).
 */
export interface RecordDetail<Whole> {
  id: string;
  status: 'loading' | 'loaded' | 'missing' | 'failed';
  record: Whole | null;
  error: string | null;
}

export interface RecordList<Summary, Whole = never> {
  /** Newest first. */
  items: readonly Summary[];
  status: ListStatus;
  error: string | null;
  selectedId: string | null;
  /** The shown item (the selected one, else the newest), read whole; null while the list is empty. */
  detail: RecordDetail<Whole> | null;
}

export interface RecordsSlice {
  mail: RecordList<MailSummary, MailRecord>;
  webhooks: RecordList<WebhookSummary, WebhookRecord>;
  loadMail(): Promise<void>;
  loadWebhooks(): Promise<void>;
  /** Selects an item and reads it whole. */
  selectMail(id: string | null): Promise<void>;
  selectWebhook(id: string | null): Promise<void>;
}

export interface QueuesSlice {
  queues: QueuesReport | null;
  queuesError: string | null;
  /** The last purge: pending, or its answer. */
  purge: { kind: JobKind; pending: boolean; answer: PurgeQueueResult | null } | null;
  loadQueues(): Promise<void>;
  /** Purges the kind's queue, then reloads the counts; true when it was purged. */
  purgeQueue(kind: JobKind): Promise<boolean>;
}

export interface BatchesSlice {
  /** Newest first. */
  batchIds: readonly string[];
  /** Each batch as last read from the API (children live from the jobs: see batch-tree). */
  batchesById: Readonly<Record<string, Batch>>;
  batchesStatus: ListStatus;
  batchesError: string | null;
  /** The last batch submission: pending, accepted, or the problem that refused it. */
  batchSubmit: { pending: boolean; problem: Problem | null; accepted: BatchAccepted | null };
  /** Reads the newest batches, each aggregated. */
  loadBatches(): Promise<void>;
  /** Reads one batch again (its fan-in callback's state comes only from the API). */
  refreshBatch(id: string): Promise<void>;
  /** Reads again every batch still running or whose fan-in callback is not settled. */
  refreshUnsettledBatches(): Promise<void>;
  /** Submits a batch; true when accepted. */
  createBatch(request: CreateBatchRequest): Promise<boolean>;
  /** A fan-in: marks the batch COMPLETED with its final counts, then reads it again. */
  applyBatchEvent(event: BatchEvent): void;
}

export interface DeliveryList {
  /** Newest first. */
  items: readonly Delivery[];
  status: ListStatus;
  error: string | null;
}

export interface SubscriptionsSlice {
  subscriptions: readonly Subscription[];
  subscriptionsStatus: ListStatus;
  subscriptionsError: string | null;
  subscriptionForm: { pending: boolean; problem: Problem | null };
  /** The secret of the subscription just created: the API shows it this once. */
  createdSecret: { subscriptionId: string; secret: string } | null;
  selectedSubscriptionId: string | null;
  /** Deliveries by subscription ID. */
  deliveries: Readonly<Record<string, DeliveryList>>;
  /** The last delete (target: a subscription) or redelivery (target: a delivery). */
  subscriptionAction: { target: string; pending: boolean; problem: Problem | null } | null;
  loadSubscriptions(): Promise<void>;
  createSubscription(request: CreateSubscriptionRequest): Promise<boolean>;
  dismissSecret(): void;
  deleteSubscription(id: string): Promise<boolean>;
  selectSubscription(id: string | null): void;
  loadDeliveries(subscriptionId: string): Promise<void>;
  redeliver(subscriptionId: string, deliveryId: string): Promise<boolean>;
}

export interface ApiDocSlice {
  apiDocument: ApiDocument | null;
  apiDocumentError: string | null;
  loadApiDocument(): Promise<void>;
}

export type ViewName =
  | 'overview'
  | 'submit'
  | 'jobs'
  | 'queues'
  | 'workers'
  | 'batches'
  | 'mail'
  | 'webhooks'
  | 'subscriptions'
  | 'api'
  | 'settings';

export interface NavSlice {
  view: ViewName;
  navigate(view: ViewName): void;
}

export interface SubmitState {
  submitting: boolean;
  /** Why the last submission was refused, by the console's own check or by the server. */
  problem: Problem | null;
  /** ID of the first job of the last accepted submission. */
  lastJobId: string | null;
  /** How many copies the last submission got accepted. */
  lastCount: number;
}

export interface SubmitSlice {
  submit: Readonly<Record<JobKind, SubmitState>>;
  /**
   * Checks the payload with the shared schema, then submits it `copies` times (default 1) and
   * opens the first job; true when every copy was accepted.
   */
  submitJob(kind: JobKind, payload: Record<string, unknown>, copies?: number): Promise<boolean>;
  /** Like `submitJob`, from a payload typed as JSON text. */
  submitRawJob(kind: JobKind, text: string, copies?: number): Promise<boolean>;
}

export interface LiveSlice {
  connection: ConnectionState;
  /**
   * Subscribes to the live feed (events batched) and loads the first page. Idempotent: while
   * started, it returns the same stop function and subscribes nothing more. The stop function
   * unsubscribes and drops what is still pending; calling it again does nothing.
   */
  start(): Unsubscribe;
}

export type ConsoleState = JobsSlice &
  SubmitSlice &
  LiveSlice &
  WorkersSlice &
  OverviewSlice &
  RecordsSlice &
  QueuesSlice &
  BatchesSlice &
  SubscriptionsSlice &
  ApiDocSlice &
  NavSlice;

/** What the slices' actions use; passed in, so tests can give their own bridge and clock. */
export interface ConsoleDeps {
  bridge: ConsoleBridge;
  /** Jobs kept in memory, newest first. */
  maxJobs: number;
  /** Jobs asked for by the first page. */
  pageSize: number;
  /** Longest wait before events reach the store, and shortest time between two updates. */
  eventBatchMs: number;
  schedule: Schedule;
  /** Epoch milliseconds; injected so tests own the clock. */
  now: () => number;
}
