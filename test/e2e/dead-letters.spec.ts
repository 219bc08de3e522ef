import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const WAIT_MS = 30_000;

interface DeadLetterItem {
  id: string;
  job_id: string | null;
  attempts: number | null;
  job_status: string | null;
}

/** A callback job to a closed port with one attempt: it fails for good at once and is dead-lettered. */
async function submitDoomed(request: APIRequestContext, base: string, tag: string): Promise<string> {
  const payload = { callback_url: `http://127.0.0.1:9/${tag}`, duration_ms: 0 };
  const response = await request.post(`${base}/api/v1/jobs`, { data: { kind: 'callback', payload, max_attempts: 1 } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function deadLetters(request: APIRequestContext, base: string, q: string): Promise<DeadLetterItem[]> {
  const response = await request.get(`${base}/api/v1/dead-letters?${new URLSearchParams({ q }).toString()}`);
  return ((await response.json()) as { items: DeadLetterItem[] }).items;
}

function rowOf(page: Page, jobId: string) {
  return page.getByRole('table', { name: 'Dead letters' }).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select dead letter of ${jobId}` }) });
}

/** Confirms the open dialog's dry run and waits for the operation's end. */
async function confirm(page: Page, verb: string, count: number, screenshot?: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('[data-count="would-change"]')).toHaveText(String(count));
  if (screenshot) await page.screenshot({ path: screenshot });
  await dialog.getByRole('button', { name: `Confirm: ${verb} ${count}` }).click();
  await expect(dialog.getByRole('status', { name: 'Operation status' })).toContainText('Ended done', { timeout: WAIT_MS });
  await dialog.getByRole('button', { name: 'Done' }).click();
}

test.describe('the Dead letters view', () => {
  let app: { url: string; stop: () => Promise<void> };

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    app = await ownConsole();
  });

  test.afterAll(async () => {
    await app?.stop();
  });

  test('lists jobs that failed for good with their job link and error; requeues one, discards all that match', async ({ page, request }) => {
    test.setTimeout(120_000);
    const tag = `dead${randomBytes(4).toString('hex')}`;
    const first = await submitDoomed(request, app.url, tag);
    const second = await submitDoomed(request, app.url, tag);
    const failedBoth = (items: DeadLetterItem[]) => items.filter((item) => item.job_status === 'FAILED').length;
    await expect.poll(async () => failedBoth(await deadLetters(request, app.url, tag)), { timeout: WAIT_MS }).toBe(2);

    await page.goto(`${app.url}/#/dead-letters`);
    await expect(page.getByRole('heading', { name: 'Dead letters' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search' }).fill(tag);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const table = page.getByRole('table', { name: 'Dead letters' });
    await expect(table.locator('tbody tr[data-dead-letter]')).toHaveCount(2);
    const row = rowOf(page, first);
    await expect(row.getByRole('link')).toHaveAttribute('href', `#/jobs/${first}`);
    await expect(row).toContainText(`callback to http://127.0.0.1:9/${tag} failed`);
    await expect(row).toContainText('callback');
    await page.screenshot({ path: 'test-results/screens/dead-letters.png' });

    // Requeue one: an operator retry (a fresh attempt), and its dead letter leaves the list.
    await row.getByRole('button', { name: `Requeue ${first}` }).click();
    await confirm(page, 'requeue', 1, 'test-results/screens/dead-letters-requeue.png');
    await expect.poll(async () => ((await (await request.get(`${app.url}/api/v1/jobs/${first}`)).json()) as { attempts: number }).attempts, { timeout: WAIT_MS }).toBe(2);
    // Its callback still fails: the job dies again after its one new attempt, a dead letter of its own.
    await expect.poll(async () => (await deadLetters(request, app.url, `id:${first}`)).map((d) => d.attempts), { timeout: WAIT_MS }).toEqual([2]);

    // Discard every one the search matches, with the dry run's count in the confirm.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table.locator('tbody tr[data-dead-letter]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Discard all that match…' }).click();
    await confirm(page, 'discard', 2);
    await expect(table.locator('tbody tr[data-dead-letter]')).toHaveCount(0);
    await expect(table).toContainText('No dead letters.');
    expect(await deadLetters(request, app.url, tag)).toEqual([]);
    expect(second).not.toBe(first);
  });

  test('the selection: tick one row and discard it', async ({ page, request }) => {
    const tag = `dead${randomBytes(4).toString('hex')}`;
    const id = await submitDoomed(request, app.url, tag);
    await expect.poll(async () => (await deadLetters(request, app.url, tag)).length, { timeout: WAIT_MS }).toBe(1);
    await page.goto(`${app.url}/#/dead-letters`);
    await rowOf(page, id).getByRole('checkbox').check();
    const bar = page.getByRole('region', { name: 'Dead letter actions' });
    await expect(bar).toContainText('1 selected.');
    await bar.getByRole('button', { name: 'Discard selected…' }).click();
    await confirm(page, 'discard', 1);
    await expect(rowOf(page, id)).toHaveCount(0);
  });
});
