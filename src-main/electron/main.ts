import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { loadConfig } from '../config';
import { startConsole, type RunningConsole } from '../console';
import { builtPaths, log, reportStartFailure } from '../entry-points';
import { registerIpc, relayEventsTo } from './ipc';
import { createConsoleWindow } from './window';

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
    workerEntry: { modulePath: paths.worker, execArgv: [] },
    rendererDir: paths.renderer,
    log,
  });
  log(`console window open; API at ${running.url}/`);

  let window: BrowserWindow | null = null;
  let stopRelay = (): void => undefined;
  const unregister = registerIpc(running, (sender) => window !== null && sender === window.webContents);
  const openWindow = (): void => {
    window = createConsoleWindow(dirname(fileURLToPath(import.meta.url)));
    stopRelay = relayEventsTo(running, window.webContents);
    window.on('closed', () => {
      stopRelay();
      window = null;
    });
  };
  openWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && openWindow());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    unregister();
    void running.close().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => app.quit());
}

main().catch(reportStartFailure);
