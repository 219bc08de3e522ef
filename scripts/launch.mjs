#!/usr/bin/env node
// launch.mjs — how `npm start` runs the built console.
//
// Window mode: when JOBDECK_HEADLESS=1 is not set and there is a display, run the Electron
// binary on the repo root (package.json "main" is out/main/index.js); when the binary is not
// installed yet (Electron 45 fetches it lazily), fetch it first with the package's installer
// (electron-runtime.mjs), bounded in time. Without a display nothing is fetched.
// We never import `electron` or run its cli: both would download the runtime unannounced.
// Headless mode otherwise (no display, or the fetch failed): say which in one line and run
// `node out/main/headless.js`, which prints the URL it serves. Either way stdio is inherited,
// SIGINT/SIGTERM are forwarded and the child's exit code is ours.

import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronVersion, fetchElectronRuntime, fetchTimeoutMs, findElectronBinary } from './electron-runtime.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];
const PROGRESS_LOG_MS = 10_000;

/** True when a window can be shown: a display on Linux/BSD, always on macOS and Windows. */
export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * { mode: 'electron', binary } or { mode: 'headless', reason }. Where a window could be shown
 * and the runtime is not installed, fetches it first (fetchRuntime: the package's installer;
 * tests pass their own); where none could be shown, never fetches.
 */
export async function chooseMode({ env = process.env, platform = process.platform, root = ROOT, fetchRuntime = fetchWithProgress } = {}) {
  if (env.JOBDECK_HEADLESS === '1' || env.JOBDECK_HEADLESS === 'true') {
    return { mode: 'headless', reason: `JOBDECK_HEADLESS=${env.JOBDECK_HEADLESS}` };
  }
  if (!hasDisplay(env, platform)) return { mode: 'headless', reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const installed = findElectronBinary(root);
  if (installed.binary) return { mode: 'electron', binary: installed.binary };
  const fetched = await fetchRuntime({ root, env });
  const found = fetched.ok ? findElectronBinary(root) : { binary: null, reason: fetched.reason };
  if (!found.binary) return { mode: 'headless', reason: `the Electron runtime could not be fetched (${found.reason})` };
  return { mode: 'electron', binary: found.binary };
}

/** The package's installer, announced in one line, with its progress on stdout. */
export async function fetchWithProgress({ root, env, out = process.stdout }) {
  const timeoutS = Math.round(fetchTimeoutMs(env) / 1000);
  out.write(`[launch] fetching the Electron ${electronVersion(root)} runtime (node_modules/electron/install.js, at most ${timeoutS} s; JOBDECK_HEADLESS=1 skips it)\n`);
  const progress = progressPrinter(out);
  const result = await fetchElectronRuntime({ root, env, onProgress: progress.update });
  progress.end(result.ok);
  return result;
}

/**
 * Progress lines: on a terminal one line rewritten in place; elsewhere (a log) a line every
 * PROGRESS_LOG_MS. end() closes the line on a terminal, and says when the fetch succeeded.
 */
export function progressPrinter(out) {
  let lastLoggedAt = 0;
  let drawn = false;
  const describe = ({ bytes, elapsedMs, unpacking }) =>
    `[launch] ${unpacking ? 'unpacking' : 'downloaded'} ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(elapsedMs / 1000)} s`;
  return {
    update(state) {
      if (state.unpacking && !out.isTTY) return;
      if (out.isTTY) {
        out.write(`\r${describe(state)}\x1b[K`);
        drawn = true;
      } else if (state.elapsedMs - lastLoggedAt >= PROGRESS_LOG_MS) {
        lastLoggedAt = state.elapsedMs;
        out.write(`${describe(state)}\n`);
      }
    },
    end(ok) {
      if (drawn) out.write(ok ? '\r[launch] Electron runtime fetched\x1b[K\n' : '\r\x1b[K');
      else if (ok) out.write('[launch] Electron runtime fetched\n');
    },
  };
}

/** Electron's arguments: the app directory, and --no-sandbox where Chromium refuses root. */
export function electronArgs(platform = process.platform, uid = process.getuid?.()) {
  return platform === 'linux' && uid === 0 ? ['.', '--no-sandbox'] : ['.'];
}

/** Run `command args` in the repo root, forwarding signals; exit as it exits. */
function runForwarding(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.once('error', (err) => {
    console.error(`[launch] could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED_SIGNALS) process.off(s, forward);
    if (signal) process.kill(process.pid, signal); // die the way the child died
    process.exit(code ?? 1);
  });
}

/** The one line that says the console runs headless, and why. */
export function headlessLine(reason) {
  return `[launch] headless: ${reason}`;
}

function requireBuilt(file) {
  if (existsSync(path.join(ROOT, file))) return;
  console.error(`[launch] ${file} is missing: run npm run build first`);
  process.exit(1);
}

async function main() {
  const choice = await chooseMode();
  if (choice.mode === 'electron') {
    requireBuilt('out/main/index.js');
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // set, it would turn Electron into plain Node
    runForwarding(choice.binary, electronArgs(), env);
    return;
  }
  console.log(headlessLine(choice.reason));
  requireBuilt('out/main/headless.js');
  runForwarding(process.execPath, [path.join(ROOT, 'out/main/headless.js')]);
}

function isEntryPoint() {
  try {
    return Boolean(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) main();
