/**
 * Access control on a console bound beyond loopback (`JOBDECK_HOST=0.0.0.0`) with a tokens file
 * of its own: every route of the OpenAPI document by role, the streams' tokens, a revocation
 * without restart, and the console's log lines free of tokens.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirementOf } from '../../src-main/access/access-rule';
import { TokenStore } from '../../src-main/access/token-store';
import pg from 'pg';
import { readSse, type FeedSeen } from '../support/event-clients';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { StandaloneWorker } from '../support/standalone-worker';
import { WebhookReceiver } from '../support/webhook-receiver';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-access-it-'));
const tokensFile = join(dir, 'tokens.json');
const store = new TokenStore(tokensFile);
const writer = store.create('ops', 'write')!.token;
const reader = store.create('viewer', 'read')!.token;
const logLines: string[] = [];
/** Every token a request of this file carried: none may reach a log line. */
const sentTokens = new Set([writer, reader, 'jdk_not-a-token']);
let app: TestConsole;
/** A callback target the console's (strict) outbound policy lets through: loopback, but named by JOBDECK_OUTBOUND_ALLOW. */
const receiver = new WebhookReceiver();

beforeAll(async () => {
  await receiver.start('127.0.0.2');
  const env = { JOBDECK_HOST: '0.0.0.0', JOBDECK_TOKENS_FILE: tokensFile, JOBDECK_OUTBOUND_ALLOW: '127.0.0.2' };
  app = await startTestConsole(env, false, (line) => logLines.push(line));
});
afterAll(async () => {
  await app?.dispose();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** The status of one request, its body left unread (a stream answers its headers, then is cut). */
async function statusOf(method: string, path: string, token: string | null): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const response = await fetch(`${app.url}${path}`, { method, headers: bearer(token), signal: controller.signal });
    return response.status;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Every documented route with dummies in its path: a new route is in the document, so it is here too. */
async function documentedRoutes(): Promise<{ method: string; path: string }[]> {
  const response = await fetch(`${app.url}/api/v1/openapi.json`, { headers: bearer(reader) });
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({
      method: method.toUpperCase(),
      path: path.replace('{path}', 'access/test').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
    })),
  );
}

describe('a console bound beyond loopback', () => {
  it('refuses every documented route without a token (401), the webhook inbox too', async () => {
    const routes = await documentedRoutes();
    expect(routes.length).toBeGreaterThan(50);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/v1/inbox/access/test' });
    for (const { method, path } of routes) {
      expect(await statusOf(method, path, null), `${method} ${path}`).toBe(401);
      expect(await statusOf(method, path, 'jdk_not-a-token'), `${method} ${path} (wrong token)`).toBe(401);
    }
  });

  it('lets a read token use every GET route but those that change things, and refuses it every other route (403)', async () => {
    for (const { method, path } of await documentedRoutes()) {
      const status = await statusOf(method, path, reader);
      if (requirementOf(method, path) === 'write') expect(status, `${method} ${path}`).toBe(403);
      else expect([401, 403], `${method} ${path} answered ${status}`).not.toContain(status);
    }
    expect(await statusOf('GET', '/job/database', reader)).toBe(403);
    expect(await statusOf('POST', '/api/v1/jobs', reader)).toBe(403);
    expect(await statusOf('HEAD', '/api/v1/health', reader)).toBe(200);
  });

  it('lets a write token use every route', async () => {
    for (const { method, path } of await documentedRoutes()) {
      const status = await statusOf(method, path, writer);
      expect([401, 403], `${method} ${path} answered ${status}`).not.toContain(status);
    }
  });

  it('serves the page files without a token, so the page can ask for one', async () => {
    expect(await statusOf('GET', '/api/v1/access', null)).toBe(401);
    const response = await fetch(`${app.url}/api/v1/access`, { headers: bearer(reader) });
    expect(await response.json()).toEqual({ required: true, actor: { name: 'viewer', role: 'read' } });
  });
});

describe("a worker started by hand, with no token of its own, against the console's inbox", () => {
  let worker: StandaloneWorker;

  beforeAll(async () => {
    worker = new StandaloneWorker('callback', {
      AMQP_URL: TEST_SERVICES.amqpUrl,
      REDIS_URL: TEST_SERVICES.redisUrl,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: app.namespace,
      ...{ JOBDECK_HOST: '', JOBDECK_OUTBOUND_POLICY: '', JOBDECK_OUTBOUND_ALLOW: '', JOBDECK_CONSOLE_URL: '', JOBDECK_INBOX_TOKEN: '' },
    });
    await worker.line(/consuming/, 30_000);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
  });

  const callback = async (payload: Record<string, unknown>): Promise<{ id: string; status: string; result?: Record<string, unknown> }> => {
    const response = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...bearer(writer), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 0, ...payload } }),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const read = async () => (await (await fetch(`${app.url}/api/v1/jobs/${id}`, { headers: bearer(reader) })).json()) as Awaited<ReturnType<typeof callback>>;
    return eventually(read, (job) => job.status === 'DONE' || job.status === 'FAILED', 20_000, `job ${id} to end`);
  };

  it("calls back the default inbox with the console's workers token: the job is DONE and the inbox has its POST", async () => {
    const job = await callback({});
    expect(job).toMatchObject({ status: 'DONE', result: { status_code: 201 } });
    const inbox = await fetch(`${app.url}/api/v1/inbox?limit=100`, { headers: bearer(reader) });
    const { items } = (await inbox.json()) as { items: { method: string; path: string }[] };
    expect(items).toContainEqual(expect.objectContaining({ method: 'POST', path: `/api/v1/inbox/jobs/${job.id}` }));
  });

  it('sends the token to no other target', async () => {
    const job = await callback({ callback_url: `${receiver.url}/hook` });
    expect(job).toMatchObject({ status: 'DONE', result: { status_code: 200 } });
    const [received] = receiver.received.filter((r) => r.path === '/hook');
    expect(received!.headers.authorization).toBeUndefined();
  });

  it('leaves an anonymous POST to the inbox 401, and records a POST with a read token', async () => {
    const post = (token: string | null) => fetch(`${app.url}/api/v1/inbox/anonymous`, { method: 'POST', headers: bearer(token), body: '{}' });
    expect((await post(null)).status).toBe(401);
    expect((await post(reader)).status).toBe(201);
  });
});

describe('the workers a console bound beyond loopback starts', () => {
  it('call back its inbox with their token: a kind B job with the default callback goes DONE', async () => {
    const env = { JOBDECK_HOST: '0.0.0.0', JOBDECK_TOKENS_FILE: tokensFile, JOBDECK_WORKERS: 'A=0,B=1,C=0' };
    const spawning = await startTestConsole(env);
    try {
      expect(await spawning.supervisor!.whenReady(30_000)).toBe(true);
      const response = await fetch(`${spawning.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { ...bearer(writer), 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 0 } }),
      });
      const { id } = (await response.json()) as { id: string };
      const read = async () => (await (await fetch(`${spawning.url}/api/v1/jobs/${id}`, { headers: bearer(reader) })).json()) as { status: string };
      const job = await eventually(read, (j) => j.status === 'DONE' || j.status === 'FAILED', 20_000, `job ${id} to end`);
      expect(job).toMatchObject({ status: 'DONE', result: { status_code: 201 } });
    } finally {
      await spawning.dispose();
    }
  }, 60_000);
});

describe('SSE and WebSocket', () => {
  const submit = async (): Promise<string> => {
    const response = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...bearer(writer), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'email', payload: { subject: 'access' } }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };

  it('streams events to a read token given as the header or as access_token', async () => {
    const id = await submit();
    const hasJob = (seen: FeedSeen) => seen.events.some((event) => 'job_id' in event && event.job_id === id);
    const byHeader = await readSse(`${app.url}/api/v1/events?last_event_id=0-0`, hasJob, bearer(reader));
    expect(hasJob(byHeader)).toBe(true);
    const byQuery = await readSse(`${app.url}/api/v1/events?last_event_id=0-0&access_token=${encodeURIComponent(reader)}`, hasJob);
    expect(hasJob(byQuery)).toBe(true);
    expect(await statusOf('GET', '/api/v1/events?access_token=jdk_not-a-token', null)).toBe(401);
    expect(await statusOf('GET', '/api/v1/alerts/stream', null)).toBe(401);
  });

  it('opens the WebSocket with the header or access_token, and refuses it without', async () => {
    const wsUrl = `${app.url.replace('http', 'ws')}/api/v1/ws`;
    const open = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, { headers });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('error', reject);
      });
    expect(await open(wsUrl, bearer(reader))).toBe(101);
    expect(await open(`${wsUrl}?access_token=${encodeURIComponent(reader)}`)).toBe(101);
    expect(await open(wsUrl)).toBe(401);
    expect(await open(`${wsUrl}?access_token=jdk_not-a-token`)).toBe(401);
  });
});

/** A token made over the API for one test (its text joins those no log line may hold). */
async function apiToken(name: string, role: 'read' | 'write'): Promise<string> {
  const created = await fetch(`${app.url}/api/v1/tokens`, {
    method: 'POST',
    headers: { ...bearer(writer), 'content-type': 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  expect(created.status).toBe(201);
  const { token } = (await created.json()) as { token: string };
  sentTokens.add(token);
  return token;
}

function revokeByCli(name: string): void {
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tokens.ts', 'revoke', name], {
    env: { ...process.env, JOBDECK_TOKENS_FILE: tokensFile, JOBDECK_NAMESPACE: app.namespace },
    encoding: 'utf8',
  });
  expect(cli.status, cli.stderr).toBe(0);
}

/** Resolves once an open SSE answer's body ends (the console closed it); rejects after `timeoutMs`. */
async function sseEnded(response: Response, timeoutMs = 15_000): Promise<string> {
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const timer = setTimeout(() => void reader.cancel(new Error('still open')), timeoutMs);
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The close code and reason of a WebSocket once the console closes it. */
function wsClosed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('a token revoked while its streams are open', () => {
  it('ends the SSE streams and closes the WebSocket with 4401, whether revoked over the API or by the CLI', async () => {
    for (const revoke of ['api', 'cli'] as const) {
      const name = `streams-${revoke}`;
      const token = await apiToken(name, 'read');
      const events = sseEnded(await fetch(`${app.url}/api/v1/events`, { headers: bearer(token) }));
      const alerts = sseEnded(await fetch(`${app.url}/api/v1/alerts/stream?access_token=${encodeURIComponent(token)}`));
      const socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, { headers: bearer(token) });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = wsClosed(socket);
      if (revoke === 'api') {
        expect((await fetch(`${app.url}/api/v1/tokens/${name}`, { method: 'DELETE', headers: bearer(writer) })).status).toBe(204);
      } else {
        revokeByCli(name);
      }
      expect(await events).toContain(`token "${name}" is no longer valid`);
      await alerts;
      expect(await closed).toEqual({ code: 4401, reason: `token "${name}" is no longer valid (revoked)` });
    }
  });

  it('keeps the streams of other tokens open', async () => {
    const token = await apiToken('streams-kept', 'read');
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, { headers: bearer(reader) });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = wsClosed(socket);
    expect((await fetch(`${app.url}/api/v1/tokens/streams-kept`, { method: 'DELETE', headers: bearer(writer) })).status).toBe(204);
    expect(token).not.toBe(reader);
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('open'), 5_000))]);
    expect(outcome).toBe('open');
    socket.close();
  });
});

describe('tokens over the API and the CLI', () => {
  it('stops honouring a token revoked by the CLI at the next request, without a restart', async () => {
    const created = await fetch(`${app.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { ...bearer(writer), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'short-lived', role: 'read' }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    sentTokens.add(token);
    expect(await statusOf('GET', '/api/v1/jobs', token)).toBe(200);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tokens.ts', 'revoke', 'short-lived'], {
      env: { ...process.env, JOBDECK_TOKENS_FILE: tokensFile, JOBDECK_NAMESPACE: app.namespace },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(await statusOf('GET', '/api/v1/jobs', token)).toBe(401);
  });
});

describe('start-up', () => {
  it('refuses to start beyond loopback while no token exists, naming the command', async () => {
    const empty = join(dir, 'empty', 'tokens.json');
    await expect(startTestConsole({ JOBDECK_HOST: '0.0.0.0', JOBDECK_TOKENS_FILE: empty }, false)).rejects.toThrow(
      /no API token exists in .*create one with `npm run tokens -- create <name> --role write`/,
    );
  });
});

describe('logs', () => {
  it('never print a token, from the header or from access_token, whatever the requests hit', async () => {
    // The history's table gone: reading a job is an unexpected error, logged with its stack.
    const db = new pg.Client(testDatabaseConfig());
    await db.connect();
    await db.query(`ALTER TABLE "${app.namespace}".jobs RENAME TO jobs_gone`);
    await db.end();
    const missing = '00000000-0000-4000-8000-00000000dead';
    for (const token of sentTokens) {
      const valid = token === writer || token === reader;
      expect(await statusOf('GET', `/api/v1/jobs/${missing}`, token)).toBe(valid ? 500 : 401);
      expect(await statusOf('GET', `/api/v1/jobs/export?q=&access_token=${token}`, null)).toBe(valid ? 500 : 401);
      expect(await statusOf('GET', `/api/v1/events?access_token=${token}&kind=nope`, null)).not.toBe(200);
      await statusOf('GET', `/api/v1/jobs/not-a-job?access_token=${token}`, null);
      await statusOf('POST', `/api/v1/jobs?access_token=${token}`, token);
      await statusOf('GET', `/%zz?access_token=${token}`, token);
    }
    const text = logLines.join('\n');
    expect(text).toMatch(/unexpected error/);
    for (const token of sentTokens) expect(text).not.toContain(token);
  });
});
