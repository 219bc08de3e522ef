import type { Job } from '../../src-shared/job';
import type { ConsoleDeps, SliceCreator } from './deps';
import type { JobsSlice } from './jobs-slice';
import { load, NOT_LOADED, type Loaded, type Slot } from './loaded';

/** What the Compare view sets side by side: two jobs (`#/compare/<a>/<b>`), or two attempts of one (`#/compare/<id>/attempts/<n>/<m>`). */
export type CompareTarget = { type: 'jobs'; left: string; right: string } | { type: 'attempts'; id: string; left: number; right: number };

/** The jobs a target needs. */
export const comparedIds = (target: CompareTarget): string[] => (target.type === 'jobs' ? [target.left, target.right] : [target.id]);

export interface CompareSlice {
  compare: CompareTarget | null;
  /** Reads of compared jobs the store did not hold; data null: the API has no such job. */
  compareReads: Readonly<Record<string, Loaded<boolean>>>;
  /** Shows `target` in the Compare view (a route opens it), reading the jobs the store does not hold. */
  openCompare(target: CompareTarget): void;
}

export function createCompareSlice({ bridge, now }: Pick<ConsoleDeps, 'bridge' | 'now'>): SliceCreator<CompareSlice, Pick<JobsSlice, 'jobsById' | 'mergeJobs'>> {
  return (set, get) => {
    const slotOf = (id: string): Slot<Loaded<boolean>> => ({
      read: () => get().compareReads[id] ?? NOT_LOADED,
      write: (next) => set((state) => ({ compareReads: { ...state.compareReads, [id]: next } })),
    });
    const read = async (id: string): Promise<void> => {
      const slot = slotOf(id);
      if (get().jobsById[id] || slot.read().status === 'loading') return;
      await load(
        slot,
        async () => {
          const job: Job | null = await bridge.getJob(id);
          if (job) get().mergeJobs([job]);
          return job !== null;
        },
        now,
      );
    };
    return {
      compare: null,
      compareReads: {},
      openCompare(target) {
        if (JSON.stringify(target) !== JSON.stringify(get().compare)) set({ compare: target });
        for (const id of comparedIds(target)) void read(id);
      },
    };
  };
}
