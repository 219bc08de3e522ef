import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Jobs of kind B run 300 ms here, and every kind really runs: allow for a cold worker. */
const DONE_TIMEOUT_MS = 45_000;
const JOB_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

type KindName = 'log' | 'callback' | 'email';
const LETTER: Record<KindName, string> = { log: 'A', callback: 'B', email: 'C' };

function submitForm(page: Page, kind: KindName): Locator {
  return page.getByRole('form', { name: `${kind} (${LETTER[kind]})` });
}

/** Opens the console and waits for its live feed, counting navigations to prove none follow. */
async function openConsole(page: Page): Promise<() => number> {
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return () => navigations;
}

/** Clicks the kind's submit button and returns the job ID the form shows as accepted. */
async function submit(page: Page, kind: KindName): Promise<string> {
  const form = submitForm(page, kind);
  const result = form.getByRole('status');
  const before = (await result.textContent()) ?? '';
  await form.getByRole('button', { name: `Submit ${kind} job (${LETTER[kind]})` }).click();
  await expect(result).not.toHaveText(before);
  await expect(result).toContainText(JOB_ID);
  const id = JOB_ID.exec(await result.innerText())?.[0];
  if (!id) throw new Error(`no job ID in "${await result.innerText()}"`);
  return id;
}

function jobRow(page: Page, id: string): Locator {
  const table = page.getByRole('table', { name: 'Jobs' });
  return table.getByRole('row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
}

async function expectDone(page: Page, id: string): Promise<void> {
  const row = jobRow(page, id);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(2)).toHaveText('DONE', { timeout: DONE_TIMEOUT_MS });
}

test('a log job submitted by clicking reaches DONE without a reload', async ({ page }) => {
  const navigations = await openConsole(page);
  const clientTime = submitForm(page, 'log').getByRole('textbox', { name: /Client time/ });
  await clientTime.fill(String(Math.floor(Date.now() / 1000)));

  const id = await submit(page, 'log');

  const row = jobRow(page, id);
  await expect(row.getByRole('cell').nth(1)).toHaveText('log (A)');
  await expectDone(page, id);
  await expect(row.getByRole('progressbar', { name: `Progress of job ${id.slice(0, 8)}` })).toHaveAttribute('aria-valuenow', '100');
  expect(navigations()).toBe(1);
});

test('a callback job of 300 ms reaches DONE', async ({ page }) => {
  const navigations = await openConsole(page);
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('300');

  const id = await submit(page, 'callback');

  await expectDone(page, id);
  expect(navigations()).toBe(1);
});

test('an email job reaches DONE', async ({ page }) => {
  const navigations = await openConsole(page);
  await submitForm(page, 'email').getByRole('textbox', { name: /Subject/ }).fill('Jobdeck e2e');

  const id = await submit(page, 'email');

  await expectDone(page, id);
  expect(navigations()).toBe(1);
});

test("a job's details show its payload, result and a timeline from STARTED to DONE", async ({ page }) => {
  await openConsole(page);
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('300');
  const id = await submit(page, 'callback');
  await expectDone(page, id);

  await jobRow(page, id).getByRole('cell').nth(1).click();

  const detail = page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
  await expect(detail).toBeVisible();
  await expect(detail.getByText(id, { exact: true })).toBeVisible();
  await expect(detail.getByLabel('Payload')).toContainText('"duration_ms": 300');
  await expect(detail.getByLabel('Result')).toBeVisible();
  const timeline = detail.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'STARTED' }).first()).toBeVisible();
  await expect(timeline.getByRole('listitem').filter({ hasText: 'DONE' })).toHaveCount(1);

  await expect(detail.getByRole('region', { name: 'Payload' })).toHaveAttribute('tabindex', '0');

  // Closing gives focus to the row button of the job shown, even when opened by a click.
  const rowButton = page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` });
  await expect(rowButton).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('region', { name: 'Job details' })).toBeVisible();
  await expect(rowButton).toBeFocused();
  await expect(rowButton).not.toHaveAttribute('aria-current');

  // The same by keyboard: Enter on the row's button opens it, Escape gives focus back.
  await page.keyboard.press('Enter');
  await expect(detail).toBeVisible();
  await expect(rowButton).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Escape');
  await expect(rowButton).toBeFocused();
  await expect(rowButton).not.toHaveAttribute('aria-current');
});

test('closing the details gives focus to the row of the job shown last', async ({ page }) => {
  await openConsole(page);
  const first = await submit(page, 'log');
  const second = await submit(page, 'email');
  const firstButton = page.getByRole('button', { name: `${first.slice(0, 8)}, show job details` });
  const secondButton = page.getByRole('button', { name: `${second.slice(0, 8)}, show job details` });

  await firstButton.click();
  await expect(page.getByRole('region', { name: `Job ${first.slice(0, 8)}` })).toBeVisible();
  await secondButton.click();
  await expect(page.getByRole('region', { name: `Job ${second.slice(0, 8)}` })).toBeVisible();
  await expect(firstButton).not.toHaveAttribute('aria-current');
  await page.getByRole('button', { name: 'Close job details' }).click();

  await expect(secondButton).toBeFocused();
});

test('a bad client_time is refused with an error naming the field, and nothing is submitted', async ({ page }) => {
  await openConsole(page);
  const form = submitForm(page, 'log');
  const clientTime = form.getByRole('textbox', { name: /Client time/ });

  await clientTime.fill('yesterday');
  await form.getByRole('button', { name: 'Submit log job (A)' }).click();

  await expect(clientTime).toHaveAttribute('aria-invalid', 'true');
  await expect(clientTime).toHaveAccessibleDescription(/client_time/);
  await expect(form.getByRole('alert')).toContainText('not valid');
  await expect(form.getByRole('status')).toHaveText('');

  // Leave the console as an operator would see it, for the screenshots: a finished job open.
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('300');
  const id = await submit(page, 'callback');
  await expectDone(page, id);
  await jobRow(page, id).getByRole('cell').nth(1).click();
  await expect(page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: 'DONE' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/console.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/console-dark.png', fullPage: true });
});

/** A finished job the server never saw, in the v1 shape, to feed the console by hand. */
function madeUpJob(id: string) {
  const at = new Date().toISOString();
  return {
    id,
    kind: 'log',
    type: 'A',
    status: 'DONE',
    payload: { client_time: 1_700_000_000 },
    progress: 100,
    attempts: 1,
    created_at: at,
    updated_at: at,
    transitions: [{ status: 'DONE', at, worker: 'e2e/1' }],
    result: null,
    error: null,
    version: 1,
  };
}

function sseFrame(id: string, data: unknown): string {
  return `id: ${id}\nevent: job\ndata: ${JSON.stringify(data)}\n\n`;
}

test('the live feed drops a malformed event, shows the next one, and resumes after the last it saw', async ({ page }) => {
  const good = madeUpJob('e2e00001-0000-4000-8000-000000000001');
  // Shown, it would fail the window (a status no view knows); checked, it never reaches a view.
  const bad = { ...madeUpJob('e2e00003-0000-4000-8000-000000000003'), status: null };
  const event = (job: { id: string }, id: string) => ({ id, job_id: job.id, kind: 'log', status: 'DONE', version: 1, job });
  const urls: string[] = [];
  await page.route('**/api/v1/events*', async (route) => {
    urls.push(route.request().url());
    if (urls.length === 1) {
      const body = `retry: 100\n\n${sseFrame('1-0', event(bad, '1-0'))}${sseFrame('2-0', event(good, '2-0'))}`;
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    }
    // The browser's own retry: refused, so it gives up and the console opens a new feed.
    if (urls.length === 2) return route.fulfill({ status: 503, body: '' });
    return route.continue();
  });
  await openConsole(page);

  await expect(jobRow(page, good.id).getByRole('cell').nth(2)).toHaveText('DONE');
  await expect(jobRow(page, bad.id)).toHaveCount(0);
  await expect.poll(() => urls.length).toBeGreaterThanOrEqual(3);
  expect(new URL(urls[2]!).searchParams.get('last_event_id')).toBe('2-0');
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a job the console cannot show leaves a message and a Reload button, not a blank window', async ({ page }) => {
  const broken = { ...madeUpJob('e2e00002-0000-4000-8000-000000000002'), status: null };
  await page.route('**/api/v1/jobs?*', (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({ json: { items: [broken], next_cursor: null } })
      : route.continue(),
  );
  await page.goto('/');

  const alert = page.getByRole('alert').filter({ hasText: 'could not show' });
  await expect(alert).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();

  await page.unroute('**/api/v1/jobs?*');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();
  await expect(alert).toHaveCount(0);
});
