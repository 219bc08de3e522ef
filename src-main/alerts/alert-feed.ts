import type { Redis } from 'ioredis';
import { alertNoticeSchema, type AlertNotice } from '../../src-shared/alert-schemas';

/** What the stream route needs: listeners of every fire and resolve of the namespace's rules. */
export interface AlertFollower {
  /** Calls `listener` with each notice and `closed` when the feed closes; returns the unfollow. */
  follow(listener: (notice: AlertNotice) => void, closed: () => void): () => void;
  /** Resolves once the feed hears the channel. */
  ready(): Promise<void>;
}

/** One subscriber connection per console on `<ns>:alerts`, fanning each notice out to the streams in process. */
export class AlertFeed implements AlertFollower {
  private readonly listeners = new Map<(notice: AlertNotice) => void, () => void>();
  private subscribed: Promise<unknown> | null = null;

  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      const parsed = alertNoticeSchema.safeParse(safeJson(text));
      if (parsed.success) for (const listener of this.listeners.keys()) listener(parsed.data);
    });
  }

  follow(listener: (notice: AlertNotice) => void, closed: () => void): () => void {
    void this.ready();
    this.listeners.set(listener, closed);
    return () => void this.listeners.delete(listener);
  }

  async ready(): Promise<void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel).catch(() => (this.subscribed = null));
    await this.subscribed;
  }

  /** Ends every stream (its client reconnects), then disconnects. */
  close(): void {
    for (const closed of [...this.listeners.values()]) closed();
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
