/**
 * The console's views, their titles and their `G`+letter keys: the renderer's navigation and
 * keyboard map read them, and so does the desktop shell's Go menu, so both say the same.
 */

export type ViewName =
  | 'overview'
  | 'submit'
  | 'jobs'
  | 'queues'
  | 'workers'
  | 'batches'
  | 'schedules'
  | 'mail'
  | 'webhooks'
  | 'subscriptions'
  | 'dead-letters'
  | 'alerts'
  | 'audit'
  | 'api'
  | 'settings'
  | 'compare';

/** Every view, in the navigation's order (Alt+1 … Alt+9 open the first nine). */
export const VIEWS: readonly ViewName[] = [
  'overview',
  'submit',
  'jobs',
  'queues',
  'workers',
  'batches',
  'schedules',
  'mail',
  'webhooks',
  'subscriptions',
  'dead-letters',
  'alerts',
  'audit',
  'api',
  'settings',
  'compare',
];

/** Each view's name as the navigation, the window title, the command palette and the menu say it. */
export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  overview: 'Overview',
  submit: 'Submit',
  jobs: 'Jobs',
  queues: 'Queues',
  workers: 'Workers',
  batches: 'Batches',
  schedules: 'Schedules',
  mail: 'Mail',
  webhooks: 'Webhooks',
  subscriptions: 'Subscriptions',
  'dead-letters': 'Dead letters',
  alerts: 'Alerts',
  audit: 'Audit',
  api: 'API',
  settings: 'Settings',
  compare: 'Compare',
};

/** `G` then this letter opens the view (as in GitHub or Gmail); every view has one. */
export const VIEW_LETTER: Readonly<Record<ViewName, string>> = {
  overview: 'o',
  submit: 's',
  jobs: 'j',
  queues: 'q',
  workers: 'w',
  batches: 'b',
  schedules: 'c',
  mail: 'm',
  webhooks: 'h',
  subscriptions: 'u',
  'dead-letters': 'd',
  alerts: 'l',
  audit: 't',
  api: 'a',
  settings: 'e',
  compare: 'v',
};

/** The view a location hash names (`#/jobs`), or null when it names none. */
export function viewOfHash(hash: string): ViewName | null {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : null;
}
