import { basename } from 'node:path';
import type { CommandHandlerSpec } from '../../src-shared/kind-definition';
import { AttemptBounds, STOP_GRACE_MS } from './attempt-bounds';
import { LineSplitter, readStdoutLine, StderrTail, type CommandReport } from './command-output';
import { startCommand, type CommandExit } from './command-process';
import { PermanentJobError, UnavailableError, type JobContext, type JobHandler } from './handler';
import { ProgressReporter, userJob, type UserJob } from './user-job';

/** EX_TEMPFAIL: the command says "try again later". */
export const EXIT_RETRY = 75;
/** EX_UNAVAILABLE: the command says "what I need is down": an outage, not a failed attempt. */
export const EXIT_UNAVAILABLE = 69;

/**
 * Variables of the worker's own channel and runtime, and Jobdeck's own services (their URLs carry
 * credentials): not the command's, unless its entry's `env` sets them.
 */
const WORKER_ONLY_ENV = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'ELECTRON_RUN_AS_NODE', 'AMQP_URL', 'REDIS_URL', 'DATABASE_URL', 'SMTP_URL'];
/** Jobdeck's own settings: a command gets only the three JOBDECK_ variables of its job. */
const JOBDECK_PREFIX = 'JOBDECK_';

const isInherited = (name: string): boolean => !WORKER_ONLY_ENV.includes(name) && !name.startsWith(JOBDECK_PREFIX);

/** The worker's environment without what is Jobdeck's own, then the entry's `env`, then the job's variables. */
function commandEnv(spec: CommandHandlerSpec, job: UserJob): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && isInherited(name)) env[name] = value;
  return { ...env, ...spec.env, JOBDECK_JOB_ID: job.id, JOBDECK_KIND: job.kind, JOBDECK_ATTEMPT: String(job.attempt) };
}

/**
 * The attempt's outcome from how the command ended: exit 0 is DONE with its last result (even
 * after a timeout or a cancel: its effect happened); 69 an outage (its dependency is down: the
 * attempt does not count); 75 a failure to retry; a signal or another
 * code a failure, permanent when it printed `{"permanent": true}`. stderr's tail is the error.
 */
function outcomeOf(exit: CommandExit, report: CommandReport & { kind: string }, stderr: string, bounds: AttemptBounds): Record<string, unknown> {
  if (exit.code === 0) return report.result ?? {};
  const tail = stderr ? `: ${stderr}` : ' (nothing on stderr)';
  if (bounds.timedOut) throw new Error(`command ${bounds.reason}, then ended by ${exit.signal ?? `exit code ${exit.code}`}${tail}`);
  if (exit.signal) {
    const why = bounds.signal.aborted ? ` (${bounds.reason})` : '';
    throw new Error(`command was killed by ${exit.signal}${why}${tail}`);
  }
  if (exit.code === EXIT_UNAVAILABLE) {
    throw new UnavailableError(`command exited with code ${EXIT_UNAVAILABLE} (unavailable)${tail}`, `kind ${report.kind}'s dependency`);
  }
  if (exit.code === EXIT_RETRY) throw new Error(`command exited with code ${EXIT_RETRY} (try again later)${tail}`);
  const message = `command exited with code ${exit.code}${tail}`;
  throw report.permanent ? new PermanentJobError(message) : new Error(message);
}

/**
 * Runs any program: the job as one JSON line on stdin, JSON lines on stdout (see
 * readStdoutLine), stderr kept in the job's log and its tail as the error. Killed (SIGTERM, then
 * SIGKILL, its whole process group) on timeout, on the worker's abort, and when the worker dies.
 */
export class CommandHandler implements JobHandler {
  constructor(
    private readonly spec: CommandHandlerSpec,
    private readonly timeoutMs: number,
  ) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const job = userJob(context);
    const bounds = new AttemptBounds(context.signal, this.timeoutMs);
    const progress = new ProgressReporter(context.reportProgress);
    const report: CommandReport = { permanent: false };
    const tail = new StderrTail();
    const sinks = { progress: (percent: unknown) => void progress.report(percent), log: context.log };
    const stdout = new LineSplitter((line) => readStdoutLine(line, report, sinks));
    const stderr = new LineSplitter((line) => {
      tail.add(line);
      context.log(`stderr: ${line}`);
    });
    const startedAt = Date.now();
    const command = startCommand({
      command: this.spec.command,
      cwd: this.spec.cwd,
      env: commandEnv(this.spec, job),
      input: `${JSON.stringify(job)}\n`,
      graceMs: STOP_GRACE_MS,
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
      onStarted: (pid) => context.log(`started ${basename(this.spec.command[0]!)} as pid ${pid}`),
    });
    const terminate = (): void => command.terminate();
    if (bounds.signal.aborted) terminate();
    else bounds.signal.addEventListener('abort', terminate, { once: true });
    try {
      const exit = await command.exited;
      stdout.end();
      stderr.end();
      context.log(`ended by ${exit.signal ?? `exit code ${exit.code}`} after ${Date.now() - startedAt} ms`);
      await progress.settled();
      return outcomeOf(exit, { ...report, kind: job.kind }, tail.text(), bounds);
    } finally {
      bounds.signal.removeEventListener('abort', terminate);
      bounds.close();
    }
  }
}
