/**
 * The pure core of the jobs slice: how events and job snapshots (list pages, submit answers)
 * fold into the jobs the console holds. Order is judged by the job's `version` alone, never by
 * its times: workers' clocks may differ. Every function returns its input unchanged when
 * nothing changed, so subscribers that compare by reference do not re-render.
 */
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';

export interface JobsData {
  jobsById: Readonly<Record<string, Job>>;
  /** Newest first (by `created_at`, then ID). */
  jobIds: readonly string[];
}

export interface JobsBound {
  /** How many jobs to keep; the oldest go first. */
  maxJobs: number;
  /** A job kept even when it is among the oldest (the one an operator is looking at). */
  keepId?: string | null;
}

export const EMPTY_JOBS: JobsData = { jobsById: {}, jobIds: [] };

/** A snapshot without a usable version (a contract breach) counts as the oldest of all. */
function versionOf(job: Job): number {
  return Number.isFinite(job.version) ? job.version : Number.NEGATIVE_INFINITY;
}

/** Whether `candidate` should replace `stored`: only a strictly higher version does. */
export function supersedes(candidate: Job, stored: Job | undefined): boolean {
  return stored === undefined || versionOf(candidate) > versionOf(stored);
}

function newestFirst(jobsById: Readonly<Record<string, Job>>): (a: string, b: string) => number {
  return (a, b) => {
    const byTime = Date.parse(jobsById[b]!.created_at) - Date.parse(jobsById[a]!.created_at);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    return a < b ? 1 : a > b ? -1 : 0;
  };
}

/** `ids` newest first, each time parsed once (a page may bring 100,000). */
function sortNewestFirst(ids: string[], jobsById: Readonly<Record<string, Job>>): string[] {
  const keyed = ids.map((id) => ({ id, time: Date.parse(jobsById[id]!.created_at) }));
  keyed.sort((a, b) => {
    const byTime = b.time - a.time;
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
  return keyed.map((entry) => entry.id);
}

/**
 * Merges two lists each already newest first. Linear, so a batch of new jobs costs one pass
 * over the held IDs rather than a sort of them all (the store may hold 100,000).
 */
function mergeOrdered(held: readonly string[], added: readonly string[], order: (a: string, b: string) => number): string[] {
  const merged: string[] = [];
  let i = 0;
  let j = 0;
  // Live jobs are usually newer than every held one: then the merge is a prepend.
  if (held.length && added.length && order(added[added.length - 1]!, held[0]!) <= 0) return [...added, ...held];
  while (i < held.length && j < added.length) merged.push(order(held[i]!, added[j]!) <= 0 ? held[i++]! : added[j++]!);
  while (i < held.length) merged.push(held[i++]!);
  while (j < added.length) merged.push(added[j++]!);
  return merged;
}

/** Drops the oldest jobs past the bound, except the one to keep. */
export function boundJobs(data: JobsData, { maxJobs, keepId }: JobsBound): JobsData {
  if (data.jobIds.length <= maxJobs) return data;
  const kept = data.jobIds.slice(0, maxJobs);
  const beyond = data.jobIds.slice(maxJobs);
  const evicted = beyond.filter((id) => id !== keepId);
  if (keepId && evicted.length < beyond.length) kept.push(keepId);
  const jobsById = { ...data.jobsById };
  for (const id of evicted) delete jobsById[id];
  return { jobsById, jobIds: kept };
}

/**
 * Folds snapshots in, in any order: a new job is added; a held one is replaced only by a
 * snapshot with a higher version (equal keeps the held one), so nothing ever moves a job back.
 */
export function mergeJobSnapshots(data: JobsData, jobs: readonly Job[], bound: JobsBound): JobsData {
  let jobsById: Record<string, Job> | undefined;
  const addedIds: string[] = [];
  for (const job of jobs) {
    const stored = (jobsById ?? data.jobsById)[job.id];
    if (!supersedes(job, stored)) continue;
    jobsById ??= { ...data.jobsById };
    if (!stored) addedIds.push(job.id);
    jobsById[job.id] = job;
  }
  if (!jobsById) return data;
  const jobIds = addedIds.length ? mergeOrdered(data.jobIds, sortNewestFirst(addedIds, jobsById), newestFirst(jobsById)) : data.jobIds;
  return boundJobs({ jobsById, jobIds }, bound);
}

/** Folds events in: each carries the whole job after its change, judged like any snapshot. */
export function applyJobEvents(data: JobsData, events: readonly JobEvent[], bound: JobsBound): JobsData {
  // The event's version is the job's (the contract says they are equal); the event's wins if not.
  const jobs = events.map((event) =>
    event.job.version === event.version ? event.job : { ...event.job, version: event.version },
  );
  return mergeJobSnapshots(data, jobs, bound);
}
