import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-schemas';
import { QuerySyntaxError, timeBoundsOf, type TimeBound } from './job-query';

/**
 * The audit search language (`GET /api/v1/audit?q=…`): terms separated by spaces all hold;
 * `actor:<name>`, `verb:<verb or prefix>` (`verb:jobs` is every `jobs.…` verb), `target:<ID or
 * its start>`, `result:ok|refused|error`, `after:<time>` and `before:<time>` (RFC 3339 or a UTC
 * date), and free words (a substring of the verb, target, route, parameters or problem). A comma
 * in a value means any of its items; double quotes keep spaces. Shared so the view can check it.
 */
export type AuditTerm =
  | { type: 'actor' | 'verb' | 'target'; values: string[] }
  | { type: 'result'; values: AuditOutcome[] }
  | { type: 'time'; bounds: TimeBound[] }
  | { type: 'word'; text: string };

export const AUDIT_QUERY_FIELDS = ['actor', 'verb', 'target', 'result', 'after', 'before'] as const;

const TOKEN = /"((?:[^"\\]|\\.)*)"|([^\s"]+)/y;
const FIELD = /^([a-z_]+):(.*)$/s;

/** Parses a search into terms, all of which must hold; empty matches every row. Throws QuerySyntaxError. */
export function parseAuditQuery(text: string): AuditTerm[] {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new QuerySyntaxError(nul + 1, 'expected any character but NUL (\\u0000)');
  const terms: AuditTerm[] = [];
  for (let at = skipSpaces(text, 0); at < text.length; at = skipSpaces(text, at)) {
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new QuerySyntaxError(at + 1, 'expected a closing quote');
    terms.push(match[1] !== undefined ? wordOf(unquote(match[1]), at) : termOf(match[2]!, at + 1, text, TOKEN));
    at = TOKEN.lastIndex;
  }
  return terms;
}

function skipSpaces(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

const unquote = (quoted: string): string => quoted.replace(/\\(.)/g, '$1');

function wordOf(text: string, at: number): AuditTerm {
  if (text === '') throw new QuerySyntaxError(at + 1, 'expected text between the quotes');
  return { type: 'word', text };
}

/** A bare token: `field:value` (the value may be quoted right after the colon) or a free word. */
function termOf(token: string, column: number, text: string, cursor: RegExp): AuditTerm {
  const field = FIELD.exec(token);
  if (!field) return { type: 'word', text: token };
  const [, name, rest] = field as unknown as [string, string, string];
  if (!(AUDIT_QUERY_FIELDS as readonly string[]).includes(name)) {
    throw new QuerySyntaxError(column, `expected a field (${AUDIT_QUERY_FIELDS.join(', ')}) before ":", or a quoted word`);
  }
  const valueColumn = column + name.length + 1;
  const value = rest === '' ? quotedValueAfter(text, valueColumn - 1, cursor, name) : rest;
  return fieldTerm(name as (typeof AUDIT_QUERY_FIELDS)[number], value, valueColumn);
}

/** `actor:"a name"`: the quoted value that follows the colon. */
function quotedValueAfter(text: string, at: number, cursor: RegExp, name: string): string {
  const quoted = /"((?:[^"\\]|\\.)*)"/y;
  quoted.lastIndex = at;
  const match = quoted.exec(text);
  if (!match || match[1] === '') throw new QuerySyntaxError(at + 1, `expected a value after "${name}:"`);
  cursor.lastIndex = quoted.lastIndex;
  return unquote(match[1]!);
}

function fieldTerm(name: (typeof AUDIT_QUERY_FIELDS)[number], value: string, column: number): AuditTerm {
  if (name === 'after') return { type: 'time', bounds: timeBoundsOf(`>=${value}`, column - 2) };
  if (name === 'before') return { type: 'time', bounds: timeBoundsOf(`<${value}`, column - 1) };
  const values = value.split(',');
  const empty = values.findIndex((item) => item === '');
  if (empty >= 0) throw new QuerySyntaxError(column + values.slice(0, empty).join(',').length, `expected a value after "${name}:" or ","`);
  if (name !== 'result') return { type: name, values };
  const unknown = values.find((item) => !(AUDIT_OUTCOMES as readonly string[]).includes(item));
  if (unknown !== undefined) throw new QuerySyntaxError(column, `expected a result (${AUDIT_OUTCOMES.join(', ')})`);
  return { type: 'result', values: values as AuditOutcome[] };
}
