import type { Role } from './actor';

/** What a request needs: no token at all, or a token of at least this role. */
export type Requirement = 'open' | Role;

/** The book's GET routes that create a job: they change things, so they need `write`. */
const CHANGING_GETS = new Set(['/job/database', '/job/callback', '/job/mail']);
/** GET routes that show secrets of access itself: the token list. */
const WRITE_ONLY_READS = /^\/api\/v1\/tokens(\/|$)/;
/** The webhook inbox: the callback target workers POST to, bounded by its quotas; it only records. */
const INBOX_POST = /^\/api\/v1\/inbox\/./;

const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD';

/**
 * The role a request needs once the API needs tokens. `read` may use every GET and HEAD route,
 * SSE and WebSocket; `write` everything. Open: the page's static files (so the page can load and
 * ask for a token) and `POST /api/v1/inbox/*`. The book's job-creating GETs and the token list
 * need `write`.
 */
export function requirementOf(method: string, path: string): Requirement {
  if (method === 'POST' && INBOX_POST.test(path)) return 'open';
  if (!isRead(method)) return 'write';
  return CHANGING_GETS.has(path) || WRITE_ONLY_READS.test(path) ? 'write' : 'read';
}

/** SSE streams, the WebSocket and the export download: what a browser opens without headers of its own. */
const QUERY_TOKEN_PATHS = /^\/api\/v1\/(ws|events|jobs\/export|alerts\/stream|operations\/[^/]+\/events)$/;

/** Whether a request may carry its token as `?access_token=` (an EventSource, WebSocket or link cannot set a header). */
export function acceptsQueryToken(method: string, path: string): boolean {
  return isRead(method) && QUERY_TOKEN_PATHS.test(path);
}

/** Whether `role` may do what `requirement` asks. */
export function allows(role: Role, requirement: Requirement): boolean {
  return requirement === 'open' || requirement === 'read' || role === 'write';
}
