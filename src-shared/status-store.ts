import type { Job } from './job';
import { LuaScript, type ScriptRunner } from './lua-script';
import { TERMINAL_STATUSES, type JobStatus } from './statuses';
import type { Names } from './topology';

/**
 * The Redis layout of job status, shared by the console (which creates jobs) and the workers
 * (which move them on). A job is a hash whose fields hold JSON text, so the script below can
 * assemble the whole job without decoding user data; `version` counts its changes.
 * Terminal jobs expire after a TTL; PostgreSQL's history keeps them after that.
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
 * run that no longer holds the job: a later start took it over).
 */
export type WriteOutcome = 'ok' | 'exists' | 'terminal' | 'missing' | 'conflict' | 'stale' | 'superseded';

/** The script's arguments by name, in ARGV order; seed field/value pairs follow them. */
const WRITE_ARGS = [
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
] as const;

/** What a restarted attempt records for the attempt its dead worker left unfinished. */
export const WORKER_LOST_ERROR = 'the worker running this attempt stopped before finishing it';

const luaList = (items: readonly string[]): string => `{ ${items.map((item) => `'${item}'`).join(', ')} }`;

/**
 * Lua that assembles the job's JSON from the hash (its fields already hold JSON text). A hash
 * written before the retry fields existed gets their defaults.
 */
const ASSEMBLE_JOB_LUA = `
local function assemble(key, default_max)
  local fields = ${luaList([...JOB_HASH_FIELDS, 'version'])}
  local defaults = { max_attempts = default_max, next_attempt_at = 'null', attempt_errors = '[]' }
  local values = redis.call('HMGET', key, unpack(fields))
  if not values[1] then return false end
  local parts = {}
  for i, f in ipairs(fields) do parts[i] = '"' .. f .. '":' .. (values[i] or defaults[f]) end
  return '{' .. table.concat(parts, ',') .. '}'
end
local function append(key, field, item)
  local list = redis.call('HGET', key, field) or '[]'
  if list == '[]' then list = '[' .. item .. ']' else list = string.sub(list, 1, -2) .. ',' .. item .. ']' end
  redis.call('HSET', key, field, list)
end
`;

/**
 * KEYS: job hash, event stream. ARGV: {@link WRITE_ARGS}, then field/JSON pairs that seed the
 * job when it is missing. Returns {outcome, job JSON, version, stream ID or ''}.
 * A job's version starts at the server's time in microseconds when the hash is created, so a
 * job recreated after Redis lost it (expiry, restart) still outranks everything written before.
 * `start_attempt` makes the write the start of that attempt: allowed when the job has made
 * `start_attempt - 1` attempts, whether it reads QUEUED, RETRYING, or still STARTED or IN PROGRESS
 * (the message of attempt n+1 exists only once attempt n failed, and the failed run's RETRYING
 * write may land after it); or when the worker holding this very message died in the middle of it
 * or of a rerun of it (running, message redelivered, `message_attempt` = `start_attempt`): then the
 * unfinished attempt gets an error and the rerun counts as a new attempt.
 * Each start names its run (`start_token`); a later write naming its run (`holder_token`) is
 * `superseded` once another start took the job over, so a late RETRYING, DONE or progress of a run
 * that lost the job never overwrites the next one (a late attempt error is still kept, as attempt
 * `holder_attempt`). `budget` (not shown) is how many attempts the job was given; an operator's
 * retry (`reset_budget`) grants that many more.
 */
export const WRITE_JOB_SCRIPT = `${ASSEMBLE_JOB_LUA}
local key, stream = KEYS[1], KEYS[2]
local names = ${luaList(WRITE_ARGS)}
local a = {}
for i, name in ipairs(names) do a[name] = ARGV[i] end
local terminal = {}
for _, s in ipairs(${luaList([...TERMINAL_STATUSES])}) do terminal[s] = true end
local exists = redis.call('EXISTS', key) == 1
if exists and a.guard == 'create' then return { 'exists', assemble(key, a.default_max_attempts), 0, '' } end
if not exists then
  if #ARGV <= #names then return { 'missing', '', 0, '' } end
  local now = redis.call('TIME')
  redis.call('HSET', key, 'progress', '0', 'attempts', '0', 'transitions', '[]', 'result', 'null',
    'error', 'null', 'status', cjson.encode(a.status), 'version', now[1] .. string.format('%06d', now[2]),
    'max_attempts', a.default_max_attempts, 'next_attempt_at', 'null', 'attempt_errors', '[]')
  for i = #names + 1, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
  redis.call('HSETNX', key, 'budget', redis.call('HGET', key, 'max_attempts'))
end
local holder = redis.call('HGET', key, 'start_token')
if exists and a.holder_token ~= '' and holder and holder ~= a.holder_token then
  -- A run another start took over: its status is not written, but its attempt's error is kept.
  local id = ''
  if a.attempt_error ~= '' and a.holder_attempt ~= '' then
    append(key, 'attempt_errors', '{"attempt":' .. a.holder_attempt .. ',"at":' .. cjson.encode(a.at) .. ',"error":' .. a.attempt_error .. '}')
    local version = redis.call('HINCRBY', key, 'version', 1)
    if a.emit == '1' then
      id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', assemble(key, a.default_max_attempts))
    end
  end
  return { 'superseded', '', 0, id }
end
local current = cjson.decode(redis.call('HGET', key, 'status'))
if exists and a.guard == 'live' and terminal[current] then return { 'terminal', '', 0, '' } end
if exists and a.only_from ~= '' and not string.find(',' .. a.only_from .. ',', ',' .. current .. ',', 1, true) then
  return { 'conflict', assemble(key, a.default_max_attempts), 0, '' }
end
local attempts = tonumber(redis.call('HGET', key, 'attempts'))
if exists and a.start_attempt ~= '' then
  local wanted = tonumber(a.start_attempt)
  local running = current == 'STARTED' or current == 'IN PROGRESS'
  if running and a.start_token ~= '' and holder == a.start_token then
    -- The same start sent again (its reply was lost and the client resent it): it already happened.
    return { 'ok', assemble(key, a.default_max_attempts), tonumber(redis.call('HGET', key, 'version')), '' }
  end
  local message_attempt = tonumber(redis.call('HGET', key, 'message_attempt') or '')
  if attempts == wanted - 1 and (running or current == 'QUEUED' or current == 'RETRYING') then
    -- Running too: attempt n failed and its retry came back before its RETRYING write landed.
  elseif running and a.redelivered == '1' and attempts >= wanted and (message_attempt == nil or message_attempt == wanted) then
    append(key, 'attempt_errors', cjson.encode({ attempt = attempts, at = a.at, error = '${WORKER_LOST_ERROR}' }))
  else
    return { 'stale', assemble(key, a.default_max_attempts), 0, '' }
  end
end
if a.start_attempt ~= '' then redis.call('HSET', key, 'message_attempt', a.start_attempt) end
local encoded = cjson.encode(a.status)
redis.call('HSET', key, 'status', encoded, 'updated_at', cjson.encode(a.at))
if current ~= a.status or not exists then
  local t = '{"status":' .. encoded .. ',"at":' .. cjson.encode(a.at) .. ',"worker":' .. cjson.encode(a.worker) .. '}'
  append(key, 'transitions', t)
end
if a.progress ~= '' then redis.call('HSET', key, 'progress', a.progress) end
if a.add_attempt == '1' or a.start_attempt ~= '' then attempts = redis.call('HINCRBY', key, 'attempts', 1) end
if a.start_token ~= '' then redis.call('HSET', key, 'start_token', a.start_token) end
if a.callback_secret ~= '' then redis.call('HSET', key, 'callback_secret', a.callback_secret) end
if a.result ~= '' then redis.call('HSET', key, 'result', a.result) end
if a.error ~= '' then redis.call('HSET', key, 'error', a.error) end
if a.attempt_error ~= '' then
  append(key, 'attempt_errors', '{"attempt":' .. attempts .. ',"at":' .. cjson.encode(a.at) .. ',"error":' .. a.attempt_error .. '}')
end
if a.next_attempt_at ~= '' then redis.call('HSET', key, 'next_attempt_at', a.next_attempt_at)
elseif a.status ~= 'RETRYING' then redis.call('HSET', key, 'next_attempt_at', 'null') end
if a.reset_budget == '1' then
  local budget = redis.call('HGET', key, 'budget') or redis.call('HGET', key, 'max_attempts') or a.default_max_attempts
  redis.call('HSET', key, 'max_attempts', attempts + tonumber(budget))
end
local version = redis.call('HINCRBY', key, 'version', 1)
local ttl = tonumber(a.terminal_ttl_s)
if terminal[a.status] and ttl > 0 then redis.call('EXPIRE', key, ttl) else redis.call('PERSIST', key) end
local job = assemble(key, a.default_max_attempts)
local id = ''
if a.emit == '1' then
  id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', job)
end
if a.then_in_progress == '1' and not terminal[a.status] and attempts <= tonumber(redis.call('HGET', key, 'max_attempts') or a.default_max_attempts) then
  local moved = cjson.encode('IN PROGRESS')
  redis.call('HSET', key, 'status', moved)
  append(key, 'transitions', '{"status":' .. moved .. ',"at":' .. cjson.encode(a.at) .. ',"worker":' .. cjson.encode(a.worker) .. '}')
  version = redis.call('HINCRBY', key, 'version', 1)
  job = assemble(key, a.default_max_attempts)
  if a.emit == '1' then
    id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', job)
  end
end
return { 'ok', job, version, id }
`;

/** KEYS: job hash; ARGV: the default max_attempts. Returns the job as JSON, or nil when Redis does not hold it. */
export const READ_JOB_SCRIPT = `${ASSEMBLE_JOB_LUA}
return assemble(KEYS[1], ARGV[1])
`;

/** One change to write to a job's status. */
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
  /**
   * The job's fixed fields, used when Redis does not hold the job (expired, or Redis restarted);
   * optionally more of its state (when rebuilt from the history).
   */
  seed?: Pick<Job, 'id' | 'kind' | 'type' | 'payload' | 'created_at'> &
    Partial<Pick<Job, 'max_attempts' | 'attempts' | 'attempt_errors' | 'transitions' | 'error' | 'result' | 'progress'>>;
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
}

const optionalJson = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

/** The ARGV of {@link WRITE_JOB_SCRIPT} for one write. */
export function writeJobArgs(write: JobWrite, limits: StatusLimits): string[] {
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
    default_max_attempts: String(limits.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS),
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
  const [outcome, json, version, eventId] = reply as [WriteOutcome, string, number, string];
  let job: Job | null | undefined;
  return {
    outcome,
    get job(): Job | null {
      if (job === undefined) job = json ? (JSON.parse(json) as Job) : null;
      return job;
    },
    version: Number(version),
    eventId: eventId || null,
  };
}

/** The part of an ioredis client the status client uses (structural, so this file stays pure). */
export interface RedisScriptHost extends ScriptRunner {
  xadd(key: string, ...args: string[]): Promise<string | null>;
  del(key: string): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
}

const WRITE_JOB = new LuaScript(WRITE_JOB_SCRIPT, 2);
const READ_JOB = new LuaScript(READ_JOB_SCRIPT, 1);

/** Job status in Redis, as the console and the workers read and write it. */
export class JobStatusClient {
  constructor(
    private readonly redis: RedisScriptHost,
    private readonly names: Names,
    private readonly limits: StatusLimits,
  ) {}

  async write(id: string, write: JobWrite): Promise<WriteReply> {
    const reply = await WRITE_JOB.run(
      this.redis,
      this.names.jobKey(id),
      this.names.eventStream,
      ...writeJobArgs(write, this.limits),
    );
    return parseWriteReply(reply);
  }

  /** The kind B job's signing secret while Redis holds the job; null when it has none. */
  async callbackSecret(id: string): Promise<string | null> {
    return this.redis.hget(this.names.jobKey(id), 'callback_secret');
  }

  async read(id: string): Promise<Job | null> {
    const json = (await READ_JOB.run(
      this.redis,
      this.names.jobKey(id),
      String(this.limits.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    )) as string | null;
    return json ? (JSON.parse(json) as Job) : null;
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.names.jobKey(id));
  }

  /** Appends a job's state at `version` to the event stream; returns the event ID. */
  async announce(job: Job, version: number): Promise<string> {
    const id = await this.redis.xadd(
      this.names.eventStream,
      'MAXLEN',
      '~',
      String(this.limits.streamMaxLength),
      '*',
      'version',
      String(version),
      'job',
      JSON.stringify(job),
    );
    return id ?? '';
  }
}
