import { describe, expect, it } from 'vitest';
import { compareEventIds, parseStreamEntry } from '../../../src-shared/events';
import { redactText, redactUrl } from '../../../src-shared/redact';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { parseJobMessage } from '../../../src-shared/wire';

const kinds = builtinKindRegistry();
const payloadError = (kind: string, payload: Record<string, unknown>) => kinds.entry(kind).messageError(payload);

describe('event IDs', () => {
  it('order by time, then by sequence, numerically', () => {
    expect(compareEventIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareEventIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0);
    expect(compareEventIds('5-5', '5-5')).toBe(0);
  });

  it('parse a stream entry into an event carrying the whole job', () => {
    const job = { id: 'j1', kind: 'log', status: 'DONE' };
    const event = parseStreamEntry('9-1', ['version', '4', 'job', JSON.stringify(job)]);
    expect(event).toMatchObject({ id: '9-1', job_id: 'j1', kind: 'log', status: 'DONE', version: 4 });
    expect(parseStreamEntry('9-2', ['other', 'x'])).toBeUndefined();
    expect(parseStreamEntry('9-3', ['version', '1', 'job', '{"id":'])).toBeUndefined();
    expect(parseStreamEntry('9-4', null)).toBeUndefined();
  });
});

describe('wire format', () => {
  it('accepts version 1 messages and explains what it refuses', () => {
    const uuid = '0b7e2f5c-1d2a-4c3b-8e9f-0a1b2c3d4e5f';
    const body = { v: 1, uuid, type: 'A', kind: 'log', extra_data: { client_time: 'x' }, created_at: '2026-01-01T00:00:00Z' };
    expect(parseJobMessage(JSON.stringify(body), kinds)).toEqual(body);
    expect(parseJobMessage('{', kinds)).toEqual({ error: 'body is not JSON' });
    expect(parseJobMessage(JSON.stringify({ ...body, v: 2 }), kinds)).toEqual({ error: 'unsupported version 2' });
    expect(parseJobMessage(JSON.stringify({ ...body, extra_data: 'x' }), kinds)).toEqual({ error: 'extra_data must be an object' });
    expect(parseJobMessage(JSON.stringify({ ...body, uuid: 'u' }), kinds)).toEqual({ error: 'uuid must be a UUID' });
    expect(parseJobMessage(JSON.stringify({ ...body, type: 'B' }), kinds)).toEqual({ error: 'type must be A for kind log' });
    expect(parseJobMessage(JSON.stringify({ ...body, kind: 'A' }), kinds)).toMatchObject({ error: expect.stringMatching(/^kind must be/) });
    expect(parseJobMessage(JSON.stringify({ ...body, created_at: undefined }), kinds)).toEqual({ error: 'created_at must be an RFC 3339 time' });
  });
});

describe('a job message\'s payload', () => {
  it('names the field its handler needs and lacks; a complete one passes', () => {
    expect(payloadError('email', { subject: 'x' })).toBe('extra_data.email_address must name a recipient');
    expect(payloadError('email', { email_address: 'ops@example.com' })).toBeNull();
    expect(payloadError('callback', { duration_ms: 5 })).toBe('extra_data.callback_url must be an http or https URL');
    expect(payloadError('callback', { callback_url: 'http://a/', duration_ms: -1 })).toBe('extra_data.duration_ms must be a number of milliseconds');
    expect(payloadError('callback', { callback_url: 'http://a/', duration_ms: 0 })).toBeNull();
    expect(payloadError('log', { client_time: 'yesterday' })).toBe('extra_data.client_time must be an RFC 3339 time');
    expect(payloadError('log', { client_time: '2019-09-22T18:38:15.000Z' })).toBeNull();
  });
});

describe('redaction', () => {
  it('never shows a password', () => {
    expect(redactUrl('amqp://guest:s3cret@rabbit:5672/vh')).toBe('amqp://guest:***@rabbit:5672/vh');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactText('connect to postgres://app:hunter2@db/x failed')).toBe('connect to postgres://app:***@db/x failed');
    expect(redactText('redis://:secret@host:99999')).toBe('redis://:***@host:99999');
    expect(redactText('amqp://u:pa/ss@host')).toBe('amqp://u:***@host');
  });

  it('never shows an API token: a bearer header, an access_token query value, a jdk_ token anywhere', () => {
    expect(redactText('authorization: Bearer abc.def-123')).toBe('authorization: Bearer ***');
    expect(redactText('GET /api/v1/events?kind=log&access_token=s3cret&x=1')).toBe('GET /api/v1/events?kind=log&access_token=***&x=1');
    expect(redactText('/api/v1/ws?access_token=jdk_abc')).toBe('/api/v1/ws?access_token=***');
    expect(redactText('token jdk_Zx-9_q was refused')).toBe('token jdk_*** was refused');
    expect(redactText('{"authorization":"Bearer jdk_x"}')).toBe('{"authorization":"Bearer ***"}');
  });
});
