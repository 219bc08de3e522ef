#!/usr/bin/env node
// dist.mjs — `npm run dist`: a Linux AppImage and .deb under dist/, built by electron-builder
// (electron-builder.config.mjs) from a fresh `electron-vite build`.
//
// It needs the Electron runtime: when node_modules/electron has none (Electron 45 fetches it
// lazily), it is fetched first with the package's own installer, bounded in time
// (electron-runtime.mjs), and electron-builder then takes the release zip from the cache that
// fetch filled. Where it cannot be fetched, one line says why and nothing is built: exit code 2.
// A failed or timed-out build step exits 1; packages built, 0. Every step is bounded: the fetch by
// JOBDECK_ELECTRON_FETCH_TIMEOUT_S, each build step by JOBDECK_DIST_TIMEOUT_S.

import { spawn } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronVersion, fetchElectronRuntime, fetchTimeoutMs, findElectronBinary } from './electron-runtime.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_STEP_TIMEOUT_MS = 20 * 60_000;
/** Exit codes: packages built; a build step failed; nothing built, the runtime being unavailable. */
export const EXIT = Object.freeze({ built: 0, failed: 1, noRuntime: 2 });

/** Each build step's time limit: JOBDECK_DIST_TIMEOUT_S (seconds) or DIST_STEP_TIMEOUT_MS. */
export function stepTimeoutMs(env) {
  const seconds = Number(env.JOBDECK_DIST_TIMEOUT_S);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DIST_STEP_TIMEOUT_MS;
}

/** The one line `npm run dist` prints where the runtime cannot be had. */
export function noRuntimeLine(version, reason) {
  return `[dist] no AppImage or .deb built: the Electron ${version} runtime could not be fetched (${reason})`;
}

/** The build steps, as commands run in the repo root. */
export function buildSteps(root = ROOT) {
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  return [
    { name: 'electron-vite build', command: bin('electron-vite'), args: ['build'] },
    { name: 'electron-builder', command: bin('electron-builder'), args: ['--linux', '--config', 'electron-builder.config.mjs', '--publish', 'never'] },
  ];
}

/** Runs one step with inherited output, killed after `timeoutMs`: resolves with its failure, or null. */
function runStep(step, { root, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: root, env, stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => resolve(`${step.name} could not start: ${error.message}`));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(null);
      else resolve(signal === 'SIGKILL' ? `${step.name} outlived ${timeoutMs / 1000} s` : `${step.name} failed (exit ${code ?? signal})`);
    });
  });
}

/**
 * The whole of `npm run dist`, its parts given: the runtime (installed or fetched), then each step.
 * Resolves with the exit code; never builds without a runtime.
 */
export async function dist({ root = ROOT, env = process.env, out = console.log, fetchRuntime = fetchElectronRuntime, run = runStep } = {}) {
  const version = electronVersion(root);
  if (!findElectronBinary(root).binary) {
    out(`[dist] fetching the Electron ${version} runtime (node_modules/electron/install.js, at most ${Math.round(fetchTimeoutMs(env) / 1000)} s)`);
    const fetched = await fetchRuntime({ root, env });
    const found = fetched.ok ? findElectronBinary(root) : { binary: null, reason: fetched.reason };
    if (!found.binary) {
      out(noRuntimeLine(version, found.reason));
      return EXIT.noRuntime;
    }
  }
  for (const step of buildSteps(root)) {
    const failure = await run(step, { root, env, timeoutMs: stepTimeoutMs(env) });
    if (failure) {
      out(`[dist] ${failure}`);
      return EXIT.failed;
    }
  }
  const built = readdirSync(path.join(root, 'dist')).filter((name) => /\.(AppImage|deb)$/.test(name));
  out(`[dist] built ${built.map((name) => `dist/${name}`).join(', ')}`);
  return EXIT.built;
}

function isEntryPoint() {
  try {
    return Boolean(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await dist();
