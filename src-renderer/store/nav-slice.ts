import type { StateCreator } from 'zustand/vanilla';
import type { ConsoleState, NavSlice, ViewName } from './state';

export const VIEWS: readonly ViewName[] = [
  'overview',
  'submit',
  'jobs',
  'queues',
  'workers',
  'batches',
  'mail',
  'webhooks',
  'subscriptions',
  'api',
  'settings',
];

/** The view a location hash names (`#/jobs`), or null when it names none. */
export function viewOfHash(hash: string): ViewName | null {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : null;
}

export function createNavSlice(): StateCreator<ConsoleState, [], [], NavSlice> {
  return (set, get) => ({
    view: 'overview',
    navigate(view) {
      if (view !== get().view) set({ view });
    },
  });
}
