/**
 * One request the operator tries from the API page, sent with fetch to the console's own origin
 * (the page's: the Content-Security-Policy allows no other), and its answer as the page shows it.
 */
import type { ApiEntry, ApiParameter } from '../../store/api-doc-slice';

/** Methods that change nothing: the page sends them on Enter; others only on a click of Send. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);
/** Longest wait for an answer and its body. */
export const TRY_TIMEOUT_MS = 15_000;
/** Longest body text shown; the rest is cut with a note. */
const MAX_BODY_CHARS = 200_000;
/** The answer headers an operator acts on. */
const SHOWN_HEADERS = ['content-type', 'content-length', 'location', 'retry-after', 'allow', 'idempotent-replayed', 'cache-control', 'etag'];

/** The value typed for each parameter, keyed by `parameterKey`. */
export type ParameterValues = Readonly<Record<string, string>>;

export const parameterKey = (parameter: ApiParameter): string => `${parameter.in}:${parameter.name}`;

export interface TryAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** The required parameters still empty, named as the form labels them. */
export function missingParameters(entry: ApiEntry, values: ParameterValues): string[] {
  return entry.parameters.filter((p) => p.required && !values[parameterKey(p)]?.trim()).map((p) => `${p.name} (${p.in})`);
}

/** `/api/v1/jobs/{id}` with the typed values in its path and query; a `{path}` wildcard keeps its slashes. */
export function requestPath(entry: ApiEntry, values: ParameterValues): string {
  const path = entry.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    (values[`path:${name}`] ?? '').split('/').map(encodeURIComponent).join('/'),
  );
  const query = new URLSearchParams();
  for (const p of entry.parameters) {
    const value = values[parameterKey(p)]?.trim();
    if (p.in === 'query' && value) query.set(p.name, value);
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

function prettyBody(text: string, contentType: string): string {
  const cut = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}\n… (${text.length - MAX_BODY_CHARS} more characters)` : text;
  if (!/json/.test(contentType) || cut !== text) return cut;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Sends the request; a body is sent as JSON when one is typed (a method that takes none ignores it). */
export async function sendTry(entry: ApiEntry, values: ParameterValues, body: string, fetcher: typeof fetch = fetch): Promise<TryAnswer> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*' };
  for (const p of entry.parameters) {
    const value = values[parameterKey(p)]?.trim();
    if (p.in === 'header' && value) headers[p.name] = value;
  }
  const withBody = !SAFE_METHODS.has(entry.method) && body.trim() !== '';
  if (withBody) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetcher(requestPath(entry, values), {
    method: entry.method,
    headers,
    ...(withBody ? { body } : {}),
    signal: AbortSignal.timeout(TRY_TIMEOUT_MS),
  });
  const text = await response.text();
  const shown = Object.fromEntries(SHOWN_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name) ?? '']] : [])));
  return {
    status: response.status,
    statusText: response.statusText,
    headers: shown,
    body: prettyBody(text, response.headers.get('content-type') ?? ''),
    ms: Math.round(performance.now() - started),
  };
}
