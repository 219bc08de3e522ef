import type { Job } from '../job';
import { LuaScript, type ScriptRunner } from './lua-script';
import { TERMINAL_STATUSES, type JobStatus } from '../statuses';
import type { Names } from '../topology';
import ASSEMBLE_LUA from './status-assemble.lua?raw';
import WRITE_LUA from './status-write.lua?raw';

/**
 * The Redis layout of job status, shared by the console (which creates jobs) and the workers
 * (which move them on), and the script that writes it. A job is a hash whose fields hold JSON
 * text, so the script can assemble the whole job without decoding user data; `version` counts
 * its changes. Terminal jobs expire after a TTL; PostgreSQL's history keeps them after that.
 * Code outside the store writes through the named operations of `JobStatusClient`; this raw
 * envelope is for them and for the tests of the script itself.
 */
export const JOB_HASH_FIELDS = [
  'id',
  'kind',
  'type',
  'status',
  'payload',
  'progress',
  'attempts',
  'created_at',
  'updated_at',
  'transitions',
  'result',
  'error',
  'max_attempts',
  'next_attempt_at',
  'attempt_errors',
  'replay_of',
  'schedule_id',
  'run_at',
] as const;

/** How a write treats the job it finds. */
export type WriteGuard =
  /** Only create: refuse if the job exists. */
  | 'create'
  /** Refuse if the job is terminal (DONE, FAILED, CANCELLED). */
  | 'live'
  /** Always write (a tombstone, or an operator's retry). */
  | 'any';

/**
 * What a write did: `ok`, or why it refused: `exists` (guard create; the reply holds the job as
 * it is), `terminal` (guard live),
 * `missing` (no job and no seed), `conflict` (status not in `onlyFrom`), `stale` (a start of an
 * attempt the job is not waiting for: a leftover copy of its message), `superseded` (a write of a
 * run that no longer holds the job: a later start took it over), `expired` (a give-back past the
 * longest wait: the job has waited out outages for longer than `giveBack.maxWaitS`).
 */
export type WriteOutcome = 'ok' | 'exists' | 'terminal' | 'missing' | 'conflict' | 'stale' | 'superseded' | 'expired';

/** The script's arguments by name, in ARGV order; seed field/value pairs follow them. */
export const WRITE_ARGS = [
  'status',
  'at',
  'worker',
  'progress',
  'add_attempt',
  'result',
  'error',
  'terminal_ttl_s',
  'emit',
  'stream_max',
  'guard',
  'default_max_attempts',
  'only_from',
  'start_attempt',
  'redelivered',
  'next_attempt_at',
  'attempt_error',
  'reset_budget',
  'start_token',
  'callback_secret',
  'then_in_progress',
  'holder_token',
  'holder_attempt',
  'request_cancel',
  'cancel_channel',
  'give_back',
  'max_wait_s',
  'note',
] as const;

/** What a restarted attempt records for the attempt its dead worker left unfinished. */
export const WORKER_LOST_ERROR = 'the worker running this attempt stopped before finishing it';

const luaList = (items: readonly string[]): string => `{ ${items.map((item) => `'${item}'`).join(', ')} }`;

/** The names the Lua files share with this module, so each list is written once. */
const PREAMBLE = `local JOB_FIELDS = ${luaList([...JOB_HASH_FIELDS, 'version'])}
local WRITE_ARGS = ${luaList(WRITE_ARGS)}
local TERMINAL = {}
for _, s in ipairs(${luaList([...TERMINAL_STATUSES])}) do TERMINAL[s] = true end
local WORKER_LOST_ERROR = '${WORKER_LOST_ERROR}'
`;

/** The write script (`status-write.lua`): KEYS job hash, event stream and the job's two log keys, ARGV {@link writeJobArgs}. */
export const WRITE_JOB_SCRIPT = `${PREAMBLE}${ASSEMBLE_LUA}${WRITE_LUA}`;

/** KEYS: job hash; ARGV: the default max_attempts. Returns the job as JSON, or nil when Redis does not hold it. */
export const READ_JOB_SCRIPT = `${PREAMBLE}${ASSEMBLE_LUA}
return assemble(KEYS[1], ARGV[1])
`;

/** The job's fixed fields, for when Redis does not hold it; optionally more of its state (rebuilt from the history). */
export type JobSeed = Pick<Job, 'id' | 'kind' | 'type' | 'payload' | 'created_at'> &
  Partial<Pick<Job, 'replay_of' | 'schedule_id' | 'run_at'>> &
  Partial<Pick<Job, 'max_attempts' | 'attempts' | 'attempt_errors' | 'transitions' | 'error' | 'result' | 'progress'>>;

/** One change to write to a job's status, as the script takes it. */
export interface JobWrite {
  status: JobStatus;
  at: string;
  /** `api`, or the worker as `<host>/<pid>`. */
  worker: string;
  progress?: number;
  /** Counts a new attempt without the checks of `startAttempt` (messages without an attempt number). */
  addAttempt?: boolean;
  /** Starts this attempt of the job (from 1), if the job is waiting for it; else the write is `stale`. */
  startAttempt?: number;
  /** The message of `startAttempt` was redelivered (its previous holder died or gave it back). */
  redelivered?: boolean;
  /**
   * Names this start (one per delivery): the same start written twice — a client resending a
   * command whose reply a cut connection lost — is `ok`, not a `stale` copy of itself.
   */
  startToken?: string;
  /**
   * A kind B job's signing secret, kept in a hash field no answer, event or history row shows,
   * so that an operator's retry can sign its callback again.
   */
  callbackSecret?: string;
  /**
   * Then, in the same call, moves the job on to IN PROGRESS (its own transition, version and
   * event), unless its attempts are spent: a start and the first progress in one round trip.
   * The reply is the job after both.
   */
  thenInProgress?: boolean;
  /**
   * The start token of the run this write belongs to: the write is `superseded` (not made) once
   * another start took the job over; its `attemptError`, if any, is still recorded, as attempt
   * `holderAttempt`.
   */
  holderToken?: string;
  holderAttempt?: number;
  /**
   * An operator's cancel of a running job: marks it and tells its workers (on the cancel channel);
   * the status is left as it is. The worker ends it CANCELLED once its handler stopped.
   */
  requestCancel?: boolean;
  /**
   * Undoes the holder's start: its kind's dependency was unreachable, so the attempt does not
   * count (see status-write.lua); `expired` once the job's outages have lasted past `maxWaitS`.
   */
  giveBack?: { maxWaitS: number; note: string };
  /** Refuse (`conflict`) unless the job is in one of these statuses. */
  onlyFrom?: readonly JobStatus[];
  /** When the next attempt is due (RETRYING); other statuses clear it. */
  nextAttemptAt?: string;
  /** Records the error of the current attempt in `attempt_errors`. */
  attemptError?: string;
  /** An operator's retry: the job gets its budget of attempts again, beyond those it made. */
  resetBudget?: boolean;
  result?: Record<string, unknown> | null;
  error?: string | null;
  guard: WriteGuard;
  /** Append the change to the event stream. */
  emit: boolean;
  /** The job, for when Redis does not hold it (expired, or Redis restarted). */
  seed?: JobSeed;
}

export interface StatusLimits {
  /** Seconds a terminal job's status stays in Redis. */
  terminalTtlSeconds: number;
  /** Approximate length the event stream is trimmed to. */
  streamMaxLength: number;
  /** A job's `max_attempts` when it names none (`JOBDECK_MAX_ATTEMPTS`); 5 when left out. */
  defaultMaxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;

export interface WriteReply {
  outcome: WriteOutcome;
  job: Job | null;
  version: number;
  /** Stream ID of the event, when one was appended. */
  eventId: string | null;
  /** An operator asked to cancel the job while it ran (and it is not over yet): its handler should stop. */
  cancelRequested: boolean;
}

const optionalJson = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));
const defaultMax = (limits: StatusLimits): string => String(limits.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS);

/** The ARGV of {@link WRITE_JOB_SCRIPT} for one write; `cancelChannel` is where a cancel request is told. */
export function writeJobArgs(write: JobWrite, limits: StatusLimits, cancelChannel: string): string[] {
  const named: Record<(typeof WRITE_ARGS)[number], string> = {
    status: write.status,
    at: write.at,
    worker: write.worker,
    progress: write.progress === undefined ? '' : String(Math.round(Math.min(100, Math.max(0, write.progress || 0)))),
    add_attempt: write.addAttempt ? '1' : '0',
    result: optionalJson(write.result),
    error: optionalJson(write.error),
    terminal_ttl_s: String(limits.terminalTtlSeconds),
    emit: write.emit ? '1' : '0',
    stream_max: String(limits.streamMaxLength),
    guard: write.guard,
    default_max_attempts: defaultMax(limits),
    only_from: (write.onlyFrom ?? []).join(','),
    start_attempt: write.startAttempt === undefined ? '' : String(write.startAttempt),
    redelivered: write.redelivered ? '1' : '0',
    next_attempt_at: optionalJson(write.nextAttemptAt),
    attempt_error: optionalJson(write.attemptError),
    reset_budget: write.resetBudget ? '1' : '0',
    start_token: write.startToken ?? '',
    callback_secret: write.callbackSecret ?? '',
    then_in_progress: write.thenInProgress ? '1' : '0',
    holder_token: write.holderToken ?? '',
    holder_attempt: write.holderAttempt === undefined ? '' : String(write.holderAttempt),
    request_cancel: write.requestCancel ? '1' : '0',
    cancel_channel: cancelChannel,
    give_back: write.giveBack ? '1' : '0',
    max_wait_s: write.giveBack ? String(write.giveBack.maxWaitS) : '',
    note: write.giveBack?.note ?? '',
  };
  const args = WRITE_ARGS.map((name) => named[name]);
  for (const [field, value] of Object.entries(write.seed ?? {})) args.push(field, JSON.stringify(value));
  return args;
}

/**
 * The script's reply. The job is parsed when first read: a worker reads it from a start, never
 * from its progress and final writes, and parsing a job it drops was a per-write cost.
 */
export function parseWriteReply(reply: unknown): WriteReply {
  const [outcome, json, version, eventId, cancelRequested] = reply as [WriteOutcome, string, number, string, string?];
  let job: Job | null | undefined;
  return {
    outcome,
    get job(): Job | null {
      if (job === undefined) job = json ? (JSON.parse(json) as Job) : null;
      return job;
    },
    version: Number(version),
    eventId: eventId || null,
    cancelRequested: cancelRequested === '1',
  };
}

const WRITE_JOB = new LuaScript(WRITE_JOB_SCRIPT, 4);
const READ_JOB = new LuaScript(READ_JOB_SCRIPT, 1);

/** The status scripts run on Redis: one write as the script takes it, and one read. */
export class StatusScript {
  constructor(
    private readonly redis: ScriptRunner,
    private readonly names: Names,
    private readonly limits: StatusLimits,
  ) {}

  async write(id: string, write: JobWrite): Promise<WriteReply> {
    const { names } = this;
    const args = writeJobArgs(write, this.limits, names.cancelChannel);
    const keys = [names.jobKey(id), names.eventStream, names.jobLogKey(id, 'lines'), names.jobLogKey(id, 'bytes')];
    return parseWriteReply(await WRITE_JOB.run(this.redis, ...keys, ...args));
  }

  async read(id: string): Promise<Job | null> {
    const json = (await READ_JOB.run(this.redis, this.names.jobKey(id), defaultMax(this.limits))) as string | null;
    return json ? (JSON.parse(json) as Job) : null;
  }
}
