import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';

/**
 * The console window: sandboxed renderer with context isolation and no Node, which may not
 * navigate away or open other windows (links open in the system browser instead).
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
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  void window.loadFile(join(mainDir, '..', 'renderer', 'index.html'));
  return window;
}
