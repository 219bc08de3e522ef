import type { FastifyRequest } from 'fastify';
import type { KindNames } from '../../src-shared/kinds';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { ProfileMode } from '../profiles/profile-mode';
import { UnknownScheduleError, type ScheduleService } from '../schedules/schedule-service';
import type { WebhookStore } from '../webhooks/webhook-store';

/** What the operator must type to confirm a destructive verb, and what that text is, in words. */
export interface ConfirmTarget {
  target: string;
  /** `the kind's name`, `the profile's name`… */
  what: string;
}

/** What the targets are looked up in. */
export interface ConfirmLookups {
  kinds: KindNames;
  subscriptions?: Pick<WebhookStore, 'getSubscription'>;
  schedules?: Pick<ScheduleService, 'get'>;
}

/** A verb's target, or null when this request needs no confirmation (a dry run, another action, an unknown target: the route answers). */
type TargetOf = (request: FastifyRequest, mode: ProfileMode, lookups: ConfirmLookups) => Promise<ConfirmTarget | null> | ConfirmTarget | null;

const body = (request: FastifyRequest): Record<string, unknown> =>
  typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
const param = (request: FastifyRequest, name: string): string => (request.params as Record<string, string>)[name] ?? '';
const profileName = (mode: ProfileMode): ConfirmTarget => ({ target: mode.name, what: "the profile's name" });

/**
 * The destructive verbs of a production profile, by route, and the name each wants typed:
 * purge the kind's name; bulk cancel and dead-letter discard (over any search, of any kind) the
 * profile's name; a subscription its URL (what an operator knows it by); a schedule, which has
 * no name, its ID.
 */
export const CONFIRM_TARGETS: Readonly<Record<string, TargetOf>> = {
  'POST /api/v1/queues/:kind/purge': (request, _mode, { kinds }) => {
    const kind = kinds.resolve(param(request, 'kind'));
    return kind ? { target: kind, what: "the kind's name" } : null;
  },
  'POST /api/v1/operations': (request, mode) => (body(request).action === 'cancel' && body(request).dry_run !== true ? profileName(mode) : null),
  'POST /api/v1/dead-letters/discard': (request, mode) => (body(request).dry_run !== true ? profileName(mode) : null),
  'DELETE /api/v1/subscriptions/:id': async (request, _mode, { subscriptions }) => {
    const id = param(request, 'id');
    const found = UUID_PATTERN.test(id) ? await subscriptions?.getSubscription(id) : null;
    return found ? { target: found.url, what: "the subscription's URL" } : null;
  },
  'DELETE /api/v1/schedules/:id': async (request, _mode, { schedules }) => {
    const id = param(request, 'id');
    return UUID_PATTERN.test(id) && (await scheduleExists(schedules, id)) ? { target: id, what: "the schedule's ID" } : null;
  },
};

async function scheduleExists(schedules: ConfirmLookups['schedules'], id: string): Promise<boolean> {
  try {
    return Boolean(await schedules?.get(id));
  } catch (error) {
    if (error instanceof UnknownScheduleError) return false;
    throw error;
  }
}
