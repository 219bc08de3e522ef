import type { StreamEvent } from '../../src-shared/events';
import type { SubscriptionFilter, WebhookBody } from '../../src-shared/subscription-schemas';
import { MAX_DELIVERY_ATTEMPTS, type DueDelivery, type NewDelivery, type WebhookStore } from './webhook-store';
import { sendWebhook } from './webhook-sender';
import { OPEN_OUTBOUND, type OutboundClient } from '../../src-shared/node/outbound-fetch';

export interface DeliveryDispatcherOptions {
  store: WebhookStore;
  /** First retry after this long; each further one waits twice as long. */
  backoffBaseMs?: number;
  /** The outbound URL policy every delivery goes through; none is refused without it. */
  outbound?: OutboundClient;
  onLog?: (line: string) => void;
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10 * 60_000;
const POLL_MS = 250;
/** Send loops, each with up to BATCH deliveries in flight: while one records, another sends. */
const LOOPS = 4;
const BATCH = 32;

export function subscriptionMatches(filter: SubscriptionFilter, event: StreamEvent): boolean {
  const id = event.type === 'batch' ? event.batch_id : event.job_id;
  return (
    (!filter.kinds || filter.kinds.includes(event.kind)) &&
    (!filter.statuses || filter.statuses.includes(event.status)) &&
    (!filter.job_ids || filter.job_ids.includes(id))
  );
}

/** `job.IN_PROGRESS`, `batch.COMPLETED`: the body's `type`. */
export function eventTypeOf(event: StreamEvent): string {
  return `${event.type ?? 'job'}.${event.status.replace(/ /g, '_')}`;
}

export function webhookBody(type: string, data: unknown, at: string = new Date().toISOString()): string {
  const body: WebhookBody = { type, timestamp: at, data };
  return JSON.stringify(body);
}

/**
 * Webhook deliveries. `record` (fed by a stream consumer group) turns each event into one
 * delivery per matching subscription, stored before the event is acknowledged; a loop sends
 * what is due, signed, and retries a failure with exponential backoff until the attempts run
 * out; a URL the outbound policy refuses fails at once, without retries. Every attempt is kept.
 * A crash mid-send leaves the delivery leased, then due again.
 */
export class DeliveryDispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: DeliveryDispatcherOptions) {}

  start(): void {
    this.running = true;
    this.loop = Promise.all(Array.from({ length: LOOPS }, () => this.run())).then(() => undefined);
  }

  async close(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
  }

  /** Stores the deliveries a batch of events makes. */
  async record(events: StreamEvent[]): Promise<void> {
    const subscriptions = await this.options.store.matchingSubscriptions();
    if (subscriptions.length === 0) return;
    const deliveries: NewDelivery[] = [];
    for (const event of events) {
      for (const sub of subscriptions) {
        if (!subscriptionMatches(sub.events, event)) continue;
        const type = eventTypeOf(event);
        deliveries.push({
          subscription_id: sub.id,
          batch_id: null,
          event_id: event.id,
          event_type: type,
          url: sub.url,
          secret: sub.secret,
          body: webhookBody(type, event, event.at),
        });
      }
    }
    await this.add(deliveries);
  }

  /** Stores deliveries and sends them at once. */
  async add(deliveries: NewDelivery[]): Promise<void> {
    if ((await this.options.store.addDeliveries(deliveries)) > 0) this.notify();
  }

  /** Something became due: look now rather than at the next poll. */
  notify(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const due = await this.options.store.claimDue(BATCH);
        if (due.length > 0) {
          await this.options.store.recordAttempts(await Promise.all(due.map((delivery) => this.deliver(delivery))));
          continue;
        }
      } catch (error) {
        this.options.onLog?.(`webhook deliveries: ${(error as Error).message}; retrying`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, POLL_MS);
        this.wakers.add(wake);
      });
    }
  }

  private async deliver(delivery: DueDelivery) {
    const { attempt, permanent } = await sendWebhook(delivery, this.options.outbound ?? OPEN_OUTBOUND);
    const made = MAX_DELIVERY_ATTEMPTS - delivery.attempts_left + 1;
    const delay = Math.min((this.options.backoffBaseMs ?? BACKOFF_BASE_MS) * 2 ** (made - 1), BACKOFF_MAX_MS);
    const retryAt = attempt.error !== null && !permanent && delivery.attempts_left > 1 ? new Date(Date.now() + delay) : null;
    return { id: delivery.id, attempt, retryAt };
  }
}
