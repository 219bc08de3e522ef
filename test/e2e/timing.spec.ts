import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** A retry waits a second (the default ladder), and a worker may be cold. */
const DONE_TIMEOUT_MS = 45_000;

/** A callback receiver that answers 500 to a job's first POST and 200 to the next. */
async function failOnceReceiver(): Promise<{ url: string; server: Server }> {
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      const first = !seen.has(id);
      seen.add(id);
      response.writeHead(first ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

test('a finished job retried once shows where its time went as labelled bars on one axis', async ({ page, request }) => {
  const receiver = await failOnceReceiver();
  let subscriptionId = '';
  try {
    const submitted = await request.post('/api/v1/jobs', { data: { kind: 'callback', payload: { callback_url: receiver.url, duration_ms: 400 } } });
    expect(submitted.status()).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const subscribed = await request.post('/api/v1/subscriptions', {
      data: { url: `${new URL(submitted.url()).origin}/api/v1/inbox/timing-e2e`, events: { job_ids: [id], statuses: ['DONE'] } },
    });
    expect(subscribed.status()).toBe(201);
    subscriptionId = ((await subscribed.json()) as { id: string }).id;
    await expect
      .poll(async () => {
        const job = (await (await request.get(`/api/v1/jobs/${id}`)).json()) as { status: string; timing: { deliveries: { outcome: string }[] | null } };
        return `${job.status} ${job.timing.deliveries?.map((d) => d.outcome).join(',')}`;
      }, { timeout: DONE_TIMEOUT_MS })
      .toBe('DONE delivered');

    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(`/#/jobs/${id}`);
    const detail = page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
    await expect(detail).toBeVisible();
    const bars = detail.getByRole('list', { name: 'Where the time went' });
    await expect(bars.getByRole('listitem')).toHaveText([
      /^Queue wait\d+ ms$/,
      /^Attempt 1 · failed[\d.]+ m?s$/,
      /^Retry wait[\d.]+ m?s$/,
      /^Attempt 2 · done[\d.]+ m?s$/,
      /^Webhook job\.DONE[\d.]+ m?s$/,
    ]);
    // Each bar says what it is in words; each attempt's POST (its effect) is a bar inside it.
    await expect(bars.getByRole('img', { name: /^Attempt 1 · failed: [\d.]+ m?s, of which the effect \d+ ms, on / })).toBeVisible();
    await expect(bars.getByRole('img', { name: /^Retry wait: [\d.]+ m?s$/ })).toBeVisible();
    await expect(bars.getByRole('img', { name: /^Effect of Attempt 2: \d+ ms$/ })).toBeVisible();
    await expect(bars.getByRole('img', { name: /^Webhook job\.DONE: [\d.]+ m?s, 1 attempt, delivered$/ })).toBeVisible();
    await expect(detail.getByRole('list', { name: 'Legend' })).toContainText('Retry wait');
    await expect(detail.getByText(/ in all: queued \d+ ms, running [\d.]+ m?s \(effect \d+ ms\), retry waits [\d.]+ m?s$/)).toBeVisible();

    // The bars share one axis: the retry wait starts where attempt 1 ends, and attempt 2 where it ends.
    const box = async (name: RegExp) => (await bars.getByRole('img', { name }).boundingBox())!;
    const first = await box(/^Attempt 1 /);
    const wait = await box(/^Retry wait/);
    const second = await box(/^Attempt 2 /);
    expect(Math.abs(wait.x - (first.x + first.width))).toBeLessThan(3);
    expect(Math.abs(second.x - (wait.x + wait.width))).toBeLessThan(3);
    // Nothing spills out of the 1024 px drawer.
    const panel = (await detail.boundingBox())!;
    for (const bar of [first, wait, second]) expect(bar.x + bar.width).toBeLessThanOrEqual(panel.x + panel.width);

    await detail.getByRole('heading', { name: 'Where the time went' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/timing-bars.png' });
  } finally {
    if (subscriptionId) await request.delete(`/api/v1/subscriptions/${subscriptionId}`);
    receiver.server.close();
  }
});
