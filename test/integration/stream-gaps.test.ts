import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src-shared/events';
import { JobStatusClient } from '../../src-shared/node/status-store';
import { namesFor } from '../../src-shared/topology';
import { StreamGroupReader } from '../../src-main/relay/stream-group-reader';
import { eventually } from '../support/console';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from '../support/namespace';

/**
 * The event stream is trimmed by length, whatever its consumer groups have read: a group that
 * falls further behind than the stream keeps must be told, before it acknowledges anything
 * later, so it can rebuild what the lost events carried.
 */
const namespace = uniqueNamespace();
const names = namesFor(namespace);
const STREAM_MAX = 100;
let redis: Redis;
let status: JobStatusClient;
const readers: StreamGroupReader[] = [];

beforeAll(() => {
  redis = new Redis(TEST_SERVICES.redisUrl);
  status = new JobStatusClient(redis, names, { terminalTtlSeconds: 60, streamMaxLength: STREAM_MAX });
});
afterAll(async () => {
  for (const reader of readers) await reader.close();
  redis.disconnect();
  await dropNamespace(namespace);
});

let written = 0;
/** Appends `count` job events (one new job each) to the namespace's stream. */
async function emit(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${String(++written).padStart(12, '0')}`;
    const created_at = new Date().toISOString();
    await status.create({ id, kind: 'log', type: 'A', payload: { client_time: '2019-09-22T18:38:15.000Z' }, created_at }, undefined);
  }
}

function follow(group: string, options: Partial<ConstructorParameters<typeof StreamGroupReader>[0]>): StreamGroupReader {
  const reader = new StreamGroupReader({
    redis: new Redis(TEST_SERVICES.redisUrl),
    stream: names.eventStream,
    group,
    handle: async () => undefined,
    ...options,
  });
  readers.push(reader);
  return reader;
}

async function pendingOf(group: string): Promise<number> {
  const [count] = (await redis.xpending(names.eventStream, group)) as [number];
  return count;
}

describe('a consumer group the stream was trimmed past', () => {
  it('repairs entries trimmed while they were pending before it acknowledges them', async () => {
    let down = true;
    const pendingAtRepair: number[] = [];
    const reader = follow('pending-gap', {
      startFrom: '0',
      handle: async () => {
        if (down) throw new Error('the handler’s service is away');
      },
      repairGap: async () => {
        pendingAtRepair.push(await pendingOf('pending-gap'));
      },
    });
    await emit(20);
    await reader.start();
    await eventually(() => pendingOf('pending-gap'), (pending) => pending === 20);
    // Far past the retention while the first 20 are still pending.
    await emit(STREAM_MAX * 4);
    const [first] = (await redis.xrange(names.eventStream, '-', '+', 'COUNT', 1)) as [string, string[]][];
    const pending = (await redis.xpending(names.eventStream, 'pending-gap', '-', '+', 1)) as [string][];
    expect(first![0] > pending[0]![0]).toBe(true);
    down = false;
    await eventually(() => pendingOf('pending-gap'), (pending) => pending === 0);
    // Repaired while the trimmed entries were still unacknowledged: a crash then reads them again.
    expect(pendingAtRepair[0]).toBe(20);
  });

  it('repairs a gap after its cursor found at a start, and tries again until the repair succeeds', async () => {
    const idle = follow('cursor-gap', {});
    await idle.start();
    await idle.close();
    // The console is away while the stream moves on past its retention.
    await emit(STREAM_MAX * 4);
    const order: string[] = [];
    let repairs = 0;
    const reader = follow('cursor-gap', {
      handle: async (events: StreamEvent[]) => {
        if (events.length) order.push('handle');
      },
      repairGap: async () => {
        repairs++;
        order.push('repair');
        if (repairs === 1) throw new Error('PostgreSQL is away');
      },
    });
    await reader.start();
    await eventually(() => order, (steps) => repairs >= 2 && steps.includes('handle'));
    expect(order.slice(0, 2)).toEqual(['repair', 'repair']);
    expect(await redis.exists(`${names.eventStream}:gap:cursor-gap`)).toBe(0);
    // No gap since: the next events are read and handled without another repair.
    await emit(5);
    await eventually(() => pendingOf('cursor-gap'), (pending) => pending === 0);
    const handled = order.filter((step) => step === 'handle').length;
    await emit(5);
    await eventually(() => order.filter((step) => step === 'handle').length, (handles) => handles > handled);
    expect(repairs).toBe(2);
  });

  it('remembers a gap it could not repair across a restart of the reader', async () => {
    const idle = follow('remembered-gap', {});
    await idle.start();
    await idle.close();
    await emit(STREAM_MAX * 4);
    let repairs = 0;
    const failing = follow('remembered-gap', {
      repairGap: async () => {
        repairs++;
        throw new Error('PostgreSQL is away');
      },
    });
    await failing.start();
    await eventually(() => repairs, (tried) => tried >= 1);
    await failing.close();
    // The gap's entries are acknowledged by nobody, and the next reader is told at once.
    expect(await redis.exists(`${names.eventStream}:gap:remembered-gap`)).toBe(1);
    let repaired = false;
    const next = follow('remembered-gap', { repairGap: async () => void (repaired = true) });
    await next.start();
    await eventually(() => repaired, Boolean);
    await eventually(() => redis.exists(`${names.eventStream}:gap:remembered-gap`), (exists) => exists === 0);
  });

  it('without a repair, logs the gap and reads on', async () => {
    const idle = follow('logged-gap', {});
    await idle.start();
    await idle.close();
    await emit(STREAM_MAX * 4);
    const lines: string[] = [];
    const reader = follow('logged-gap', { onLog: (line) => lines.push(line) });
    await reader.start();
    await eventually(() => pendingOf('logged-gap'), (pending) => pending === 0 && lines.length > 0);
    expect(lines[0]).toMatch(/^logged-gap: the event stream was trimmed past this reader's cursor: events after \d+-\d+, before \d+-\d+, are gone$/);
  });
});

describe('a consumer group reader whose connection dropped', () => {
  it('handles entries a lost read had moved into its pending list, once it is connected again', async () => {
    const group = 'reconnect';
    await redis.xgroup('CREATE', names.eventStream, group, '$', 'MKSTREAM');
    const seen: string[] = [];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reader = follow(group, {
      handle: async (events) => {
        seen.push(...events.map((e) => e.id));
        await held;
      },
    });
    try {
      await reader.start();
      await emit(3);
      const first = await eventually(async () => seen.length, (n) => n >= 1, 10_000, 'the first events');
      // While the reader handles its first batch, a read it never got the reply of: Redis
      // delivered the rest to its consumer.
      await emit(2);
      const lost = (await redis.xreadgroup('GROUP', group, 'main', 'COUNT', 100, 'STREAMS', names.eventStream, '>')) as [string, [string, string[]][]][];
      const lostIds = lost[0]![1].map(([id]) => id);
      expect(lostIds.length).toBe(5 - first);
      await emit(1);
      release();
      await eventually(async () => seen.length, (n) => n === first + 1, 10_000, 'the event after the lost read');
      expect(seen.filter((id) => lostIds.includes(id))).toEqual([]);
      // A reconnect (its connection killed) makes it read its pending list again.
      const readerRedis = (reader as unknown as { options: { redis: Redis } }).options.redis;
      await redis.client('KILL', 'ID', String(await readerRedis.client('ID')));
      await eventually(async () => seen.length, (n) => n === 6, 15_000, 'the entries of the lost read');
      expect(seen.slice(first + 1).sort()).toEqual([...lostIds].sort());
      expect(await pendingOf(group)).toBe(0);
    } finally {
      release();
    }
  });
});
