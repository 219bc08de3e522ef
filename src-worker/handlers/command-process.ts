import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { within } from '../waits';

/** Shipped next to the worker's code (see electron.vite.config.ts). */
const REAPER_PATH = fileURLToPath(new URL('./command-reaper.mjs', import.meta.url));
/** How long stdout and stderr may stay open once the command has exited (a child that escaped its group). */
const DRAIN_MS = 1_000;

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
    reaper.once('disconnect', () => reject(new Error("the command's runner ended before the command")));
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
  const exited = endOf(reaper, started).then(async (exit) => {
    await within(closed, DRAIN_MS);
    reaper.stdout!.destroy();
    reaper.stderr!.destroy();
    return exit;
  });
  const terminate = (): void => {
    if (reaper.connected) reaper.send({ type: 'terminate' }, () => undefined);
    else if (pid !== undefined) killGroup(pid);
  };
  return { exited, terminate };
}

/** The reaper is gone: the worker kills the group itself. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}
