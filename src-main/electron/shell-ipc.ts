import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { ChannelHandler } from './shell-verbs';

/**
 * Puts the shell channels on ipcMain, telling each handler which frame called; returns the
 * removal. The only IPC the window has: API verbs go over HTTP.
 */
export function registerShellIpc(handlers: Map<string, ChannelHandler>, isOwnWindow: (sender: WebContents) => boolean): () => void {
  for (const [channel, handler] of handlers) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const frame = event.senderFrame;
      const caller = {
        ownWindow: isOwnWindow(event.sender),
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
        url: frame?.url ?? '',
      };
      return handler(caller, ...args);
    });
  }
  return () => {
    for (const channel of handlers.keys()) ipcMain.removeHandler(channel);
  };
}
