import type { Role } from './actor';

/** What a request needs: no token at all, or a token of at least this role. */
export type Requirement = 'open' | Role;

/** The book's GET routes that create a job: they change things, so they need `write`. */
const CHANGING_GETS = new Set(['/job/database', '/job/callback', '/job/mail']);
/** GET routes that show secrets of access itself: the token list. */
const WRITE_ONLY_READS = /^\/api\/v1\/tokens(\/|$)/;
/** The webhook inbox: the callback target workers POST to (with the console's `workers` token), bounded by its quotas. */
const INBOX_POST = /^\/api\/v1\/inbox\/./;

const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD';

/** Whether a request changes things: every verb but GET and HEAD, and the book's job-creating GETs. */
export function isChanging(method: string, path: string): boolean {
  return !isRead(method) || CHANGING_GETS.has(path);
}

/** The webhook inbox's POST: the workers' callbacks, which land whatever the token or the mode. */
export function isInboxPost(method: string, path: string): boolean {
  return method === 'POST' && INBOX_POST.test(path);
}

/**
 * The role a request needs once the API needs tokens. `read` may use every GET and HEAD route,
 * SSE and WebSocket, and `POST /api/v1/inbox/*` (the workers' callbacks); `write` everything.
 * The book's job-creating GETs and the token list need `write`. What stays open (the page's
 * static files, a path no route has) the hook decides by the route a request matched.
 */
export function requirementOf(method: string, path: string): Requirement {
  if (isInboxPost(method, path)) return 'read';
  return isChanging(method, path) || WRITE_ONLY_READS.test(path) ? 'write' : 'read';
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
