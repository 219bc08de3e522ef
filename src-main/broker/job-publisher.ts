import type amqp from 'amqplib';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import type { JobKind } from '../../src-shared/kinds';
import { declareTopology, type Names } from '../../src-shared/topology';
import type { JobMessage } from '../../src-shared/wire';
import { DEFAULT_RETRY_POLICY, retryLadder } from '../../src-shared/retry-policy';
import { redactText } from '../../src-shared/redact';
import { openConfirmChannel, type ConfirmLink } from '../connections/amqp-confirm-channel';

/** The broker could not take a job now; the client should retry later. */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
}

export interface JobPublisherOptions {
  url: string;
  names: Names;
  /** The kinds whose queues it declares (every kind of the registry); the built-in ones when left out. */
  kinds?: readonly JobKind[];
  /** The delays of the retry queues (`retryLadder`), the same the workers declare. */
  retryLadderMs?: readonly number[];
  /** Longest wait for the broker's confirm before the job is refused. */
  confirmTimeoutMs?: number;
  onLog?: (line: string) => void;
}

const RECONNECT_MIN_MS = 500;
/** Short enough that jobs are taken again within seconds of the broker's return. */
const RECONNECT_MAX_MS = 5_000;

/**
 * Publishes jobs as persistent messages on a confirm channel: `publish` resolves only once the
 * broker has confirmed the message. Reconnects with backoff after the connection is lost.
 */
export class JobPublisher {
  private link: ConfirmLink | null = null;
  private lastError: string | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private closed = false;
  /** A plain channel for queue counts: a failed check closes it, never the confirm channel. */
  private inspector: Promise<amqp.Channel> | null = null;
  /** Publishes waiting for their confirm, by message ID: called if the broker returns one. */
  private readonly returned = new Map<string, () => void>();

  private readonly ladder: readonly number[];

  constructor(private readonly options: JobPublisherOptions) {
    this.ladder = options.retryLadderMs ?? retryLadder(DEFAULT_RETRY_POLICY);
  }

  /** Connects and declares the topology; throws if the broker cannot be reached now. */
  async start(): Promise<void> {
    await this.connect();
  }

  get isUp(): boolean {
    return this.link !== null;
  }

  get error(): string | null {
    return this.lastError;
  }

  /**
   * Publishes persistent and mandatory: RabbitMQ confirms even a message no queue took, but it
   * returns such a message first, so an unroutable job is refused rather than lost.
   */
  async publish(message: JobMessage): Promise<void> {
    const link = this.link;
    if (!link) throw new BrokerUnavailableError(`RabbitMQ is unavailable: ${this.lastError ?? 'not connected'}`);
    const timeoutMs = this.options.confirmTimeoutMs ?? 5_000;
    const body = Buffer.from(JSON.stringify(message));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const failure = `RabbitMQ did not confirm the job within ${timeoutMs} ms`;
        settle(failure);
        // A broker that went silent (no reset to notice) is down: drop the connection, so the next
        // jobs are refused at once and the reconnect loop finds out when it is back.
        this.lost(link, new Error(failure));
      }, timeoutMs);
      const settle = (failure?: string): void => {
        clearTimeout(timer);
        this.returned.delete(message.uuid);
        if (failure) reject(new BrokerUnavailableError(failure));
        else resolve();
      };
      this.returned.set(message.uuid, () => settle(`no queue took the ${message.kind} job (is the topology intact?)`));
      try {
        link.channel.publish(this.options.names.exchange, message.kind, body, {
          persistent: true,
          mandatory: true,
          contentType: 'application/json',
          messageId: message.uuid,
          timestamp: Math.floor(Date.now() / 1000),
          type: message.kind,
        }, (error) => settle(error ? `RabbitMQ refused the job: ${String(error)}` : undefined));
      } catch (error) {
        settle(`RabbitMQ is unavailable: ${(error as Error).message}`);
      }
    });
  }

  /** Messages ready in a kind's queue, as the broker counts them now. */
  async messageCount(kind: JobKind): Promise<number> {
    const connection = this.link?.connection;
    if (!connection) throw new BrokerUnavailableError(`RabbitMQ is unavailable: ${this.lastError ?? 'not connected'}`);
    if (!this.inspector) {
      const opening = connection.createChannel().then((channel) => {
        channel.on('error', () => undefined);
        channel.on('close', () => {
          if (this.inspector === opening) this.inspector = null;
        });
        return channel;
      });
      opening.catch(() => {
        if (this.inspector === opening) this.inspector = null;
      });
      this.inspector = opening;
    }
    const channel = await this.inspector;
    return (await channel.checkQueue(this.options.names.queue(kind))).messageCount;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const link = this.link;
    this.link = null;
    this.inspector = null;
    await link?.close();
  }

  private get kinds(): readonly JobKind[] {
    return this.options.kinds ?? builtinKindRegistry().names;
  }

  private async connect(): Promise<void> {
    const link: ConfirmLink = await openConfirmChannel({
      url: this.options.url,
      connectionName: this.options.names.connectionName('api'),
      onLost: (error) => this.lost(link, error),
      setup: async (channel) => {
        channel.on('return', (returned: amqp.Message) => {
          this.returned.get(returned.properties.messageId)?.();
          // A queue was deleted under us: declare it again so the next job of its kind is taken.
          declareTopology(channel, this.options.names, this.kinds, this.ladder).catch(() => undefined);
        });
        await declareTopology(channel, this.options.names, this.kinds, this.ladder);
      },
    });
    if (this.closed) {
      await link.close();
      return;
    }
    this.link = link;
    this.lastError = null;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
  }

  /** Reacts to the loss of the current connection only; a stale one's events are ignored. */
  private lost(link: ConfirmLink, error: Error): void {
    if (this.closed || link !== this.link) return;
    this.lastError = redactText(error.message);
    this.link = null;
    this.inspector = null;
    void link.close();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.options.onLog?.(`RabbitMQ connection lost (${this.lastError}); reconnecting in ${this.reconnectDelayMs} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: Error) => {
        this.lastError = redactText(error.message);
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
  }
}
