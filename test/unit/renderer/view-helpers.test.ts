import { describe, expect, it } from 'vitest';
import { formatTime, kindLabel, nowUnixSeconds, shortId, statusSlug } from '../../../src-renderer/format';
import { numberOrText, optionalText, payloadOf } from '../../../src-renderer/views/submit/form-input';
import { errorsFor, otherErrors } from '../../../src-renderer/views/submit/problem-fields';

describe('form input', () => {
  it('leaves empty fields out and keeps text that is not a number as text', () => {
    expect(payloadOf({ duration_ms: numberOrText(' 300 '), callback_url: optionalText('  ') })).toEqual({ duration_ms: 300 });
    expect(numberOrText('1700000000')).toBe(1700000000);
    expect(numberOrText('2025-01-01T00:00:00Z')).toBe('2025-01-01T00:00:00Z');
    expect(numberOrText('3e5')).toBe('3e5');
  });
});

describe('problem fields', () => {
  const problem = {
    type: 'about:blank',
    title: 'Invalid',
    status: 400,
    detail: '',
    errors: [
      { field: 'payload.client_time', rule: 'format', message: 'payload.client_time is bad' },
      { field: 'client_time', rule: 'min', message: 'client_time is small' },
      { field: 'kind', rule: 'enum', message: 'kind is unknown' },
    ],
  };

  it('finds the errors of a field with or without the payload prefix, and the others', () => {
    expect(errorsFor(problem, 'client_time')).toEqual(['payload.client_time is bad', 'client_time is small']);
    expect(otherErrors(problem, ['client_time'])).toEqual([problem.errors[2]]);
    expect(errorsFor(null, 'client_time')).toEqual([]);
  });
});

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
});
