/**
 * Delayed jobs: a job due at t starts within 1 s of t (p99), under load. `jobs` kind A jobs are
 * scheduled (`run_at`) evenly over `spreadSeconds`; once they are in, and until every one is
 * DONE, kind A jobs are submitted to run at once at `loadPerSecond` (the load falls on the due
 * window, not on the scheduling); the figure is each scheduled job's lateness, its STARTED
 * transition's time minus its `run_at` (both the console's and the worker's clocks are this
 * machine's).
 */
import type { Job } from '../../../src-shared/job';
import type { HeadlessConsole } from '../headless-console';
import { ACCEPT_BODY } from '../http-load';
import { subscribeEvents } from '../sse-client';
import { delay, percentile, round, until } from '../stats';

export interface DelayedOptions {
  jobs: number;
  spreadSeconds: number;
  loadPerSecond: number;
}

export interface DelayedFigure {
  jobs: number;
  spread_s: number;
  load_jobs_per_s: number;
  /** STARTED at − run_at, over the scheduled jobs. */
  lateness_p50_ms: number;
  lateness_p99_ms: number;
  lateness_max_ms: number;
  /** QUEUED at − run_at: the promoter's part of the lateness (the rest is the wait in the queue). */
  promoted_p99_ms: number;
  /** Scheduled jobs that started before their run_at (must be 0). */
  early: number;
  /** Seconds the scheduled jobs took to submit (before the load). */
  submit_s: number;
}

/**
 * Time to submit every scheduled job before the first is due: a submit of a scheduled job is a
 * PostgreSQL transaction and a Redis write, a few ms each on a loaded 2-core machine.
 */
const leadMs = (jobs: number): number => 3_000 + jobs * 60;
const SUBMIT_CONCURRENCY = 25;
const DONE_TIMEOUT_MS = 120_000;

async function post(url: string, body: string): Promise<Job> {
  const response = await fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const job = (await response.json()) as Job;
  if (response.status !== 202) throw new Error(`bench: submit answered ${response.status} ${JSON.stringify(job)}`);
  return job;
}

/** Submits `bodies` with a few requests in flight; answers the jobs in order. */
async function submitAll(url: string, bodies: string[]): Promise<Job[]> {
  const jobs: Job[] = new Array<Job>(bodies.length);
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const i = next++;
      jobs[i] = await post(url, bodies[i]!);
    }
  };
  await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, lane));
  return jobs;
}

/** Submits jobs that run at once at `perSecond` until `stop` resolves. */
async function backgroundLoad(url: string, perSecond: number, stop: { done: boolean }): Promise<number> {
  let sent = 0;
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  while (!stop.done) {
    const due = Math.floor(((Date.now() - started) / 1000) * perSecond);
    for (; sent < due; sent++) {
      const p = post(url, ACCEPT_BODY).catch(() => undefined);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await delay(20);
  }
  await Promise.all(inFlight);
  return sent;
}

export async function jobdeckDelayed(app: HeadlessConsole, options: DelayedOptions): Promise<DelayedFigure> {
  const first = Date.now() + leadMs(options.jobs);
  const step = (options.spreadSeconds * 1000) / options.jobs;
  const bodies = Array.from({ length: options.jobs }, (_, i) => {
    const body = JSON.parse(ACCEPT_BODY) as Record<string, unknown>;
    return JSON.stringify({ ...body, run_at: new Date(first + i * step).toISOString() });
  });
  const done = new Set<string>();
  const events = await subscribeEvents(app.url, 'kind=log&status=DONE', (event) => done.add(event.job_id));
  const stop = { done: false };
  let load: Promise<number> = Promise.resolve(0);
  try {
    const submitStarted = Date.now();
    const scheduled = await submitAll(app.url, bodies);
    const submitSeconds = (Date.now() - submitStarted) / 1000;
    if (Date.now() > first) throw new Error(`bench: the scheduled jobs took ${submitSeconds} s to submit, longer than their lead`);
    load = backgroundLoad(app.url, options.loadPerSecond, stop);
    await until(async () => scheduled.every((job) => done.has(job.id)), DONE_TIMEOUT_MS, `${options.jobs} scheduled jobs DONE`, 100);
    stop.done = true;
    await load;
    const read = await Promise.all(scheduled.map(async (job) => (await (await fetch(`${app.url}/api/v1/jobs/${job.id}`)).json()) as Job));
    const after = (job: Job, status: Job['status']) => Date.parse(job.transitions.find((t) => t.status === status)!.at) - Date.parse(job.run_at!);
    const lateness = read.map((job) => after(job, 'STARTED'));
    return {
      jobs: options.jobs,
      spread_s: options.spreadSeconds,
      load_jobs_per_s: options.loadPerSecond,
      lateness_p50_ms: round(percentile(lateness, 50)),
      lateness_p99_ms: round(percentile(lateness, 99)),
      lateness_max_ms: round(Math.max(...lateness)),
      promoted_p99_ms: round(percentile(read.map((job) => after(job, 'QUEUED')), 99)),
      early: lateness.filter((ms) => ms < 0).length,
      submit_s: round(submitSeconds),
    };
  } finally {
    stop.done = true;
    await load;
    events.close();
  }
}
