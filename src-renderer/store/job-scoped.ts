import { load, NOT_LOADED, type Loaded, type Slot } from './loaded';

/** A read about one job (its log, its timing), kept for the job last asked for. */
export type JobScoped<T> = Loaded<T> & { id: string | null };

export const NOT_LOADED_FOR_JOB: JobScoped<never> = { ...NOT_LOADED, id: null };

/**
 * Reads something about job `id` into `key`: starting afresh when another job's is held, and
 * dropping an answer that comes back once another job was asked for.
 */
export async function loadForJob<K extends string, S extends JobScoped<unknown>>(
  get: () => Record<K, S>,
  set: (change: Record<K, S>) => void,
  key: K,
  id: string,
  read: () => Promise<S['data']>,
  now: () => number,
): Promise<void> {
  const write = (next: S): void => set({ [key]: next } as Record<K, S>);
  if (get()[key].id !== id) write({ ...NOT_LOADED, id } as S);
  const slot: Slot<S> = {
    read: () => get()[key],
    write: (next) => {
      if (get()[key].id === id) write(next);
    },
  };
  await load(slot, read, now);
}
