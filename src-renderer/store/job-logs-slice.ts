import type { JobLogLine } from '../../src-shared/job-log';
import type { ConsoleDeps, SliceCreator } from './deps';
import { load, NOT_LOADED, type Loaded, type Slot } from './loaded';

/** One job's log as last read; `data` null: the API knows no such job. */
export type JobLogRead = Loaded<JobLogLine[] | null> & { id: string | null };

export interface JobLogsSlice {
  /** The log of the job whose details are open (the last one asked for). */
  jobLogs: JobLogRead;
  /** Reads a job's log lines; an answer for a job no longer asked for is dropped. */
  loadJobLogs(id: string): Promise<void>;
}

export function createJobLogsSlice({ bridge, now }: ConsoleDeps): SliceCreator<JobLogsSlice> {
  return (set, get) => ({
    jobLogs: { ...NOT_LOADED, id: null },
    async loadJobLogs(id) {
      if (get().jobLogs.id !== id) set({ jobLogs: { ...NOT_LOADED, id } });
      const slot: Slot<JobLogRead> = {
        read: () => get().jobLogs,
        write: (next) => {
          if (get().jobLogs.id === id) set({ jobLogs: next });
        },
      };
      await load(slot, () => bridge.getJobLogs(id), now);
    },
  });
}
