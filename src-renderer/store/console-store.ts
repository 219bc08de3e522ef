import { createStore, type StoreApi } from 'zustand/vanilla';
import { scheduleWithTimer } from '../bridge/schedule';
import { createAlertsSlice } from './alerts-slice';
import { createApiDocSlice } from './api-doc-slice';
import { createBatchesSlice } from './batches-slice';
import { createCompareSlice } from './compare-slice';
import { createJobsSlice } from './jobs-slice';
import { createJobLogsSlice } from './job-logs-slice';
import { createJobTimingSlice } from './job-timing-slice';
import { createKindsSlice } from './kinds-slice';
import { createLiveSlice } from './live-slice';
import { createModeSlice } from './mode-slice';
import { createNavSlice } from './nav-slice';
import { createOperationsSlice } from './operations-slice';
import { createOverviewSlice } from './overview-slice';
import { createProfilesSlice } from './profiles-slice';
import { createQueuesSlice } from './queues-slice';
import { createDeadLettersSlice } from './dead-letters-slice';
import { createAuditSlice } from './audit-slice';
import { createFlowSlice } from './flow-slice';
import { createRecordsSlice } from './records-slice';
import { createReplaySlice } from './replay-slice';
import { createSavedViewsSlice } from './saved-views-slice';
import { createSchedulesSlice } from './schedules-slice';
import { createSortSlice } from './sort-slice';
import { createWorkersSlice } from './workers-slice';
import type { ConsoleDeps } from './deps';
import type { ConsoleState } from './state';
import { createSubmitSlice } from './submit-slice';
import { createSubscriptionsSlice } from './subscriptions-slice';

export type ConsoleStore = StoreApi<ConsoleState>;

/** Jobs held in memory; older ones come from the history on demand. */
export const DEFAULT_MAX_JOBS = 100_000;
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_EVENT_BATCH_MS = 100;

export type ConsoleStoreOptions = Pick<ConsoleDeps, 'bridge'> & Partial<Omit<ConsoleDeps, 'bridge'>>;

/** The console's one store. Nothing happens until `start()` is called on its state. */
export function createConsoleStore(options: ConsoleStoreOptions): ConsoleStore {
  const deps: ConsoleDeps = {
    maxJobs: DEFAULT_MAX_JOBS,
    pageSize: DEFAULT_PAGE_SIZE,
    eventBatchMs: DEFAULT_EVENT_BATCH_MS,
    schedule: scheduleWithTimer,
    now: () => Date.now(),
    ...options,
  };
  return createStore<ConsoleState>()((...args) => ({
    ...createJobsSlice(deps)(...args),
    ...createJobLogsSlice(deps)(...args),
    ...createJobTimingSlice(deps)(...args),
    ...createKindsSlice(deps)(...args),
    ...createSubmitSlice(deps)(...args),
    ...createLiveSlice(deps)(...args),
    ...createModeSlice(deps)(...args),
    ...createWorkersSlice(deps)(...args),
    ...createOverviewSlice(deps)(...args),
    ...createProfilesSlice(deps)(...args),
    ...createRecordsSlice(deps)(...args),
    ...createReplaySlice(deps)(...args),
    ...createQueuesSlice(deps)(...args),
    ...createDeadLettersSlice(deps)(...args),
    ...createAuditSlice(deps)(...args),
    ...createFlowSlice(deps)(...args),
    ...createBatchesSlice(deps)(...args),
    ...createCompareSlice(deps)(...args),
    ...createSubscriptionsSlice(deps)(...args),
    ...createAlertsSlice(deps)(...args),
    ...createApiDocSlice(deps)(...args),
    ...createOperationsSlice(deps)(...args),
    ...createSavedViewsSlice(deps)(...args),
    ...createSchedulesSlice(deps)(...args),
    ...createNavSlice(deps)(...args),
    ...createSortSlice()(...args),
  }));
}
