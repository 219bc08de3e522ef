#!/usr/bin/env node
// ensure-built.mjs — `npm run worker` needs out/main/worker.js: build once when it is missing
// (npx electron-vite build, output shown), and exit with the build's status.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_ENTRY = path.join(ROOT, 'out', 'main', 'worker.js');

function build() {
  console.log('[build] out/main/worker.js is missing: running npx electron-vite build');
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

if (!existsSync(WORKER_ENTRY)) process.exit(build());
