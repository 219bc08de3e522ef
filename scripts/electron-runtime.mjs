// electron-runtime.mjs — the Electron runtime under node_modules/electron: where its binary is,
// and fetching it with the package's own installer.
//
// Electron 45 installs its binary lazily: `npm ci` leaves node_modules/electron without dist/.
// fetchElectronRuntime runs the package's installer (node_modules/electron/install.js, its
// `install-electron` bin, which downloads with @electron/get and unpacks into dist/) as a child
// process. Its own progress bar draws only on a terminal and only after 30 s, and its failure is
// a stack trace, so its stderr is read here: progress is the size of its download file (in a
// temporary directory of ours, given as TMPDIR, removed afterwards even when the fetch is
// killed), and a failure becomes one short reason.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** No new byte for this long while downloading: the network hangs, give up. */
export const FETCH_STALL_MS = 60_000;
/** The whole fetch, download and unpacking, unless JOBDECK_ELECTRON_FETCH_TIMEOUT_S says otherwise. */
export const FETCH_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 500;
const KILL_GRACE_MS = 2_000;
const STDERR_KEPT_CHARS = 8_000;
const REASON_MAX_CHARS = 160;
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

/** Path of the installed Electron binary, or null (with the reason) when it is not there. */
export function findElectronBinary(root) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) return { binary: null, reason: 'Electron runtime not installed (node_modules/electron/path.txt missing)' };
  const binary = path.join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(binary)) return { binary: null, reason: 'Electron runtime not installed (node_modules/electron/dist missing)' };
  return { binary, reason: null };
}

/** The version of the electron package installed under root. */
export function electronVersion(root) {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** The fetch's time limit: JOBDECK_ELECTRON_FETCH_TIMEOUT_S (seconds) or FETCH_TIMEOUT_MS. */
export function fetchTimeoutMs(env) {
  const seconds = Number(env.JOBDECK_ELECTRON_FETCH_TIMEOUT_S);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : FETCH_TIMEOUT_MS;
}

/** The host @electron/get downloads from: ELECTRON_MIRROR (or npm's electron_mirror) or GitHub's. */
export function downloadHost(env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || DEFAULT_MIRROR;
  try {
    return new URL(mirror).host;
  } catch {
    return mirror;
  }
}

/**
 * One short reason from the installer's stderr: the first line of its stack trace without the
 * error's class (`TypeError: fetch failed` → `fetch failed from github.com`, the host added
 * since fetch's own message names none), or its exit code.
 */
export function failureReason(stderr, code, signal, env = {}) {
  const first = stderr.split('\n').map((line) => line.trim()).find((line) => line.length > 0);
  if (!first) return signal ? `the installer was killed by ${signal}` : `the installer exited with code ${code}`;
  const message = first.replace(/^[A-Za-z]*Error:\s*/, '');
  if (message === 'fetch failed') return `fetch failed from ${downloadHost(env)}`;
  return message.length > REASON_MAX_CHARS ? `${message.slice(0, REASON_MAX_CHARS - 1)}…` : message;
}

/** Bytes downloaded so far: the files in @electron/get's electron-download-* folders under dir. */
function downloadedBytes(dir) {
  let bytes = 0;
  try {
    for (const folder of readdirSync(dir)) {
      const folderPath = path.join(dir, folder);
      for (const file of readdirSync(folderPath)) bytes += statSync(path.join(folderPath, file)).size;
    }
  } catch {
    // A folder made or removed while we look: counted at the next poll.
  }
  return bytes;
}

/**
 * Watches the download: reports progress and calls giveUp(reason) when no byte came for
 * stallMs while downloading, or the whole fetch took timeoutMs. Once the download file is
 * gone again (moved to @electron/get's cache, then unpacked) only the time limit applies.
 */
function watchDownload({ dir, onProgress, giveUp, stallMs, timeoutMs }) {
  const startedAt = Date.now();
  let last = { bytes: 0, at: startedAt };
  let unpacking = false;
  const timer = setInterval(() => {
    const now = Date.now();
    const bytes = downloadedBytes(dir);
    if (bytes === 0 && last.bytes > 0) unpacking = true;
    if (bytes !== last.bytes) last = { bytes, at: now };
    onProgress({ bytes, elapsedMs: now - startedAt, unpacking });
    if (now - startedAt >= timeoutMs) giveUp(`not done within ${Math.round(timeoutMs / 1000)} s`);
    else if (!unpacking && now - last.at >= stallMs) giveUp(`no data for ${Math.round(stallMs / 1000)} s`);
  }, POLL_MS);
  return () => clearInterval(timer);
}

/**
 * Removes the download directory however this process ends: at exit, or on SIGINT or SIGTERM
 * (which skip exit handlers), after passing the signal to the installer and before raising it
 * again. Returns the call that removes the directory now and stops watching.
 */
function cleanUpOnExit(removeDir, child) {
  const onSignal = (signal) => {
    stopWatching();
    child.kill(signal);
    removeDir();
    process.kill(process.pid, signal);
  };
  const stopWatching = () => {
    process.off('exit', removeDir);
    for (const signal of ['SIGINT', 'SIGTERM']) process.off(signal, onSignal);
  };
  process.once('exit', removeDir);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, onSignal);
  return () => {
    stopWatching();
    removeDir();
  };
}

/** SIGTERM, then SIGKILL if it has not gone within KILL_GRACE_MS. */
function terminate(child) {
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  child.once('exit', () => clearTimeout(kill));
}

/**
 * Runs node_modules/electron/install.js; resolves { ok: true } once it has unpacked the runtime,
 * or { ok: false, reason } when it failed, stalled or ran out of time. Never rejects.
 */
export function fetchElectronRuntime({ root, env = process.env, onProgress = () => {}, stallMs = FETCH_STALL_MS, timeoutMs = fetchTimeoutMs(env) }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jobdeck-electron-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    env: { ...env, TMPDIR: dir, TMP: dir, TEMP: dir, ELECTRON_GET_NO_PROGRESS: '1' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const releaseDir = cleanUpOnExit(removeDir, child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS)));
  let gaveUp = null;
  const stopWatching = watchDownload({
    dir,
    onProgress,
    stallMs,
    timeoutMs,
    giveUp: (reason) => {
      if (gaveUp) return;
      gaveUp = reason;
      terminate(child);
    },
  });
  return new Promise((resolve) => {
    const finish = (result) => {
      stopWatching();
      releaseDir();
      resolve(result);
    };
    child.once('error', (error) => finish({ ok: false, reason: `could not run the installer: ${error.message}` }));
    child.once('close', (code, signal) => {
      if (gaveUp) finish({ ok: false, reason: gaveUp });
      else if (code === 0) finish({ ok: true });
      else finish({ ok: false, reason: failureReason(stderr, code, signal, env) });
    });
  });
}
