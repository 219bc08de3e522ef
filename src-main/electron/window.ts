import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { allowsFrameLoad, externalUrl } from './window-policy';

export interface ConsoleWindowOptions {
  /** Directory of the built main process (out/main): the preload sits beside it. */
  mainDir: string;
  /** The console's origin; the window loads its page from there and talks HTTP to it. */
  origin: string;
  /** Opens a link in the system browser (the shell's openExternal verb). */
  openLink: (url: string) => void;
}

/**
 * The console window: sandboxed renderer with context isolation and no Node, showing the page
 * the console serves (see window-policy.ts for why its origin rather than app://). It may not
 * leave that origin, open other windows (an http(s) link goes to the system browser instead),
 * embed webviews, or be granted any permission (camera, notifications, …): the page needs none,
 * and desktop notifications are a shell verb.
 */
export function createConsoleWindow(options: ConsoleWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Jobdeck',
    show: false,
    webPreferences: {
      preload: join(options.mainDir, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const contents = window.webContents;
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
  window.once('ready-to-show', () => window.show());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalUrl(url) !== null) options.openLink(url);
    return { action: 'deny' };
  });
  // Fires for every frame's navigations the page starts (links, reloads, frames), not for loadURL.
  contents.on('will-frame-navigate', (event) => {
    if (!allowsFrameLoad({ url: event.url, isMainFrame: event.isMainFrame }, options.origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  void window.loadURL(`${options.origin}/`);
  return window;
}
