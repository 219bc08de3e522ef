import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type ListJobsRequest, type SubmitJobRequest, type SubmitJobResult } from '../../src-shared/bridge';
import { ValidationError } from '../../src-shared/problem';
import { listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { problem } from '../api/problems';
import type { RunningConsole } from '../console';

/** Answers the window's bridge calls; only the console's own window may call. */
export function registerIpc(consoleApp: RunningConsole, isOwnWindow: (sender: WebContents) => boolean): () => void {
  const guard =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    (event: IpcMainInvokeEvent, ...args: A): Promise<R> => {
      if (!isOwnWindow(event.sender)) throw new Error('IPC from an unknown window refused');
      return handler(...args);
    };

  ipcMain.handle(
    IPC_CHANNELS.submitJob,
    guard(async (request: SubmitJobRequest): Promise<SubmitJobResult> => {
      try {
        const body = submitJobSchema.parse(request);
        return { ok: true, job: await consoleApp.jobs.submit(body.kind, body.payload) };
      } catch (error) {
        if (error instanceof ValidationError) {
          return { ok: false, problem: problem(400, 'the request is not valid', 'validation', error.errors) };
        }
        return { ok: false, problem: problem(503, (error as Error).message, 'dependency-unavailable') };
      }
    }),
  );
  ipcMain.handle(IPC_CHANNELS.getJob, guard((id: string) => consoleApp.jobs.get(String(id))));
  ipcMain.handle(
    IPC_CHANNELS.listJobs,
    guard((request: ListJobsRequest) => consoleApp.jobs.list(listJobsQuerySchema.parse(request ?? {}))),
  );
  return () => {
    for (const channel of [IPC_CHANNELS.submitJob, IPC_CHANNELS.getJob, IPC_CHANNELS.listJobs]) {
      ipcMain.removeHandler(channel);
    }
  };
}

/** Forwards every job event to the window; returns the unsubscribe. */
export function relayEventsTo(consoleApp: RunningConsole, contents: WebContents): () => void {
  return consoleApp.relay.subscribe((event) => {
    if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.jobEvent, event);
  });
}
