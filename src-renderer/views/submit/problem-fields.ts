import type { FieldError, Problem } from '../../../src-shared/problem';

const matches = (error: FieldError, field: string): boolean =>
  error.field === `payload.${field}` || error.field === field;

/** A message as the form shows it: the field named as its input is, without the API's `payload.` path. */
export function formMessage(message: string): string {
  return message.replace(/^payload\./, '');
}

/** Messages about one payload field (`client_time` matches `payload.client_time`). */
export function errorsFor(problem: Problem | null, field: string): string[] {
  return (problem?.errors ?? []).filter((error) => matches(error, field)).map((error) => formMessage(error.message));
}

/** `payload.size.width` → `size.width`; the payload itself → ''. */
const payloadPath = (field: string): string | undefined =>
  field === 'payload' ? '' : field.startsWith('payload.') ? field.slice('payload.'.length) : undefined;

/** The longest of `names` that is the error's payload field or a parent of it. */
function ownerOf(field: string, names: readonly string[]): string | undefined {
  const path = payloadPath(field);
  if (path === undefined) return undefined;
  return names.filter((name) => path === name || path.startsWith(`${name}.`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * A form's errors by the input that shows them: the input whose name is the error's field or its
 * closest parent (`tags.1` goes to the list `tags`, an unknown `size.depth` to the object
 * `size`). Errors no input owns (the payload as a whole, `copies`) are the others.
 */
export function placeErrors(problem: Problem | null, names: readonly string[]) {
  const byName = new Map<string, string[]>();
  const others: FieldError[] = [];
  for (const error of problem?.errors ?? []) {
    const owner = ownerOf(error.field, names);
    if (owner === undefined) others.push({ ...error, message: formMessage(error.message) });
    else byName.set(owner, [...(byName.get(owner) ?? []), formMessage(error.message)]);
  }
  return { errorsOf: (name: string): string[] => byName.get(name) ?? [], others };
}
