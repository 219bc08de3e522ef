/**
 * Turning what an operator typed into payload values. Nothing is coerced silently: text that
 * is not a number stays text, so the shared schema names the field and the rule.
 */

/** Trimmed text, or undefined when empty (the field is then left out of the payload). */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A whole or decimal number as a number; other text as it is; empty as undefined. */
export function numberOrText(value: string): number | string | undefined {
  const text = optionalText(value);
  if (text === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** A payload without the fields left empty. */
export function payloadOf(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The client time sent: what was typed, or the moment of the submit when the field is empty ("now"). */
export function clientTimeAtSubmit(typed: string, nowMs: number = Date.now()): number | string | undefined {
  return optionalText(typed) === undefined ? Math.floor(nowMs / 1000) : numberOrText(typed);
}

/** A payload value as an input's text: strings and numbers as they are, anything else as ''. */
export function inputText(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}
