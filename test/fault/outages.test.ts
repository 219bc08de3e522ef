import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * Each service cut away in turn (connections reset) and then stalled (connections open, nothing
 * arrives: no reset to notice), through proxies the test owns: the API answers within a bounded
 * time — a submit with 503 and Retry-After, a read of a job within a second from whatever still
 * holds it — and takes jobs again once the service is back.
 */
const BOUND_MS = 6_000;
const READ_BOUND_MS = 1_000;
const endpoint = (url: string, port: number) => ({ host: new URL(url).hostname, port: Number(new URL(url).port || port) });
const proxies = {
  rabbitmq: new TcpProxy(endpoint(TEST_SERVICES.amqpUrl, 5672)),
  redis: new TcpProxy(endpoint(TEST_SERVICES.redisUrl, 6379)),
  postgresql: new TcpProxy(endpoint(TEST_SERVICES.databaseUrl, 5432)),
};
let app: TestConsole;
let known: Job;

beforeAll(async () => {
  for (const proxy of Object.values(proxies)) await proxy.listen();
  app = await startTestConsole(
    {
      AMQP_URL: proxies.rabbitmq.urlFor(TEST_SERVICES.amqpUrl),
      REDIS_URL: proxies.redis.urlFor(TEST_SERVICES.redisUrl),
      DATABASE_URL: proxies.postgresql.urlFor(TEST_SERVICES.databaseUrl),
    },
    false,
  );
  known = (await (await submit()).json()) as Job;
  // The history has it too once the recorder caught up: a read can fall back to it.
  await eventually(() => fetch(`${app.url}/api/v1/jobs?limit=1`), (response) => response.ok);
  await eventually(
    async () => ((await (await fetch(`${app.url}/api/v1/jobs`)).json()) as { items: Job[] }).items,
    (items) => items.some((job) => job.id === known.id),
  );
});
afterAll(async () => {
  for (const proxy of Object.values(proxies)) proxy.heal();
  await app?.dispose();
  for (const proxy of Object.values(proxies)) await proxy.close();
});

function submit(): Promise<Response> {
  return fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'log', payload: { client_time: 1569177495 } }),
    signal: AbortSignal.timeout(30_000),
  });
}

async function timed(request: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = Date.now();
  const response = await request();
  await response.clone().arrayBuffer();
  return { response, ms: Date.now() - started };
}

const cases = (['rabbitmq', 'redis', 'postgresql'] as const).flatMap((service) =>
  (['cut', 'stall'] as const).map((mode) => ({ service, mode })),
);

describe.each(cases)('with $service ($mode)', ({ service, mode }) => {
  it('answers every request within the bound, refuses submits with 503 and Retry-After, and recovers', async () => {
    if (mode === 'cut') proxies[service].cut();
    else proxies[service].stall();
    try {
      const submitted = await timed(submit);
      console.log(`[outage] ${service} ${mode}: submit answered ${submitted.response.status} in ${submitted.ms} ms`);
      expect(submitted.ms).toBeLessThanOrEqual(BOUND_MS);
      if (service === 'postgresql') {
        // Submitting needs only RabbitMQ and Redis; the history catches up later.
        expect(submitted.response.status).toBe(202);
      } else {
        expect(submitted.response.status).toBe(503);
        expect(Number(submitted.response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(submitted.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      const read = await timed(() => fetch(`${app.url}/api/v1/jobs/${known.id}`));
      console.log(`[outage] ${service} ${mode}: read answered ${read.response.status} in ${read.ms} ms`);
      expect(read.ms).toBeLessThanOrEqual(READ_BOUND_MS);
      expect(read.response.status).toBe(200);
      expect(((await read.response.json()) as Job).id).toBe(known.id);
      const book = await timed(() => fetch(`${app.url}/job/status?uuid=${known.id}`));
      expect(book.ms).toBeLessThanOrEqual(READ_BOUND_MS);
      expect(book.response.status).toBe(200);
      const list = await timed(() => fetch(`${app.url}/api/v1/jobs`));
      console.log(`[outage] ${service} ${mode}: list answered ${list.response.status} in ${list.ms} ms`);
      expect(list.ms).toBeLessThanOrEqual(BOUND_MS);
      expect([200, 503]).toContain(list.response.status);
      const health = await timed(() => fetch(`${app.url}/api/v1/health`));
      expect(health.ms).toBeLessThanOrEqual(BOUND_MS);
      expect(health.response.status).toBe(503);
    } finally {
      proxies[service].heal();
    }
    const accepted = await eventually(() => submit(), (response) => response.status === 202, 20_000, 'a submit to be accepted again');
    expect(accepted.status).toBe(202);
  });
});
