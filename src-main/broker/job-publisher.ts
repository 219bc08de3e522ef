import amqp from 'amqplib';
import { JOB_KINDS } from '../../src-shared/kinds';
import { declareTopology, type Names } from '../../src-shared/topology';
import type { JobMessage } from '../../src-shared/wire';
import { redactText } from '../../src-shared/redact';

/** The broker could not take a job now; the client should retry later. */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
}

export interface JobPublisherOptions {
  url: string;
  names: Names;
  /** Longest wait for the broker's confirm before the job is refused. */
  confirmTimeoutMs?: number;
  onLog?: (line: string) => void;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/**
 * Publishes jobs as persistent messages on a confirm channel: `publish` resolves only once the
 * broker has confirmed the message. Reconnects with backoff after the connection is lost.
 */
export class JobPublisher {
  private connection: amqp.ChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private lastError: string | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private closed = false;

  constructor(private readonly options: JobPublisherOptions) {}

  /** Connects and declares the topology; throws if the broker cannot be reached now. */
  async start(): Promise<void> {
    await this.connect();
  }

  get isUp(): boolean {
    return this.channel !== null;
  }

  get error(): string | null {
    return this.lastError;
  }

  async publish(message: JobMessage): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new BrokerUnavailableError(`RabbitMQ is unavailable: ${this.lastError ?? 'not connected'}`);
    const body = Buffer.from(JSON.stringify(message));
    const timeoutMs = this.options.confirmTimeoutMs ?? 5_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BrokerUnavailableError(`RabbitMQ did not confirm the job within ${timeoutMs} ms`)),
        timeoutMs,
      );
      channel.publish(
        this.options.names.exchange,
        message.kind,
        body,
        {
          persistent: true,
          contentType: 'application/json',
          messageId: message.uuid,
          timestamp: Math.floor(Date.now() / 1000),
          type: message.kind,
        },
        (error) => {
          clearTimeout(timer);
          if (error) reject(new BrokerUnavailableError(`RabbitMQ refused the job: ${String(error)}`));
          else resolve();
        },
      );
    });
  }

  /** Messages waiting in each kind's queue (ready, not yet delivered). */
  async queueDepths(): Promise<Record<string, number>> {
    const channel = this.channel;
    if (!channel) throw new BrokerUnavailableError('RabbitMQ is unavailable');
    const depths: Record<string, number> = {};
    for (const kind of JOB_KINDS) {
      const queue = this.options.names.queue(kind);
      depths[queue] = (await channel.checkQueue(queue)).messageCount;
    }
    return depths;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const connection = await amqp.connect(this.options.url, {
      clientProperties: { connection_name: this.options.names.connectionName('api') },
    });
    connection.on('error', (error: Error) => this.lost(error));
    connection.on('close', () => this.lost(new Error('connection closed')));
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => this.lost(error));
    await declareTopology(channel, this.options.names, JOB_KINDS);
    this.connection = connection;
    this.channel = channel;
    this.lastError = null;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
  }

  private lost(error: Error): void {
    if (this.closed) return;
    this.lastError = redactText(error.message);
    this.channel = null;
    const connection = this.connection;
    this.connection = null;
    connection?.close().catch(() => undefined);
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
