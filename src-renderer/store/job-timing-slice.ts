import type { JobTiming } from '../../src-shared/job-timing';
import type { ConsoleDeps, SliceCreator } from './deps';
import { loadForJob, NOT_LOADED_FOR_JOB, type JobScoped } from './job-scoped';

/** One job's timing as last read (the job read's `timing`); `data` null: no such job, or an API without timing. */
export type JobTimingRead = JobScoped<JobTiming | null>;

export interface JobTimingSlice {
  /** The timing of the job whose details are open (the last one asked for). */
  jobTiming: JobTimingRead;
  /** Reads a job again for its timing; an answer for a job no longer asked for is dropped. */
  loadJobTiming(id: string): Promise<void>;
}

export function createJobTimingSlice({ bridge, now }: ConsoleDeps): SliceCreator<JobTimingSlice> {
  return (set, get) => ({
    jobTiming: NOT_LOADED_FOR_JOB,
    loadJobTiming: (id) => loadForJob<'jobTiming', JobTimingRead>(get, set, 'jobTiming', id, async () => (await bridge.getJob(id))?.timing ?? null, now),
  });
}
