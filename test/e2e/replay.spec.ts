import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { Job } from '../../src-shared/job';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Every kind really runs here: allow for a cold worker. */
const DONE_TIMEOUT_MS = 45_000;
const short = (id: string): string => id.slice(0, 8);

async function submitJob(request: APIRequestContext, kind: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind, payload, ...extra } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const readJob = async (request: APIRequestContext, id: string): Promise<Job> => (await (await request.get(`/api/v1/jobs/${id}`)).json()) as Job;

async function waitFor(request: APIRequestContext, id: string, status: Job['status']): Promise<void> {
  await expect.poll(async () => (await readJob(request, id)).status, { timeout: DONE_TIMEOUT_MS }).toBe(status);
}

async function openConsole(page: Page, hash: string): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();
}

const detailOf = (page: Page, id: string) => page.getByRole('region', { name: `Job ${short(id)}` });

test('"Run again with changes" fills the Submit form with the job\'s payload; the edited replay links to its original both ways', async ({ page, request }) => {
  const original = await submitJob(request, 'email', { subject: 'replay e2e original', body: 'first body' });
  await waitFor(request, original, 'DONE');

  await openConsole(page, `#/jobs/${original}`);
  await detailOf(page, original).getByRole('button', { name: 'Run again with changes' }).click();
  await expect(page).toHaveURL(/#\/submit$/);
  const banner = page.getByRole('region', { name: 'Replay' });
  await expect(banner.getByRole('link', { name: `Job ${original}` })).toHaveAttribute('href', `#/jobs/${original}`);
  // Only the replayed kind's form, filled with the job's payload (defaults resolved: the recipient).
  const form = page.getByRole('form', { name: 'email' });
  await expect(page.getByRole('form')).toHaveCount(1);
  await expect(form.getByLabel('Subject')).toHaveValue('replay e2e original');
  await expect(form.getByLabel('Body')).toHaveValue('first body');
  await expect(form.getByLabel('Recipient')).not.toHaveValue('');
  await form.getByLabel('Subject').fill('replay e2e edited');
  await page.screenshot({ path: 'test-results/screens/replay-form.png' });
  await form.getByRole('button', { name: 'Submit email job (C)' }).click();

  // Accepted: replay mode ends, the new job opens beside the form, and says what it replays.
  await expect(banner).toHaveCount(0);
  const accepted = form.getByRole('status').filter({ hasText: 'Accepted job' }).getByRole('link');
  const replay = ((await accepted.getAttribute('href')) ?? '').replace('#/jobs/', '');
  expect(replay).toMatch(/^[0-9a-f-]{36}$/);
  expect(await readJob(request, replay)).toMatchObject({ replay_of: original, payload: { subject: 'replay e2e edited', body: 'first body' } });
  const replayDetail = detailOf(page, replay);
  await expect(replayDetail.getByRole('link', { name: `Job ${short(original)}` })).toHaveAttribute('href', `#/jobs/${original}`);
  await waitFor(request, replay, 'DONE');

  // From the original: its replays, found by the search replay_of:<id>.
  await openConsole(page, `#/jobs/${original}`);
  const replays = detailOf(page, original).getByRole('list', { name: 'Replays' });
  await expect(replays.getByRole('link', { name: `Job ${short(replay)}` })).toHaveAttribute('href', `#/jobs/${replay}`);
  await page.screenshot({ path: 'test-results/screens/replay-details.png' });

  // And compare the two from there: the subject differs, the body does not.
  await replays.getByRole('link', { name: `Compare with replay ${short(replay)}` }).click();
  await expect(page).toHaveURL(new RegExp(`#/compare/${original}/${replay}$`));
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.locator('tr[data-field="payload.subject"]')).toHaveClass(/differs/);
  await expect(table.locator('tr[data-field="payload.subject"]')).toContainText('replay e2e edited');
  await expect(table.locator('tr[data-field="payload.body"]')).not.toHaveClass(/differs/);
});

test('two jobs ticked in the Jobs table compare side by side, and a deep link reopens the comparison', async ({ page, request }) => {
  const left = await submitJob(request, 'log', { client_time: 1_700_000_000 });
  const right = await submitJob(request, 'log', { client_time: 1_700_000_123 });
  await waitFor(request, left, 'DONE');
  await waitFor(request, right, 'DONE');

  await openConsole(page, `#/jobs?q=${encodeURIComponent(`id:${left},${right}`)}`);
  const table = page.getByRole('table', { name: 'Jobs' });
  await table.getByRole('checkbox', { name: `Select job ${short(left)}` }).check();
  const compare = page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Compare' });
  await expect(compare).toHaveAttribute('aria-disabled', 'true');
  await table.getByRole('checkbox', { name: `Select job ${short(right)}` }).check();
  await expect(compare).not.toHaveAttribute('aria-disabled');
  await compare.click();

  await expect(page).toHaveURL(new RegExp(`#/compare/${left}/${right}$`));
  await expect(page.getByRole('heading', { level: 2, name: 'Compare' })).toBeVisible();
  const comparison = page.getByRole('table', { name: 'Comparison' });
  await expect(comparison.locator('tr[data-field="payload.client_time"]')).toHaveClass(/differs/);
  await expect(comparison.locator('tr[data-field="payload.client_time"]')).toContainText('2023-11-14T22:13:20.000Z');
  await expect(comparison.locator('tr[data-field="kind"]')).not.toHaveClass(/differs/);
  await expect(comparison.locator('tr[data-field="status"]')).not.toHaveClass(/differs/);
  await expect(comparison.locator('tr[data-field="result.job_id"]')).toHaveClass(/differs/);
  await expect(comparison.locator('tr[data-field="running"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/compare-jobs.png', fullPage: true });

  // Only the fields that differ; a reload of the link shows the same comparison.
  await page.getByLabel('Only the fields that differ').check();
  await expect(comparison.locator('tr[data-field="kind"]')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('table', { name: 'Comparison' }).locator('tr[data-field="payload.client_time"]')).toHaveClass(/differs/);
});

test("two attempts of one job compare from its details: each attempt's outcome, error and worker", async ({ page, request }) => {
  // Nothing listens on that port: each attempt is refused and retried, the second is the last.
  const id = await submitJob(request, 'callback', { callback_url: 'http://127.0.0.1:59999/replay-e2e', duration_ms: 0 }, { max_attempts: 2 });
  await waitFor(request, id, 'FAILED');

  await openConsole(page, `#/jobs/${id}`);
  await detailOf(page, id).getByRole('link', { name: 'Compare attempts' }).click();
  await expect(page).toHaveURL(new RegExp(`#/compare/${id}/attempts/1/2$`));
  const comparison = page.getByRole('table', { name: 'Comparison' });
  await expect(comparison.locator('tr[data-field="outcome"]')).toContainText('RETRYING');
  await expect(comparison.locator('tr[data-field="outcome"]')).toContainText('FAILED');
  await expect(comparison.locator('tr[data-field="outcome"]')).toHaveClass(/differs/);
  await expect(comparison.locator('tr[data-field="error"] td').first()).not.toBeEmpty();
  await expect(comparison.locator('tr[data-field="payload.callback_url"]')).not.toHaveClass(/differs/);
  await page.screenshot({ path: 'test-results/screens/compare-attempts.png', fullPage: true });
});
