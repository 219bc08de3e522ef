import { randomUUID } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { outcomeOf, type AuditEntry } from '../../src-shared/audit-schemas';
import { ANONYMOUS_ACTOR } from '../access/actor';

export interface AnonymousRowsOptions {
  /** Where admitted rows and the summaries go (the recorder). */
  record: (entry: AuditEntry) => void;
  /** Rows of one address per window at most; past it they are only counted. */
  rowsPerWindow?: number;
  /** The window's length: every address's count starts again after it. */
  windowMs?: number;
  /** Addresses followed at once; the least recently seen is let go (its count summarized) past it. */
  maxAddresses?: number;
}

interface AddressWindow {
  rows: number;
  suppressed: number;
  /** The status of the last suppressed row (a 401, unless the refusal was another). */
  status: number;
}

/**
 * Bounds the rows of requests without a valid token (actor `anonymous`), which anyone who reaches
 * the port can make: per client address (an IPv6 one by its /64), at most `rowsPerWindow` a
 * minute; past it they are counted, and when the minute ends one `audit.suppressed` row says how
 * many (`params: {address, count}`). `close()` writes the summaries still due.
 */
export class AnonymousRows {
  private readonly windows = new Map<string, AddressWindow>();
  private readonly rowsPerWindow: number;
  private readonly maxAddresses: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: AnonymousRowsOptions) {
    this.rowsPerWindow = options.rowsPerWindow ?? 30;
    this.maxAddresses = options.maxAddresses ?? 1_000;
    this.timer = setInterval(() => this.endWindow(), options.windowMs ?? 60_000);
    this.timer.unref();
  }

  /** Records `entry` (an anonymous request's row, from `address`) or counts it. */
  record(entry: AuditEntry, address: string): void {
    const key = addressKeyOf(address);
    const window = this.windowOf(key);
    if (window.rows < this.rowsPerWindow) {
      window.rows++;
      this.options.record(entry);
    } else {
      window.suppressed++;
      window.status = entry.result.status;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.endWindow();
  }

  /** The address's window, now the most recently seen (a Map keeps insertion order: the first is the least recent). */
  private windowOf(key: string): AddressWindow {
    const window = this.windows.get(key) ?? { rows: 0, suppressed: 0, status: 401 };
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.maxAddresses) {
      const [oldest, itsWindow] = this.windows.entries().next().value as [string, AddressWindow];
      this.windows.delete(oldest);
      this.summarize(oldest, itsWindow);
    }
    return window;
  }

  private endWindow(): void {
    for (const [key, window] of this.windows) this.summarize(key, window);
    this.windows.clear();
  }

  private summarize(address: string, { suppressed, status }: AddressWindow): void {
    if (suppressed > 0) this.options.record(suppressedEntry(address, suppressed, status));
  }
}

/** A client's address as the bound counts it: an IPv4 one (mapped or not) whole, an IPv6 one by its /64 (one host's usual share). */
export function addressKeyOf(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...prefix, 0, 0, 0, 0]).toString()}/64`;
}

function suppressedEntry(address: string, count: number, status: number): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: ANONYMOUS_ACTOR.name,
    role: 'none',
    verb: 'audit.suppressed',
    target: address,
    route: '(audit trail)',
    params: { address, count },
    result: { status, outcome: outcomeOf(status), title: `${count} more requests without a valid token from ${address} were not recorded one by one`, detail: null },
  };
}
