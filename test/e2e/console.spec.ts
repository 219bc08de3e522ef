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
  await expect(row.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('aria-valuenow', '100');
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

  await page.keyboard.press('Escape');
  await expect(page.getByRole('region', { name: 'Job details' })).toBeVisible();

  // The same by keyboard: Enter on the row's button opens it, Escape gives focus back.
  const rowButton = page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` });
  await rowButton.focus();
  await page.keyboard.press('Enter');
  await expect(detail).toBeVisible();
  await expect(rowButton).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(rowButton).toBeFocused();
  await expect(rowButton).toHaveAttribute('aria-pressed', 'false');
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

  // Leave the console as an operator would see it, for the screenshots.
  const firstRow = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  await firstRow.getByRole('cell').nth(1).click();
  await expect(page.getByRole('list', { name: 'Timeline' })).toBeVisible();
  await page.screenshot({ path: 'test-results/console.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/console-dark.png', fullPage: true });
});
