import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

type KindName = 'log' | 'callback' | 'email';
const LETTER: Record<KindName, string> = { log: 'A', callback: 'B', email: 'C' };

/** Saves full-page screenshots, light then dark, under test-results/screens (ignored by git). */
async function shots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function goTo(page: Page, view: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

function submitForm(page: Page, kind: KindName): Locator {
  return page.getByRole('form', { name: `${kind} (${LETTER[kind]})` });
}

function workerRows(page: Page, kind: KindName): Locator {
  return page.getByRole('table', { name: 'Worker processes' }).getByRole('row').filter({ hasText: `${kind} (${LETTER[kind]})` });
}

/** Opens the console on Workers, waits for its live feed, and stops every worker of `kind`. */
async function openWithoutWorkers(page: Page, kind: KindName, origin = ''): Promise<void> {
  await page.goto(`${origin}/#/workers`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(workerRows(page, kind).first()).toBeVisible();
  await page.getByRole('spinbutton', { name: `${kind} workers`, exact: true }).fill('0');
  await page.getByRole('button', { name: `Scale ${kind} workers` }).click();
  await expect(workerRows(page, kind)).toHaveCount(0, { timeout: 30_000 });
}

async function restoreWorker(page: Page, kind: KindName): Promise<void> {
  await goTo(page, 'Workers');
  await page.getByRole('button', { name: `One more ${kind} worker` }).click();
  await expect(workerRows(page, kind)).toHaveCount(1, { timeout: 30_000 });
}

test('the Overview counts jobs submitted from the console: 20 copies with no worker make "In" 20', async ({ page }) => {
  await openWithoutWorkers(page, 'email');
  try {
    await goTo(page, 'Submit');
    const form = submitForm(page, 'email');
    await form.getByRole('spinbutton', { name: 'Copies' }).fill('20');
    await form.getByRole('button', { name: 'Submit email job (C)' }).click();
    await expect(form.getByRole('status')).toContainText('and 19 more');
    // Copies go back to 1, so the next click sends one job.
    await expect(form.getByRole('spinbutton', { name: 'Copies' })).toHaveValue('1');

    await goTo(page, 'Overview');
    const chart = page.getByRole('region', { name: 'Jobs per second' });
    await expect(chart.locator('.legend-item').filter({ hasText: /^In/ })).toContainText('· 20 in 5 min');
    // The QUEUED events came after the answers: still 20, not 40.
    await page.waitForTimeout(1_000);
    await expect(chart.locator('.legend-item').filter({ hasText: /^In/ })).toContainText('· 20 in 5 min');
    await shots(page, 'overview-console-submits');
  } finally {
    await restoreWorker(page, 'email');
  }
});

test('with the console gone, every view says so, when figures were fresh, and every action is disabled', async ({ page }) => {
  test.setTimeout(180_000);
  const own = await ownConsole();
  let running = true;
  // Its log worker stopped, so the job below stays QUEUED and can be cancelled.
  await openWithoutWorkers(page, 'log', own.url);
  try {
    // Every view with an action read once while the console answered.
    await goTo(page, 'Queues');
    await expect(page.getByRole('button', { name: 'Purge email queue' })).toBeEnabled();
    await goTo(page, 'Subscriptions');
    await expect(page.getByRole('button', { name: 'Create subscription' })).toBeEnabled();
    await goTo(page, 'Submit');
    await submitForm(page, 'log').getByRole('button', { name: 'Submit log job (A)' }).click();
    const detail = page.getByRole('region', { name: /^Job / });
    const cancel = detail.getByRole('button', { name: 'Cancel job' });
    await expect(cancel).toBeEnabled();

    await own.stop();
    running = false;
    const banner = page.getByRole('alert').filter({ hasText: 'Connection to the console lost' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(/Figures last updated \d{1,2}:\d{2}:\d{2}.*, (just now|\d+ s ago)/);
    await expect(cancel).toBeDisabled();
    await expect(submitForm(page, 'log').getByRole('button', { name: 'Submit log job (A)' })).toBeDisabled();
    await shots(page, 'offline-submit');

    await goTo(page, 'Workers');
    await expect(banner).toBeVisible();
    for (const name of ['Scale email workers', 'One more email worker', 'One fewer email worker']) {
      await expect(page.getByRole('button', { name })).toBeDisabled();
    }
    for (const button of await page.getByRole('button', { name: /^(Restart|Stop) worker/ }).all()) await expect(button).toBeDisabled();
    await shots(page, 'offline-workers');

    await goTo(page, 'Queues');
    await expect(banner).toBeVisible();
    await expect(page.getByRole('button', { name: 'Purge email queue' })).toBeDisabled();
    await goTo(page, 'Batches');
    await expect(page.getByRole('button', { name: 'Submit batch' })).toBeDisabled();
    await goTo(page, 'Subscriptions');
    await expect(page.getByRole('button', { name: 'Create subscription' })).toBeDisabled();
    await goTo(page, 'Overview');
    await expect(banner).toBeVisible();
  } finally {
    if (running) await own.stop();
  }
});
