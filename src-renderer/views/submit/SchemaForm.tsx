import type { ReactNode } from 'react';
import { Field, FieldLabel, FieldNotes, LabelText, useFieldIds, type FieldProps } from '../../components/Field';
import { draftAt, initialDraft, withDraftAt, type Draft } from './schema-draft';
import { fieldName, type FormField, type ScalarField } from './schema-fields';

/*
 * The inputs of a user kind's Submit form, generated from its payload schema (schema-fields.ts).
 * Hand-written (about 8 kB) rather than @rjsf/core 6.11 with @rjsf/utils, measured for this:
 * - it adds about 270 kB minified (93 kB gzipped) to a 1 MB page, 87 kB of it a Markdown renderer;
 * - its main entry imports @rjsf/validator-ajv8, one of its dev dependencies (rjsf issue #5295),
 *   so ajv, whose validators are compiled with `new Function` (refused by the page's CSP), must be
 *   installed beside it or the entry bypassed with a deep import;
 * - its validator interface is synchronous and also picks oneOf/anyOf/if branches, so with the
 *   API's (asynchronous) dry run as the check it would pick them blindly: those schemas would go
 *   to raw JSON here all the same.
 * What remains is a few inputs on the console's own Field, and the API's dry run.
 */

export interface SchemaFormProps {
  form: FormField;
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** The messages about the input of a field (by dotted name, `size.width`). */
  errorsOf: (name: string) => readonly string[];
}

interface InputProps {
  field: FormField;
  draft: Draft;
  /** Sets the draft at a path of the payload. */
  set: (path: readonly string[], value: Draft) => void;
  errorsOf: SchemaFormProps['errorsOf'];
}

/** The generated inputs: one per property of the payload, or one raw JSON input for all of it. */
export function SchemaForm({ form, draft, onChange, errorsOf }: SchemaFormProps) {
  const set = (path: readonly string[], value: Draft) => onChange(withDraftAt(draft, path, value));
  if (form.type !== 'object') return <FieldInput field={form} draft={draft} set={set} errorsOf={errorsOf} />;
  return (
    <div className="schema-form">
      <Properties field={form} draft={draft} set={set} errorsOf={errorsOf} />
    </div>
  );
}

/** Every dotted name a form's inputs answer for (not the payload itself), for `placeErrors`. */
export function inputNames(field: FormField): string[] {
  const own = field.path.length > 0 ? [fieldName(field.path)] : [];
  return field.type === 'object' ? [...own, ...field.fields.flatMap(inputNames)] : own;
}

const hintOf = (field: FormField, extra?: string): string | undefined =>
  [field.description, extra].filter(Boolean).join(' ') || undefined;

function Properties({ field, draft, set, errorsOf }: InputProps & { field: FormField & { type: 'object' } }) {
  return (
    <>
      {field.fields.map((child) => (
        <FieldInput key={fieldName(child.path)} field={child} draft={draftAt(draft, child.path.slice(-1)) ?? initialDraft(child)} set={set} errorsOf={errorsOf} />
      ))}
    </>
  );
}

function FieldInput({ field, draft, set, errorsOf }: InputProps) {
  const name = fieldName(field.path);
  switch (field.type) {
    case 'object':
      return (
        <Group field={field} errors={errorsOf(name)}>
          <Properties field={field} draft={draft} set={set} errorsOf={errorsOf} />
        </Group>
      );
    case 'array':
      return <ListInput field={field} items={draft as readonly Draft[]} set={set} errors={errorsOf(name)} />;
    case 'json':
      return (
        <Field
          label={field.label}
          name={name || 'payload'}
          value={String(draft)}
          onChange={(value) => set(field.path, value)}
          errors={errorsOf(name)}
          multiline
          required={field.required}
          hint={hintOf(field, 'As JSON.')}
        />
      );
    default:
      return <ScalarInput field={field} draft={draft} onChange={(value) => set(field.path, value)} errors={errorsOf(name)} />;
  }
}

/** A nested object or a list: a fieldset whose legend names it, its errors under the legend. */
function Group({ field, errors, children }: { field: FormField; errors: readonly string[]; children: ReactNode }) {
  const { errorId, hintId, describedBy } = useFieldIds(field.description, errors);
  return (
    <fieldset className="schema-group" aria-describedby={describedBy} data-invalid={errors.length ? '' : undefined}>
      <legend>
        <LabelText label={field.label} name={fieldName(field.path)} required={field.required} />
      </legend>
      <FieldNotes errorId={errorId} hintId={hintId} errors={errors} hint={field.description} />
      {children}
    </fieldset>
  );
}

interface ScalarInputProps {
  field: ScalarField;
  draft: Draft;
  onChange: (value: Draft) => void;
  errors: readonly string[];
  /** An item of a list is labelled by its position, not by the list's name. */
  label?: string;
}

function ScalarInput({ field, draft, onChange, errors, label = field.label }: ScalarInputProps) {
  const name = fieldName(field.path);
  if (field.type === 'boolean') return <CheckboxInput field={field} label={label} checked={draft === true} onChange={onChange} errors={errors} />;
  if (field.type === 'enum') return <SelectInput field={field} label={label} value={String(draft)} onChange={onChange} errors={errors} />;
  return (
    <Field
      label={label}
      name={name}
      value={String(draft)}
      onChange={onChange}
      errors={errors}
      required={field.required}
      inputMode={inputModeOf(field)}
      hint={hintOf(field, typeHint(field))}
    />
  );
}

/** The keyboard a text input offers for its field. */
function inputModeOf(field: ScalarField): FieldProps['inputMode'] {
  if (field.type !== 'string') return 'numeric';
  if (field.format === 'email' || field.format === 'idn-email') return 'email';
  return field.format === 'uri' || field.format === 'url' || field.format === 'iri' ? 'url' : undefined;
}

/** What a text input takes, when it is more than any text. */
function typeHint(field: ScalarField): string | undefined {
  if (field.type === 'integer') return 'A whole number.';
  if (field.type === 'number') return 'A number.';
  return field.type === 'string' && field.format ? `Format: ${field.format}.` : undefined;
}

interface ChoiceProps {
  field: ScalarField;
  label: string;
  onChange: (value: Draft) => void;
  errors: readonly string[];
}

function CheckboxInput({ field, label, checked, onChange, errors }: ChoiceProps & { checked: boolean }) {
  const { id, errorId, hintId, describedBy } = useFieldIds(field.description, errors);
  return (
    <div className="field" data-invalid={errors.length ? '' : undefined}>
      <div className="field-control checkbox">
        <input
          id={id}
          type="checkbox"
          name={fieldName(field.path)}
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={describedBy}
        />
        <FieldLabel htmlFor={id} label={label} name={fieldName(field.path)} required={field.required} />
      </div>
      <FieldNotes errorId={errorId} hintId={hintId} errors={errors} hint={field.description} />
    </div>
  );
}

/** How an `enum` option reads: a string as it is, anything else as JSON. */
const optionText = (option: unknown): string => (typeof option === 'string' ? option : JSON.stringify(option));

function SelectInput({ field, label, value, onChange, errors }: ChoiceProps & { value: string }) {
  const { id, errorId, hintId, describedBy } = useFieldIds(field.description, errors);
  const options = field.type === 'enum' ? field.options : [];
  return (
    <div className="field" data-invalid={errors.length ? '' : undefined}>
      <FieldLabel htmlFor={id} label={label} name={fieldName(field.path)} required={field.required} />
      <div className="field-control">
        <select
          id={id}
          name={fieldName(field.path)}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={describedBy}
          aria-required={field.required || undefined}
        >
          <option value="">{field.required ? 'Choose…' : '(not set)'}</option>
          {options.map((option, index) => (
            <option key={index} value={String(index)}>
              {optionText(option)}
            </option>
          ))}
        </select>
      </div>
      <FieldNotes errorId={errorId} hintId={hintId} errors={errors} hint={field.description} />
    </div>
  );
}

/** A list of scalars: one input per item, a button to remove each and one to add another. */
function ListInput({ field, items, set, errors }: { field: FormField & { type: 'array' }; items: readonly Draft[]; set: InputProps['set']; errors: readonly string[] }) {
  const itemField = (index: number): ScalarField => ({ ...field.item, path: [...field.path, String(index)], required: false });
  return (
    <Group field={field} errors={errors}>
      {items.map((item, index) => (
        <div className="schema-item" key={index}>
          <ScalarInput
            field={itemField(index)}
            label={`Item ${index + 1}`}
            draft={item}
            onChange={(value) => set(itemField(index).path, value)}
            errors={[]}
          />
          <button type="button" className="secondary" aria-label={`Remove item ${index + 1} of ${field.label}`} onClick={() => set(field.path, items.filter((_, at) => at !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => set(field.path, [...items, initialDraft(field.item, field.item.default)])}>
        Add {field.label} item
      </button>
    </Group>
  );
}
