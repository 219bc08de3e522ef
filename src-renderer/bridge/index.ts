import type { ConsoleBridge } from './console-bridge';
import type { AccessGate } from './access-gate';
import { createHttpBridge } from './http-bridge';

export type { ConsoleBridge } from './console-bridge';

/**
 * The console's bridge: HTTP + SSE to the origin that served the page, in the Electron window
 * and in a browser alike (the window only adds shell verbs, see `window.jobdeckShell`).
 */
export function createBridge(access?: AccessGate): ConsoleBridge {
  return createHttpBridge({ access });
}
