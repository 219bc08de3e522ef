import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const API_JOBS = 20;
const BOOK_JOBS = 5;
const BATCH_JOBS = 5;
const CONSOLE_COPIES = 10;
const ALL_JOBS = API_JOBS + BOOK_JOBS + BATCH_JOBS + CONSOLE_COPIES;
const DONE_TIMEOUT_MS = 60_000;

async function goTo(page: Page, view: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

/** Time between two of a client's jobs: long enough that a worker with nothing else to do has finished one before the next. */
const CLIENT_PACE_MS = 200;

/**
 * 30 log jobs over HTTP, as clients send them: one every {@link CLIENT_PACE_MS}, on the v1 API
 * and on the book's route, then a batch of 5. Each job sent alone runs QUEUED to DONE within
 * one flush of the page's event batcher, which once hid its acceptance from the charts.
 */
async function httpClients(page: Page, origin: string): Promise<number[]> {
  const clientTime = Math.floor(Date.now() / 1000);
  const logJob = { kind: 'log', payload: { client_time: clientTime } };
  const statuses: number[] = [];
  const send = async (request: Promise<APIResponse>) => {
    statuses.push((await request).status());
    await page.waitForTimeout(CLIENT_PACE_MS);
  };
  for (let index = 0; index < API_JOBS; index += 1) await send(page.request.post(`${origin}/api/v1/jobs`, { data: logJob }));
  for (let index = 0; index < BOOK_JOBS; index += 1) await send(page.request.get(`${origin}/job/database?client_time=${clientTime}`));
  await send(page.request.post(`${origin}/api/v1/batches`, { data: { jobs: Array.from({ length: BATCH_JOBS }, () => logJob) } }));
  return statuses;
}

function legendItem(page: Page, region: string, line: string) {
  return page.getByRole('region', { name: region }).locator('.legend-item').filter({ hasText: new RegExp(`^${line}`) });
}

test('the charts count every job accepted once, from any client, and every job done once', async ({ page }) => {
  test.setTimeout(180_000);
  // A console of its own: no other test's jobs in the figures.
  const own = await ownConsole();
  try {
    await page.goto(`${own.url}/#/overview`);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    expect(await httpClients(page, own.url)).toEqual([...Array<number>(API_JOBS).fill(202), ...Array<number>(BOOK_JOBS).fill(200), 202]);

    await goTo(page, 'Submit');
    const form = page.getByRole('form', { name: 'log (A)' });
    await form.getByRole('spinbutton', { name: 'Copies' }).fill(String(CONSOLE_COPIES));
    await form.getByRole('button', { name: 'Submit log job (A)' }).click();
    await expect(form.getByRole('status')).toContainText(`and ${CONSOLE_COPIES - 1} more`);

    await goTo(page, 'Overview');
    const chart = page.getByRole('region', { name: 'Jobs per second' });
    await expect(legendItem(page, 'Jobs per second', 'In')).toContainText(`· ${ALL_JOBS} in 5 min`);
    await expect(legendItem(page, 'Jobs per second', 'Done')).toContainText(`· ${ALL_JOBS} in 5 min`, { timeout: DONE_TIMEOUT_MS });
    // Counted once: the events that follow the answers add nothing.
    await page.waitForTimeout(1_000);
    await expect(legendItem(page, 'Jobs per second', 'In')).toContainText(`· ${ALL_JOBS} in 5 min`);
    await expect(chart).toContainText('In: jobs accepted');
    await expect(chart).toContainText('last 5 min');
    await page.screenshot({ path: 'test-results/screens/throughput-overview.png', fullPage: true });

    await goTo(page, 'Queues');
    await expect(legendItem(page, 'log (A)', 'Accepted')).toContainText(`· ${ALL_JOBS} in 5 min`);
    await expect(legendItem(page, 'log (A)', 'Started')).toContainText(`· ${ALL_JOBS} in 5 min`);
    await expect(legendItem(page, 'log (A)', 'Finished')).toContainText(`· ${ALL_JOBS} in 5 min`);
    await expect(legendItem(page, 'email (C)', 'Accepted')).toContainText('· 0 in 5 min');
    await expect(page.getByRole('region', { name: 'Queues', exact: true })).toContainText('Accepted: jobs accepted, from any client, each once');
    await page.screenshot({ path: 'test-results/screens/throughput-queues.png', fullPage: true });
  } finally {
    await own.stop();
  }
});
