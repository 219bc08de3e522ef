// Unit tests for scripts/launch.mjs and scripts/electron-runtime.mjs: what `npm start` chooses
// (window or headless, and whether it fetches the Electron runtime first), with the fetcher
// injected; then the real fetch path against an unreachable mirror and a mirror that hangs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import * as launch from '../../../scripts/launch.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import * as runtime from '../../../scripts/electron-runtime.mjs';
import { freePort } from '../../support/free-port';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DISPLAY = { DISPLAY: ':99' };
const RUNTIME_INSTALLED = runtime.findElectronBinary(ROOT).binary !== null;

type Fetched = { ok: true } | { ok: false; reason: string };

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repo root whose node_modules/electron has no runtime (or one, with `installed`). */
function fakeRoot(installed = false): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jobdeck-launch-test-'));
  roots.push(root);
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  if (installed) installRuntime(root);
  return root;
}

/** What the package's installer leaves: dist/<binary> and path.txt naming it. */
function installRuntime(root: string): void {
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  writeFileSync(path.join(pkg, 'dist', 'electron'), '');
  writeFileSync(path.join(pkg, 'path.txt'), 'electron');
}

function fetcher(result: Fetched | ((root: string) => Fetched)) {
  return vi.fn(async ({ root }: { root: string }) => (typeof result === 'function' ? result(root) : result));
}

describe('chooseMode', () => {
  it('without a display runs headless, says so, and never fetches', async () => {
    const fetchRuntime = fetcher({ ok: true });
    const choice = await launch.chooseMode({ env: {}, platform: 'linux', root: fakeRoot(), fetchRuntime });
    expect(choice).toEqual({ mode: 'headless', reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' });
    expect(fetchRuntime).not.toHaveBeenCalled();
    expect(launch.headlessLine(choice.reason)).toBe('[launch] headless: no display (DISPLAY and WAYLAND_DISPLAY are unset)');
  });

  it('with a display and no runtime fetches it, then opens the window', async () => {
    const root = fakeRoot();
    const fetchRuntime = fetcher((fetchedRoot) => (installRuntime(fetchedRoot), { ok: true }));
    const choice = await launch.chooseMode({ env: DISPLAY, platform: 'linux', root, fetchRuntime });
    expect(fetchRuntime).toHaveBeenCalledTimes(1);
    expect(choice).toEqual({ mode: 'electron', binary: path.join(root, 'node_modules', 'electron', 'dist', 'electron') });
  });

  it('with a display, when the fetch fails, runs headless with the fetch reason', async () => {
    const fetchRuntime = fetcher({ ok: false, reason: 'fetch failed from github.com' });
    const choice = await launch.chooseMode({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', root: fakeRoot(), fetchRuntime });
    expect(choice).toEqual({ mode: 'headless', reason: 'the Electron runtime could not be fetched (fetch failed from github.com)' });
  });

  it('with a display and the runtime present opens the window without fetching', async () => {
    const root = fakeRoot(true);
    const fetchRuntime = fetcher({ ok: false, reason: 'unused' });
    const choice = await launch.chooseMode({ env: DISPLAY, platform: 'linux', root, fetchRuntime });
    expect(choice).toEqual({ mode: 'electron', binary: path.join(root, 'node_modules', 'electron', 'dist', 'electron') });
    expect(fetchRuntime).not.toHaveBeenCalled();
  });

  it('JOBDECK_HEADLESS runs headless even with a display and the runtime, and never fetches', async () => {
    const fetchRuntime = fetcher({ ok: true });
    for (const value of ['1', 'true']) {
      const choice = await launch.chooseMode({ env: { ...DISPLAY, JOBDECK_HEADLESS: value }, platform: 'linux', root: fakeRoot(true), fetchRuntime });
      expect(choice).toEqual({ mode: 'headless', reason: `JOBDECK_HEADLESS=${value}` });
    }
    expect(fetchRuntime).not.toHaveBeenCalled();
  });

  it('on macOS a window can always be shown', async () => {
    const fetchRuntime = fetcher({ ok: false, reason: 'offline' });
    const choice = await launch.chooseMode({ env: {}, platform: 'darwin', root: fakeRoot(), fetchRuntime });
    expect(fetchRuntime).toHaveBeenCalledTimes(1);
    expect(choice.mode).toBe('headless');
  });
});

describe('failureReason', () => {
  it('keeps the first line of the stack without the error class, naming the host a failed fetch tried', () => {
    const stack = 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n';
    expect(runtime.failureReason(stack, 1, null, { ELECTRON_MIRROR: 'http://127.0.0.1:9/' })).toBe('fetch failed from 127.0.0.1:9');
    expect(runtime.failureReason(stack, 1, null, {})).toBe('fetch failed from github.com');
    expect(runtime.failureReason('HTTPError: Response code 404 (Not Found) for http://m/x.zip\n  at y', 1, null)).toBe(
      'Response code 404 (Not Found) for http://m/x.zip',
    );
  });

  it('falls back to the exit code or the signal', () => {
    expect(runtime.failureReason('', 3, null)).toBe('the installer exited with code 3');
    expect(runtime.failureReason('\n', null, 'SIGKILL')).toBe('the installer was killed by SIGKILL');
  });
});

describe('progressPrinter', () => {
  function sink(isTTY: boolean) {
    const written: string[] = [];
    return { written, out: { isTTY, write: (text: string) => void written.push(text) } };
  }

  it('in a log writes a line every 10 s and says when the runtime was fetched', () => {
    const { written, out } = sink(false);
    const progress = launch.progressPrinter(out);
    for (const elapsedMs of [500, 5_000, 10_000, 15_000, 20_500]) progress.update({ bytes: elapsedMs * 1_000, elapsedMs, unpacking: false });
    progress.end(true);
    expect(written).toEqual(['[launch] downloaded 10.0 MB, 10 s\n', '[launch] downloaded 20.5 MB, 21 s\n', '[launch] Electron runtime fetched\n']);
  });

  it('on a terminal rewrites one line and clears it when the fetch failed', () => {
    const { written, out } = sink(true);
    const progress = launch.progressPrinter(out);
    progress.update({ bytes: 2_000_000, elapsedMs: 1_000, unpacking: false });
    progress.end(false);
    expect(written).toEqual(['\r[launch] downloaded 2.0 MB, 1 s\x1b[K', '\r\x1b[K']);
  });
});

// The real installer (node_modules/electron/install.js) against mirrors that cannot serve it.
// Skipped where the runtime is installed: then `npm start` never fetches.
describe.skipIf(RUNTIME_INSTALLED)('the real fetch path', () => {
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  /** Installer settings: the mirror, and an empty cache of its own so no cached zip is used. */
  function installerEnv(mirror: string): Record<string, string> {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'jobdeck-electron-cache-'));
    roots.push(cache);
    return { ...process.env, ...DISPLAY, ELECTRON_MIRROR: mirror, electron_config_cache: cache } as Record<string, string>;
  }

  it('with a display and an unreachable mirror falls back headless with one line, quickly', async () => {
    const port = await freePort(); // nothing listens there
    const written: string[] = [];
    const out = { isTTY: false, write: (text: string) => void written.push(text) };
    const startedAt = Date.now();
    const choice = await launch.chooseMode({
      env: installerEnv(`http://127.0.0.1:${port}/`),
      platform: 'linux',
      root: ROOT,
      fetchRuntime: (options: object) => launch.fetchWithProgress({ ...options, out }),
    });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(choice).toEqual({ mode: 'headless', reason: `the Electron runtime could not be fetched (fetch failed from 127.0.0.1:${port})` });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\[launch\] fetching the Electron \d+\.\d+\.\d+ runtime \(node_modules\/electron\/install\.js, at most 900 s; JOBDECK_HEADLESS=1 skips it\)\n$/);
    expect(launch.headlessLine(choice.reason).split('\n')).toHaveLength(1);
  });

  it('gives up on a mirror that accepts the connection and never answers', async () => {
    const server = net.createServer((socket) => void sockets.push(socket)); // holds every connection, says nothing
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const result = await runtime.fetchElectronRuntime({ root: ROOT, env: installerEnv(`http://127.0.0.1:${port}/`), stallMs: 2_000 });
    expect(result).toEqual({ ok: false, reason: 'no data for 2 s' });
  });
});
