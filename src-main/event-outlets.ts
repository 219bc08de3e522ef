import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { StreamEvent } from '../src-shared/events';
import type { JobStatusClient } from '../src-shared/node/status-store';
import type { OutboundClient } from '../src-shared/node/outbound-fetch';
import type { Names } from '../src-shared/topology';
import type { RedisConnections } from './connections/redis';
import { Closers } from './lifecycle/closers';
import { BatchService } from './batches/batch-service';
import { BatchStore } from './batches/batch-store';
import { BatchTracker } from './batches/batch-tracker';
import type { JobService } from './jobs/job-service';
import { StreamGroupReader } from './relay/stream-group-reader';
import { TopicPublisher } from './relay/topic-publisher';
import { DeliveryDispatcher } from './webhooks/delivery-dispatcher';
import { WebhookStore } from './webhooks/webhook-store';

export interface EventOutletsOptions {
  pool: pg.Pool;
  /** The console's Redis connection; each stream reader gets a duplicate of its own. */
  redis: Redis;
  connections: RedisConnections;
  names: Names;
  jobs: JobService;
  status: JobStatusClient;
  amqpUrl: string;
  streamMaxLength: number;
  /** The outbound URL policy: deliveries go through it, batches' callback URLs are checked against it. */
  outbound: OutboundClient;
  log: (line: string) => void;
}

/**
 * The event-driven API beyond SSE and WebSocket: the AMQP topic exchange, webhook deliveries
 * and batch fan-in, each fed by a consumer group of its own on the event stream, so none
 * misses an event across a restart.
 */
export class EventOutlets {
  readonly webhooks: { store: WebhookStore; dispatcher: DeliveryDispatcher };
  readonly batches: BatchService;
  private readonly tracker: BatchTracker;
  private readonly closers: Closers;

  constructor(private readonly options: EventOutletsOptions) {
    const { pool, names, log } = options;
    this.closers = new Closers(log);
    const store = new WebhookStore(pool, names.schema);
    this.webhooks = { store, dispatcher: new DeliveryDispatcher({ store, outbound: options.outbound, onLog: log }) };
    const batchStore = new BatchStore(pool, names.schema);
    this.tracker = new BatchTracker({
      redis: options.redis,
      names,
      store: batchStore,
      readJob: (id) => options.jobs.get(id),
      onCallback: () => this.webhooks.dispatcher.notify(),
      streamMaxLength: options.streamMaxLength,
      onLog: log,
    });
    this.batches = new BatchService({
      jobs: options.jobs,
      status: options.status,
      store: batchStore,
      tracker: this.tracker,
      webhooks: store,
      outbound: options.outbound.policy,
      onLog: log,
    });
  }

  /** Starts publishing, delivering and tracking; on failure, closes what it started. */
  async start(): Promise<void> {
    try {
      const topic = new TopicPublisher({ url: this.options.amqpUrl, names: this.options.names, onLog: this.options.log });
      this.closers.add('events exchange publisher', () => topic.close());
      await topic.start();
      await this.follow('topic', (events) => topic.publish(events));
      this.webhooks.dispatcher.start();
      this.closers.add('webhook dispatcher', () => this.webhooks.dispatcher.close());
      await this.follow('webhooks', (events) => this.webhooks.dispatcher.record(events));
      // Children whose terminal events were trimmed away unread: the batches still open look again.
      await this.follow('batches', (events) => this.tracker.handle(events), () => this.tracker.start());
      this.closers.add('batch tracker', () => this.tracker.close());
      await this.tracker.start();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Stops in reverse order; calling it again does nothing. */
  close(): Promise<void> {
    return this.closers.close();
  }

  private async follow(group: string, handle: (events: StreamEvent[]) => Promise<void>, repairGap?: () => Promise<void>): Promise<void> {
    const { redis, connections, names, log } = this.options;
    const reader = new StreamGroupReader({
      redis: connections.duplicate(redis, group),
      stream: names.eventStream,
      group,
      handle,
      repairGap,
      onLog: log,
    });
    this.closers.add(`${group} stream reader`, () => reader.close());
    await reader.start();
  }
}
