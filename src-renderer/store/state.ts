/**
 * The console store's whole state: one store made of typed slices, each declared beside its
 * creator. A slice reads another only through the part it names (see `SliceCreator`).
 */
import type { AlertsSlice } from './alerts-slice';
import type { ApiDocSlice } from './api-doc-slice';
import type { BatchesSlice } from './batches-slice';
import type { CompareSlice } from './compare-slice';
import type { JobsSlice } from './jobs-slice';
import type { JobLogsSlice } from './job-logs-slice';
import type { JobTimingSlice } from './job-timing-slice';
import type { KindsSlice } from './kinds-slice';
import type { LiveSlice } from './live-slice';
import type { ModeSlice } from './mode-slice';
import type { NavSlice } from './nav-slice';
import type { OperationsSlice } from './operations-slice';
import type { OverviewSlice } from './overview-slice';
import type { ProfilesSlice } from './profiles-slice';
import type { QueuesSlice } from './queues-slice';
import type { DeadLettersSlice } from './dead-letters-slice';
import type { AuditSlice } from './audit-slice';
import type { FlowSlice } from './flow-slice';
import type { RecordsSlice } from './records-slice';
import type { ReplaySlice } from './replay-slice';
import type { SavedViewsSlice } from './saved-views-slice';
import type { SchedulesSlice } from './schedules-slice';
import type { SortSlice } from './sort-slice';
import type { SubmitSlice } from './submit-slice';
import type { SubscriptionsSlice } from './subscriptions-slice';
import type { WorkersSlice } from './workers-slice';

export type ConsoleState = JobsSlice &
  JobLogsSlice &
  JobTimingSlice &
  KindsSlice &
  SubmitSlice &
  LiveSlice &
  ModeSlice &
  WorkersSlice &
  OverviewSlice &
  ProfilesSlice &
  RecordsSlice &
  ReplaySlice &
  QueuesSlice &
  DeadLettersSlice &
  AuditSlice &
  FlowSlice &
  BatchesSlice &
  CompareSlice &
  SubscriptionsSlice &
  AlertsSlice &
  ApiDocSlice &
  OperationsSlice &
  SavedViewsSlice &
  SchedulesSlice &
  NavSlice &
  SortSlice;
