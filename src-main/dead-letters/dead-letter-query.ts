import { DEAD_LETTER_QUERY_FIELDS } from '../../src-shared/dead-letter-schemas';
import type { JobQuery } from '../../src-shared/job-query';
import { ValidationError } from '../../src-shared/problem';
import { jobQuerySql, type QueryColumns } from '../search/job-query-sql';
import { searchOf } from '../search/search-input';

/** The dead letters' table as the jobs search's compiler sees it (see {@link DEAD_LETTER_QUERY_FIELDS}). */
const DEAD_LETTER_COLUMNS: QueryColumns = {
  id: 'job_id',
  words: ['error', 'payload::text', "encode(body, 'escape')"],
  time: { created: 'created_at', updated: 'dead_at', finished: 'dead_at' },
  finishedIsTerminal: false,
};

/** The fields of the jobs search a dead letter has not (a job's status, batch and origin). */
const REFUSED_FIELDS = new Set(['status', 'batch', 'replay_of', 'schedule']);

/**
 * A dead-letter search as a request gives it, parsed and checked; a query that does not parse,
 * or names a field dead letters have not, is a 400 naming `field` (`q`, or `query` in a body).
 */
export function deadLetterSearchOf(text: string | undefined, field = 'q'): JobQuery | undefined {
  const query = searchOf(text, field);
  if (!query) return undefined;
  const refused = fieldsOf(query).find((name) => REFUSED_FIELDS.has(name));
  if (refused) {
    const message = `${field}: ${refused}: is not a field of dead letters (they take ${DEAD_LETTER_QUERY_FIELDS.join(', ')} and free words)`;
    throw new ValidationError([{ field, rule: 'field', message }]);
  }
  return query;
}

function fieldsOf(query: JobQuery): string[] {
  switch (query.type) {
    case 'and':
    case 'or':
      return query.terms.flatMap(fieldsOf);
    case 'not':
      return fieldsOf(query.term);
    case 'match':
    case 'time':
      return [query.field];
    default:
      return [];
  }
}

/** The WHERE condition of a checked search over the dead letters' table (no alias). */
export function deadLetterQuerySql(query: JobQuery, schema: string, params: unknown[]): string {
  return query.type === 'all' ? 'TRUE' : jobQuerySql(query, { schema, params, columns: DEAD_LETTER_COLUMNS });
}
