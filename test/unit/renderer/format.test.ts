import { describe, expect, it } from 'vitest';
import { curlFor, formatTime, fullTime, kindLabel, nowUnixSeconds, shortId, statusSlug, timeZoneLabel } from '../../../src-renderer/format';

describe('format', () => {
  it('shows IDs short, kinds with their letter and statuses as class names', () => {
    expect(shortId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b');
    expect(kindLabel('callback')).toBe('callback (B)');
    expect(statusSlug('IN PROGRESS')).toBe('in-progress');
  });

  it('gives the time of day for today and the date before it otherwise', () => {
    const at = new Date(2025, 4, 6, 9, 5, 7, 42);
    expect(formatTime(at.toISOString(), { now: at })).toBe('09:05:07');
    expect(formatTime(at.toISOString(), { now: at, milliseconds: true })).toBe('09:05:07.042');
    expect(formatTime(at.toISOString(), { now: new Date(2025, 4, 7, 9) })).toBe('2025-05-06 09:05:07');
    expect(formatTime('not a time')).toBe('not a time');
    expect(nowUnixSeconds(1_700_000_000_999)).toBe('1700000000');
  });

  it('gives the full local time with its offset and zone for the tooltip', () => {
    const at = new Date(2025, 4, 6, 9, 5, 7, 42);
    const offset = -at.getTimezoneOffset();
    const sign = offset < 0 ? '-' : '+';
    const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    expect(fullTime(at.toISOString(), 'Europe/Paris')).toBe(`2025-05-06T09:05:07.042${sign}${hhmm} (Europe/Paris)`);
    expect(fullTime('not a time')).toBe('not a time');
    expect(timeZoneLabel(at, 'Europe/Paris')).toBe(`Europe/Paris, UTC${sign}${hhmm}`);
  });

  it('never uses a 12-hour clock', () => {
    const afternoon = new Date(2025, 4, 6, 15, 0, 0);
    expect(formatTime(afternoon.toISOString(), { now: afternoon })).toBe('15:00:00');
  });

  it('quotes the body for a shell, whatever the payload holds', () => {
    const command = curlFor({ kind: 'email', payload: { subject: "it's done" } }, 'http://127.0.0.1:8000');
    expect(command).toBe(
      `curl -sS -X POST 'http://127.0.0.1:8000/api/v1/jobs' -H 'content-type: application/json' -d '{"kind":"email","payload":{"subject":"it'\\''s done"}}'`,
    );
  });
});
