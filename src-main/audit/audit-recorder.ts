import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../src-shared/audit-schemas';
import type { AuditStore } from './audit-store';

export interface AuditRecorderOptions {
  /** The store of the core serving now; it throws while a restart swaps it (the rows wait, as in an outage). */
  store: () => Pick<AuditStore, 'insert'>;
  log: (line: string) => void;
  /** A flush starts this long after the first row it takes (the group commit's window). */
  flushDelayMs?: number;
  /** Rows that start a flush at once, and the most one INSERT writes. */
  batchRows?: number;
  /** Rows kept while PostgreSQL is unreachable; past it the oldest are dropped, counted and said. */
  maxBufferedRows?: number;
  /** The first wait after a failed write; it doubles up to {@link MAX_RETRY_MS}. */
  retryMs?: number;
}

const MAX_RETRY_MS = 30_000;

/**
 * The audit trail's writer: `record` only buffers (the request is never slowed or failed by it),
 * and rows go to PostgreSQL in group commits, one multi-row INSERT at a time. A failed write
 * keeps its rows and retries with backoff; past `maxBufferedRows` the oldest rows are dropped,
 * the log says how many, and once writing works again an `audit.dropped` row says it in the
 * trail itself. `close()` writes what is left (one try) and says what could not be.
 */
export class AuditRecorder {
  private readonly buffer: AuditEntry[] = [];
  private readonly flushDelayMs: number;
  private readonly batchRows: number;
  private readonly maxBufferedRows: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private failures = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: AuditRecorderOptions) {
    this.flushDelayMs = options.flushDelayMs ?? 200;
    this.batchRows = options.batchRows ?? 200;
    this.maxBufferedRows = options.maxBufferedRows ?? 10_000;
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  record(entry: AuditEntry): void {
    if (this.buffer.length >= this.maxBufferedRows) {
      this.buffer.shift();
      if (this.dropped++ === 0) this.options.log(`audit trail: ${this.maxBufferedRows} rows wait for PostgreSQL; dropping the oldest until it answers`);
    }
    this.buffer.push(entry);
    if (this.closed) return;
    if (this.buffer.length >= this.batchRows && this.failures === 0) this.flushSoon(0);
    else this.flushSoon(this.flushDelayMs);
  }

  /** Writes every buffered row now (tests, and close); joins a write already running. */
  async flush(): Promise<void> {
    this.clearTimer();
    await this.drain();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    if (this.buffer.length > 0) this.options.log(`audit trail: ${this.buffer.length} rows could not be written before closing and are lost`);
  }

  private flushSoon(delayMs: number): void {
    if (this.draining || (this.timer && delayMs > 0)) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain().then(() => this.retryLater());
    }, delayMs);
    this.timer.unref();
  }

  /** One writer at a time: INSERTs until the buffer is empty or one fails. */
  private drain(): Promise<void> {
    this.draining ??= this.writeAll().finally(() => (this.draining = null));
    return this.draining;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0 || this.dropped > 0) {
      await this.writeOnce();
      if (this.failures > 0) return;
    }
  }

  /** After a failed write: wait, doubling, then try again; rows recorded meanwhile join the retry. */
  private retryLater(): void {
    if (this.closed || this.buffer.length === 0) return;
    this.flushSoon(Math.min(this.retryMs * 2 ** (this.failures - 1), MAX_RETRY_MS));
  }

  private async writeOnce(): Promise<void> {
    const rows = this.buffer.slice(0, this.batchRows);
    const droppedRow = this.dropped > 0 ? droppedEntry(this.dropped) : null;
    try {
      await this.options.store().insert(droppedRow ? [droppedRow, ...rows] : rows);
    } catch (error) {
      if (this.failures++ === 0) this.options.log(`audit trail: writing ${this.buffer.length} rows failed (${(error as Error).message}); keeping them and retrying`);
      return;
    }
    this.buffer.splice(0, rows.length);
    if (droppedRow) this.dropped = 0;
    if (this.failures > 0) this.options.log('audit trail: writing works again');
    this.failures = 0;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The trail's own note that rows were lost while PostgreSQL was away. */
function droppedEntry(count: number): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: 'console',
    role: 'write',
    verb: 'audit.dropped',
    target: null,
    route: '(audit trail)',
    params: { dropped: count },
    result: { status: 500, outcome: 'error', title: `${count} audit rows were dropped while PostgreSQL was unreachable`, detail: null },
  };
}
