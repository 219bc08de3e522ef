import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, SliceCreator } from './deps';
import type { JobsSlice } from './jobs-slice';
import { load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import type { NavSlice } from './nav-slice';

/** "Run again with changes": the job whose payload fills its kind's Submit form, whose submits then send `replay_of`. */
export interface ReplayDraft {
  /** The job run again: what `replay_of` names. */
  of: string;
  kind: JobKind;
  /** Its payload as shown (a kind B signing secret is never shown, so it is not in it). */
  payload: Record<string, unknown>;
  /** Counts the replays started, so a form starts afresh on each (and keeps its inputs when the replay is dropped). */
  seq: number;
}

/** Most replays of a job the details list (the search finds them all). */
export const REPLAYS_SHOWN = 20;

export interface ReplaySlice {
  replay: ReplayDraft | null;
  /** Opens the Submit view on `job`'s kind, its form filled with the job's payload. */
  startReplay(job: Job): void;
  /** Leaves replay mode: the form keeps what was typed; its next submit is a job of its own. */
  dropReplay(): void;
  /** A replay's submit was accepted: the jobs join their original's replays, and replay mode ends. */
  replayAccepted(jobs: readonly Job[]): void;
  /** Each job's replays, newest first (IDs), as `replay_of:<id>` found them and this console added them since. */
  replaysOf: Readonly<Record<string, Loaded<string[]>>>;
  /** Searches the history for the replays of `id` (`replay_of:<id>`), folding them in. */
  loadReplays(id: string): Promise<void>;
}

type ReplayReads = Pick<JobsSlice, 'mergeJobs'> & Pick<NavSlice, 'navigate'>;

export function createReplaySlice({ bridge, now }: Pick<ConsoleDeps, 'bridge' | 'now'>): SliceCreator<ReplaySlice, ReplayReads> {
  return (set, get) => {
    const slotOf = (id: string): Slot<Loaded<string[]>> => ({
      read: () => get().replaysOf[id] ?? NOT_LOADED,
      write: (next) => set((state) => ({ replaysOf: { ...state.replaysOf, [id]: next } })),
    });
    return {
      replay: null,
      replaysOf: {},

      startReplay(job) {
        const seq = (get().replay?.seq ?? 0) + 1;
        set({ replay: { of: job.id, kind: job.kind, payload: job.payload, seq } });
        get().navigate('submit');
      },

      dropReplay() {
        if (get().replay) set({ replay: null });
      },

      replayAccepted(jobs) {
        const of = get().replay?.of;
        if (!of) return;
        const slot = slotOf(of);
        const known = slot.read();
        const ids = [...jobs.map((job) => job.id), ...(known.data ?? [])];
        slot.write({ ...known, data: [...new Set(ids)] });
        set({ replay: null });
      },

      async loadReplays(id) {
        await load(
          slotOf(id),
          async () => {
            const page = await bridge.listJobs({ q: `replay_of:${id}`, limit: REPLAYS_SHOWN });
            get().mergeJobs(page.items);
            // A replay this console just submitted may not be in the history yet: it stays listed.
            return [...new Set([...page.items.map((job) => job.id), ...(get().replaysOf[id]?.data ?? [])])];
          },
          now,
        );
      },
    };
  };
}
