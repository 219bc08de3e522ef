import { StringDecoder } from 'node:string_decoder';
import { resultOf } from './user-job';

/** A line longer than this many characters is cut (the rest up to its newline is dropped). */
export const MAX_LINE_CHARS = 1024 * 1024;
/** The error of a failed command is stderr's last lines, at most this many… */
export const STDERR_TAIL_LINES = 20;
/** …and at most this many characters. */
export const STDERR_TAIL_CHARS = 4096;

/** Splits a byte stream into UTF-8 lines (without `\n` or `\r\n`), each cut at MAX_LINE_CHARS characters. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private cutting = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const pieces = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = pieces.pop()!;
    for (const piece of pieces) {
      if (!this.cutting) this.emit(piece);
      this.cutting = false;
    }
    if (this.cutting) {
      this.partial = '';
    } else if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(`${this.partial.slice(0, MAX_LINE_CHARS)} …(cut)`);
      this.partial = '';
      this.cutting = true;
    }
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '' && !this.cutting) this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** What a command's stdout told so far. */
export interface CommandReport {
  /** The last `{"result": …}` (as a job result), or undefined. */
  result?: Record<string, unknown>;
  /** Whether it printed `{"permanent": true}`. */
  permanent: boolean;
}

export interface StdoutSinks {
  progress(percent: unknown): void;
  log(line: string): void;
}

/**
 * Reads one stdout line of the command protocol: `{"progress": n}`, `{"log": "…"}`,
 * `{"result": {…}}`, `{"permanent": true}` (several keys in one line are all taken). Any other
 * line, JSON or not, is kept as a log line as printed.
 */
export function readStdoutLine(line: string, report: CommandReport, sinks: StdoutSinks): void {
  if (line.trim() === '') return;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    message = undefined;
  }
  const known = typeof message === 'object' && message !== null && !Array.isArray(message) ? (message as Record<string, unknown>) : {};
  const protocol = ['progress', 'log', 'result', 'permanent'].some((key) => key in known);
  if (!protocol) return sinks.log(line);
  if ('progress' in known) sinks.progress(known.progress);
  if ('log' in known) sinks.log(typeof known.log === 'string' ? known.log : JSON.stringify(known.log));
  if ('result' in known) report.result = resultOf(known.result, 'the command');
  if (known.permanent === true) report.permanent = true;
}

/** The last lines of stderr, bounded in lines and characters. */
export class StderrTail {
  private readonly lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > STDERR_TAIL_LINES) this.lines.shift();
  }

  text(): string {
    const text = this.lines.join('\n').trim();
    return text.length > STDERR_TAIL_CHARS ? `…${text.slice(-STDERR_TAIL_CHARS)}` : text;
  }
}
