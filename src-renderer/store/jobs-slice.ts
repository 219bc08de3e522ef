import type { JobActionResult } from '../../src-shared/bridge';
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { ConsoleDeps, SliceCreator } from './deps';
import { NO_FILTER, searchQueryOf, type JobFilter } from './job-filter';
import { applyJobEvents, EMPTY_JOBS, mergeJobSnapshots, type JobsBound, type JobsData } from './jobs-data';
import { field, load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import { act, type Accepted, type Pending } from './pending';
import { acceptedOnSubmit, chartsAfter, JobSightings, NO_QUEUE_RATES, type Charts } from './throughput';

/** A read of a page of the history; its jobs fold into `jobsById`, its data is the cursor of the page after it. */
export type PageRead = Loaded<string | null>;

/** The jobs held, how the history was read, and the charts the live events feed. */
export interface JobsSlice extends JobsData, Charts {
  /** The job whose details are open; kept even when it is among the oldest. */
  selectedJobId: string | null;
  filter: JobFilter;
  /** The newest page for the current status and kind; only the latest read says how it stands. */
  firstPage: PageRead;
  /** The last read of an older page. */
  olderPage: PageRead;
  /** Cursor of the next older history page for the current status and kind; null when none is left. */
  olderCursor: string | null;
  /** The last cancel, retry or run-now, for the detail panel to show. */
  jobAction: Pending<Accepted<JobActionResult>, { id: string; verb: JobVerb }> | null;
  applyEvents(events: readonly JobEvent[]): void;
  /** Folds in snapshots (a list page, a submit answer); a higher version wins. */
  mergeJobs(jobs: readonly Job[]): void;
  /** Folds in the jobs a submit answer accepted and counts them on the charts, once each. */
  acceptJobs(jobs: readonly Job[]): void;
  /** Loads the newest page of jobs and folds it in. */
  loadFirstPage(): Promise<void>;
  /** Loads the next older page of the history (same status and kind filter) and folds it in. */
  loadOlder(): Promise<void>;
  /** Changes the filter; a new status or kind loads the history's first page for it. */
  setFilter(change: Partial<JobFilter>): void;
  selectJob(id: string | null): void;
  /** Reads one job from the API (one the store may not hold) and folds it in; null when there is none. */
  loadJob(id: string): Promise<Job | null>;
  cancelJob(id: string): Promise<boolean>;
  retryJob(id: string): Promise<boolean>;
  /** Runs a SCHEDULED job now. */
  runJobNow(id: string): Promise<boolean>;
}

/** An operator's action on one job from its details. */
export type JobVerb = 'cancel' | 'retry' | 'run-now';

type PageKey = 'firstPage' | 'olderPage';

/** The `q` the history is asked with: the search when it is a query; plain words stay local. */
function serverSearch(filter: JobFilter): string | undefined {
  return searchQueryOf(filter.search) ? filter.search.trim() : undefined;
}

/**
 * Where a page read is shown, while `current()` (no newer first page was asked for); a read
 * that loaded moves the cursor on, and a new first page forgets the older pages' state.
 */
function pageReadSlot(get: () => JobsSlice, set: (change: Partial<JobsSlice>) => void, key: PageKey, current: () => boolean): Slot<PageRead> {
  return {
    read: () => get()[key],
    write(next) {
      if (!current()) return;
      const loaded = next.status === 'loaded' ? { olderCursor: next.data, ...(key === 'firstPage' ? { olderPage: NOT_LOADED } : {}) } : {};
      set({ [key]: next, ...loaded });
    },
  };
}

export function createJobsSlice({ bridge, maxJobs, pageSize, now, schedule }: ConsoleDeps): SliceCreator<JobsSlice> {
  const boundOf = (state: JobsSlice): JobsBound => ({ maxJobs, keepId: state.selectedJobId });

  return (set, get) => {
    /** Token of the newest first-page read: reads started before it no longer say how the list stands. */
    let latestLoad = 0;
    /** What the charts counted of each job, by whichever path showed it first. */
    const sightings = new JobSightings(maxJobs);

    const pageSlot = (key: PageKey, token: number) => pageReadSlot(get, set, key, () => token === latestLoad);
    const readPage = async (cursor?: string): Promise<string | null> => {
      const { status, kind } = get().filter;
      const q = serverSearch(get().filter);
      const page = await bridge.listJobs({ limit: pageSize, ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}), ...(q ? { q } : {}) });
      // Even a superseded page is folded in: versions keep it from moving any job back.
      get().mergeJobs(page.items);
      return page.next_cursor;
    };

    const jobAct = async (id: string, verb: JobVerb, call: () => Promise<JobActionResult>) => {
      const answer = await act(field(get, set, 'jobAction'), { id, verb }, call, schedule);
      if (answer.ok) get().mergeJobs([answer.job]);
      return answer.ok;
    };

    return {
      ...EMPTY_JOBS,
      selectedJobId: null,
      filter: NO_FILTER,
      firstPage: NOT_LOADED,
      olderPage: NOT_LOADED,
      olderCursor: null,
      jobAction: null,
      throughput: [],
      queueRates: NO_QUEUE_RATES,

      applyEvents(events) {
        const state = get();
        const next = applyJobEvents(state, events, boundOf(state));
        // Counted by event even when the jobs did not change: a submit answer or a page may have brought them first.
        const charts = chartsAfter(state, events, now(), sightings);
        if (next === state && charts.throughput === state.throughput && charts.queueRates === state.queueRates) return;
        // One update for the jobs and the charts, so a batch renders once.
        set({ ...next, ...charts });
      },

      mergeJobs(jobs) {
        const state = get();
        const next = mergeJobSnapshots(state, jobs, boundOf(state));
        if (next !== state) set(next);
      },

      acceptJobs(jobs) {
        get().mergeJobs(jobs);
        const state = get();
        const charts = acceptedOnSubmit(state, jobs, now(), sightings);
        if (charts !== state) set(charts);
      },

      async loadFirstPage() {
        await load(pageSlot('firstPage', ++latestLoad), () => readPage(), now, { restart: true });
      },

      async loadOlder() {
        const { olderCursor, olderPage } = get();
        if (!olderCursor || olderPage.status === 'loading') return;
        // A filter changed meanwhile: its own first page sets the cursor.
        await load(pageSlot('olderPage', latestLoad), () => readPage(olderCursor), now, { restart: true });
      },

      setFilter(change) {
        const before = get().filter;
        const filter = { ...before, ...change };
        const refetch = filter.status !== before.status || filter.kind !== before.kind || serverSearch(filter) !== serverSearch(before);
        set({ filter });
        // The history is asked with the new status, kind and query, so older pages match the filter.
        if (refetch) void get().loadFirstPage();
      },

      selectJob(id) {
        if (id !== get().selectedJobId) set({ selectedJobId: id, jobAction: null });
      },

      async loadJob(id) {
        const job = await bridge.getJob(id);
        if (job) get().mergeJobs([job]);
        return job;
      },

      cancelJob: (id) => jobAct(id, 'cancel', () => bridge.cancelJob(id)),
      retryJob: (id) => jobAct(id, 'retry', () => bridge.retryJob(id)),
      runJobNow: (id) => jobAct(id, 'run-now', () => bridge.runJobNow(id)),
    };
  };
}
