import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

// No workers: jobs stay QUEUED, so the queue itself can be inspected.
let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({}, false);
});
afterAll(async () => {
  await app?.dispose();
});

async function queueDepths(): Promise<Record<string, number>> {
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const names = namesFor(app.namespace);
    const depths: Record<string, number> = {};
    for (const kind of ['log', 'callback', 'email'] as const) depths[kind] = (await channel.checkQueue(names.queue(kind))).messageCount;
    return depths;
  } finally {
    await connection.close();
  }
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; title: string; detail: string; errors?: unknown[] };
  expect(body.status).toBe(status);
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

describe('book routes', () => {
  it('answers a job at once in the book shape and queues a persistent message in the wire format', async () => {
    const response = await get('/job/database?client_time=1569177495');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const job = (await response.json()) as { uuid: string; type: string; extra_data: unknown };
    expect(job).toEqual({ uuid: expect.any(String), type: 'A', extra_data: { client_time: '2019-09-22T18:38:15.000Z' } });

    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    const channel = await connection.createChannel();
    const message = await eventually(async () => (await channel.get(namesFor(app.namespace).queue('log'))) || undefined);
    await connection.close();
    expect(message.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', messageId: job.uuid });
    expect(JSON.parse(message.content.toString())).toEqual({
      v: 1,
      uuid: job.uuid,
      type: 'A',
      kind: 'log',
      extra_data: { client_time: '2019-09-22T18:38:15.000Z' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      attempt: 1,
      max_attempts: 5,
    });

    const status = await get(`/job/status?uuid=${job.uuid}`);
    expect(status.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await status.json()).toEqual({ uuid: job.uuid, status: 'QUEUED' });
  });

  it('fills the defaults the book leaves out: the embedded inbox and the default recipient', async () => {
    const callback = (await (await get('/job/callback')).json()) as { uuid: string; extra_data: Record<string, unknown> };
    expect(callback.extra_data).toEqual({
      callback_url: `${app.url}/api/v1/inbox/jobs/${callback.uuid}`,
      duration_ms: 10000,
    });
    const mail = (await (await get('/job/mail')).json()) as { type: string; extra_data: unknown };
    expect(mail).toMatchObject({ type: 'C', extra_data: { email_address: 'operator@jobdeck.local' } });
    const custom = await get('/job/mail?email_address=ops@example.com&subject=Hi');
    expect(((await custom.json()) as { extra_data: unknown }).extra_data).toEqual({ email_address: 'ops@example.com', subject: 'Hi' });
  });

  // The other refusals of the book routes are in test/unit/main/book-routes.test.ts.
  it('refuses a missing client_time by name and keeps running', async () => {
    const missing = await expectProblem(await get('/job/database'), 400);
    expect(missing.errors).toEqual([{ field: 'client_time', rule: 'required', message: 'client_time is required' }]);
    expect((await get('/job/database?client_time=1')).status).toBe(200);
  });

  it('answers an unknown uuid with a JSON 404', async () => {
    await expectProblem(await get('/job/status?uuid=00000000-0000-4000-8000-000000000000'), 404);
    await expectProblem(await get('/job/status?uuid=not-a-job'), 404);
  });

  it('never creates a job on HEAD, and answers a wrong method with 405 and Allow', async () => {
    // A job is answered only after the broker confirmed it, so the queues show any job at once.
    const queued = async () => Object.values(await queueDepths()).reduce((a, b) => a + b, 0);
    const before = await queued();
    const head = await fetch(`${app.url}/job/mail`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    const wrong = await expectProblem(await post('/job/database?client_time=1', {}), 405);
    expect(wrong.title).toBe('Method Not Allowed');
    await expectProblem(await fetch(`${app.url}/api/v1/jobs`, { method: 'DELETE' }), 405);
    await expectProblem(await get('/no/such/route'), 404);
    expect(await queued()).toBe(before);
    expect((await get('/job/mail')).status).toBe(200);
    expect(await queued()).toBe(before + 1);
  });
});

describe('v1 jobs', () => {
  it('accepts a job with 202 and Location, and serves it by ID', async () => {
    const response = await post('/api/v1/jobs', { kind: 'B', payload: { duration_ms: 5, callback_url: 'http://127.0.0.1:9/x' } });
    expect(response.status).toBe(202);
    const job = (await response.json()) as Job;
    expect(response.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({
      kind: 'callback',
      type: 'B',
      status: 'QUEUED',
      progress: 0,
      attempts: 0,
      result: null,
      error: null,
      payload: { duration_ms: 5, callback_url: 'http://127.0.0.1:9/x' },
    });
    expect(job.transitions).toEqual([{ status: 'QUEUED', at: job.created_at, worker: 'api' }]);
    expect(job.version).toEqual(expect.any(Number));
    expect(await (await get(`/api/v1/jobs/${job.id}`)).json()).toEqual({ ...job, timing: expect.objectContaining({ created_at: job.created_at }) });
  });

  // A body's bad fields are named in test/unit/main/job-routes.test.ts; these refusals go end to end.
  it('answers malformed JSON, a wrong content type and an oversized body with 4xx problems naming the rule', async () => {
    const json = await expectProblem(await post('/api/v1/jobs', '{"kind": '), 400);
    expect(json.errors).toEqual([{ field: '(body)', rule: 'json', message: '(body) must be valid JSON' }]);
    const type = await expectProblem(await post('/api/v1/jobs', 'kind=log', { 'content-type': 'text/plain' }), 415);
    expect(type.errors).toMatchObject([{ field: 'content-type', rule: 'enum' }]);
    const large = await expectProblem(await post('/api/v1/jobs', { kind: 'email', payload: { body: 'x'.repeat(1_100_000) } }), 413);
    expect(large.errors).toMatchObject([{ field: '(body)', rule: 'max' }]);
  });

  it('lists newest first, filters, and pages with a cursor until the end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const job = (await (await post('/api/v1/jobs', { kind: 'log', payload: { client_time: 1000 + i } })).json()) as Job;
      ids.unshift(job.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    await eventually(
      async () => ((await (await get('/api/v1/jobs?kind=A&limit=500')).json()) as { items: Job[] }).items,
      (items) => items.filter((j) => ids.includes(j.id)).length === 5,
    );
    do {
      const query: string = `/api/v1/jobs?kind=log&status=QUEUED&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await get(query)).json()) as { items: Job[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((j) => j.kind === 'log' && j.status === 'QUEUED')).toBe(true);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    const bad = await expectProblem(await get('/api/v1/jobs?cursor=nonsense'), 400);
    expect(bad.errors).toMatchObject([{ field: 'cursor' }]);
    const limit = await expectProblem(await get('/api/v1/jobs?limit=501'), 400);
    expect(limit.errors).toMatchObject([{ field: 'limit', rule: 'max' }]);
  });
});

describe('who may call', () => {
  it('refuses a foreign Host, a foreign Origin and a cross-site fetch, and lets curl-like clients in', async () => {
    const { request } = await import('node:http');
    const raw = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${app.url}/job/mail`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await raw({ host: 'attacker.example' })).toBe(403);
    expect(await raw({ host: `attacker.example:${app.port}` })).toBe(403);
    expect(await raw({ origin: 'http://attacker.example' })).toBe(403);
    expect(await raw({ 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await raw({ origin: app.url, 'sec-fetch-site': 'same-origin' })).toBe(200);
    expect(await raw({ host: `localhost:${app.port}` })).toBe(200);
  });
});

describe('health', () => {
  it('reports every dependency up', async () => {
    const response = await get('/api/v1/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; dependencies: Record<string, { up: boolean }> };
    expect(body.ok).toBe(true);
    expect(Object.keys(body.dependencies).sort()).toEqual(['postgresql', 'rabbitmq', 'redis', 'smtp']);
  });
});

describe('health with a dependency down', () => {
  it('answers 503 and names the dependency and its error', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await startTestConsole({ SMTP_URL: `smtp://mailer:hunter2@127.0.0.1:${port}` }, false);
    try {
      const response = await fetch(`${down.url}/api/v1/health`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { ok: boolean; dependencies: Record<string, { up: boolean; error: string | null }> };
      expect(body.ok).toBe(false);
      expect(body.dependencies.smtp).toEqual({ up: false, error: `connect ECONNREFUSED 127.0.0.1:${port}` });
      expect(body.dependencies.redis).toEqual({ up: true, error: null });
      expect(JSON.stringify(body)).not.toContain('hunter2');
    } finally {
      await down.dispose();
    }
  });
});

describe('a second console', () => {
  it('is refused on a port in use, in one line naming JOBDECK_PORT', async () => {
    await expect(startTestConsole({ JOBDECK_PORT: String(app.port) }, false)).rejects.toThrow(
      `port ${app.port} on 127.0.0.1 is already in use (another Jobdeck console?); set JOBDECK_PORT to a free port`,
    );
    expect((await fetch(`${app.url}/api/v1/health`)).status).toBe(200);
  });
});

describe('the console page', () => {
  it('is served with its security policy, framing forbidden', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'jobdeck-page-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const { startConsole } = await import('../../src-main/console');
    const page = await startConsole({ config: { ...app.config, port: 0, smtpSinkPort: 0 }, workerEntry: null, rendererDir: dir });
    try {
      const response = await fetch(`${page.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await page.close();
    }
  });
});
