import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';

const BUILTIN_KINDS = builtinKindRegistry();

/**
 * Checks a built-in kind's payload with the same rules the server uses, and words a refusal the
 * way the server would (fields named `payload.<field>`), so the form shows both alike. A user
 * kind's payload is left to the server (its JSON Schema is compiled there, not in the page).
 */
export function validatePayload(kind: JobKind, payload: Record<string, unknown>): Problem | null {
  const verdict = BUILTIN_KINDS.get(kind)?.check(payload, 'payload');
  if (!verdict || !('errors' in verdict)) return null;
  return {
    type: 'about:blank',
    title: 'The payload is not valid',
    status: 400,
    detail: 'Checked by the console before sending: nothing was submitted.',
    errors: verdict.errors,
  };
}

/** A payload typed as JSON text: the object, or a problem naming `payload` and the rule. */
export function parseRawPayload(text: string): { payload: Record<string, unknown> } | { problem: Problem } {
  const refuse = (rule: string, message: string) => ({
    problem: {
      type: 'about:blank',
      title: 'The payload is not valid',
      status: 400,
      detail: 'Checked by the console before sending: nothing was submitted.',
      errors: [{ field: 'payload', rule, message }],
    },
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse('json', `payload must be valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('type', 'payload must be a JSON object');
  return { payload: value as Record<string, unknown> };
}
