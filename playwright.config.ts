import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_URL_ENV } from './test/e2e/environment';

/**
 * End-to-end tests of the console in a real browser, against the built headless console that
 * test/e2e/global-setup.ts starts on a free port with its own namespace (and removes after).
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results',
  reporter: 'list',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  globalTimeout: 15 * 60_000,
  expect: { timeout: 30_000 },
  use: {
    browserName: 'chromium',
    // Set by the global setup before the workers load this file again.
    baseURL: process.env[E2E_URL_ENV],
    headless: true,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
