import { useMemo, useState } from 'react';
import type { KindInfo } from '../../../src-shared/kind-records';
import { JobForm, type KindFormProps } from './JobForm';
import { SchemaForm, inputNames } from './SchemaForm';
import { initialDraft, valueOf } from './schema-draft';
import { formOf } from './schema-fields';

/**
 * A user kind's Submit form, generated from its `payload_schema`. The page does not validate it:
 * "Check with the API" runs the API's dry run, and a submit is checked by the API as any is;
 * either way the API's messages show next to the inputs.
 */
export function SchemaJobForm({ kind, initial }: { kind: KindInfo } & KindFormProps) {
  const form = useMemo(() => formOf(kind.payload_schema), [kind.payload_schema]);
  const [draft, setDraft] = useState(() => (initial ? initialDraft(form, initial) : initialDraft(form)));
  const payload = () => (valueOf(form, draft) ?? {}) as Record<string, unknown>;
  return (
    <JobForm
      kind={kind.name}
      description={kind.description}
      fields={inputNames(form)}
      buildPayload={payload}
      checkable
      startRaw={form.type !== 'object'}
      initialRaw={form.type === 'object' ? undefined : initial}
    >
      {(errorsOf) =>
        form.type === 'object' ? (
          <SchemaForm form={form} draft={draft} onChange={setDraft} errorsOf={errorsOf} />
        ) : (
          <p className="muted">This payload&apos;s schema has no fields a form can show: it is edited as JSON.</p>
        )
      }
    </JobForm>
  );
}
