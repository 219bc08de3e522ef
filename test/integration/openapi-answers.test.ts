import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiContract, KEYWORDS_AFTER_DRAFT_07, type CheckedAnswer, type OpenApiDocument } from '../support/api-contract';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { readSse, sseFrames, WsClient, type FeedSeen } from '../support/event-clients';

/**
 * Every operation of `GET /api/v1/openapi.json`, called on a real console: each answer (success,
 * and an error where one can be provoked) must be documented for its status and match the
 * schema the document gives it. A route whose answer drifts from its shared schema fails here.
 */
let app: TestConsole;
let contract: ApiContract;

beforeAll(async () => {
  // No email worker at first: an email job stays QUEUED, for cancel, retry and purge.
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=0', JOBDECK_ALERT_EVAL_MS: '200' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  const document = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  contract = new ApiContract(document);
}, 60_000);
afterAll(async () => {
  await app?.dispose();
});

const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const call = (method: string, url: string, body?: unknown): Promise<CheckedAnswer> =>
  contract.call(app.url, method, url, body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const get = (url: string) => call('GET', url);

async function expectStatus(answer: Promise<CheckedAnswer>, status: number): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body as Record<string, unknown>;
}

async function jobWhen(id: string, done: (status: string) => boolean): Promise<Record<string, unknown>> {
  return eventually(() => expectStatus(get(`/api/v1/jobs/${id}`), 200), (job) => done(job.status as string), 20_000, `job ${id}`);
}

describe('the OpenAPI document', () => {
  it('uses no JSON Schema keyword its checker (draft-07) would ignore', async () => {
    const text = JSON.stringify(await (await fetch(`${app.url}/api/v1/openapi.json`)).json());
    for (const keyword of KEYWORDS_AFTER_DRAFT_07) expect(text).not.toContain(`"${keyword}"`);
  });
});

describe('every answer matches the OpenAPI document', () => {
  it('of the book routes', async () => {
    const logJob = await expectStatus(get('/job/database?client_time=1569177495'), 200);
    await expectStatus(get('/job/callback?duration_ms=0'), 200);
    await expectStatus(get('/job/mail?subject=contract'), 200);
    await jobWhen(logJob.uuid as string, (status) => status === 'DONE');
    expect(await expectStatus(get(`/job/status?uuid=${logJob.uuid as string}`), 200)).toMatchObject({ status: 'DONE' });
    await expectStatus(get('/job/database'), 400);
    await expectStatus(get('/job/callback?duration_ms=soon'), 400);
    await expectStatus(get('/job/mail?email_address=nobody'), 400);
    await expectStatus(get(`/job/status?uuid=${UNKNOWN_UUID}`), 404);
  });

  it('of saved views', async () => {
    const name = `contract ${Date.now()}`;
    const view = await expectStatus(call('POST', '/api/v1/saved-views', { name, query: 'status:FAILED' }), 201);
    await expectStatus(call('POST', '/api/v1/saved-views', { name, query: 'status:FAILED' }), 409);
    await expectStatus(call('POST', '/api/v1/saved-views', { name: 'bad', query: 'status:' }), 400);
    await expectStatus(get('/api/v1/saved-views'), 200);
    await expectStatus(call('DELETE', `/api/v1/saved-views/${view.id as string}`), 204);
    await expectStatus(call('DELETE', `/api/v1/saved-views/${UNKNOWN_UUID}`), 404);
  });

  it('of schedules', async () => {
    const created = await expectStatus(call('POST', '/api/v1/schedules', { kind: 'email', payload: { subject: 'contract' }, cron: '0 0 3 * * *', time_zone: 'Europe/Berlin' }), 201);
    const url = `/api/v1/schedules/${created.id as string}`;
    await expectStatus(call('POST', '/api/v1/schedules', { kind: 'email', cron: '61 * * * *' }), 400);
    await expectStatus(get('/api/v1/schedules?limit=1'), 200);
    await expectStatus(get('/api/v1/schedules?cursor=none'), 400);
    await expectStatus(call('PATCH', url, { missed: 'run_once' }), 200);
    await expectStatus(call('PATCH', url, { time_zone: 'Mars/Base' }), 400);
    await expectStatus(call('POST', `${url}/pause`), 200);
    await expectStatus(call('POST', `${url}/resume`), 200);
    await expectStatus(call('POST', `${url}/trigger`), 202);
    const detail = await expectStatus(get(url), 200);
    expect((detail.last_runs as unknown[]).length).toBe(1);
    await expectStatus(get(`/api/v1/schedules/${UNKNOWN_UUID}`), 404);
    await expectStatus(call('POST', `/api/v1/schedules/${UNKNOWN_UUID}/trigger`), 404);
    await expectStatus(call('DELETE', url), 204);
    await expectStatus(call('DELETE', url), 404);
  });

  it('of webhook subscriptions and their deliveries', async () => {
    const subscription = await expectStatus(call('POST', '/api/v1/subscriptions', { url: `${app.url}/api/v1/inbox/contract`, events: { kinds: ['A'], statuses: ['DONE'] } }), 201);
    await expectStatus(call('POST', '/api/v1/subscriptions', { url: 'ftp://example.com/hook' }), 400);
    const id = subscription.id as string;
    await expectStatus(get('/api/v1/subscriptions'), 200);
    await expectStatus(get(`/api/v1/subscriptions/${id}`), 200);
    await expectStatus(get(`/api/v1/subscriptions/${UNKNOWN_UUID}`), 404);
    await expectStatus(get('/job/database?client_time=1569177495'), 200);
    const delivery = await eventually(async () => {
      const page = await expectStatus(get(`/api/v1/subscriptions/${id}/deliveries`), 200);
      const [first] = page.items as { id: string; state: string }[];
      return first?.state === 'delivered' ? first : undefined;
    }, 20_000, 'a delivered delivery');
    await expectStatus(get(`/api/v1/subscriptions/${id}/deliveries?limit=0`), 400);
    await expectStatus(call('POST', `/api/v1/subscriptions/${id}/deliveries/${delivery.id}/redeliver`), 202);
    await expectStatus(call('POST', `/api/v1/subscriptions/${id}/deliveries/${UNKNOWN_UUID}/redeliver`), 404);
    await expectStatus(call('DELETE', `/api/v1/subscriptions/${id}`), 204);
    await expectStatus(call('DELETE', `/api/v1/subscriptions/${id}`), 404);
  });

  it('of jobs, workers and queues', async () => {
    const done = await expectStatus(call('POST', '/api/v1/jobs', { kind: 'log', payload: { client_time: 1569177495 } }), 202);
    await expectStatus(call('POST', '/api/v1/jobs', { kind: 'fax' }), 400);
    await jobWhen(done.id as string, (status) => status === 'DONE');
    await expectStatus(get('/api/v1/jobs?limit=5'), 200);
    await expectStatus(get('/api/v1/jobs?limit=0'), 400);
    await expectStatus(get('/api/v1/jobs?q=kind%3Alog%20status%3ADONE'), 200);
    await expectStatus(get('/api/v1/jobs?q=status%3A'), 400);
    await expectStatus(get('/api/v1/jobs/export?q=kind%3Alog&format=csv'), 200);
    await expectStatus(get('/api/v1/jobs/export?format=ndjson'), 200);
    await expectStatus(get('/api/v1/jobs/export?format=xml'), 400);
    await expectStatus(get(`/api/v1/jobs/${UNKNOWN_UUID}`), 404);
    expect(await expectStatus(get(`/api/v1/jobs/${done.id as string}/logs`), 200)).not.toHaveLength(0);
    await expectStatus(get(`/api/v1/jobs/${UNKNOWN_UUID}/logs`), 404);
    await expectStatus(get('/api/v1/kinds'), 200);
    await expectStatus(call('POST', '/api/v1/jobs/validate', { kind: 'callback', payload: { duration_ms: 5 } }), 200);
    await expectStatus(call('POST', '/api/v1/jobs/validate', { kind: 'callback', payload: { duration_ms: -5 } }), 400);

    const waiting = await expectStatus(call('POST', '/api/v1/jobs', { kind: 'email', payload: { subject: 'waits' } }), 202);
    await expectStatus(call('POST', `/api/v1/jobs/${waiting.id as string}/cancel`), 200);
    await expectStatus(call('POST', `/api/v1/jobs/${waiting.id as string}/retry`), 200);
    await expectStatus(call('POST', `/api/v1/jobs/${done.id as string}/retry`), 409);
    await expectStatus(call('POST', `/api/v1/jobs/${done.id as string}/cancel`), 409);
    const later = await expectStatus(call('POST', '/api/v1/jobs', { kind: 'log', payload: { client_time: 1 }, delay_ms: 600_000 }), 202);
    expect(later).toMatchObject({ status: 'SCHEDULED' });
    await expectStatus(call('POST', '/api/v1/jobs', { kind: 'log', payload: { client_time: 1 }, delay_ms: -1 }), 400);
    await expectStatus(call('POST', `/api/v1/jobs/${later.id as string}/run-now`), 200);
    await expectStatus(call('POST', `/api/v1/jobs/${done.id as string}/run-now`), 409);
    await expectStatus(call('POST', `/api/v1/jobs/${UNKNOWN_UUID}/run-now`), 404);
    await expectStatus(get('/api/v1/queues'), 200);
    expect(await expectStatus(call('POST', '/api/v1/queues/email/purge'), 200)).toMatchObject({ kind: 'email' });
    await expectStatus(call('POST', '/api/v1/queues/fax/purge'), 400);
    expect(await expectStatus(call('POST', '/api/v1/kinds/C/pause'), 200)).toMatchObject({ kind: 'email', paused: true });
    expect(await expectStatus(call('POST', '/api/v1/kinds/email/resume'), 200)).toMatchObject({ paused: false });
    expect(await expectStatus(call('PUT', '/api/v1/kinds/email/limits', { rate_per_s: 50, concurrency: 4 }), 200)).toMatchObject({ rate_per_s: 50, concurrency: 4 });
    await expectStatus(call('PUT', '/api/v1/kinds/email/limits', { rate_per_s: 0 }), 400);
    expect(await expectStatus(get('/api/v1/kinds/email/limits'), 200)).toMatchObject({ rate_per_s: 50 });
    expect((await expectStatus(get('/api/v1/flow'), 200)).kinds).toContainEqual(expect.objectContaining({ kind: 'email', concurrency: 4 }));
    await expectStatus(call('PUT', '/api/v1/kinds/email/limits', {}), 200);
    await expectStatus(call('POST', '/api/v1/kinds/fax/pause'), 400);

    await expectStatus(get('/api/v1/workers'), 200);
    await expectStatus(call('PUT', '/api/v1/workers/email', { count: 1 }), 202);
    await expectStatus(call('PUT', '/api/v1/workers/email', { count: 99 }), 400);
    await expectStatus(call('POST', '/api/v1/workers/log-1/restart'), 202);
    await expectStatus(call('POST', '/api/v1/workers/callback-1/stop'), 202);
    await expectStatus(call('POST', '/api/v1/workers/log-99/restart'), 404);
    await expectStatus(call('POST', '/api/v1/workers/log-99/stop'), 404);
  });

  it('of batches', async () => {
    const jobs = [{ kind: 'log', payload: { client_time: 1569177495 } }, { kind: 'A', payload: { client_time: '2026-01-01T00:00:00Z' } }];
    const accepted = await expectStatus(call('POST', '/api/v1/batches', { jobs, on_complete: { callback_url: `${app.url}/api/v1/inbox/batch` } }), 202);
    await expectStatus(call('POST', '/api/v1/batches', { jobs: [] }), 400);
    await eventually(
      () => expectStatus(get(`/api/v1/batches/${accepted.id as string}`), 200),
      (batch) => (batch.callback as { state?: string } | null)?.state === 'delivered',
      20_000,
      'a completed batch with its callback delivered',
    );
    await expectStatus(get(`/api/v1/batches/${UNKNOWN_UUID}`), 404);
    await expectStatus(get('/api/v1/batches'), 200);
    await expectStatus(get('/api/v1/batches?cursor=x&limit=1000'), 400);
  });

  it('of bulk operations', async () => {
    const waiting = await expectStatus(call('POST', '/api/v1/jobs', { kind: 'email', payload: { subject: 'bulk' } }), 202);
    const ids = [waiting.id as string];
    // The dry run reads the history, which records the job a moment after it was accepted.
    await eventually(() => expectStatus(call('POST', '/api/v1/operations', { action: 'cancel', ids, dry_run: true }), 200), (preview) => preview.would_change === 1, 10_000, 'the job in the history');
    await expectStatus(call('POST', '/api/v1/operations', { action: 'replay', ids, dry_run: true }), 400);
    await expectStatus(call('POST', '/api/v1/operations', { action: 'retry', query: 'kind:email', expected: 100_000 }), 409);
    const started = await expectStatus(call('POST', '/api/v1/operations', { action: 'cancel', ids, expected: 1 }), 202);
    const url = `/api/v1/operations/${started.id as string}`;
    await eventually(() => expectStatus(get(url), 200), (operation) => operation.status === 'done', 10_000, 'the operation done');
    await expectStatus(get(`${url}/events`), 200);
    const streamed = await readSse(`${app.url}${url}/events`, () => false);
    expect(streamed.events).toHaveLength(1);
    for (const state of streamed.events) contract.checkMessage('GET', `${url}/events`, state, 'operation');
    await expectStatus(get(`/api/v1/operations/${UNKNOWN_UUID}/events`), 404);
    await expectStatus(call('POST', `${url}/cancel`), 409);
    // Jobs no one knows: each takes its two reads, so the cancel comes long before the end.
    const unknown = Array.from({ length: 2000 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const long = await expectStatus(call('POST', '/api/v1/operations', { action: 'retry', ids: unknown }), 202);
    await expectStatus(call('POST', `/api/v1/operations/${long.id as string}/cancel`), 202);
    await expectStatus(call('POST', `/api/v1/operations/${UNKNOWN_UUID}/cancel`), 404);
    await expectStatus(get(`/api/v1/operations/${UNKNOWN_UUID}`), 404);
    await expectStatus(get('/api/v1/operations?limit=1'), 200);
    await expectStatus(get('/api/v1/operations?limit=1000'), 400);
  });

  it('of the mailbox and the webhook inbox', async () => {
    await expectStatus(call('PUT', '/api/v1/workers/email', { count: 1 }), 202);
    await expectStatus(get('/job/mail?subject=to+the+mailbox'), 200);
    const mail = await eventually(async () => {
      const page = await expectStatus(get('/api/v1/mailbox'), 200);
      return (page.items as { id: string }[])[0];
    }, 30_000, 'a message in the mailbox');
    await expectStatus(get(`/api/v1/mailbox/${mail.id}`), 200);
    await expectStatus(get('/api/v1/mailbox/999999999'), 404);
    await expectStatus(get('/api/v1/mailbox?limit=0'), 400);

    const received = await expectStatus(contract.call(app.url, 'POST', '/api/v1/inbox/contract/check', { headers: { 'content-type': 'text/plain' }, body: 'hello' }), 201);
    await expectStatus(get('/api/v1/inbox'), 200);
    await expectStatus(get(`/api/v1/inbox/items/${received.id as string}`), 200);
    await expectStatus(get('/api/v1/inbox/items/999999999'), 404);
    await expectStatus(get('/api/v1/inbox?cursor=none'), 400);
  });

  it('of the event channels, each event and message included', async () => {
    await expectStatus(get('/api/v1/events?last_event_id=0-0'), 200);
    await expectStatus(get('/api/v1/events?kind=fax'), 400);
    await expectStatus(get('/api/v1/ws'), 426);
    // The earlier tests left job events and a batch's fan-in in this console's stream.
    const hasBoth = (seen: FeedSeen) => seen.events.some((e) => e.type === 'batch') && seen.events.some((e) => e.type !== 'batch');
    const replayed = await readSse(`${app.url}/api/v1/events?last_event_id=0-0`, hasBoth);
    const gap = await readSse(`${app.url}/api/v1/events?last_event_id=1-0`, (seen) => seen.resyncs.length > 0);
    expect(hasBoth(replayed) && gap.resyncs.length > 0).toBe(true);
    // The frame's event name is the event's `type` (`job` when absent), or `resync`.
    for (const event of [...replayed.events, ...gap.events]) contract.checkMessage('GET', '/api/v1/events', event, event.type ?? 'job');
    for (const resync of gap.resyncs) contract.checkMessage('GET', '/api/v1/events', resync, 'resync');

    const upgraded = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/api/v1/ws`);
      socket.once('upgrade', (response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => socket.close());
      socket.once('error', reject);
    });
    contract.check('GET', '/api/v1/ws', upgraded, '', undefined);
    const client = new WsClient(`${app.url.replace(/^http/, 'ws')}/api/v1/ws?last_event_id=0-0`);
    try {
      await client.opened;
      await client.until(hasBoth);
      client.send({ type: 'subscribe', filter: { kind: 'A' }, last_event_id: '1-0' });
      client.send({ type: 'subscribe', filter: { kind: 'fax' } });
      client.send({ type: 'unsubscribe' });
      await client.until(() => ['resync', 'subscribed', 'error', 'unsubscribed'].every((type) => client.messages.some((m) => m.type === type)));
      for (const message of client.messages) contract.checkMessage('GET', '/api/v1/ws', message);
    } finally {
      await client.close();
    }
  });

  it('of the dead letters', async () => {
    await expectStatus(get('/api/v1/dead-letters?kind=B&q=error:timeout'), 200);
    await expectStatus(get('/api/v1/dead-letters?q=status:FAILED'), 400);
    for (const action of ['requeue', 'discard']) {
      await expectStatus(call('POST', `/api/v1/dead-letters/${action}`, { query: '', dry_run: true }), 200);
      await expectStatus(call('POST', `/api/v1/dead-letters/${action}`, { ids: [UNKNOWN_UUID] }), 202);
      await expectStatus(call('POST', `/api/v1/dead-letters/${action}`, { query: 'kind:A' }), 400);
    }
  });

  it('of alert rules, their history and their stream', async () => {
    const stream = await fetch(`${app.url}/api/v1/alerts/stream`);
    contract.check('GET', '/api/v1/alerts/stream', stream.status, stream.headers.get('content-type') ?? '', undefined);
    const rule = await expectStatus(call('POST', '/api/v1/alerts', { name: 'contract', type: 'no_consumers', kind: 'callback', threshold: 0 }), 201);
    await expectStatus(call('POST', '/api/v1/alerts', { name: 'contract', type: 'failure_rate', threshold: 0.5 }), 400);
    const id = rule.id as string;
    await expectStatus(get('/api/v1/alerts'), 200);
    await expectStatus(get(`/api/v1/alerts/${UNKNOWN_UUID}`), 404);
    // The earlier tests stopped the callback worker: a callback job waits with no consumer.
    await expectStatus(get('/job/callback?duration_ms=0'), 200);
    await eventually(() => expectStatus(get(`/api/v1/alerts/${id}`), 200), (shown) => shown.state === 'firing', 20_000, 'the rule firing');
    const history = await expectStatus(get(`/api/v1/alerts/${id}/events`), 200);
    expect(history.items).toHaveLength(1);
    for await (const frame of sseFrames(stream.body!)) {
      contract.checkMessage('GET', '/api/v1/alerts/stream', JSON.parse(frame.data), frame.name);
      break;
    }
    await stream.body?.cancel().catch(() => undefined);
    await expectStatus(call('PATCH', `/api/v1/alerts/${id}`, { enabled: false }), 200);
    await expectStatus(call('PATCH', `/api/v1/alerts/${id}`, { threshold: -1 }), 400);
    await expectStatus(call('DELETE', `/api/v1/alerts/${id}`), 204);
    await expectStatus(call('DELETE', `/api/v1/alerts/${id}`), 404);
  });

  it('of the console itself', async () => {
    await expectStatus(get('/api/v1/settings'), 200);
    const health = await get('/api/v1/health');
    expect([200, 503]).toContain(health.status);
    await expectStatus(get('/api/v1/openapi.json'), 200);
    await eventually(() => expectStatus(get('/api/v1/audit?q=verb:alerts.delete&limit=1'), 200), (page) => (page.items as unknown[]).length === 1, 5_000, 'the audit row');
    await expectStatus(get('/api/v1/audit?q=result:maybe'), 400);
  });

  it('of access and API tokens', async () => {
    expect(await expectStatus(get('/api/v1/access'), 200)).toEqual({ required: false, actor: { name: 'local', role: 'write' } });
    const name = `contract-${Date.now()}`;
    const created = await expectStatus(call('POST', '/api/v1/tokens', { name, role: 'read' }), 201);
    expect(created.token).toMatch(/^jdk_/);
    await expectStatus(call('POST', '/api/v1/tokens', { name, role: 'read' }), 409);
    await expectStatus(call('POST', '/api/v1/tokens', { name: 'Not A Name', role: 'read' }), 400);
    await expectStatus(get('/api/v1/tokens'), 200);
    await expectStatus(call('DELETE', `/api/v1/tokens/${name}`), 204);
    await expectStatus(call('DELETE', `/api/v1/tokens/${name}`), 404);
  });

  it('of connection profiles', async () => {
    const list = await expectStatus(get('/api/v1/connections'), 200);
    expect((list.active as { id: string }).id).toBe('environment');
    expect(await expectStatus(get('/api/v1/mode'), 200)).toMatchObject({ id: 'environment', read_only: false, reason: null });
    // A copy of the environment's profile: the same services and namespace, so activating it restarts in place onto the same data.
    const copy = await expectStatus(call('POST', '/api/v1/connections/environment/duplicate'), 201);
    const id = copy.id as string;
    await expectStatus(get(`/api/v1/connections/${id}`), 200);
    await expectStatus(get('/api/v1/connections/nosuch'), 404);
    await expectStatus(call('PATCH', `/api/v1/connections/${id}`, { color: '#2563eb' }), 200);
    await expectStatus(call('PATCH', `/api/v1/connections/${id}`, { color: 'blue' }), 400);
    await expectStatus(call('POST', `/api/v1/connections/${id}/test`), 200);
    await expectStatus(call('POST', `/api/v1/connections/${id}/activate`), 200);
    await expectStatus(call('POST', `/api/v1/connections/${id}/unlock`), 200);
    await expectStatus(call('DELETE', `/api/v1/connections/${id}`), 409);
    await expectStatus(call('POST', '/api/v1/connections/environment/activate'), 200);
    const exported = await expectStatus(call('POST', '/api/v1/connections/export', { ids: [id], secrets: true, passphrase: 'contract passphrase' }), 200);
    const imported = await expectStatus(call('POST', '/api/v1/connections/import', { document: exported, passphrase: 'contract passphrase' }), 201);
    await expectStatus(call('POST', '/api/v1/connections/import', { document: exported, passphrase: 'another passphrase' }), 400);
    for (const profile of [copy, ...(imported.items as { id: string }[])]) await expectStatus(call('DELETE', `/api/v1/connections/${profile.id as string}`), 204);
    const made = await expectStatus(call('POST', '/api/v1/connections', { name: 'Contract', amqp_url: 'amqp://127.0.0.1:1', redis_url: 'redis://127.0.0.1:1', database_url: 'postgres://127.0.0.1:1/x' }), 201);
    await expectStatus(call('DELETE', `/api/v1/connections/${made.id as string}`), 204);
  }, 60_000);

  it('for every operation the document lists', () => {
    const unanswered = contract.operations().filter((operation) => {
      const statuses = [...(contract.answered.get(operation) ?? [])];
      return !statuses.some((status) => status < 300);
    });
    expect(unanswered).toEqual([]);
  });
});
