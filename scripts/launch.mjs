#!/usr/bin/env node
// launch.mjs — how `npm start` runs the built console.
//
// Window mode: when JOBDECK_HEADLESS=1 is not set, the Electron binary is present
// (node_modules/electron/path.txt names a file under node_modules/electron/dist) and there is
// a display, run that binary on the repo root (package.json "main" is out/main/index.js).
// We never import `electron` or run its cli: both try to download the runtime.
// Headless mode otherwise: say why in one line and run `node out/main/headless.js`, which
// prints the URL it serves. Either way stdio is inherited, SIGINT/SIGTERM are forwarded and
// the child's exit code is ours.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

/** Path of the installed Electron binary, or null (with the reason) when it is not there. */
export function findElectronBinary(root = ROOT) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) return { binary: null, reason: 'Electron runtime not installed (node_modules/electron/path.txt missing)' };
  const binary = path.join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(binary)) return { binary: null, reason: 'Electron runtime not installed (node_modules/electron/dist missing)' };
  return { binary, reason: null };
}

/** True when a window can be shown: a display on Linux/BSD, always on macOS and Windows. */
export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** { mode: 'electron', binary } or { mode: 'headless', reason }. */
export function chooseMode({ env = process.env, platform = process.platform, root = ROOT } = {}) {
  if (env.JOBDECK_HEADLESS === '1' || env.JOBDECK_HEADLESS === 'true') {
    return { mode: 'headless', reason: `JOBDECK_HEADLESS=${env.JOBDECK_HEADLESS}` };
  }
  const { binary, reason } = findElectronBinary(root);
  if (!binary) return { mode: 'headless', reason };
  if (!hasDisplay(env, platform)) return { mode: 'headless', reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { mode: 'electron', binary };
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

function requireBuilt(file) {
  if (existsSync(path.join(ROOT, file))) return;
  console.error(`[launch] ${file} is missing: run npm run build first`);
  process.exit(1);
}

function main() {
  const choice = chooseMode();
  if (choice.mode === 'electron') {
    requireBuilt('out/main/index.js');
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // set, it would turn Electron into plain Node
    runForwarding(choice.binary, electronArgs(), env);
    return;
  }
  console.log(`[launch] ${choice.reason}; running headless`);
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
