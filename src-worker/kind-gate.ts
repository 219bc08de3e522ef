import type { JobKind } from '../src-shared/kinds';

/** Told when a kind stops (`open` false) or starts again (`open` true). */
export type GateListener = (kind: JobKind, open: boolean) => void;

/**
 * Which of its kinds a worker takes messages of. A kind stops while any reason holds it (an
 * operator's pause, an outage of the kind's own dependency, …) and goes on once the last reason
 * is released. The broker session follows the gate: a held kind's consumer is cancelled (the
 * messages in hand run on), a released one consumes again, also on a session opened later.
 */
export class KindGate {
  private readonly holds = new Map<JobKind, Set<string>>();
  private readonly listeners = new Set<GateListener>();

  /** Stops `kind` for `reason` (a no-op when that reason holds it already). */
  hold(kind: JobKind, reason: string): void {
    const reasons = this.holds.get(kind) ?? new Set<string>();
    const wasOpen = reasons.size === 0;
    reasons.add(reason);
    this.holds.set(kind, reasons);
    if (wasOpen) this.tell(kind, false);
  }

  /** Lets `kind` go on as far as `reason` is concerned; it consumes again once nothing holds it. */
  release(kind: JobKind, reason: string): void {
    const reasons = this.holds.get(kind);
    if (!reasons?.delete(reason)) return;
    if (reasons.size === 0) {
      this.holds.delete(kind);
      this.tell(kind, true);
    }
  }

  isOpen(kind: JobKind): boolean {
    return !this.holds.has(kind);
  }

  /** Why `kind` is held, in the order the reasons came; empty when it is open. */
  reasons(kind: JobKind): string[] {
    return [...(this.holds.get(kind) ?? [])];
  }

  /** Calls `listener` on each change until the returned function is called. */
  subscribe(listener: GateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(kind: JobKind, open: boolean): void {
    for (const listener of this.listeners) listener(kind, open);
  }
}
