import type { CreateBatchRequest } from '../../../src-shared/bridge';

/** A batch the book's fan-out example describes, ready to submit. */
export interface BatchPreset {
  name: string;
  description: string;
  jobs: () => CreateBatchRequest['jobs'];
}

const unixSeconds = (): number => Math.floor(Date.now() / 1000);

/** The two fan-out examples of the book's chapter. */
export const BATCH_PRESETS: readonly BatchPreset[] = [
  {
    name: 'Checkout',
    description: 'A payment callback job and an analytics log job, as one order.',
    jobs: () => [
      { kind: 'callback', payload: { duration_ms: 1_500 } },
      { kind: 'log', payload: { client_time: unixSeconds() } },
    ],
  },
  {
    name: 'Price aggregator',
    description: 'Three callback jobs (one per supplier) whose results the fan-in combines.',
    jobs: () => [
      { kind: 'callback', payload: { duration_ms: 800 } },
      { kind: 'callback', payload: { duration_ms: 1_200 } },
      { kind: 'callback', payload: { duration_ms: 1_600 } },
    ],
  },
];

/** The jobs as the form's JSON text. */
export const jobsText = (jobs: CreateBatchRequest['jobs']): string => JSON.stringify(jobs, null, 2);
