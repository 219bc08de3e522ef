import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** More than the Jobs view's first page (50): the view holds only some of what the query matches. */
const MATCHING_JOBS = 64;
/** Long enough that the one callback worker is still on its first job when the operation runs. */
const LONG_MS = 120_000;
const OPERATION_TIMEOUT_MS = 30_000;

const short = (id: string) => id.slice(0, 8);

/** A callback job that runs long (the one B worker takes one at a time: the rest wait QUEUED). */
async function submitLongCallback(request: APIRequestContext, tag: string): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind: 'callback', payload: { callback_url: `http://127.0.0.1:9/${tag}`, duration_ms: LONG_MS } } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function submitLog(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind: 'log', payload: { client_time: 1_700_000_000 } } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function searchCount(request: APIRequestContext, q: string): Promise<number> {
  const page = (await (await request.get(`/api/v1/jobs?${new URLSearchParams({ q, limit: '200' }).toString()}`)).json()) as { items: unknown[] };
  return page.items.length;
}

async function statusOf(request: APIRequestContext, id: string): Promise<string> {
  return ((await (await request.get(`/api/v1/jobs/${id}`)).json()) as { status: string }).status;
}

/** Forgets a job as a trimmed history would: its status in Redis and its row in PostgreSQL. */
async function forgetJob(request: APIRequestContext, id: string): Promise<void> {
  const { namespace } = (await (await request.get('/api/v1/settings')).json()) as { namespace: string };
  const names = namesFor(namespace);
  const redis = new Redis(TEST_SERVICES.redisUrl);
  const client = new pg.Client(testDatabaseConfig());
  try {
    await redis.del(names.jobKey(id));
    await client.connect();
    await client.query(`DELETE FROM ${pg.escapeIdentifier(names.schema)}.jobs WHERE id = $1`, [id]);
  } finally {
    redis.disconnect();
    await client.end();
  }
}

function rowOf(page: Page, id: string) {
  return page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: page.getByRole('button', { name: `${short(id)}, show job details` }) });
}

test('select all that match a query over more jobs than the view holds: preview, confirm, progress to done', async ({ page, request }) => {
  const tag = `bulk${randomBytes(4).toString('hex')}`;
  const ids: string[] = [];
  for (let n = 0; n < MATCHING_JOBS; n++) ids.push(await submitLongCallback(request, tag));
  const query = `kind:callback ${tag}`;
  await expect.poll(() => searchCount(request, query), { timeout: OPERATION_TIMEOUT_MS }).toBe(MATCHING_JOBS);

  await page.goto(`/#/jobs?${new URLSearchParams({ q: query }).toString()}`);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(query);
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(rowOf(page, ids.at(-1)!)).toHaveCount(1);
  const shownRows = await table.locator('tbody tr.job-row').count();
  expect(shownRows).toBeLessThan(MATCHING_JOBS);

  await table.getByRole('checkbox', { name: 'Select the jobs in sight' }).check();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByRole('button', { name: `Select all ${MATCHING_JOBS} that match` }).click();
  await expect(bar).toContainText(`All ${MATCHING_JOBS} jobs that match ${query} are selected.`);
  await page.screenshot({ path: 'test-results/screens/jobs-bulk-selected.png' });

  await bar.getByRole('button', { name: 'Cancel…' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel every job that matches ${query}` });
  await expect(dialog.locator('[data-count="matched"]')).toHaveText(String(MATCHING_JOBS));
  await expect(dialog.locator('[data-count="would-change"]')).toHaveText(String(MATCHING_JOBS));
  await expect(dialog.getByRole('table', { name: 'Sample of the matched jobs' }).getByRole('link').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/jobs-bulk-preview.png' });

  // The progress comes over the operation's event stream, and nothing polls it.
  const operationReads: string[] = [];
  page.on('request', (sent) => {
    if (/\/api\/v1\/operations\/[0-9a-f-]{36}(\/events)?$/.test(sent.url())) operationReads.push(new URL(sent.url()).pathname);
  });
  await dialog.getByRole('button', { name: `Confirm: cancel ${MATCHING_JOBS}` }).click();
  const progress = dialog.getByRole('progressbar', { name: 'Operation progress' });
  await expect(progress).toHaveAttribute('aria-valuemax', String(MATCHING_JOBS));
  await expect(dialog.getByRole('status', { name: 'Operation status' })).toHaveText(/^Ended done: \d+ changed, \d+ skipped, 0 failed\.$/, { timeout: OPERATION_TIMEOUT_MS });
  await expect(progress).toHaveAttribute('aria-valuenow', String(MATCHING_JOBS));
  expect(operationReads.length).toBeGreaterThan(0);
  expect(operationReads.every((path) => path.endsWith('/events'))).toBe(true);
  await page.screenshot({ path: 'test-results/screens/jobs-bulk-done.png' });
  // Every one that waited is cancelled; the one running stops as its handler is aborted.
  await expect.poll(async () => (await Promise.all(ids.map((id) => statusOf(request, id)))).filter((s) => s === 'CANCELLED').length, { timeout: OPERATION_TIMEOUT_MS }).toBe(MATCHING_JOBS);

  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(bar).toHaveCount(0);
});

test('ticked rows: a job the console no longer knows fails, and the result links to it', async ({ page, request }) => {
  const tag = `bulk${randomBytes(4).toString('hex')}`;
  const waiting = await submitLongCallback(request, tag);
  const done = await submitLog(request);
  const gone = await submitLog(request);
  await page.goto('/#/jobs');
  for (const id of [waiting, done, gone]) await expect(rowOf(page, id)).toHaveCount(1);
  await expect.poll(() => statusOf(request, gone)).toBe('DONE');
  await expect.poll(() => searchCount(request, `id:${gone}`)).toBe(1);
  await forgetJob(request, gone);

  // X on a focused row ticks it, as the checkbox does.
  await rowOf(page, waiting).getByRole('button', { name: `${short(waiting)}, show job details` }).focus();
  await page.keyboard.press('x');
  await expect(rowOf(page, waiting).getByRole('checkbox')).toBeChecked();
  await rowOf(page, done).getByRole('checkbox').check();
  await rowOf(page, gone).getByRole('checkbox').check();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bar).toContainText('3 selected.');

  await bar.getByRole('button', { name: 'Cancel…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel 3 selected jobs' });
  await expect(dialog.locator('[data-count="matched"]')).toHaveText('3');
  await expect(dialog.locator('[data-count="would-change"]')).toHaveText('1');
  await expect(dialog.getByText('1 (status DONE)')).toBeVisible();
  await dialog.getByRole('button', { name: 'Confirm: cancel 1' }).click();
  await expect(dialog.getByRole('status', { name: 'Operation status' })).toHaveText('Ended done: 1 changed, 1 skipped, 1 failed.', { timeout: OPERATION_TIMEOUT_MS });
  const failed = dialog.getByRole('list', { name: 'Failed jobs' });
  await expect(failed.getByRole('listitem')).toHaveText([`${short(gone)} unknown job`]);
  await page.screenshot({ path: 'test-results/screens/jobs-bulk-failed.png' });

  await failed.getByRole('link', { name: `Job ${short(gone)}` }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`#/jobs/${gone}$`));
  await expect.poll(() => statusOf(request, waiting), { timeout: OPERATION_TIMEOUT_MS }).toBe('CANCELLED');
});

test('a start refused because the matches drifted since the preview says how many match now, and previews again', async ({ page, request }) => {
  const tag = `bulk${randomBytes(4).toString('hex')}`;
  const query = `kind:callback ${tag}`;
  const FIRST = 12;
  /** More than the drift margin (10 jobs at this size). */
  const LATER = 12;
  for (let n = 0; n < FIRST; n++) await submitLongCallback(request, tag);
  await expect.poll(() => searchCount(request, query), { timeout: OPERATION_TIMEOUT_MS }).toBe(FIRST);

  await page.goto(`/#/jobs?${new URLSearchParams({ q: query }).toString()}`);
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table.locator('tbody tr.job-row')).toHaveCount(FIRST);
  await table.getByRole('checkbox', { name: 'Select the jobs in sight' }).check();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByRole('button', { name: `Select all ${FIRST} that match` }).click();
  await bar.getByRole('button', { name: 'Cancel…' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel every job that matches ${query}` });
  await expect(dialog.locator('[data-count="matched"]')).toHaveText(String(FIRST));

  for (let n = 0; n < LATER; n++) await submitLongCallback(request, tag);
  await expect.poll(() => searchCount(request, query), { timeout: OPERATION_TIMEOUT_MS }).toBe(FIRST + LATER);
  await dialog.getByRole('button', { name: `Confirm: cancel ${FIRST}` }).click();
  await expect(dialog.getByRole('alert')).toHaveText(`The matches changed since this preview: ${FIRST + LATER} jobs match now. Preview again before you confirm.`);
  await page.screenshot({ path: 'test-results/screens/jobs-bulk-drifted.png' });

  await dialog.getByRole('button', { name: 'Preview again' }).click();
  await expect(dialog.locator('[data-count="matched"]')).toHaveText(String(FIRST + LATER));
  await dialog.getByRole('button', { name: `Confirm: cancel ${FIRST + LATER}` }).click();
  await expect(dialog.getByRole('status', { name: 'Operation status' })).toHaveText(`Ended done: ${FIRST + LATER} changed, 0 skipped, 0 failed.`, { timeout: OPERATION_TIMEOUT_MS });
});
