import type { Job } from './job';
import type { JobStatus } from './statuses';

/**
 * A job's attempts, read from its transitions: each `STARTED` opens one, the next `RETRYING`,
 * `DONE`, `FAILED` or `CANCELLED` ends it. An attempt another `STARTED` follows before it ended
 * was lost with its worker (the message came back to another one). A `QUEUED` that ends a run gives
 * it back (its kind's own dependency was unreachable): not counted, the next run has its number.
 */
export interface JobAttempt {
  /** From 1, as the job's `attempts` and `attempt_errors` count them. */
  number: number;
  /** The worker that ran it, `<host>/<pid>`. */
  worker: string;
  started_at: string;
  /** When it ended; null while it runs, or when it was lost. */
  ended_at: string | null;
  /**
   * How it ended: the status it ended in, `lost` when its worker went away, `given_back` when it met
   * an outage and was not counted, null while it runs.
   */
  outcome: Extract<JobStatus, 'RETRYING' | 'DONE' | 'FAILED' | 'CANCELLED'> | 'lost' | 'given_back' | null;
  /** ended_at - started_at; null while it has no end. */
  duration_ms: number | null;
  /** Why it failed (its `attempt_errors` entry, or the job's error for its last attempt; a given-back run's note); else null. */
  error: string | null;
  /** What the effect produced: the job's result, on the attempt that ended it DONE; else null. */
  result: Job['result'];
}

const ENDINGS: ReadonlySet<JobStatus> = new Set(['RETRYING', 'DONE', 'FAILED', 'CANCELLED']);

const between = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

type OpenAttempt = Pick<JobAttempt, 'worker' | 'started_at' | 'ended_at' | 'outcome'> & { note?: string };

function attemptsRun(job: Pick<Job, 'transitions'>): OpenAttempt[] {
  const runs: OpenAttempt[] = [];
  let open: OpenAttempt | null = null;
  for (const step of job.transitions) {
    if (step.status === 'STARTED') {
      if (open) open.outcome = 'lost';
      open = { worker: step.worker, started_at: step.at, ended_at: null, outcome: null };
      runs.push(open);
    } else if (open && step.status === 'QUEUED') {
      Object.assign(open, { ended_at: step.at, outcome: 'given_back', note: step.note });
      open = null;
    } else if (open && ENDINGS.has(step.status)) {
      open.ended_at = step.at;
      open.outcome = step.status as JobAttempt['outcome'];
      open = null;
    }
  }
  return runs;
}

/**
 * Each run's number from 1, and how many attempts they count: a given-back run is not counted, nor
 * the lost runs it took over (the status store puts `attempts` back to what its message's start
 * found), so the next run has their first number.
 */
function runNumbers(runs: readonly OpenAttempt[]): { each: number[]; counted: number } {
  let number = 0;
  let takenOverFrom = 0;
  const each = runs.map((run, index) => {
    number++;
    if (runs[index - 1]?.outcome !== 'lost') takenOverFrom = number;
    const own = number;
    if (run.outcome === 'given_back') number = takenOverFrom - 1;
    return own;
  });
  return { each, counted: number };
}

/** The job's attempts, oldest first. */
export function attemptsOf(job: Pick<Job, 'transitions' | 'attempts' | 'attempt_errors' | 'error' | 'result'>): JobAttempt[] {
  const runs = attemptsRun(job);
  const numbers = runNumbers(runs);
  // A job Redis lost is rebuilt with the attempts already made but only the transitions after.
  const offset = Math.max(0, job.attempts - numbers.counted);
  return runs.map(({ note, ...run }, index) => {
    const number = offset + numbers.each[index]!;
    const last = index === runs.length - 1;
    if (run.outcome === 'given_back') {
      return { number, ...run, duration_ms: between(run.started_at, run.ended_at!), error: note ?? null, result: null };
    }
    const recorded = job.attempt_errors.find((entry) => entry.attempt === number)?.error;
    const failed = run.outcome === 'RETRYING' || run.outcome === 'FAILED';
    return {
      number,
      ...run,
      duration_ms: run.ended_at === null ? null : between(run.started_at, run.ended_at),
      error: recorded ?? (last && failed ? job.error : null),
      result: run.outcome === 'DONE' ? job.result : null,
    };
  });
}

/** The job's counted attempts, oldest first, one per number: given-back runs and the runs a give-back undid left out. */
export function countedAttemptsOf(job: Parameters<typeof attemptsOf>[0]): JobAttempt[] {
  const all = attemptsOf(job);
  return all.filter((attempt, index) => attempt.outcome !== 'given_back' && !all.slice(index + 1).some((later) => later.number === attempt.number));
}

/** Where a job's time went, in milliseconds; null where it has not happened yet. */
export interface JobDurations {
  /** Created to its first attempt's start. */
  queued_ms: number | null;
  /** Every attempt's run, added up (the open one up to now not counted). */
  running_ms: number;
  /** Created to its last transition, once it is DONE, FAILED or CANCELLED. */
  total_ms: number | null;
}

export function durationsOf(job: Pick<Job, 'created_at' | 'status' | 'transitions' | 'attempts' | 'attempt_errors' | 'error' | 'result'>): JobDurations {
  const attempts = attemptsOf(job);
  const first = attempts[0];
  const lastStep = job.transitions[job.transitions.length - 1];
  const ended = job.status === 'DONE' || job.status === 'FAILED' || job.status === 'CANCELLED';
  return {
    queued_ms: first ? between(job.created_at, first.started_at) : null,
    running_ms: attempts.reduce((sum, attempt) => sum + (attempt.duration_ms ?? 0), 0),
    total_ms: ended && lastStep ? between(job.created_at, lastStep.at) : null,
  };
}
