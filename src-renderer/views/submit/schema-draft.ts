import { numberOrText } from './form-input';
import { type FormField, type ScalarField } from './schema-fields';

/**
 * What the operator has typed into a generated form, field by field: text (strings, numbers and
 * raw JSON, as typed), a checkbox, the index of an `enum` option ('' for none), an array's
 * items, an object's properties.
 */
export type Draft = string | boolean | readonly Draft[] | { readonly [name: string]: Draft };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A field's draft before any edit: its `default` (or the value given), else empty. */
export function initialDraft(field: FormField, value: unknown = field.default): Draft {
  switch (field.type) {
    case 'string':
    case 'number':
    case 'integer':
      return value === undefined || value === null ? '' : String(value);
    case 'boolean':
      return value === true;
    case 'enum': {
      const index = field.options.findIndex((option) => sameJson(option, value));
      return index < 0 ? '' : String(index);
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => initialDraft(field.item, item)) : [];
    case 'object':
      return Object.fromEntries(
        field.fields.map((child) => {
          const name = child.path[child.path.length - 1]!;
          return [name, initialDraft(child, isRecord(value) && name in value ? value[name] : child.default)];
        }),
      );
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/**
 * A scalar's value: empty input is left out (the API names a missing required field); a number
 * that does not read as one is sent as the text typed, so the API names the field and the rule.
 */
function scalarValue(field: ScalarField, draft: Draft): unknown {
  switch (field.type) {
    case 'string':
      return draft === '' ? undefined : draft;
    case 'number':
    case 'integer':
      return numberOrText(String(draft));
    case 'boolean':
      // An optional checkbox with no default, left clear, sends nothing: "not said" rather than false.
      return draft === true ? true : field.required || field.default !== undefined ? false : undefined;
    case 'enum':
      return draft === '' ? undefined : field.options[Number(draft)];
  }
}

/** Raw JSON as its value; text that is not JSON goes as the string typed, like a number that is not one. */
function jsonValue(draft: Draft): unknown {
  const text = String(draft);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A container is sent when it holds something, or when the schema requires it (then perhaps empty). */
const keptContainer = <T extends object>(field: FormField, value: T, size: number): T | undefined =>
  size > 0 || field.required ? value : undefined;

/** The value a field's draft makes; undefined leaves the field out of the payload. */
export function valueOf(field: FormField, draft: Draft): unknown {
  switch (field.type) {
    case 'array': {
      const items = (draft as readonly Draft[]).map((item) => scalarValue(field.item, item)).filter((item) => item !== undefined);
      return keptContainer(field, items, items.length);
    }
    case 'object': {
      const drafts = draft as Readonly<Record<string, Draft>>;
      const entries = field.fields
        .map((child) => {
          const name = child.path[child.path.length - 1]!;
          return [name, valueOf(child, drafts[name] ?? initialDraft(child))] as const;
        })
        .filter(([, value]) => value !== undefined);
      return keptContainer(field, Object.fromEntries(entries), entries.length);
    }
    case 'json':
      return jsonValue(draft);
    default:
      return scalarValue(field, draft);
  }
}

/** The draft with the value at `path` (relative to the form) replaced. */
export function withDraftAt(draft: Draft, path: readonly string[], value: Draft): Draft {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(draft)) {
    const items = [...(draft as readonly Draft[])];
    items[Number(head)] = withDraftAt(items[Number(head)] ?? '', rest, value);
    return items;
  }
  const record = draft as Readonly<Record<string, Draft>>;
  return { ...record, [head]: withDraftAt(record[head] ?? '', rest, value) };
}

/** The draft at `path`, or undefined. */
export function draftAt(draft: Draft, path: readonly string[]): Draft | undefined {
  let here: Draft | undefined = draft;
  for (const part of path) {
    if (here === undefined || typeof here !== 'object') return undefined;
    here = Array.isArray(here) ? (here as readonly Draft[])[Number(part)] : (here as Readonly<Record<string, Draft>>)[part];
  }
  return here;
}
