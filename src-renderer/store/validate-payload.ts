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
