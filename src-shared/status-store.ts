import type { Job } from './job';
import type { JobStatus } from './statuses';
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
] as const;

/** How a write treats the job it finds. */
export type WriteGuard =
  /** Only create: refuse if the job exists. */
  | 'create'
  /** Refuse if the job is terminal (DONE, FAILED, CANCELLED). */
  | 'live'
  /** Always write (an operator's retry). */
  | 'any';

/** What a write did: `ok`, or why it refused. */
export type WriteOutcome = 'ok' | 'exists' | 'terminal' | 'missing';

/**
 * KEYS: job hash, event stream.
 * ARGV: status, at, worker, progress ('' keeps), add attempt ('1'/'0'), result JSON ('' keeps),
 * error JSON ('' keeps), terminal TTL s ('0' none), emit ('1'/'0'), stream max length, guard,
 * then field/JSON pairs that seed the job when it is missing.
 * Returns {outcome, job JSON, version, stream ID or ''}.
 */
export const WRITE_JOB_SCRIPT = `
local key, stream = KEYS[1], KEYS[2]
local status, at, worker = ARGV[1], ARGV[2], ARGV[3]
local guard = ARGV[11]
local terminal = { DONE = true, FAILED = true, CANCELLED = true }
local fields = { ${JOB_HASH_FIELDS.map((f) => `'${f}'`).join(', ')} }
local exists = redis.call('EXISTS', key) == 1
if exists and guard == 'create' then return { 'exists', '', 0, '' } end
if not exists then
  if #ARGV < 13 then return { 'missing', '', 0, '' } end
  redis.call('HSET', key, 'progress', '0', 'attempts', '0', 'transitions', '[]',
    'result', 'null', 'error', 'null', 'status', cjson.encode(status), 'version', '0')
  for i = 12, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
end
local current = cjson.decode(redis.call('HGET', key, 'status'))
if exists and guard == 'live' and terminal[current] then
  return { 'terminal', '', 0, '' }
end
local encoded = cjson.encode(status)
redis.call('HSET', key, 'status', encoded, 'updated_at', cjson.encode(at))
if current ~= status or not exists then
  local t = '{"status":' .. encoded .. ',"at":' .. cjson.encode(at) .. ',"worker":' .. cjson.encode(worker) .. '}'
  local list = redis.call('HGET', key, 'transitions')
  if list == '[]' then list = '[' .. t .. ']' else list = string.sub(list, 1, -2) .. ',' .. t .. ']' end
  redis.call('HSET', key, 'transitions', list)
end
if ARGV[4] ~= '' then redis.call('HSET', key, 'progress', ARGV[4]) end
if ARGV[5] == '1' then redis.call('HINCRBY', key, 'attempts', 1) end
if ARGV[6] ~= '' then redis.call('HSET', key, 'result', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', key, 'error', ARGV[7]) end
local version = redis.call('HINCRBY', key, 'version', 1)
local ttl = tonumber(ARGV[8])
if terminal[status] and ttl > 0 then redis.call('EXPIRE', key, ttl) else redis.call('PERSIST', key) end
local values = redis.call('HMGET', key, unpack(fields))
local parts = {}
for i, f in ipairs(fields) do parts[i] = '"' .. f .. '":' .. values[i] end
local job = '{' .. table.concat(parts, ',') .. '}'
local id = ''
if ARGV[9] == '1' then
  id = redis.call('XADD', stream, 'MAXLEN', '~', ARGV[10], '*', 'version', version, 'job', job)
end
return { 'ok', job, version, id }
`;

/** KEYS: job hash. Returns the job as JSON, or nil when Redis does not hold it. */
export const READ_JOB_SCRIPT = `
local fields = { ${JOB_HASH_FIELDS.map((f) => `'${f}'`).join(', ')} }
local values = redis.call('HMGET', KEYS[1], unpack(fields))
if not values[1] then return false end
local parts = {}
for i, f in ipairs(fields) do parts[i] = '"' .. f .. '":' .. values[i] end
return '{' .. table.concat(parts, ',') .. '}'
`;

/** One change to write to a job's status. */
export interface JobWrite {
  status: JobStatus;
  at: string;
  /** `api`, or the worker as `<host>/<pid>`. */
  worker: string;
  progress?: number;
  /** Counts a new attempt (a worker starting the job). */
  addAttempt?: boolean;
  result?: Record<string, unknown> | null;
  error?: string | null;
  guard: WriteGuard;
  /** Append the change to the event stream. */
  emit: boolean;
  /** The job's fixed fields, used when Redis does not hold the job (expired, or Redis restarted). */
  seed?: Pick<Job, 'id' | 'kind' | 'type' | 'payload' | 'created_at'>;
}

export interface StatusLimits {
  /** Seconds a terminal job's status stays in Redis. */
  terminalTtlSeconds: number;
  /** Approximate length the event stream is trimmed to. */
  streamMaxLength: number;
}

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
  const args = [
    write.status,
    write.at,
    write.worker,
    write.progress === undefined ? '' : String(Math.round(write.progress)),
    write.addAttempt ? '1' : '0',
    optionalJson(write.result),
    optionalJson(write.error),
    String(limits.terminalTtlSeconds),
    write.emit ? '1' : '0',
    String(limits.streamMaxLength),
    write.guard,
  ];
  if (write.seed) {
    for (const [field, value] of Object.entries(write.seed)) args.push(field, JSON.stringify(value));
  }
  return args;
}

export function parseWriteReply(reply: unknown): WriteReply {
  const [outcome, json, version, eventId] = reply as [WriteOutcome, string, number, string];
  return {
    outcome,
    job: json ? (JSON.parse(json) as Job) : null,
    version: Number(version),
    eventId: eventId || null,
  };
}

/** The part of an ioredis client the status client uses (structural, so this file stays pure). */
export interface RedisScriptHost {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  xadd(key: string, ...args: string[]): Promise<string | null>;
  del(key: string): Promise<number>;
}

type WithScripts = {
  jobdeckWriteJob(key: string, stream: string, ...args: string[]): Promise<unknown>;
  jobdeckReadJob(key: string): Promise<string | null>;
};

/** Job status in Redis, as the console and the workers read and write it. */
export class JobStatusClient {
  private readonly redis: RedisScriptHost & WithScripts;

  constructor(
    redis: RedisScriptHost,
    private readonly names: Names,
    private readonly limits: StatusLimits,
  ) {
    redis.defineCommand('jobdeckWriteJob', { numberOfKeys: 2, lua: WRITE_JOB_SCRIPT });
    redis.defineCommand('jobdeckReadJob', { numberOfKeys: 1, lua: READ_JOB_SCRIPT });
    this.redis = redis as RedisScriptHost & WithScripts;
  }

  async write(id: string, write: JobWrite): Promise<WriteReply> {
    const reply = await this.redis.jobdeckWriteJob(
      this.names.jobKey(id),
      this.names.eventStream,
      ...writeJobArgs(write, this.limits),
    );
    return parseWriteReply(reply);
  }

  async read(id: string): Promise<Job | null> {
    const json = await this.redis.jobdeckReadJob(this.names.jobKey(id));
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
