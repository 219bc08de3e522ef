import type { StateCreator } from 'zustand/vanilla';
import type { ConsoleBridge } from '../bridge/console-bridge';
import type { Schedule } from '../bridge/schedule';

/** What the slices' actions use; passed in, so tests can give their own bridge and clock. */
export interface ConsoleDeps {
  bridge: ConsoleBridge;
  /** Jobs kept in memory, newest first. */
  maxJobs: number;
  /** Jobs asked for by the first page. */
  pageSize: number;
  /** Longest wait before events reach the store, and shortest time between two updates. */
  eventBatchMs: number;
  schedule: Schedule;
  /** Epoch milliseconds; injected so tests own the clock. */
  now: () => number;
}

/**
 * A slice of the console store: it creates `Own`, and reads or calls `Reads` of other slices.
 * Typed by what it touches rather than by the whole state, so each slice's type sits beside its
 * creator and the whole state (state.ts) is put together from them without an import cycle.
 */
export type SliceCreator<Own, Reads = unknown> = StateCreator<Own & Reads, [], [], Own>;
