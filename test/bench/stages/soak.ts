/**
 * Jobdeck's soak: a steady mixed load (kinds A, B with a short task, C) at a moderate rate for a
 * long while, sampling the resident memory of the console and of each worker, to see that it
 * stays under its limits and flat once warm. "Flat" for one process: the least-squares slope over
 * the second half of the run is at most FLAT_SLOPE_MB_PER_MIN, and its last sample is at most
 * FLAT_GROWTH × the sample at the end of the warm-up (the first half).
 */
import type { HeadlessConsole } from '../headless-console';
import { subscribeEvents } from '../sse-client';
import { delay, round, slope } from '../stats';

export const FLAT_SLOPE_MB_PER_MIN = 1;
export const FLAT_GROWTH = 1.1;
/** How long, once the load ends, every accepted job has to reach DONE (kind B's task is short). */
const SETTLE_TIMEOUT_MS = 120_000;
const CALLBACK_DURATION_MS = 200;

/** The mix, one entry per job in turn: three kind A, one kind B (200 ms task), one kind C. */
const MIX = [
  { kind: 'log', payload: { client_time: 1569177495 } },
  { kind: 'callback', payload: { duration_ms: CALLBACK_DURATION_MS } },
  { kind: 'log', payload: { client_time: 1569177495 } },
  { kind: 'email', payload: { subject: 'soak', body: 'A soak job.' } },
  { kind: 'log', payload: { client_time: 1569177495 } },
].map((job) => JSON.stringify(job));

export interface SoakOptions {
  ratePerSecond: number;
  seconds: number;
  sampleSeconds: number;
}

export interface ProcessSoakFigure {
  first_mb: number;
  /** The sample at the end of the warm-up (the first at or after half the run). */
  warm_mb: number;
  last_mb: number;
  max_mb: number;
  /** Least squares over the samples of the second half, MB per minute. */
  slope_mb_per_min: number;
  flat: boolean;
  samples: number;
}

export interface SoakFigure {
  rate_per_s: number;
  seconds: number;
  sample_seconds: number;
  flat_rule: string;
  jobs_known_at_start: number;
  submitted: number;
  accepted: number;
  /** Accepted jobs not DONE within the settle time after the load (0 is the goal). */
  not_done: number;
  main: ProcessSoakFigure;
  workers: Record<string, ProcessSoakFigure>;
  /** Every sample: seconds since the load began, and MB by process. */
  series: { t_s: number; mb: Record<string, number> }[];
}

/** Submits the mix at a steady rate; the answer's job ID joins `accepted` when it is a 202. */
async function steadyMixedLoad(url: string, options: SoakOptions, accepted: Set<string>): Promise<number> {
  const total = Math.round(options.ratePerSecond * options.seconds);
  const started = Date.now();
  const submits: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.ratePerSecond;
    if (due > Date.now()) await delay(due - Date.now());
    submits.push(
      fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: MIX[i % MIX.length] })
        .then(async (response) => {
          const body = (await response.json()) as { id?: string };
          if (response.status === 202 && body.id) accepted.add(body.id);
        })
        .catch(() => undefined),
    );
  }
  await Promise.all(submits);
  return total;
}

/** Samples every process's RSS until `stopped` says so; returns the series. */
async function sampleMemory(app: HeadlessConsole, everyMs: number, stopped: () => boolean): Promise<SoakFigure['series']> {
  const series: SoakFigure['series'] = [];
  const started = Date.now();
  for (let next = started; ; next += everyMs) {
    if (next > Date.now()) await delay(next - Date.now());
    const mb = Object.fromEntries(Object.entries(await app.memoryByProcess()).filter(([, value]) => Number.isFinite(value)));
    series.push({ t_s: round((Date.now() - started) / 1000), mb });
    if (stopped()) return series;
  }
}

/** One process's figures from its samples; `halfS` ends the warm-up. */
export function processFigure(points: { t_s: number; mb: number }[], halfS: number): ProcessSoakFigure {
  const secondHalf = points.filter((p) => p.t_s >= halfS);
  const warm = secondHalf[0] ?? points.at(-1)!;
  const last = points.at(-1)!;
  const perMinute = slope(secondHalf.map((p) => ({ x: p.t_s / 60, y: p.mb })));
  return {
    first_mb: points[0]!.mb,
    warm_mb: warm.mb,
    last_mb: last.mb,
    max_mb: Math.max(...points.map((p) => p.mb)),
    slope_mb_per_min: round(perMinute),
    flat: perMinute <= FLAT_SLOPE_MB_PER_MIN && last.mb <= FLAT_GROWTH * warm.mb,
    samples: points.length,
  };
}

function figuresByProcess(series: SoakFigure['series'], halfS: number): Record<string, ProcessSoakFigure> {
  const labels = new Set(series.flatMap((sample) => Object.keys(sample.mb)));
  return Object.fromEntries(
    [...labels].map((label) => [
      label,
      processFigure(
        series.filter((sample) => sample.mb[label] !== undefined).map((sample) => ({ t_s: sample.t_s, mb: sample.mb[label]! })),
        halfS,
      ),
    ]),
  );
}

/**
 * The soak: the mixed load at `ratePerSecond` for `seconds`, RSS sampled every `sampleSeconds`
 * from the first submit to the last; then every accepted job must reach DONE (counted on an
 * event stream opened before the first submit).
 */
export async function jobdeckSoak(app: HeadlessConsole, options: SoakOptions, jobsKnownAtStart: number): Promise<SoakFigure> {
  const done = new Set<string>();
  const events = await subscribeEvents(app.url, 'status=DONE', (event) => done.add(event.job_id));
  try {
    const accepted = new Set<string>();
    let loading = true;
    const sampling = sampleMemory(app, options.sampleSeconds * 1000, () => !loading);
    const submitted = await steadyMixedLoad(app.url, options, accepted).finally(() => (loading = false));
    const series = await sampling;
    const settleBy = Date.now() + SETTLE_TIMEOUT_MS;
    const notDone = () => [...accepted].filter((id) => !done.has(id)).length;
    while (notDone() > 0 && Date.now() < settleBy) await delay(250);
    const { main, ...workers } = figuresByProcess(series, options.seconds / 2);
    return {
      rate_per_s: options.ratePerSecond,
      seconds: options.seconds,
      sample_seconds: options.sampleSeconds,
      flat_rule: `slope over the second half ≤ ${FLAT_SLOPE_MB_PER_MIN} MB/min and last ≤ ${FLAT_GROWTH}× the end of the warm-up (first half)`,
      jobs_known_at_start: jobsKnownAtStart,
      submitted,
      accepted: accepted.size,
      not_done: notDone(),
      main: main!,
      workers,
      series,
    };
  } finally {
    events.close();
  }
}
