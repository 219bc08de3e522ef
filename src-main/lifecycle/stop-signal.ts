import { closeWithin } from './close-within';

/** Longest a console may take to stop before it is made to. */
const CLOSE_DEADLINE_MS = 20_000;

/** A Ctrl-C reaches the console twice when a launcher forwards it too: count it once. */
const REPEAT_SIGNAL_MS = 1_000;

/** What a stop signal does, apart from the process: the exit and the error line. */
export interface SignalStop {
  exit: (code: number) => void;
  say: (line: string) => void;
  deadlineMs?: number;
}

/**
 * The handler of a stop signal: the first closes, then exits (0 once closed, 1 when closing
 * failed or outlasted the deadline). A second signal (a second later or more) exits at once
 * (the workers' unacked jobs return to their queues).
 */
export function onStopSignal(close: () => Promise<void>, { exit, say, deadlineMs = CLOSE_DEADLINE_MS }: SignalStop): () => void {
  let closingSince = 0;
  return () => {
    if (closingSince) {
      if (Date.now() - closingSince < REPEAT_SIGNAL_MS) return;
      say('jobdeck: stopping now');
      exit(1);
      return;
    }
    closingSince = Date.now();
    void closeWithin(close, deadlineMs).then((outcome) => {
      if (!outcome.closed) say(`jobdeck: the console ${outcome.reason}; exiting anyway`);
      exit(outcome.closed ? 0 : 1);
    });
  };
}
