/**
 * A kind's rate limit under load: several workers of kind B (a 20 ms task) with a backlog far
 * above the limit (submitted while the kind is paused), `rate_per_s` set to {@link LIMIT_PER_S}; the attempts started (STARTED events,
 * at the time the worker wrote them) are counted per second over the window. The limit holds when
 * the mean rate is within {@link TOLERANCE} of it; each second's count is reported too.
 * `JOBDECK_BENCH_RATE_SECONDS` sets the window (the profile's by default: 15 s quick, 60 s full).
 */
import type { HeadlessConsole } from '../headless-console';
import { subscribeEvents } from '../sse-client';
import { delay, round, until } from '../stats';

export const LIMIT_PER_S = 20;
export const TOLERANCE = 0.1;
const WORKERS = 3;
const TASK_MS = 20;
/** Seconds left out at each end: the workers' first starts, and the window's cut. */
const EDGE_S = 1;

export interface RateLimitFigure {
  limit_per_s: number;
  workers: number;
  seconds: number;
  /** Attempts started over the window, less its edges, per second. */
  mean_per_s: number;
  /** The fewest and most started in one whole second of the window. */
  min_in_a_second: number;
  max_in_a_second: number;
  /** |mean − limit| / limit. */
  deviation: number;
  within_tolerance: boolean;
  per_second: number[];
}

async function send(app: HeadlessConsole, method: string, path: string, body?: unknown): Promise<Response> {
  const answer = await fetch(`${app.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!answer.ok) throw new Error(`bench: ${method} ${path} answered ${answer.status}: ${await answer.text()}`);
  return answer;
}

export function windowSeconds(profileSeconds: number): number {
  const fromEnv = Number(process.env.JOBDECK_BENCH_RATE_SECONDS);
  return Number.isFinite(fromEnv) && fromEnv >= 4 ? fromEnv : profileSeconds;
}

/** Waits until the kind B queue has `count` consumers (the scaled workers are up). */
async function consumers(app: HeadlessConsole, count: number): Promise<void> {
  await until(
    async () => {
      const report = (await (await send(app, 'GET', '/api/v1/queues')).json()) as { queues: { kind: string; consumers: number }[] };
      return (report.queues.find((queue) => queue.kind === 'callback')?.consumers ?? 0) >= count;
    },
    60_000,
    `${count} kind B consumers`,
    250,
  );
}

/**
 * The backlog is submitted while the kind is paused (so neither the submits nor the new workers'
 * start-up share the machine with the measured window), then the limit is set and the kind resumed.
 */
export async function jobdeckRateLimit(app: HeadlessConsole, seconds: number): Promise<RateLimitFigure> {
  await send(app, 'PUT', '/api/v1/workers/callback', { count: WORKERS });
  await consumers(app, WORKERS);
  await send(app, 'POST', '/api/v1/kinds/callback/pause');
  const starts: number[] = [];
  const events = await subscribeEvents(app.url, 'kind=callback&status=STARTED', (event, seenAt) => starts.push(event.at ? Date.parse(event.at) : seenAt));
  try {
    // A backlog well above what the window can start, so the limit, not the supply, sets the pace.
    const backlog = Math.ceil(LIMIT_PER_S * seconds * 1.2) + 20;
    for (let i = 0; i < backlog; i++) await send(app, 'POST', '/api/v1/jobs', { kind: 'callback', payload: { duration_ms: TASK_MS } });
    await send(app, 'PUT', '/api/v1/kinds/callback/limits', { rate_per_s: LIMIT_PER_S });
    await send(app, 'POST', '/api/v1/kinds/callback/resume');
    await delay((seconds + 1) * 1_000);
  } finally {
    events.close();
    // No limit again, then the rest of the backlog is purged (its jobs end CANCELLED).
    await send(app, 'POST', '/api/v1/kinds/callback/resume');
    await send(app, 'PUT', '/api/v1/kinds/callback/limits', {});
    await send(app, 'POST', '/api/v1/queues/callback/purge');
    await send(app, 'PUT', '/api/v1/workers/callback', { count: 1 });
  }
  return figureOf(starts.sort((a, b) => a - b), seconds);
}

/** Counts per whole second from the first start plus the edge, to the window's end less the edge. */
export function figureOf(starts: readonly number[], seconds: number): RateLimitFigure {
  const from = (starts[0] ?? 0) + EDGE_S * 1_000;
  const whole = Math.max(1, seconds - 2 * EDGE_S);
  const perSecond = Array.from({ length: whole }, (_, i) => starts.filter((at) => at >= from + i * 1_000 && at < from + (i + 1) * 1_000).length);
  const mean = perSecond.reduce((sum, n) => sum + n, 0) / whole;
  const deviation = Math.abs(mean - LIMIT_PER_S) / LIMIT_PER_S;
  return {
    limit_per_s: LIMIT_PER_S,
    workers: WORKERS,
    seconds,
    mean_per_s: round(mean),
    min_in_a_second: Math.min(...perSecond),
    max_in_a_second: Math.max(...perSecond),
    deviation: Math.round(deviation * 1000) / 1000,
    within_tolerance: deviation <= TOLERANCE,
    per_second: perSecond,
  };
}
