/**
 * The preload: gives the sandboxed window the JobdeckBridge verbs as `window.jobdeck`, each a
 * call on one allow-listed IPC channel. ipcRenderer itself never crosses into the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  type JobdeckBridge,
  type ListJobsRequest,
  type SubmitJobRequest,
  type SubmitJobResult,
} from '../../src-shared/bridge';
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
};

contextBridge.exposeInMainWorld('jobdeck', jobdeck);
