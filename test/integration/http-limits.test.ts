import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOME_UUID, TIMES_POSTGRES_REFUSES, cursorOf } from '../support/bad-input';
import { WsClient } from '../support/event-clients';
import { startTestConsole, type TestConsole } from '../support/console';

const REQUEST_TIMEOUT_S = 2;
/** Node checks its connections against the timeouts once a second. */
const CHECK_SLACK_MS = 1_500;
const MAX_CONNECTIONS = 40;
const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole(
    { JOBDECK_HTTP_REQUEST_TIMEOUT_S: String(REQUEST_TIMEOUT_S), JOBDECK_HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS) },
    false,
  );
});

afterAll(async () => {
  await app?.dispose();
});

/** A raw TCP client: what it received, and when the server closed it (ms after it connected). */
interface RawClient {
  socket: Socket;
  received: () => string;
  closedAfterMs: Promise<number>;
}

function rawClient(port: number, request = ''): RawClient {
  const startedAt = Date.now();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closedAfterMs = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - startedAt)));
  if (request) socket.write(request);
  return { socket, received: () => received, closedAfterMs };
}

function upgradeRequest(port: number, path: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${WS_KEY}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);

describe('a WebSocket upgrade answered over HTTP', () => {
  it('closes its socket: 50 refusals by the guard and 5 unknown paths leave no socket open', async () => {
    const refused = Array.from({ length: 50 }, () =>
      rawClient(app.port, upgradeRequest(app.port, '/api/v1/ws', { Origin: 'http://attacker.example' })),
    );
    const unknown = Array.from({ length: 5 }, () => rawClient(app.port, upgradeRequest(app.port, '/api/v1/nowhere')));
    const closed = await within(Promise.all([...refused, ...unknown].map((client) => client.closedAfterMs)), 3_000, 'closing 55 sockets');
    expect(Math.max(...closed)).toBeLessThan(3_000);
    for (const client of refused) expect(client.received()).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n[\s\S]*connection: close/i);
    for (const client of unknown) expect(client.received()).toMatch(/^HTTP\/1\.1 404 Not Found/);
  });

  it('does not hold up a console stopping, and WebSocket clients are told 1001 (going away)', async () => {
    const other = await startTestConsole({}, false);
    try {
      const ws = new WsClient(`ws://127.0.0.1:${other.port}/api/v1/ws`);
      await ws.opened;
      // A client that keeps its end open after the refusal: before, the console's close waited on it forever.
      const refused = rawClient(other.port, upgradeRequest(other.port, '/api/v1/ws', { Origin: 'http://attacker.example' }));
      await within(refused.closedAfterMs, 2_000, 'the refused upgrade closing');
      const startedAt = Date.now();
      await within(other.close(), 5_000, 'closing the console');
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(await within(ws.closed, 1_000, 'the WebSocket closing')).toEqual({ code: 1001 });
    } finally {
      await other.dispose();
    }
  });
});

describe('GET /api/v1/ws without an upgrade', () => {
  it('is a 426 problem that names the upgrade header', async () => {
    const response = await fetch(`${app.url}/api/v1/ws`);
    expect(response.status).toBe(426);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('upgrade')).toBe('websocket');
    const body = (await response.json()) as { type: string; errors: { field: string; rule: string }[] };
    expect(body.type).toBe('urn:jobdeck:problem:upgrade-required');
    expect(body.errors).toEqual([expect.objectContaining({ field: 'upgrade', rule: 'required' })]);
  });
});

describe('slow clients', () => {
  it('are cut at the request timeout (headers, body or nothing at all) while health answers at once', async () => {
    const host = `Host: 127.0.0.1:${app.port}`;
    const idle = Array.from({ length: 10 }, () => rawClient(app.port));
    const slowHeaders = Array.from({ length: 10 }, () => rawClient(app.port, `GET /api/v1/health HTTP/1.1\r\n${host}\r\n`));
    const slowBodies = Array.from({ length: 10 }, () =>
      rawClient(app.port, `POST /api/v1/jobs HTTP/1.1\r\n${host}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`),
    );
    // A byte every 200 ms: the body keeps moving, but would take minutes to arrive.
    const drip = setInterval(() => slowBodies.forEach((client) => client.socket.write(' ')), 200);
    try {
      for (let i = 0; i < 3; i++) {
        const startedAt = Date.now();
        const health = await fetch(`${app.url}/api/v1/health`);
        expect(health.status).toBe(200);
        expect(Date.now() - startedAt).toBeLessThan(1_000);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      const all = [...idle, ...slowHeaders, ...slowBodies];
      const closed = await within(Promise.all(all.map((c) => c.closedAfterMs)), REQUEST_TIMEOUT_S * 1_000 + CHECK_SLACK_MS + 1_000, 'cutting 30 slow clients');
      expect(Math.min(...closed)).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_S * 1_000 - 100);
      expect(Math.max(...closed)).toBeLessThanOrEqual(REQUEST_TIMEOUT_S * 1_000 + CHECK_SLACK_MS);
      for (const client of slowBodies) {
        expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\ncontent-type: application\/problem\+json\r\n/);
        expect(client.received()).toContain('"type":"urn:jobdeck:problem:request-timeout"');
      }
    } finally {
      clearInterval(drip);
    }
    expect((await fetch(`${app.url}/api/v1/health`)).status).toBe(200);
  });

  it('past the connection cap are closed as they arrive, and the API answers again once the timeout frees the rest', async () => {
    const clients = Array.from({ length: MAX_CONNECTIONS + 10 }, () => rawClient(app.port));
    const settled = await Promise.all(clients.map((c) => Promise.race([c.closedAfterMs, new Promise<null>((r) => setTimeout(() => r(null), 500))])));
    const refusedAtOnce = settled.filter((ms) => ms !== null).length;
    expect(refusedAtOnce).toBeGreaterThanOrEqual(10);
    expect(refusedAtOnce).toBeLessThan(clients.length);
    await within(Promise.all(clients.map((c) => c.closedAfterMs)), REQUEST_TIMEOUT_S * 1_000 + CHECK_SLACK_MS + 1_000, 'freeing the cap');
    expect((await fetch(`${app.url}/api/v1/health`)).status).toBe(200);
  });

  it('do not include SSE and WebSocket clients, which outlive the request timeout and still get events', async () => {
    const ws = new WsClient(`ws://127.0.0.1:${app.port}/api/v1/ws?kind=log`);
    await ws.opened;
    const sse = await fetch(`${app.url}/api/v1/events?kind=log`);
    expect(sse.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_S * 1_000 + CHECK_SLACK_MS + 500));
    const submitted = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'log', payload: { client_time: 1_700_000_000 } }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const reader = sse.body!.getReader();
    let text = '';
    while (!text.includes(id)) {
      const { value, done } = await within(reader.read(), 5_000, 'the SSE event');
      if (done) throw new Error('the SSE stream ended');
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    await ws.until((seen) => seen.events.some((event) => event.type !== 'batch' && event.job_id === id), 5_000);
    await ws.close();
  });
});

// The refusals made before a store is asked are in test/unit/main/*-routes.test.ts; these need the stores.
describe('input at the bounds of its stores', () => {
  interface ProblemBody {
    errors?: { field: string; rule: string }[];
  }
  const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  /** Expects a 400 problem whose only error names `field` and `rule`. */
  async function expectFieldProblem(response: Response, field: string, rule: string): Promise<void> {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as ProblemBody).errors).toEqual([expect.objectContaining({ field, rule })]);
  }

  it('leaves ordinary bodies and Idempotency-Key alone', async () => {
    const body = JSON.stringify({ kind: 'log', payload: { client_time: 1_700_000_000 } });
    const first = await post('/api/v1/jobs', body, { 'idempotency-key': 'ordinary' });
    expect(first.status).toBe(202);
    const again = await post('/api/v1/jobs', body, { 'idempotency-key': 'ordinary' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  });

  it.each(['/api/v1/inbox', '/api/v1/mailbox'])('takes 2^63-1 as a cursor on %s: a page', async (path) => {
    const last = await fetch(`${app.url}${path}?cursor=9223372036854775807`);
    expect(last.status).toBe(200);
  });

  it('refuses on jobs, batches and deliveries a cursor with a time PostgreSQL would refuse, as a 400 naming cursor', async () => {
    const created = await post('/api/v1/subscriptions', JSON.stringify({ url: 'http://127.0.0.1:9/hook' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const path of ['/api/v1/jobs', '/api/v1/batches', `/api/v1/subscriptions/${id}/deliveries`]) {
      for (const cursor of TIMES_POSTGRES_REFUSES) {
        await expectFieldProblem(await fetch(`${app.url}${path}?cursor=${cursorOf(cursor)}`), 'cursor', 'format');
      }
      const valid = await fetch(`${app.url}${path}?cursor=${cursorOf(`2026-01-01T00:00:00.000Z|${SOME_UUID}`)}`);
      expect(valid.status).toBe(200);
    }
  });

  it('closes a WebSocket asking for a last_event_id past 2^64-1 with 1008 and the error; 2^64-1 itself is a feed', async () => {
    for (const id of ['18446744073709551616-0', '0-18446744073709551616']) {
      const ws = new WsClient(`ws://127.0.0.1:${app.port}/api/v1/ws?last_event_id=${id}`);
      expect(await ws.closed).toEqual({ code: 1008 });
      expect(ws.messages).toEqual([{ type: 'error', errors: [expect.objectContaining({ field: 'last_event_id', rule: 'format' })] }]);
    }
    const last = await fetch(`${app.url}/api/v1/events?last_event_id=18446744073709551615-18446744073709551615`);
    expect(last.status).toBe(200);
    await last.body?.cancel();
  });

  it('takes the latest RFC 3339 client_time there is', async () => {
    const latest = await post('/api/v1/jobs', JSON.stringify({ kind: 'log', payload: { client_time: '9999-12-31T23:59:59Z' } }));
    expect(latest.status).toBe(202);
  });
});

describe('a request Node refuses before routing', () => {
  it('with headers over 16 KiB is a 431 problem naming (headers)', async () => {
    const response = await fetch(`${app.url}/job/status?uuid=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { errors?: { field: string; rule: string }[] };
    expect(body.errors).toEqual([expect.objectContaining({ field: '(headers)', rule: 'max' })]);
  });
});
