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
}

/** A labelled input with its hint and errors tied to it for assistive technology. */
export function Field({ label, name, value, onChange, errors, hint, placeholder, inputMode, multiline, action }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    value,
    placeholder,
    'aria-invalid': errors.length ? true : undefined,
    'aria-describedby': describedBy,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(event.target.value),
  };
  return (
    <div className="field" data-invalid={errors.length ? '' : undefined}>
      <label htmlFor={id}>
        {label} <code className="field-name">{name}</code>
      </label>
      <div className="field-control">
        {multiline ? (
          <textarea {...common} rows={3} />
        ) : (
          <input {...common} type="text" inputMode={inputMode} autoComplete="off" spellCheck={false} />
        )}
        {action}
      </div>
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
    </div>
  );
}
