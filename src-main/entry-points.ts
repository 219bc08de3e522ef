import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactText } from '../src-shared/redact';
import { ConfigError } from '../src-shared/settings';
import { StartupError } from './console';
import { onStopSignal } from './lifecycle/stop-signal';

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
    console.error(`jobdeck: ${redactText(error.message)}`);
  } else {
    console.error(redactText(String((error as Error)?.stack ?? error)));
  }
  process.exit(1);
}

/** Closes on SIGINT or SIGTERM, then exits (see onStopSignal). */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = onStopSignal(close, { exit: (code) => process.exit(code), say: (line) => console.error(line) });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A console log line, secrets masked (a URL's password, a token): every part logs through it. */
export const log = (line: string): void => console.log(`[jobdeck] ${redactText(line)}`);
