import type { KindsReport } from '../../src-shared/kind-records';
import type {
  ApiDocument,
  CreateBatchRequest,
  CreateBatchResult,
  CreateSubscriptionRequest,
  DeadLetter,
  DeadLetterAction,
  DeadLetterPreview,
  DeadLettersRequest,
  AuditRequest,
  AuditPage,
  DeleteSubscriptionResult,
  JobActionResult,
  ListJobsRequest,
  Operation,
  OperationPreview,
  OperationRequest,
  OperationResult,
  OperationTarget,
  PreviewDeadLettersResult,
  PreviewOperationResult,
  SavedViewResult,
  CreateScheduleRequest,
  ScheduleResult,
  StartOperationRequest,
  PageRequest,
  PurgeQueueResult,
  RedeliverResult,
  SubmitJobRequest,
  SubmitJobResult,
  SubscriptionResult,
  ValidateJobResult,
  WorkersActionResult,
  Confirmed,
} from '../../src-shared/bridge';
import type { ModeReport } from '../../src-shared/mode-report';
import type { Batch, BatchAccepted, BatchSummary } from '../../src-shared/batch-schemas';
import { alertNoticeSchema, type AlertEvent, type AlertNotice, type AlertRule } from '../../src-shared/alert-schemas';
import type { AlertResult, CreateAlertRequest, UpdateAlertRequest } from '../../src-shared/bridge';
import type { CreateSavedView, SavedView } from '../../src-shared/saved-view-schemas';
import type { Schedule as RecurringSchedule, ScheduleDetail } from '../../src-shared/schedule-schemas';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
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
} from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import type { FlowReport, KindFlow, KindLimits } from '../../src-shared/flow';
import type { KindFlowResult } from '../../src-shared/bridge';
import { JOB_LOG_CONTENT_TYPE, type JobLogLine } from '../../src-shared/job-log';
import type { JobRead } from '../../src-shared/job-timing';
import type { Job, Page } from '../../src-shared/job';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleBridge } from './console-bridge';
import { authorized, type AccessGate } from './access-gate';
import type { ConnectionProfile, ProfileExport, ProfileList, ProfileModeReport, ProfileTest } from '../../src-shared/profile-schemas';
import { createEventFeed, type EventSourceLike } from './event-feed';
import { scheduleWithTimer, type Schedule } from './schedule';

/** Longest a request (answer and body) may take before it is given up. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpBridgeOptions {
  /** Origin of the API, e.g. `http://127.0.0.1:8000`; the page's own origin when empty. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Defaults to {@link REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  openEventSource?: (url: string) => EventSourceLike;
  schedule?: Schedule;
  /** The page's API token: sent on every request, asked for on a 401 (the request then goes again). */
  access?: AccessGate;
}

/** A request the API refused; `problem` is its RFC 9457 answer. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ProblemError';
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const problem = value as Partial<Problem>;
  return typeof problem.title === 'string' && typeof problem.status === 'number';
}

/** The answer's problem document, or one made from its status when it has none. */
async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const value: unknown = JSON.parse(text);
    if (isProblem(value)) return { ...value, type: value.type ?? 'about:blank', detail: value.detail ?? '' };
  } catch {
    // Not JSON: described from the status below.
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500),
  };
}

/** A submit's body: only the fields `POST /api/v1/jobs` takes, `replay_of` when given. */
function submitBody({ kind, payload, replay_of }: SubmitJobRequest): SubmitJobRequest {
  return { kind, payload, ...(replay_of ? { replay_of } : {}) };
}

function listQuery(request: ListJobsRequest | PageRequest | DeadLettersRequest): string {
  const query = new URLSearchParams();
  if ('status' in request && request.status) query.set('status', request.status);
  if ('kind' in request && request.kind) query.set('kind', request.kind);
  if (request.limit !== undefined) query.set('limit', String(request.limit));
  if (request.cursor) query.set('cursor', request.cursor);
  if ('q' in request && request.q) query.set('q', request.q);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A request given up after its timeout; says so in words an operator can act on. */
export class RequestTimeoutError extends Error {
  constructor(method: string, path: string, timeoutMs: number) {
    const sent = method === 'POST' ? ' The job may still have been accepted: look for it in the jobs table.' : '';
    super(`No answer to ${method} ${path} within ${timeoutMs / 1000} s.${sent}`);
    this.name = 'RequestTimeoutError';
  }
}

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

/** The requests the bridge's verbs are made of, each under one timeout. */
function httpTransport(options: HttpBridgeOptions) {
  const { access } = options;
  const baseUrl = options.baseUrl ?? '';
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const fetchOf = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  /**
   * Fetches `path` and reads its answer with `read`, both under one timeout, so a server that
   * never answers (or stops mid-body) cannot leave a form busy for ever.
   */
  const send = async <T>(path: string, init: RequestInit, read: (response: Response) => Promise<T>): Promise<T> => {
    await access?.ready;
    for (;;) {
      try {
        const response = await fetchOf(`${baseUrl}${path}`, { ...init, headers: authorized(init.headers, access), signal: AbortSignal.timeout(timeoutMs) });
        if (response.status !== 401 || !access) return await read(response);
        await access.waitForToken((await readProblem(response)).detail);
      } catch (error) {
        throw isTimeout(error) ? new RequestTimeoutError(init.method ?? 'GET', path, timeoutMs) : error;
      }
    }
  };

  const getJson = <T>(path: string): Promise<T> =>
    send(path, { headers: { accept: 'application/json' } }, async (response) => {
      if (!response.ok) throw new ProblemError(await readProblem(response));
      return (await response.json()) as T;
    });

  /** A POST or PUT whose refusal is an answer (a problem), not an exception. */
  const act = <T, K extends string>(method: 'POST' | 'PUT' | 'PATCH', path: string, key: K, body?: unknown) =>
    send(
      path,
      {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      async (response) =>
        response.ok
          ? ({ ok: true, [key]: (await response.json()) as T } as { ok: true } & Record<K, T>)
          : { ok: false as const, problem: await readProblem(response) },
    );
  /** A GET of one thing; null when the API answers 404. */
  const getOrNull = async <T>(path: string): Promise<T | null> => {
    try {
      return await getJson<T>(path);
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) return null;
      throw error;
    }
  };
  const remove = (path: string): Promise<DeleteSubscriptionResult> =>
    send(path, { method: 'DELETE', headers: { accept: 'application/json' } }, async (response) =>
      response.ok ? { ok: true as const } : { ok: false as const, problem: await readProblem(response) },
    );
  return { baseUrl, send, getJson, act, getOrNull, remove };
}

const id = (value: string) => encodeURIComponent(value);

/** A DELETE's `confirm` (production's destructive verbs), as its query parameter. */
const confirmQuery = (confirm: string | undefined): string => (confirm === undefined ? '' : `?confirm=${encodeURIComponent(confirm)}`);


/** A cancel's answer: 200 the job, 202 `{"job", "cancel": "requested"}` while a running job stops, or a problem. */
async function readCancelAnswer(response: Response): Promise<JobActionResult> {
  if (!response.ok) return { ok: false, problem: await readProblem(response) };
  if (response.status === 202) {
    const { job } = (await response.json()) as { job: Job };
    return { ok: true, job, cancel: 'requested' };
  }
  return { ok: true, job: (await response.json()) as Job };
}

/** The logs route's JSON lines; null for an unknown job. */
async function readJobLogs(response: Response): Promise<JobLogLine[] | null> {
  if (response.status === 404) return null;
  if (!response.ok) throw new ProblemError(await readProblem(response));
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JobLogLine);
}

/**
 * Hands on each `operation` event of an operation's stream; closes it after a terminal state (the
 * server ends the stream then, and an EventSource would reconnect), and on the first error, which
 * `onError` hears: the caller falls back to reading the operation.
 */
function followOperation(source: EventSourceLike, onState: (operation: Operation) => void, onError?: () => void): () => void {
  let ended = false;
  const end = (): void => {
    ended = true;
    source.close();
  };
  source.addEventListener('operation', (event) => {
    if (ended) return;
    const operation = JSON.parse(event.data) as Operation;
    if (operation.status !== 'running') end();
    onState(operation);
  });
  source.onerror = () => {
    if (ended) return;
    end();
    onError?.();
  };
  return end;
}

/** Hands on each well-formed `alert` event; the EventSource reconnects by itself after an error. */
function followAlerts(source: EventSourceLike, listener: (notice: AlertNotice) => void): () => void {
  source.addEventListener('alert', (event) => {
    try {
      const parsed = alertNoticeSchema.safeParse(JSON.parse(event.data));
      if (parsed.success) listener(parsed.data);
    } catch {
      // Not JSON: not an alert this console reads.
    }
  });
  return () => source.close();
}

/** The bridge over the v1 HTTP API and its Server-Sent Events stream (headless mode, any browser). */
export function createHttpBridge(options: HttpBridgeOptions = {}): ConsoleBridge {
  const { baseUrl, send, getJson, act, getOrNull, remove } = httpTransport(options);
  const { access } = options;
  const openSource = options.openEventSource ?? ((url: string) => new EventSource(url));
  // An EventSource cannot set a header: its token goes in the query, which the API takes on streams.
  const openEventSource = (url: string) => openSource(access ? access.withToken(url) : url);
  const schedule = options.schedule ?? scheduleWithTimer;
  const feed = createEventFeed({
    url: `${baseUrl}/api/v1/events`,
    open: openEventSource,
    schedule: access ? access.scheduleOrOnToken(schedule) : schedule,
  });

  return {
    cancelJob: (jobId: string): Promise<JobActionResult> =>
      send(`/api/v1/jobs/${id(jobId)}/cancel`, { method: 'POST', headers: { accept: 'application/json' } }, readCancelAnswer),
    getJobLogs: (jobId: string): Promise<JobLogLine[] | null> =>
      send(`/api/v1/jobs/${id(jobId)}/logs`, { headers: { accept: JOB_LOG_CONTENT_TYPE } }, readJobLogs),
    retryJob: (jobId: string): Promise<JobActionResult> => act<Job, 'job'>('POST', `/api/v1/jobs/${id(jobId)}/retry`, 'job'),
    runJobNow: (jobId: string): Promise<JobActionResult> => act<Job, 'job'>('POST', `/api/v1/jobs/${id(jobId)}/run-now`, 'job'),
    listWorkers: () => getJson<WorkersReport>('/api/v1/workers'),
    scaleWorkers: (kind: JobKind, count: number): Promise<WorkersActionResult> =>
      act<WorkersReport, 'report'>('PUT', `/api/v1/workers/${id(kind)}`, 'report', { count }),
    restartWorker: (workerId: string): Promise<WorkersActionResult> =>
      act<WorkersReport, 'report'>('POST', `/api/v1/workers/${id(workerId)}/restart`, 'report'),
    stopWorker: (workerId: string): Promise<WorkersActionResult> =>
      act<WorkersReport, 'report'>('POST', `/api/v1/workers/${id(workerId)}/stop`, 'report'),
    // 503 carries the report too: which dependency is down is the point of asking.
    getHealth: () =>
      send('/api/v1/health', { headers: { accept: 'application/json' } }, async (response) => {
        if (!response.ok && response.status !== 503) throw new ProblemError(await readProblem(response));
        return (await response.json()) as HealthSummary;
      }),
    listMail: (request: PageRequest) => getJson<Page<MailSummary>>(`/api/v1/mailbox${listQuery(request)}`),
    getMail: (mailId: string) => getOrNull<MailRecord>(`/api/v1/mailbox/${id(mailId)}`),
    listWebhooks: (request: PageRequest) => getJson<Page<WebhookSummary>>(`/api/v1/inbox${listQuery(request)}`),
    getWebhook: (itemId: string) => getOrNull<WebhookRecord>(`/api/v1/inbox/items/${id(itemId)}`),
    listQueues: () => getJson<QueuesReport>('/api/v1/queues'),
    getSettings: () => getJson<ConnectionSettings>('/api/v1/settings'),
    listProfiles: () => getJson<ProfileList>('/api/v1/connections'),
    createProfile: (request) => act<ConnectionProfile, 'profile'>('POST', '/api/v1/connections', 'profile', request),
    updateProfile: (profileId, patch) => act<ConnectionProfile, 'profile'>('PATCH', `/api/v1/connections/${id(profileId)}`, 'profile', patch),
    duplicateProfile: (profileId) => act<ConnectionProfile, 'profile'>('POST', `/api/v1/connections/${id(profileId)}/duplicate`, 'profile'),
    deleteProfile: (profileId) => remove(`/api/v1/connections/${id(profileId)}`),
    testProfile: async (profileId) => {
      const tested = await act<ProfileTest, 'test'>('POST', `/api/v1/connections/${id(profileId)}/test`, 'test');
      if (!tested.ok) throw new ProblemError(tested.problem);
      return tested.test;
    },
    activateProfile: (profileId) => act<ProfileModeReport, 'mode'>('POST', `/api/v1/connections/${id(profileId)}/activate`, 'mode'),
    unlockProfile: (profileId) => act<ProfileModeReport, 'mode'>('POST', `/api/v1/connections/${id(profileId)}/unlock`, 'mode'),
    exportProfiles: (request) => act<ProfileExport, 'document'>('POST', '/api/v1/connections/export', 'document', request),
    importProfiles: (request) => act<{ items: ConnectionProfile[] }, 'imported'>('POST', '/api/v1/connections/import', 'imported', request),
    listKinds: () => getJson<KindsReport>('/api/v1/kinds'),
    getMode: () => getJson<ModeReport>('/api/v1/mode'),
    purgeQueue: (kind: JobKind, confirm?: string): Promise<PurgeQueueResult> =>
      act<PurgeResult, 'result'>('POST', `/api/v1/queues/${id(kind)}/purge`, 'result', confirm === undefined ? undefined : { confirm }),
    listFlows: () => getJson<FlowReport>('/api/v1/flow'),
    pauseKind: (kind: JobKind, paused: boolean): Promise<KindFlowResult> =>
      act<KindFlow, 'flow'>('POST', `/api/v1/kinds/${id(kind)}/${paused ? 'pause' : 'resume'}`, 'flow'),
    setKindLimits: (kind: JobKind, limits: KindLimits): Promise<KindFlowResult> =>
      act<KindFlow, 'flow'>('PUT', `/api/v1/kinds/${id(kind)}/limits`, 'flow', limits),
    submitJob: (request: SubmitJobRequest): Promise<SubmitJobResult> =>
      act<Job, 'job'>('POST', '/api/v1/jobs', 'job', submitBody(request)),
    validateJob: (request: SubmitJobRequest): Promise<ValidateJobResult> =>
      act<{ kind: string; payload: Record<string, unknown> }, 'valid'>('POST', '/api/v1/jobs/validate', 'valid', submitBody(request)),
    getJob: (jobId: string): Promise<JobRead | null> => getOrNull<JobRead>(`/api/v1/jobs/${id(jobId)}`),
    listBatches: (request: PageRequest) => getJson<Page<BatchSummary>>(`/api/v1/batches${listQuery(request)}`),
    getBatch: (batchId: string) => getOrNull<Batch>(`/api/v1/batches/${id(batchId)}`),
    createBatch: (request: CreateBatchRequest): Promise<CreateBatchResult> =>
      act<BatchAccepted, 'batch'>('POST', '/api/v1/batches', 'batch', request),
    listSubscriptions: () => getJson<Page<Subscription>>('/api/v1/subscriptions'),
    createSubscription: (request: CreateSubscriptionRequest): Promise<SubscriptionResult> =>
      act<Subscription, 'subscription'>('POST', '/api/v1/subscriptions', 'subscription', request),
    deleteSubscription: (subscriptionId: string, confirm?: string) => remove(`/api/v1/subscriptions/${id(subscriptionId)}${confirmQuery(confirm)}`),
    listDeliveries: (subscriptionId: string, request: PageRequest) =>
      getJson<Page<Delivery>>(`/api/v1/subscriptions/${id(subscriptionId)}/deliveries${listQuery(request)}`),
    redeliver: (subscriptionId: string, deliveryId: string): Promise<RedeliverResult> =>
      act<Delivery, 'delivery'>('POST', `/api/v1/subscriptions/${id(subscriptionId)}/deliveries/${id(deliveryId)}/redeliver`, 'delivery'),
    getApiDocument: () => getJson<ApiDocument>('/api/v1/openapi.json'),
    previewOperation: (request: OperationRequest): Promise<PreviewOperationResult> =>
      act<OperationPreview, 'preview'>('POST', '/api/v1/operations', 'preview', { ...request, dry_run: true }),
    startOperation: (request: StartOperationRequest): Promise<OperationResult> =>
      act<Operation, 'operation'>('POST', '/api/v1/operations', 'operation', request),
    getOperation: (operationId: string) => getOrNull<Operation>(`/api/v1/operations/${id(operationId)}`),
    followOperation: (operationId: string, onState: (operation: Operation) => void, onError?: () => void) =>
      followOperation(openEventSource(`${baseUrl}/api/v1/operations/${id(operationId)}/events`), onState, onError),
    cancelOperation: (operationId: string): Promise<OperationResult> =>
      act<Operation, 'operation'>('POST', `/api/v1/operations/${id(operationId)}/cancel`, 'operation'),
    listDeadLetters: (request: DeadLettersRequest) => getJson<Page<DeadLetter>>(`/api/v1/dead-letters${listQuery(request)}`),
    listAudit: (request: AuditRequest) => getJson<AuditPage>(`/api/v1/audit${listQuery(request)}`),
    previewDeadLetters: (action: DeadLetterAction, target: OperationTarget): Promise<PreviewDeadLettersResult> =>
      act<DeadLetterPreview, 'preview'>('POST', `/api/v1/dead-letters/${id(action)}`, 'preview', { ...target, dry_run: true }),
    startDeadLetters: (action: DeadLetterAction, target: OperationTarget & Confirmed): Promise<OperationResult> =>
      act<Operation, 'operation'>('POST', `/api/v1/dead-letters/${id(action)}`, 'operation', target),
    listSavedViews: () => getJson<Page<SavedView>>('/api/v1/saved-views'),
    createSavedView: (request: CreateSavedView): Promise<SavedViewResult> => act<SavedView, 'view'>('POST', '/api/v1/saved-views', 'view', request),
    deleteSavedView: (viewId: string) => remove(`/api/v1/saved-views/${id(viewId)}`),
    listSchedules: (request: PageRequest) => getJson<Page<RecurringSchedule>>(`/api/v1/schedules${listQuery(request)}`),
    getSchedule: (scheduleId: string) => getOrNull<ScheduleDetail>(`/api/v1/schedules/${id(scheduleId)}`),
    createSchedule: (request: CreateScheduleRequest): Promise<ScheduleResult> => act<RecurringSchedule, 'schedule'>('POST', '/api/v1/schedules', 'schedule', request),
    pauseSchedule: (scheduleId: string): Promise<ScheduleResult> => act<RecurringSchedule, 'schedule'>('POST', `/api/v1/schedules/${id(scheduleId)}/pause`, 'schedule'),
    resumeSchedule: (scheduleId: string): Promise<ScheduleResult> => act<RecurringSchedule, 'schedule'>('POST', `/api/v1/schedules/${id(scheduleId)}/resume`, 'schedule'),
    triggerSchedule: (scheduleId: string): Promise<JobActionResult> => act<Job, 'job'>('POST', `/api/v1/schedules/${id(scheduleId)}/trigger`, 'job'),
    deleteSchedule: (scheduleId: string, confirm?: string) => remove(`/api/v1/schedules/${id(scheduleId)}${confirmQuery(confirm)}`),
    listAlerts: () => getJson<Page<AlertRule>>('/api/v1/alerts'),
    createAlert: (request: CreateAlertRequest): Promise<AlertResult> => act<AlertRule, 'rule'>('POST', '/api/v1/alerts', 'rule', request),
    updateAlert: (ruleId: string, changes: UpdateAlertRequest): Promise<AlertResult> => act<AlertRule, 'rule'>('PATCH', `/api/v1/alerts/${id(ruleId)}`, 'rule', changes),
    deleteAlert: (ruleId: string) => remove(`/api/v1/alerts/${id(ruleId)}`),
    listAlertEvents: (ruleId: string, request: PageRequest) => getJson<Page<AlertEvent>>(`/api/v1/alerts/${id(ruleId)}/events${listQuery(request)}`),
    onAlert: (listener) => followAlerts(openEventSource(`${baseUrl}/api/v1/alerts/stream`), listener),
    listJobs: (request: ListJobsRequest) => getJson<Page<Job>>(`/api/v1/jobs${listQuery(request)}`),
    onJobEvent: (listener) => feed.onJobEvent(listener),
    onBatchEvent: (listener) => feed.onBatchEvent(listener),
    onResync: (listener) => feed.onResync(listener),
    onConnectionChange: (listener) => feed.onConnectionChange(listener),
  };
}
