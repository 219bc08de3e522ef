import amqp from 'amqplib';
import { withHeartbeat } from '../../src-shared/node/amqp-heartbeat';
import { coalesceFrameWrites } from '../../src-shared/node/amqp-write-coalescing';

const CONNECT_TIMEOUT_MS = 5_000;

export interface ConfirmChannelOptions {
  url: string;
  /** `<namespace>:<role>`, as the broker's connection list shows it. */
  connectionName: string;
  /** Called once, when the connection or its channel fails or closes, after it was opened. */
  onLost(error: Error): void;
  /** Declares what the channel publishes to; the connection is closed again if it throws. */
  setup(channel: amqp.ConfirmChannel): Promise<void>;
}

/** A connection of its own with one confirm channel on it. */
export interface ConfirmLink {
  connection: amqp.ChannelModel;
  channel: amqp.ConfirmChannel;
  /** Closes the connection; a failure to close an already broken one is of no interest. */
  close(): Promise<void>;
}

/**
 * Opens a connection (heartbeat, no Nagle delay, frame writes coalesced) and a confirm channel
 * on it, the way both the job publisher and the topic publisher publish: a publish resolves only
 * once the broker confirmed it.
 */
export async function openConfirmChannel(options: ConfirmChannelOptions): Promise<ConfirmLink> {
  const connection = await amqp.connect(withHeartbeat(options.url), {
    timeout: CONNECT_TIMEOUT_MS,
    noDelay: true, // a publish goes out at once, its confirm not held back by Nagle's algorithm
    clientProperties: { connection_name: options.connectionName },
  });
  coalesceFrameWrites(connection);
  const close = (): Promise<void> => connection.close().catch(() => undefined);
  let opened = false;
  let lost = false;
  const onLost = (error: Error): void => {
    if (!opened || lost) return;
    lost = true;
    void close();
    options.onLost(error);
  };
  connection.on('error', onLost);
  connection.on('close', () => onLost(new Error('connection closed')));
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', onLost);
    await options.setup(channel);
    opened = true;
    return { connection, channel, close };
  } catch (error) {
    await close();
    throw error;
  }
}
