import type { Unsubscribe } from '../../src-shared/bridge';
import type { BatchesSlice } from './batches-slice';
import type { ConnectionState } from './connection-state';
import type { ConsoleDeps, SliceCreator } from './deps';
import { createEventBatcher } from './event-batcher';
import type { JobsSlice } from './jobs-slice';
import type { KindsSlice } from './kinds-slice';
import type { ModeSlice } from './mode-slice';

export interface LiveSlice {
  connection: ConnectionState;
  /**
   * When the figures were last fresh: the moment the live feed dropped (ms since the epoch);
   * null while it is open or before it ever opened.
   */
  lostAt: number | null;
  /**
   * Subscribes to the live feed (events batched) and loads the first page. Idempotent: while
   * started, it returns the same stop function and subscribes nothing more. The stop function
   * unsubscribes and drops what is still pending; calling it again does nothing.
   */
  start(): Unsubscribe;
}

export function createLiveSlice({ bridge, eventBatchMs, schedule, now }: ConsoleDeps): SliceCreator<LiveSlice, JobsSlice & BatchesSlice & KindsSlice & ModeSlice> {
  return (set, get) => {
    /** The running feed's stop; undefined while stopped. */
    let running: Unsubscribe | undefined;

    const subscribe = (): Unsubscribe => {
      set({ connection: 'connecting' });
      const batcher = createEventBatcher({
        flush: (events) => get().applyEvents(events),
        intervalMs: eventBatchMs,
        schedule,
      });
      const stopEvents = bridge.onJobEvent((event) => batcher.push(event));
      const stopBatches = bridge.onBatchEvent((event) => get().applyBatchEvent(event));
      // What fell in the gap is gone from the stream: reload what is shown, then carry on live.
      const stopResync = bridge.onResync(() => {
        void get().loadFirstPage();
        if (get().batches.status === 'loaded') void get().loadBatches();
      });
      const stopConnection = bridge.onConnectionChange((connection) => {
        const was = get().connection;
        const opened = connection === 'live' && was !== 'live';
        set({ connection, ...lostAtAfter(was, connection, get().lostAt, now()) });
        // Changes made while the feed was not open were never streamed: catch up from the list
        // (and the kinds and the mode: a console that restarted may have another kinds file or profile).
        if (opened) {
          void get().loadFirstPage();
          void get().loadKinds();
          void get().loadMode();
        }
      });
      // Show the list at once, even when the feed is slow to open.
      if (get().connection !== 'live') void get().loadFirstPage();
      if (get().kinds.status === 'idle') void get().loadKinds();

      const stop = (): void => {
        if (running !== stop) return;
        running = undefined;
        stopEvents();
        stopBatches();
        stopResync();
        stopConnection();
        batcher.close();
      };
      return stop;
    };

    return {
      connection: 'connecting',
      lostAt: null,

      start() {
        running ??= subscribe();
        return running;
      },
    };
  };
}

/** The feed dropped: the figures were fresh until now. It opened again: they are fresh. */
export function lostAtAfter(was: ConnectionState, next: ConnectionState, lostAt: number | null, nowMs: number): { lostAt: number | null } {
  if (next === 'live') return { lostAt: null };
  return { lostAt: was === 'live' ? nowMs : lostAt };
}
