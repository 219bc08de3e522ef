import type { StateCreator } from 'zustand/vanilla';
import type { Problem } from '../../src-shared/problem';
import { describeError, unreachable } from './failures';
import type { ConsoleDeps, ConsoleState, DeliveryList, SubscriptionsSlice } from './state';

const EMPTY_DELIVERIES: DeliveryList = { items: [], status: 'idle', error: null };

/** Deliveries shown per subscription, newest first. */
export const DELIVERY_PAGE_SIZE = 50;

export function createSubscriptionsSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], SubscriptionsSlice> {
  return (set, get) => {
    /** Runs a call whose refusal is an answer; a call that got no answer becomes a problem too. */
    const attempt = async <T extends { ok: boolean }>(call: () => Promise<T>): Promise<T | { ok: false; problem: Problem }> => {
      try {
        return await call();
      } catch (error) {
        return { ok: false, problem: unreachable(error) };
      }
    };

    return {
      subscriptions: [],
      subscriptionsStatus: 'idle',
      subscriptionsError: null,
      subscriptionForm: { pending: false, problem: null },
      createdSecret: null,
      selectedSubscriptionId: null,
      deliveries: {},
      subscriptionAction: null,

      async loadSubscriptions() {
        if (get().subscriptionsStatus !== 'loaded') set({ subscriptionsStatus: 'loading' });
        try {
          const page = await bridge.listSubscriptions();
          set({ subscriptions: page.items, subscriptionsStatus: 'loaded', subscriptionsError: null });
        } catch (error) {
          set({ subscriptionsStatus: 'failed', subscriptionsError: describeError(error) });
        }
      },

      async createSubscription(request) {
        set({ subscriptionForm: { pending: true, problem: null } });
        const answer = await attempt(() => bridge.createSubscription(request));
        if (!answer.ok) {
          set({ subscriptionForm: { pending: false, problem: answer.problem } });
          return false;
        }
        const { secret, ...shown } = answer.subscription;
        set({
          subscriptionForm: { pending: false, problem: null },
          createdSecret: secret ? { subscriptionId: shown.id, secret } : null,
          subscriptions: [...get().subscriptions.filter((s) => s.id !== shown.id), shown],
          selectedSubscriptionId: shown.id,
        });
        return true;
      },

      dismissSecret: () => set({ createdSecret: null }),

      async deleteSubscription(id) {
        set({ subscriptionAction: { target: id, pending: true, problem: null } });
        const answer = await attempt(() => bridge.deleteSubscription(id));
        if (!answer.ok) {
          set({ subscriptionAction: { target: id, pending: false, problem: answer.problem } });
          return false;
        }
        const deliveries = Object.fromEntries(Object.entries(get().deliveries).filter(([key]) => key !== id));
        set({
          subscriptionAction: null,
          subscriptions: get().subscriptions.filter((s) => s.id !== id),
          deliveries,
          selectedSubscriptionId: get().selectedSubscriptionId === id ? null : get().selectedSubscriptionId,
          createdSecret: get().createdSecret?.subscriptionId === id ? null : get().createdSecret,
        });
        return true;
      },

      selectSubscription: (id) => set({ selectedSubscriptionId: id }),

      async loadDeliveries(id) {
        const current = get().deliveries[id] ?? EMPTY_DELIVERIES;
        if (current.status !== 'loaded') set({ deliveries: { ...get().deliveries, [id]: { ...current, status: 'loading' } } });
        try {
          const page = await bridge.listDeliveries(id, { limit: DELIVERY_PAGE_SIZE });
          set({ deliveries: { ...get().deliveries, [id]: { items: page.items, status: 'loaded', error: null } } });
        } catch (error) {
          set({ deliveries: { ...get().deliveries, [id]: { ...current, status: 'failed', error: describeError(error) } } });
        }
      },

      async redeliver(subscriptionId, deliveryId) {
        set({ subscriptionAction: { target: deliveryId, pending: true, problem: null } });
        const answer = await attempt(() => bridge.redeliver(subscriptionId, deliveryId));
        set({ subscriptionAction: { target: deliveryId, pending: false, problem: answer.ok ? null : answer.problem } });
        await get().loadDeliveries(subscriptionId);
        return answer.ok;
      },
    };
  };
}
