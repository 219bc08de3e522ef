import type { JobKind } from '../../src-shared/kinds';
import { toFieldErrors, type Problem } from '../../src-shared/problem';
import { PAYLOAD_SCHEMAS } from '../../src-shared/schemas';

/**
 * Checks a payload with the same schema the server uses, and words a refusal the way the
 * server would (fields named `payload.<field>`), so the form shows both alike.
 */
export function validatePayload(kind: JobKind, payload: Record<string, unknown>): Problem | null {
  const parsed = PAYLOAD_SCHEMAS[kind].safeParse(payload);
  if (parsed.success) return null;
  return {
    type: 'about:blank',
    title: 'The payload is not valid',
    status: 400,
    detail: 'Checked by the console before sending: nothing was submitted.',
    errors: toFieldErrors(parsed.error, payload, 'payload'),
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
