import type { Job } from './job';
import type { JobQuery, MatchField, TimeBound, TimeField } from './job-query';
import { builtinKindRegistry } from './builtin-kinds';
import { TERMINAL_STATUSES } from './statuses';

/** A built-in kind's letter (`B`, `b`) reads as its name; any other value is a kind's name as it is. */
const BUILTIN_KINDS = builtinKindRegistry();

/**
 * Whether a job the console holds matches a parsed query, as the server's SQL would decide it
 * (src-main/search/job-query-sql.ts), so live jobs and searched pages agree in the Jobs view.
 * Two differences: `batch:` is not known from a job alone and matches here (the server's page
 * narrows it), and a free word is matched against compact JSON (`{"a":1}`) where PostgreSQL's
 * text has spaces (`{"a": 1}`).
 */
export function matchesJobQuery(job: Job, query: JobQuery): boolean {
  switch (query.type) {
    case 'all':
      return true;
    case 'and':
      return query.terms.every((term) => matchesJobQuery(job, term));
    case 'or':
      return query.terms.some((term) => matchesJobQuery(job, term));
    case 'not':
      return !matchesJobQuery(job, query.term);
    case 'word':
      return containsFolded([JSON.stringify(job.payload), job.result ? JSON.stringify(job.result) : null, job.error], query.text);
    case 'match':
      return query.values.some((value) => matchesField(job, query.field, value));
    case 'payload': {
      const found = valueAt(job.payload, query.path);
      return query.values.some((value) => matchesPayloadValue(found, value));
    }
    case 'time':
      return query.ranges.some((bounds) => inRange(job, query.field, bounds));
  }
}

function containsFolded(texts: (string | null)[], needle: string): boolean {
  const folded = needle.toLowerCase();
  return texts.some((text) => text !== null && text.toLowerCase().includes(folded));
}

function matchesField(job: Job, field: MatchField, value: string): boolean {
  switch (field) {
    case 'kind':
      return job.kind === (BUILTIN_KINDS.resolve(value) ?? value);
    case 'status':
      return job.status === value;
    case 'id':
      return idStartsWith(job.id, value);
    case 'replay_of':
      return job.replay_of !== null && idStartsWith(job.replay_of, value);
    case 'schedule':
      return job.schedule_id !== null && idStartsWith(job.schedule_id, value);
    case 'batch':
      return true;
    case 'error':
      return containsFolded([job.error], value);
  }
}

function idStartsWith(id: string, prefix: string): boolean {
  return id.replaceAll('-', '').toLowerCase().startsWith(prefix.replaceAll('-', ''));
}

function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Equal as a string or as the number/boolean the value spells; with `*`, a case-insensitive pattern on a string. */
function matchesPayloadValue(found: unknown, value: string): boolean {
  if (value.includes('*')) {
    if (typeof found !== 'string') return false;
    const pattern = value.split('*').map((piece) => piece.replace(/[.^$|?*+()[\]{}\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`, 'is').test(found);
  }
  if (found === value) return true;
  if (typeof found === 'number') return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) && Number(value) === found;
  return (typeof found === 'boolean' || found === null) && String(found) === value;
}

const TIME_OF: Readonly<Record<TimeField, (job: Job) => string | null>> = {
  created: (job) => job.created_at,
  updated: (job) => job.updated_at,
  finished: (job) => (TERMINAL_STATUSES.has(job.status) ? job.updated_at : null),
};

function inRange(job: Job, field: TimeField, bounds: TimeBound[]): boolean {
  const at = TIME_OF[field](job);
  if (at === null) return false;
  const time = Date.parse(at);
  return bounds.every(({ op, at: bound }) => {
    const limit = Date.parse(bound);
    return op === '>' ? time > limit : op === '>=' ? time >= limit : op === '<' ? time < limit : time <= limit;
  });
}
