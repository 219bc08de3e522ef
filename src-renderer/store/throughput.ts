/**
 * The Overview's and the Queues view's charts: jobs accepted, attempts started and jobs finished
 * per second over the last {@link THROUGHPUT_SECONDS}, counted from every live event as it
 * reaches the store (and from this console's submit answers), one bucket a second.
 *
 * Judged by event, never by what the store holds or by the latest state of a batch: a job sent
 * alone runs QUEUED to DONE in a few milliseconds, so one flush may carry its acceptance, its
 * start and its end, and its 202 answer may be merged before any of them. Counting touches only
 * the events of a batch, so it costs the same with 100,000 jobs in the store as with none.
 * Pure functions over immutable series, so a chart re-renders once per flush.
 */
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import { TERMINAL_STATUSES, type JobStatus } from '../../src-shared/statuses';

export const THROUGHPUT_SECONDS = 300;

/** One bucket of any counts: the Unix second and a number per key. */
export type CountPoint<K extends string> = { second: number } & Record<K, number>;

/** Jobs accepted (from any client) and jobs that reached DONE, per second. Newest last; none older than the window. */
export type ThroughputSeries = readonly CountPoint<'accepted' | 'done'>[];

/** Per kind: jobs accepted, attempts started by a worker, jobs that ended DONE, FAILED or CANCELLED. */
export type QueueCountKey = 'accepted' | 'started' | 'finished';
export type QueueRateSeries = readonly CountPoint<QueueCountKey>[];

/** What the charts last counted of one job. */
interface Sighting {
  version: number;
  status: JobStatus;
  attempts: number;
  /** Whether its acceptance has been counted (by its first event or by the submit answer). */
  accepted: boolean;
}

/**
 * The state the charts last counted of each job, so every job's acceptance counts once
 * whichever path shows it first, and a repeated or stale event counts nothing. The oldest
 * sightings are forgotten past `limit`.
 */
export class JobSightings {
  private readonly byId = new Map<string, Sighting>();
  /** Stream time (ms, the Redis clock of the event IDs) of the newest event seen. */
  private newestStreamMs = 0;
  constructor(private readonly limit: number) {}

  /** Notes a submit answer's job; true when its acceptance had not been counted yet. */
  acceptedOnAnswer(job: Job): boolean {
    const held = this.byId.get(job.id);
    if (held?.accepted) return false;
    const newer = !held || job.version > held.version;
    this.remember(job.id, newer ? { version: job.version, status: job.status, attempts: job.attempts, accepted: true } : { ...held, accepted: true });
    return true;
  }

  /**
   * Notes `event`; answers the job as counted before it (undefined when never seen) and whether
   * it shows the job's acceptance for the first time, or null when it is not newer than what
   * was counted.
   */
  see(event: JobEvent): { before: Sighting | undefined; acceptedNow: boolean } | null {
    if (this.olderThanWindow(event)) return null;
    const before = this.byId.get(event.job_id);
    if (before && before.version >= event.version) return null;
    const acceptedNow = !before?.accepted && isAcceptance(event);
    const { status, attempts } = event.job;
    this.remember(event.job_id, { version: event.version, status, attempts, accepted: Boolean(before?.accepted) || acceptedNow });
    return { before, acceptedNow };
  }

  /**
   * Whether `event` happened more than the charts' window before the newest one seen: a replay
   * after a resync hands on all the stream holds (up to 100,000 events), and its old jobs were
   * not accepted now. Judged on the stream's own clock, so the browser's clock does not matter.
   */
  private olderThanWindow(event: JobEvent): boolean {
    const streamMs = Number.parseInt(event.id, 10);
    if (!Number.isFinite(streamMs)) return false;
    if (streamMs > this.newestStreamMs) this.newestStreamMs = streamMs;
    return streamMs < this.newestStreamMs - THROUGHPUT_SECONDS * 1000;
  }

  private remember(id: string, sighting: Sighting): void {
    this.byId.delete(id);
    this.byId.set(id, sighting);
    if (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value!);
  }
}

/**
 * The event that creates a job: QUEUED (or SCHEDULED) with no transition before (an operator's
 * retry is QUEUED again, and a scheduled job come due QUEUED after SCHEDULED: not new jobs).
 */
function isAcceptance(event: JobEvent): boolean {
  return (event.job.status === 'QUEUED' || event.job.status === 'SCHEDULED') && event.job.transitions.length <= 1;
}

/** Per kind, what one batch of events adds to the queue charts. */
type QueueCounts = Record<JobKind, Record<QueueCountKey, number>>;

/** A kind's counts in `queues`, made on its first count (kinds come from the registry). */
function countsOf(queues: QueueCounts, kind: JobKind): Record<QueueCountKey, number> {
  return (queues[kind] ??= { accepted: 0, started: 0, finished: 0 });
}

const isTerminal = (status: JobStatus | undefined): boolean => status !== undefined && TERMINAL_STATUSES.has(status);

/** What the events of a batch add, each event judged against the job as last counted. */
export function countEvents(events: readonly JobEvent[], sightings: JobSightings): { accepted: number; done: number; queues: QueueCounts } {
  const queues: QueueCounts = {};
  let accepted = 0;
  let done = 0;
  for (const event of events) {
    const seen = sightings.see(event);
    if (!seen) continue;
    const { before, acceptedNow } = seen;
    const { status, attempts } = event.job;
    const kind = countsOf(queues, event.job.kind);
    if (acceptedNow) accepted++;
    if (status === 'DONE' && before?.status !== 'DONE') done++;
    if (acceptedNow) kind.accepted++;
    // A worker's start: a new STARTED, or a redelivery's start of the next attempt.
    if (status === 'STARTED' && (before?.status !== 'STARTED' || attempts > before.attempts)) kind.started++;
    if (isTerminal(status) && !isTerminal(before?.status)) kind.finished++;
  }
  return { accepted, done, queues };
}

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

/** No rates yet, for every kind: a kind's series is made on its first count. */
export const NO_QUEUE_RATES: Readonly<Record<JobKind, QueueRateSeries>> = {};

/** Each kind's series with its counts added; a kind with nothing new keeps its series. */
export function addQueueCounts(rates: Readonly<Record<JobKind, QueueRateSeries>>, nowMs: number, counts: QueueCounts): Readonly<Record<JobKind, QueueRateSeries>> {
  let next: Record<JobKind, QueueRateSeries> | undefined;
  for (const kind of Object.keys(counts) as JobKind[]) {
    const kindCounts = counts[kind]!;
    const { accepted, started, finished } = kindCounts;
    if (!accepted && !started && !finished) continue;
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
  /** Per kind: jobs accepted, attempts started and jobs finished per second. */
  queueRates: Readonly<Record<JobKind, QueueRateSeries>>;
}

/** The series with what a batch of events adds; a series with nothing new is kept. */
export function chartsAfter(before: Charts, events: readonly JobEvent[], nowMs: number, sightings: JobSightings): Charts {
  const { accepted, done, queues } = countEvents(events, sightings);
  return {
    throughput: accepted || done ? addCounts(before.throughput, nowMs, { accepted, done }) : before.throughput,
    queueRates: addQueueCounts(before.queueRates, nowMs, queues),
  };
}

/** The series with the jobs a submit answer accepted, each counted once (its first event later adds nothing). */
export function acceptedOnSubmit(before: Charts, jobs: readonly Job[], nowMs: number, sightings: JobSightings): Charts {
  const fresh = jobs.filter((job) => sightings.acceptedOnAnswer(job));
  if (fresh.length === 0) return before;
  const queues: QueueCounts = {};
  for (const job of fresh) countsOf(queues, job.kind).accepted++;
  return {
    throughput: addCounts(before.throughput, nowMs, { accepted: fresh.length, done: 0 }),
    queueRates: addQueueCounts(before.queueRates, nowMs, queues),
  };
}
