import { redactUrl } from '../src-shared/redact';
import { loadConfig } from './config';
import { startConsole } from './console';
import { WORKER_EXEC_ARGV, builtPaths, closeOnSignals, log, reportStartFailure } from './entry-points';

/** Headless mode: the same console without Electron, its page served to any browser. */
async function main(): Promise<void> {
  const config = loadConfig();
  const paths = builtPaths(import.meta.url);
  const running = await startConsole({
    config,
    workerEntry: { modulePath: paths.worker, execArgv: [...WORKER_EXEC_ARGV] },
    rendererDir: paths.renderer,
    log,
  });
  closeOnSignals(running.close);
  log(`console (headless) at ${running.url}/ — API and page; mail to ${redactUrl(running.smtpUrl)}; Ctrl-C stops`);
}

main().catch(reportStartFailure);
