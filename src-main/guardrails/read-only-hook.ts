import type { FastifyReply, FastifyRequest } from 'fastify';
import { isChanging, isInboxPost } from '../access/access-rule';
import { problem, sendProblem } from '../api/problems';
import type { ProfileMode, ProfileModeSource } from '../profiles/profile-mode';

/** The profile verbs an operator leaves or unlocks a read-only profile with (the connection routes own them). */
const PROFILE_SWITCH = /^\/api\/v1\/connections\/[^/]+\/(activate|unlock|test)$/;

/** Whether a changing request still passes while read-only: the workers' callbacks, and switching or unlocking a profile. */
export function passesReadOnly(method: string, route: string): boolean {
  return isInboxPost(method, route) || (method === 'POST' && PROFILE_SWITCH.test(route));
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
 * after the access hook, so a missing or weak token is answered first; a path no route has is
 * left to the 404 and 405 answers.
 */
export function readOnlyHook(source: ProfileModeSource) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = request.routeOptions.url;
    if (route === undefined || request.routeOptions.config.pageFile) return;
    if (!isChanging(request.method, route) || passesReadOnly(request.method, route)) return;
    const mode = source.current();
    if (mode.readOnly) await sendProblem(reply, readOnlyRefusal(mode, request.method, route));
  };
}
