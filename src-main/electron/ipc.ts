import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type ListJobsRequest, type SubmitJobRequest, type SubmitJobResult } from '../../src-shared/bridge';
import { ValidationError, type Problem } from '../../src-shared/problem';
import { listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { isOutage, parseInput, problem } from '../api/problems';
import type { RunningConsole } from '../console';

/** The problem a failed submission answers, as the HTTP API would. */
function submitProblem(error: unknown, onLog?: (line: string) => void): Problem {
  if (error instanceof ValidationError) return problem(400, 'the request is not valid', 'validation', error.errors);
  if (error instanceof Error && isOutage(error)) return problem(503, error.message, 'dependency-unavailable');
  onLog?.(`unexpected error submitting a job over IPC: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return problem(500, 'the console failed to handle this request');
}

/**
 * Only the console's own page may call: the main frame (not an iframe it might embed) of the
 * console's window, showing the bundled page loaded from disk (not a page it navigated to).
 */
function isOwnPage(event: IpcMainInvokeEvent, isOwnWindow: (sender: WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  return (
    isOwnWindow(event.sender) && frame !== null && frame === event.sender.mainFrame && frame.url.startsWith('file://')
  );
}

/** Answers the window's bridge calls; only the console's own window may call. */
export function registerIpc(
  consoleApp: RunningConsole,
  isOwnWindow: (sender: WebContents) => boolean,
  onLog?: (line: string) => void,
): () => void {
  const guard =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    (event: IpcMainInvokeEvent, ...args: A): Promise<R> => {
      if (!isOwnPage(event, isOwnWindow)) throw new Error('IPC from an unknown window refused');
      return handler(...args);
    };

  ipcMain.handle(
    IPC_CHANNELS.submitJob,
    guard(async (request: SubmitJobRequest): Promise<SubmitJobResult> => {
      try {
        const body = parseInput(submitJobSchema, request);
        return { ok: true, job: await consoleApp.jobs.submit(body.kind, body.payload) };
      } catch (error) {
        return { ok: false, problem: submitProblem(error, onLog) };
      }
    }),
  );
  ipcMain.handle(IPC_CHANNELS.getJob, guard((id: string) => consoleApp.jobs.get(String(id))));
  // A rejection crosses IPC as its message only, so a ValidationError's message names the fields.
  ipcMain.handle(
    IPC_CHANNELS.listJobs,
    guard(async (request: ListJobsRequest) => consoleApp.jobs.list(parseInput(listJobsQuerySchema, request ?? {}))),
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
