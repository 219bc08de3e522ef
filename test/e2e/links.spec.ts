import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Every kind really runs here: allow for a cold worker. */
const DONE_TIMEOUT_MS = 45_000;
const short = (id: string): string => id.slice(0, 8);

/** Submits a job through the API and returns its ID. */
async function submitJob(request: APIRequestContext, kind: string, payload: Record<string, unknown>): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind, payload } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function waitDone(request: APIRequestContext, id: string): Promise<void> {
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/jobs/${id}`)).json()) as { status: string }).status, { timeout: DONE_TIMEOUT_MS })
    .toBe('DONE');
}

/** The ID of the subscription's delivery of an event of the job, or empty while there is none. */
async function deliveryOfJob(request: APIRequestContext, subscriptionId: string, jobId: string): Promise<string> {
  const answer = await request.get(`/api/v1/subscriptions/${subscriptionId}/deliveries`);
  const { items } = (await answer.json()) as { items: { id: string; job_id: string | null }[] };
  return items.find((delivery) => delivery.job_id === jobId)?.id ?? '';
}

async function openConsole(page: Page, hash: string): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();
}

/** A link to a job must be a link (not text), point at the job, and open its details when followed. */
async function followJobLink(page: Page, link: Locator, id: string): Promise<void> {
  await expect(link).toHaveAttribute('href', `#/jobs/${id}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  const detail = page.getByRole('region', { name: `Job ${short(id)}` });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('link', { name: `Job ${id}` })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Jobs', exact: true })).toHaveAttribute('aria-current', 'page');
}

test("a batch child's ID links to that job's details, and Back returns to the batch", async ({ page, request }) => {
  const answer = await request.post('/api/v1/batches', {
    data: { jobs: [{ kind: 'log', payload: { client_time: Math.floor(Date.now() / 1000) } }, { kind: 'email', payload: { subject: 'links e2e child' } }] },
  });
  expect(answer.status()).toBe(202);
  const batch = (await answer.json()) as { id: string; job_ids: string[] };
  const child = batch.job_ids[1]!;

  await openConsole(page, `#/batches/${batch.id}`);
  const card = page.getByRole('article', { name: `Batch ${short(batch.id)}` });
  await expect(card).toHaveAttribute('aria-current', 'true');
  await page.screenshot({ path: 'test-results/screens/batch-linked.png' });
  await expect(card.getByRole('link', { name: `Batch ${short(batch.id)}` })).toHaveAttribute('href', `#/batches/${batch.id}`);
  await followJobLink(page, card.getByRole('link', { name: `Job ${short(child)}` }), child);
  // The job's details name its batch, as a link back.
  await expect(page.getByRole('region', { name: `Job ${short(child)}` }).getByRole('link', { name: `Batch ${short(batch.id)}` })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/batches/${batch.id}$`));
  await expect(page.getByRole('article', { name: `Batch ${short(batch.id)}` })).toBeVisible();
});

test("a webhook the inbox received from a callback job links to the job", async ({ page, request }) => {
  const id = await submitJob(request, 'callback', { duration_ms: 300 });
  await waitDone(request, id);

  await openConsole(page, '#/webhooks');
  const item = page.getByRole('list', { name: 'Received webhooks' }).getByRole('button').filter({ hasText: id });
  await expect(item).toHaveCount(1, { timeout: 15_000 });
  await item.click();
  await followJobLink(page, page.getByRole('article').getByRole('link', { name: `Job ${short(id)}` }), id);
});

test("a message the mail sink received links to the email job that sent it", async ({ page, request }) => {
  const subject = `links e2e ${Date.now()}`;
  const id = await submitJob(request, 'email', { subject });
  await waitDone(request, id);

  await openConsole(page, '#/mail');
  const item = page.getByRole('list', { name: 'Received mail' }).getByRole('button').filter({ hasText: subject });
  await expect(item).toHaveCount(1, { timeout: 15_000 });
  await item.click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/mail-job-link.png' });
  await followJobLink(page, page.getByRole('article').getByRole('link', { name: `Job ${short(id)}` }), id);
});

test("a subscription's delivery links to its job, and a link to the delivery marks it", async ({ page, request, baseURL }) => {
  const created = await request.post('/api/v1/subscriptions', { data: { url: `${baseURL}/api/v1/inbox/links-e2e`, events: { kinds: ['log'], statuses: ['DONE'] } } });
  expect(created.status()).toBe(201);
  const subscription = (await created.json()) as { id: string };
  try {
    const id = await submitJob(request, 'log', { client_time: Math.floor(Date.now() / 1000) });
    let deliveryId = '';
    await expect.poll(async () => (deliveryId = await deliveryOfJob(request, subscription.id, id)), { timeout: DONE_TIMEOUT_MS }).not.toBe('');

    await openConsole(page, `#/subscriptions/${subscription.id}/deliveries/${deliveryId}`);
    const delivery = page.getByRole('list', { name: 'Deliveries' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: `Delivery ${short(deliveryId)}` }) });
    await expect(delivery).toHaveAttribute('aria-current', 'true');
    await page.screenshot({ path: 'test-results/screens/delivery-linked.png' });
    await expect(delivery.getByRole('link', { name: `Delivery ${short(deliveryId)}` })).toHaveAttribute('href', `#/subscriptions/${subscription.id}/deliveries/${deliveryId}`);
    await expect(page.getByRole('link', { name: `Subscription ${subscription.id}` })).toHaveAttribute('href', `#/subscriptions/${subscription.id}`);
    await followJobLink(page, delivery.getByRole('link', { name: `Job ${short(id)}` }), id);
  } finally {
    await request.delete(`/api/v1/subscriptions/${subscription.id}`);
  }
});

test('a deep link opened directly shows the job; one to an unknown job says so', async ({ page, request }) => {
  const id = await submitJob(request, 'log', { client_time: Math.floor(Date.now() / 1000) });
  await openConsole(page, `#/jobs/${id}`);
  const detail = page.getByRole('region', { name: `Job ${short(id)}` });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('link', { name: `Job ${id}` })).toHaveAttribute('href', `#/jobs/${id}`);

  const unknown = '00000000-0000-4000-8000-000000000000';
  await page.goto(`/#/jobs/${unknown}`);
  await expect(page.getByText(`The API has no job ${unknown}.`)).toBeVisible();
});

test('the API page shows no literal backtick, and trying GET /api/v1/health and POST /api/v1/jobs shows their answers', async ({ page }) => {
  await openConsole(page, '#/api');
  const view = page.locator('.api-view');
  await expect(view.getByRole('button', { name: 'Try GET /api/v1/health', exact: true })).toBeVisible();
  expect(await view.innerText()).not.toContain('`');
  await expect(view.locator('.view-header code').first()).toBeVisible();

  await view.getByRole('button', { name: 'Try GET /api/v1/health', exact: true }).click();
  const health = view.getByRole('form', { name: 'Try GET /api/v1/health' });
  await health.getByRole('button', { name: 'Send GET' }).click();
  const answer = health.getByRole('region', { name: 'Answer of GET /api/v1/health' });
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  await expect(answer.getByRole('table')).toContainText('application/json');
  await expect(answer.getByRole('region', { name: /Body/ })).toContainText('"dependencies"');

  await view.getByRole('button', { name: 'Try POST /api/v1/jobs', exact: true }).click();
  const submit = view.getByRole('form', { name: 'Try POST /api/v1/jobs', exact: true });
  await expect(submit.getByRole('textbox', { name: 'Body (JSON)' })).toHaveValue(/"kind": "email"/);
  // Enter does not send a request that changes something; only the button does.
  await submit.getByRole('textbox', { name: /Idempotency-Key/ }).press('Enter');
  await expect(submit.getByRole('region', { name: 'Answer of POST /api/v1/jobs' })).toHaveCount(0);
  await submit.getByRole('button', { name: 'Send POST' }).click();
  await expect(submit.getByRole('region', { name: 'Answer of POST /api/v1/jobs' }).getByRole('status')).toContainText('HTTP 202');
  await page.screenshot({ path: 'test-results/screens/api-try.png', fullPage: true });
});
