import { describe, expect, it } from 'vitest';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { toFieldErrors } from '../../../src-shared/problem';
import { callbackPayloadSchema, emailPayloadSchema, logPayloadSchema, submitJobSchemaOf } from '../../../src-shared/schemas';
import { createBatchSchemaOf } from '../../../src-shared/batch-schemas';

const PAYLOAD_SCHEMAS = { log: logPayloadSchema, callback: callbackPayloadSchema, email: emailPayloadSchema };
const kinds = builtinKindRegistry();
const parseKind = (value: string) => kinds.resolve(value);
const submitJobSchema = submitJobSchemaOf(kinds);

function errorsOf(kind: keyof typeof PAYLOAD_SCHEMAS, input: unknown) {
  const parsed = PAYLOAD_SCHEMAS[kind].safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return toFieldErrors(parsed.error, input, 'payload');
}

describe('kinds', () => {
  it('accepts names and the book letters in either case', () => {
    expect(parseKind('log')).toBe('log');
    expect(parseKind('B')).toBe('callback');
    expect(parseKind('c')).toBe('email');
    expect(parseKind('D')).toBeUndefined();
    expect(parseKind('mail')).toBeUndefined();
  });
});

describe('log payload', () => {
  it('normalises Unix seconds and RFC 3339 times to UTC with milliseconds', () => {
    expect(PAYLOAD_SCHEMAS.log.parse({ client_time: 1569177495 })).toEqual({ client_time: '2019-09-22T18:38:15.000Z' });
    expect(PAYLOAD_SCHEMAS.log.parse({ client_time: '2019-09-22T20:38:15+02:00' })).toEqual({
      client_time: '2019-09-22T18:38:15.000Z',
    });
  });

  it('names the field and the rule when client_time is missing or malformed', () => {
    expect(errorsOf('log', {})).toEqual([
      { field: 'payload.client_time', rule: 'required', message: 'payload.client_time is required' },
    ]);
    const [error] = errorsOf('log', { client_time: 'yesterday' });
    expect(error).toMatchObject({ field: 'payload.client_time', rule: 'format' });
    expect(error!.message).toContain('Unix seconds or an RFC 3339 time');
    expect(errorsOf('log', { client_time: -5 })[0]).toMatchObject({ field: 'payload.client_time', rule: 'min' });
    expect(errorsOf('log', { client_time: 1e13 })[0]).toMatchObject({ rule: 'max', message: 'payload.client_time must be at most 253402300799' });
  });

  it('refuses unknown fields by name', () => {
    expect(errorsOf('log', { client_time: 1, clienttime: 2 })).toEqual([
      { field: 'payload.clienttime', rule: 'unknown', message: 'payload.clienttime is not a known field' },
    ]);
  });
});

describe('callback payload', () => {
  it('bounds the duration to 15 minutes', () => {
    expect(errorsOf('callback', { duration_ms: 15 * 60_000 + 1 })[0]).toEqual({
      field: 'payload.duration_ms',
      rule: 'max',
      message: 'payload.duration_ms must be at most 900000',
    });
    expect(errorsOf('callback', { duration_ms: 1.5 })[0]).toMatchObject({ rule: 'type' });
    expect(PAYLOAD_SCHEMAS.callback.parse({ duration_ms: 0 })).toEqual({ duration_ms: 0 });
  });

  it('accepts only http and https callback URLs', () => {
    expect(errorsOf('callback', { callback_url: 'ftp://example.com/x' })[0]).toMatchObject({
      field: 'payload.callback_url',
      rule: 'format',
    });
    expect(PAYLOAD_SCHEMAS.callback.parse({ callback_url: 'https://example.com/hook' })).toEqual({
      callback_url: 'https://example.com/hook',
    });
  });
});

describe('email payload', () => {
  it('checks the address and bounds the subject', () => {
    expect(errorsOf('email', { email_address: 'not-an-address' })[0]).toMatchObject({
      field: 'payload.email_address',
      rule: 'format',
    });
    expect(errorsOf('email', { subject: 'x'.repeat(201) })[0]).toMatchObject({
      rule: 'max',
      message: 'payload.subject must be at most 200 characters',
    });
  });
});

describe('submit body', () => {
  it('takes a kind by letter and defaults the payload', () => {
    expect(submitJobSchema.parse({ kind: 'A' })).toEqual({ kind: 'log', payload: {} });
  });

  it('names an unknown kind with the allowed values', () => {
    const input = { kind: 'Z' };
    const parsed = submitJobSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const [error] = toFieldErrors(parsed.error!, input);
    expect(error).toEqual({ field: 'kind', rule: 'enum', message: 'kind is an unknown kind: must be one of log, callback, email (or A, B, C)' });
  });

  it('says the body itself must be an object', () => {
    const parsed = submitJobSchema.safeParse([1]);
    expect(toFieldErrors(parsed.error!, [1])[0]).toMatchObject({ field: '(body)', rule: 'type' });
  });
});

describe('a batch child', () => {
  // zod refuses `.omit()` of a refined object: a batch schema built that way threw at every console start.
  const batchSchema = createBatchSchemaOf(kinds);

  it('builds, takes the start fields with their rule across them, and refuses replay_of', () => {
    expect(batchSchema.safeParse({ jobs: [{ kind: 'A', payload: { client_time: 1 }, delay_ms: 1000 }] }).success).toBe(true);
    const both = batchSchema.safeParse({ jobs: [{ kind: 'A', delay_ms: 1000, run_at: '2030-01-01T00:00:00Z' }] });
    expect(both.success).toBe(false);
    expect(toFieldErrors(both.error!, {}, '').map((error) => error.field)).toContain('jobs.0.delay_ms');
    const replay = batchSchema.safeParse({ jobs: [{ kind: 'A', replay_of: '6c1e9d2a-0000-4000-8000-000000000016' }] });
    expect(replay.success).toBe(false);
  });
});
