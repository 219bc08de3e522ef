/** A store's pruning to its retention. */
export interface Prune {
  /** What it prunes, as a log line names it. */
  what: string;
  run(): Promise<unknown>;
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Prunes every store to its retention now and every hour, each on its own: one failing prune is
 * logged and does not stop the others. Returns the stop.
 */
export function startRetentionLoop(prunes: readonly Prune[], log: (line: string) => void, everyMs = PRUNE_EVERY_MS): () => void {
  const pruneAll = (): void => {
    for (const prune of prunes) {
      prune.run().catch((error: Error) => log(`pruning old ${prune.what} failed: ${error.message}`));
    }
  };
  pruneAll();
  const timer = setInterval(pruneAll, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
