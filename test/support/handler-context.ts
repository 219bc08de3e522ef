import { randomUUID } from 'node:crypto';
import type { JobKind } from '../../src-shared/kinds';
import type { JobContext } from '../../src-worker/handlers/handler';

/** A JobContext for calling a handler's run() directly, with what the handler reported. */
export interface RecordedContext {
  context: JobContext;
  progress: number[];
  logs: string[];
  abort: AbortController;
}

export function recordedContext(kind: string, payload: Record<string, unknown>, attempt = 1): RecordedContext {
  const progress: number[] = [];
  const logs: string[] = [];
  const abort = new AbortController();
  const job = {
    v: 1 as const,
    uuid: randomUUID(),
    type: 'A' as const,
    kind: kind as JobKind,
    extra_data: payload as never,
    created_at: new Date().toISOString(),
    attempt,
  };
  const context: JobContext = {
    job,
    attempt,
    reportProgress: async (percent) => void progress.push(percent),
    log: (line) => void logs.push(line),
    signal: abort.signal,
  };
  return { context, progress, logs, abort };
}

export { isRunning } from '../../src-worker/handlers/command-process';
