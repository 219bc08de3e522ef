/**
 * A user kind's `payload_schema` as the inputs of its Submit form. Written here rather than
 * taken from a form library: it covers exactly the types the form edits (strings, numbers,
 * integers, booleans, enums, arrays of those, nested objects) and hands every other schema to a
 * raw JSON input, and the checking is the API's dry run (no validator in the page, so the
 * Content-Security-Policy keeps out `unsafe-eval`). See `SchemaForm.tsx` for the why.
 */

export type JsonSchema = Readonly<Record<string, unknown>>;

interface FieldBase {
  /** Where the value sits in the payload: `['size', 'width']` is `payload.size.width`. */
  path: readonly string[];
  label: string;
  description?: string;
  required: boolean;
  /** The schema's `default`, when it gives one. */
  default?: unknown;
}

/** A value one input holds: text, a number typed as text, a boolean, or one of the `enum` values. */
export type ScalarField =
  /** `format` is the schema's (`email`, `uri`, `date-time`…): a hint, and the keyboard to offer. */
  | (FieldBase & { type: 'string'; format?: string })
  | (FieldBase & { type: 'number' | 'integer' })
  | (FieldBase & { type: 'boolean' })
  | (FieldBase & { type: 'enum'; options: readonly unknown[] });

export type FormField =
  | ScalarField
  | (FieldBase & { type: 'array'; item: ScalarField })
  | (FieldBase & { type: 'object'; fields: readonly FormField[] })
  /** Anything else the schema allows, typed as JSON. */
  | (FieldBase & { type: 'json' });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords the generated inputs cannot honour: such a schema is edited as raw JSON. */
const COMPOSED = ['$ref', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'dependentSchemas', 'patternProperties'];

/** `type: "integer"` or `type: ["integer", "null"]`: the one non-null type, else undefined. */
function singleType(schema: JsonSchema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (!Array.isArray(type)) return undefined;
  const named = type.filter((entry) => entry !== 'null');
  return named.length === 1 && typeof named[0] === 'string' ? named[0] : undefined;
}

function baseOf(schema: JsonSchema, path: readonly string[], required: boolean): FieldBase {
  const name = path[path.length - 1] ?? 'payload';
  return {
    path,
    label: typeof schema.title === 'string' ? schema.title : name,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    required,
    ...('default' in schema ? { default: schema.default } : {}),
  };
}

function scalarField(schema: JsonSchema, base: FieldBase): ScalarField | undefined {
  if (COMPOSED.some((keyword) => keyword in schema)) return undefined;
  if (Array.isArray(schema.enum)) return { ...base, type: 'enum', options: schema.enum };
  if ('const' in schema) return { ...base, type: 'enum', options: [schema.const] };
  const type = singleType(schema);
  if (type === 'string' && typeof schema.format === 'string') return { ...base, type, format: schema.format };
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return { ...base, type };
  return undefined;
}

function objectField(schema: JsonSchema, base: FieldBase): FormField | undefined {
  if (!isRecord(schema.properties) || singleType(schema) !== 'object') return undefined;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const fields = Object.entries(schema.properties).map(([name, property]) =>
    fieldOf(isRecord(property) ? property : {}, [...base.path, name], required.includes(name)),
  );
  return { ...base, type: 'object', fields };
}

function arrayField(schema: JsonSchema, base: FieldBase): FormField | undefined {
  if (singleType(schema) !== 'array' || !isRecord(schema.items) || 'prefixItems' in schema) return undefined;
  const item = scalarField(schema.items, baseOf(schema.items, [...base.path, 'item'], false));
  return item ? { ...base, type: 'array', item } : undefined;
}

/** One property's input: the first shape that fits, raw JSON when none does. */
export function fieldOf(schema: JsonSchema, path: readonly string[], required: boolean): FormField {
  const base = baseOf(schema, path, required);
  if (COMPOSED.some((keyword) => keyword in schema)) return { ...base, type: 'json' };
  return scalarField(schema, base) ?? objectField(schema, base) ?? arrayField(schema, base) ?? { ...base, type: 'json' };
}

/**
 * The form of a whole payload schema: its properties' inputs, or one raw JSON input when the
 * payload itself is not a plain object of properties.
 */
export function formOf(schema: JsonSchema): FormField {
  const form = fieldOf(schema, [], true);
  return form.type === 'object' ? form : { ...baseOf(schema, [], true), type: 'json' };
}

/** The dotted name of a field as the API's errors name it, without `payload.`. */
export const fieldName = (path: readonly string[]): string => path.join('.');
