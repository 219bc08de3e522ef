/**
 * An action an operator started (cancel, scale, purge, a form sent), in one shape for every
 * view: what it is about, whether it is in flight, and how the API answered.
 */
import type { Problem } from '../../src-shared/problem';
import type { Schedule } from '../bridge/schedule';
import { unreachable } from './failures';
import type { Slot } from './loaded';

export interface Pending<T, Target = string> {
  /** What the action is about: a job, a kind, a worker, a delivery; null for a form. */
  target: Target;
  pending: boolean;
  /** Why it was refused; null while in flight and once accepted. */
  problem: Problem | null;
  /** The accepted answer; null while in flight and once refused. */
  answer: T | null;
}

/** How the bridge answers an action: accepted, with what it returns, or refused with a problem. */
export type Refused = { ok: false; problem: Problem };
export type Answer = { ok: true } | Refused;
export type Accepted<A extends Answer> = Extract<A, { ok: true }>;

/** Runs a call whose refusal is an answer; a call that got no answer at all becomes a refusal too. */
export async function attempt<A extends Answer>(call: () => Promise<A>): Promise<A | Refused> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, problem: unreachable(error) };
  }
}

/** How long an accepted action's message ("Purged 20 …", "Cancelled.") stays shown. */
export const FLASH_MS = 10_000;

/**
 * Runs an action shown in `slot`: in flight for `target`, then accepted with its answer or
 * refused with its problem. The answer, for the caller to fold in. Given `expire`, an accepted
 * answer is a flash: it leaves the slot after {@link FLASH_MS} unless another action replaced it.
 */
export async function act<T extends { ok: true }, Target>(
  slot: Slot<Pending<T, Target> | null>,
  target: Target,
  call: () => Promise<T | Refused>,
  expire?: Schedule,
): Promise<T | Refused> {
  slot.write({ target, pending: true, problem: null, answer: null });
  const answer = await attempt(call);
  const shown = { target, pending: false, problem: answer.ok ? null : answer.problem, answer: answer.ok ? answer : null };
  slot.write(shown);
  if (answer.ok && expire) expire(() => slot.read() === shown && slot.write(null), FLASH_MS);
  return answer;
}
