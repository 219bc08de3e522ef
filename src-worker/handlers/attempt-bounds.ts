/**
 * Longest an attempt of a user kind runs when its definition names no `timeout_ms`: the most it may
 * name, below the broker's consumer timeout (as kind B's long task).
 */
export const USER_ATTEMPT_TIMEOUT_MS = 15 * 60_000;

/** After an abort, how long a handler has to stop on its own (a command: before SIGKILL). */
export const STOP_GRACE_MS = 5_000;

/**
 * One attempt's abort signal: it fires when the worker's signal does (the worker is stopping, or
 * the job was cancelled) or when the attempt's time is up. `close()` when the attempt is over.
 */
export class AttemptBounds {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly forward = (): void => this.controller.abort();
  /** Whether the attempt's time ran out (rather than the worker's signal). */
  timedOut = false;

  constructor(
    private readonly outer: AbortSignal,
    readonly timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    if (outer.aborted) this.forward();
    else outer.addEventListener('abort', this.forward, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the attempt was stopped, as the failure says it. */
  get reason(): string {
    return this.timedOut ? `timed out after ${this.timeoutMs} ms` : 'stopped: the worker is stopping or the job was cancelled';
  }

  close(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.forward);
  }
}
