import type { SliceCreator } from './deps';

export type ViewName =
  | 'overview'
  | 'submit'
  | 'jobs'
  | 'queues'
  | 'workers'
  | 'batches'
  | 'mail'
  | 'webhooks'
  | 'subscriptions'
  | 'api'
  | 'settings';

export interface NavSlice {
  view: ViewName;
  navigate(view: ViewName): void;
}

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

export function createNavSlice(): SliceCreator<NavSlice> {
  return (set, get) => ({
    view: 'overview',
    navigate(view) {
      if (view !== get().view) set({ view });
    },
  });
}
