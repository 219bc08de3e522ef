/**
 * The location hash and the store agree both ways: a hash change (a link, back, forward, a
 * reload) opens what it names; a change in the store (a view shortcut, a row picked, details
 * closed) is written back, so the address always links to what is shown.
 */
import type { ConsoleStore } from './console-store';
import { hashOfRoute, routeOfHash, type Route } from './route';
import type { ConsoleState } from './state';

/** The item each view with items has open. */
const SHOWN_ITEM: Partial<Record<ConsoleState['view'], (state: ConsoleState) => string | null>> = {
  jobs: (state) => state.selectedJobId,
  batches: (state) => state.selectedBatchId,
  schedules: (state) => state.selectedScheduleId,
  subscriptions: (state) => state.selectedSubscriptionId,
  alerts: (state) => state.selectedAlertId,
};

/** What the store shows, as a route: the view, its search (Jobs), and the job, batch, schedule, subscription or delivery open in it. */
export function shownRoute(state: ConsoleState): Route {
  const { view } = state;
  if (view === 'compare') return state.compare ? { view, compare: state.compare } : { view };
  const id = SHOWN_ITEM[view]?.(state) ?? null;
  const q = view === 'jobs' ? state.filter.search.trim() : '';
  if (q) return id ? { view, id, q } : { view, q };
  if (!id) return { view };
  const deliveryId = view === 'subscriptions' ? state.selectedDeliveryId : null;
  return deliveryId ? { view, id, deliveryId } : { view, id };
}

/** Starts following the location; the returned function stops it. */
export function syncLocation(store: ConsoleStore, target: Window = window): () => void {
  const follow = (): void => store.getState().openRoute(routeOfHash(target.location.hash) ?? { view: 'overview' });
  follow();
  target.addEventListener('hashchange', follow);
  const unsubscribe = store.subscribe((state, previous) => {
    const hash = hashOfRoute(shownRoute(state));
    if (hash === target.location.hash) return;
    // Another view is a step back can return to; another item in the same view replaces the entry.
    if (state.view !== previous.view && routeOfHash(target.location.hash)?.view !== state.view) target.location.hash = hash;
    else if (hashOfRoute(shownRoute(previous)) !== hash) target.history.replaceState(target.history.state, '', hash);
  });
  return () => {
    target.removeEventListener('hashchange', follow);
    unsubscribe();
  };
}
