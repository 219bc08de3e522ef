import { describe, expect, it } from 'vitest';
import { parseJobQuery, QuerySyntaxError } from '../../../src-shared/job-query';
import { JOB_STATUSES } from '../../../src-shared/statuses';

/** The error a query raises, as `column N: expected …`. */
function errorOf(query: string): string {
  try {
    parseJobQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(QuerySyntaxError);
    return (error as Error).message;
  }
  throw new Error(`"${query}" parsed`);
}

describe('parseJobQuery: terms', () => {
  it('takes an empty or blank query for every job', () => {
    expect(parseJobQuery('')).toEqual({ type: 'all' });
    expect(parseJobQuery('   ')).toEqual({ type: 'all' });
  });

  it('reads field:value terms and free words, AND-ed by spaces', () => {
    expect(parseJobQuery('kind:callback  ECONNREFUSED')).toEqual({
      type: 'and',
      terms: [
        { type: 'match', field: 'kind', values: ['callback'] },
        { type: 'word', text: 'ECONNREFUSED' },
      ],
    });
  });

  it('reads replay_of: and schedule: as ID prefixes, and refuses what is not one', () => {
    expect(parseJobQuery('replay_of:6C1E9D2A schedule:0a1b-')).toEqual({
      type: 'and',
      terms: [
        { type: 'match', field: 'replay_of', values: ['6c1e9d2a'] },
        { type: 'match', field: 'schedule', values: ['0a1b-'] },
      ],
    });
    expect(errorOf('schedule:nightly')).toBe('column 10: expected the start of a schedule ID (hex digits and -)');
    expect(errorOf('replay_of:x')).toBe('column 11: expected the start of a job ID (hex digits and -)');
  });

  it('binds OR tighter than the space and chains it', () => {
    expect(parseJobQuery('status:FAILED OR status:RETRYING OR id:ab kind:B')).toEqual({
      type: 'and',
      terms: [
        {
          type: 'or',
          terms: [
            { type: 'match', field: 'status', values: ['FAILED'] },
            { type: 'match', field: 'status', values: ['RETRYING'] },
            { type: 'match', field: 'id', values: ['ab'] },
          ],
        },
        { type: 'match', field: 'kind', values: ['B'] },
      ],
    });
  });

  it('takes a lowercase "or" as a word', () => {
    expect(parseJobQuery('a or b')).toEqual({ type: 'and', terms: ['a', 'or', 'b'].map((text) => ({ type: 'word', text })) });
  });

  it('negates a term with a leading -, a word in the middle keeps its dash', () => {
    expect(parseJobQuery('-status:DONE -timeout re-try')).toEqual({
      type: 'and',
      terms: [
        { type: 'not', term: { type: 'match', field: 'status', values: ['DONE'] } },
        { type: 'not', term: { type: 'word', text: 'timeout' } },
        { type: 'word', text: 're-try' },
      ],
    });
  });

  it('keeps spaces, commas, colons and escaped quotes inside double quotes', () => {
    expect(parseJobQuery('status:"IN PROGRESS"')).toEqual({ type: 'match', field: 'status', values: ['IN PROGRESS'] });
    expect(parseJobQuery('"connection refused: a, b"')).toEqual({ type: 'word', text: 'connection refused: a, b' });
    expect(parseJobQuery('error:"say \\"hi\\""')).toEqual({ type: 'match', field: 'error', values: ['say "hi"'] });
  });

  it('reads a comma as any of, quoted items included', () => {
    expect(parseJobQuery('status:failed,RETRYING,"IN PROGRESS"')).toEqual({
      type: 'match',
      field: 'status',
      values: ['FAILED', 'RETRYING', 'IN PROGRESS'],
    });
  });
});

describe('parseJobQuery: fields', () => {
  it('accepts every status of the shared list, in any case', () => {
    for (const status of JOB_STATUSES) {
      expect(parseJobQuery(`status:"${status.toLowerCase()}"`)).toEqual({ type: 'match', field: 'status', values: [status] });
    }
  });

  it('accepts any kind name and a letter', () => {
    expect(parseJobQuery('kind:my-kind2,A')).toEqual({ type: 'match', field: 'kind', values: ['my-kind2', 'A'] });
  });

  it('lowercases id and batch prefixes', () => {
    expect(parseJobQuery('id:3F2A-9 batch:AB')).toEqual({
      type: 'and',
      terms: [
        { type: 'match', field: 'id', values: ['3f2a-9'] },
        { type: 'match', field: 'batch', values: ['ab'] },
      ],
    });
  });

  it('reads payload paths, wildcards kept in the value', () => {
    expect(parseJobQuery('payload.email_address:*@example.com payload.a.b-c:1')).toEqual({
      type: 'and',
      terms: [
        { type: 'payload', path: ['email_address'], values: ['*@example.com'] },
        { type: 'payload', path: ['a', 'b-c'], values: ['1'] },
      ],
    });
  });

  it('reads a time with an operator as an instant, seconds optional, in UTC', () => {
    expect(parseJobQuery('created:>2026-12-04T02:00Z')).toEqual({
      type: 'time',
      field: 'created',
      ranges: [[{ op: '>', at: '2026-12-04T02:00:00.000Z' }]],
    });
    expect(parseJobQuery('updated:<=2026-12-04T03:30:15.5+01:00')).toEqual({
      type: 'time',
      field: 'updated',
      ranges: [[{ op: '<=', at: '2026-12-04T02:30:15.500Z' }]],
    });
  });

  it('reads a date as its whole UTC day', () => {
    const day = (q: string) => (parseJobQuery(q) as { ranges: unknown }).ranges;
    expect(day('finished:2026-12-04')).toEqual([[{ op: '>=', at: '2026-12-04T00:00:00.000Z' }, { op: '<', at: '2026-12-05T00:00:00.000Z' }]]);
    expect(day('created:>2026-12-04')).toEqual([[{ op: '>=', at: '2026-12-05T00:00:00.000Z' }]]);
    expect(day('created:>=2026-12-04')).toEqual([[{ op: '>=', at: '2026-12-04T00:00:00.000Z' }]]);
    expect(day('created:<2026-12-04')).toEqual([[{ op: '<', at: '2026-12-04T00:00:00.000Z' }]]);
    expect(day('created:<=2026-12-31')).toEqual([[{ op: '<', at: '2027-01-01T00:00:00.000Z' }]]);
  });
});

describe('parseJobQuery: errors name the column and what was expected', () => {
  it.each([
    ['status:', 'column 8: expected a value after "status:"'],
    ['kind:log status: x', 'column 17: expected a value after "status:"'],
    ['status:FAILED,', 'column 15: expected a value after ","'],
    ['status:DONNE', 'column 8: expected a status (SCHEDULED, QUEUED, STARTED, "IN PROGRESS", DONE, RETRYING, FAILED, CANCELLED)'],
    ['kind:Log_1', 'column 6: expected a kind name (a-z, 0-9, -) or a letter'],
    ['id:xyz', 'column 4: expected the start of a job ID (hex digits and -)'],
    ['batch:g', 'column 7: expected the start of a batch ID (hex digits and -)'],
    ['colour:red', 'column 1: expected a field (kind, status, id, batch, error, replay_of, schedule, payload.<path>, created, updated, finished) before ":", or a quoted word'],
    ['payload.:x', 'column 9: expected a name after "payload."'],
    ['payload.a..b:x', 'column 11: expected a name after "payload.a."'],
    ['created:>yesterday', 'column 10: expected an RFC 3339 time (2026-12-04T02:00:00Z) or a date (2026-12-04) after ">"'],
    ['created:2026-02-30', 'column 9: expected an RFC 3339 time (2026-12-04T02:00:00Z) or a date (2026-12-04)'],
    ['created:2026-12-04T25:00Z', 'column 9: expected an RFC 3339 time (2026-12-04T02:00:00Z) or a date (2026-12-04)'],
    ['error:"unclosed', 'column 16: expected a closing quote for the one at column 7'],
    ['error:""', 'column 7: expected text between the quotes'],
    ['"a"b', 'column 4: expected a space after the closing quote'],
    ['ab"c', 'column 3: expected a space before a quote (or quote the whole value)'],
    ['OR kind:log', 'column 1: expected a term before "OR"'],
    ['kind:log OR', 'column 10: expected a term after "OR"'],
    ['kind:log OR OR x', 'column 13: expected a term before "OR"'],
    ['- kind:log', 'column 2: expected a term after "-"'],
  ])('%s', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});
