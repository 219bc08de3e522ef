import { createHash } from 'node:crypto';
import type amqp from 'amqplib';
import { shownPayload } from '../../src-shared/builtin-kinds';
import type { JobKind } from '../../src-shared/kinds';
import type { ResolvedPayload } from '../../src-shared/schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { DeadLetterRow } from './dead-letter-store';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A message of `kind`'s dead-letter queue as it is kept: its body as it came, but for kind B's
 * signing secret (a job's secret stays in Redis with its status, and expires with it, so a
 * requeue still signs while the status TTL lasts: see JobService.retry), its headers, the error
 * and attempts the worker wrote in them, and the job's ID. The key that makes a redelivery count
 * once: the job and its attempts for a job's message (a job dies once per attempt count, an
 * operator's retry adds attempts); the body, headers and timestamp's hash for anything else.
 */
export function toDeadLetterRow(kind: JobKind, message: amqp.Message): DeadLetterRow {
  const { properties } = message;
  const headers: Record<string, unknown> = { ...(properties.headers ?? {}) };
  const parsed = parseBody(message.content);
  const jobId = typeof parsed?.uuid === 'string' && UUID_PATTERN.test(parsed.uuid) ? parsed.uuid.toLowerCase() : null;
  const extra = parsed && isRecord(parsed.extra_data) ? (parsed.extra_data as ResolvedPayload) : null;
  const payload = extra ? withoutSecret([kind, parsed?.kind], extra) : null;
  const body = parsed && extra && payload !== extra ? Buffer.from(JSON.stringify({ ...parsed, extra_data: payload })) : message.content;
  const attempts = Number.isInteger(headers['x-jobdeck-attempts']) ? (headers['x-jobdeck-attempts'] as number) : null;
  const error = headers['x-jobdeck-error'];
  const createdAt = typeof parsed?.created_at === 'string' && !Number.isNaN(Date.parse(parsed.created_at)) ? parsed.created_at : null;
  const timestamp = typeof properties.timestamp === 'number' ? properties.timestamp : null;
  const dedupKey = jobId && attempts !== null ? `job:${jobId}:${attempts}` : `sha256:${hashOf(message.content, headers, timestamp)}`;
  return {
    dedupKey,
    jobId,
    kind,
    body,
    payload,
    headers: jsonSafe(headers) as Record<string, unknown>,
    properties: jsonSafe({ ...properties, headers: undefined }) as Record<string, unknown>,
    error: typeof error === 'string' ? error : error === undefined ? null : String(error),
    attempts,
    createdAt,
    deadAt: timestamp === null ? new Date() : new Date(timestamp * 1000),
  };
}

function parseBody(content: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** The payload without a signing secret under any kind it may be of (the queue's, the body's). */
function withoutSecret(kinds: readonly unknown[], payload: ResolvedPayload): ResolvedPayload {
  return kinds.reduce<ResolvedPayload>((shown, kind) => (typeof kind === 'string' ? shownPayload(kind, shown) : shown), payload);
}

function hashOf(content: Buffer, headers: Record<string, unknown>, timestamp: number | null): string {
  return createHash('sha256').update(content).update(JSON.stringify(jsonSafe(headers))).update(String(timestamp)).digest('hex');
}

/** Header values as JSON keeps them: bytes as UTF-8 text, big numbers as text, nothing PostgreSQL refuses (NUL). */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (isRecord(v) && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data as number[]).toString('utf8');
      return v;
    }).replaceAll('\\u0000', ''),
  );
}
