import type { AlertDefinition } from '../../src-shared/alert-schemas';
import type { DependencyState, QueueInfo } from '../../src-shared/console-records';

/** One evaluation of a rule: the value measured, whether it crossed the threshold, and a sentence saying so. */
export interface Reading {
  /** Null where no number says it (`drain_time` while nothing finishes). */
  value: number | null;
  crossed: boolean;
  message: string;
}

type Rule = Pick<AlertDefinition, 'name' | 'type' | 'kind' | 'threshold' | 'window_s'>;

/** What an evaluation does with a reading: open an episode, close it, or nothing. */
export type Step = 'fire' | 'resolve' | 'stay';

/** Once per episode: a rule fires when it crosses while not firing, and resolves when it no longer crosses while firing. */
export function nextStep(firing: boolean, crossed: boolean): Step {
  if (crossed && !firing) return 'fire';
  if (!crossed && firing) return 'resolve';
  return 'stay';
}

const percent = (fraction: number): string => `${Math.round(fraction * 1000) / 10} %`;
const within = (rule: Rule): string => `in the last ${rule.window_s} s`;

/** The largest of several values by name, or none. */
function largest(values: Map<string, number>): [string, number] | null {
  let best: [string, number] | null = null;
  for (const entry of values) if (!best || entry[1] > best[1]) best = entry;
  return best;
}

export function failureRateReading(rule: Rule, counts: { failed: number; finished: number }): Reading {
  const value = counts.finished === 0 ? 0 : counts.failed / counts.finished;
  return {
    value,
    crossed: counts.finished > 0 && value > rule.threshold,
    message: `${counts.failed} of ${counts.finished} ${rule.kind} jobs finished FAILED ${within(rule)} (${percent(value)}; threshold ${percent(rule.threshold)})`,
  };
}

/** The queues a rule watches: its kind's, or every kind's. */
function watched(rule: Rule, queues: readonly QueueInfo[]): QueueInfo[] {
  return rule.kind ? queues.filter((queue) => queue.kind === rule.kind) : [...queues];
}

export function backlogReading(rule: Rule, queues: readonly QueueInfo[]): Reading {
  const top = largest(new Map(watched(rule, queues).map((q) => [q.kind, q.ready])));
  const value = top?.[1] ?? 0;
  return { value, crossed: value > rule.threshold, message: `${value} ${top?.[0] ?? ''} jobs wait in the queue (threshold ${rule.threshold})` };
}

/**
 * Seconds to drain each watched queue at the rate its kind finished jobs over the window; a
 * queue with jobs and no job finished in the window never drains (value null, crossed).
 */
export function drainTimeReading(rule: Rule, queues: readonly QueueInfo[], finishedInWindow: ReadonlyMap<string, number>): Reading {
  let worst: { kind: string; seconds: number | null } | null = null;
  for (const queue of watched(rule, queues)) {
    if (queue.ready === 0) continue;
    const rate = (finishedInWindow.get(queue.kind) ?? 0) / rule.window_s;
    const seconds = rate > 0 ? queue.ready / rate : null;
    if (!worst || seconds === null || (worst.seconds !== null && seconds > worst.seconds)) worst = { kind: queue.kind, seconds };
    if (seconds === null) break;
  }
  if (!worst) return { value: 0, crossed: false, message: 'no jobs wait' };
  if (worst.seconds === null) {
    return { value: null, crossed: true, message: `${worst.kind} jobs wait and none finished ${within(rule)}: the queue does not drain` };
  }
  const seconds = Math.round(worst.seconds);
  return { value: seconds, crossed: seconds > rule.threshold, message: `the ${worst.kind} queue drains in about ${seconds} s at the rate ${within(rule)} (threshold ${rule.threshold} s)` };
}

export function noConsumersReading(rule: Rule, queues: readonly QueueInfo[]): Reading {
  const stranded = watched(rule, queues).filter((q) => q.consumers === 0 && q.ready > rule.threshold);
  const value = Math.max(0, ...stranded.map((q) => q.ready));
  const kinds = stranded.map((q) => `${q.kind} (${q.ready} waiting)`).join(', ');
  return { value, crossed: stranded.length > 0, message: stranded.length > 0 ? `no consumer on ${kinds}` : 'every queue with jobs has a consumer' };
}

export function crashLoopReading(rule: Rule, restartsBySlot: ReadonlyMap<string, number>): Reading {
  const top = largest(new Map(restartsBySlot));
  const value = top?.[1] ?? 0;
  return {
    value,
    crossed: value > rule.threshold,
    message: top ? `worker slot ${top[0]} restarted ${value} times ${within(rule)} (threshold ${rule.threshold})` : `no worker restarted ${within(rule)}`,
  };
}

export function deadLettersReading(rule: Rule, growthByKind: ReadonlyMap<string, number>): Reading {
  const top = largest(new Map([...growthByKind].filter(([kind]) => !rule.kind || kind === rule.kind)));
  const value = Math.max(0, top?.[1] ?? 0);
  return {
    value,
    crossed: value > rule.threshold,
    message: top && value > 0 ? `${value} jobs were dead-lettered in ${top[0]}'s queue ${within(rule)} (threshold ${rule.threshold})` : `no dead letters ${within(rule)}`,
  };
}

export function webhookFailingReading(rule: Rule, failuresBySubscription: ReadonlyMap<string, { url: string; failed: number }>): Reading {
  let worst: { id: string; url: string; failed: number } | null = null;
  for (const [id, entry] of failuresBySubscription) if (!worst || entry.failed > worst.failed) worst = { id, ...entry };
  const value = worst?.failed ?? 0;
  return {
    value,
    crossed: value > rule.threshold,
    message: worst && value > 0 ? `deliveries to ${worst.url} (subscription ${worst.id}) failed ${value} times ${within(rule)} since their last success` : `no webhook delivery failing ${within(rule)}`,
  };
}

export function dependencyReading(rule: Rule, dependencies: Readonly<Record<string, DependencyState>>): Reading {
  const down = Object.entries(dependencies).filter(([, state]) => !state.up);
  return {
    value: down.length,
    crossed: down.length > rule.threshold,
    message: down.length > 0 ? `down: ${down.map(([name, state]) => `${name} (${state.error ?? 'unreachable'})`).join(', ')}` : 'every dependency is up',
  };
}

/**
 * Each kind's dead-letter queue depth as the evaluator saw it: the growth over a window is the
 * depth now less the oldest depth seen within it. Kept in the evaluating console only: a
 * console that takes over starts with a short memory, and measures over what it has seen.
 */
export class DepthHistory {
  private readonly samples = new Map<string, { at: number; depth: number }[]>();

  constructor(private readonly keepMs: number) {}

  record(kind: string, depth: number, at: number): void {
    const list = this.samples.get(kind) ?? [];
    list.push({ at, depth });
    while (list.length > 1 && list[0]!.at < at - this.keepMs) list.shift();
    this.samples.set(kind, list);
  }

  growth(windowMs: number, now: number): Map<string, number> {
    const growth = new Map<string, number>();
    for (const [kind, list] of this.samples) {
      const first = list.find((sample) => sample.at >= now - windowMs) ?? list[list.length - 1]!;
      growth.set(kind, list[list.length - 1]!.depth - first.depth);
    }
    return growth;
  }
}
