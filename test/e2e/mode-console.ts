/**
 * The built headless console with a profile mode the e2e test gives (JSON in
 * JOBDECK_E2E_PROFILE_MODE), run from source (`--import tsx`) by the global setup in place of
 * out/main/headless.js: how the guardrails' e2e tests get a read-only or production console
 * without a product backdoor.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src-main/config';
import { startConsole } from '../../src-main/console';
import { WORKER_EXEC_ARGV, builtPaths, closeOnSignals, log, reportStartFailure } from '../../src-main/entry-points';
import type { ProfileMode } from '../../src-main/profiles/profile-mode';
import { E2E_PROFILE_MODE_ENV } from './environment';

async function main(): Promise<void> {
  const mode = JSON.parse(process.env[E2E_PROFILE_MODE_ENV] ?? '') as ProfileMode;
  const paths = builtPaths(pathToFileURL(join(process.cwd(), 'out/main/headless.js')).href);
  const running = await startConsole({
    config: loadConfig(),
    workerEntry: { modulePath: paths.worker, execArgv: [...WORKER_EXEC_ARGV] },
    rendererDir: paths.renderer,
    log,
    profileMode: { current: () => mode },
  });
  closeOnSignals(running.close);
  log(`console (headless, profile ${mode.name}, ${mode.readOnly ? 'read-only' : 'writable'}) at ${running.url}/`);
}

main().catch(reportStartFailure);
