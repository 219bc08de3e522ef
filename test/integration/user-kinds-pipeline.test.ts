import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkersReport } from '../../src-shared/console-records';
import type { StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobLogLine } from '../../src-shared/job-log';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { readSse } from '../support/event-clients';
import { TEST_SERVICES } from '../support/namespace';
import { BUILT_WORKER_ENTRY, StandaloneWorker } from '../support/standalone-worker';
import { WebhookReceiver, type Answer, type Received } from '../support/webhook-receiver';

/**
 * Each handler type of a user kind through the real pipeline: a console started with a kinds
 * file spawns the kinds' workers (from source), jobs are submitted over the API and watched until
 * they end. The command runs in the kinds file's folder (no `cwd` named); the http kind POSTs to
 * a real local server, whose answer is picked by the payload's `mode`.
 */
const HANDLERS = fileURLToPath(new URL('../support/user-handlers/', import.meta.url));
const HOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const LOOSE_SCHEMA = { type: 'object', properties: { mode: { type: 'string' } }, required: ['mode'] };

/** The hook kind's endpoint: `busy-once` answers 500 to a job's first POST. */
const postsOf = new Map<string, number>();
function hookAnswer(request: Received): Answer {
  if (request.path !== '/hook') return 200;
  const job = JSON.parse(request.body) as { id: string; payload: { mode: string }; attempt: number };
  const posts = (postsOf.get(job.id) ?? 0) + 1;
  postsOf.set(job.id, posts);
  const { mode } = job.payload;
  if (mode === 'refuse') return 422;
  if (mode === 'busy' || (mode === 'busy-once' && posts === 1)) return 500;
  return { status: 200, body: JSON.stringify({ echoed: job.id, attempt: job.attempt }) };
}

let folder: string;
let receiver: WebhookReceiver;
let app: TestConsole;

beforeAll(async () => {
  receiver = await new WebhookReceiver(hookAnswer).start();
  folder = mkdtempSync(join(tmpdir(), 'jobdeck-user-kinds-'));
  for (const file of ['command.py', 'job-module.mjs']) copyFileSync(join(HANDLERS, file), join(folder, file));
  const kind = (name: string, handler: unknown, timeoutMs: number) => ({ name, description: `${name} (test)`, payload_schema: LOOSE_SCHEMA, handler, max_attempts: 2, timeout_ms: timeoutMs, workers: 1 });
  const kinds = [
    kind('py', { command: ['python3', 'command.py'] }, 2_500),
    kind('js', { module: 'job-module.mjs' }, 1_500),
    kind('hook', { http: { url: `${receiver.url}/hook`, timeout_ms: 1_000, secret: HOOK_SECRET } }, 2_000),
    // Its workers run elsewhere: a worker started by hand.
    { ...kind('away', { command: ['python3', 'command.py'] }, 2_500), workers: 0 },
  ];
  writeFileSync(join(folder, 'kinds.json'), JSON.stringify({ kinds }));
  app = await startTestConsole({
    JOBDECK_KINDS: join(folder, 'kinds.json'),
    JOBDECK_WORKERS: 'A=1,B=0,C=0',
    JOBDECK_RETRY_BASE_MS: '100',
    JOBDECK_RETRY_MAX_MS: '200',
  });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  await receiver?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function submit(kind: string, payload: Record<string, unknown>): Promise<Job> {
  const answer = await fetch(`${app.url}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, payload }) });
  expect(answer.status).toBe(202);
  return (await answer.json()) as Job;
}
const jobOf = async (id: string) => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
const ENDED: Job['status'][] = ['DONE', 'FAILED', 'CANCELLED'];
const ended = (id: string, timeoutMs = 20_000) => eventually(() => jobOf(id), (job) => ENDED.includes(job.status), timeoutMs, `job ${id} to end`);

/** One job of the kind per mode, submitted together; each as it ended, in the modes' order. */
const endedInModes = <const M extends readonly string[]>(kind: string, modes: M) =>
  Promise.all(modes.map(async (mode) => ended((await submit(kind, { mode })).id))) as Promise<{ [K in keyof M]: Job }>;

async function logsOf(id: string): Promise<JobLogLine[]> {
  const text = await (await fetch(`${app.url}/api/v1/jobs/${id}/logs`)).text();
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as JobLogLine);
}

/** Submits a job and waits for its end: the job, and the progress of its events (replayed from the stream, over SSE). */
async function followed(kind: string, payload: Record<string, unknown>): Promise<{ job: Job; progress: number[] }> {
  const job = await ended((await submit(kind, payload)).id);
  const isEnd = (event: StreamEvent) => event.type !== 'batch' && ENDED.includes(event.job.status);
  const seen = await readSse(`${app.url}/api/v1/events?kind=${kind}&job_id=${job.id}&last_event_id=0-0`, (feed) => feed.events.some(isEnd));
  const progress = seen.events.flatMap((event) => (event.type !== 'batch' ? [event.job.progress] : []));
  return { job, progress };
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The pids the command wrote to `file` (itself, and its child when it started one). */
async function pidsIn(file: string): Promise<number[]> {
  const read = async () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined);
  return (await eventually(read, 15_000, `pid file ${file}`)).split(' ').map(Number);
}
const allGone = (pids: number[]) =>
  eventually(async () => pids.filter(pidAlive), (alive) => alive.length === 0, 5_000, 'the command and its child to be gone');
const pidFile = (name: string) => join(folder, `${name}-${Date.now()}.pid`);

describe('a command kind (python3)', () => {
  it('runs in the kinds file folder: progress in its events, its log lines at the route, DONE with its last result', async () => {
    const { job, progress } = await followed('py', { mode: 'ok', text: 'one two three' });
    expect(job).toMatchObject({ status: 'DONE', attempts: 1, result: { words: 3, attempt: 1, id: job.id } });
    expect(progress).toEqual(expect.arrayContaining([25, 75]));
    const lines = (await logsOf(job.id)).map((entry) => entry.line);
    expect(lines).toContain(`env ${job.id} `);
    expect(lines.some((line) => line.includes('not json at all'))).toBe(true);
  });

  it('retries an exit 75, then is DONE; fails after max_attempts when it keeps exiting 75', async () => {
    const once = await ended((await submit('py', { mode: 'retry-once' })).id);
    expect(once).toMatchObject({ status: 'DONE', attempts: 2, result: { attempt: 2 } });
    expect(once.attempt_errors).toEqual([expect.objectContaining({ attempt: 1, error: 'command exited with code 75 (try again later): the service is busy' })]);
    const always = await ended((await submit('py', { mode: 'retry' })).id);
    expect(always).toMatchObject({ status: 'FAILED', attempts: 2 });
  });

  it('fails at once, without a retry, when it printed {"permanent": true}', async () => {
    const job = await ended((await submit('py', { mode: 'permanent' })).id);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1, error: expect.stringContaining('command exited with code 2: payload refused') });
  });

  it('ends an attempt past timeout_ms with a readable error, its process group killed', async () => {
    const file = pidFile('timeout');
    const job = await ended((await submit('py', { mode: 'hang', pid_file: file })).id, 30_000);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(job.attempt_errors![0]!.error).toMatch(/^command timed out after 2500 ms, then ended by SIGTERM/);
    await allGone(await pidsIn(file));
  }, 40_000);

  it('is CANCELLED while it runs, its process group gone (the command and its child)', async () => {
    const file = pidFile('cancel');
    const job = await submit('py', { mode: 'hang', pid_file: file });
    const pids = await pidsIn(file);
    const answer = await fetch(`${app.url}/api/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    expect([200, 202]).toContain(answer.status);
    const cancelled = await ended(job.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', attempts: 1 });
    await allGone(pids);
    expect((await logsOf(job.id)).map((entry) => entry.line)).toContainEqual(expect.stringMatching(/^ended by SIGTERM after \d+ ms$/));
  });

  it('does not outlive its worker killed with SIGKILL; the job is run again by the restarted worker', async () => {
    const file = pidFile('sigkill');
    const job = await submit('py', { mode: 'hang-first', pid_file: file });
    const pids = await pidsIn(file);
    const report = (await (await fetch(`${app.url}/api/v1/workers`)).json()) as WorkersReport;
    const worker = report.workers.find((w) => w.runs === 'this-console' && w.kinds.includes('py') && w.pid !== null)!;
    process.kill(worker.pid!, 'SIGKILL');
    await allGone(pids);
    const done = await ended(job.id, 30_000);
    expect(done).toMatchObject({ status: 'DONE', attempts: 2, result: { attempt: 2 } });
    expect((await logsOf(job.id)).map((entry) => entry.line)).toContain('attempt 2 runs to its end');
  }, 40_000);

  it('is stopped with its worker (scaled to 0), and run again once a worker is back', async () => {
    const scale = async (count: number) => {
      const answer = await fetch(`${app.url}/api/v1/workers/py`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }) });
      expect(answer.status).toBe(202);
    };
    const file = pidFile('stop');
    const job = await submit('py', { mode: 'hang-first', pid_file: file });
    const pids = await pidsIn(file);
    await scale(0);
    try {
      await allGone(pids);
      expect((await logsOf(job.id)).map((entry) => entry.line)).toContainEqual(expect.stringMatching(/^ended by SIGTERM after \d+ ms$/));
    } finally {
      await scale(1);
    }
    expect(await ended(job.id, 30_000)).toMatchObject({ status: 'DONE', result: { attempt: 2 } });
  }, 40_000);
});

describe('a module kind', () => {
  it('reports progress and logs, and is DONE with what it answered', async () => {
    const { job, progress } = await followed('js', { mode: 'ok', text: 'a b' });
    expect(job).toMatchObject({ status: 'DONE', result: { words: 2, attempt: 1, kind: 'js' } });
    expect(progress).toContain(50);
    expect((await logsOf(job.id)).map((entry) => entry.line)).toContain(`counting for job ${job.id}, attempt 1`);
  });

  it('retries a throw, then is DONE; fails at once on ctx.permanent; a hang is a timed-out attempt', async () => {
    const [retried, permanent, hung] = await endedInModes('js', ['throw-first', 'permanent', 'hang']);
    expect(retried).toMatchObject({ status: 'DONE', attempts: 2, result: { attempt: 2 } });
    expect(retried.attempt_errors).toEqual([expect.objectContaining({ attempt: 1, error: 'the service is busy' })]);
    expect(permanent).toMatchObject({ status: 'FAILED', attempts: 1, error: 'text must not be empty' });
    expect(hung).toMatchObject({ status: 'FAILED', attempts: 2, error: 'timed out after 1500 ms' });
  });
});

describe('an http kind', () => {
  it('POSTs the job signed to a real server: a 2xx JSON answer is the result, a 500 is retried, a 422 fails at once', async () => {
    const [ok, busyOnce, busy, refused] = await endedInModes('hook', ['ok', 'busy-once', 'busy', 'refuse']);
    expect(ok).toMatchObject({ status: 'DONE', attempts: 1, result: { echoed: ok.id, attempt: 1 } });
    expect(busyOnce).toMatchObject({ status: 'DONE', attempts: 2, result: { echoed: busyOnce.id, attempt: 2 } });
    expect(busy).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(postsOf.get(refused.id)).toBe(1);
    const post = receiver.received.find((request) => request.path === '/hook' && request.body.includes(ok.id))!;
    expect(new Webhook(HOOK_SECRET).verify(post.body, post.headers as Record<string, string>)).toEqual({ id: ok.id, kind: 'hook', payload: { mode: 'ok' }, attempt: 1 });
    expect((await logsOf(ok.id)).length).toBeGreaterThan(0);
  });
});

describe('a batch mixing user kinds and a built-in one', () => {
  it('fans in once every child is DONE, with one callback naming each result', async () => {
    const jobs = [
      { kind: 'py', payload: { mode: 'ok', text: 'x' } },
      { kind: 'js', payload: { mode: 'ok', text: 'y' } },
      { kind: 'hook', payload: { mode: 'ok' } },
      { kind: 'A', payload: { client_time: 1569177495 } },
    ];
    const body = JSON.stringify({ jobs, on_complete: { callback_url: `${receiver.url}/fan-in` } });
    const answer = await fetch(`${app.url}/api/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(202);
    const { id, job_ids: ids } = (await answer.json()) as { id: string; job_ids: string[] };
    const batch = await eventually(
      async () => (await (await fetch(`${app.url}/api/v1/batches/${id}`)).json()) as { status: string; counts: Record<string, number> },
      (seen) => seen.status === 'COMPLETED',
      20_000,
      'the batch to complete',
    );
    expect(batch.counts).toEqual({ DONE: 4 });
    expect((await Promise.all(ids.map(jobOf))).map((job) => job.kind)).toEqual(['py', 'js', 'hook', 'log']);
    const callbacks = await eventually(() => receiver.received.filter((r) => r.path === '/fan-in'), (found) => found.length > 0, 10_000, 'the fan-in callback');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.filter((r) => r.path === '/fan-in')).toHaveLength(1);
    expect(callbacks[0]!.body).toContain(ids[0]);
  });
});

describe('a worker of the user kind started by hand (the built out/main/worker.js)', () => {
  it('runs the kind named by --kind, with the kinds file of JOBDECK_KINDS', async () => {
    expect(existsSync(BUILT_WORKER_ENTRY.modulePath), 'out/main/worker.js: run `npm run build` first').toBe(true);
    const job = await submit('away', { mode: 'ok', text: 'far away' });
    const env = {
      AMQP_URL: TEST_SERVICES.amqpUrl,
      REDIS_URL: TEST_SERVICES.redisUrl,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: app.namespace,
      JOBDECK_KINDS: join(folder, 'kinds.json'),
    };
    const worker = new StandaloneWorker('away', env, BUILT_WORKER_ENTRY);
    try {
      await worker.line(new RegExp(`consuming ${app.namespace}\\.jobs\\.away`));
      const done = await ended(job.id);
      expect(done, done.error ?? '').toMatchObject({ status: 'DONE', result: { words: 2, id: job.id } });
      expect(done.transitions.find((t) => t.status === 'STARTED')?.worker).toMatch(new RegExp(`/${worker.pid}$`));
      const listed = await eventually(
        async () => ((await (await fetch(`${app.url}/api/v1/workers`)).json()) as WorkersReport).workers.find((w) => w.pid === worker.pid),
        15_000,
        'the hand-started worker in the workers report',
      );
      expect(listed).toMatchObject({ runs: 'standalone', kinds: ['away'] });
    } finally {
      expect(await worker.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
