import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SOURCE_WORKER_ENTRY } from './console';

/** The worker as `npm run build` ships it (run `npm run build` first). */
export const BUILT_WORKER_ENTRY = { modulePath: fileURLToPath(new URL('../../out/main/worker.js', import.meta.url)), execArgv: [] as string[] };

/**
 * A worker started by hand (`node out/main/worker.js`; from source unless told), as on another machine:
 * no console channel, so it reconnects by itself. Its output is kept line by line.
 */
export class StandaloneWorker {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(kinds: string, env: Record<string, string>, entry = SOURCE_WORKER_ENTRY) {
    this.child = spawn(process.execPath, [...entry.execArgv, entry.modulePath, '--kind', kinds], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    const take = (chunk: Buffer): void => {
      const text = partial + chunk.toString('utf8');
      const complete = text.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        this.lines.push(line);
        if (process.env.JOBDECK_TEST_LOG) console.log(line);
      }
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line matching `pattern`, waiting up to `timeoutMs` for it. */
  async line(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no line ${pattern} within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops it (SIGTERM by default) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}
