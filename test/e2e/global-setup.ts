/**
 * Starts the built headless console for the e2e tests: a free port, a namespace of its own
 * (queues, Redis keys, PostgreSQL schema), one worker per kind. Returns the teardown, which
 * stops the console (SIGTERM, then SIGKILL) and drops the namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FullConfig } from '@playwright/test';
import { dropNamespace } from '../support/namespace';
import { CHROMIUM_PATH, E2E_PROFILE_MODE_ENV, E2E_SKIP_ENV, E2E_TOKEN_ENV, E2E_URL_ENV } from './environment';
import { freePort } from '../support/free-port';

const HEALTH_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 250;
const HEALTH_REQUEST_TIMEOUT_MS = 2_000;
const KILL_TIMEOUT_MS = 15_000;
const LOG_TAIL_CHARS = 4_000;


function logTail(logPath: string): string {
  try {
    return readFileSync(logPath, 'utf8').slice(-LOG_TAIL_CHARS);
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether any process of the console's process group (the console and its workers) is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** SIGTERM, a bounded wait for the console's own orderly shutdown, then SIGKILL for what is left. */
async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const inTime = await Promise.race([exited(child).then(() => true), delay(KILL_TIMEOUT_MS).then(() => false)]);
    if (!inTime) console.warn(`[e2e] the console did not stop within ${KILL_TIMEOUT_MS} ms of SIGTERM; killing it`);
  }
  if (groupAlive(pid)) {
    if (child.exitCode !== null) console.warn('[e2e] the console exited but left processes behind; killing them');
    killGroup(pid);
    await exited(child);
  }
}

async function healthy(url: string): Promise<{ ok: boolean; answer: string }> {
  try {
    const token = process.env[E2E_TOKEN_ENV];
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${url}/api/v1/health`, { headers, signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) });
    return { ok: response.status === 200, answer: `${response.status} ${(await response.text()).slice(0, 1_000)}` };
  } catch (error) {
    return { ok: false, answer: error instanceof Error ? error.message : String(error) };
  }
}

/** Polls the health route until it answers 200; fails early if the console exits. */
async function waitUntilHealthy(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the headless console exited (${child.exitCode ?? child.signalCode}) before it was healthy.\n${logTail(logPath)}`);
    }
    const health = await healthy(url);
    if (health.ok) return;
    last = health.answer;
    await Promise.race([delay(HEALTH_POLL_MS), exited(child)]);
  }
  throw new Error(`the headless console was not healthy within ${HEALTH_TIMEOUT_MS} ms; last answer: ${last}\n${logTail(logPath)}`);
}

export default async function globalSetup(config: FullConfig): Promise<(() => Promise<void>) | undefined> {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `Chromium is not installed at ${CHROMIUM_PATH} (Debian: apt-get install chromium); the console e2e tests are skipped.`;
    console.warn(`[e2e] ${reason}`);
    process.env[E2E_SKIP_ENV] = reason;
    return undefined;
  }
  if (process.env[E2E_URL_ENV]) {
    console.log(`[e2e] testing the console already running at ${process.env[E2E_URL_ENV]}`);
    return undefined;
  }

  const root = config.configFile ? dirname(config.configFile) : process.cwd();
  const entry = join(root, 'out/main/headless.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);

  const port = await freePort();
  const namespace = `jde2e_${randomBytes(6).toString('hex')}`;
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(tmpdir(), `${namespace}.log`);
  const log = openSync(logPath, 'w');
  // Its own process group, so a last-resort kill of the group stops the console; its workers (each in a
  // group of its own, so a terminal's Ctrl-C reaches only the console) stop when their channel closes.
  // A profile mode of the test's: the same console from source, with that mode (see mode-console.ts).
  const args = process.env[E2E_PROFILE_MODE_ENV]
    ? ['--import', 'tsx', '--import', pathToFileURL(join(root, 'scripts/raw-imports.mjs')).href, join(root, 'test/e2e/mode-console.ts')]
    : [entry];
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      JOBDECK_PORT: String(port),
      JOBDECK_NAMESPACE: namespace,
      JOBDECK_SMTP_SINK_PORT: '0',
      JOBDECK_WORKERS: 'A=1,B=1,C=1',
      // Never the user's own connection profiles: a file of the test console's own, unless a test names one.
      JOBDECK_PROFILES_FILE: process.env.JOBDECK_PROFILES_FILE ?? join(tmpdir(), `jobdeck-e2e-profiles-${namespace}`, 'profiles.json'),
    },
  });
  closeSync(log);
  const killOnExit = () => child.pid !== undefined && killGroup(child.pid);
  process.once('exit', killOnExit);
  console.log(`[e2e] headless console on ${url}, namespace ${namespace}, log ${logPath}`);

  const teardown = async () => {
    try {
      await stop(child);
    } finally {
      process.off('exit', killOnExit);
      await dropNamespace(namespace);
    }
  };

  try {
    await waitUntilHealthy(url, child, logPath);
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env[E2E_URL_ENV] = url;
  return teardown;
}
