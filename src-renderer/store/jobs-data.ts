/**
 * The pure core of the jobs slice: how events and list pages fold into the jobs the console
 * holds. Every function returns its input unchanged when nothing changed, so subscribers that
 * compare by reference do not re-render.
 */
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';

export interface JobsData {
  jobsById: Readonly<Record<string, Job>>;
  /** Newest first (by `created_at`, then ID). */
  jobIds: readonly string[];
  /**
   * Version of the event each job was last taken from. Absent for a job taken from a list
   * page, which carries no version.
   */
  versionById: Readonly<Record<string, number>>;
}

export interface JobsBound {
  /** How many jobs to keep; the oldest go first. */
  maxJobs: number;
  /** A job kept even when it is among the oldest (the one an operator is looking at). */
  keepId?: string | null;
}

export const EMPTY_JOBS: JobsData = { jobsById: {}, jobIds: [], versionById: {} };

/**
 * Whether snapshot `a` shows a later state of the job than `b`, judged without versions: later
 * `updated_at`, then more transitions, then more progress.
 */
export function isLaterSnapshot(a: Job, b: Job): boolean {
  const byTime = Date.parse(a.updated_at) - Date.parse(b.updated_at);
  if (byTime !== 0) return byTime > 0;
  if (a.transitions.length !== b.transitions.length) return a.transitions.length > b.transitions.length;
  return a.progress > b.progress;
}

/** Versions decide between events; against a list snapshot the event must not be older. */
function supersedes(event: JobEvent, stored: Job, storedVersion: number | undefined): boolean {
  if (storedVersion !== undefined) return event.version > storedVersion;
  return !isLaterSnapshot(stored, event.job);
}

function newestFirst(jobsById: Readonly<Record<string, Job>>): (a: string, b: string) => number {
  return (a, b) => {
    const byTime = Date.parse(jobsById[b]!.created_at) - Date.parse(jobsById[a]!.created_at);
    if (byTime !== 0) return byTime;
    return a < b ? 1 : a > b ? -1 : 0;
  };
}

/** Drops the oldest jobs past the bound, except the one to keep. */
export function boundJobs(data: JobsData, { maxJobs, keepId }: JobsBound): JobsData {
  if (data.jobIds.length <= maxJobs) return data;
  const kept = data.jobIds.slice(0, maxJobs);
  const beyond = data.jobIds.slice(maxJobs);
  const evicted = beyond.filter((id) => id !== keepId);
  if (keepId && evicted.length < beyond.length) kept.push(keepId);
  const jobsById = { ...data.jobsById };
  const versionById = { ...data.versionById };
  for (const id of evicted) {
    delete jobsById[id];
    delete versionById[id];
  }
  return { jobsById, jobIds: kept, versionById };
}

interface Draft {
  jobsById: Record<string, Job>;
  versionById: Record<string, number>;
  addedIds: string[];
}

function startDraft(data: JobsData): Draft {
  return { jobsById: { ...data.jobsById }, versionById: { ...data.versionById }, addedIds: [] };
}

function finishDraft(data: JobsData, draft: Draft | undefined, bound: JobsBound): JobsData {
  if (!draft) return data;
  const jobIds = draft.addedIds.length
    ? [...draft.addedIds, ...data.jobIds].sort(newestFirst(draft.jobsById))
    : data.jobIds;
  return boundJobs({ jobsById: draft.jobsById, jobIds, versionById: draft.versionById }, bound);
}

/**
 * Folds events in, in any order: an event replaces a job only if it is newer than what is
 * held, so a late, older event never moves a job back.
 */
export function applyJobEvents(data: JobsData, events: readonly JobEvent[], bound: JobsBound): JobsData {
  let draft: Draft | undefined;
  for (const event of events) {
    const id = event.job_id;
    const stored = (draft ?? data).jobsById[id];
    if (stored && !supersedes(event, stored, (draft ?? data).versionById[id])) continue;
    draft ??= startDraft(data);
    if (!stored) draft.addedIds.push(id);
    draft.jobsById[id] = event.job;
    draft.versionById[id] = event.version;
  }
  return finishDraft(data, draft, bound);
}

/**
 * Folds jobs from a list page or a submit answer in: a new job is added; a held one is replaced
 * only by a later snapshot, and then forgets its event version (the snapshot has none).
 */
export function mergeJobs(data: JobsData, jobs: readonly Job[], bound: JobsBound): JobsData {
  let draft: Draft | undefined;
  for (const job of jobs) {
    const stored = (draft ?? data).jobsById[job.id];
    if (stored && !isLaterSnapshot(job, stored)) continue;
    draft ??= startDraft(data);
    if (!stored) draft.addedIds.push(job.id);
    draft.jobsById[job.id] = job;
    delete draft.versionById[job.id];
  }
  return finishDraft(data, draft, bound);
}
