import { pathToFileURL } from 'node:url';
import { redactText } from '../src-shared/redact';

/**
 * Runs a script's `run(argv)` when its module is the process's entry point (not when a test
 * imports it), then exits: 0 when it resolved, 1 when it threw. An error the user can act on
 * (`known`) is printed as `[label] message`, any other with its stack; either with passwords
 * in URLs masked.
 */
export function runIfEntryPoint(
  moduleUrl: string,
  label: string,
  run: (argv: readonly string[]) => Promise<void>,
  known: (error: unknown) => boolean,
): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      const text = known(error) ? (error as Error).message : String((error as Error).stack ?? error);
      console.error(`[${label}] ${redactText(text)}`);
      process.exit(1);
    },
  );
}
