import { vi } from 'vitest';
import type { AlertEvent, AlertNotice, AlertRule } from '../../../src-shared/alert-schemas';
import type { AlertResult, CreateAlertRequest, UpdateAlertRequest } from '../../../src-shared/bridge';
import type { JobLogLine } from '../../../src-shared/job-log';
import type {
  ApiDocument,
  CreateBatchRequest,
  CreateBatchResult,
  CreateSubscriptionRequest,
  DeadLetter,
  DeadLetterAction,
  DeadLettersRequest,
  AuditRequest,
  AuditPage,
  DeleteSubscriptionResult,
  RedeliverResult,
  SubscriptionResult,
  JobActionResult,
  ListJobsRequest,
  Operation,
  OperationRequest,
  OperationResult,
  OperationTarget,
  PreviewDeadLettersResult,
  PreviewOperationResult,
  SavedViewResult,
  ScheduleResult,
  StartOperationRequest,
  PageRequest,
  PurgeQueueResult,
  SubmitJobRequest,
  SubmitJobResult,
  ValidateJobResult,
  WorkersActionResult,
} from '../../../src-shared/bridge';
import {
  MAX_WORKERS_PER_KIND,
  type ConnectionSettings,
  type HealthSummary,
  type MailRecord,
  type MailSummary,
  type QueuesReport,
  type WebhookRecord,
  type WebhookSummary,
  type WorkersReport,
} from '../../../src-shared/console-records';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { kindInfo, type KindsReport } from '../../../src-shared/kind-records';
import type { JobKind } from '../../../src-shared/kinds';
import type { FlowReport, KindLimits } from '../../../src-shared/flow';
import type { KindFlowResult } from '../../../src-shared/bridge';
import type { BatchEvent, JobEvent, ResyncEvent } from '../../../src-shared/events';
import type { Batch, BatchSummary } from '../../../src-shared/batch-schemas';
import type { CreateSavedView, SavedView } from '../../../src-shared/saved-view-schemas';
import type { Schedule, ScheduleDetail } from '../../../src-shared/schedule-schemas';
import type { Delivery, Subscription } from '../../../src-shared/subscription-schemas';
import type { Job, Page } from '../../../src-shared/job';
import type { ConsoleBridge } from '../../../src-renderer/bridge/console-bridge';
import type { ConnectionState } from '../../../src-renderer/store/connection-state';

/** A bridge the test drives: it answers with what the test set and emits what the test says. */
export function fakeBridge(firstPage: Job[] = []) {
  const jobListeners = new Set<(event: JobEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const batchListeners = new Set<(event: BatchEvent) => void>();
  const resyncListeners = new Set<(event: ResyncEvent) => void>();
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
    runJobNow: vi.fn(async (_id: string): Promise<JobActionResult> => {
      throw notSetUp('runJobNow');
    }),
    getJobLogs: vi.fn(async (_id: string): Promise<JobLogLine[] | null> => []),
    listWorkers: vi.fn(
      async (): Promise<WorkersReport> => ({
        workers: [],
        counts: { log: 0, callback: 0, email: 0 },
        max_per_kind: MAX_WORKERS_PER_KIND,
        supervised: true,
        elsewhere_unknown: false,
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
    listMail: vi.fn(async (_request: PageRequest): Promise<Page<MailSummary>> => ({ items: [], next_cursor: null })),
    getMail: vi.fn(async (_id: string): Promise<MailRecord | null> => null),
    listWebhooks: vi.fn(async (_request: PageRequest): Promise<Page<WebhookSummary>> => ({ items: [], next_cursor: null })),
    getWebhook: vi.fn(async (_id: string): Promise<WebhookRecord | null> => null),
    listQueues: vi.fn(async (): Promise<QueuesReport> => ({ queues: [], removed_kinds: [] })),
    // A console without a kinds file: the built-in kinds.
    listKinds: vi.fn(async (): Promise<KindsReport> => ({ kinds: builtinKindRegistry().entries.map(({ definition }) => kindInfo(definition)) })),
    getSettings: vi.fn(async (): Promise<ConnectionSettings> => {
      throw notSetUp('getSettings');
    }),
    listProfiles: vi.fn(async (): Promise<never> => {
      throw notSetUp('listProfiles');
    }),
    createProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('createProfile');
    }),
    updateProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('updateProfile');
    }),
    duplicateProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('duplicateProfile');
    }),
    deleteProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('deleteProfile');
    }),
    testProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('testProfile');
    }),
    activateProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('activateProfile');
    }),
    unlockProfile: vi.fn(async (): Promise<never> => {
      throw notSetUp('unlockProfile');
    }),
    exportProfiles: vi.fn(async (): Promise<never> => {
      throw notSetUp('exportProfiles');
    }),
    importProfiles: vi.fn(async (): Promise<never> => {
      throw notSetUp('importProfiles');
    }),
    listFlows: vi.fn(async (): Promise<FlowReport> => ({ kinds: [] })),
    pauseKind: vi.fn(async (_kind: JobKind, _paused: boolean): Promise<KindFlowResult> => {
      throw notSetUp('pauseKind');
    }),
    setKindLimits: vi.fn(async (_kind: JobKind, _limits: KindLimits): Promise<KindFlowResult> => {
      throw notSetUp('setKindLimits');
    }),
    getMode: vi.fn(async () => ({ id: 'environment', name: 'environment', environment: 'development' as const, color: null, read_only: false, reason: null })),
    purgeQueue: vi.fn(async (_kind: JobKind, _confirm?: string): Promise<PurgeQueueResult> => {
      throw notSetUp('purgeQueue');
    }),
    onBatchEvent: vi.fn((listener: (event: BatchEvent) => void) => {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    }),
    onResync: vi.fn((listener: (event: ResyncEvent) => void) => {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    }),
    listBatches: vi.fn(async (_request: PageRequest): Promise<Page<BatchSummary>> => ({ items: [], next_cursor: null })),
    getBatch: vi.fn(async (_id: string): Promise<Batch | null> => null),
    createBatch: vi.fn(async (_request: CreateBatchRequest): Promise<CreateBatchResult> => {
      throw notSetUp('createBatch');
    }),
    listSubscriptions: vi.fn(async (): Promise<Page<Subscription>> => ({ items: [], next_cursor: null })),
    createSubscription: vi.fn(async (_request: CreateSubscriptionRequest): Promise<SubscriptionResult> => {
      throw notSetUp('createSubscription');
    }),
    deleteSubscription: vi.fn(async (_id: string): Promise<DeleteSubscriptionResult> => {
      throw notSetUp('deleteSubscription');
    }),
    listDeliveries: vi.fn(async (_id: string, _request: PageRequest): Promise<Page<Delivery>> => ({ items: [], next_cursor: null })),
    redeliver: vi.fn(async (_id: string, _deliveryId: string): Promise<RedeliverResult> => {
      throw notSetUp('redeliver');
    }),
    getApiDocument: vi.fn(async (): Promise<ApiDocument> => {
      throw notSetUp('getApiDocument');
    }),
    validateJob: vi.fn(async (_request: SubmitJobRequest): Promise<ValidateJobResult> => {
      throw notSetUp('validateJob');
    }),
    previewOperation: vi.fn(async (_request: OperationRequest): Promise<PreviewOperationResult> => {
      throw notSetUp('previewOperation');
    }),
    startOperation: vi.fn(async (_request: StartOperationRequest): Promise<OperationResult> => {
      throw notSetUp('startOperation');
    }),
    getOperation: vi.fn(async (_id: string): Promise<Operation | null> => null),
    listAudit: vi.fn(async (_request: AuditRequest): Promise<AuditPage> => ({ items: [], next_cursor: null })),
    listDeadLetters: vi.fn(async (_request: DeadLettersRequest): Promise<Page<DeadLetter>> => ({ items: [], next_cursor: null })),
    previewDeadLetters: vi.fn(async (_action: DeadLetterAction, _target: OperationTarget): Promise<PreviewDeadLettersResult> => {
      throw notSetUp('previewDeadLetters');
    }),
    startDeadLetters: vi.fn(async (_action: DeadLetterAction, _target: OperationTarget & { expected: number }): Promise<OperationResult> => {
      throw notSetUp('startDeadLetters');
    }),
    // No stream by default: it fails at once, so the slice reads the operation (getOperation) instead.
    followOperation: vi.fn((_id: string, _onState: (operation: Operation) => void, onError?: () => void): (() => void) => {
      onError?.();
      return () => undefined;
    }),
    cancelOperation: vi.fn(async (_id: string): Promise<OperationResult> => {
      throw notSetUp('cancelOperation');
    }),
    listSavedViews: vi.fn(async (): Promise<Page<SavedView>> => ({ items: [], next_cursor: null })),
    createSavedView: vi.fn(async (_request: CreateSavedView): Promise<SavedViewResult> => {
      throw notSetUp('createSavedView');
    }),
    listSchedules: vi.fn(async (): Promise<Page<Schedule>> => ({ items: [], next_cursor: null })),
    getSchedule: vi.fn(async (_id: string): Promise<ScheduleDetail | null> => null),
    createSchedule: vi.fn(async (): Promise<ScheduleResult> => {
      throw notSetUp('createSchedule');
    }),
    pauseSchedule: vi.fn(async (_id: string): Promise<ScheduleResult> => {
      throw notSetUp('pauseSchedule');
    }),
    resumeSchedule: vi.fn(async (_id: string): Promise<ScheduleResult> => {
      throw notSetUp('resumeSchedule');
    }),
    triggerSchedule: vi.fn(async (_id: string): Promise<JobActionResult> => {
      throw notSetUp('triggerSchedule');
    }),
    deleteSchedule: vi.fn(async (_id: string): Promise<DeleteSubscriptionResult> => {
      throw notSetUp('deleteSchedule');
    }),
    deleteSavedView: vi.fn(async (_id: string): Promise<DeleteSubscriptionResult> => {
      throw notSetUp('deleteSavedView');
    }),
    listAlerts: vi.fn(async (): Promise<Page<AlertRule>> => ({ items: [], next_cursor: null })),
    createAlert: vi.fn(async (_request: CreateAlertRequest): Promise<AlertResult> => {
      throw notSetUp('createAlert');
    }),
    updateAlert: vi.fn(async (_id: string, _changes: UpdateAlertRequest): Promise<AlertResult> => {
      throw notSetUp('updateAlert');
    }),
    deleteAlert: vi.fn(async (_id: string): Promise<DeleteSubscriptionResult> => {
      throw notSetUp('deleteAlert');
    }),
    listAlertEvents: vi.fn(async (_id: string, _request: PageRequest): Promise<Page<AlertEvent>> => ({ items: [], next_cursor: null })),
    onAlert: vi.fn((_listener: (notice: AlertNotice) => void): (() => void) => () => undefined),
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
    emitBatch(event: BatchEvent) {
      for (const listener of batchListeners) listener(event);
    },
    emitResync(event: ResyncEvent) {
      for (const listener of resyncListeners) listener(event);
    },
    listenerCount: () => jobListeners.size + connectionListeners.size + batchListeners.size + resyncListeners.size,
  };
}
