/**
 * The preload: gives the sandboxed window the shell verbs as `window.jobdeckShell`, each a call
 * on one allow-listed IPC channel. The API is not here: the page reaches it over HTTP, as in a
 * browser. ipcRenderer itself never crosses into the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { SHELL_CHANNELS, type ShellBridge, type ShellNotification } from '../../src-shared/bridge';

const jobdeckShell: ShellBridge = {
  appVersion: (): Promise<string> => ipcRenderer.invoke(SHELL_CHANNELS.appVersion),
  openExternal: (url: string): Promise<boolean> => ipcRenderer.invoke(SHELL_CHANNELS.openExternal, url),
  notify: (notification: ShellNotification): Promise<boolean> => ipcRenderer.invoke(SHELL_CHANNELS.notify, notification),
  launchToken: (): Promise<string | null> => ipcRenderer.invoke(SHELL_CHANNELS.launchToken),
};

contextBridge.exposeInMainWorld('jobdeckShell', jobdeckShell);
