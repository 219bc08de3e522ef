import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../api/problems';
import { ANONYMOUS_ACTOR, type Actor } from './actor';
import { acceptsQueryToken, allows, requirementOf } from './access-rule';
import { rememberToken } from './stream-access';

export interface AccessOptions {
  /** True when the API is bound beyond loopback: every API request then needs a token. */
  required: boolean;
  /** The actor a token stands for (a stored token or the window's launch token), or null. */
  identify(token: string): Actor | null;
}

/** `npm run tokens` command that makes a token, named wherever one is missing. */
export const CREATE_TOKEN_COMMAND = 'npm run tokens -- create <name> --role write';

/** The token a request carries, `undefined` for none, or why it cannot be read. */
type Presented = { token: string | undefined } | { refusal: string };

/** The bearer token of `Authorization`, or the `access_token` query parameter where a route takes it (removed from the query either way). */
function presentedToken(request: FastifyRequest, path: string): Presented {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  if (query && 'access_token' in query) delete query.access_token;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim());
    return match ? { token: match[1] } : { refusal: 'the Authorization header must be "Bearer <token>"' };
  }
  if (fromQuery === undefined) return { token: undefined };
  if (!acceptsQueryToken(request.method, path)) {
    return { refusal: 'access_token is taken only by the SSE streams, the WebSocket and the export download; send Authorization: Bearer <token>' };
  }
  return typeof fromQuery === 'string' && fromQuery !== '' ? { token: fromQuery } : { refusal: 'access_token must be one token' };
}

/**
 * The route a request matched, as registered (`/api/v1/jobs/:id`): the router decodes the path
 * (`/%61pi/…` reaches `/api/…`), so the raw URL cannot say which route runs. A path that matched
 * none (a 404) is judged decoded.
 */
function routeOf(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route !== undefined) return route;
  const raw = request.url.split('?')[0]!;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, detail: string, invalid: boolean): FastifyReply {
  request.actor = ANONYMOUS_ACTOR;
  reply.header('www-authenticate', invalid ? 'Bearer realm="jobdeck", error="invalid_token"' : 'Bearer realm="jobdeck"');
  return sendProblem(reply, problem(401, detail, 'token-required'));
}

/**
 * Who a request is, by its token, and whether that may do what it asks. Bound to loopback, a
 * request without a token passes as {@link LOCAL_ACTOR} (as before tokens), and one with a token
 * is identified by it (a wrong token is a 401 there too). Bound beyond loopback, every API
 * request needs a valid token (401), of a role that may (403). The page's files and the webhook
 * inbox stay open (see access-rule.ts).
 */
export function accessHook(options: AccessOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = routeOf(request);
    const requirement = requirementOf(request.method, path);
    if (requirement === 'open') return;
    const presented = presentedToken(request, path);
    if ('refusal' in presented) return void (await unauthorized(request, reply, presented.refusal, true));
    if (presented.token === undefined) {
      if (!options.required) return;
      const detail = `this console is bound beyond loopback: send Authorization: Bearer <token> (make one with: ${CREATE_TOKEN_COMMAND})`;
      return void (await unauthorized(request, reply, detail, false));
    }
    const actor = options.identify(presented.token);
    if (actor === null) return void (await unauthorized(request, reply, 'the token is not valid: unknown or revoked', true));
    request.actor = actor;
    rememberToken(request, presented.token, actor, options.identify);
    if (!allows(actor.role, requirement)) {
      const detail = `${request.method} ${path} needs a ${requirement} token; token "${actor.name}" has role ${actor.role}`;
      return void (await sendProblem(reply, problem(403, detail, 'role-refused')));
    }
  };
}
