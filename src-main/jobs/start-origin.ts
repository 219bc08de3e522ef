import { startTimeOf, type StartFields } from '../../src-shared/job-start';
import type { JobOrigin } from '../../src-shared/wire';

/** A submit body's `run_at` or `delay_ms` as the job's origin: its start time when still ahead, else nothing (it runs at once). */
export function startOriginOf(body: StartFields): JobOrigin {
  const runAt = startTimeOf(body);
  return runAt === undefined ? {} : { run_at: runAt };
}
