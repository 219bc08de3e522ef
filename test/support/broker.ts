import amqp from 'amqplib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_SERVICES } from './namespace';

const run = promisify(execFile);

/** Messages ready or delivered but not acked, as the broker counts them (local rabbitmqctl). */
export async function queuedOrUnacked(queue: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', 'name', 'messages', '--no-table-headers']);
  const line = stdout.split('\n').find((l) => l.startsWith(`${queue}\t`));
  return Number(line?.split('\t')[1] ?? NaN);
}

/**
 * Has the broker close the connections whose name starts with `prefix` (every Jobdeck
 * connection is named `<namespace>:<role>`), as a broker restart would; returns how many.
 * Touches only the test's own connections.
 */
export async function closeBrokerConnections(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties', '--no-table-headers']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0]!);
  for (const pid of pids) await run('rabbitmqctl', ['-q', 'close_connection', pid, 'test: simulated broker loss']);
  return pids.length;
}

/** A channel on a connection of its own to the test broker, closed after `use`. */
export async function withChannel<T>(use: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  try {
    return await use(await connection.createChannel());
  } finally {
    await connection.close();
  }
}
