import { JOB_STATUSES, type JobStatus } from './statuses';

/**
 * The job search language (`GET /api/v1/jobs?q=…`): terms separated by spaces all hold (AND),
 * `OR` between two terms, `-` before a term negates it, a term is `field:value` or a free word,
 * double quotes keep spaces in a value, a comma in a value means any of its items. OR binds
 * tighter than the space: `status:FAILED OR status:RETRYING kind:callback` is
 * `(FAILED or RETRYING) and callback`. Shared so the console can check a query as it is typed.
 */

/** A field compared with `=` on one of its values (any of them). */
export type MatchField = 'kind' | 'status' | 'id' | 'batch' | 'error' | 'replay_of' | 'schedule';
export type TimeField = 'created' | 'updated' | 'finished';
export type TimeOperator = '>' | '>=' | '<' | '<=';

/** One side of a time range; an item's bounds all hold. */
export interface TimeBound {
  op: TimeOperator;
  /** RFC 3339 UTC with milliseconds. */
  at: string;
}

export type JobQuery =
  | { type: 'all' }
  | { type: 'and'; terms: JobQuery[] }
  | { type: 'or'; terms: JobQuery[] }
  | { type: 'not'; term: JobQuery }
  /** A case-insensitive substring of the payload, result or error text. */
  | { type: 'word'; text: string }
  | { type: 'match'; field: MatchField; values: string[] }
  /** `values` may hold `*` wildcards; a value without one is compared for equality. */
  | { type: 'payload'; path: string[]; values: string[] }
  /** Any of `ranges`; each range is its bounds AND-ed. */
  | { type: 'time'; field: TimeField; ranges: TimeBound[][] };

export const QUERY_FIELDS = ['kind', 'status', 'id', 'batch', 'error', 'replay_of', 'schedule', 'payload.<path>', 'created', 'updated', 'finished'] as const;

const MATCH_FIELDS: readonly string[] = ['kind', 'status', 'id', 'batch', 'error', 'replay_of', 'schedule'];
const TIME_FIELDS: readonly string[] = ['created', 'updated', 'finished'];

/** A query that does not parse: where (1-based column) and what was expected there. */
export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
  constructor(
    readonly column: number,
    readonly expected: string,
  ) {
    super(`column ${column}: ${expected}`);
  }
}

/** Parses a query; an empty one matches every job. Throws QuerySyntaxError. */
export function parseJobQuery(text: string): JobQuery {
  // PostgreSQL refuses a NUL in any text it is given: named here, it is a 400, not a 500.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new QuerySyntaxError(nul + 1, 'expected any character but NUL (\\u0000)');
  return new Parser(text).query();
}

/** One item of a value: its text and the column it starts at (for errors). */
interface ValueItem {
  text: string;
  column: number;
}

const SPACE = /\s/;
const FIELD_NAME = /^[a-z][a-z_]*(\.[A-Za-z0-9_-]*)*$/;

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  query(): JobQuery {
    this.skipSpaces();
    if (this.done()) return { type: 'all' };
    const terms: JobQuery[] = [];
    while (!this.done()) {
      terms.push(this.orTerm());
      this.skipSpaces();
    }
    return terms.length === 1 ? terms[0]! : { type: 'and', terms };
  }

  private orTerm(): JobQuery {
    const terms = [this.unary()];
    while (this.orAhead()) {
      const orColumn = this.column();
      this.at += 2;
      this.skipSpaces();
      if (this.done()) throw new QuerySyntaxError(orColumn, 'expected a term after "OR"');
      terms.push(this.unary());
    }
    return terms.length === 1 ? terms[0]! : { type: 'or', terms };
  }

  /** ` OR ` ahead (spaces on both sides): consumes the spaces before it. */
  private orAhead(): boolean {
    const rest = this.text.slice(this.at);
    const match = /^\s+OR(\s|$)/.exec(rest);
    if (!match) return false;
    this.at += match[0].length - match[1]!.length - 2;
    return true;
  }

  private unary(): JobQuery {
    const column = this.column();
    if (this.peek() !== '-') return this.term();
    this.at++;
    if (this.done() || SPACE.test(this.peek())) throw new QuerySyntaxError(column + 1, 'expected a term after "-"');
    return { type: 'not', term: this.term() };
  }

  private term(): JobQuery {
    if (this.text.startsWith('OR', this.at) && /^OR(\s|$)/.test(this.text.slice(this.at))) {
      throw new QuerySyntaxError(this.column(), 'expected a term before "OR"');
    }
    if (this.peek() === '"') return { type: 'word', text: this.quoted() };
    const field = /^([^\s:"]+):/.exec(this.text.slice(this.at));
    if (!field) return { type: 'word', text: this.bare(false) };
    return this.fieldTerm(field[1]!);
  }

  private fieldTerm(name: string): JobQuery {
    const column = this.column();
    if (!FIELD_NAME.test(name) || !(MATCH_FIELDS.includes(name) || TIME_FIELDS.includes(name) || name.startsWith('payload.'))) {
      throw new QuerySyntaxError(column, `expected a field (${QUERY_FIELDS.join(', ')}) before ":", or a quoted word`);
    }
    this.at += name.length + 1;
    if (name.startsWith('payload.')) return this.payloadTerm(name, column);
    const items = this.items(`${name}:`);
    if (TIME_FIELDS.includes(name)) return { type: 'time', field: name as TimeField, ranges: items.map(timeRange) };
    const values = items.map((item) => matchValue(name as MatchField, item));
    return { type: 'match', field: name as MatchField, values };
  }

  private payloadTerm(name: string, column: number): JobQuery {
    const path = name.slice('payload.'.length).split('.');
    const empty = path.findIndex((segment) => segment === '');
    if (empty >= 0) {
      const before = ['payload', ...path.slice(0, empty)].join('.');
      throw new QuerySyntaxError(column + before.length + 1, `expected a name after "${before}."`);
    }
    return { type: 'payload', path, values: this.items(`${name}:`).map((item) => item.text) };
  }

  /** A value: items separated by commas, each bare or quoted. */
  private items(after: string): ValueItem[] {
    const items: ValueItem[] = [];
    let expecting = after;
    for (;;) {
      if (this.done() || SPACE.test(this.peek()) || this.peek() === ',') {
        throw new QuerySyntaxError(this.column(), `expected a value after "${expecting}"`);
      }
      const column = this.column();
      items.push({ text: this.peek() === '"' ? this.quoted() : this.bare(true), column });
      if (this.peek() !== ',') return items;
      this.at++;
      expecting = ',';
    }
  }

  /** A double-quoted string; `\"` and `\\` stand for `"` and `\`. */
  private quoted(): string {
    const column = this.column();
    this.at++;
    let text = '';
    while (!this.done() && this.peek() !== '"') {
      if (this.peek() === '\\' && this.at + 1 < this.text.length) this.at++;
      text += this.peek();
      this.at++;
    }
    if (this.done()) throw new QuerySyntaxError(this.column(), `expected a closing quote for the one at column ${column}`);
    this.at++;
    if (text === '') throw new QuerySyntaxError(column, 'expected text between the quotes');
    this.expectEnd();
    return text;
  }

  /** Unquoted text up to a space (or a comma, inside a value). */
  private bare(inValue: boolean): string {
    const start = this.at;
    while (!this.done() && !SPACE.test(this.peek()) && !(inValue && this.peek() === ',')) {
      if (this.peek() === '"') throw new QuerySyntaxError(this.column(), 'expected a space before a quote (or quote the whole value)');
      this.at++;
    }
    return this.text.slice(start, this.at);
  }

  /** After a quoted string: a space, a comma or the end. */
  private expectEnd(): void {
    if (!this.done() && !SPACE.test(this.peek()) && this.peek() !== ',') {
      throw new QuerySyntaxError(this.column(), 'expected a space after the closing quote');
    }
  }

  private skipSpaces(): void {
    while (!this.done() && SPACE.test(this.peek())) this.at++;
  }

  private peek(): string {
    return this.text[this.at] ?? '';
  }

  private done(): boolean {
    return this.at >= this.text.length;
  }

  private column(): number {
    return this.at + 1;
  }
}

const ID_NOUN = { id: 'a job ID', batch: 'a batch ID', replay_of: 'a job ID', schedule: 'a schedule ID' } as const;
const KIND_VALUE = /^[a-z0-9-]+$|^[A-Za-z]$/;
const ID_PREFIX = /^[0-9a-fA-F-]{1,36}$/;

function matchValue(field: MatchField, item: ValueItem): string {
  switch (field) {
    case 'status':
      return statusOf(item);
    case 'kind':
      if (!KIND_VALUE.test(item.text)) throw new QuerySyntaxError(item.column, 'expected a kind name (a-z, 0-9, -) or a letter');
      return item.text;
    case 'id':
    case 'batch':
    case 'replay_of':
    case 'schedule':
      if (!ID_PREFIX.test(item.text)) throw new QuerySyntaxError(item.column, `expected the start of ${ID_NOUN[field]} (hex digits and -)`);
      return item.text.toLowerCase();
    case 'error':
      return item.text;
  }
}

function statusOf(item: ValueItem): JobStatus {
  const status = JOB_STATUSES.find((s) => s === item.text.toUpperCase());
  if (!status) throw new QuerySyntaxError(item.column, `expected a status (${JOB_STATUSES.map((s) => (s.includes(' ') ? `"${s}"` : s)).join(', ')})`);
  return status;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** A time value (`>=2026-12-04`, `<2026-12-04T02:00Z`, …) as bounds; `column` is where its text starts (for errors). */
export function timeBoundsOf(text: string, column: number): TimeBound[] {
  return timeRange({ text, column });
}

/**
 * A time value as bounds. A date stands for its whole UTC day: `>2026-12-04` is from the next
 * day on, `<=2026-12-04` up to its end, a bare date is that day. A time is an instant.
 */
function timeRange(item: ValueItem): TimeBound[] {
  const op = /^(>=|<=|>|<)?/.exec(item.text)![0] as TimeOperator | '';
  const value = item.text.slice(op.length);
  const column = item.column + op.length;
  const expected = `expected an RFC 3339 time (2026-12-04T02:00:00Z) or a date (2026-12-04)${op ? ` after "${op}"` : ''}`;
  if (DATE.test(value)) {
    if (!isCalendarDate(value)) throw new QuerySyntaxError(column, expected);
    return dayBounds(op, Date.parse(`${value}T00:00:00Z`));
  }
  const at = TIME.test(value) && isCalendarDate(value.slice(0, 10)) ? Date.parse(withSeconds(value)) : NaN;
  if (Number.isNaN(at)) throw new QuerySyntaxError(column, expected);
  const iso = new Date(at).toISOString();
  return op ? [{ op, at: iso }] : [{ op: '>=', at: iso }, { op: '<=', at: iso }];
}

/** Date.parse takes 2026-02-30 for March 2nd: the day must exist. */
function isCalendarDate(date: string): boolean {
  const start = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(start) && new Date(start).toISOString().slice(0, 10) === date;
}

function dayBounds(op: TimeOperator | '', start: number): TimeBound[] {
  const from = new Date(start).toISOString();
  const to = new Date(start + DAY_MS).toISOString();
  switch (op) {
    case '>':
      return [{ op: '>=', at: to }];
    case '>=':
      return [{ op: '>=', at: from }];
    case '<':
      return [{ op: '<', at: from }];
    case '<=':
      return [{ op: '<', at: to }];
    case '':
      return [{ op: '>=', at: from }, { op: '<', at: to }];
  }
}

/** `2026-12-04T02:00Z` (RFC 3339 wants seconds; people leave them out) as Date.parse reads it. */
function withSeconds(value: string): string {
  const normal = value.replace(' ', 'T').toUpperCase();
  return /T\d{2}:\d{2}([Z+-])/.test(normal) ? normal.replace(/(T\d{2}:\d{2})/, '$1:00') : normal;
}
