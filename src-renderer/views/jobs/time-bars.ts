import type { JobTiming } from '../../../src-shared/job-timing';

/** What a bar stands for: its colour, and its name in the legend. */
export type BarKind = 'scheduled' | 'queue' | 'attempt-done' | 'attempt-failed' | 'attempt-lost' | 'attempt-cancelled' | 'attempt-running' | 'retry' | 'delivery';

/** One row of the bars: a stretch of the job's life on the shared axis. */
export interface TimeBar {
  key: string;
  kind: BarKind;
  /** What the row is: `Attempt 2 · failed`. */
  label: string;
  /** Where it starts and ends on the axis, in ms from its start; `to` null: still going. */
  from: number;
  to: number | null;
  ms: number | null;
  /** The whole sentence a screen reader and a tooltip give. */
  description: string;
  /** Effects inside an attempt, on the same axis. */
  inner: { from: number; to: number; ms: number }[];
}

const OUTCOME_KIND = { done: 'attempt-done', failed: 'attempt-failed', worker_lost: 'attempt-lost', given_back: 'attempt-lost', cancelled: 'attempt-cancelled', running: 'attempt-running' } as const;
const OUTCOME_TEXT = { done: 'done', failed: 'failed', worker_lost: 'worker lost', given_back: 'given back, not counted', cancelled: 'cancelled', running: 'running' } as const;
const WAIT_LABEL = { backoff: 'Retry wait', operator: "Until an operator's retry", outage: 'Outage wait' } as const;

/** The rows of a timing, in the order they happened, and the axis they share (in ms from `created_at`). */
export function timeBars(timing: JobTiming, describe: (ms: number | null) => string): { bars: TimeBar[]; span: number } {
  const origin = Date.parse(timing.created_at);
  const asOf = Date.parse(timing.as_of) - origin;
  const at = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso) - origin);
  const bars: TimeBar[] = [];
  const stretch = (key: string, kind: BarKind, label: string, range: { from: string; to: string | null; ms: number }, more = ''): void => {
    bars.push({ key, kind, label, from: at(range.from)!, to: at(range.to), ms: range.ms, description: `${label}: ${describe(range.ms)}${range.to ? '' : ', still going'}${more}`, inner: [] });
  };
  if (timing.scheduled) stretch('scheduled', 'scheduled', 'Scheduled', timing.scheduled);
  if (timing.queue_wait) stretch('queue', 'queue', 'Queue wait', timing.queue_wait);
  // Waits oldest first, each after its attempt (a given-back run and its rerun share a number).
  const waits = [...timing.retry_waits];
  timing.attempts.forEach((attempt, index) => {
    const effect = attempt.effect_ms === null ? '' : `, of which the effect ${describe(attempt.effect_ms)}`;
    stretch(`attempt-${index}`, OUTCOME_KIND[attempt.outcome], `Attempt ${attempt.attempt} · ${OUTCOME_TEXT[attempt.outcome]}`, { from: attempt.started_at, to: attempt.ended_at, ms: attempt.duration_ms }, `${effect}, on ${attempt.worker}`);
    bars.at(-1)!.inner = attempt.effects.map((e) => ({ from: at(e.from)!, to: at(e.to)!, ms: e.ms }));
    const wait = waits[0]?.after_attempt === attempt.attempt ? waits.shift() : undefined;
    if (wait) stretch(`wait-${index}`, 'retry', WAIT_LABEL[wait.by], wait, wait.due_at ? `, next attempt due ${wait.due_at}` : '');
  });
  for (const delivery of timing.deliveries ?? []) {
    const label = `${delivery.type === 'batch' ? 'Batch callback' : 'Webhook'} ${delivery.event_type}`;
    const from = delivery.created_at;
    const ms = delivery.ended_at ? Date.parse(delivery.ended_at) - Date.parse(from) : null;
    const attempts = `, ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}, ${delivery.outcome}`;
    bars.push({ key: `delivery-${delivery.id}`, kind: 'delivery', label, from: at(from)!, to: at(delivery.ended_at), ms, description: `${label}: ${describe(ms)}${attempts}`, inner: [] });
  }
  // The axis ends with the last bar: at as_of only while something still goes on.
  const span = Math.max(1, ...bars.map((bar) => bar.to ?? asOf));
  return { bars, span };
}
