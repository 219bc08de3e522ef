import type { JobQuery, MatchField, TimeBound, TimeField } from '../../src-shared/job-query';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';

/** A built-in kind's letter (`B`, `b`) reads as its name; any other value is a kind's name as it is. */
const BUILTIN_KINDS = builtinKindRegistry();

/**
 * Compiles a parsed query into a WHERE condition over the history's jobs table (no alias, so
 * the condition names the columns the indexes of migrations.ts are built on). Every value goes in
 * `params` as a placeholder; only column names and operators are SQL text.
 */
export interface QuerySqlContext {
  /** The namespace's schema, quoted by the caller's convention (`"<schema>"`). */
  schema: string;
  /** Placeholders so far; the compiler appends to it. */
  params: unknown[];
  /** The table's columns, when not the history's jobs (the dead letters' table reuses the language). */
  columns?: QueryColumns;
}

/** Where a query's fields live in the table it is compiled for. */
export interface QueryColumns {
  /** The column `id:` prefixes match. */
  id: string;
  /** Texts a free word is looked for in (case-insensitive substrings). */
  words: readonly string[];
  time: Readonly<Record<TimeField, string>>;
  /** Whether `finished:` also asks for a terminal status (a table with a status column). */
  finishedIsTerminal: boolean;
}

/** The history's jobs table. */
const JOB_COLUMNS: QueryColumns = {
  id: 'id',
  words: ['payload::text', 'result::text', 'error'],
  // A terminal job is not touched again until an operator retries it: its last update is its end.
  time: { created: 'created_at', updated: 'updated_at', finished: 'updated_at' },
  finishedIsTerminal: true,
};

export function jobQuerySql(query: JobQuery, context: QuerySqlContext): string {
  const param = (value: unknown): string => `$${context.params.push(value)}`;
  return new Compiler(context.schema, param, context.columns ?? JOB_COLUMNS).node(query);
}

class Compiler {
  constructor(
    private readonly schema: string,
    private readonly param: (value: unknown) => string,
    private readonly columns: QueryColumns,
  ) {}

  node(query: JobQuery): string {
    switch (query.type) {
      case 'all':
        return 'TRUE';
      case 'and':
        return `(${query.terms.map((term) => this.node(term)).join(' AND ')})`;
      case 'or':
        return `(${query.terms.map((term) => this.node(term)).join(' OR ')})`;
      case 'not':
        // IS NOT TRUE: a NULL column (no error, no result) does not match, so its negation must.
        return `((${this.node(query.term)}) IS NOT TRUE)`;
      case 'word': {
        const pattern = this.param(`%${likeEscape(query.text)}%`);
        return `(${this.columns.words.map((column) => `${column} ILIKE ${pattern}`).join(' OR ')})`;
      }
      case 'match':
        return this.match(query.field, query.values);
      case 'payload':
        return anyOf(query.values.map((value) => this.payload(query.path, value)));
      case 'time':
        return this.time(query.field, query.ranges);
    }
  }

  private match(field: MatchField, values: string[]): string {
    switch (field) {
      case 'kind':
        return `kind = ANY (${this.param(values.map(storedKind))}::text[])`;
      case 'status':
        return `status = ANY (${this.param(values)}::text[])`;
      case 'id':
        return anyOf(values.map((prefix) => this.uuidPrefix(this.columns.id, prefix)));
      case 'batch': {
        const batches = anyOf(values.map((prefix) => this.uuidPrefix('b.id', prefix)));
        return `id IN (SELECT unnest(b.job_ids) FROM "${this.schema}".batches b WHERE ${batches})`;
      }
      case 'error':
        return anyOf(values.map((text) => `error ILIKE ${this.param(`%${likeEscape(text)}%`)}`));
      case 'replay_of':
        return anyOf(values.map((prefix) => this.uuidPrefix('replay_of', prefix)));
      case 'schedule':
        return anyOf(values.map((prefix) => this.uuidPrefix('schedule_id', prefix)));
    }
  }

  /** A UUID prefix as a range of the uuid column, which its btree index answers. */
  private uuidPrefix(column: string, prefix: string): string {
    const hex = prefix.replaceAll('-', '').slice(0, 32);
    return `${column} BETWEEN ${this.param(asUuid(hex.padEnd(32, '0')))}::uuid AND ${this.param(asUuid(hex.padEnd(32, 'f')))}::uuid`;
  }

  /**
   * Without `*`: JSON containment (`@>`, the jsonb_path_ops index), the value as a string or as
   * the number/boolean it spells. With `*`: a case-insensitive match of the string at the path,
   * and the pattern's longer literal pieces as substrings of the payload text, which the trigram
   * index answers before the path is looked at. The match is a jsonpath function call rather
   * than `#>> … ILIKE`: the planner takes a call to match a third of the rows, not 0.5 %, so a
   * broad pattern walks the newest-first index for a page instead of sorting every candidate.
   */
  private payload(path: string[], value: string): string {
    if (!value.includes('*')) {
      const candidates = [value, ...jsonScalar(value)].map((scalar) => nested(path, scalar));
      return anyOf(candidates.map((doc) => `payload @> ${this.param(JSON.stringify(doc))}::jsonb`));
    }
    const pattern = `jsonb_path_exists(payload, ${this.param(wildcardPath(path, value))}::jsonpath)`;
    const pieces = value.split('*').filter((piece) => piece.length >= 3 && !/["\\\p{Cc}]/u.test(piece));
    return `(${[...pieces.map((piece) => `payload::text ILIKE ${this.param(`%${likeEscape(piece)}%`)}`), pattern].join(' AND ')})`;
  }

  private time(field: TimeField, ranges: TimeBound[][]): string {
    const column = this.columns.time[field];
    const condition = anyOf(ranges.map((bounds) => bounds.map((b) => `${column} ${b.op} ${this.param(b.at)}::timestamptz`).join(' AND ')));
    return field === 'finished' && this.columns.finishedIsTerminal ? `(status = ANY (${this.param([...TERMINAL_STATUSES])}::text[]) AND ${condition})` : condition;
  }
}

function anyOf(conditions: string[]): string {
  return conditions.length === 1 ? `(${conditions[0]!})` : `(${conditions.map((c) => `(${c})`).join(' OR ')})`;
}

/** LIKE's own characters taken literally (backslash is LIKE's default escape). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The kind as the history stores it: a letter stands for its kind; a name is itself. */
function storedKind(value: string): string {
  return BUILTIN_KINDS.resolve(value) ?? value;
}

/** `$."to" ? (@ like_regex "^.*@example\\.com$" flag "i")`: the wildcard as an anchored regular expression. */
function wildcardPath(path: string[], value: string): string {
  const regex = `^${value.split('*').map((piece) => piece.replace(/[.^$|?*+()[\]{}\\]/g, '\\$&')).join('.*')}$`;
  const keys = path.map((key) => `.${jsonPathString(key)}`).join('');
  return `$${keys} ? (@ like_regex ${jsonPathString(regex)} flag "i")`;
}

/** A jsonpath string literal (its escapes are JSON's). */
function jsonPathString(text: string): string {
  return JSON.stringify(text);
}

function asUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The number, boolean or null a value spells, if any. */
function jsonScalar(value: string): unknown[] {
  if (value === 'true' || value === 'false' || value === 'null') return [JSON.parse(value)];
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value)) ? [Number(value)] : [];
}

function nested(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}
