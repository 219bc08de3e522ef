import { KIND_LETTER, type JobKind } from '../src-shared/kinds';
import type { JobStatus } from '../src-shared/statuses';

const SHORT_ID_LENGTH = 8;

/** The first characters of a job ID: enough to tell jobs apart at a glance. */
export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** A kind with the book's letter beside it: `log (A)`. */
export function kindLabel(kind: JobKind): string {
  return `${kind} (${KIND_LETTER[kind]})`;
}

/** A status as a CSS-friendly name: `IN PROGRESS` → `in-progress`. */
export function statusSlug(status: JobStatus): string {
  return status.toLowerCase().replace(/ /g, '-');
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function isSameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Local wall-clock time, `14:03:27` (with `.123` when asked), prefixed by the date if not today. */
export function formatTime(iso: string, { milliseconds = false, now = new Date() } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (milliseconds) clock += `.${pad(date.getMilliseconds(), 3)}`;
  if (isSameDay(date, now)) return clock;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`;
}

/** The current time as the book's `client_time`: whole Unix seconds. */
export function nowUnixSeconds(now: number = Date.now()): string {
  return String(Math.floor(now / 1000));
}

/** A shell word in single quotes, safe for any text. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The curl command that submits the same job again against `origin` (e.g. `http://127.0.0.1:8000`). */
export function curlFor(job: { kind: JobKind; payload: unknown }, origin: string): string {
  const body = JSON.stringify({ kind: job.kind, payload: job.payload });
  return `curl -sS -X POST ${shellQuote(`${origin}/api/v1/jobs`)} -H 'content-type: application/json' -d ${shellQuote(body)}`;
}

/** Bytes in the largest unit that keeps the number at least 1: `12.3 MB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A duration as the two largest units: `3 h 12 min`, `45 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
