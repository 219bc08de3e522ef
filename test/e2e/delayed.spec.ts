import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const STATUS_CELL = 3;
const short = (id: string) => id.slice(0, 8);

async function scheduleLog(request: APIRequestContext, delayMs: number): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind: 'log', payload: { client_time: 1_700_000_000 }, delay_ms: delayMs } });
  expect(response.status()).toBe(202);
  const job = (await response.json()) as { id: string; status: string };
  expect(job.status).toBe('SCHEDULED');
  return job.id;
}

test('a scheduled job shows a live countdown in its details, and Run now queues it at once', async ({ page, request }) => {
  const id = await scheduleLog(request, 5 * 60_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/#/jobs/${id}`);
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: page.getByRole('button', { name: `${short(id)}, show job details` }) });
  await expect(row.getByRole('cell').nth(STATUS_CELL)).toHaveText('SCHEDULED');
  // The row counts down where a running job shows its progress; the details say it with the time.
  await expect(row.getByRole('timer')).toHaveText(/^in 4 min \d+ s$|^in 5 min 0 s$/);
  const timer = page.locator('.countdown').getByRole('timer');
  await expect(timer).toHaveText(/^in 4 min \d+ s$|^in 5 min 0 s$/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!, { timeout: 3_000 });
  await page.screenshot({ path: 'test-results/delayed-countdown.png' });

  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Queued now\.$/ })).toBeVisible();
  await expect(row.getByRole('cell').nth(STATUS_CELL)).toHaveText('DONE', { timeout: 20_000 });
  await expect(page.getByRole('timer')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run now' })).toHaveCount(0);
});

test('the status filter offers SCHEDULED and shows only scheduled jobs', async ({ page, request }) => {
  const id = await scheduleLog(request, 10 * 60_000);
  await page.goto('/#/jobs');
  const filter = page.getByRole('combobox', { name: /status/i });
  await filter.selectOption('SCHEDULED');
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table.getByRole('button', { name: `${short(id)}, show job details` })).toBeVisible();
  for (const cell of await table.getByRole('row').locator('td').nth(STATUS_CELL).all()) await expect(cell).toHaveText('SCHEDULED');
  await request.post(`/api/v1/jobs/${id}/cancel`);
});
