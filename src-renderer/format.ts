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
