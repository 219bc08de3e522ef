import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FieldError } from '../problem';

/**
 * JSON Schema (draft 2020-12) checks of user kinds' payloads, with ajv: each schema is compiled
 * once, at start, in the console and in every worker. A schema's `default`s are filled in.
 */
export function newSchemaCompiler(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  return ajv;
}

/** `/size/0/width` → `size.0.width` (JSON Pointer unescaped). */
function pointerToPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** One ajv complaint as a field error: the field it names, and its keyword as the rule. */
export function toFieldError(error: ErrorObject, prefix: string): FieldError {
  const path = [prefix, ...pointerToPath(error.instancePath)];
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty) {
    const field = [...path, params.missingProperty].filter(Boolean).join('.');
    return { field, rule: 'required', message: `${field} is required` };
  }
  if (error.keyword === 'additionalProperties' && params.additionalProperty) {
    const field = [...path, params.additionalProperty].filter(Boolean).join('.');
    return { field, rule: 'additionalProperties', message: `${field} is not a known field` };
  }
  const field = path.filter(Boolean).join('.') || '(body)';
  return { field, rule: error.keyword, message: `${field} ${error.message ?? 'is invalid'}` };
}

/** A compiled payload schema: the payload with its defaults, or the field errors. */
export interface PayloadValidator {
  (input: unknown, prefix: string): { payload: Record<string, unknown> } | { errors: FieldError[] };
}

export function payloadValidator(validate: ValidateFunction): PayloadValidator {
  return (input, prefix) => {
    // ajv writes defaults into what it checks: the caller's object stays as it was sent.
    const payload = structuredClone(input ?? {}) as Record<string, unknown>;
    if (validate(payload)) return { payload };
    return { errors: (validate.errors ?? []).map((error) => toFieldError(error, prefix)) };
  };
}
