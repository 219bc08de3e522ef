import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { loadConfig } from '../config';
import { startConsole, type RunningConsole } from '../console';
import { WORKER_EXEC_ARGV, builtPaths, log, reportStartFailure } from '../entry-points';
import { registerIpc, relayEventsTo } from './ipc';
import { createConsoleWindow } from './window';

/** Longest wait for the console to close on quit: a dependency that hangs must not keep the app alive. */
const QUIT_DEADLINE_MS = 15_000;

/** Closes the console, then exits: 0 once closed, 1 when closing failed or outlived the deadline. */
function closeThenExit(running: RunningConsole): void {
  const deadline = setTimeout(() => {
    log(`the console did not close within ${QUIT_DEADLINE_MS / 1000} s; exiting anyway`);
    app.exit(1);
  }, QUIT_DEADLINE_MS);
  running.close().then(
    () => {
      clearTimeout(deadline);
      app.exit(0);
    },
    (error: Error) => {
      clearTimeout(deadline);
      log(`closing the console failed: ${error.message}`);
      app.exit(1);
    },
  );
}

/** Window mode: the console core, its API on the configured port, and one window over IPC. */
async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    console.error('jobdeck: another Jobdeck window is already running');
    app.exit(1);
    return;
  }
  await app.whenReady();
  const config = loadConfig();
  const paths = builtPaths(import.meta.url);
  const running: RunningConsole = await startConsole({
    config,
    workerEntry: { modulePath: paths.worker, execArgv: [...WORKER_EXEC_ARGV] },
    rendererDir: paths.renderer,
    log,
  });
  log(`console window open; API at ${running.url}/`);

  let window: BrowserWindow | null = null;
  let stopRelay = (): void => undefined;
  const unregister = registerIpc(running, (sender) => window !== null && sender === window.webContents, log);
  const openWindow = (): void => {
    window = createConsoleWindow(dirname(fileURLToPath(import.meta.url)));
    stopRelay = relayEventsTo(running, window.webContents);
    window.on('closed', () => {
      stopRelay();
      window = null;
    });
  };
  openWindow();
  let quitting = false;
  app.on('activate', () => !quitting && BrowserWindow.getAllWindows().length === 0 && openWindow());

  app.on('before-quit', (event) => {
    // Every quit request waits for the close; app.exit() in closeThenExit does not emit before-quit.
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    unregister();
    closeThenExit(running);
  });
  app.on('window-all-closed', () => app.quit());
}

main().catch(reportStartFailure);
