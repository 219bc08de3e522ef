import type { ConsoleBridge } from './console-bridge';
import { createHttpBridge } from './http-bridge';
import { createIpcBridge } from './ipc-bridge';

export type { ConsoleBridge } from './console-bridge';

/** IPC inside the Electron window (the preload set `window.jobdeck`), HTTP + SSE anywhere else. */
export function createBridge(host: Window): ConsoleBridge {
  return host.jobdeck ? createIpcBridge(host.jobdeck) : createHttpBridge();
}
