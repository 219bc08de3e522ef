/** What a client may send now: allowed, or refused with the whole seconds until it may. */
export type BudgetAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface ClientByteBudgetOptions {
  /** Average bytes per second one client may send. */
  bytesPerSecond: number;
  /** Bytes a client may send at once after a quiet spell; at least the largest item. */
  burstBytes: number;
  /** Counted on top of each item's own bytes, so that empty items are not free. */
  perItemBytes: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many clients, those whose budget is full again are forgotten (they hold nothing). */
const SWEEP_ABOVE_CLIENTS = 1_000;

/**
 * A token bucket per client (an IP address): `bytesPerSecond` refill, `burstBytes` capacity. An
 * item is taken whole or not at all, so a refused item costs the client nothing.
 */
export class ClientByteBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: ClientByteBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes an item of `bytes` from the client's budget when it holds them. */
  take(client: string, bytes: number): BudgetAnswer {
    const answer = this.check(client, bytes);
    if (answer.allowed) this.buckets.get(client)!.tokens -= bytes + this.options.perItemBytes;
    return answer;
  }

  /** Whether the client's budget holds an item of `bytes` now, taking nothing. */
  check(client: string, bytes: number): BudgetAnswer {
    const bucket = this.refilled(client);
    const cost = bytes + this.options.perItemBytes;
    if (bucket.tokens >= cost) return { allowed: true };
    const wanted = Math.min(cost, this.options.burstBytes) - bucket.tokens;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wanted / this.options.bytesPerSecond)) };
  }

  private refilled(client: string): Bucket {
    const now = this.now();
    const { bytesPerSecond, burstBytes } = this.options;
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE_CLIENTS) this.forgetFullBuckets(now);
      bucket = { tokens: burstBytes, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(burstBytes, bucket.tokens + ((now - bucket.at) / 1000) * bytesPerSecond);
    bucket.at = now;
    return bucket;
  }

  private forgetFullBuckets(now: number): void {
    const { bytesPerSecond, burstBytes } = this.options;
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * bytesPerSecond >= burstBytes) this.buckets.delete(client);
    }
  }
}

/** Seconds of the average rate a quiet client may send at once. */
const BURST_SECONDS = 4;
/** What each received item counts besides its body: its request line and headers, roughly. */
export const PER_ITEM_BYTES = 1024;

/** The budget of a record log: bursts of four seconds' worth, and never less than its largest item. */
export function recordByteBudget(bytesPerSecond: number, largestItemBytes: number): ClientByteBudget {
  const burstBytes = Math.max(largestItemBytes + PER_ITEM_BYTES, BURST_SECONDS * bytesPerSecond);
  return new ClientByteBudget({ bytesPerSecond, burstBytes, perItemBytes: PER_ITEM_BYTES });
}
