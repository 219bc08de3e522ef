import { JOB_LOG_MAX_LINES, type JobLogLine } from '../src-shared/job-log';
import { cutLine, type JobLogStore } from '../src-shared/node/job-log-store';
import { toRfc3339 } from '../src-shared/time';
import { within } from './waits';

/** Lines wait this long to be sent together: a handler logging in a loop costs few round trips. */
export const LOG_FLUSH_DELAY_MS = 50;
/** The longest an attempt's end waits for its last lines to reach Redis. */
export const LOG_CLOSE_TIMEOUT_MS = 2_000;

/**
 * One attempt's log lines on their way to the job's log in Redis. `line` never throws and never
 * waits: lines are buffered and sent in one script call a little later, one call at a time, in
 * order. What Redis would refuse anyway (past the job's bound) is not buffered, so a Redis outage
 * holds at most a bound's worth of lines here.
 */
export class AttemptLog {
  private buffer: JobLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private held = 0;

  constructor(
    private readonly store: JobLogStore,
    private readonly jobId: string,
    private readonly attempt: number,
    private readonly onError: (line: string) => void,
  ) {}

  /** The handler's `ctx.log`. */
  readonly line = (text: unknown): void => {
    try {
      if (this.held >= JOB_LOG_MAX_LINES) return;
      this.held++;
      this.buffer.push({ attempt: this.attempt, at: toRfc3339(Date.now()), line: cutLine(String(text)) });
      this.timer ??= setTimeout(() => void this.flush(), LOG_FLUSH_DELAY_MS);
    } catch {
      // A line that cannot be turned into text is not worth failing the job for.
    }
  };

  /** Sends what is buffered after what is on its way; resolves once it is sent (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.buffer;
    this.buffer = [];
    if (lines.length === 0) return this.sending;
    this.sending = this.sending.then(() =>
      this.store.append(this.jobId, lines).then(
        () => undefined,
        (error: Error) => this.onError(`job ${this.jobId}: ${lines.length} log lines not kept (${error.message})`),
      ),
    );
    return this.sending;
  }

  /** Sends the last lines, waiting at most {@link LOG_CLOSE_TIMEOUT_MS}: the job's status must not wait on its log. */
  close(): Promise<void> {
    return within(this.flush(), LOG_CLOSE_TIMEOUT_MS);
  }
}
