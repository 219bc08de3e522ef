/**
 * What the console window may load and who in it may call the shell: plain functions over URLs,
 * so they are tested without the Electron binary.
 *
 * The window loads the console from the API's own origin (http://127.0.0.1:<port>/), the page
 * the headless mode serves, rather than from an app:// protocol: same origin as the API, so no
 * CORS and no exception in the host guard, the server's Content-Security-Policy header applies,
 * and the window runs the very page the Chromium tests run. The origin is ours: the console
 * listens on that port before the window opens.
 */

/** The console's origin as the window reaches it: a wildcard listen address becomes loopback. */
export function consoleOrigin(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}

/** True when `url` is a page of the console itself (same scheme, host and port). */
export function isConsoleUrl(url: string, origin: string): boolean {
  return URL.canParse(url) && new URL(url).origin === origin;
}

/** An http(s) URL the system browser may open; null for anything else (file:, javascript:, …). */
export function externalUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value)) return null;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** A frame about to load `url`, as Electron reports it. */
export interface FrameLoad {
  url: string;
  isMainFrame: boolean;
}

/**
 * The loads the window allows: the console's own pages in its main frame, and in a subframe only
 * the Mail view's sandboxed frame showing a message from srcdoc (no scripts, no remote loads).
 */
export function allowsFrameLoad(load: FrameLoad, origin: string): boolean {
  return load.isMainFrame ? isConsoleUrl(load.url, origin) : load.url === 'about:srcdoc';
}

/** The frame that sent an IPC call, as Electron reports it. */
export interface CallerFrame {
  /** The call came from the console's own window (not another BrowserWindow). */
  ownWindow: boolean;
  /** The call came from that window's main frame (not an iframe it embeds). */
  isMainFrame: boolean;
  /** The URL the frame shows. */
  url: string;
}

/** Only the console's own page may call the shell: its window's main frame, on the console's origin. */
export function mayCallShell(caller: CallerFrame, origin: string): boolean {
  return caller.ownWindow && caller.isMainFrame && isConsoleUrl(caller.url, origin);
}
