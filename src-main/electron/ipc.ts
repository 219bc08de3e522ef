import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  IPC_CHANNELS,
  type JobActionResult,
  type ListJobsRequest,
  type PageRequest,
  type SubmitJobRequest,
  type SubmitJobResult,
  type WorkersActionResult,
} from '../../src-shared/bridge';
import { scaleWorkersSchema, workerIdParamsSchema, workerKindParamsSchema } from '../../src-shared/worker-schemas';
import { refusalFor } from '../api/refusals';
import { unsupervisedReport } from '../api/worker-routes';
import { ValidationError, type Problem } from '../../src-shared/problem';
import { listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { parseInput, problem } from '../api/problems';
import { recordParamsSchema } from '../api/record-routes';
import type { RunningConsole } from '../console';
import { registerEventApiIpc } from './event-api-ipc';

/** The problem a refused request answers, as the HTTP API would; anything else is a 500, logged. */
function submitProblem(error: unknown, onLog?: (line: string) => void): Problem {
  const refusal = refusalFor(error);
  if (refusal) return refusal.problem;
  onLog?.(`unexpected error over IPC: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
        return { ok: true, job: await consoleApp.jobs.submit(body.kind, body.payload, 'payload', { maxAttempts: body.max_attempts }) };
      } catch (error) {
        return { ok: false, problem: submitProblem(error, onLog) };
      }
    }),
  );
  ipcMain.handle(IPC_CHANNELS.getJob, guard((id: string) => consoleApp.jobs.get(String(id))));
  for (const [channel, action] of [
    [IPC_CHANNELS.cancelJob, 'cancel'],
    [IPC_CHANNELS.retryJob, 'retry'],
  ] as const) {
    ipcMain.handle(
      channel,
      guard(async (id: unknown): Promise<JobActionResult> => {
        try {
          return { ok: true, job: await consoleApp.jobs[action](String(id)) };
        } catch (error) {
          return { ok: false, problem: submitProblem(error, onLog) };
        }
      }),
    );
  }
  // A rejection crosses IPC as its message only, so a ValidationError's message names the fields.
  ipcMain.handle(
    IPC_CHANNELS.listJobs,
    guard(async (request: ListJobsRequest) => consoleApp.jobs.list(parseInput(listJobsQuerySchema, request ?? {}))),
  );
  const stopWorkers = registerWorkerIpc(consoleApp, guard);
  const stopRecords = registerRecordIpc(consoleApp, guard);
  const stopEventApi = registerEventApiIpc(consoleApp, guard);
  return () => {
    stopEventApi();
    for (const channel of [IPC_CHANNELS.submitJob, IPC_CHANNELS.getJob, IPC_CHANNELS.listJobs, IPC_CHANNELS.cancelJob, IPC_CHANNELS.retryJob]) {
      ipcMain.removeHandler(channel);
    }
    stopWorkers();
    stopRecords();
  };
}

type Guard = <A extends unknown[], R>(handler: (...args: A) => Promise<R>) => (event: IpcMainInvokeEvent, ...args: A) => Promise<R>;

/** A worker control's answer, as the HTTP routes give it (404 unknown worker, 409 none supervised). */
function controlWorkers(consoleApp: RunningConsole, id: string | null, act: () => Promise<void> | void): WorkersActionResult {
  const supervisor = consoleApp.supervisor;
  if (!supervisor) return { ok: false, problem: problem(409, 'this console runs no worker processes', 'not-supervised') };
  if (id !== null && !supervisor.has(id)) return { ok: false, problem: problem(404, `no worker ${id}`, 'unknown-worker') };
  void Promise.resolve(act()).catch(() => undefined);
  return { ok: true, report: supervisor.report() };
}

/** The Workers view's verbs, validated as the HTTP routes validate them. */
function registerWorkerIpc(consoleApp: RunningConsole, guard: Guard): () => void {
  const invalid = (error: unknown): WorkersActionResult => {
    if (error instanceof ValidationError) return { ok: false, problem: problem(400, 'the request is not valid', 'validation', error.errors) };
    throw error;
  };
  ipcMain.handle(IPC_CHANNELS.listWorkers, guard(async () => consoleApp.supervisor?.report() ?? unsupervisedReport()));
  ipcMain.handle(
    IPC_CHANNELS.scaleWorkers,
    guard(async (kind: unknown, count: unknown) => {
      try {
        const params = parseInput(workerKindParamsSchema, { kind });
        const body = parseInput(scaleWorkersSchema, { count });
        return controlWorkers(consoleApp, null, () => consoleApp.supervisor?.scale(params.kind, body.count));
      } catch (error) {
        return invalid(error);
      }
    }),
  );
  for (const [channel, verb] of [
    [IPC_CHANNELS.restartWorker, 'restart'],
    [IPC_CHANNELS.stopWorker, 'stopWorker'],
  ] as const) {
    ipcMain.handle(
      channel,
      guard(async (id: unknown) => {
        try {
          const params = parseInput(workerIdParamsSchema, { id });
          return controlWorkers(consoleApp, params.id, () => consoleApp.supervisor?.[verb](params.id));
        } catch (error) {
          return invalid(error);
        }
      }),
    );
  }
  return () => {
    for (const channel of [IPC_CHANNELS.listWorkers, IPC_CHANNELS.scaleWorkers, IPC_CHANNELS.restartWorker, IPC_CHANNELS.stopWorker]) {
      ipcMain.removeHandler(channel);
    }
  };
}

/** Structured clone keeps Dates; the renderer reads wire JSON (RFC 3339 strings), as over HTTP. */
const asWire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

const pageOf = (request: PageRequest | undefined) => ({
  limit: Math.min(500, Math.max(1, Math.trunc(Number(request?.limit ?? 50)) || 50)),
  cursor: typeof request?.cursor === 'string' ? request.cursor : undefined,
});

/** Health, the mail sink's messages and the webhook inbox, as the HTTP routes answer them. */
function registerRecordIpc(consoleApp: RunningConsole, guard: Guard): () => void {
  ipcMain.handle(IPC_CHANNELS.getHealth, guard(async () => asWire(await consoleApp.health())));
  ipcMain.handle(
    IPC_CHANNELS.listMail,
    guard(async (request: PageRequest) => {
      const { limit, cursor } = pageOf(request);
      return asWire(await consoleApp.mailbox.list(limit, cursor));
    }),
  );
  ipcMain.handle(
    IPC_CHANNELS.listWebhooks,
    guard(async (request: PageRequest) => {
      const { limit, cursor } = pageOf(request);
      return asWire(await consoleApp.inbox.list(limit, cursor));
    }),
  );
  // As GET /api/v1/mailbox/<id> and /api/v1/inbox/items/<id>: null for an unknown ID (404), a
  // rejection naming `id` for a malformed one (400).
  ipcMain.handle(IPC_CHANNELS.getMail, guard(async (id: unknown) => asWire(await consoleApp.mailbox.get(parseInput(recordParamsSchema, { id }).id))));
  ipcMain.handle(IPC_CHANNELS.getWebhook, guard(async (id: unknown) => asWire(await consoleApp.inbox.get(parseInput(recordParamsSchema, { id }).id))));
  ipcMain.handle(IPC_CHANNELS.getSettings, guard(async () => consoleApp.settings()));
  ipcMain.handle(IPC_CHANNELS.listQueues, guard(async () => ({ queues: await consoleApp.queues.list() })));
  ipcMain.handle(
    IPC_CHANNELS.purgeQueue,
    guard(async (kind: unknown) => {
      try {
        const params = parseInput(workerKindParamsSchema, { kind });
        return { ok: true as const, result: await consoleApp.queues.purge(params.kind) };
      } catch (error) {
        if (error instanceof ValidationError) return { ok: false as const, problem: problem(400, 'the request is not valid', 'validation', error.errors) };
        throw error;
      }
    }),
  );
  return () => {
    for (const channel of [
      IPC_CHANNELS.getHealth,
      IPC_CHANNELS.listMail,
      IPC_CHANNELS.getMail,
      IPC_CHANNELS.listWebhooks,
      IPC_CHANNELS.getWebhook,
      IPC_CHANNELS.listQueues,
      IPC_CHANNELS.purgeQueue,
      IPC_CHANNELS.getSettings,
    ]) {
      ipcMain.removeHandler(channel);
    }
  };
}

/**
 * Forwards every job event and every batch fan-in to the window; returns the unsubscribe. The
 * relay follows the stream live from its own last ID (it never resumes from an ID a client
 * gives), so the window needs no replay; a resync would go on {@link IPC_CHANNELS.resync}.
 */
export function relayEventsTo(consoleApp: RunningConsole, contents: WebContents): () => void {
  return consoleApp.relay.subscribeAll((event) => {
    if (contents.isDestroyed()) return;
    contents.send(event.type === 'batch' ? IPC_CHANNELS.batchEvent : IPC_CHANNELS.jobEvent, event);
  });
}
