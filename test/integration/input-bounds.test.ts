import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsClient } from '../support/event-clients';
import { startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({}, false);
});

afterAll(async () => {
  await app?.dispose();
});

interface ProblemBody {
  status: number;
  errors?: { field: string; rule: string; message: string }[];
}

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** Expects a 400 problem whose only error names `field` and `rule`. */
async function expectFieldProblem(response: Response, field: string, rule: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as ProblemBody;
  expect(body.errors).toEqual([expect.objectContaining({ field, rule })]);
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const cursorOf = (text: string): string => Buffer.from(text).toString('base64url');
const SOME_UUID = '0b7e6a1c-1f7a-4c1e-9d1b-2f0c1a2b3c4d';

describe('a deeply nested JSON body', () => {
  it.each([
    ['/api/v1/jobs', { 'idempotency-key': 'deep-job' }],
    ['/api/v1/batches', { 'idempotency-key': 'deep-batch' }],
    ['/api/v1/jobs', {}],
    ['/api/v1/subscriptions', {}],
  ])('10,000 deep to %s %j is a 400 naming (body) and the depth rule', async (path, headers) => {
    await expectFieldProblem(await post(path, nested(10_000), headers), '(body)', 'depth');
  });

  it('leaves ordinary bodies and Idempotency-Key alone', async () => {
    const body = JSON.stringify({ kind: 'log', payload: { client_time: 1_700_000_000 } });
    const first = await post('/api/v1/jobs', body, { 'idempotency-key': 'ordinary' });
    expect(first.status).toBe(202);
    const again = await post('/api/v1/jobs', body, { 'idempotency-key': 'ordinary' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  });
});

describe('a cursor the API never gave out', () => {
  it.each(['/api/v1/inbox', '/api/v1/mailbox'])('on %s, past 2^63-1, is a 400 naming cursor; 2^63-1 itself is a page', async (path) => {
    await expectFieldProblem(await fetch(`${app.url}${path}?cursor=9223372036854775808`), 'cursor', 'format');
    await expectFieldProblem(await fetch(`${app.url}${path}?cursor=9999999999999999999`), 'cursor', 'format');
    const last = await fetch(`${app.url}${path}?cursor=9223372036854775807`);
    expect(last.status).toBe(200);
  });

  it('on jobs, batches and deliveries, with a time PostgreSQL would refuse, is a 400 naming cursor', async () => {
    const created = await post('/api/v1/subscriptions', JSON.stringify({ url: 'http://127.0.0.1:9/hook' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const lists = ['/api/v1/jobs', '/api/v1/batches', `/api/v1/subscriptions/${id}/deliveries`];
    // Date.parse takes each of these; PostgreSQL does not.
    const cursors = [`1|${SOME_UUID}`, `2026-02-30T00:00:00.000Z|${SOME_UUID}`, `+275760-09-13T00:00:00.000Z|${SOME_UUID}`];
    for (const path of lists) {
      for (const cursor of cursors) {
        await expectFieldProblem(await fetch(`${app.url}${path}?cursor=${cursorOf(cursor)}`), 'cursor', 'format');
      }
      const valid = await fetch(`${app.url}${path}?cursor=${cursorOf(`2026-01-01T00:00:00.000Z|${SOME_UUID}`)}`);
      expect(valid.status).toBe(200);
    }
  });
});

describe('a number out of its store\'s range', () => {
  it('as last_event_id past 2^64-1 is a 400 naming it on SSE, and a 1008 close with the error on WebSocket', async () => {
    for (const id of ['18446744073709551616-0', '0-18446744073709551616']) {
      await expectFieldProblem(await fetch(`${app.url}/api/v1/events?last_event_id=${id}`), 'last_event_id', 'format');
      const ws = new WsClient(`ws://127.0.0.1:${app.port}/api/v1/ws?last_event_id=${id}`);
      expect(await ws.closed).toEqual({ code: 1008 });
      expect(ws.messages).toEqual([{ type: 'error', errors: [expect.objectContaining({ field: 'last_event_id', rule: 'format' })] }]);
    }
    const last = await fetch(`${app.url}/api/v1/events?last_event_id=18446744073709551615-18446744073709551615`);
    expect(last.status).toBe(200);
    await last.body?.cancel();
  });

  it('as an RFC 3339 client_time whose UTC instant leaves the years 0001-9999 is a 400 naming payload.client_time', async () => {
    for (const time of ['9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00+14:00']) {
      const body = JSON.stringify({ kind: 'log', payload: { client_time: time } });
      const response = await post('/api/v1/jobs', body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as ProblemBody;
      expect(problem.errors?.map((e) => e.field)).toEqual(['payload.client_time']);
    }
    const latest = await post('/api/v1/jobs', JSON.stringify({ kind: 'log', payload: { client_time: '9999-12-31T23:59:59Z' } }));
    expect(latest.status).toBe(202);
  });
});

describe('a request Node refuses before routing', () => {
  it('with headers over 16 KiB is a 431 problem naming (headers)', async () => {
    const response = await fetch(`${app.url}/job/status?uuid=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as ProblemBody;
    expect(body.errors).toEqual([expect.objectContaining({ field: '(headers)', rule: 'max' })]);
  });
});
