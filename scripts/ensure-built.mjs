#!/usr/bin/env node
// ensure-built.mjs — `npm run worker` needs an up-to-date out/main/worker.js: build when it is
// missing or older than a source file (npx electron-vite build, output shown), and exit with the
// build's status.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_ENTRY = path.join(ROOT, 'out', 'main', 'worker.js');

const SOURCE_DIRS = ['src-shared', 'src-main', 'src-worker'];

/** Modification time of the newest file below `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function staleReason() {
  if (!existsSync(WORKER_ENTRY)) return 'out/main/worker.js is missing';
  const built = statSync(WORKER_ENTRY).mtimeMs;
  const changed = SOURCE_DIRS.filter((dir) => newestMtime(path.join(ROOT, dir)) > built);
  return changed.length ? `${changed.join(', ')} changed since the last build` : null;
}

function build(reason) {
  console.log(`[build] ${reason}: running npx electron-vite build`);
  // --no: use the project's electron-vite, never download one.
  const result = spawnSync('npx', ['--no', 'electron-vite', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32', // npx is npx.cmd there
  });
  if (result.error) {
    console.error(`[build] could not run npx: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) {
    console.error(`[build] the build failed (exit ${result.status ?? result.signal}); if electron-vite is missing, run npm ci first`);
  }
  return result.status ?? 1;
}

const reason = staleReason();
if (reason) process.exit(build(reason));
