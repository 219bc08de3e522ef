/**
 * Stage 5: Jobdeck, started as a user starts it — accept under load, end to end over HTTP,
 * latency at a steady rate, and the memory of its processes.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Job } from '../../../src-shared/job';
import { namesFor } from '../../../src-shared/topology';
import { queuedOrUnacked } from '../../support/broker';
import { TEST_SERVICES, testDatabaseConfig } from '../../support/namespace';
import { recordCount } from '../baseline-services';
import type { HeadlessConsole } from '../headless-console';
import { ACCEPT_BODY, loadAccept, submitJobs, type AcceptFigure } from '../http-load';
import { subscribeEvents } from '../sse-client';
import { delay, round, summarise, until, type LatencySummary } from '../stats';
import { throughput, type ThroughputFigure } from './broker-pipeline';

const SUBMIT_CONNECTIONS = 50;
const DONE_TIMEOUT_MS = 600_000;

export { loadAccept as jobdeckAccept };
export type { AcceptFigure };

async function submitLog(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: ACCEPT_BODY,
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 202 || !body.id) throw new Error(`bench: submit answered ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** Rows of the console's log_records table (its schema is its namespace). */
async function withDatabase<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ ...testDatabaseConfig(), max: 1 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/**
 * `count` kind A jobs over HTTP (autocannon, 50 connections); the clock stops when every one is
 * DONE (counted on an event stream: the queue was drained before, so every kind A DONE is one
 * of these) and its row is in PostgreSQL.
 */
export async function jobdeckEndToEnd(app: HeadlessConsole, count: number): Promise<ThroughputFigure & { submit_seconds: number }> {
  return withDatabase(async (pool) => {
    const rowsBefore = await recordCount(pool, app.namespace);
    const done = new Set<string>();
    const events = await subscribeEvents(app.url, 'kind=log&status=DONE', (event) => done.add(event.job_id));
    try {
      const started = performance.now();
      const accepted = await submitJobs(app.url, count, SUBMIT_CONNECTIONS);
      if (accepted !== count) throw new Error(`bench: ${count - accepted} of ${count} jobs were not accepted`);
      const submitted = performance.now();
      await until(async () => done.size >= count, DONE_TIMEOUT_MS, `${count} jobs DONE`, 50);
      await until(async () => (await recordCount(pool, app.namespace)) - rowsBefore >= count, DONE_TIMEOUT_MS, `${count} rows`);
      return { ...throughput(count, performance.now() - started), submit_seconds: round((submitted - started) / 1000) };
    } finally {
      events.close();
    }
  });
}

/**
 * Waits until the console has no backlog: its kind A queue is empty (nothing ready, nothing
 * unacked) and its history recorder has read and recorded every event (the consumer group's lag
 * and pending count are 0), so a stage measures the steady state, not an earlier stage's tail.
 */
export async function jobdeckDrained(app: HeadlessConsole): Promise<void> {
  const names = namesFor(app.namespace);
  await until(async () => (await queuedOrUnacked(names.queue('log'))) === 0, DONE_TIMEOUT_MS, `${names.queue('log')} to drain`, 500);
  const redis = new Redis(TEST_SERVICES.redisUrl);
  try {
    await until(async () => historyBacklog(await redis.xinfo('GROUPS', names.eventStream)) === 0, DONE_TIMEOUT_MS, 'the history to catch up', 250);
  } finally {
    redis.disconnect();
  }
}

/** Events the history consumer group has not yet recorded, from `XINFO GROUPS` (Redis 7: `lag` and `pending`). */
function historyBacklog(reply: unknown): number {
  for (const group of reply as unknown[][]) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < group.length; i += 2) fields.set(String(group[i]), group[i + 1]);
    if (fields.get('name') === 'history') return Number(fields.get('lag') ?? 0) + Number(fields.get('pending') ?? 0);
  }
  return Number.POSITIVE_INFINITY;
}

export interface SteadyFigure {
  rate_per_s: number;
  seconds: number;
  submit_to_done: LatencySummary;
  submit_to_sse: LatencySummary;
  /** Where the time goes: the HTTP answer, QUEUED → STARTED (broker and worker pickup), STARTED → DONE (the work). */
  breakdown: { submit_to_answer: LatencySummary; queued_to_started: LatencySummary; started_to_done: LatencySummary };
}

const transitionAt = (job: Job, status: string): number => Date.parse(job.transitions.findLast((t) => t.status === status)?.at ?? '');

/**
 * Submits kind A jobs at a steady rate; per job, submit → DONE is the DONE transition's time
 * (written by the worker) less the submit time, and submit → SSE is when this process's event
 * stream delivered the DONE event. One machine, one clock.
 */
export async function jobdeckSteady(app: HeadlessConsole, ratePerSecond: number, seconds: number): Promise<SteadyFigure> {
  const submittedAt = new Map<string, number>();
  const early = new Map<string, { job: Job; seenAt: number }>();
  const samples = { toDone: [] as number[], toSse: [] as number[], toAnswer: [] as number[], queued: [] as number[], working: [] as number[] };
  const settle = (job: Job, seenAt: number) => {
    const at = submittedAt.get(job.id);
    if (at === undefined) return void early.set(job.id, { job, seenAt });
    const [queued, started, done] = ['QUEUED', 'STARTED', 'DONE'].map((status) => transitionAt(job, status)) as [number, number, number];
    samples.toDone.push(done - at);
    samples.toSse.push(seenAt - at);
    samples.queued.push(started - queued);
    samples.working.push(done - started);
  };
  const events = await subscribeEvents(app.url, 'kind=log&status=DONE', (event, seenAt) => settle(event.job, seenAt));
  try {
    const total = ratePerSecond * seconds;
    const started = Date.now();
    const submits: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / ratePerSecond;
      if (due > Date.now()) await delay(due - Date.now());
      const at = Date.now();
      submits.push(
        submitLog(app.url).then((id) => {
          samples.toAnswer.push(Date.now() - at);
          submittedAt.set(id, at);
          const seen = early.get(id);
          if (seen) settle(seen.job, seen.seenAt);
        }),
      );
    }
    await Promise.all(submits);
    await until(async () => samples.toSse.length >= total, 60_000, `${total} steady jobs DONE on SSE`);
    return {
      rate_per_s: ratePerSecond,
      seconds,
      submit_to_done: summarise(samples.toDone),
      submit_to_sse: summarise(samples.toSse),
      breakdown: {
        submit_to_answer: summarise(samples.toAnswer),
        queued_to_started: summarise(samples.queued),
        started_to_done: summarise(samples.working),
      },
    };
  } finally {
    events.close();
  }
}

export interface MemoryFigure {
  jobs_known: number;
  main_mb: number;
  workers_mb: number[];
}

/** Jobs the console knows (its history), and the resident memory of its processes. */
export async function jobdeckMemory(app: HeadlessConsole): Promise<MemoryFigure> {
  const known = await withDatabase(async (pool) => {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(app.namespace)}.jobs`);
    return Number(rows[0]!.n);
  });
  const { main_mb, workers_mb } = await app.memory();
  return { jobs_known: known, main_mb: round(main_mb), workers_mb };
}
