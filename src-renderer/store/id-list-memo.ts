import type { Job } from '../../src-shared/job';

type JobsById = Readonly<Record<string, Job>>;

/**
 * Memoizes a `(ids, jobsById, param) → ids` derivation of the Jobs table (filter, sort): a
 * store update that changed none of the inputs it reads costs nothing, and a result with the same
 * IDs in the same order as the last keeps the last array, so the table does not re-render.
 */
export function memoizeIdList<P>(
  derive: (ids: readonly string[], jobsById: JobsById, param: P) => readonly string[],
  /** Whether the result can change when only the jobs' contents do (same IDs, same param). */
  readsJobs: (param: P) => boolean = () => true,
) {
  let lastIds: readonly string[] | undefined;
  let lastById: JobsById | undefined;
  let lastParam: P | undefined;
  let lastResult: readonly string[] = [];
  return (ids: readonly string[], jobsById: JobsById, param: P): readonly string[] => {
    if (ids === lastIds && param === lastParam && (jobsById === lastById || !readsJobs(param))) return lastResult;
    const next = derive(ids, jobsById, param);
    const same = next.length === lastResult.length && next.every((id, index) => id === lastResult[index]);
    lastIds = ids;
    lastById = jobsById;
    lastParam = param;
    if (!same) lastResult = next;
    return lastResult;
  };
}
