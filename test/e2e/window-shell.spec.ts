/**
 * The page as the Electron window runs it, in Chromium: the same page from the console's origin,
 * with the preload's shell verbs present (stood in for here, as `window.jobdeckShell`). The API
 * still goes over HTTP; the shell is used for what only it has.
 */
import { expect, test } from '@playwright/test';
import { SHELL_CHANNELS } from '../../src-shared/bridge';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

test('with the shell verbs present, the page still talks HTTP to its origin and shows the app version', async ({ page, baseURL }) => {
  await page.addInitScript((verbs: string[]) => {
    const calls: string[] = [];
    const answers: Record<string, unknown> = { appVersion: '9.8.7', openExternal: true, notify: true };
    const shell = Object.fromEntries(verbs.map((verb) => [verb, async () => (calls.push(verb), answers[verb])]));
    Object.assign(globalThis, { jobdeckShell: shell, shellCalls: calls });
  }, Object.keys(SHELL_CHANNELS));
  const apiRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/')) apiRequests.push(new URL(request.url()).origin);
  });

  await page.goto('/#/settings');
  await expect(page.getByText('Jobdeck 9.8.7, desktop window.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Connections' })).toContainText('connected');
  expect(await page.evaluate(() => (globalThis as unknown as { shellCalls: string[] }).shellCalls)).toContain('appVersion');
  expect(apiRequests.length).toBeGreaterThan(0);
  expect(new Set(apiRequests)).toEqual(new Set([new URL(baseURL!).origin]));
});

test('in a plain browser, the Settings view names no desktop app', async ({ page }) => {
  await page.goto('/#/settings');
  await expect(page.getByRole('table', { name: 'Connections' })).toContainText('connected');
  await expect(page.getByText('desktop window')).toHaveCount(0);
});
