import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { within } from '../waits';

/** Shipped next to the worker's code (see electron.vite.config.ts). */
const REAPER_PATH = fileURLToPath(new URL('./command-reaper.mjs', import.meta.url));
/** How long stdout and stderr may stay open once the command has exited (a child that escaped its group). */
const DRAIN_MS = 1_000;
/** How long a SIGKILLed command may take to be gone, and how often that is looked at. */
const KILL_WAIT_MS = 1_000;
const GONE_POLL_MS = 50;

/** What starts one command. */
export interface CommandLaunch {
  command: string[];
  cwd?: string;
  env: Record<string, string>;
  /** Written to its stdin, which is then closed. */
  input: string;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** The command runs, as process `pid` (its process group's ID too). */
  onStarted(pid: number): void;
}

/** How a command ended: its exit code, or the signal that killed it. */
export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running command. */
export interface CommandProcess {
  /** Its end, once stdout and stderr are read; rejects when it could not start. */
  exited: Promise<CommandExit>;
  /** SIGTERM to its process group, SIGKILL after the grace. */
  terminate(): void;
}

type ReaperMessage = { type: 'started'; pid: number } | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null } | { type: 'error'; message: string };

const streamEnd = (stream: NodeJS.ReadableStream): Promise<void> => new Promise((resolve) => stream.once('close', resolve));

/** The reaper died (killed on its own) with the command still running. */
class RunnerLost extends Error {}

/** The command's end as the reaper reports it, or why it never ran. */
function endOf(reaper: ChildProcess, onStarted: (pid: number) => void): Promise<CommandExit> {
  return new Promise((resolve, reject) => {
    reaper.on('message', (message: ReaperMessage) => {
      if (message.type === 'started') onStarted(message.pid);
      else if (message.type === 'exit') resolve({ code: message.code, signal: message.signal });
      else reject(new Error(`the command could not start: ${message.message}`));
    });
    reaper.once('error', (error) => reject(new Error(`the command's runner could not start: ${error.message}`)));
    // Its messages all come before its channel closes: a close with no end told is a runner that died.
    reaper.once('disconnect', () => reject(new RunnerLost("the command's runner ended before the command")));
  });
}

/**
 * Starts a command through the reaper (command-reaper.mjs), its parent that kills its process
 * group should this worker die. The reaper's stdin, stdout and stderr are the command's.
 */
export function startCommand(launch: CommandLaunch): CommandProcess {
  // process.execPath with this process's environment: under Electron that is Electron's binary
  // with ELECTRON_RUN_AS_NODE=1, as the console forks its workers.
  const reaper = spawn(process.execPath, [REAPER_PATH], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], detached: true });
  let pid: number | undefined;
  const closed = Promise.all([streamEnd(reaper.stdout!), streamEnd(reaper.stderr!)]);
  reaper.stdout!.on('data', launch.onStdout);
  reaper.stderr!.on('data', launch.onStderr);
  // A command that does not read its stdin closes it: that is no failure of the worker.
  reaper.stdin!.on('error', () => undefined);
  reaper.stdin!.end(launch.input);
  const { command, cwd, env, graceMs } = launch;
  reaper.send({ type: 'start', command, cwd, env, graceMs });
  const started = (id: number): void => {
    pid = id;
    launch.onStarted(id);
  };
  const drained = async (): Promise<void> => {
    await within(closed, DRAIN_MS);
    reaper.stdout!.destroy();
    reaper.stderr!.destroy();
  };
  const exited = endOf(reaper, started).then(
    async (exit) => {
      await drained();
      return exit;
    },
    async (error: Error) => {
      // Nobody else would end the command now: the attempt fails once it is gone, not before.
      if (error instanceof RunnerLost && pid !== undefined) await endGroup(pid, graceMs);
      await drained();
      throw error;
    },
  );
  const terminate = (): void => {
    if (reaper.connected) reaper.send({ type: 'terminate' }, () => undefined);
    else if (pid !== undefined) killGroup(pid);
  };
  return { exited, terminate };
}

/** The reaper is gone: the worker signals the group itself. */
function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Gone already.
  }
}

/**
 * Whether a process runs. A zombie does not: with its reaper dead, the command's new parent (PID 1
 * of a container, say) may never reap it. Where /proc is missing, any process that exists runs.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Waits until the process is gone, `ms` at the most. */
async function untilGone(pid: number, ms: number): Promise<void> {
  for (const until = Date.now() + ms; isRunning(pid) && Date.now() < until; ) await delay(GONE_POLL_MS);
}

/**
 * Ends a command whose reaper died: SIGTERM to its group, SIGKILL after the grace (always, for
 * what it left behind in the group), then waits a moment for it to be gone.
 */
async function endGroup(pid: number, graceMs: number): Promise<void> {
  killGroup(pid, 'SIGTERM');
  await untilGone(pid, graceMs);
  killGroup(pid, 'SIGKILL');
  await untilGone(pid, KILL_WAIT_MS);
}
