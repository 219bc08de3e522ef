import { useEffect, useState } from 'react';
import type { ConsoleStore } from '../store/console-store';
import { FULL_JOB_ID } from './commands';

export type FetchedJob = { status: 'idle' | 'loading' | 'missing' | 'failed'; id: string } | { status: 'found'; id: string };

const IDLE: FetchedJob = { status: 'idle', id: '' };

/**
 * A full job ID typed in the palette that the store does not hold is asked of the API
 * (GET /api/v1/jobs/<id>); a job found is folded into the store, so the palette lists it.
 */
export function useFetchedJob(store: ConsoleStore, query: string): FetchedJob {
  const id = query.trim().toLowerCase();
  const wanted = FULL_JOB_ID.test(id) && !store.getState().jobsById[id];
  const [fetched, setFetched] = useState<FetchedJob>(IDLE);
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    setFetched({ status: 'loading', id });
    store
      .getState()
      .loadJob(id)
      .then(
        (job) => current && setFetched({ status: job ? 'found' : 'missing', id }),
        () => current && setFetched({ status: 'failed', id }),
      );
    return () => {
      current = false;
    };
  }, [store, id, wanted]);
  return fetched.id === id ? fetched : IDLE;
}
