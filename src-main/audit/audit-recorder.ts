import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../src-shared/audit-schemas';
import { ANONYMOUS_ACTOR } from '../access/actor';
import { isRowRefusal, type AuditStore } from './audit-store';

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

/** Rows lost: pushed out of a full buffer while PostgreSQL was unreachable, or refused by it. */
interface LostRows {
  bufferFull: number;
  refused: number;
}

/**
 * The audit trail's writer: `record` only buffers (the request is never slowed or failed by it),
 * and rows go to PostgreSQL in group commits, one multi-row INSERT at a time. A write that cannot
 * reach PostgreSQL keeps its rows and retries with backoff; past `maxBufferedRows` rows are
 * dropped, anonymous callers' first (they never push out another actor's), then the oldest. A
 * batch PostgreSQL refuses is written row by row, and a row it refuses is set aside, so one bad
 * row never holds back the rest. The log says what was lost, and once writing works an
 * `audit.dropped` row says it in the trail itself. `close()` writes what is left (one try) and
 * says what could not be.
 */
export class AuditRecorder {
  private readonly buffer: AuditEntry[] = [];
  private readonly flushDelayMs: number;
  private readonly batchRows: number;
  private readonly maxBufferedRows: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  /** The rows of the write under way: out of the buffer (a full buffer cannot drop them), back in front if it fails. */
  private writing: AuditEntry[] = [];
  private failures = 0;
  private readonly lost: LostRows = { bufferFull: 0, refused: 0 };
  private closed = false;

  constructor(private readonly options: AuditRecorderOptions) {
    this.flushDelayMs = options.flushDelayMs ?? 200;
    this.batchRows = options.batchRows ?? 200;
    this.maxBufferedRows = options.maxBufferedRows ?? 10_000;
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Rows waiting to be written, and those being written. */
  get pending(): number {
    return this.buffer.length + this.writing.length;
  }

  record(entry: AuditEntry): void {
    this.buffer.push(entry);
    this.keepWithinBound();
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

  /** Past the bound, drops the oldest anonymous row, or the oldest row when none is anonymous. */
  private keepWithinBound(): void {
    while (this.buffer.length > this.maxBufferedRows) {
      const anonymous = this.buffer.findIndex(isAnonymous);
      this.buffer.splice(Math.max(anonymous, 0), 1);
      if (this.lost.bufferFull++ === 0) this.options.log(`audit trail: ${this.maxBufferedRows} rows wait for PostgreSQL; dropping the oldest rows, anonymous callers' first, until it answers`);
    }
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
    while (this.buffer.length > 0 || this.lostCount() > 0) {
      if (!(await this.writeOnce())) return;
    }
  }

  /** After a failed write: wait, doubling, then try again; rows recorded meanwhile join the retry. */
  private retryLater(): void {
    if (this.closed || (this.buffer.length === 0 && this.lostCount() === 0)) return;
    this.flushSoon(Math.min(this.retryMs * 2 ** (this.failures - 1), MAX_RETRY_MS));
  }

  /** The trail's note of lost rows, then one batch; false when PostgreSQL could not be reached. */
  private async writeOnce(): Promise<boolean> {
    if (this.lostCount() > 0 && !(await this.writeLostRow())) return false;
    const rows = this.buffer.splice(0, this.batchRows);
    this.writing = rows;
    try {
      await this.options.store().insert(rows);
    } catch (error) {
      return isRowRefusal(error) ? this.writeEach(rows) : this.failed(error, rows);
    }
    return this.succeeded();
  }

  /** A batch PostgreSQL refused: each row alone, setting aside those it refuses. */
  private async writeEach(rows: AuditEntry[]): Promise<boolean> {
    for (const [index, row] of rows.entries()) {
      try {
        await this.options.store().insert([row]);
      } catch (error) {
        if (!isRowRefusal(error)) return this.failed(error, rows.slice(index));
        this.lost.refused++;
        this.options.log(`audit trail: PostgreSQL refuses row ${row.id} (${row.verb}, ${row.route}, ${row.at}): ${(error as Error).message}; set aside`);
      }
    }
    return this.succeeded();
  }

  private async writeLostRow(): Promise<boolean> {
    const lost = { ...this.lost };
    try {
      await this.options.store().insert([lostEntry(lost)]);
    } catch (error) {
      return this.failed(error, []);
    }
    this.lost.bufferFull -= lost.bufferFull;
    this.lost.refused -= lost.refused;
    return true;
  }

  /** Puts `rows` back in front (they wait for the retry) and says so once per outage. */
  private failed(error: unknown, rows: AuditEntry[]): false {
    this.writing = [];
    this.buffer.unshift(...rows);
    this.keepWithinBound();
    if (this.failures++ === 0) this.options.log(`audit trail: writing ${this.buffer.length} rows failed (${(error as Error).message}); keeping them and retrying`);
    return false;
  }

  private succeeded(): true {
    this.writing = [];
    if (this.failures > 0) this.options.log('audit trail: writing works again');
    this.failures = 0;
    return true;
  }

  private lostCount(): number {
    return this.lost.bufferFull + this.lost.refused;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

const isAnonymous = (entry: AuditEntry): boolean => entry.actor === ANONYMOUS_ACTOR.name;

/** The trail's own note of rows it lost, and why. */
function lostEntry({ bufferFull, refused }: LostRows): AuditEntry {
  const dropped = bufferFull + refused;
  const why = [bufferFull > 0 ? `${bufferFull} while PostgreSQL was unreachable` : '', refused > 0 ? `${refused} refused by PostgreSQL` : ''].filter(Boolean);
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: 'console',
    role: 'write',
    verb: 'audit.dropped',
    target: null,
    route: '(audit trail)',
    params: { dropped, buffer_full: bufferFull, refused },
    result: { status: 500, outcome: 'error', title: `${dropped} audit rows were dropped: ${why.join(', ')}`, detail: null },
  };
}
