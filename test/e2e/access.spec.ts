/**
 * The page on a console bound beyond loopback: it asks for an API token, refuses a wrong one,
 * keeps the right one for the browser session only, and then loads the Jobs view with live events.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TokenStore } from '../../src-main/access/token-store';
import { E2E_SKIP_ENV, E2E_TOKEN_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const STATUS_CELL = 3;

function jobRow(page: Page, id: string) {
  const table = page.getByRole('table', { name: 'Jobs' });
  return table.getByRole('row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
}

test('beyond loopback the page asks for a token, refuses a wrong one, and with the right one shows Jobs live', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-tokens-'));
  const store = new TokenStore(join(dir, 'tokens.json'));
  const token = store.create('operator', 'write')!.token;
  const readToken = store.create('watcher', 'read')!.token;
  const own = await ownConsole({ JOBDECK_HOST: '0.0.0.0', JOBDECK_TOKENS_FILE: store.path, [E2E_TOKEN_ENV]: token });
  try {
    await page.goto(`${own.url}/#/jobs`);
    const dialog = page.getByRole('dialog', { name: 'API token needed' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('open to the network');
    await expect(dialog).toContainText('npm run tokens -- create <name> --role read');
    await page.screenshot({ path: 'test-results/screens/token-dialog.png' });

    await dialog.getByLabel('Token').fill('jdk_not-the-token');
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(dialog.getByRole('alert')).toContainText('That token was refused: the token is not valid');

    await dialog.getByLabel('Token').fill(token);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await expect(page.getByLabel('API token')).toContainText('operator');

    const submitted = await fetch(`${own.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'email', payload: { subject: 'behind a token' } }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    await expect(jobRow(page, id).getByRole('cell').nth(STATUS_CELL)).toHaveText('DONE', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/screens/token-accepted.png' });

    const kept = await page.evaluate(() => {
      type Store = { getItem(key: string): string | null };
      const { sessionStorage, localStorage } = globalThis as unknown as { sessionStorage: Store; localStorage: Store };
      return { session: sessionStorage.getItem('jobdeck.accessToken'), local: JSON.stringify(localStorage) };
    });
    expect(kept.session).toBe(token);
    expect(kept.local).not.toContain(token);

    // Forgotten, the next request asks again; a read token then disables what it may not do.
    await page.getByLabel('API token').getByRole('button', { name: 'Forget' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Workers', exact: true }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Token').fill(readToken);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'may read only' })).toContainText('watcher');
    await expect(page.getByRole('button', { name: 'Scale email workers' })).toBeDisabled();
    await page.screenshot({ path: 'test-results/screens/token-read-only.png' });

    // The API page saves its document with the token, and a Try answered 401 asks for one.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'API', exact: true }).click();
    const view = page.locator('.api-view');
    const download = page.waitForEvent('download');
    await view.getByRole('button', { name: 'OpenAPI document' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('openapi.json');
    expect(JSON.parse(readFileSync(await saved.path(), 'utf8')).openapi).toMatch(/^3\./);
    await view.getByRole('button', { name: 'Try GET /api/v1/health', exact: true }).click();
    const health = view.getByRole('form', { name: 'Try GET /api/v1/health' });
    await page.getByLabel('API token').getByRole('button', { name: 'Forget' }).click();
    await health.getByRole('button', { name: 'Send GET' }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Token').fill(readToken);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(health.getByRole('region', { name: 'Answer of GET /api/v1/health' }).getByRole('status')).toContainText('HTTP 200');
    await page.screenshot({ path: 'test-results/screens/api-view-token.png' });
  } finally {
    await own.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
