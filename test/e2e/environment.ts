/** What the e2e config, its global setup and the specs agree on. */

/** Debian's Chromium; Playwright never downloads a browser of its own here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium's flags here: no sandbox as root, no GPU, and none of its calls home (the network is closed). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Base URL of the console under test; set by the global setup (or beforehand, to test a running one). */
export const E2E_URL_ENV = 'JOBDECK_E2E_URL';

/** Set by the global setup to the reason the e2e tests cannot run here; the specs skip with it. */
export const E2E_SKIP_ENV = 'JOBDECK_E2E_SKIP';

/** An API token the global setup sends on its health checks, for a console bound beyond loopback. */
export const E2E_TOKEN_ENV = 'JOBDECK_E2E_TOKEN';

/**
 * A profile mode as JSON (`ProfileMode`): the global setup then starts test/e2e/mode-console.ts,
 * the headless console with that mode, in place of the built entry. Read by the test launcher
 * only: the product's mode comes from its connection profiles.
 */
export const E2E_PROFILE_MODE_ENV = 'JOBDECK_E2E_PROFILE_MODE';
