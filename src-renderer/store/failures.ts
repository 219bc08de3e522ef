import type { Problem } from '../../src-shared/problem';

/** An error in one sentence, for an operator. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A call that got no answer at all, as a problem the views show like any refusal. */
export function unreachable(error: unknown): Problem {
  return { type: 'about:blank', title: 'Jobdeck did not answer', status: 0, detail: describeError(error) };
}
