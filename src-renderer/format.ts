import { kindType } from '../src-shared/builtin-kinds';
import type { JobKind } from '../src-shared/kinds';
import type { JobStatus } from '../src-shared/statuses';

const SHORT_ID_LENGTH = 8;

/** The first characters of a job ID: enough to tell jobs apart at a glance. */
export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** A kind with the book's letter beside it: `log (A)`; a user kind by its name alone. */
export function kindLabel(kind: JobKind): string {
  const type = kindType(kind);
  return type === kind ? kind : `${kind} (${type})`;
}

/** A status as a CSS-friendly name: `IN PROGRESS` → `in-progress`. */
export function statusSlug(status: JobStatus): string {
  return status.toLowerCase().replace(/ /g, '-');
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function isSameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function calendarDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function clockOf(date: Date, milliseconds: boolean): string {
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return milliseconds ? `${clock}.${pad(date.getMilliseconds(), 3)}` : clock;
}

/** The local zone's offset from UTC, RFC 3339 style: `+02:00`, `-05:30`. */
function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * The one time format of every view: local 24-hour wall-clock time, `14:03:27` (with `.123`
 * when asked), prefixed by the date when not today (the history keeps 30 days).
 */
export function formatTime(iso: string, { milliseconds = false, now = new Date() } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const clock = clockOf(date, milliseconds);
  return isSameDay(date, now) ? clock : `${calendarDate(date)} ${clock}`;
}

/** The local zone as the views name it: `Europe/Paris, UTC+01:00`. */
export function timeZoneLabel(now: Date = new Date(), zone: string = localZone()): string {
  return `${zone}, UTC${utcOffset(now)}`;
}

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The full local time with its offset and zone, for a tooltip:
 * `2026-12-07T14:03:27.123+01:00 (Europe/Paris)`.
 */
export function fullTime(iso: string, zone: string = localZone()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${calendarDate(date)}T${clockOf(date, true)}${utcOffset(date)} (${zone})`;
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

/** A duration to the millisecond where it is short: `850 ms`, `1.25 s`, then as {@link formatDuration}; negative ones keep their sign. */
export function formatMs(ms: number): string {
  const size = Math.abs(ms);
  if (size < 1000) return `${Math.round(ms)} ms`;
  if (size < 60_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
  return `${ms < 0 ? '-' : ''}${formatDuration(size)}`;
}
