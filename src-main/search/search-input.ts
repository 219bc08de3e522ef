import { parseJobQuery, QuerySyntaxError, type JobQuery } from '../../src-shared/job-query';
import { ValidationError } from '../../src-shared/problem';

/**
 * A search as a request gives it, parsed; a query that does not parse is a 400 naming `field`
 * (`q` in a URL, `query` in a bulk operation's body), the column and what was expected.
 */
export function searchOf(q: string | undefined, field = 'q'): JobQuery | undefined {
  if (q === undefined) return undefined;
  try {
    return parseJobQuery(q);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    throw new ValidationError([{ field, rule: 'syntax', message: `${field}: ${error.message}` }]);
  }
}
