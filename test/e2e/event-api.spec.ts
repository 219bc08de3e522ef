import { expect, test, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Both jobs really run (one a 1.5 s callback): allow for a cold worker. */
const DONE_TIMEOUT_MS = 45_000;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** Opens the console on a view and waits for its live feed, counting page loads. */
async function openConsole(page: Page, hash: string): Promise<() => number> {
  let navigations = 0;
  page.on('domcontentloaded', () => {
    navigations += 1;
  });
  await page.goto(`/#/${hash}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return () => navigations;
}

test('the Checkout batch, submitted by clicking, reaches COMPLETED live and its fan-in callback is delivered', async ({ page }) => {
  const navigations = await openConsole(page, 'batches');
  const form = page.getByRole('form', { name: 'Submit a batch' });
  await form.getByRole('button', { name: 'Checkout' }).click();
  await expect(form.getByRole('textbox', { name: 'Jobs (JSON)' })).toContainText('"kind": "callback"');

  await form.getByRole('button', { name: 'Submit batch' }).click();
  const accepted = form.getByRole('status');
  await expect(accepted).toContainText('accepted with 2 jobs');
  const shortId = /Batch ([0-9a-f]{8})/.exec(await accepted.innerText())?.[1];
  expect(shortId).toBeDefined();

  const card = page.getByRole('article', { name: `Batch ${shortId}` });
  const children = card.getByRole('list', { name: `Jobs of batch ${shortId}`, exact: true }).getByRole('listitem');
  await expect(children).toHaveCount(2);
  await expect(children.first()).toContainText('callback (B)');
  await expect(children.nth(1)).toContainText('log (A)');
  // The tree moves without a reload: each child reaches DONE from the live events.
  await expect(children.filter({ hasText: 'DONE' })).toHaveCount(2, { timeout: DONE_TIMEOUT_MS });
  await expect(card.getByRole('progressbar', { name: `Progress of batch ${shortId}` })).toHaveAttribute('aria-valuenow', '100');
  await expect(card).toHaveAttribute('data-status', 'COMPLETED', { timeout: DONE_TIMEOUT_MS });
  await expect(card.getByRole('list', { name: `Jobs of batch ${shortId} by status` })).toHaveText(/DONE\s*2/);

  const fanIn = card.getByRole('group', { name: `Fan-in callback of batch ${shortId}` });
  await expect(fanIn).toContainText('Delivered', { timeout: DONE_TIMEOUT_MS });
  await expect(fanIn).toContainText('/api/v1/inbox/batches');
  await expect(fanIn).toContainText(/→ 2\d\d in \d+ ms/);
  await card.getByText('Combined results').click();
  const combined = card.getByRole('region', { name: `Combined results of batch ${shortId}` });
  await expect(combined).toContainText('"kind": "callback"');
  await expect(combined).toContainText('"kind": "log"');
  await shot(page, 'batch-checkout-completed');
  expect(navigations()).toBe(1);
});

test('a batch with a bad payload is refused next to the form, naming the field', async ({ page }) => {
  await openConsole(page, 'batches');
  const form = page.getByRole('form', { name: 'Submit a batch' });
  await form.getByRole('button', { name: 'Price aggregator' }).click();
  const jobs = form.getByRole('textbox', { name: 'Jobs (JSON)' });
  await jobs.fill(JSON.stringify([{ kind: 'callback', payload: {} }, { kind: 'callback', payload: {} }, { kind: 'callback', payload: { x: 1 } }], null, 2));

  await form.getByRole('button', { name: 'Submit batch' }).click();

  const problem = form.getByRole('alert');
  await expect(problem).toContainText('jobs.2.payload');
  await expect(problem).toContainText('x');
  await expect(jobs).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'batch-refused');
});

test('a subscription shows its secret once, then a delivery with its attempt, redelivers, and is deleted after a confirmation', async ({ page, baseURL }) => {
  await openConsole(page, 'subscriptions');
  const form = page.getByRole('form', { name: 'Create a subscription' });
  const url = `${baseURL}/api/v1/inbox/e2e-subscription`;
  await form.getByRole('textbox', { name: 'URL' }).fill(url);
  await form.getByRole('checkbox', { name: 'log' }).check();
  await form.getByRole('checkbox', { name: 'DONE' }).check();
  await form.getByRole('button', { name: 'Create subscription' }).click();

  const secret = page.getByLabel('Signing secret', { exact: true });
  await expect(secret).toHaveText(/^whsec_/);
  await expect(page.getByRole('button', { name: 'Copy secret' })).toBeVisible();
  const detail = page.getByRole('article', { name: url });
  await expect(detail).toContainText('log');
  await expect(detail.getByText('No deliveries yet')).toBeVisible();
  await shot(page, 'subscription-created');

  const answer = await page.request.post('/api/v1/jobs', { data: { kind: 'log', payload: { client_time: Math.floor(Date.now() / 1000) } } });
  expect(answer.status()).toBe(202);
  const jobId = ((await answer.json()) as { id: string }).id;

  const deliveries = detail.getByRole('list', { name: 'Deliveries' });
  const delivery = deliveries.getByRole('listitem').filter({ hasText: 'job.DONE' });
  await expect(delivery).toHaveCount(1, { timeout: DONE_TIMEOUT_MS });
  await expect(delivery).toContainText('delivered', { timeout: DONE_TIMEOUT_MS });
  const attempts = delivery.getByRole('table', { name: /^Attempts of delivery/ }).getByRole('row');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(1).getByRole('cell').nth(2)).toHaveText(/^2\d\d$/);
  await expect(attempts.nth(1).getByRole('cell').nth(3)).toHaveText(/^\d+ ms$/);
  await page.getByRole('button', { name: 'Hide secret' }).click();
  await expect(secret).toHaveCount(0);
  await shot(page, 'subscription-delivery');

  await delivery.getByRole('button', { name: /^Redeliver job\.DONE/ }).click();
  await expect(attempts).toHaveCount(3, { timeout: DONE_TIMEOUT_MS });
  await expect(attempts.nth(2).getByRole('cell').nth(2)).toHaveText(/^2\d\d$/);

  // Every delivery reached the inbox with the same webhook-id (a receiver drops the repeat).
  // The list carries no bodies: each request is read whole by its ID.
  const inbox = await page.request.get('/api/v1/inbox?limit=50');
  const listed = ((await inbox.json()) as { items: { id: string; path: string }[] }).items.filter((item) => item.path.endsWith('/e2e-subscription'));
  const whole = await Promise.all(
    listed.map(async (item) => (await (await page.request.get(`/api/v1/inbox/items/${item.id}`)).json()) as { body: string; headers: Record<string, string> }),
  );
  const received = whole.filter((item) => item.body.includes(jobId));
  expect(received).toHaveLength(2);
  expect(new Set(received.map((item) => item.headers['webhook-id'])).size).toBe(1);

  await detail.getByRole('button', { name: `Delete subscription to ${url}` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Delete the subscription to ${url}?` });
  await expect(confirm).toBeVisible();
  await shot(page, 'subscription-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete subscription' }).click();
  await expect(page.getByRole('article', { name: url })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Subscriptions' })).toContainText('No subscriptions yet.');
});

test('the API page lists every route, grouped by tag', async ({ page }) => {
  await openConsole(page, 'api');
  const batches = page.getByRole('region', { name: 'batches' });
  await expect(batches.getByRole('listitem').filter({ hasText: 'POST/api/v1/batches' })).toContainText('Submit several jobs as one batch');
  const webhooks = page.getByRole('region', { name: 'webhooks' });
  await expect(webhooks.getByRole('listitem').filter({ hasText: '/api/v1/subscriptions/{id}/deliveries/{delivery_id}/redeliver' })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'book' })).toContainText('/job/status');
  const health = page.getByRole('region', { name: 'console' }).getByRole('listitem').filter({ hasText: 'GET/api/v1/health' });
  await expect(health).toContainText('answers 200, 503, 4XX, 5XX');
  await shot(page, 'api-page');
});

test('after a gap the stream cannot replay, the resync reloads the batches and the feed carries on live', async ({ page }) => {
  const feeds: string[] = [];
  const batchLists: number[] = [];
  page.on('request', (request) => {
    if (/\/api\/v1\/batches\?/.test(request.url())) batchLists.push(feeds.length);
  });
  await page.route('**/api/v1/events*', async (route) => {
    feeds.push(route.request().url());
    // An event ID the stream never held (an ID from before a Redis restart), then the browser gives up.
    if (feeds.length === 1) return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'retry: 100\n\nid: 1-0\nevent: job\ndata: {}\n\n' });
    if (feeds.length === 2) return route.fulfill({ status: 503, body: '' });
    return route.continue();
  });
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto('/#/batches');
  await expect(page.getByRole('heading', { level: 2, name: 'Batches' })).toBeVisible();

  // The console asks the real server to resume after 1-0; the server answers with a resync.
  await expect.poll(() => feeds.length).toBeGreaterThanOrEqual(3);
  expect(new URL(feeds[2]!).searchParams.get('last_event_id')).toBe('1-0');
  await expect.poll(() => batchLists.filter((feedsBefore) => feedsBefore >= 3).length).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Submit a batch' });
  await form.getByRole('button', { name: 'Checkout' }).click();
  await form.getByRole('button', { name: 'Submit batch' }).click();
  const shortId = /Batch ([0-9a-f]{8})/.exec(await form.getByRole('status').innerText())?.[1];
  const card = page.getByRole('article', { name: `Batch ${shortId}` });
  await expect(card.getByRole('list', { name: `Jobs of batch ${shortId}`, exact: true }).getByRole('listitem').filter({ hasText: 'DONE' })).toHaveCount(2, {
    timeout: DONE_TIMEOUT_MS,
  });
  expect(feeds).toHaveLength(3);
  expect(warnings.filter((text) => text.includes('resync'))).toEqual([]);
  await shot(page, 'batches-after-resync');
});
