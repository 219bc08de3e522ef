import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { createBatchSchema } from '../../src-shared/batch-schemas';
import {
  IPC_CHANNELS,
  type CreateBatchResult,
  type DeleteSubscriptionResult,
  type PageRequest,
  type RedeliverResult,
  type SubscriptionResult,
} from '../../src-shared/bridge';
import type { Problem } from '../../src-shared/problem';
import { createSubscriptionSchema, listQuerySchema, type Subscription } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import { openApiDocument } from '../api/openapi';
import { parseInput, problem } from '../api/problems';
import { refusalFor } from '../api/refusals';
import type { BatchService } from '../batches/batch-service';
import type { DeliveryDispatcher } from '../webhooks/delivery-dispatcher';
import type { StoredSubscription, WebhookStore } from '../webhooks/webhook-store';

type Guard = <A extends unknown[], R>(handler: (...args: A) => Promise<R>) => (event: IpcMainInvokeEvent, ...args: A) => Promise<R>;

/** What the batch and subscription verbs need: the services the HTTP routes use. */
export interface EventApiServices {
  batches: BatchService;
  webhooks: { store: WebhookStore; dispatcher: DeliveryDispatcher };
}

/** Structured clone keeps Dates; the renderer reads wire JSON (RFC 3339 strings), as over HTTP. */
const asWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The problem a refused request answers, as the HTTP API would; anything unexpected is rethrown. */
function refusal(error: unknown): Problem {
  const known = refusalFor(error);
  if (known) return known.problem;
  throw error;
}

const unknownOne = (what: string, id: unknown): Problem => problem(404, `no ${what} with id ${String(id)}`, `unknown-${what}`);
const isId = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);

/** A subscription without its secret: shown only once, when it is created. */
function shown({ secret: _secret, ...subscription }: StoredSubscription): Subscription {
  return subscription;
}

/** Batches, webhook subscriptions and the API document, validated as the HTTP routes validate them. */
export function registerEventApiIpc(services: EventApiServices, guard: Guard): () => void {
  const { batches } = services;
  const { store, dispatcher } = services.webhooks;
  const handlers: Record<string, (...args: never[]) => Promise<unknown>> = {
    [IPC_CHANNELS.listBatches]: async (request: PageRequest) => {
      const query = parseInput(listQuerySchema, { ...(request ?? {}) });
      return asWire(await batches.list(query.limit, query.cursor));
    },
    [IPC_CHANNELS.getBatch]: async (id: unknown) => (isId(id) ? asWire(await batches.get(id)) : null),
    [IPC_CHANNELS.createBatch]: async (request: unknown): Promise<CreateBatchResult> => {
      try {
        return { ok: true, batch: asWire(await batches.create(parseInput(createBatchSchema, request))) };
      } catch (error) {
        return { ok: false, problem: refusal(error) };
      }
    },
    [IPC_CHANNELS.listSubscriptions]: async () => ({ items: asWire((await store.listSubscriptions()).map(shown)), next_cursor: null }),
    [IPC_CHANNELS.createSubscription]: async (request: unknown): Promise<SubscriptionResult> => {
      try {
        return { ok: true, subscription: asWire(await store.createSubscription(parseInput(createSubscriptionSchema, request))) };
      } catch (error) {
        return { ok: false, problem: refusal(error) };
      }
    },
    [IPC_CHANNELS.deleteSubscription]: async (id: unknown): Promise<DeleteSubscriptionResult> =>
      isId(id) && (await store.deleteSubscription(id)) ? { ok: true } : { ok: false, problem: unknownOne('subscription', id) },
    [IPC_CHANNELS.listDeliveries]: async (id: unknown, request: PageRequest) => {
      const query = parseInput(listQuerySchema, { ...(request ?? {}) });
      if (!isId(id) || !(await store.getSubscription(id))) throw new Error(`no subscription with id ${String(id)}`);
      return asWire(await store.listDeliveries(id, query.limit, query.cursor));
    },
    [IPC_CHANNELS.redeliver]: async (id: unknown, deliveryId: unknown): Promise<RedeliverResult> => {
      const found = isId(id) && isId(deliveryId) && (await store.redeliver(id, deliveryId));
      if (!found) return { ok: false, problem: unknownOne('delivery', deliveryId) };
      dispatcher.notify();
      const delivery = await store.getDelivery(deliveryId);
      return delivery ? { ok: true, delivery: asWire(delivery) } : { ok: false, problem: unknownOne('delivery', deliveryId) };
    },
    [IPC_CHANNELS.getApiDocument]: async () => openApiDocument(),
  };
  for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, guard(handler as (...args: unknown[]) => Promise<unknown>));
  return () => {
    for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
  };
}
