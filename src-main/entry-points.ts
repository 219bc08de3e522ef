import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src-shared/settings';
import { StartupError } from './console';

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

/** Closes once on SIGINT or SIGTERM, then exits. */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export const log = (line: string): void => console.log(`[jobdeck] ${line}`);
