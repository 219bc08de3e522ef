import { describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../../src-shared/events';
import type { ConnectionState } from '../../../src-renderer/store/connection-state';
import { createBridge } from '../../../src-renderer/bridge';
import { createHttpBridge, ProblemError, RequestTimeoutError } from '../../../src-renderer/bridge/http-bridge';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { eventOf, FakeEventSource, makeJob, manualSchedule } from './fixtures';

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

type Answer = (url: string, init?: RequestInit) => Response | Promise<Response>;

function setup(answer: Answer = () => json(200, {}), requestTimeoutMs?: number) {
  const sources: FakeEventSource[] = [];
  const schedule = manualSchedule();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => answer(String(input), init));
  const bridge = createHttpBridge({
    baseUrl: 'http://console.test',
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    fetch: fetch as unknown as typeof globalThis.fetch,
    openEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    schedule,
  });
  return { bridge, fetch, sources, schedule };
}

describe('http bridge: requests', () => {
  it('POSTs {kind, payload} and returns the accepted job', async () => {
    const job = makeJob();
    const { bridge, fetch } = setup(() => json(202, job));

    const answer = await bridge.submitJob({ kind: 'log', payload: { client_time: 1700000000 } });

    expect(answer).toEqual({ ok: true, job });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://console.test/api/v1/jobs');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ kind: 'log', payload: { client_time: 1700000000 } });
  });

  it('returns the problem document of a refused job', async () => {
    const problem = {
      type: 'https://jobdeck.dev/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'One field is invalid.',
      errors: [{ field: 'payload.duration_ms', rule: 'max', message: 'payload.duration_ms must be at most 900000' }],
    };
    const { bridge } = setup(() => json(400, problem, 'application/problem+json'));

    expect(await bridge.submitJob({ kind: 'callback', payload: { duration_ms: 1e9 } })).toEqual({ ok: false, problem });
  });

  it('describes an error answer that is not a problem document', async () => {
    const { bridge } = setup(() => new Response('upstream down', { status: 502, statusText: 'Bad Gateway' }));

    const answer = await bridge.submitJob({ kind: 'email', payload: {} });

    expect(answer).toEqual({
      ok: false,
      problem: { type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'upstream down' },
    });
  });

  it('gets a job by ID, null when unknown, and throws on other errors', async () => {
    const job = makeJob();
    const { bridge, fetch } = setup((url) =>
      url.endsWith(job.id) ? json(200, job) : url.includes('broken') ? json(500, { title: 'Internal', status: 500 }) : json(404, { title: 'Not Found', status: 404 }),
    );

    expect(await bridge.getJob(job.id)).toEqual(job);
    expect(await bridge.getJob('a/b')).toBeNull();
    expect(fetch.mock.calls[1]![0]).toBe('http://console.test/api/v1/jobs/a%2Fb');
    await expect(bridge.getJob('broken')).rejects.toBeInstanceOf(ProblemError);
  });

  it('lists jobs with only the filters given', async () => {
    const page = { items: [makeJob()], next_cursor: 'abc' };
    const { bridge, fetch } = setup(() => json(200, page));

    expect(await bridge.listJobs({ limit: 50 })).toEqual(page);
    await bridge.listJobs({ status: 'IN PROGRESS', kind: 'email', limit: 10, cursor: 'c 1' });
    await bridge.listJobs({});
    await bridge.listJobs({ q: 'status:"IN PROGRESS" a&b' });

    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://console.test/api/v1/jobs?limit=50',
      'http://console.test/api/v1/jobs?status=IN+PROGRESS&kind=email&limit=10&cursor=c+1',
      'http://console.test/api/v1/jobs',
      'http://console.test/api/v1/jobs?q=status%3A%22IN+PROGRESS%22+a%26b',
    ]);
  });
});

/** A server that never answers: the request ends only when its signal aborts it. */
const hang: Answer = (_url, init) =>
  new Promise<Response>((_, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason));
  });

describe('http bridge: timeouts', () => {
  it('gives every request a timeout signal', async () => {
    const { bridge, fetch } = setup(() => json(200, { items: [], next_cursor: null }));

    await bridge.listJobs({});
    await bridge.getJob('x');
    await bridge.submitJob({ kind: 'log', payload: {} });

    expect(fetch).toHaveBeenCalledTimes(3);
    for (const [, init] of fetch.mock.calls) expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('gives up a submission the server never answers, saying the job may have been accepted', async () => {
    const { bridge } = setup(hang, 20);

    const error = await bridge.submitJob({ kind: 'log', payload: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toBe(
      'No answer to POST /api/v1/jobs within 0.02 s. The job may still have been accepted: look for it in the jobs table.',
    );
  });

  it('gives up a list request the server never answers', async () => {
    const { bridge } = setup(hang, 20);

    await expect(bridge.listJobs({ limit: 5 })).rejects.toThrow('No answer to GET /api/v1/jobs?limit=5 within 0.02 s.');
  });

  it('frees the form when a submission times out', async () => {
    const { bridge } = setup(hang, 20);
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });

    const accepted = await store.getState().submitJob('email', {});

    expect(accepted).toBe(false);
    expect(store.getState().submit.email).toMatchObject({ submitting: false, problem: { title: 'Jobdeck did not answer' } });
  });
});

describe('http bridge: events', () => {
  it('shares one EventSource between listeners and closes it with the last', () => {
    const { bridge, sources } = setup();
    const first: JobEvent[] = [];
    const second: JobEvent[] = [];

    const stopFirst = bridge.onJobEvent((event) => first.push(event));
    const stopSecond = bridge.onJobEvent((event) => second.push(event));
    const event = eventOf(makeJob(), 1);
    sources[0]!.send(JSON.stringify(event));
    stopFirst();
    sources[0]!.send(JSON.stringify(eventOf(event.job, 2)));

    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('http://console.test/api/v1/events');
    expect(first).toEqual([event]);
    expect(second.map((received) => received.version)).toEqual([1, 2]);
    expect(sources[0]!.closed).toBe(false);
    stopSecond();
    expect(sources[0]!.closed).toBe(true);
  });

  it('skips messages that are not job events, and passes on the good ones among them', () => {
    const { bridge, sources } = setup();
    const received: JobEvent[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    bridge.onJobEvent((event) => received.push(event));
    const good = eventOf(makeJob({ createdSecond: 1 }));
    const malformed: unknown[] = [
      { job_id: 'x', version: 1 },
      { ...good, job_id: 7 },
      { ...good, version: '2' },
      { ...good, job: { ...good.job, id: 7 } },
      { ...good, job: { ...good.job, status: 'LOST' } },
      { ...good, job: { ...good.job, transitions: {} } },
      { ...good, job: { ...good.job, kind: 'Fax machine!' /* not a kind name: user kinds are lowercase letters, digits and - */ } },
      { ...good, job: null },
    ];

    sources[0]!.send('not json');
    for (const message of malformed) sources[0]!.send(JSON.stringify(message));
    sources[0]!.send(JSON.stringify(good));

    expect(received).toEqual([good]);
    expect(warn).toHaveBeenCalledTimes(1 + malformed.length);
    warn.mockRestore();
  });

  it('asks for what it missed, after the last event seen, when it has to open a new EventSource', () => {
    const { bridge, sources, schedule } = setup();
    bridge.onJobEvent(() => undefined);
    sources[0]!.open();
    sources[0]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 1 })), id: '1700000000000-0' }), '1700000000000-0');
    sources[0]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 2 })), id: '1700000000123-4' }));

    sources[0]!.fail(2);
    schedule.advance(1_000);

    expect(sources).toHaveLength(2);
    expect(sources[1]!.url).toBe('http://console.test/api/v1/events?last_event_id=1700000000123-4');
  });

  it('keeps the newest event ID, and none the server would refuse', () => {
    const { bridge, sources, schedule } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    bridge.onJobEvent(() => undefined);
    sources[0]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 1 })), id: '20-0' }));
    sources[0]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 2 })), id: '9-9' }));
    sources[0]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 3 })), id: 'bogus' }));
    // Refused data, but its frame ID counts: that event needs no replay.
    sources[0]!.send('not json', '21-0');

    sources[0]!.fail(2);
    schedule.advance(1_000);

    expect(sources[1]!.url).toBe('http://console.test/api/v1/events?last_event_id=21-0');
    warn.mockRestore();
  });

  it('opens without last_event_id before any event, and afresh once every listener left', () => {
    const { bridge, sources, schedule } = setup();
    const stop = bridge.onJobEvent(() => undefined);
    sources[0]!.fail(2);
    schedule.advance(1_000);
    sources[1]!.send(JSON.stringify({ ...eventOf(makeJob({ createdSecond: 1 })), id: '5-0' }));
    stop();
    bridge.onJobEvent(() => undefined);

    expect(sources.map((source) => source.url)).toEqual([
      'http://console.test/api/v1/events',
      'http://console.test/api/v1/events',
      'http://console.test/api/v1/events',
    ]);
  });

  it('reports live and reconnecting, and reopens with a growing delay when the browser gives up', () => {
    const { bridge, sources, schedule } = setup();
    const states: ConnectionState[] = [];
    bridge.onConnectionChange((state) => states.push(state));
    bridge.onJobEvent(() => undefined);

    sources[0]!.open();
    sources[0]!.fail(0);
    sources[0]!.open();
    sources[0]!.fail(2);
    expect(sources).toHaveLength(1);
    schedule.advance(1_000);
    expect(sources).toHaveLength(2);
    sources[1]!.fail(2);
    schedule.advance(1_999);
    expect(sources).toHaveLength(2);
    schedule.advance(1);
    sources[2]!.open();

    expect(sources[0]!.closed).toBe(true);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live', 'reconnecting', 'live']);
  });

  it('cancels a pending reopen when the last listener leaves', () => {
    const { bridge, sources, schedule } = setup();
    const stop = bridge.onJobEvent(() => undefined);
    sources[0]!.fail(2);

    stop();
    schedule.advance(60_000);

    expect(sources).toHaveLength(1);
    expect(schedule.pending()).toBe(0);
  });
});

describe('http bridge: operator verbs', () => {
  const problem409 = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the job is DONE' };

  it('cancels and retries with a POST on the job, answering the job or the problem', async () => {
    const job = makeJob({ status: 'CANCELLED' });
    const { bridge, fetch } = setup((url) => (url.endsWith('/cancel') ? json(200, job) : json(409, problem409, 'application/problem+json')));

    expect(await bridge.cancelJob('a b')).toEqual({ ok: true, job });
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/jobs/a%20b/cancel', expect.objectContaining({ method: 'POST' }));
    expect(await bridge.retryJob('x')).toEqual({ ok: false, problem: problem409 });
  });

  it("reads a running job's cancel still stopping (202) as requested, with the job as it is", async () => {
    const job = makeJob({ status: 'IN PROGRESS' });
    const { bridge } = setup(() => json(202, { job, cancel: 'requested' }));
    expect(await bridge.cancelJob('x')).toEqual({ ok: true, job, cancel: 'requested' });
  });

  it("reads a job's log as JSON lines, and null for an unknown job", async () => {
    const lines = [
      { at: '2026-01-01T00:00:00.000Z', attempt: 1, line: 'first' },
      { at: '2026-01-01T00:00:01.000Z', attempt: 2, line: 'second' },
    ];
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const { bridge, fetch } = setup((url) =>
      url.includes('/known/') ? new Response(text, { headers: { 'content-type': 'application/x-ndjson' } }) : json(404, problem409, 'application/problem+json'),
    );
    expect(await bridge.getJobLogs('known')).toEqual(lines);
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/jobs/known/logs', expect.anything());
    expect(await bridge.getJobLogs('gone')).toBeNull();
  });

  it('scales with a PUT of {count} and reads a 400 naming the field', async () => {
    const refusal = {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'the request is not valid',
      errors: [{ field: 'count', rule: 'max', message: 'count must be at most 16' }],
    };
    const { bridge, fetch } = setup(() => json(400, refusal, 'application/problem+json'));

    expect(await bridge.scaleWorkers('email', 17)).toEqual({ ok: false, problem: refusal });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://console.test/api/v1/workers/email');
    expect(init).toMatchObject({ method: 'PUT', body: '{"count":17}' });
  });

  it('reads the health report from a 503 too: which dependency is down is the point', async () => {
    const report = { ok: false, dependencies: { redis: { up: false, error: 'ECONNREFUSED' } }, workers: {} };
    const { bridge } = setup(() => json(503, report));
    expect(await bridge.getHealth()).toEqual(report);
  });

  it('purges a queue with a POST and lists mail and webhooks with their page query', async () => {
    const { bridge, fetch } = setup((url) => (url.includes('/purge') ? json(200, { kind: 'log', purged: 2, cancelled: 2 }) : json(200, { items: [], next_cursor: null })));
    expect(await bridge.purgeQueue('log')).toEqual({ ok: true, result: { kind: 'log', purged: 2, cancelled: 2 } });
    await bridge.listMail({ limit: 10, cursor: '5' });
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/mailbox?limit=10&cursor=5', expect.anything());
    await bridge.listWebhooks({});
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/inbox', expect.anything());
  });

  it("sends a production verb's confirm: in a purge's body, in a delete's query; reads the mode", async () => {
    const mode = { id: 'prod-eu', name: 'prod-eu', environment: 'production', color: null, read_only: false, reason: null };
    const { bridge, fetch } = setup((url, init) => (init?.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, url.endsWith('/mode') ? mode : { kind: 'log', purged: 0, cancelled: 0 })));
    await bridge.purgeQueue('log', 'log');
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/queues/log/purge', expect.objectContaining({ body: '{"confirm":"log"}' }));
    await bridge.deleteSubscription('s1', 'https://hooks.example/x');
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/subscriptions/s1?confirm=https%3A%2F%2Fhooks.example%2Fx', expect.anything());
    await bridge.deleteSchedule('d1');
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/schedules/d1', expect.anything());
    expect(await bridge.getMode()).toEqual(mode);
  });

  it('reads one message or inbox request whole by ID, null when the API answers 404', async () => {
    const mail = { id: '7', subject: 'Hello', text_body: 'Hi', html_body: null, headers: {} };
    const missing = { type: 'urn:jobdeck:problem:unknown-inbox-item', title: 'Not Found', status: 404, detail: 'no request 8' };
    const { bridge, fetch } = setup((url) => (url.includes('/mailbox/') ? json(200, mail) : json(404, missing)));
    expect(await bridge.getMail('7')).toEqual(mail);
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/mailbox/7', expect.anything());
    expect(await bridge.getWebhook('8')).toBeNull();
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/inbox/items/8', expect.anything());
  });

  it('rejects with the problem when an item ID is refused', async () => {
    const refusal = { type: 'urn:jobdeck:problem:validation', title: 'Bad Request', status: 400, detail: 'the request is not valid', errors: [{ field: 'id', rule: 'format', message: 'id must be an ID this API gave out' }] };
    const { bridge } = setup(() => json(400, refusal));
    await expect(bridge.getWebhook('x')).rejects.toMatchObject({ problem: { status: 400, errors: [{ field: 'id' }] } });
  });
});

describe('http bridge: batches and subscriptions', () => {
  const missing = (what: string) => ({ type: `urn:jobdeck:problem:unknown-${what}`, title: 'Not Found', status: 404, detail: `no ${what} with id x` });

  it('reads a batch, null when the API answers 404, and answers a refused batch with its problem', async () => {
    const refusal = { type: 'about:blank', title: 'Bad Request', status: 400, detail: '', errors: [{ field: 'jobs.1.payload.x', rule: 'unknown', message: 'x' }] };
    const { bridge, fetch } = setup((url, init) => (init?.method === 'POST' ? json(400, refusal) : json(404, missing('batch'))));
    expect(await bridge.getBatch('not-a-uuid')).toBeNull();
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/batches/not-a-uuid', expect.anything());
    const jobs = [{ kind: 'log' as const, payload: { client_time: 1 } }];
    expect(await bridge.createBatch({ jobs })).toEqual({ ok: false, problem: refusal });
    expect(fetch.mock.lastCall?.[1]).toMatchObject({ method: 'POST', body: JSON.stringify({ jobs }) });
  });

  it('deletes and redelivers with the subscription in the path, answering a 404 as a problem', async () => {
    const delivery = { id: 'd1', state: 'pending', attempts: [] };
    const { bridge, fetch } = setup((url, init) => {
      if (init?.method === 'DELETE') return url.endsWith('/s1') ? new Response(null, { status: 204 }) : json(404, missing('subscription'));
      return json(202, delivery);
    });
    expect(await bridge.deleteSubscription('s1')).toEqual({ ok: true });
    expect(await bridge.deleteSubscription('s2')).toEqual({ ok: false, problem: missing('subscription') });
    expect(await bridge.redeliver('s1', 'd1')).toEqual({ ok: true, delivery });
    expect(fetch).toHaveBeenLastCalledWith('http://console.test/api/v1/subscriptions/s1/deliveries/d1/redeliver', expect.objectContaining({ method: 'POST' }));
  });

  it("rejects with the problem when a subscription's deliveries are asked of one that does not exist", async () => {
    const { bridge } = setup(() => json(404, missing('subscription')));
    await expect(bridge.listDeliveries('x', { limit: 10 })).rejects.toMatchObject({ problem: { status: 404 } });
  });
});

describe('createBridge', () => {
  it('talks HTTP to the origin that served the page, in the window as in a browser', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{"items":[],"next_cursor":null}'));
    try {
      await createBridge().listJobs({ limit: 1 });
      expect(fetch).toHaveBeenCalledWith('/api/v1/jobs?limit=1', expect.anything());
    } finally {
      fetch.mockRestore();
    }
  });
});

describe('http bridge: kinds', () => {
  it('lists the kinds with a GET, and dry-runs a job with a POST of {kind, payload}', async () => {
    const kinds = { kinds: [{ name: 'resize', type: null, description: 'Resizes', payload_schema: {}, handler: 'command', max_attempts: null, timeout_ms: null, workers: null, prefetch: null }] };
    const problem = { type: 'about:blank', title: 'Invalid request', status: 400, detail: '', errors: [{ field: 'payload.width', rule: 'type', message: 'payload.width must be integer' }] };
    const { bridge, fetch } = setup((url, init) => {
      if (url.endsWith('/api/v1/kinds')) return json(200, kinds);
      const body = JSON.parse(String(init?.body)) as { payload: { width: unknown } };
      return typeof body.payload.width === 'number' ? json(200, { valid: true, kind: 'resize', payload: { width: 3 } }) : json(400, problem);
    });

    expect(await bridge.listKinds()).toEqual(kinds);
    expect(await bridge.validateJob({ kind: 'resize', payload: { width: 3 } })).toEqual({ ok: true, valid: { valid: true, kind: 'resize', payload: { width: 3 } } });
    expect(await bridge.validateJob({ kind: 'resize', payload: { width: 'x' } })).toEqual({ ok: false, problem });
    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('http://console.test/api/v1/jobs/validate');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ kind: 'resize', payload: { width: 3 } });
  });
});

describe('http bridge: a bulk operation followed', () => {
  const running = { id: 'op-1', status: 'running', changed: 10 };

  it('reads the operation stream of its own origin, and closes it after a terminal state', () => {
    const { bridge, sources } = setup();
    const states: unknown[] = [];
    const onError = vi.fn();
    bridge.followOperation('op-1', (operation) => states.push(operation), onError);
    expect(sources[0]!.url).toBe('http://console.test/api/v1/operations/op-1/events');
    sources[0]!.emit('operation', running);
    expect(sources[0]!.closed).toBe(false);
    sources[0]!.emit('operation', { ...running, status: 'done' });
    expect(sources[0]!.closed).toBe(true);
    sources[0]!.fail(2);
    expect(states).toEqual([running, { ...running, status: 'done' }]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('gives up the stream on its first error, saying so once; the unfollow closes it', () => {
    const { bridge, sources } = setup();
    const onError = vi.fn();
    bridge.followOperation('op-1', () => undefined, onError);
    sources[0]!.fail(0);
    sources[0]!.fail(0);
    expect(sources[0]!.closed).toBe(true);
    expect(onError).toHaveBeenCalledTimes(1);
    const unfollow = bridge.followOperation('op-2', () => undefined, onError);
    unfollow();
    expect(sources[1]!.closed).toBe(true);
  });
});
