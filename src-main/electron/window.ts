import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';

/**
 * The console window: sandboxed renderer with context isolation and no Node, which may not
 * navigate away, open other windows (links open in the system browser instead), embed webviews,
 * or be granted any permission (camera, notifications, …): the console needs none.
 */
export function createConsoleWindow(mainDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Jobdeck',
    show: false,
    webPreferences: {
      preload: join(mainDir, '..', 'preload', 'index.cjs'),
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
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Neither fires for loadFile below, only for navigations the page starts (links, frames).
  contents.on('will-navigate', (event) => event.preventDefault());
  // The one frame load allowed: the Mail view's sandboxed frame showing a message from srcdoc
  // (no scripts, no remote loads); every other frame navigation is refused.
  contents.on('will-frame-navigate', (event) => {
    if (!(event.isMainFrame === false && event.url === 'about:srcdoc')) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  void window.loadFile(join(mainDir, '..', 'renderer', 'index.html'));
  return window;
}
