import type { Job } from '../../src-shared/job';
import type { AlertsSlice } from './alerts-slice';
import type { BatchesSlice } from './batches-slice';
import type { CompareSlice, CompareTarget } from './compare-slice';
import type { ConsoleDeps, SliceCreator } from './deps';
import type { JobsSlice } from './jobs-slice';
import { load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import type { SchedulesSlice } from './schedules-slice';
import type { SubscriptionsSlice } from './subscriptions-slice';
import type { ViewName } from '../../src-shared/views';

export { VIEWS, viewOfHash, type ViewName } from '../../src-shared/views';

/** What a location names: a view, and the item in it to show (see route.ts for the hash). */
export interface Route {
  view: ViewName;
  /** The job, batch, schedule, subscription or alert rule shown in the view. */
  id?: string;
  /** In Subscriptions: the delivery of `id` to show. */
  deliveryId?: string;
  /** In Jobs: the search (`#/jobs?q=…&job=<id>`). */
  q?: string;
  /** In Compare: the two jobs or attempts (`#/compare/<a>/<b>`, `#/compare/<id>/attempts/<n>/<m>`). */
  compare?: CompareTarget;
}

/** A job a link opened that the store did not hold, read from the API; data null: the API has no such job. */
export type LinkedJob = Loaded<Job | null> & { id: string };

export interface NavSlice {
  view: ViewName;
  /** The last job a link opened while the store did not hold it; null once it is held. */
  linkedJob: LinkedJob | null;
  navigate(view: ViewName): void;
  /** Shows what a route names: its view, and the job, batch, subscription or delivery in it. */
  openRoute(route: Route): void;
}

type NavReads = Pick<JobsSlice, 'jobsById' | 'selectJob' | 'mergeJobs' | 'filter' | 'setFilter'> &
  Pick<BatchesSlice, 'selectBatch'> &
  Pick<SubscriptionsSlice, 'selectSubscription' | 'selectDelivery'> &
  Pick<CompareSlice, 'openCompare'> &
  Pick<SchedulesSlice, 'selectSchedule'> &
  Pick<AlertsSlice, 'selectAlert'>;

export function createNavSlice({ bridge, now }: Pick<ConsoleDeps, 'bridge' | 'now'>): SliceCreator<NavSlice, NavReads> {
  return (set, get) => {
    /** Selects the job, and reads it from the API when the store does not hold it (older than the pages read). */
    const openJob = async (id: string): Promise<void> => {
      get().selectJob(id);
      if (get().jobsById[id]) {
        if (get().linkedJob) set({ linkedJob: null });
        return;
      }
      const linked = get().linkedJob;
      if (linked?.id === id && linked.status !== 'failed') return;
      const slot: Slot<LinkedJob> = {
        read: () => get().linkedJob ?? { ...NOT_LOADED, id },
        write(next) {
          if (get().linkedJob?.id === id) set({ linkedJob: next });
        },
      };
      set({ linkedJob: { ...NOT_LOADED, id } });
      const job = await load(slot, () => bridge.getJob(id), now);
      if (job) get().mergeJobs([job]);
    };

    return {
      view: 'overview',
      linkedJob: null,
      navigate(view) {
        if (view !== get().view) set({ view });
      },
      openRoute({ view, id, deliveryId, q, compare }) {
        get().navigate(view);
        if (view === 'compare' && compare) get().openCompare(compare);
        // A link without a search keeps the one typed: only a link that names one sets it.
        if (view === 'jobs' && q !== undefined && q !== get().filter.search) get().setFilter({ search: q });
        if (!id) return;
        if (view === 'jobs') void openJob(id);
        if (view === 'batches') get().selectBatch(id);
        if (view === 'schedules') get().selectSchedule(id);
        if (view === 'alerts') get().selectAlert(id);
        if (view === 'subscriptions') {
          get().selectSubscription(id);
          get().selectDelivery(deliveryId ?? null);
        }
      },
    };
  };
}
