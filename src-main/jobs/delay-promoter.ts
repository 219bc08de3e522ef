import type pg from 'pg';
import type { DelayedJobs } from './delayed-jobs';

/** Longest sleep while LISTEN works: a safety net should a notification be lost. */
const IDLE_CHECK_MS = 30_000;
/** Sleep cap while the LISTEN connection is down: new earlier rows are found by this poll instead. */
const POLL_WITHOUT_LISTEN_MS = 250;
/** Wait after a failed claim (PostgreSQL, Redis or the broker down) before the next. */
const RETRY_AFTER_FAILURE_MS = 1_000;
const RELISTEN_MS = 1_000;
/**
 * Wait when rows are due but the claim got none: another console holds them (promoting up to a
 * claim's worth), so waking at their past due time again would loop without pause.
 */
export const HELD_ELSEWHERE_MS = 100;

export interface DelayPromoterOptions {
  delayed: DelayedJobs;
  /** Where the promoter opens its own LISTEN connection. */
  pool: pg.Pool;
  onLog?: (line: string) => void;
}

/**
 * The console's loop that moves due SCHEDULED jobs to QUEUED (README "Delayed jobs"). It sleeps
 * on a timer until the earliest due time, and wakes early when a new row's NOTIFY names an earlier
 * one; while its LISTEN connection is down it polls every 250 ms. Every console of a namespace
 * runs one: their claims skip each other's rows, so each job is promoted by one of them.
 */
export class DelayPromoter {
  private timer: NodeJS.Timeout | null = null;
  /** Epoch ms the timer is set for. */
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  private listener: pg.PoolClient | null = null;
  private relisten: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: DelayPromoterOptions) {}

  start(): void {
    void this.listen();
    this.wake();
  }

  /** Stops the loop; a claim in hand finishes first. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.relisten) clearTimeout(this.relisten);
    this.dropListener();
    await this.running;
  }

  /** Runs a claim now (or right after the one running). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async cycle(): Promise<void> {
    const { delayed, onLog } = this.options;
    try {
      // A full claim may leave more due rows: claim until one comes back short.
      while (!this.closed && (await delayed.promoteDue()) > 0);
      const due = await delayed.store.nextDue();
      this.arm(due !== null && due <= Date.now() ? Date.now() + HELD_ELSEWHERE_MS : due);
    } catch (error) {
      onLog?.(`promoting due scheduled jobs failed (retrying in ${RETRY_AFTER_FAILURE_MS} ms): ${(error as Error).message}`);
      this.arm(Date.now() + RETRY_AFTER_FAILURE_MS);
    }
  }

  /** Sets the timer for `due` (capped), unless it is set for earlier already. */
  private arm(due: number | null, force = true): void {
    if (this.closed) return;
    const cap = this.listener ? IDLE_CHECK_MS : POLL_WITHOUT_LISTEN_MS;
    const at = Math.min(due ?? Number.POSITIVE_INFINITY, Date.now() + cap);
    if (!force && at >= this.wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => {
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private async listen(): Promise<void> {
    const { delayed, pool, onLog } = this.options;
    let client: pg.PoolClient | null = null;
    try {
      client = await pool.connect();
      if (this.closed) return client.release();
      client.on('notification', (note) => this.arm(Number(note.payload), false));
      client.on('error', (error: Error) => {
        onLog?.(`the scheduled jobs' LISTEN connection failed (polling meanwhile): ${error.message}`);
        this.dropListener(true);
      });
      await client.query(`LISTEN "${delayed.store.channel}"`);
      this.listener = client;
    } catch (error) {
      onLog?.(`listening for new scheduled jobs failed (polling meanwhile): ${(error as Error).message}`);
      if (client && this.listener !== client) client.release(true);
      this.dropListener(true);
    }
  }

  private dropListener(retry = false): void {
    const client = this.listener;
    this.listener = null;
    if (client) client.release(true);
    if (retry && !this.closed) {
      this.arm(Date.now() + POLL_WITHOUT_LISTEN_MS, false);
      if (this.relisten) clearTimeout(this.relisten);
      this.relisten = setTimeout(() => void this.listen(), RELISTEN_MS);
      this.relisten.unref();
    }
  }
}
