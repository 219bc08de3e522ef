import type { Redis } from 'ioredis';
import type { Operation } from '../../src-shared/operation-schemas';

/** Called with each state of the operation a stream follows. */
export type OperationListener = (operation: Operation) => void;

/** What the stream route needs: its listeners, and a way to heal a gap after a reconnect. */
export interface OperationFollower {
  /**
   * Calls `listener` with each state published for `id` (and a re-read after a reconnect), and
   * `closed` when the feed closes (its console stops or restarts); returns the unfollow.
   */
  follow(id: string, listener: OperationListener, closed: () => void): () => void;
  /** Resolves once the feed hears the channel. */
  ready(): Promise<void>;
}

/** Publishes an operation's full state on the namespace's channel; a failure is only logged (the next state heals it). */
export function operationPublisher(redis: Redis, channel: string, onLog: (line: string) => void) {
  return (operation: Operation): void => {
    redis.publish(channel, JSON.stringify(operation)).catch((error: Error) => onLog(`bulk operation ${operation.id}: publishing its progress failed: ${error.message}`));
  };
}

/**
 * One subscriber connection per console, fanning each published state out in process to the
 * streams that follow that operation. Pub/sub drops what is published while the connection is
 * down, so after a reconnect every followed operation is read again (`read`) and handed on.
 */
export class OperationFeed implements OperationFollower {
  private readonly listeners = new Map<string, Set<OperationListener>>();
  private readonly closers = new Set<() => void>();
  private subscribed: Promise<unknown> | null = null;
  private connectedOnce = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly read: (id: string) => Promise<Operation | null>,
  ) {
    subscriber.on('message', (from: string, text: string) => from === channel && this.dispatch(text));
    subscriber.on('ready', () => {
      if (this.connectedOnce) void this.healGaps();
      this.connectedOnce = true;
    });
  }

  follow(id: string, listener: OperationListener, closed: () => void): () => void {
    void this.ready();
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    this.closers.add(closed);
    return () => {
      this.closers.delete(closed);
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  /** Resolves once the channel is subscribed (or the subscribe failed: a reconnect heals it), so no later state is missed. */
  async ready(): Promise<void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel).catch(() => (this.subscribed = null));
    await this.subscribed;
  }

  /** Ends every stream that follows an operation (its client reconnects to the next core), then disconnects. */
  close(): void {
    for (const closed of [...this.closers]) closed();
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  private dispatch(text: string): void {
    let operation: Operation;
    try {
      operation = JSON.parse(text) as Operation;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(operation.id) ?? []) listener(operation);
  }

  private async healGaps(): Promise<void> {
    for (const [id, set] of this.listeners) {
      const operation = await this.read(id).catch(() => null);
      if (operation) for (const listener of set) listener(operation);
    }
  }
}
