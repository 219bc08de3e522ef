import type { JobKind } from '../../src-shared/kinds';

/** Too many jobs of a kind are waiting: answered 429 with `Retry-After`, nothing created. */
export class BackpressureError extends Error {
  override name = 'BackpressureError';
  constructor(
    message: string,
    /** Seconds the client should wait before trying again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Where the number of jobs waiting in a kind's queue comes from (the broker). */
export interface QueueDepths {
  /** Messages ready in the kind's queue (not those a worker holds). */
  messageCount(kind: JobKind): Promise<number>;
}

export interface AdmissionOptions {
  depths: QueueDepths;
  /** Most jobs of one kind that may wait in its queue. */
  maxQueued: number;
  /** How long a count from the broker is trusted. */
  sampleEveryMs?: number;
}

interface Sample {
  count: number;
  at: number;
  /** Jobs admitted since the count was taken: they are not in it yet. */
  admittedSince: number;
}

const SAMPLE_EVERY_MS = 1_000;
/** A count the broker does not give within this is skipped: the publish itself will say if it is down. */
const COUNT_TIMEOUT_MS = 1_000;
const RETRY_AFTER_S = 5;

/**
 * Backpressure: refuses a job when its kind's queue already holds `maxQueued` jobs. Counts from
 * the broker (`checkQueue`) at most once a second per kind and adds the jobs it admitted since,
 * so a burst cannot overshoot the limit by more than the jobs workers took meanwhile.
 */
export class Admission {
  private readonly samples = new Map<JobKind, Sample>();
  private readonly counting = new Map<JobKind, Promise<void>>();

  constructor(private readonly options: AdmissionOptions) {}

  /** Throws {@link BackpressureError} when the kind's queue is full; else counts the job in. */
  admit(kind: JobKind): Promise<void> {
    return this.admitAll([kind]);
  }

  /**
   * All or nothing, for a batch: throws {@link BackpressureError} when any kind's queue cannot
   * take all of its jobs here (one entry per job); else counts every one of them in.
   */
  async admitAll(kinds: readonly JobKind[]): Promise<void> {
    const wanted = new Map<JobKind, number>();
    for (const kind of kinds) wanted.set(kind, (wanted.get(kind) ?? 0) + 1);
    const samples = new Map<JobKind, Sample>();
    for (const kind of wanted.keys()) {
      const sample = await this.sample(kind);
      if (sample) samples.set(kind, sample);
    }
    for (const [kind, sample] of samples) {
      const n = wanted.get(kind)!;
      if (sample.count + sample.admittedSince + n > this.options.maxQueued) {
        const more = n === 1 ? `${this.options.maxQueued} or more waiting jobs` : `too many waiting jobs to take ${n} more`;
        throw new BackpressureError(
          `the ${kind} queue holds ${more} (JOBDECK_MAX_QUEUED=${this.options.maxQueued}); try again later`,
          RETRY_AFTER_S,
        );
      }
    }
    for (const [kind, sample] of samples) sample.admittedSince += wanted.get(kind)!;
  }

  private async sample(kind: JobKind): Promise<Sample | undefined> {
    const current = this.samples.get(kind);
    if (current && Date.now() - current.at < (this.options.sampleEveryMs ?? SAMPLE_EVERY_MS)) return current;
    let counting = this.counting.get(kind);
    if (!counting) {
      counting = this.count(kind).finally(() => this.counting.delete(kind));
      this.counting.set(kind, counting);
    }
    await counting;
    return this.samples.get(kind);
  }

  private async count(kind: JobKind): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no count in time')), COUNT_TIMEOUT_MS);
    });
    try {
      const count = await Promise.race([this.options.depths.messageCount(kind), timeout]);
      this.samples.set(kind, { count, at: Date.now(), admittedSince: 0 });
    } catch {
      // No count now: admit on the last one, if any (the publish refuses when the broker is down).
    } finally {
      clearTimeout(timer);
    }
  }
}
