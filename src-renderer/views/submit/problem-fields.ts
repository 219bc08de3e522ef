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

/** Errors about anything but the form's own fields, shown with the problem's summary. */
export function otherErrors(problem: Problem | null, fields: readonly string[]): FieldError[] {
  return (problem?.errors ?? [])
    .filter((error) => !fields.some((field) => matches(error, field)))
    .map((error) => ({ ...error, message: formMessage(error.message) }));
}
