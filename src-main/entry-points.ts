import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src-shared/settings';
import { StartupError } from './console';

/**
 * Node flags of the worker processes: a young generation of 4 MB (V8's default grows to 16 MB per
 * semi-space) keeps a busy kind A worker well under 120 MB resident at no measured cost in jobs/s.
 */
export const WORKER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

/** Where the build put the worker and the console page, next to the running entry. */
export function builtPaths(entryUrl: string): { worker: string; renderer: string } {
  const dir = dirname(fileURLToPath(entryUrl));
  return { worker: join(dir, 'worker.js'), renderer: join(dir, '..', 'renderer') };
}

/** Start-up failures the operator can fix get one line; anything else its stack. */
export function reportStartFailure(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`jobdeck: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}

/** Longest a console may take to stop before it is made to. */
const CLOSE_DEADLINE_MS = 20_000;

/** A Ctrl-C reaches the console twice when a launcher forwards it too: count it once. */
const REPEAT_SIGNAL_MS = 1_000;

/**
 * Closes on SIGINT or SIGTERM, then exits. A second signal (a second later or more), or a
 * close that outlasts the deadline, exits at once (the workers' unacked jobs return to their
 * queues).
 */
export function closeOnSignals(close: () => Promise<void>): void {
  let closingSince = 0;
  const stop = (): void => {
    if (closingSince) {
      if (Date.now() - closingSince < REPEAT_SIGNAL_MS) return;
      console.error('jobdeck: stopping now');
      process.exit(1);
    }
    closingSince = Date.now();
    setTimeout(() => {
      console.error(`jobdeck: could not stop within ${CLOSE_DEADLINE_MS / 1000} s; exiting`);
      process.exit(1);
    }, CLOSE_DEADLINE_MS).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export const log = (line: string): void => console.log(`[jobdeck] ${line}`);
