/**
 * A resource the console reads from the API, in one shape for every view: whether it is being
 * read, what the last good read returned, and why the last read failed.
 */
import type { Page } from '../../src-shared/job';
import { describeError } from './failures';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface Loaded<T> {
  status: LoadStatus;
  /** What the last good read returned; kept while it is read again and after a failed read. */
  data: T | null;
  /** Why the last read failed, in one sentence; null once a read succeeds. */
  error: string | null;
  /** Epoch ms the last read ended, well or not; null before. */
  at: number | null;
}

export const NOT_LOADED: Loaded<never> = { status: 'idle', data: null, error: null, at: null };

/** One place in the store, read and written whole: where `load` and `act` keep what they track. */
export interface Slot<S> {
  read(): S;
  write(next: S): void;
}

/** The slot of one field of a zustand state. */
export function field<State, K extends keyof State>(get: () => State, set: (change: Pick<State, K>) => void, key: K): Slot<State[K]> {
  return { read: () => get()[key], write: (next) => set({ [key]: next } as Pick<State, K>) };
}

export interface LoadOptions {
  /** A new question (another filter): say `loading` and forget the last error even when loaded. */
  restart?: boolean;
}

/**
 * Reads a resource into its slot: `loading` (a loaded one stays `loaded` while it is read again,
 * so its view does not flash), then `loaded` with the data, or `failed` with the error in one
 * sentence and the last data kept. Other fields of the slot are kept. The data, or undefined
 * when the read failed.
 */
export async function load<S extends Loaded<unknown>>(
  slot: Slot<S>,
  read: () => Promise<S['data']>,
  now: () => number,
  options: LoadOptions = {},
): Promise<S['data'] | undefined> {
  const before = slot.read();
  if (options.restart) slot.write({ ...before, status: 'loading', error: null });
  else if (before.status !== 'loaded') slot.write({ ...before, status: 'loading' });
  try {
    const data = await read();
    slot.write({ ...slot.read(), status: 'loaded', data, error: null, at: now() });
    return data;
  } catch (error) {
    slot.write({ ...slot.read(), status: 'failed', error: describeError(error), at: now() });
    return undefined;
  }
}

/** Reads the page after the one a slot holds (its `next_cursor`) and appends it; nothing on the last page. */
export async function loadNextPage<T>(slot: Slot<Loaded<Page<T>>>, readPage: (cursor: string) => Promise<Page<T>>, now: () => number): Promise<void> {
  const cursor = slot.read().data?.next_cursor;
  if (!cursor) return;
  await load(
    slot,
    async () => {
      const next = await readPage(cursor);
      return { items: [...(slot.read().data?.items ?? []), ...next.items], next_cursor: next.next_cursor };
    },
    now,
  );
}
