/**
 * The window's IPC verbs for batches, subscriptions and the API document, against a real
 * console (RabbitMQ, Redis, PostgreSQL, workers). Electron's ipcMain is replaced by a channel
 * table: the handlers, the guard and the services they call are the real ones.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatchAccepted, Batch, BatchSummary } from '../../src-shared/batch-schemas';
import { IPC_CHANNELS, type CreateBatchResult, type DeleteSubscriptionResult, type RedeliverResult, type SubscriptionResult } from '../../src-shared/bridge';
import type { BatchEvent } from '../../src-shared/events';
import type { Page } from '../../src-shared/job';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = vi.hoisted(() => new Map<string, Handler>());

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc, relayEventsTo } = await import('../../src-main/electron/ipc');

/** An invoke from the console's own page: the main frame of its window, loaded from disk. */
const mainFrame = { url: 'file:///app/out/renderer/index.html' };
const ownPage = { sender: { mainFrame }, senderFrame: mainFrame };

function invoke<T>(channel: string, ...args: unknown[]): Promise<T> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler on ${channel}`);
  return handler(ownPage, ...args) as Promise<T>;
}

let app: TestConsole;
let unregister: () => void;
let stopRelay: () => void;
const sent: { channel: string; message: unknown }[] = [];

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  unregister = registerIpc(app, (sender) => sender === ownPage.sender as never);
  const contents = { isDestroyed: () => false, send: (channel: string, message: unknown) => sent.push({ channel, message }) };
  stopRelay = relayEventsTo(app, contents as never);
}, 60_000);
afterAll(async () => {
  stopRelay?.();
  unregister?.();
  await app?.dispose();
});

describe('batches over IPC', () => {
  it('refuses a bad child payload naming jobs.<i>.payload.<field>, and makes no job', async () => {
    const answer = await invoke<CreateBatchResult>(IPC_CHANNELS.createBatch, {
      jobs: [{ kind: 'log', payload: { client_time: 1_700_000_000 } }, { kind: 'callback', payload: { x: 1 } }],
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.problem.status).toBe(400);
    expect(answer.problem.errors?.map((e) => e.field)).toContain('jobs.1.payload.x');
  });

  it('accepts the Checkout batch, relays its fan-in to the window, and reads it COMPLETED with its callback', async () => {
    const answer = await invoke<CreateBatchResult>(IPC_CHANNELS.createBatch, {
      jobs: [
        { kind: 'callback', payload: { duration_ms: 200 } },
        { kind: 'log', payload: { client_time: Math.floor(Date.now() / 1000) } },
      ],
      on_complete: { callback_url: `${app.url}/api/v1/inbox/batches` },
    });
    expect(answer.ok).toBe(true);
    const accepted = (answer as { batch: BatchAccepted }).batch;
    expect(accepted.secret).toMatch(/^whsec_/);

    const fanIn = await eventually(
      async () => sent.find((s) => s.channel === IPC_CHANNELS.batchEvent && (s.message as BatchEvent).batch_id === accepted.id),
      30_000,
      'the batch event on the window channel',
    );
    expect((fanIn.message as BatchEvent).counts).toEqual({ DONE: 2 });
    expect(sent.filter((s) => s.channel === IPC_CHANNELS.jobEvent).length).toBeGreaterThan(0);

    const batch = await eventually(async () => {
      const read = await invoke<Batch | null>(IPC_CHANNELS.getBatch, accepted.id);
      return read?.callback?.state === 'delivered' ? read : undefined;
    }, 30_000, 'the delivered fan-in callback');
    expect(batch.status).toBe('COMPLETED');
    expect(typeof batch.created_at).toBe('string');
    expect(batch.callback!.attempts[0]!.status_code).toBe(201);

    const list = await invoke<Page<BatchSummary>>(IPC_CHANNELS.listBatches, { limit: 5 });
    expect(list.items.map((b) => b.id)).toContain(accepted.id);
    expect(await invoke(IPC_CHANNELS.getBatch, 'not-a-uuid')).toBeNull();
  });
});

describe('subscriptions over IPC', () => {
  it('creates (secret once), lists without the secret, delivers, redelivers and deletes', async () => {
    const refused = await invoke<SubscriptionResult>(IPC_CHANNELS.createSubscription, { url: 'ftp://example.com/x' });
    expect(refused.ok ? null : refused.problem.errors?.[0]?.field).toBe('url');

    const created = await invoke<SubscriptionResult>(IPC_CHANNELS.createSubscription, {
      url: `${app.url}/api/v1/inbox/ipc-subscription`,
      events: { kinds: ['log'], statuses: ['DONE'] },
    });
    expect(created.ok).toBe(true);
    const subscription = (created as { subscription: Subscription }).subscription;
    expect(subscription.secret).toMatch(/^whsec_/);
    const listed = await invoke<Page<Subscription>>(IPC_CHANNELS.listSubscriptions);
    const shown = listed.items.find((s) => s.id === subscription.id);
    expect(shown).toBeDefined();
    expect(shown).not.toHaveProperty('secret');

    await app.jobs.submit('log', { client_time: Math.floor(Date.now() / 1000) });
    const delivery = await eventually(async () => {
      const page = await invoke<Page<Delivery>>(IPC_CHANNELS.listDeliveries, subscription.id, { limit: 10 });
      return page.items.find((d) => d.state === 'delivered');
    }, 30_000, 'a delivered delivery');
    expect(delivery.attempts).toHaveLength(1);

    const again = await invoke<RedeliverResult>(IPC_CHANNELS.redeliver, subscription.id, delivery.id);
    expect(again.ok).toBe(true);
    await eventually(async () => {
      const page = await invoke<Page<Delivery>>(IPC_CHANNELS.listDeliveries, subscription.id, { limit: 10 });
      return page.items.find((d) => d.id === delivery.id && d.attempts.length === 2);
    }, 30_000, 'the second attempt');

    expect(await invoke<DeleteSubscriptionResult>(IPC_CHANNELS.deleteSubscription, subscription.id)).toEqual({ ok: true });
    const gone = await invoke<DeleteSubscriptionResult>(IPC_CHANNELS.deleteSubscription, subscription.id);
    expect(gone.ok ? null : gone.problem.status).toBe(404);
  });
});

describe('the API document and the guard', () => {
  it('answers the OpenAPI document to the own page and refuses any other frame', async () => {
    const document = await invoke<{ paths: Record<string, unknown> }>(IPC_CHANNELS.getApiDocument);
    expect(Object.keys(document.paths)).toContain('/api/v1/batches');

    const iframe = { url: 'file:///app/out/renderer/index.html' };
    const handler = handlers.get(IPC_CHANNELS.listSubscriptions)!;
    // Thrown at once; Electron answers the invoke with the rejection.
    expect(() => handler({ sender: ownPage.sender, senderFrame: iframe })).toThrow('refused');
  });
});
