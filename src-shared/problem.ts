import { z } from 'zod';

/** One invalid field: where it is, which rule it broke, and a sentence saying so. */
export const fieldErrorSchema = z.object({
  /** Dotted path of the field, e.g. `payload.client_time`. */
  field: z.string(),
  /** Short machine name of the rule: `required`, `type`, `format`, `min`, `max`, `enum`, `unknown`. */
  rule: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** An error answer, as RFC 9457 `application/problem+json`. */
export const problemSchema = z.object({
  /** `urn:jobdeck:problem:<name>` for Jobdeck's own kinds, else `about:blank`. */
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  /** Each invalid field, on validation problems. */
  errors: z.array(fieldErrorSchema).optional(),
  /** On `operation-drift` (a bulk operation refused): how many jobs its target matches now. */
  matched: z.number().int().min(0).optional(),
  /** On `operation-drift`: how far the count could have moved from `expected` and still started. */
  margin: z.number().int().min(0).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

interface RuleMessage {
  rule: string;
  message: string;
}

function describe(issue: z.core.$ZodIssue): RuleMessage {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'integer' : issue.expected;
      return { rule: 'type', message: `must be ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}` };
    }
    case 'too_big': {
      const unit = issue.origin === 'string' ? ' characters' : '';
      return { rule: 'max', message: `must be at most ${String(issue.maximum)}${unit}` };
    }
    case 'too_small': {
      const unit = issue.origin === 'string' ? ' characters' : '';
      return { rule: 'min', message: `must be at least ${String(issue.minimum)}${unit}` };
    }
    case 'invalid_format':
    case 'invalid_union':
      return { rule: 'format', message: issue.message };
    case 'invalid_value':
      return { rule: 'enum', message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    default: {
      const rule = (issue as { params?: { rule?: unknown } }).params?.rule;
      return { rule: typeof rule === 'string' ? rule : 'invalid', message: issue.message };
    }
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Turns a schema's complaints into field errors that name the field and the rule. */
export function toFieldErrors(error: z.ZodError, input: unknown, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const field = base ? `${base}.${key}` : key;
        return { field, rule: 'unknown', message: `${field} is not a known field` };
      });
    }
    const field = base || '(body)';
    const missable = issue.code === 'invalid_type' || issue.code === 'invalid_union';
    if (missable && valueAt(input, issue.path) === undefined) {
      return [{ field, rule: 'required', message: `${field} is required` }];
    }
    const { rule, message } = describe(issue);
    return [{ field, rule, message: `${field} ${message}` }];
  });
}

/** Input that broke one or more rules; answered as a 400 naming each field. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}
