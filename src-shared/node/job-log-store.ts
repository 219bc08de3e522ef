import {
  JOB_LOG_FULL_LINE,
  JOB_LOG_LINE_MAX_BYTES,
  JOB_LOG_MAX_BYTES,
  JOB_LOG_MAX_LINES,
  type JobLogLine,
} from '../job-log';
import type { Names } from '../topology';
import { LuaScript, type ScriptRunner } from './lua-script';
import APPEND_LUA from './job-log-append.lua?raw';

/** A log line as stored: with its stream ID, which orders a job's lines and names each once. */
export interface JobLogEntry extends JobLogLine {
  id: string;
}

/** The part of an ioredis client the log store uses (structural, so this file stays pure). */
export interface JobLogRedis extends ScriptRunner {
  xrange(key: string, start: string, end: string): Promise<[string, string[]][]>;
}

/**
 * How long a job's log stays in Redis while the job is not over (its retries may wait long);
 * the job's end sets it to the status's own TTL.
 */
export const JOB_LOG_LIVE_TTL_S = 7 * 86_400;

const APPEND = new LuaScript(APPEND_LUA, 2);
const ELLIPSIS = '…';
const utf8 = new TextDecoder();

/**
 * The line within {@link JOB_LOG_LINE_MAX_BYTES}: cut on a character boundary, ending in `…`; a
 * NUL (which PostgreSQL text refuses, and the history keeps the log) becomes U+FFFD.
 */
export function cutLine(line: string): string {
  const text = line.replaceAll('\0', '\uFFFD');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= JOB_LOG_LINE_MAX_BYTES) return text;
  const room = JOB_LOG_LINE_MAX_BYTES - Buffer.byteLength(ELLIPSIS);
  // A character cut in half decodes as U+FFFD: dropped.
  return utf8.decode(bytes.subarray(0, room)).replace(/\uFFFD+$/, '') + ELLIPSIS;
}

/** Orders stream IDs (`<ms>-<seq>`) as Redis does. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}

/** Each job's log in Redis: a stream of its own, bounded (see job-log.ts). */
export class JobLogStore {
  constructor(
    private readonly redis: JobLogRedis,
    private readonly names: Names,
  ) {}

  /** Appends lines (already cut) in one round trip; resolves to how many the bounds kept. */
  async append(jobId: string, lines: readonly JobLogLine[]): Promise<number> {
    if (lines.length === 0) return 0;
    const args = [String(JOB_LOG_MAX_LINES), String(JOB_LOG_MAX_BYTES), String(JOB_LOG_LIVE_TTL_S), JOB_LOG_FULL_LINE];
    for (const { attempt, at, line } of lines) args.push(String(attempt), at, line);
    const keys = [this.names.jobLogKey(jobId, 'lines'), this.names.jobLogKey(jobId, 'bytes')];
    return Number(await APPEND.run(this.redis, ...keys, ...args));
  }

  /** The job's lines Redis holds, oldest first (none once expired). */
  async read(jobId: string): Promise<JobLogEntry[]> {
    const entries = await this.redis.xrange(this.names.jobLogKey(jobId, 'lines'), '-', '+');
    return entries.map(([id, fields]) => {
      const byName = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) byName.set(fields[i]!, fields[i + 1]!);
      return { id, at: byName.get('at') ?? '', attempt: Number(byName.get('attempt')), line: byName.get('line') ?? '' };
    });
  }
}
