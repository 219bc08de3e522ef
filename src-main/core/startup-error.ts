import { redactText } from '../../src-shared/redact';

/** A start-up failure, said in one line that names the setting to change. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** A restart whose new settings failed and whose previous ones failed too: no core serves until the next restart. */
export class NoCoreError extends Error {
  override name = 'NoCoreError';
}

/** A failure's code and message, passwords masked. */
export function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const text = e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : String(e.message ?? error);
  return redactText(text);
}

/** Runs one start-up step; its failure becomes a {@link StartupError} naming what failed and the setting to check. */
export async function step<T>(what: string, setting: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StartupError(`${what} failed (${reason(error)}); check ${setting}`);
  }
}
