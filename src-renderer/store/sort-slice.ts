import type { SliceCreator } from './deps';
import { nextSort } from './column-sort';
import { NEWEST_FIRST, type JobSort, type JobSortKey } from './job-sort';

/** How the operator ordered the Jobs table; kept apart from the filter, which Clear resets. */
export interface SortSlice {
  jobSort: JobSort;
  /** A column header was chosen: that column ascending, or the other direction if it already sorts. */
  sortJobsBy(key: JobSortKey): void;
  /** Back to the store's own order, newest first. */
  resetJobSort(): void;
}

export function createSortSlice(): SliceCreator<SortSlice> {
  return (set, get) => ({
    jobSort: NEWEST_FIRST,
    sortJobsBy(key) {
      set({ jobSort: nextSort(get().jobSort, key) });
    },
    resetJobSort() {
      set({ jobSort: NEWEST_FIRST });
    },
  });
}
