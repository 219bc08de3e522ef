/**
 * Jobdeck as a user starts it: the built headless console (`node out/main/headless.js`) in a
 * process group of its own, on a free port, in the bench namespace. `stop` ends it (SIGTERM,
 * then SIGKILL for the group) and drops everything the namespace made.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropNamespace } from '../support/namespace';
import { delay, until } from './stats';
import { freePort } from '../support/free-port';

const run = promisify(execFile);
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface HeadlessConsole {
  url: string;
  namespace: string;
  pid: number;
  /** Resident memory in MB of the console and of each worker process it spawned. */
  memory(): Promise<{ main_mb: number; workers_mb: number[] }>;
  /** Resident memory in MB by process: `main`, and `worker <kind> <pid>` for each worker. */
  memoryByProcess(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}


/** Builds the console when out/ is missing or older than the sources (`npm run build`); `label` says who asks. */
export async function ensureBuilt(root: string, label = 'bench'): Promise<void> {
  const entry = join(root, 'out/main/headless.js');
  const { stdout } = await run('find', ['src-main', 'src-worker', 'src-shared', 'src-renderer', '-newer', entry], { cwd: root }).catch(
    () => ({ stdout: 'stale' }),
  );
  if (existsSync(entry) && stdout.trim() === '') return;
  console.log(`[${label}] building the console (npm run build)`);
  await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
}

async function rssMb(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 102.4) / 10;
}

async function childPids(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['--ppid', String(pid), '-o', 'pid=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

/**
 * A worker's label from its command line (`--kind <kind>`), with its pid: a restarted worker is
 * another series. Null when it exited between the listing and the read.
 */
function workerLabel(pid: number): string | null {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return `worker ${args[args.indexOf('--kind') + 1] ?? '?'} ${pid}`;
  } catch {
    return null;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startHeadless(root: string, namespace: string, env: Record<string, string> = {}): Promise<HeadlessConsole> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(tmpdir(), `${namespace}.log`);
  const child = spawn(`exec ${JSON.stringify(process.execPath)} out/main/headless.js > ${JSON.stringify(logPath)} 2>&1`, {
    cwd: root,
    shell: true,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, JOBDECK_PORT: String(port), JOBDECK_NAMESPACE: namespace, JOBDECK_SMTP_SINK_PORT: '0', ...env },
  });
  const pid = child.pid!;
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // Interrupted (Ctrl-C, a timeout), the bench takes the console and its workers down with it.
  const interrupted = (signal: NodeJS.Signals) => {
    killGroup();
    process.kill(process.pid, signal);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited(child), delay(STOP_TIMEOUT_MS)]);
    }
    killGroup();
    process.off('exit', killGroup);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await dropNamespace(namespace);
  };
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`the console exited: ${readFileSync(logPath, 'utf8').slice(-2000)}`);
        const health = await fetch(`${url}/api/v1/health`).catch(() => null);
        if (health?.status !== 200) return false;
        const { workers } = (await health.json()) as { workers: Record<string, { configured: number; ready: number }> };
        return Object.values(workers).every((w) => w.ready >= w.configured);
      },
      START_TIMEOUT_MS,
      `the headless console on ${url} to be healthy`,
      250,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    namespace,
    pid,
    memory: async () => {
      const workers = await childPids(pid);
      return { main_mb: await rssMb(pid), workers_mb: await Promise.all(workers.map(rssMb)) };
    },
    memoryByProcess: async () => {
      const byProcess: Record<string, number> = { main: await rssMb(pid) };
      for (const worker of await childPids(pid)) {
        const label = workerLabel(worker);
        if (label) byProcess[label] = await rssMb(worker).catch(() => Number.NaN);
      }
      return byProcess;
    },
    stop,
  };
}
