import type { CreateSubscriptionRequest, DeleteSubscriptionResult, RedeliverResult, SubscriptionResult } from '../../src-shared/bridge';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import { act, type Accepted, type Pending } from './pending';

export interface SubscriptionsSlice {
  subscriptions: Loaded<readonly Subscription[]>;
  subscriptionForm: Pending<Accepted<SubscriptionResult>, null> | null;
  /** The secret of the subscription just created: the API shows it this once. */
  createdSecret: { subscriptionId: string; secret: string } | null;
  selectedSubscriptionId: string | null;
  /** The delivery a link opened, marked in its subscription's list. */
  selectedDeliveryId: string | null;
  /** Deliveries by subscription ID, newest first. */
  deliveries: Readonly<Record<string, Loaded<readonly Delivery[]>>>;
  /** The last delete (target: a subscription) or redelivery (target: a delivery). */
  subscriptionAction: Pending<Accepted<DeleteSubscriptionResult | RedeliverResult>> | null;
  loadSubscriptions(): Promise<void>;
  createSubscription(request: CreateSubscriptionRequest): Promise<boolean>;
  dismissSecret(): void;
  /** `confirm`: the subscription's URL, on production. */
  deleteSubscription(id: string, confirm?: string): Promise<boolean>;
  selectSubscription(id: string | null): void;
  selectDelivery(id: string | null): void;
  loadDeliveries(subscriptionId: string): Promise<void>;
  redeliver(subscriptionId: string, deliveryId: string): Promise<boolean>;
}

/** Deliveries shown per subscription, newest first. */
export const DELIVERY_PAGE_SIZE = 50;

export function createSubscriptionsSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<SubscriptionsSlice> {
  return (set, get) => {
    const subscriptions = field(get, set, 'subscriptions');
    const action = field(get, set, 'subscriptionAction');
    const listed = () => subscriptions.read().data ?? [];
    const deliveriesOf = (id: string): Slot<Loaded<readonly Delivery[]>> => ({
      read: () => get().deliveries[id] ?? NOT_LOADED,
      write: (next) => set({ deliveries: { ...get().deliveries, [id]: next } }),
    });

    return {
      subscriptions: NOT_LOADED,
      subscriptionForm: null,
      createdSecret: null,
      selectedSubscriptionId: null,
      selectedDeliveryId: null,
      deliveries: {},
      subscriptionAction: null,
      loadSubscriptions: async () => void (await load(subscriptions, async () => (await bridge.listSubscriptions()).items, now)),

      async createSubscription(request) {
        const answer = await act(field(get, set, 'subscriptionForm'), null, () => bridge.createSubscription(request));
        if (!answer.ok) return false;
        const { secret, ...shown } = answer.subscription;
        set({
          createdSecret: secret ? { subscriptionId: shown.id, secret } : null,
          subscriptions: { ...subscriptions.read(), data: [...listed().filter((s) => s.id !== shown.id), shown] },
          selectedSubscriptionId: shown.id,
        });
        return true;
      },

      dismissSecret: () => set({ createdSecret: null }),

      async deleteSubscription(id, confirm) {
        const answer = await act(action, id, () => bridge.deleteSubscription(id, confirm), schedule);
        if (!answer.ok) return false;
        const { deliveries, selectedSubscriptionId, createdSecret } = get();
        set({
          subscriptions: { ...subscriptions.read(), data: listed().filter((s) => s.id !== id) },
          deliveries: Object.fromEntries(Object.entries(deliveries).filter(([key]) => key !== id)),
          selectedSubscriptionId: selectedSubscriptionId === id ? null : selectedSubscriptionId,
          createdSecret: createdSecret?.subscriptionId === id ? null : createdSecret,
        });
        return true;
      },

      selectSubscription(id) {
        if (id !== get().selectedSubscriptionId) set({ selectedSubscriptionId: id, selectedDeliveryId: null });
      },
      selectDelivery: (id) => set({ selectedDeliveryId: id }),

      async loadDeliveries(id) {
        await load(deliveriesOf(id), async () => (await bridge.listDeliveries(id, { limit: DELIVERY_PAGE_SIZE })).items, now);
      },

      async redeliver(subscriptionId, deliveryId) {
        const answer = await act(action, deliveryId, () => bridge.redeliver(subscriptionId, deliveryId), schedule);
        await get().loadDeliveries(subscriptionId);
        return answer.ok;
      },
    };
  };
}
