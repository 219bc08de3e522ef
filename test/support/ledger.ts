import type { JobKind } from '../../src-shared/kinds';
import type { EffectCounts } from './effect-sinks';

/** What the ledger concludes, in the terms of RabbitMQ's Jepsen checker. */
export interface LedgerVerdict {
  /** Jobs the API accepted (202 with an ID). */
  jobs: number;
  /** Accepted jobs whose effect never reached its sink. */
  lost: string[];
  /** Accepted jobs whose effect reached its sink more than once (after the sink's own dedupe). */
  duplicated: string[];
  /** Effects of jobs the API never accepted. */
  unexpected: string[];
  /** Raw repeats the sinks saw and dropped by their delivery IDs (`webhook-id`, `X-Jobdeck-Job`), by kind. */
  repeatsDropped: Record<JobKind, number>;
}

/**
 * Records every job the API accepted and, at the end, every effect the sinks saw, and classifies
 * each job as delivered once, lost, duplicated or unexpected.
 */
export class Ledger {
  private readonly accepted = new Map<string, JobKind>();
  /** Submits answered 503/429: the job must leave no effect. */
  refused = 0;

  accept(id: string, kind: JobKind): void {
    this.accepted.set(id, kind);
  }

  get ids(): string[] {
    return [...this.accepted.keys()];
  }

  kindOf(id: string): JobKind | undefined {
    return this.accepted.get(id);
  }

  /**
   * `rows` is kind A's effect (rows per job ID: the primary key allows one); `deliveries` and
   * `mails` are raw counts, which a receiver dedupes by the stable IDs Jobdeck sends.
   */
  verdict(effects: Record<JobKind, EffectCounts>): LedgerVerdict {
    const lost: string[] = [];
    const duplicated: string[] = [];
    const unexpected: string[] = [];
    const repeatsDropped: Record<JobKind, number> = { log: 0, callback: 0, email: 0 };
    for (const [id, kind] of this.accepted) {
      const seen = effects[kind]?.get(id) ?? 0;
      if (seen === 0) lost.push(id);
      if (kind === 'log' && seen > 1) duplicated.push(id);
      if (kind !== 'log' && seen > 1) repeatsDropped[kind] = (repeatsDropped[kind] ?? 0) + seen - 1;
    }
    for (const [kind, counts] of Object.entries(effects) as [JobKind, EffectCounts][]) {
      for (const id of counts.keys()) if (this.accepted.get(id) !== kind) unexpected.push(id);
    }
    return { jobs: this.accepted.size, lost, duplicated, unexpected, repeatsDropped };
  }
}
