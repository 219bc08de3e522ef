import { redactText } from '../../src-shared/redact';

/** Keys whose values are never kept: signing secrets, passwords, tokens, credentials. */
const SECRET_KEY = /secret|password|passwd|passphrase|token|authorization|api[_-]?key|credential/i;
/** A secret in a URL's query (`?token=…`), besides a URL's password (redactText). */
const SECRET_QUERY = /([?&][^=&\s]*(?:secret|password|token|api[_-]?key)[^=&\s]*=)[^&\s#]*/gi;
const MASK = '***';

const MAX_STRING_CHARS = 500;
const MAX_ARRAY_ITEMS = 20;
const MAX_KEYS = 50;
const MAX_DEPTH = 6;
/** A row's parameters at most: past it, only their size is kept. */
export const MAX_PARAMS_BYTES = 8 * 1024;

/** What PostgreSQL refuses in text and jsonb: NUL, and a UTF-16 surrogate without its pair. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/**
 * `text` as PostgreSQL stores it: NUL and lone surrogates replaced by U+FFFD, and at most
 * `maxChars` (cut before the replacement, so a cut pair is replaced too).
 */
export function storableText(text: string, maxChars = Infinity): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return cut.replace(UNSTORABLE, REPLACEMENT);
}

/**
 * A request's body (or a book route's query) as the audit trail keeps it: secrets replaced by
 * `***` wherever they sit, every string and key storable ({@link storableText}), long strings,
 * arrays and objects cut (saying how much was left out), and the whole at most
 * {@link MAX_PARAMS_BYTES}; null when there is none.
 */
export function auditParamsOf(input: unknown): unknown {
  if (input === undefined || input === null || (typeof input === 'object' && Object.keys(input).length === 0)) return null;
  const kept = keep(input, 0);
  const bytes = Buffer.byteLength(JSON.stringify(kept));
  return bytes <= MAX_PARAMS_BYTES ? kept : { truncated: true, bytes };
}

function keep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return keepString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY_ITEMS).map((item) => keep(item, depth + 1));
    return value.length > MAX_ARRAY_ITEMS ? [...items, `… ${value.length - MAX_ARRAY_ITEMS} more`] : items;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, MAX_KEYS).map(([key, item]) => [storableText(key), SECRET_KEY.test(key) ? MASK : keep(item, depth + 1)]);
  if (entries.length > MAX_KEYS) kept.push(['…', `${entries.length - MAX_KEYS} more keys`]);
  return Object.fromEntries(kept);
}

function keepString(text: string): string {
  const redacted = redactText(text).replace(SECRET_QUERY, `$1${MASK}`);
  return storableText(redacted.length > MAX_STRING_CHARS ? `${redacted.slice(0, MAX_STRING_CHARS)}… (${redacted.length} characters)` : redacted);
}
