import type { JobKind } from '../src-shared/kinds';
import { redactText } from '../src-shared/redact';
import type { JobHandler, UnavailableError } from './handlers/handler';
import type { KindGate } from './kind-gate';
import { sleep } from './waits';

/** Backoff between two probes of a dependency that is down: doubling from the first to the last. */
export const PROBE_FIRST_MS = 500;
export const PROBE_MAX_MS = 15_000;

/**
 * The outages of this worker's kinds' own dependencies. A kind whose job met one is held in the
 * gate (its consumer cancelled: no more of its jobs are taken here) while the dependency is
 * probed with backoff (the handler's `probe`), and released once it answers. A kind whose handler
 * has no probe (a user kind) is released after the backoff interval, to try a job again; its next
 * outage waits twice as long (up to PROBE_MAX_MS), until one of its jobs runs without one. One log
 * line when a kind stops, one when it goes on.
 */
export class OutageWatch {
  /** Why each kind is held now (the gate's reason). */
  private readonly down = new Map<JobKind, string>();
  /** A kind without a probe: how long its next outage holds it. */
  private readonly nextWaitMs = new Map<JobKind, number>();

  constructor(
    private readonly gate: KindGate,
    private readonly handlers: Partial<Record<JobKind, JobHandler>>,
    private readonly log: (line: string) => void,
    /** Aborted when the worker stops: the probes end. */
    private readonly stop: AbortSignal,
  ) {}

  /** Whether `kind` is held for an outage now: a job of it in hand goes back unrun. */
  isDown(kind: JobKind): boolean {
    return this.down.has(kind);
  }

  /** A job of `kind` met `error`: the kind stops here until its dependency answers (a no-op while it is held). */
  report(kind: JobKind, error: UnavailableError): void {
    if (this.down.has(kind) || this.stop.aborted) return;
    const reason = `${error.dependency} unreachable`;
    this.down.set(kind, reason);
    this.gate.hold(kind, reason);
    const handler = this.handlers[kind];
    const probe = handler?.probe ? () => handler.probe!() : undefined;
    const waitMs = this.nextWaitMs.get(kind) ?? PROBE_FIRST_MS;
    const then = probe ? `probing it with backoff up to ${PROBE_MAX_MS / 1000} s` : `trying again in ${waitMs} ms`;
    this.log(`kind ${kind}: ${reason} (${redactText(error.message)}); taking none of its jobs, ${then}`);
    void (probe ? this.probeUntilUp(kind, probe) : this.waitThenRetry(kind, waitMs));
  }

  /** A job of `kind` ran without an outage: a kind without a probe waits from the first interval again. */
  recovered(kind: JobKind): void {
    this.nextWaitMs.delete(kind);
  }

  private async probeUntilUp(kind: JobKind, probe: () => Promise<void>): Promise<void> {
    let waitMs = PROBE_FIRST_MS;
    while (!this.stop.aborted) {
      await sleep(waitMs, this.stop);
      if (this.stop.aborted) return;
      try {
        await probe();
        this.release(kind, (reason) => `${reason.replace(/ unreachable$/, '')} answers again; taking its jobs again`);
        return;
      } catch {
        waitMs = Math.min(waitMs * 2, PROBE_MAX_MS);
      }
    }
  }

  private async waitThenRetry(kind: JobKind, waitMs: number): Promise<void> {
    await sleep(waitMs, this.stop);
    if (this.stop.aborted) return;
    this.nextWaitMs.set(kind, Math.min(waitMs * 2, PROBE_MAX_MS));
    this.release(kind, () => `trying its jobs again after ${waitMs} ms`);
  }

  private release(kind: JobKind, line: (reason: string) => string): void {
    const reason = this.down.get(kind);
    if (reason === undefined) return;
    this.down.delete(kind);
    this.log(`kind ${kind}: ${line(reason)}`);
    this.gate.release(kind, reason);
  }
}
