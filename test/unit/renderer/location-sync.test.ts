import { describe, expect, it } from 'vitest';
import { syncLocation } from '../../../src-renderer/store/location-sync';
import { makeJob } from './fixtures';
import { setupStore } from './store-fixture';

/** The parts of a window location-sync uses: a hash, history entries, and hashchange listeners. */
function fakeWindow(hash: string) {
  const pushed: string[] = [];
  const replaced: string[] = [];
  const listeners = new Set<() => void>();
  let current = hash;
  const target = {
    location: {
      get hash() {
        return current;
      },
      set hash(next: string) {
        current = next;
        pushed.push(next);
      },
    },
    history: {
      state: null,
      replaceState(_state: unknown, _title: string, url: string) {
        current = url;
        replaced.push(url);
      },
    },
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  /** A link followed or Back pressed: the hash changes, then hashchange fires. */
  const follow = (next: string) => {
    current = next;
    for (const listener of listeners) listener();
  };
  return { window: target as unknown as Window, pushed, replaced, follow, listeners };
}

const A = makeJob({ id: '1a00d835-0b9c-4a55-9a59-1f1f0c2d3e4f' });
const B = makeJob({ id: '2b00d835-0b9c-4a55-9a59-1f1f0c2d3e4f' });

describe('the location and the store', () => {
  it('opens what the address names, and writes what is shown back to it', () => {
    const { store } = setupStore([A, B]);
    store.getState().mergeJobs([A, B]);
    const fake = fakeWindow(`#/jobs/${A.id}`);
    const stop = syncLocation(store, fake.window);
    expect(store.getState()).toMatchObject({ view: 'jobs', selectedJobId: A.id });

    // Another row picked: the entry is replaced, not added, so Back leaves the view.
    store.getState().selectJob(B.id);
    expect(fake.replaced).toEqual([`#/jobs/${B.id}`]);
    expect(fake.pushed).toEqual([]);

    // Another view from the store (a shortcut): a new entry Back returns from.
    store.getState().navigate('mail');
    expect(fake.pushed).toEqual(['#/mail']);

    fake.follow('#/subscriptions/s1/deliveries/d1');
    expect(store.getState()).toMatchObject({ view: 'subscriptions', selectedSubscriptionId: 's1', selectedDeliveryId: 'd1' });

    stop();
    expect(fake.listeners.size).toBe(0);
  });

  it('keeps the open job when a link names only its view', () => {
    const { store } = setupStore([A]);
    store.getState().mergeJobs([A]);
    const fake = fakeWindow(`#/jobs/${A.id}`);
    syncLocation(store, fake.window);
    fake.follow('#/overview');
    fake.follow('#/jobs');
    expect(store.getState().selectedJobId).toBe(A.id);
    expect(fake.replaced.at(-1)).toBe(`#/jobs/${A.id}`);
  });

  it('puts the search of the Jobs view in the address, and a link with one opens it with its job', () => {
    const { store } = setupStore([A, B]);
    store.getState().mergeJobs([A, B]);
    const fake = fakeWindow('#/jobs');
    syncLocation(store, fake.window);
    store.getState().setFilter({ search: 'status:FAILED error:"x y"' });
    expect(fake.replaced.at(-1)).toBe('#/jobs?q=status%3AFAILED+error%3A%22x+y%22');

    fake.follow(`#/jobs?q=${encodeURIComponent('kind:log')}&job=${B.id}`);
    expect(store.getState()).toMatchObject({ view: 'jobs', selectedJobId: B.id, filter: { search: 'kind:log' } });
    expect(fake.window.location.hash).toBe(`#/jobs?q=kind%3Alog&job=${B.id}`);

    // A link without a search keeps the one typed.
    fake.follow(`#/jobs/${A.id}`);
    expect(store.getState()).toMatchObject({ selectedJobId: A.id, filter: { search: 'kind:log' } });
  });
});
