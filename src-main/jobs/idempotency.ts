import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ValidationError } from '../../src-shared/problem';

/** Header a client sends to make `POST /api/v1/jobs` safe to repeat. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** How long a key remembers its first answer. */
export const IDEMPOTENCY_TTL_S = 24 * 60 * 60;
/**
 * How long a reservation lives before its first answer is stored: longer than any submit takes
 * (the broker's confirm waits 5 s at most), short enough that a console dying mid-submit does
 * not lock a key for a day.
 */
const PENDING_TTL_S = 30;
/** A duplicate arriving while the first request is still in flight waits this long, then gets 409. */
const IN_FLIGHT_WAIT_MS = 6_000;
const POLL_MS = 50;

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The first answer to a key, replayed to every later request with the same key and body. */
export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

interface Entry {
  /** SHA-256 of the request body in canonical JSON. */
  fingerprint: string;
  answer: StoredAnswer | null;
}

/** The same key came with another body: answered 422. */
export class IdempotencyMismatchError extends Error {
  override name = 'IdempotencyMismatchError';
}

/** The same key is still being answered for another request: answered 409, try again. */
export class IdempotencyInFlightError extends Error {
  override name = 'IdempotencyInFlightError';
}

/** JSON with object keys sorted, so two bodies that differ only in key order match. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function bodyFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The header's value, checked: 1–255 printable ASCII characters; undefined when absent. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY_PATTERN.test(header)) {
    throw new ValidationError([
      {
        field: IDEMPOTENCY_HEADER,
        rule: 'format',
        message: `${IDEMPOTENCY_HEADER} must be 1-255 printable ASCII characters, sent once`,
      },
    ]);
  }
  return header;
}

/**
 * Idempotency keys in Redis (`<ns>:idem:<key>`). The first request atomically reserves its key
 * (SET NX) with its body's fingerprint and no answer; once it succeeds, its answer is stored for
 * 24 h. A failed first attempt (503, 429, any error) releases the key, so the client's retry
 * runs afresh. A duplicate arriving while the first is in flight polls for its answer for up to
 * 6 s, then gets 409. Exactly one request per key ever runs the work.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (key: string) => string,
  ) {}

  /**
   * Runs `work` once per key: a repeat with the same body gets the stored answer (`replayed`),
   * one with another body throws {@link IdempotencyMismatchError}.
   */
  async run(
    key: string,
    body: unknown,
    work: () => Promise<StoredAnswer>,
  ): Promise<{ answer: StoredAnswer; replayed: boolean }> {
    const redisKey = this.keyOf(key);
    const fingerprint = bodyFingerprint(body);
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      if (await this.reserve(redisKey, fingerprint)) return { answer: await this.runFirst(redisKey, fingerprint, work), replayed: false };
      const text = await this.redis.get(redisKey);
      const entry = text ? (JSON.parse(text) as Entry) : null;
      if (entry && entry.fingerprint !== fingerprint) {
        throw new IdempotencyMismatchError(
          `${IDEMPOTENCY_HEADER} was already used with another request body; use a new key for a new job`,
        );
      }
      if (entry?.answer) return { answer: entry.answer, replayed: true };
      if (Date.now() >= deadline) {
        throw new IdempotencyInFlightError(`a request with this ${IDEMPOTENCY_HEADER} is still being answered; retry shortly`);
      }
      // Still in flight: wait for its answer. Gone (the first failed and released it): reserve anew.
      if (entry) await sleep(POLL_MS);
    }
  }

  private async reserve(redisKey: string, fingerprint: string): Promise<boolean> {
    const pending: Entry = { fingerprint, answer: null };
    return (await this.redis.set(redisKey, JSON.stringify(pending), 'EX', PENDING_TTL_S, 'NX')) === 'OK';
  }

  private async runFirst(redisKey: string, fingerprint: string, work: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
    let answer: StoredAnswer;
    try {
      answer = await work();
    } catch (error) {
      await this.redis.del(redisKey).catch(() => undefined);
      throw error;
    }
    const done: Entry = { fingerprint, answer };
    await this.redis.set(redisKey, JSON.stringify(done), 'EX', IDEMPOTENCY_TTL_S).catch(() => undefined);
    return answer;
  }
}
