import type { FastifyInstance, FastifyReply } from 'fastify';
import type { KindNames } from '../../src-shared/kinds';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import { ValidationError } from '../../src-shared/problem';
import { createSubscriptionSchemaOf, listQuerySchema, type Subscription } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { DeliveryDispatcher } from '../webhooks/delivery-dispatcher';
import type { StoredSubscription, WebhookStore } from '../webhooks/webhook-store';
import { parseInput, problem, sendProblem } from './problems';

/** A subscription without its secret: shown only once, when it is created. */
function shown({ secret: _secret, ...subscription }: StoredSubscription): Subscription {
  return subscription;
}

const unknown = (reply: FastifyReply, what: string, id: string) =>
  sendProblem(reply, problem(404, `no ${what} with id ${id}`, `unknown-${what}`));

/**
 * Webhook subscriptions: create (the secret is returned once), list, read, delete; a
 * subscription's deliveries with every attempt; an operator's redelivery.
 */
export function subscriptionRoutes(store: WebhookStore, dispatcher: DeliveryDispatcher, kinds: KindNames, outbound?: OutboundPolicy) {
  const createSubscriptionSchema = createSubscriptionSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/subscriptions', async (request, reply) => {
      const body = parseInput(createSubscriptionSchema, request.body ?? undefined);
      const refused = outbound?.fieldErrors({ url: body.url }) ?? [];
      if (refused.length > 0) throw new ValidationError(refused);
      const created = await store.createSubscription(body);
      return reply.code(201).header('location', `/api/v1/subscriptions/${created.id}`).send(created);
    });

    app.get('/api/v1/subscriptions', async () => {
      const items = (await store.listSubscriptions()).map(shown);
      return { items, next_cursor: null };
    });

    app.get<{ Params: { id: string } }>('/api/v1/subscriptions/:id', async (request, reply) => {
      const { id } = request.params;
      const found = UUID_PATTERN.test(id) ? await store.getSubscription(id) : null;
      return found ? shown(found) : unknown(reply, 'subscription', id);
    });

    app.delete<{ Params: { id: string } }>('/api/v1/subscriptions/:id', async (request, reply) => {
      const { id } = request.params;
      const deleted = UUID_PATTERN.test(id) && (await store.deleteSubscription(id));
      return deleted ? reply.code(204).send() : unknown(reply, 'subscription', id);
    });

    app.get<{ Params: { id: string } }>('/api/v1/subscriptions/:id/deliveries', async (request, reply) => {
      const { id } = request.params;
      const query = parseInput(listQuerySchema, request.query);
      if (!UUID_PATTERN.test(id) || !(await store.getSubscription(id))) return unknown(reply, 'subscription', id);
      return store.listDeliveries(id, query.limit, query.cursor);
    });

    app.post<{ Params: { id: string; delivery_id: string } }>(
      '/api/v1/subscriptions/:id/deliveries/:delivery_id/redeliver',
      async (request, reply) => {
        const { id, delivery_id: deliveryId } = request.params;
        const found = UUID_PATTERN.test(id) && UUID_PATTERN.test(deliveryId) && (await store.redeliver(id, deliveryId));
        if (!found) return unknown(reply, 'delivery', deliveryId);
        // Read before the dispatcher claims it: its claim's lease would read as a wait of 60 s.
        const due = await store.getDelivery(deliveryId);
        dispatcher.notify();
        return reply.code(202).send(due);
      },
    );
  };
}
