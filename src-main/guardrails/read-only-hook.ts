import type { FastifyReply, FastifyRequest } from 'fastify';
import { isChanging, isInboxPost } from '../access/access-rule';
import { problem, sendProblem } from '../api/problems';
import type { ProfileMode, ProfileModeSource } from '../profiles/profile-mode';

/** The console's own settings (the connection profiles, switching and unlocking them included): none of them is production data. */
const PROFILE_ROUTE = /^\/api\/v1\/connections(\/|$)/;

/** Whether a changing request still passes while read-only: the workers' callbacks, the profile verbs, and a validation that changes nothing. */
export function passesReadOnly(method: string, route: string): boolean {
  return isInboxPost(method, route) || PROFILE_ROUTE.test(route) || (method === 'POST' && route === '/api/v1/jobs/validate');
}

/** The routes that take `dry_run`: the bulk operations and the dead-letter actions. Any other route ignores it. */
const DRY_RUN_ROUTE = /^\/api\/v1\/(operations|dead-letters\/(requeue|discard))$/;

/** A bulk request's `dry_run: true` on a route that takes it: it answers the counts and changes nothing. */
export function isDryRun(method: string, route: string, body: unknown): boolean {
  if (method !== 'POST' || !DRY_RUN_ROUTE.test(route)) return false;
  return typeof body === 'object' && body !== null && (body as { dry_run?: unknown }).dry_run === true;
}

/** The 403 of a changing request on a read-only profile: it names the mode, the profile and why. */
export function readOnlyRefusal(mode: ProfileMode, method: string, route: string) {
  const why = mode.reason ? `: ${mode.reason}` : '';
  const detail = `profile "${mode.name}" is read-only${why}. ${method} ${route} changes things and is refused; switch to a writable profile or unlock this one`;
  return problem(403, detail, 'read-only-mode');
}

/**
 * Refuses every changing request (the verbs that need the write role, access-rule.ts) while the
 * active profile is read-only, read per request so an unlock or a switch applies at once. It runs
 * after the access hook, so a missing or weak token is answered first, and before validation but
 * after parsing (a preValidation hook), so a dry run passes; a path no route has is left to the
 * 404 and 405 answers.
 */
export function readOnlyHook(source: ProfileModeSource) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = request.routeOptions.url;
    if (route === undefined || request.routeOptions.config.pageFile) return;
    if (!isChanging(request.method, route) || passesReadOnly(request.method, route) || isDryRun(request.method, route, request.body)) return;
    const mode = source.current();
    if (mode.readOnly) await sendProblem(reply, readOnlyRefusal(mode, request.method, route));
  };
}
