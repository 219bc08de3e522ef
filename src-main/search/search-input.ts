import { parseJobQuery, QuerySyntaxError, type JobQuery } from '../../src-shared/job-query';
import { ValidationError } from '../../src-shared/problem';

/** The `q` of a request parsed; a query that does not parse is a 400 naming `q`, the column and what was expected. */
export function searchOf(q: string | undefined): JobQuery | undefined {
  if (q === undefined) return undefined;
  try {
    return parseJobQuery(q);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    throw new ValidationError([{ field: 'q', rule: 'syntax', message: `q: ${error.message}` }]);
  }
}
