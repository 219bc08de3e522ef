import { describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../../src-shared/events';
import type { ConnectionState } from '../../../src-renderer/bridge/console-bridge';
import type { EventSourceLike } from '../../../src-renderer/bridge/event-feed';
import { createHttpBridge, ProblemError } from '../../../src-renderer/bridge/http-bridge';
import { eventOf, makeJob, manualSchedule } from './fixtures';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly jobListeners: ((event: MessageEvent<string>) => void)[] = [];

  constructor(readonly url: string) {}

  addEventListener(_type: 'job', listener: (event: MessageEvent<string>) => void): void {
    this.jobListeners.push(listener);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
  send(data: string): void {
    for (const listener of this.jobListeners) listener({ data } as MessageEvent<string>);
  }
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

function setup(answer: (url: string, init?: RequestInit) => Response = () => json(200, {})) {
  const sources: FakeEventSource[] = [];
  const schedule = manualSchedule();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => answer(String(input), init));
  const bridge = createHttpBridge({
    baseUrl: 'http://console.test',
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

    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://console.test/api/v1/jobs?limit=50',
      'http://console.test/api/v1/jobs?status=IN+PROGRESS&kind=email&limit=10&cursor=c+1',
      'http://console.test/api/v1/jobs',
    ]);
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

  it('skips messages that are not job events', () => {
    const { bridge, sources } = setup();
    const received: JobEvent[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    bridge.onJobEvent((event) => received.push(event));

    sources[0]!.send('not json');
    sources[0]!.send(JSON.stringify({ job_id: 'x', version: 1 }));

    expect(received).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
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
