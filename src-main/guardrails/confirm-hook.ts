import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../api/problems';
import type { ProfileMode, ProfileModeSource } from '../profiles/profile-mode';
import { CONFIRM_TARGETS, type ConfirmLookups, type ConfirmTarget } from './confirm-targets';

/** Whether the destructive verbs need `confirm` now: a production profile that is writable (a read-only one refuses them anyway). */
const needsConfirm = (mode: ProfileMode): boolean => mode.environment === 'production' && !mode.readOnly;

/** `confirm` as the request gives it: in the JSON body, or for a DELETE also as a query parameter. */
function confirmOf(request: FastifyRequest): unknown {
  const fromBody = (request.body as { confirm?: unknown } | null | undefined)?.confirm;
  if (fromBody !== undefined || request.method !== 'DELETE') return fromBody;
  return (request.query as { confirm?: unknown } | undefined)?.confirm;
}

/** The 400 of a missing or wrong `confirm`: names the field, the rule and the text to type. */
export function confirmRefusal(mode: ProfileMode, request: FastifyRequest, { target, what }: ConfirmTarget, given: unknown) {
  const said = given === undefined ? 'is required' : 'does not match';
  const message = `confirm ${said}: type ${target} to confirm (${what})`;
  const detail = `${request.method} ${request.routeOptions.url} on production profile "${mode.name}" needs "confirm": "${target}" (${what})`;
  return problem(400, detail, 'confirm-required', [{ field: 'confirm', rule: 'confirm', message }]);
}

/**
 * On a writable production profile, refuses a destructive verb (confirm-targets.ts) whose
 * `confirm` does not name its target; elsewhere `confirm` is optional and ignored. A preHandler:
 * it reads the parsed body.
 */
export function confirmHook(source: ProfileModeSource, lookups: ConfirmLookups) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const targetOf = CONFIRM_TARGETS[`${request.method} ${request.routeOptions.url}`];
    if (!targetOf) return;
    const mode = source.current();
    if (!needsConfirm(mode)) return;
    const wanted = await targetOf(request, mode, lookups);
    const given = confirmOf(request);
    if (wanted && given !== wanted.target) await sendProblem(reply, confirmRefusal(mode, request, wanted, given));
  };
}
