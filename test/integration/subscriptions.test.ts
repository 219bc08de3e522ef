import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, Subscription } from '../../src-shared/subscription-schemas';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { WebhookReceiver } from '../support/webhook-receiver';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
});
afterAll(async () => {
  await app?.dispose();
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function listSubscriptions(): Promise<Subscription[]> {
  return ((await (await fetch(`${app.url}/api/v1/subscriptions`)).json()) as { items: Subscription[] }).items;
}

// The other refusals are in test/unit/main/subscription-routes.test.ts; this one goes end to end.
describe('POST /api/v1/subscriptions refuses bad input and creates nothing', () => {
  it.each([
    [{}, 'url', 'required'],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    const before = await listSubscriptions();
    const response = await post('/api/v1/subscriptions', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await listSubscriptions()).toEqual(before);
  });
});

describe('webhook deliveries', () => {
  it('are signed per Standard Webhooks, retried with backoff after a 500, every attempt recorded, and redeliverable', async () => {
    const receiver = await new WebhookReceiver((_request, index) => (index < 2 ? 500 : 200)).start();
    try {
      const created = await post('/api/v1/subscriptions', { url: `${receiver.url}/hook`, events: { kinds: ['A'], statuses: ['DONE'] } });
      expect(created.status).toBe(201);
      const subscription = (await created.json()) as Subscription;
      expect(subscription.secret).toMatch(/^whsec_/);
      expect(subscription.events).toEqual({ kinds: ['log'], statuses: ['DONE'] });
      const shown = (await (await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}`)).json()) as Subscription;
      expect(shown.secret).toBeUndefined();
      expect((await listSubscriptions()).find((listed) => listed.id === subscription.id)).not.toHaveProperty('secret');

      const job = ((await (await fetch(`${app.url}/job/database?client_time=1569177495`)).json()) as { uuid: string }).uuid;
      await eventually(() => receiver.received, (received) => received.length >= 3, 20_000, 'three attempts');
      const verifier = new Webhook(subscription.secret!);
      for (const request of receiver.received) {
        const payload = verifier.verify(request.body, request.headers as Record<string, string>) as { type: string; data: { job_id: string } };
        expect(payload).toMatchObject({ type: 'job.DONE', data: { job_id: job } });
      }
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i]!.at);
      expect(gaps[1]!).toBeGreaterThan(gaps[0]!);

      const deliveries = await eventually(
        async () => ((await (await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}/deliveries`)).json()) as { items: Delivery[] }).items,
        (items) => items[0]?.state === 'delivered',
      );
      expect(deliveries).toHaveLength(1);
      const [delivery] = deliveries;
      expect(delivery!.id).toBe(receiver.received[0]!.headers['webhook-id']);
      expect(delivery!.job_id).toBe(job);
      expect(delivery!.attempts.map((a) => a.status_code)).toEqual([500, 500, 200]);
      expect(delivery!.attempts.map((a) => a.error)).toEqual(['answered HTTP 500', 'answered HTTP 500', null]);

      const again = await post(`/api/v1/subscriptions/${subscription.id}/deliveries/${delivery!.id}/redeliver`, {});
      expect(again.status).toBe(202);
      // Due now, as it is sent at once (not the dispatcher's 60 s claim lease).
      const due = (await again.json()) as Delivery & { next_attempt_at: string | null };
      expect(due.state).toBe('pending');
      expect(Math.abs(Date.parse(due.next_attempt_at!) - Date.now())).toBeLessThan(5_000);
      await eventually(() => receiver.received, (received) => received.length >= 4);
      expect(receiver.received[3]!.headers['webhook-id']).toBe(delivery!.id);
      expect(() => verifier.verify(receiver.received[3]!.body, receiver.received[3]!.headers as Record<string, string>)).not.toThrow();

      expect((await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}`)).status).toBe(404);
      expect((await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(404);
      // A gone subscription's deliveries are a problem answer naming it, not a failure.
      const gone = await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}/deliveries`);
      expect(gone.status).toBe(404);
      expect(gone.headers.get('content-type')).toContain('application/problem+json');
      expect(((await gone.json()) as { detail: string }).detail).toContain(subscription.id);
    } finally {
      await receiver.close();
    }
  });
});

describe('a subscription URL with user information', () => {
  it('delivers with the credentials as Basic authorization, and no recorded error shows the password', async () => {
    const receiver = await new WebhookReceiver((_request, index) => (index < 1 ? 503 : 200)).start();
    const password = 'pa ss@w0rd';
    const url = receiver.url.replace('http://', `http://hook-user:${encodeURIComponent(password)}@`);
    try {
      const created = await post('/api/v1/subscriptions', { url: `${url}/secured`, events: { kinds: ['A'], statuses: ['DONE'] } });
      expect(created.status).toBe(201);
      const subscription = (await created.json()) as Subscription;
      await fetch(`${app.url}/job/database?client_time=1569177495`);
      await eventually(() => receiver.received, (received) => received.length >= 2, 20_000, 'a retried delivery');
      const expected = `Basic ${Buffer.from(`hook-user:${password}`).toString('base64')}`;
      expect(receiver.received.map((r) => r.headers.authorization)).toEqual([expected, expected]);
      const page = (await (await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}/deliveries`)).json()) as { items: Delivery[] };
      expect(JSON.stringify(page.items.map((d) => d.attempts))).not.toContain(encodeURIComponent(password));
      await fetch(`${app.url}/api/v1/subscriptions/${subscription.id}`, { method: 'DELETE' });
    } finally {
      await receiver.close();
    }
  });
});

describe("kind B's signing secret", () => {
  it('goes to the worker only: the job as the API and events show it has no secret', async () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const response = await post('/api/v1/jobs', { kind: 'callback', payload: { duration_ms: 0, secret } });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { id: string; payload: Record<string, unknown> };
    expect(job.payload).not.toHaveProperty('secret');
    const read = (await (await fetch(`${app.url}/api/v1/jobs/${job.id}`)).json()) as { payload: Record<string, unknown> };
    expect(JSON.stringify(read)).not.toContain(secret);
  });
});
