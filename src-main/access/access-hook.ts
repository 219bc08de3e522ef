import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../api/problems';
import { ANONYMOUS_ACTOR, type Actor } from './actor';
import { acceptsQueryToken, allows, isInboxPost, requirementOf, type Requirement } from './access-rule';
import { rememberToken } from './stream-access';

export interface AccessOptions {
  /** True when the API is bound beyond loopback: every API request then needs a token. */
  required: boolean;
  /** The actor a token stands for (a stored token or the window's launch token), or null. */
  identify(token: string): Actor | null;
}

/** `npm run tokens` command that makes a token, named wherever one is missing. */
export const CREATE_TOKEN_COMMAND = 'npm run tokens -- create <name> --role write';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A file of the page (marked by {@link markPageFiles}): open to all, so the page can load and ask for a token. */
    pageFile?: boolean;
  }
}

/** Marks every route registered in `scope` from now on as a file of the page (the @fastify/static routes). */
export function markPageFiles(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, pageFile: true };
  });
}

/** RFC 6750's error codes: a request malformed (`invalid_request`), or a token unknown or revoked (`invalid_token`). */
type BearerError = 'invalid_request' | 'invalid_token';

/** The token a request carries, `undefined` for none, or why it cannot be read. */
type Presented = { token: string | undefined } | { refusal: string; error: BearerError | null };

/** The bearer token of `Authorization`, or the `access_token` query parameter where a route takes it (removed from the query either way). */
function presentedToken(request: FastifyRequest, path: string): Presented {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  if (query && 'access_token' in query) delete query.access_token;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +([\x21-\x7e]+)$/i.exec(header.trim());
    if (match) return { token: match[1] };
    // Another scheme is no Bearer attempt at all (RFC 6750 3.1: no error code); a malformed Bearer is.
    const error = /^Bearer(\s|$)/i.test(header.trim()) ? 'invalid_request' : null;
    return { refusal: 'the Authorization header must be "Bearer <token>"', error };
  }
  if (fromQuery === undefined) return { token: undefined };
  if (!acceptsQueryToken(request.method, path)) {
    const refusal = 'access_token is taken only by the SSE streams, the WebSocket and the export download; send Authorization: Bearer <token>';
    return { refusal, error: 'invalid_request' };
  }
  return typeof fromQuery === 'string' && fromQuery !== '' ? { token: fromQuery } : { refusal: 'access_token must be one token', error: 'invalid_request' };
}

function decodedPath(request: FastifyRequest): string {
  const raw = request.url.split('?')[0]!;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The route a request matched, as registered (`/api/v1/jobs/:id`), and what it needs: the router
 * decodes the path (`/%61pi/…` reaches `/api/…`), so the raw URL cannot say which route runs.
 * The page's files are open; so is a path no route has under any method (a 404 that reaches
 * nothing). A path known under other methods (a 405) is judged decoded.
 */
function routeOf(request: FastifyRequest, knownPath: (path: string) => boolean): { path: string; requirement: Requirement } {
  const route = request.routeOptions.url;
  if (route !== undefined) {
    return { path: route, requirement: request.routeOptions.config.pageFile ? 'open' : requirementOf(request.method, route) };
  }
  const path = decodedPath(request);
  return { path, requirement: knownPath(path) ? requirementOf(request.method, path) : 'open' };
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, detail: string, error: BearerError | null): FastifyReply {
  request.actor = ANONYMOUS_ACTOR;
  reply.header('www-authenticate', error ? `Bearer realm="jobdeck", error="${error}"` : 'Bearer realm="jobdeck"');
  return sendProblem(reply, problem(401, detail, 'token-required'));
}

/**
 * Who a request is, by its token, and whether that may do what it asks. Bound to loopback, a
 * request without a token passes as {@link LOCAL_ACTOR} (as before tokens), and one with a token
 * is identified by it (a wrong token is a 401 there too). Bound beyond loopback, every API
 * request needs a valid token (401), of a role that may (403). The page's files, a path no route
 * has (`knownPath`: the routes' table), and what access-rule.ts opens stay open.
 */
export function accessHook(options: AccessOptions, knownPath: (path: string) => boolean) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { path, requirement } = routeOf(request, knownPath);
    if (requirement === 'open') return;
    const presented = presentedToken(request, path);
    // On loopback, where no token is needed, a header that is not a token of ours (another scheme;
    // a webhook sender's own credentials for the inbox) is no attempt to use one: it passes as local.
    const notOurs = !options.required && (isInboxPost(request.method, path) || ('refusal' in presented && presented.error === null));
    if ('refusal' in presented) {
      if (notOurs) return;
      return void (await unauthorized(request, reply, presented.refusal, presented.error));
    }
    if (presented.token === undefined) {
      if (!options.required) return;
      const detail = `this console is bound beyond loopback: send Authorization: Bearer <token> (make one with: ${CREATE_TOKEN_COMMAND})`;
      return void (await unauthorized(request, reply, detail, null));
    }
    const actor = options.identify(presented.token);
    if (actor === null && notOurs) return;
    if (actor === null) return void (await unauthorized(request, reply, 'the token is not valid: unknown or revoked', 'invalid_token'));
    request.actor = actor;
    rememberToken(request, presented.token, actor, options.identify);
    if (!allows(actor.role, requirement)) {
      const detail = `${request.method} ${path} needs a ${requirement} token; token "${actor.name}" has role ${actor.role}`;
      return void (await sendProblem(reply, problem(403, detail, 'role-refused')));
    }
  };
}
