import { describe, expect, it } from 'vitest';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { SCHEDULE_HORIZON_MS, startTimeOf } from '../../../src-shared/job-start';
import { toFieldErrors } from '../../../src-shared/problem';
import { submitJobSchemaOf } from '../../../src-shared/schemas';

const schema = submitJobSchemaOf(builtinKindRegistry());
const DAY_MS = 86_400_000;

/** The field errors of a submit body with these start fields, or [] when it passes. */
function errorsOf(start: Record<string, unknown>): { field: string; rule: string }[] {
  const input = { kind: 'log', payload: {}, ...start };
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : toFieldErrors(parsed.error, input).map(({ field, rule }) => ({ field, rule }));
}

describe('a submit\'s start fields', () => {
  it.each([
    [{ run_at: '2026-12-07T18:00:00Z' }],
    [{ run_at: '2026-12-07T18:00:00.123+02:00' }],
    [{ delay_ms: 0 }],
    [{ delay_ms: SCHEDULE_HORIZON_MS }],
    [{}],
  ])('accepts %j', (start) => {
    expect(errorsOf(start)).toEqual([]);
  });

  it.each([
    [{ run_at: '2026-12-07T18:00:00' }, 'run_at', 'format'],
    [{ run_at: 'tomorrow' }, 'run_at', 'format'],
    [{ run_at: 1765130400 }, 'run_at', 'type'],
    [{ run_at: new Date(Date.now() + 366 * DAY_MS).toISOString() }, 'run_at', 'max'],
    [{ delay_ms: -1 }, 'delay_ms', 'min'],
    [{ delay_ms: SCHEDULE_HORIZON_MS + 1 }, 'delay_ms', 'max'],
    [{ delay_ms: 2.5 }, 'delay_ms', 'type'],
    [{ delay_ms: '1000' }, 'delay_ms', 'type'],
    [{ run_at: '2026-12-07T18:00:00Z', delay_ms: 10 }, 'delay_ms', 'exclusive'],
  ])('refuses %j naming %s and rule %s', (start, field, rule) => {
    expect(errorsOf(start)).toEqual([{ field, rule }]);
  });
});

describe('startTimeOf', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('answers the start as RFC 3339 UTC with milliseconds while it is ahead', () => {
    expect(startTimeOf({ run_at: '2026-12-07T13:30:00+02:00' }, now)).toBeUndefined();
    expect(startTimeOf({ run_at: '2026-12-07T15:30:00+02:00' }, now)).toBe('2026-12-07T13:30:00.000Z');
    expect(startTimeOf({ delay_ms: 1_500 }, now)).toBe('2026-12-07T12:00:01.500Z');
  });
  it('answers nothing for a job that runs at once: no start, delay 0, a time now or past', () => {
    expect(startTimeOf({}, now)).toBeUndefined();
    expect(startTimeOf({ delay_ms: 0 }, now)).toBeUndefined();
    expect(startTimeOf({ run_at: '2026-12-07T12:00:00Z' }, now)).toBeUndefined();
  });
});
