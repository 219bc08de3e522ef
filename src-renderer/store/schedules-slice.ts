/** Recurring schedules: the list, the one shown (its next runs and last runs), create and the actions on one. */
import type { CreateScheduleRequest, DeleteSubscriptionResult, JobActionResult, ScheduleResult } from '../../src-shared/bridge';
import type { Schedule as RecurringSchedule, ScheduleDetail } from '../../src-shared/schedule-schemas';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import { act, type Accepted, type Pending } from './pending';

/** What an action on one schedule was, for its message. */
export type ScheduleVerb = 'pause' | 'resume' | 'trigger' | 'delete';

export interface SchedulesSlice {
  schedules: Loaded<readonly RecurringSchedule[]>;
  selectedScheduleId: string | null;
  /** The selected schedule read whole (next runs, last runs); data null: there is no such schedule. */
  scheduleDetail: Loaded<ScheduleDetail | null> & { id: string | null };
  scheduleForm: Pending<Accepted<ScheduleResult>, null> | null;
  /** The last action on a schedule; target: its verb and the schedule's ID. */
  scheduleAction: Pending<Accepted<ScheduleResult | JobActionResult | DeleteSubscriptionResult>, { verb: ScheduleVerb; id: string }> | null;
  loadSchedules(): Promise<void>;
  selectSchedule(id: string | null): void;
  loadScheduleDetail(): Promise<void>;
  createSchedule(request: CreateScheduleRequest): Promise<boolean>;
  /** `confirm`: a delete's on production (the schedule's ID). */
  scheduleVerb(verb: ScheduleVerb, id: string, confirm?: string): Promise<boolean>;
}

/** Schedules listed at most (one page). */
export const SCHEDULE_PAGE_SIZE = 200;

export function createSchedulesSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<SchedulesSlice> {
  return (set, get) => {
    const schedules = field(get, set, 'schedules');
    const listed = () => schedules.read().data ?? [];
    const detail: Slot<SchedulesSlice['scheduleDetail']> = field(get, set, 'scheduleDetail');
    const replace = (next: RecurringSchedule) => schedules.write({ ...schedules.read(), data: listed().map((s) => (s.id === next.id ? next : s)) });
    const call = (verb: ScheduleVerb, id: string, confirm?: string) => {
      if (verb === 'pause') return bridge.pauseSchedule(id);
      if (verb === 'resume') return bridge.resumeSchedule(id);
      if (verb === 'trigger') return bridge.triggerSchedule(id);
      return bridge.deleteSchedule(id, confirm);
    };

    return {
      schedules: NOT_LOADED,
      selectedScheduleId: null,
      scheduleDetail: { ...NOT_LOADED, id: null },
      scheduleForm: null,
      scheduleAction: null,
      loadSchedules: async () => void (await load(schedules, async () => (await bridge.listSchedules({ limit: SCHEDULE_PAGE_SIZE })).items, now)),

      selectSchedule(id) {
        if (id === get().selectedScheduleId) return;
        set({ selectedScheduleId: id, scheduleDetail: { ...NOT_LOADED, id } });
        if (id) void get().loadScheduleDetail();
      },

      async loadScheduleDetail() {
        const id = get().selectedScheduleId;
        if (!id) return;
        const mine: Slot<SchedulesSlice['scheduleDetail']> = { read: detail.read, write: (next) => get().scheduleDetail.id === id && detail.write(next) };
        if (get().scheduleDetail.id !== id) set({ scheduleDetail: { ...NOT_LOADED, id } });
        await load(mine, () => bridge.getSchedule(id), now);
      },

      async createSchedule(request) {
        const answer = await act(field(get, set, 'scheduleForm'), null, () => bridge.createSchedule(request));
        if (!answer.ok) return false;
        schedules.write({ ...schedules.read(), data: [answer.schedule, ...listed().filter((s) => s.id !== answer.schedule.id)] });
        get().selectSchedule(answer.schedule.id);
        return true;
      },

      async scheduleVerb(verb, id, confirm) {
        const answer = await act(field(get, set, 'scheduleAction'), { verb, id }, () => call(verb, id, confirm), schedule);
        if (!answer.ok) return false;
        if ('schedule' in answer) replace((answer as Accepted<ScheduleResult>).schedule);
        if (verb === 'delete') {
          schedules.write({ ...schedules.read(), data: listed().filter((s) => s.id !== id) });
          if (get().selectedScheduleId === id) get().selectSchedule(null);
        } else if (get().selectedScheduleId === id) {
          await get().loadScheduleDetail();
        }
        return true;
      },
    };
  };
}
