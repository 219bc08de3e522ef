/**
 * The batch and subscription routes' answers for what does not exist, on the app factory with
 * stores that hold nothing: a problem naming the ID, never a failure (the window's old IPC
 * twin threw on an unknown subscription's deliveries; the route is now the one answer).
 */
import { describe, expect, it } from 'vitest';
import { API_HOST, UNUSED, apiForTests } from '../../support/api-app';

const UNKNOWN = '0b4e7a43-6a4e-4f5e-9a60-4d1f2c3b4a51';
const emptyStore = {
  getSubscription: async () => null,
  deleteSubscription: async () => false,
  redeliver: async () => false,
};

const app = apiForTests({ webhooks: { store: emptyStore as never, dispatcher: UNUSED }, batches: { get: async () => null } as never });

describe('batches and subscriptions that do not exist', () => {
  it.each([
    ['GET', '/api/v1/batches/not-a-uuid', 'not-a-uuid'],
    ['GET', `/api/v1/batches/${UNKNOWN}`, UNKNOWN],
    ['GET', `/api/v1/subscriptions/${UNKNOWN}/deliveries`, UNKNOWN],
    ['GET', '/api/v1/subscriptions/not-a-uuid/deliveries', 'not-a-uuid'],
    ['DELETE', `/api/v1/subscriptions/${UNKNOWN}`, UNKNOWN],
    ['POST', `/api/v1/subscriptions/${UNKNOWN}/deliveries/${UNKNOWN}/redeliver`, UNKNOWN],
  ] as const)('%s %s → 404 problem naming the ID', async (method, url, id) => {
    const response = await app().inject({ method, url, headers: { host: API_HOST } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining(id) });
  });
});
