import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { E2E_URL_ENV } from './environment';
import startConsole from './global-setup';

/**
 * A console of a test's own, started as the global setup starts the shared one (own port and
 * namespace), with `env` added to its environment (e.g. `JOBDECK_KINDS`): for a test that stops
 * it, that needs settings of its own, or that counts what the page shows and wants no other test's
 * jobs in its figures. Its `stop` stops it and drops its namespace.
 */
export async function ownConsole(env: Readonly<Record<string, string>> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const shared = process.env[E2E_URL_ENV];
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  delete process.env[E2E_URL_ENV];
  Object.assign(process.env, env);
  try {
    const stop = await startConsole({ configFile: join(process.cwd(), 'playwright.config.ts') } as FullConfig);
    const url = process.env[E2E_URL_ENV];
    if (!stop || !url) throw new Error('the test console did not start');
    return { url, stop };
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.env[E2E_URL_ENV] = shared;
  }
}
