import { describe, expect, it } from 'vitest';
import { cronInWords, cronProblem, dueTimeBefore, dueTimesAfter, isTimeZone } from '../../../src-shared/cron';
import { createScheduleSchemaOf } from '../../../src-shared/schedule-schemas';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { toFieldErrors } from '../../../src-shared/problem';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('cron expressions (croner)', () => {
  it('takes five fields, six with seconds first, and nicknames', () => {
    for (const cron of ['*/5 * * * *', '*/2 * * * * *', '0 30 2 * * *', '0 9 * * 1-5', '@daily']) expect(cronProblem(cron), cron).toBeNull();
  });

  it('refuses a wrong field count, values out of range and garbage, saying why', () => {
    expect(cronProblem('* * * *')).toMatch(/5 fields .* or 6 with seconds first, not 4/);
    expect(cronProblem('* * * * * * *')).toMatch(/not 7/);
    expect(cronProblem('61 * * * *')).toMatch(/minute/);
    expect(cronProblem('every day')).toMatch(/5 fields/);
    expect(cronProblem('  ')).toBe('must not be empty');
  });

  it('a leading seconds field fires every two seconds', () => {
    expect(iso(dueTimesAfter('*/2 * * * * *', 'UTC', new Date('2026-01-01T00:00:00.500Z'), 3))).toEqual([
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:04.000Z',
      '2026-01-01T00:00:06.000Z',
    ]);
  });

  it('reads times in the zone given', () => {
    expect(iso(dueTimesAfter('0 0 9 * * *', 'Asia/Tokyo', new Date('2026-06-01T12:00:00Z'), 1))).toEqual(['2026-06-02T00:00:00.000Z']);
  });

  it('the last due time strictly before a moment', () => {
    expect(dueTimeBefore('*/2 * * * * *', 'UTC', new Date('2026-01-01T00:00:04.000Z'))?.toISOString()).toBe('2026-01-01T00:00:02.000Z');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Base')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('a 02:30 daily schedule on the days clocks change', () => {
  it('spring forward (02:30 does not exist): it runs once, at 03:00 local, the first minute after the gap', () => {
    // Europe/Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(iso(dueTimesAfter('0 30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 3))).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
    // America/New_York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(iso(dueTimesAfter('0 30 2 * * *', 'America/New_York', new Date('2026-03-07T12:00:00Z'), 2))).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('fall back (02:30 happens twice): it runs once, at the first 02:30 (summer time)', () => {
    // Europe/Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 CEST and 02:30 CET both happen.
    expect(iso(dueTimesAfter('0 30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 3))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) is not a second run
      '2026-10-26T01:30:00.000Z', // 02:30 CET
      '2026-10-27T01:30:00.000Z',
    ]);
  });
});

describe('cron in words (cronstrue)', () => {
  it('says common forms in English, seconds included', () => {
    expect(cronInWords('*/2 * * * * *')).toBe('Every 2 seconds');
    expect(cronInWords('*/5 * * * *')).toBe('Every 5 minutes');
    expect(cronInWords('0 9 * * 1-5')).toBe('At 09:00, Monday through Friday');
    expect(cronInWords('0 30 2 * * *')).toBe('At 02:30');
  });

  it('has no words for an expression that does not read', () => {
    expect(cronInWords('61 * * * *')).toBeNull();
  });
});

describe('a schedule body', () => {
  const schema = createScheduleSchemaOf(builtinKindRegistry());
  const errors = (body: unknown) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? [] : toFieldErrors(parsed.error, body).map(({ field, rule }) => ({ field, rule }));
  };

  it('names cron and time_zone with their rules', () => {
    expect(errors({ kind: 'email', cron: '61 * * * *' })).toEqual([{ field: 'cron', rule: 'cron' }]);
    expect(errors({ kind: 'email', cron: '* * * * *', time_zone: 'Mars/Base' })).toEqual([{ field: 'time_zone', rule: 'iana_time_zone' }]);
    expect(errors({ kind: 'email', cron: '* * * * *', missed: 'all' })).toEqual([{ field: 'missed', rule: 'enum' }]);
  });

  it('defaults the zone to UTC and missed to skip, and takes a kind letter', () => {
    expect(schema.parse({ kind: 'C', cron: ' */2  * * * * * ' })).toEqual({ kind: 'email', payload: {}, cron: '*/2 * * * * *', time_zone: 'UTC', missed: 'skip' });
  });
});
