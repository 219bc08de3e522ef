import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/config';
import { startConsole, type RunningConsole } from '../../src-main/console';
import type { QueuesReport } from '../../src-shared/console-records';
import type { Job } from '../../src-shared/job';
import type { KindsReport } from '../../src-shared/kind-records';
import { retryLadder } from '../../src-shared/retry-policy';
import { namesFor } from '../../src-shared/topology';
import { eventually, startTestConsole, testConsoleEnv, type TestConsole } from '../support/console';
import { withChannel } from '../support/broker';

/**
 * A console started with a kinds file: its user kind is listed, checked, queued, batched and
 * documented like a built-in one. The kind's workers run elsewhere (`workers: 0`), so its jobs
 * stay in its queue, where the test reads them.
 */
const PAYLOAD_SCHEMA = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri' },
    width: { type: 'integer', minimum: 1, default: 640 },
  },
  required: ['url'],
  additionalProperties: false,
};

let folder: string;
let kindsFile: string;
let app: TestConsole;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'jobdeck-kinds-it-'));
  kindsFile = join(folder, 'kinds.json');
  writeFileSync(join(folder, 'resize.sh'), '#!/bin/sh\necho \'{"result":{}}\'\n');
  chmodSync(join(folder, 'resize.sh'), 0o755);
  const resize = { name: 'resize', description: 'Resizes an image', payload_schema: PAYLOAD_SCHEMA, handler: { command: ['./resize.sh'] }, workers: 0, max_attempts: 3 };
  writeFileSync(kindsFile, JSON.stringify({ kinds: [resize] }));
  app = await startTestConsole({ JOBDECK_KINDS: kindsFile }, false);
});

afterAll(async () => {
  await app?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${app.url}${path}`);
const post = (path: string, body: unknown, base = app.url) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function problemOf(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { detail: string; errors: { field: string; rule: string; message: string }[] };
}

describe('a console with a kinds file', () => {
  it('lists every kind at /api/v1/kinds, the built-in ones first, never a handler\'s command', async () => {
    const response = await get('/api/v1/kinds');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(folder);
    const { kinds } = JSON.parse(text) as KindsReport;
    expect(kinds.map((k) => [k.name, k.type, k.handler])).toEqual([
      ['log', 'A', 'builtin'],
      ['callback', 'B', 'builtin'],
      ['email', 'C', 'builtin'],
      ['resize', null, 'command'],
    ]);
    expect(kinds[3]).toEqual({
      name: 'resize',
      type: null,
      description: 'Resizes an image',
      payload_schema: PAYLOAD_SCHEMA,
      handler: 'command',
      max_attempts: 3,
      timeout_ms: null,
      workers: 0,
      prefetch: null,
    });
    expect(kinds[0]!.payload_schema).toMatchObject({ type: 'object', required: ['client_time'] });
  });

  it('refuses a bad payload with 400 naming payload.<field> and the rule, on submit and on the dry run', async () => {
    for (const path of ['/api/v1/jobs', '/api/v1/jobs/validate']) {
      const problem = await problemOf(await post(path, { kind: 'resize', payload: { width: 0 } }));
      expect(problem.errors).toEqual([
        { field: 'payload.url', rule: 'required', message: 'payload.url is required' },
        { field: 'payload.width', rule: 'minimum', message: 'payload.width must be >= 1' },
      ]);
    }
    const unknown = await problemOf(await post('/api/v1/jobs', { kind: 'thumbnail', payload: {} }));
    expect(unknown.errors).toEqual([
      { field: 'kind', rule: 'enum', message: 'kind is an unknown kind: must be one of log, callback, email, resize (or A, B, C)' },
    ]);
    const tooMany = await problemOf(await post('/api/v1/jobs', { kind: 'resize', payload: { url: 'https://example.com/a.png' }, max_attempts: 4 }));
    expect(tooMany.errors).toEqual([{ field: 'max_attempts', rule: 'max', message: "max_attempts must be at most 3 (the kind's max_attempts)" }]);
  });

  it('answers a dry run with the payload its job would get, and creates nothing', async () => {
    const response = await post('/api/v1/jobs/validate', { kind: 'resize', payload: { url: 'https://example.com/a.png' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: true, kind: 'resize', payload: { url: 'https://example.com/a.png', width: 640 } });
    const builtin = await post('/api/v1/jobs/validate', { kind: 'B', payload: { duration_ms: 5 } });
    expect(await builtin.json()).toMatchObject({ valid: true, kind: 'callback', payload: { duration_ms: 5, callback_url: expect.stringMatching(/\/api\/v1\/inbox\/jobs\//) } });
    const page = (await (await get('/api/v1/jobs?kind=resize')).json()) as { items: Job[] };
    expect(page.items).toEqual([]);
  });

  it("queues a job of the kind in <ns>.jobs.<kind>, declared with its retry and dead-letter queues", async () => {
    const names = namesFor(app.namespace);
    const response = await post('/api/v1/jobs', { kind: 'resize', payload: { url: 'https://example.com/b.png' } });
    expect(response.status).toBe(202);
    const job = (await response.json()) as Job;
    expect(job).toMatchObject({ kind: 'resize', type: 'resize', status: 'QUEUED', max_attempts: 3, payload: { url: 'https://example.com/b.png', width: 640 } });
    await withChannel(async (channel) => {
      const message = await channel.get(names.queue('resize'), { noAck: false });
      expect(message && JSON.parse(message.content.toString())).toMatchObject({ uuid: job.id, kind: 'resize', type: 'resize', extra_data: { width: 640 } });
      if (message) channel.nack(message, false, true);
      await channel.checkQueue(names.deadQueue('resize'));
      for (const delayMs of retryLadder(app.config.retry)) await channel.checkQueue(names.retryQueue('resize', delayMs));
    });
    const queues = (await (await get('/api/v1/queues')).json()) as { queues: { kind: string; ready: number }[] };
    expect(queues.queues.find((q) => q.kind === 'resize')).toMatchObject({ ready: 1 });
  });

  it('accepts a batch mixing the user kind and a built-in one, and lists each by kind', async () => {
    const jobs = [
      { kind: 'resize', payload: { url: 'https://example.com/c.png', width: 10 } },
      { kind: 'A', payload: { client_time: 1569177495 } },
    ];
    const response = await post('/api/v1/batches', { jobs });
    expect(response.status).toBe(202);
    const batch = (await response.json()) as { job_ids: string[] };
    const [resizeJob, logJob] = await Promise.all(batch.job_ids.map(async (id) => (await (await get(`/api/v1/jobs/${id}`)).json()) as Job));
    expect(resizeJob).toMatchObject({ kind: 'resize', type: 'resize', payload: { width: 10 } });
    expect(logJob).toMatchObject({ kind: 'log', type: 'A' });
    // The list reads the history: the recorder keeps a user kind's jobs as it keeps the others'.
    const listed = await eventually(
      async () => ((await (await get('/api/v1/jobs?kind=resize&limit=500')).json()) as { items: Job[] }).items,
      (items) => items.some((item) => item.id === resizeJob!.id),
      15_000,
      'the batch child in the history',
    );
    expect(listed.every((item) => item.kind === 'resize' && item.type === 'resize')).toBe(true);
    const workers = (await (await get('/api/v1/workers')).json()) as { counts: Record<string, number> };
    expect(workers.counts).toEqual({ log: 0, callback: 0, email: 0, resize: 0 });
    const bad = await problemOf(await post('/api/v1/batches', { jobs: [jobs[1], { kind: 'resize', payload: { url: 7 } }] }));
    expect(bad.errors).toEqual([{ field: 'jobs.1.payload.url', rule: 'type', message: 'jobs.1.payload.url must be string' }]);
  });

  it('documents the kind\'s payload schema in the OpenAPI document, and takes the kind in filters', async () => {
    const document = (await (await get('/api/v1/openapi.json')).json()) as {
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
    };
    expect(document.components.schemas['Payload.resize']).toMatchObject({ properties: PAYLOAD_SCHEMA.properties, required: ['url'] });
    const submitted = document.paths['/api/v1/jobs']!.post!.requestBody!.content['application/json']!.schema.properties.payload;
    expect(submitted).toMatchObject({ anyOf: expect.arrayContaining([{ $ref: '#/components/schemas/Payload.resize' }, { $ref: '#/components/schemas/Payload.log' }]) });
    expect((await get('/api/v1/jobs?kind=resize')).status).toBe(200);
    expect((await get('/api/v1/jobs?kind=nosuch')).status).toBe(400);
    const events = await fetch(`${app.url}/api/v1/events?kind=resize`, { signal: AbortSignal.timeout(2_000) });
    expect(events.status).toBe(200);
    await events.body?.cancel();
    const subscription = await post('/api/v1/subscriptions', { url: `${app.url}/api/v1/inbox/hook`, events: { kinds: ['resize', 'batch', 'A'] } });
    expect(subscription.status).toBe(201);
    expect(await subscription.json()).toMatchObject({ events: { kinds: ['resize', 'batch', 'log'] } });
  });

  it('shows the kinds file in the settings', async () => {
    expect(await (await get('/api/v1/settings')).json()).toMatchObject({ kinds_file: kindsFile });
  });
});

describe('a kind removed from the kinds file', () => {
  let without: RunningConsole | undefined;

  afterAll(async () => {
    await without?.close();
  });

  it('keeps its jobs readable, refuses new ones as an unknown kind, and leaves its queue alone', async () => {
    const job = (await (await post('/api/v1/jobs', { kind: 'resize', payload: { url: 'https://example.com/d.png' } })).json()) as Job;
    const queue = namesFor(app.namespace).queue('resize');
    const ready = await withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
    // Another console of the same namespace, started without the kinds file.
    without = await startConsole({ config: loadConfig(testConsoleEnv(app.namespace)), workerEntry: null });
    const read = await fetch(`${without.url}/api/v1/jobs/${job.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: job.id, kind: 'resize', type: 'resize', status: 'QUEUED' });
    const refused = await problemOf(await post('/api/v1/jobs', { kind: 'resize', payload: {} }, without.url));
    expect(refused.errors).toEqual([expect.objectContaining({ field: 'kind', rule: 'enum', message: expect.stringContaining('unknown kind') })]);
    const kinds = (await (await fetch(`${without.url}/api/v1/kinds`)).json()) as KindsReport;
    expect(kinds.kinds.map((k) => k.name)).toEqual(['log', 'callback', 'email']);
    expect(await withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount)).toBe(ready);
    // And says so: the queues report names the kind, its queue and what the queue holds.
    const queues = (await (await fetch(`${without.url}/api/v1/queues`)).json()) as QueuesReport;
    expect(queues.queues.map((q) => q.kind)).toEqual(['log', 'callback', 'email']);
    expect(queues.removed_kinds).toEqual([{ kind: 'resize', name: queue, ready, dead: 0 }]);
    // The console that still has the kind reports no removed kind.
    expect(((await (await get('/api/v1/queues')).json()) as QueuesReport).removed_kinds).toEqual([]);
  });
});
