/**
 * Connection profiles in Settings: a profile created, tested and activated (the switch confirmed
 * in words), the live profile's colour and PROD badge on every view, and the unlock of a
 * production profile for this run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropNamespace, uniqueNamespace } from '../support/namespace';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

test('a profile created in Settings, tested, activated with a confirmation in words; its colour and PROD badge on every view', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-profiles-'));
  const prodNamespace = uniqueNamespace('jde2p');
  const own = await ownConsole({ JOBDECK_PROFILES_FILE: join(dir, 'profiles.json'), JOBDECK_WORKERS: 'A=1,B=0,C=0' });
  try {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`${own.url}/#/settings`);
    const bar = page.getByRole('region', { name: 'Live connection profile' });
    await expect(bar).toContainText('Profile environment');
    const profiles = page.getByRole('table', { name: 'Connection profiles' });
    await expect(profiles.getByRole('row', { name: /environment/ })).toContainText('live');
    await expect(page.getByText('Passwords are stored in the profiles file, not encrypted')).toBeVisible();

    await page.getByRole('button', { name: 'New profile' }).click();
    const form = page.getByRole('form', { name: 'New profile' });
    await form.getByLabel('Name', { exact: true }).fill('Production EU');
    await form.getByLabel('Environment').selectOption('production');
    await form.getByLabel('Colour').fill('#dc2626');
    await form.getByLabel('Namespace').fill(prodNamespace);
    await form.getByRole('button', { name: 'Save profile' }).click();
    const row = profiles.getByRole('row', { name: /Production EU/ });
    await expect(row).toContainText('PROD');
    await expect(row).toContainText('amqp://guest:***@127.0.0.1:5672');

    await row.getByRole('button', { name: 'Test' }).click();
    const results = page.getByRole('list', { name: 'Test results' });
    await expect(results).toContainText('RabbitMQ: connected');
    await expect(results).toContainText('PostgreSQL: connected');

    await row.getByRole('button', { name: 'Activate' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Switch profile' });
    await expect(confirm).toContainText('Switch from environment to Production EU? Jobs in flight on environment finish or go back to their queue.');
    await expect(confirm).toContainText('it opens read-only until you unlock it for this run');
    await page.screenshot({ path: 'test-results/screens/profiles-confirm.png', fullPage: true });
    await confirm.getByRole('button', { name: 'Switch to Production EU' }).click();

    await expect(bar).toContainText('Profile Production EU', { timeout: 60_000 });
    await expect(bar.getByText('PROD', { exact: true })).toBeVisible();
    await expect(bar).toContainText('read-only');
    const banner = page.getByRole('status', { name: 'Read-only profile' });
    await expect(banner).toContainText('locked for this run');
    await expect(banner).toContainText('unlock this one in Settings');
    await expect(banner).not.toContainText('/api/v1/connections');
    await expect(bar).toHaveCSS('border-left-color', 'rgb(220, 38, 38)');
    await expect(page.getByRole('status').filter({ hasText: `namespace ${prodNamespace}` })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Connections' })).toContainText('profile Production EU');
    await page.screenshot({ path: 'test-results/screens/profiles-prod-settings.png', fullPage: true });

    await page.goto(`${own.url}/#/jobs`);
    await expect(bar.getByText('PROD', { exact: true })).toBeVisible();
    await expect(page.locator('.sidebar')).toHaveCSS('border-top-color', 'rgb(220, 38, 38)');
    await page.screenshot({ path: 'test-results/screens/profiles-prod-jobs.png' });

    await page.goto(`${own.url}/#/settings`);
    await profiles.getByRole('row', { name: /Production EU/ }).getByRole('button', { name: 'Unlock for this run' }).click();
    const unlock = page.getByRole('alertdialog', { name: 'Unlock profile' });
    await expect(unlock.getByRole('button', { name: 'Unlock Production EU' })).toBeDisabled();
    await unlock.getByLabel(/Type Production EU/).fill('Production EU');
    await page.screenshot({ path: 'test-results/screens/profiles-unlock.png', fullPage: true });
    await unlock.getByRole('button', { name: 'Unlock Production EU' }).click();
    // The banner follows at once, not at the next poll.
    await expect(banner).toHaveCount(0, { timeout: 3_000 });
    await expect(bar).not.toContainText('read-only');
    await expect(bar.getByText('PROD', { exact: true })).toBeVisible();

    await profiles.getByRole('row', { name: /^environment/ }).getByRole('button', { name: 'Activate' }).click();
    await expect(page.getByRole('alertdialog', { name: 'Switch profile' })).toContainText('Switch from Production EU to environment?');
    await page.getByRole('button', { name: 'Switch to environment' }).click();
    await expect(bar).toContainText('Profile environment', { timeout: 60_000 });
    await expect(bar.getByText('PROD', { exact: true })).toHaveCount(0);
  } finally {
    await own.stop();
    await dropNamespace(prodNamespace);
    rmSync(dir, { recursive: true, force: true });
  }
});
