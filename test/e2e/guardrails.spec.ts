/**
 * The production guardrails in the page, on consoles of the test's own with a profile mode set
 * (test/e2e/mode-console.ts): a read-only profile disables the changing buttons and says why;
 * a writable production profile asks for the kind's name typed before a purge.
 */
import { expect, test } from '@playwright/test';
import type { ProfileMode } from '../../src-main/profiles/profile-mode';
import { E2E_PROFILE_MODE_ENV, E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const PRODUCTION: ProfileMode = { id: 'prod-eu', name: 'prod-eu', environment: 'production', color: '#c62828', readOnly: false, reason: null };
const REASON = 'a production profile opens read-only until it is unlocked for this run';

const withMode = (mode: ProfileMode) => ownConsole({ [E2E_PROFILE_MODE_ENV]: JSON.stringify(mode) });

test('a read-only profile: a banner says which and why, and the changing buttons are disabled with the reason', async ({ page }) => {
  const own = await withMode({ ...PRODUCTION, readOnly: true, reason: REASON });
  try {
    await page.goto(`${own.url}/#/queues`);
    const banner = page.getByRole('status', { name: 'Read-only profile' });
    await expect(banner).toContainText(`Profile prod-eu is read-only: ${REASON}.`);
    const purge = page.getByRole('button', { name: 'Purge log queue' });
    await expect(purge).toBeDisabled();
    await expect(purge).toHaveAttribute('title', `Profile prod-eu is read-only: ${REASON}.`);
    await page.screenshot({ path: 'test-results/screens/guardrails-read-only-queues.png' });

    // A read-only core runs no workers of this console, so there is nothing of its own to scale.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Workers', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Scale email workers' })).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Submit', exact: true }).click();
    await expect(banner).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/guardrails-read-only-submit.png' });
  } finally {
    await own.stop();
  }
});

test('a writable production profile asks for the kind\'s name typed before a purge, and sends it as confirm', async ({ page }) => {
  const own = await withMode(PRODUCTION);
  try {
    await page.goto(`${own.url}/#/queues`);
    const purge = page.getByRole('button', { name: 'Purge log queue' });
    await expect(purge).toBeEnabled();
    await expect(page.getByRole('status', { name: 'Read-only profile' })).toHaveCount(0);
    await purge.click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText("This is a production profile. Type log (the kind's name) to confirm.");
    const button = confirm.getByRole('button', { name: /^Purge \d+ messages?$/ });
    await expect(button).toBeDisabled();
    const typed = confirm.getByRole('textbox');
    await typed.fill('email');
    await expect(button).toBeDisabled();
    await typed.fill('log');
    await expect(button).toBeEnabled();
    await page.screenshot({ path: 'test-results/screens/guardrails-typed-purge.png' });
    await button.click();
    await expect(page.getByRole('status').filter({ hasText: 'Purged' })).toContainText('from the log queue');
  } finally {
    await own.stop();
  }
});

test("a writable production profile asks for the profile's name typed before a bulk cancel", async ({ page }) => {
  const own = await withMode(PRODUCTION);
  try {
    const submitted = await fetch(`${own.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'email', payload: { subject: 'waits an hour' }, delay_ms: 3_600_000 }),
    });
    const { id } = (await submitted.json()) as { id: string };
    await page.goto(`${own.url}/#/jobs`);
    const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
    await row.getByRole('checkbox').check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Cancel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel 1 selected job' });
    await expect(dialog).toContainText("This is a production profile. Type prod-eu (the profile's name) to confirm.");
    const button = dialog.getByRole('button', { name: 'Confirm: cancel 1' });
    await expect(button).toBeDisabled();
    await dialog.getByRole('textbox').fill('prod-eu');
    await page.screenshot({ path: 'test-results/screens/guardrails-typed-bulk-cancel.png' });
    await button.click();
    await expect(dialog.getByRole('status', { name: 'Operation status' })).toHaveText(/^Ended done: 1 changed/, { timeout: 30_000 });
  } finally {
    await own.stop();
  }
});
