/**
 * The preload: gives the sandboxed window the JobdeckBridge verbs as `window.jobdeck`, each a
 * call on one allow-listed IPC channel. ipcRenderer itself never crosses into the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  type JobActionResult,
  type JobdeckBridge,
  type ListJobsRequest,
  type PageRequest,
  type PurgeQueueResult,
  type SubmitJobRequest,
  type SubmitJobResult,
  type WorkersActionResult,
} from '../../src-shared/bridge';
import type { ConnectionSettings, HealthSummary, MailRecord, QueuesReport, WebhookRecord, WorkersReport } from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import type { JobEvent } from '../../src-shared/events';
import type { Job, Page } from '../../src-shared/job';

const jobdeck: JobdeckBridge = {
  submitJob: (request: SubmitJobRequest): Promise<SubmitJobResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.submitJob, request),
  getJob: (id: string): Promise<Job | null> => ipcRenderer.invoke(IPC_CHANNELS.getJob, id),
  listJobs: (request: ListJobsRequest): Promise<Page<Job>> =>
    ipcRenderer.invoke(IPC_CHANNELS.listJobs, request),
  onJobEvent(listener) {
    // One wrapper per subscription, so the unsubscribe removes exactly this listener and the
    // page never sees the IpcRendererEvent (which would hand it `sender`).
    const relay = (_event: IpcRendererEvent, jobEvent: JobEvent): void => listener(jobEvent);
    ipcRenderer.on(IPC_CHANNELS.jobEvent, relay);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.jobEvent, relay);
    };
  },
  cancelJob: (id: string): Promise<JobActionResult> => ipcRenderer.invoke(IPC_CHANNELS.cancelJob, id),
  retryJob: (id: string): Promise<JobActionResult> => ipcRenderer.invoke(IPC_CHANNELS.retryJob, id),
  listWorkers: (): Promise<WorkersReport> => ipcRenderer.invoke(IPC_CHANNELS.listWorkers),
  scaleWorkers: (kind: JobKind, count: number): Promise<WorkersActionResult> =>
    ipcRenderer.invoke(IPC_CHANNELS.scaleWorkers, kind, count),
  restartWorker: (id: string): Promise<WorkersActionResult> => ipcRenderer.invoke(IPC_CHANNELS.restartWorker, id),
  stopWorker: (id: string): Promise<WorkersActionResult> => ipcRenderer.invoke(IPC_CHANNELS.stopWorker, id),
  getHealth: (): Promise<HealthSummary> => ipcRenderer.invoke(IPC_CHANNELS.getHealth),
  listMail: (request: PageRequest): Promise<Page<MailRecord>> => ipcRenderer.invoke(IPC_CHANNELS.listMail, request),
  listWebhooks: (request: PageRequest): Promise<Page<WebhookRecord>> => ipcRenderer.invoke(IPC_CHANNELS.listWebhooks, request),
  listQueues: (): Promise<QueuesReport> => ipcRenderer.invoke(IPC_CHANNELS.listQueues),
  getSettings: (): Promise<ConnectionSettings> => ipcRenderer.invoke(IPC_CHANNELS.getSettings),
  purgeQueue: (kind: JobKind): Promise<PurgeQueueResult> => ipcRenderer.invoke(IPC_CHANNELS.purgeQueue, kind),
};

contextBridge.exposeInMainWorld('jobdeck', jobdeck);
