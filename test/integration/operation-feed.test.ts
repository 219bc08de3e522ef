import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src-shared/operation-schemas';
import { OperationFeed } from '../../src-main/operations/operation-feed';
import { eventually } from '../support/console';
import { TEST_SERVICES, uniqueNamespace } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

const channel = `${uniqueNamespace('jdfeed')}:operations`;
const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.redisUrl).port || 6379) });
let publisher: Redis;
beforeAll(async () => {
  await proxy.listen();
  publisher = new Redis(TEST_SERVICES.redisUrl);
});
afterAll(async () => {
  publisher?.disconnect();
  await proxy.close();
});

const stateOf = (id: string, changed: number) => ({ id, status: 'running', changed, skipped: 0, failed: 0 }) as Operation;

describe('the operation feed (one subscriber per console)', () => {
  it('fans published states out by operation, and after a reconnect hands each followed one its state read again', async () => {
    const reads: string[] = [];
    const subscriber = new Redis(proxy.urlFor(TEST_SERVICES.redisUrl), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    subscriber.on('error', () => undefined);
    const feed = new OperationFeed(subscriber, channel, async (id) => (reads.push(id), stateOf(id, 99)));
    const seen: Operation[] = [];
    const closed: string[] = [];
    feed.follow('op-a', (op) => seen.push(op), () => closed.push('op-a'));
    await feed.ready();
    try {
      await publisher.publish(channel, JSON.stringify(stateOf('op-b', 1)));
      await publisher.publish(channel, JSON.stringify(stateOf('op-a', 2)));
      await eventually(() => seen.at(-1), (op) => op?.changed === 2, 5_000, 'the published state');
      expect(seen.map((op) => op.id)).toEqual(['op-a']);

      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.heal();
      await eventually(() => seen.at(-1), (op) => op?.changed === 99, 10_000, 'the state read again after the reconnect');
      expect(reads).toEqual(['op-a']);
      // Subscribed again: a later state still arrives.
      await eventually(
        async () => (await publisher.publish(channel, JSON.stringify(stateOf('op-a', 100))), seen.at(-1)),
        (op) => op?.changed === 100,
        10_000,
        'a state published after the reconnect',
      );
    } finally {
      feed.close();
    }
    expect(closed).toEqual(['op-a']);
  });
});
