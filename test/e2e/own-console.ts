import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { E2E_URL_ENV } from './environment';
import startConsole from './global-setup';

/**
 * A console of the test's own, started as the global setup starts the shared one (own port and
 * namespace): for a test that stops it, or that counts what the page shows and wants no other
 * test's jobs in its figures.
 */
export async function ownConsole(): Promise<{ url: string; stop: () => Promise<void> }> {
  const shared = process.env[E2E_URL_ENV];
  delete process.env[E2E_URL_ENV];
  try {
    const stop = await startConsole({ configFile: join(process.cwd(), 'playwright.config.ts') } as FullConfig);
    const url = process.env[E2E_URL_ENV];
    if (!stop || !url) throw new Error('the test console did not start');
    return { url, stop };
  } finally {
    process.env[E2E_URL_ENV] = shared;
  }
}
