import { describe, expect, it } from 'vitest';
import type { Delivery, Subscription } from '../../../src-shared/subscription-schemas';
import { setupStore } from './store-fixture';

describe('subscriptions slice', () => {
  const subscription: Subscription = { id: 'sub-1', url: 'http://hooks.test/in', events: { kinds: ['log'] }, created_at: '2026-01-01T00:00:00.000Z' };

  it('shows the secret of a new subscription once, and lists it without it', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    bridge.createSubscription.mockResolvedValue({ ok: true, subscription: { ...subscription, secret: 'whsec_abc' } });

    expect(await store.getState().createSubscription({ url: subscription.url })).toBe(true);

    expect(store.getState().createdSecret).toEqual({ subscriptionId: 'sub-1', secret: 'whsec_abc' });
    expect(store.getState().subscriptions.data).toEqual([subscription]);
    expect(store.getState().selectedSubscriptionId).toBe('sub-1');
    store.getState().dismissSecret();
    expect(store.getState().createdSecret).toBeNull();
  });

  it('keeps a refused subscription problem for the form', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    const problem = { type: 'about:blank', title: 'the request is not valid', status: 400, detail: '', errors: [{ field: 'url', rule: 'url', message: 'url must be an http or https URL' }] };
    bridge.createSubscription.mockResolvedValue({ ok: false, problem });

    expect(await store.getState().createSubscription({ url: 'ftp://x' })).toBe(false);
    expect(store.getState().subscriptionForm).toEqual({ target: null, pending: false, problem, answer: null });
    expect(store.getState().subscriptions.data).toBeNull();
  });

  it('deletes a subscription with its deliveries, and keeps it when the delete is refused', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    bridge.listSubscriptions.mockResolvedValue({ items: [subscription], next_cursor: null });
    await store.getState().loadSubscriptions();
    await store.getState().loadDeliveries('sub-1');
    bridge.deleteSubscription.mockResolvedValueOnce({ ok: false, problem: { type: 'about:blank', title: 'no subscription', status: 404, detail: '' } });

    expect(await store.getState().deleteSubscription('sub-1')).toBe(false);
    expect(store.getState().subscriptions.data).toHaveLength(1);
    expect(store.getState().subscriptionAction?.problem?.status).toBe(404);

    bridge.deleteSubscription.mockResolvedValueOnce({ ok: true });
    expect(await store.getState().deleteSubscription('sub-1')).toBe(true);
    expect(store.getState().subscriptions.data).toEqual([]);
    expect(store.getState().deliveries['sub-1']).toBeUndefined();
  });

  it('redelivers, then reads the deliveries again', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    const delivery = { id: 'd1', attempts: [] } as unknown as Delivery;
    bridge.redeliver.mockResolvedValue({ ok: true, delivery });
    bridge.listDeliveries.mockResolvedValue({ items: [delivery], next_cursor: null });

    expect(await store.getState().redeliver('sub-1', 'd1')).toBe(true);

    expect(bridge.redeliver).toHaveBeenCalledWith('sub-1', 'd1');
    expect(bridge.listDeliveries).toHaveBeenCalledWith('sub-1', { limit: 50 });
    expect(store.getState().deliveries['sub-1']).toMatchObject({ data: [delivery], status: 'loaded', error: null });
  });
});
