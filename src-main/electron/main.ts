import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, Notification, safeStorage, shell } from 'electron';
import { newToken } from '../access/token-secret';
import { loadConfig } from '../config';
import { startConsole, type RunningConsole } from '../console';
import { WORKER_EXEC_ARGV, builtPaths, log, reportStartFailure } from '../entry-points';
import { closeWithin } from '../lifecycle/close-within';
import type { ViewName } from '../../src-shared/views';
import { appMenuTemplate } from './app-menu';
import { safeStorageSecretBox } from '../profiles/secret-box';
import { registerShellIpc } from './shell-ipc';
import { shellChannelHandlers, shellVerbs } from './shell-verbs';
import { followAttention, showConsoleTray } from './tray';
import { feedTray, type TraySources } from './tray-feed';
import { TrayState } from './tray-state';
import { createConsoleWindow } from './window';
import { consoleOrigin, mayCallShell } from './window-policy';

/** Longest wait for the console to close on quit: a dependency that hangs must not keep the app alive. */
const QUIT_DEADLINE_MS = 15_000;

/** Closes the console, then exits: 0 once closed, 1 when closing failed or outlived the deadline. */
async function closeThenExit(running: RunningConsole): Promise<void> {
  const outcome = await closeWithin(running.close, QUIT_DEADLINE_MS);
  if (!outcome.closed) log(`the console ${outcome.reason}; exiting anyway`);
  app.exit(outcome.closed ? 0 : 1);
}

/** The tray's sources: the running console's own parts, which follow a core restart (see tray-feed.ts). */
function traySources(running: RunningConsole): TraySources {
  return {
    listRules: async () => running.alerts.store.list(),
    followAlerts: (listener, closed) => running.alerts.feed.follow(listener, closed),
    onJobEvent: (listener) => running.relay.subscribe(listener),
  };
}

/** Window mode: the console core, its API on the configured port, and one window on that API. */
async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    console.error('jobdeck: another Jobdeck window is already running');
    app.exit(1);
    return;
  }
  await app.whenReady();
  const config = loadConfig();
  const paths = builtPaths(import.meta.url);
  // The window's own token for this launch: the page never has one typed, and none is stored.
  const launchToken = newToken();
  const running: RunningConsole = await startConsole({
    config,
    workerEntry: { modulePath: paths.worker, execArgv: [...WORKER_EXEC_ARGV] },
    rendererDir: paths.renderer,
    log,
    launchToken,
    // The profiles' passwords encrypted by the OS keychain (Settings says when Linux has none).
    secretBox: safeStorageSecretBox(safeStorage),
  });
  log(`console window open; API at ${running.url}/`);

  const origin = consoleOrigin(running.url);
  const verbs = shellVerbs({
    version: app.getVersion(),
    openExternal: (url) => shell.openExternal(url),
    notificationsSupported: () => Notification.isSupported(),
    showNotification: (notification) => new Notification(notification).show(),
    launchToken,
  });
  let window: BrowserWindow | null = null;
  const handlers = shellChannelHandlers(verbs, (caller) => mayCallShell(caller, origin));
  const unregister = registerShellIpc(handlers, (sender) => window !== null && sender === window.webContents);
  const trayState = new TrayState();
  const openWindow = (): BrowserWindow => {
    const mainDir = dirname(fileURLToPath(import.meta.url));
    const opened = createConsoleWindow({ mainDir, origin, openLink: (url) => void verbs.openExternal(url) });
    followAttention(opened, trayState);
    opened.on('closed', () => {
      window = null;
    });
    window = opened;
    return opened;
  };
  openWindow();
  // The menu and the tray show a view through the page's own hash route, as a link would.
  const show = (view?: ViewName): void => {
    const shown = window ?? openWindow();
    shown.show();
    shown.focus();
    if (view) void shown.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${view}`)}`);
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, { openView: show })));
  const stopFeed = feedTray(trayState, traySources(running));
  const removeTray = showConsoleTray({ state: trayState, show, quit: () => app.quit() });
  let quitting = false;
  app.on('activate', () => !quitting && BrowserWindow.getAllWindows().length === 0 && openWindow());

  app.on('before-quit', (event) => {
    // Every quit request waits for the close; app.exit() in closeThenExit does not emit before-quit.
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    unregister();
    stopFeed();
    removeTray();
    void closeThenExit(running);
  });
  app.on('window-all-closed', () => app.quit());
}

main().catch(reportStartFailure);
