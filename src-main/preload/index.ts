/**
 * The preload: gives the sandboxed window the JobdeckBridge verbs as `window.jobdeck`, each a
 * call on one allow-listed IPC channel. ipcRenderer itself never crosses into the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  type ApiDocument,
  type CreateBatchRequest,
  type CreateBatchResult,
  type CreateSubscriptionRequest,
  type DeleteSubscriptionResult,
  type RedeliverResult,
  type SubscriptionResult,
  type Unsubscribe,
  type JobActionResult,
  type JobdeckBridge,
  type ListJobsRequest,
  type PageRequest,
  type PurgeQueueResult,
  type SubmitJobRequest,
  type SubmitJobResult,
  type WorkersActionResult,
} from '../../src-shared/bridge';
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
import type { JobKind } from '../../src-shared/kinds';
import type { Batch, BatchSummary } from '../../src-shared/batch-schemas';
import type { BatchEvent, JobEvent, ResyncEvent } from '../../src-shared/events';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
import type { Job, Page } from '../../src-shared/job';

/**
 * Listens on one main→window channel. One wrapper per subscription, so the unsubscribe removes
 * exactly this listener and the page never sees the IpcRendererEvent (which would hand it `sender`).
 */
function listenOn<T>(channel: string, listener: (value: T) => void): Unsubscribe {
  const relay = (_event: IpcRendererEvent, value: T): void => listener(value);
  ipcRenderer.on(channel, relay);
  return () => {
    ipcRenderer.removeListener(channel, relay);
  };
}

const jobdeck: JobdeckBridge = {
  submitJob: (request: SubmitJobRequest): Promise<SubmitJobResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.submitJob, request),
  getJob: (id: string): Promise<Job | null> => ipcRenderer.invoke(IPC_CHANNELS.getJob, id),
  listJobs: (request: ListJobsRequest): Promise<Page<Job>> =>
    ipcRenderer.invoke(IPC_CHANNELS.listJobs, request),
  onJobEvent: (listener) => listenOn<JobEvent>(IPC_CHANNELS.jobEvent, listener),
  onBatchEvent: (listener) => listenOn<BatchEvent>(IPC_CHANNELS.batchEvent, listener),
  onResync: (listener) => listenOn<ResyncEvent>(IPC_CHANNELS.resync, listener),
  cancelJob: (id: string): Promise<JobActionResult> => ipcRenderer.invoke(IPC_CHANNELS.cancelJob, id),
  retryJob: (id: string): Promise<JobActionResult> => ipcRenderer.invoke(IPC_CHANNELS.retryJob, id),
  listWorkers: (): Promise<WorkersReport> => ipcRenderer.invoke(IPC_CHANNELS.listWorkers),
  scaleWorkers: (kind: JobKind, count: number): Promise<WorkersActionResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.scaleWorkers, kind, count),
  restartWorker: (id: string): Promise<WorkersActionResult> => ipcRenderer.invoke(IPC_CHANNELS.restartWorker, id),
  stopWorker: (id: string): Promise<WorkersActionResult> => ipcRenderer.invoke(IPC_CHANNELS.stopWorker, id),
  getHealth: (): Promise<HealthSummary> => ipcRenderer.invoke(IPC_CHANNELS.getHealth),
  listMail: (request: PageRequest): Promise<Page<MailSummary>> => ipcRenderer.invoke(IPC_CHANNELS.listMail, request),
  getMail: (id: string): Promise<MailRecord | null> => ipcRenderer.invoke(IPC_CHANNELS.getMail, id),
  listWebhooks: (request: PageRequest): Promise<Page<WebhookSummary>> => ipcRenderer.invoke(IPC_CHANNELS.listWebhooks, request),
  getWebhook: (id: string): Promise<WebhookRecord | null> => ipcRenderer.invoke(IPC_CHANNELS.getWebhook, id),
  listQueues: (): Promise<QueuesReport> => ipcRenderer.invoke(IPC_CHANNELS.listQueues),
  getSettings: (): Promise<ConnectionSettings> => ipcRenderer.invoke(IPC_CHANNELS.getSettings),
  purgeQueue: (kind: JobKind): Promise<PurgeQueueResult> => ipcRenderer.invoke(IPC_CHANNELS.purgeQueue, kind),
  listBatches: (request: PageRequest): Promise<Page<BatchSummary>> => ipcRenderer.invoke(IPC_CHANNELS.listBatches, request),
  getBatch: (id: string): Promise<Batch | null> => ipcRenderer.invoke(IPC_CHANNELS.getBatch, id),
  createBatch: (request: CreateBatchRequest): Promise<CreateBatchResult> => ipcRenderer.invoke(IPC_CHANNELS.createBatch, request),
  listSubscriptions: (): Promise<Page<Subscription>> => ipcRenderer.invoke(IPC_CHANNELS.listSubscriptions),
  createSubscription: (request: CreateSubscriptionRequest): Promise<SubscriptionResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.createSubscription, request),
  deleteSubscription: (id: string): Promise<DeleteSubscriptionResult> => ipcRenderer.invoke(IPC_CHANNELS.deleteSubscription, id),
  listDeliveries: (subscriptionId: string, request: PageRequest): Promise<Page<Delivery>> =>
    ipcRenderer.invoke(IPC_CHANNELS.listDeliveries, subscriptionId, request),
  redeliver: (subscriptionId: string, deliveryId: string): Promise<RedeliverResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.redeliver, subscriptionId, deliveryId),
  getApiDocument: (): Promise<ApiDocument> => ipcRenderer.invoke(IPC_CHANNELS.getApiDocument),
};

contextBridge.exposeInMainWorld('jobdeck', jobdeck);
