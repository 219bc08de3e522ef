import type { ViewName } from './store/nav-slice';

/** Each view's name as the navigation, the window title and the command palette say it. */
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
