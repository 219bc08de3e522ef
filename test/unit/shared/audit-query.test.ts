import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from '../../../src-shared/audit-query';
import { QuerySyntaxError } from '../../../src-shared/job-query';

function syntaxError(text: string): QuerySyntaxError {
  try {
    parseAuditQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

describe('the audit search language', () => {
  it('parses fields, any-of values, quoted values, times and free words', () => {
    expect(parseAuditQuery('')).toEqual([]);
    expect(parseAuditQuery('actor:local,window verb:jobs target:ab12 result:refused,error "two words" purge')).toEqual([
      { type: 'actor', values: ['local', 'window'] },
      { type: 'verb', values: ['jobs'] },
      { type: 'target', values: ['ab12'] },
      { type: 'result', values: ['refused', 'error'] },
      { type: 'word', text: 'two words' },
      { type: 'word', text: 'purge' },
    ]);
    expect(parseAuditQuery('actor:"ci bot"')).toEqual([{ type: 'actor', values: ['ci bot'] }]);
    expect(parseAuditQuery('after:2026-12-07 before:2026-12-07T10:00:00Z')).toEqual([
      { type: 'time', bounds: [{ op: '>=', at: '2026-12-07T00:00:00.000Z' }] },
      { type: 'time', bounds: [{ op: '<', at: '2026-12-07T10:00:00.000Z' }] },
    ]);
  });

  it('names the column and what was expected', () => {
    expect(syntaxError('verb:x status:DONE')).toMatchObject({ column: 8, expected: expect.stringContaining('expected a field (actor, verb, target, result, after, before)') });
    expect(syntaxError('result:maybe')).toMatchObject({ column: 8, expected: 'expected a result (ok, refused, error)' });
    expect(syntaxError('after:yesterday')).toMatchObject({ column: 7, expected: expect.stringContaining('expected an RFC 3339 time') });
    expect(syntaxError('actor: x')).toMatchObject({ column: 7, expected: 'expected a value after "actor:"' });
    expect(syntaxError('actor:a, x')).toMatchObject({ expected: 'expected a value after "actor:" or ","' });
    expect(syntaxError('"open')).toMatchObject({ column: 1, expected: 'expected a closing quote' });
  });
});
