import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AttemptBounds, STOP_GRACE_MS } from './attempt-bounds';
import { PermanentJobError, UnavailableError, type JobContext, type JobHandler } from './handler';
import { ProgressReporter, resultOf, userJob, type UserJob } from './user-job';

/**
 * The second argument of a module's default export. `permanent(message)` makes the error to
 * throw for a failure no retry can cure; any thrown error with `permanent: true` counts the same.
 * `unavailable(message)` makes the error of an outage; any with `unavailable: true` counts the same.
 */
export interface ModuleJobContext {
  /** Which attempt this run is: 1 for the first. */
  attempt: number;
  /** Aborted when the attempt's time is up, the worker is stopping or the job was cancelled. */
  signal: AbortSignal;
  /** Records progress (0–100); resolves once it is written. */
  progress(percent: number): Promise<void>;
  /** Keeps one line in the job's log. */
  log(line: string): void;
  permanent(message: string): Error;
  /**
   * The error to throw when what the module needs is down (a database, an API): the attempt does
   * not count, and the kind waits a while before its next job here, up to the longest wait.
   */
  unavailable(message: string): Error;
}

type ModuleFunction = (job: UserJob, context: ModuleJobContext) => unknown;

async function importModule(path: string): Promise<{ default?: unknown }> {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new Error(`${path} cannot be loaded: ${(error as Error).message}`);
  }
}

/** Loads a handler module and checks its default export is a function. */
async function loadFunction(path: string): Promise<ModuleFunction> {
  const loaded = await importModule(path);
  if (typeof loaded.default !== 'function') throw new Error(`${path} does not export a default function`);
  return loaded.default as ModuleFunction;
}

/** The module was given up on (timeout, or no end within the grace after an abort). */
class GivenUp extends Error {}

/** A thrown value as the attempt's failure, permanent or an outage when the module said so. */
function failureOf(thrown: unknown, kind: string): Error {
  if (thrown instanceof PermanentJobError || thrown instanceof UnavailableError || thrown instanceof GivenUp) return thrown;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const message = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  if ((error as { unavailable?: unknown }).unavailable === true) return new UnavailableError(message, dependencyOf(kind));
  return (error as { permanent?: unknown }).permanent === true ? new PermanentJobError(message) : new Error(message);
}

/** What a user kind's outage names as down. */
const dependencyOf = (kind: string): string => `kind ${kind}'s dependency`;

/**
 * The module's promise, given up on when the attempt's time is up, or STOP_GRACE_MS after the
 * worker's abort (a module that ignores its signal cannot be stopped, only no longer waited for).
 */
function bounded<T>(work: Promise<T>, bounds: AttemptBounds): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const giveUp = (): void => {
      if (bounds.timedOut) reject(new GivenUp(bounds.reason));
      else grace = setTimeout(() => reject(new GivenUp(`${bounds.reason}; the module did not stop within ${STOP_GRACE_MS} ms`)), STOP_GRACE_MS);
    };
    if (bounds.signal.aborted) giveUp();
    else bounds.signal.addEventListener('abort', giveUp, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(grace);
      bounds.signal.removeEventListener('abort', giveUp);
    });
  });
}

/**
 * Runs a JavaScript ES module inside the worker: its default export `async (job, ctx) => result`,
 * imported once. A throw fails the attempt; the answer becomes the result (see resultOf).
 */
export class ModuleHandler implements JobHandler {
  private loaded: Promise<ModuleFunction> | undefined;

  constructor(
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    // Imported once; a module that failed to load is tried again on the next attempt.
    this.loaded ??= loadFunction(this.path).catch((error: Error) => {
      this.loaded = undefined;
      throw error;
    });
    const run = await this.loaded;
    const bounds = new AttemptBounds(context.signal, this.timeoutMs);
    const progress = new ProgressReporter(context.reportProgress);
    const moduleContext: ModuleJobContext = {
      attempt: context.attempt,
      signal: bounds.signal,
      progress: (percent) => progress.report(percent),
      log: (line) => context.log(String(line)),
      permanent: (message) => new PermanentJobError(message),
      unavailable: (message) => new UnavailableError(String(message), dependencyOf(context.job.kind)),
    };
    try {
      const answer = await bounded(Promise.resolve().then(() => run(userJob(context), moduleContext)), bounds);
      await progress.settled();
      return resultOf(answer, `module ${this.path}`);
    } catch (thrown) {
      // Where the module failed, for its log (a give-up has no stack worth showing).
      if (thrown instanceof Error && !(thrown instanceof GivenUp) && thrown.stack) context.log(thrown.stack);
      throw failureOf(thrown, context.job.kind);
    } finally {
      bounds.close();
    }
  }
}
