import { useId, type ChangeEvent, type ReactNode } from 'react';

export interface FieldProps {
  label: string;
  /** The payload field it edits, shown in monospace beside the label. */
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: readonly string[];
  hint?: string;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'email' | 'url';
  multiline?: boolean;
  /** Shown after the input, e.g. a "Now" button. */
  action?: ReactNode;
  /** Marks the label and the input as required. */
  required?: boolean;
}

/** The ids that tie an input to its hint and errors, and its `aria-describedby`. */
export function useFieldIds(hint: string | undefined, errors: readonly string[]) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

interface LabelTextProps {
  label: string;
  name: string;
  required?: boolean;
}

/** What names a field: its text, a required mark, and the payload field in monospace. */
export function LabelText({ label, name, required }: LabelTextProps) {
  return (
    <>
      {label}
      {required && (
        <abbr className="required-mark" title="required">
          *
        </abbr>
      )}{' '}
      <code className="field-name">{name}</code>
    </>
  );
}

/** A field's label. */
export function FieldLabel({ htmlFor, ...text }: LabelTextProps & { htmlFor?: string }) {
  return (
    <label htmlFor={htmlFor}>
      <LabelText {...text} />
    </label>
  );
}

/** The errors and the hint under an input, with the ids `useFieldIds` gave. */
export function FieldNotes({ errorId, hintId, errors, hint }: { errorId?: string; hintId?: string; errors: readonly string[]; hint?: string }) {
  return (
    <>
      {errorId && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
      {hintId && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </>
  );
}

/** A labelled input with its hint and errors tied to it for assistive technology. */
export function Field({ label, name, value, onChange, errors, hint, placeholder, inputMode, multiline, action, required }: FieldProps) {
  const { id, hintId, errorId, describedBy } = useFieldIds(hint, errors);
  const common = {
    id,
    name,
    value,
    placeholder,
    'aria-invalid': errors.length ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(event.target.value),
  };
  return (
    <div className="field" data-invalid={errors.length ? '' : undefined}>
      <FieldLabel htmlFor={id} label={label} name={name} required={required} />
      <div className="field-control">
        {multiline ? (
          <textarea {...common} rows={3} />
        ) : (
          <input {...common} type="text" inputMode={inputMode} autoComplete="off" spellCheck={false} />
        )}
        {action}
      </div>
      <FieldNotes errorId={errorId} hintId={hintId} errors={errors} hint={hint} />
    </div>
  );
}
