import { within } from './within';

export type CloseOutcome = { closed: true } | { closed: false; reason: string };

/**
 * Closes, waiting at most `deadlineMs`: a dependency that hangs must not keep the process alive.
 * Says why it did not close, for the caller to print before it exits anyway.
 */
export async function closeWithin(close: () => Promise<void>, deadlineMs: number): Promise<CloseOutcome> {
  const late: CloseOutcome = { closed: false, reason: `did not close within ${deadlineMs / 1000} s` };
  const closing = close().then(
    (): CloseOutcome => ({ closed: true }),
    (error: Error): CloseOutcome => ({ closed: false, reason: `closing failed: ${error.message}` }),
  );
  return within(closing, deadlineMs, late);
}
