import type { JobLogLine } from '../../src-shared/job-log';
import type { ConsoleDeps, SliceCreator } from './deps';
import { loadForJob, NOT_LOADED_FOR_JOB, type JobScoped } from './job-scoped';

/** One job's log as last read; `data` null: the API knows no such job. */
export type JobLogRead = JobScoped<JobLogLine[] | null>;

export interface JobLogsSlice {
  /** The log of the job whose details are open (the last one asked for). */
  jobLogs: JobLogRead;
  /** Reads a job's log lines; an answer for a job no longer asked for is dropped. */
  loadJobLogs(id: string): Promise<void>;
}

export function createJobLogsSlice({ bridge, now }: ConsoleDeps): SliceCreator<JobLogsSlice> {
  return (set, get) => ({
    jobLogs: NOT_LOADED_FOR_JOB,
    loadJobLogs: (id) => loadForJob<'jobLogs', JobLogRead>(get, set, 'jobLogs', id, () => bridge.getJobLogs(id), now),
  });
}
