/**
 * Jobs per second, in (accepted) and done, over the last minutes, counted from the live
 * events as they reach the store, one bucket a second. Pure functions over an immutable series, so the chart re-renders once per flush.
 */
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';

export const THROUGHPUT_SECONDS = 300;

export interface ThroughputPoint {
  /** Unix second the bucket counts. */
  second: number;
  accepted: number;
  done: number;
}

/** Newest last; at most {@link THROUGHPUT_SECONDS} buckets, none older than that. */
export type ThroughputSeries = readonly CountPoint<'accepted' | 'done'>[];

/**
 * Job IDs already counted as accepted, so each job counts once whichever path shows it first
 * (the submit answer or its QUEUED event). Oldest forgotten past `limit`.
 */
export class AcceptedIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}

  /** True the first time `id` is given; false for every later sighting. */
  firstSighting(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/**
 * The jobs a batch of events shows accepted for the first time: a QUEUED event, or a job not
 * held yet while QUEUED, STARTED or IN PROGRESS. Judged by event, not by what the store holds:
 * a submit answer merged before its QUEUED event has already counted (see `acceptedOnSubmit`).
 */
export function newlyAccepted(before: Readonly<Record<string, Job>>, events: readonly JobEvent[], counted: AcceptedIds): Set<string> {
  const accepted = new Set<string>();
  for (const event of events) {
    const firstSight = event.job.status === 'QUEUED' || (!before[event.job_id] && ACCEPTED_STATUSES.has(event.job.status));
    if (firstSight && counted.firstSighting(event.job_id)) accepted.add(event.job_id);
  }
  return accepted;
}

/**
 * What a batch of events adds: the jobs `accepted` names, and the jobs that reach DONE (judged
 * against the jobs held before it; a stale or repeated event adds nothing).
 */
export function countChanges(before: Readonly<Record<string, Job>>, events: readonly JobEvent[], accepted: ReadonlySet<string>): { accepted: number; done: number } {
  let done = 0;
  for (const event of events) {
    const held = before[event.job_id];
    if (held && held.version >= event.version) continue;
    if (event.job.status === 'DONE' && held?.status !== 'DONE') done++;
  }
  return { accepted: accepted.size, done };
}

const ACCEPTED_STATUSES = new Set<JobStatus>(['QUEUED', 'STARTED', 'IN PROGRESS']);

/** One bucket of any counts: the Unix second and a number per key. */
export type CountPoint<K extends string> = { second: number } & Record<K, number>;

/** The series with `counts` added to the bucket of `nowMs`, older buckets trimmed. */
export function addCounts<K extends string>(series: readonly CountPoint<K>[], nowMs: number, counts: Record<K, number>): CountPoint<K>[] {
  const second = Math.floor(nowMs / 1000);
  const oldest = second - THROUGHPUT_SECONDS + 1;
  const kept = series.filter((point) => point.second >= oldest);
  const last = kept[kept.length - 1];
  if (last && last.second === second) {
    const sum = { ...last } as CountPoint<K>;
    for (const key of Object.keys(counts) as K[]) (sum as Record<K, number>)[key] = last[key] + counts[key];
    return [...kept.slice(0, -1), sum];
  }
  return [...kept, { second, ...counts } as CountPoint<K>];
}

/** What a queue did, as Jobdeck's events tell it: messages published, delivered to a worker, acked. */
export type QueueCountKey = 'published' | 'delivered' | 'acked';
export type QueueRateSeries = readonly CountPoint<QueueCountKey>[];

/** Counts per kind, each kind's made on its first count. */
class QueueCounts {
  readonly byKind: Record<JobKind, Record<QueueCountKey, number>> = {};

  of(kind: JobKind): Record<QueueCountKey, number> {
    return (this.byKind[kind] ??= { published: 0, delivered: 0, acked: 0 });
  }
}

const FINISHED = new Set<JobStatus>(['DONE', 'FAILED', 'CANCELLED']);

/**
 * Per kind, what a batch of events says its queue did: a job newly accepted was published; a new attempt
 * (attempts grew) was a delivery; a job that finished after an attempt was acked. (The broker's
 * own rates need its management plugin, which Jobdeck does not use.)
 */
export function countQueueChanges(before: Readonly<Record<string, Job>>, events: readonly JobEvent[], accepted: ReadonlySet<string>) {
  const counts = new QueueCounts();
  for (const event of events) {
    const kind = counts.of(event.job.kind);
    if (accepted.has(event.job_id)) kind.published++;
    const held = before[event.job_id];
    if (held && held.version >= event.version) continue;
    if (event.job.attempts > (held?.attempts ?? 0)) kind.delivered += event.job.attempts - (held?.attempts ?? 0);
    if (FINISHED.has(event.job.status) && !(held && FINISHED.has(held.status)) && event.job.attempts > 0) kind.acked++;
  }
  return counts.byKind;
}

/** No rates yet, for every kind: a kind's series is made on its first count. */
export const NO_QUEUE_RATES: Readonly<Record<JobKind, QueueRateSeries>> = {};

/** Each kind's series with its counts added; a kind with nothing new keeps its series. */
export function addQueueCounts(
  rates: Readonly<Record<JobKind, QueueRateSeries>>,
  nowMs: number,
  counts: Record<JobKind, Record<QueueCountKey, number>>,
): Readonly<Record<JobKind, QueueRateSeries>> {
  let next: Record<JobKind, QueueRateSeries> | undefined;
  for (const kind of Object.keys(counts) as JobKind[]) {
    const kindCounts = counts[kind]!;
    const { published, delivered, acked } = kindCounts;
    if (!published && !delivered && !acked) continue;
    next ??= { ...rates };
    next[kind] = addCounts(rates[kind] ?? [], nowMs, kindCounts);
  }
  return next ?? rates;
}

/** One value per second from `fromSecond` to `toSecond`, zero where no bucket is. */
export function perSecond<K extends string>(series: readonly CountPoint<K>[], fromSecond: number, toSecond: number, key: K): number[] {
  const bySecond = new Map(series.map((point) => [point.second, point[key]]));
  const values: number[] = [];
  for (let second = fromSecond; second <= toSecond; second++) values.push(bySecond.get(second) ?? 0);
  return values;
}

/** The Overview's and the Queues view's series, updated with each batch of live events. */
export interface Charts {
  /** Jobs accepted and done per second. */
  throughput: ThroughputSeries;
  /** Per kind's queue: published, delivered and acked per second. */
  queueRates: Readonly<Record<JobKind, QueueRateSeries>>;
}

/** The series with what a batch of events adds, judged against the jobs held before it; a series with nothing new is kept. */
export function chartsAfter(before: Charts & { jobsById: Readonly<Record<string, Job>> }, events: readonly JobEvent[], nowMs: number, counted: AcceptedIds): Charts {
  const accepted = newlyAccepted(before.jobsById, events, counted);
  const counts = countChanges(before.jobsById, events, accepted);
  return {
    throughput: counts.accepted || counts.done ? addCounts(before.throughput, nowMs, counts) : before.throughput,
    queueRates: addQueueCounts(before.queueRates, nowMs, countQueueChanges(before.jobsById, events, accepted)),
  };
}

/** The series with the jobs a submit answer accepted, each counted once (its QUEUED event later adds nothing). */
export function acceptedOnSubmit(before: Charts, jobs: readonly Job[], nowMs: number, counted: AcceptedIds): Charts {
  const fresh = jobs.filter((job) => counted.firstSighting(job.id));
  if (fresh.length === 0) return before;
  const queueCounts = new QueueCounts();
  for (const job of fresh) queueCounts.of(job.kind).published++;
  return {
    throughput: addCounts(before.throughput, nowMs, { accepted: fresh.length, done: 0 }),
    queueRates: addQueueCounts(before.queueRates, nowMs, queueCounts.byKind),
  };
}
