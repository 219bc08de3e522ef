import { useState } from 'react';
import { CALLBACK_DEFAULT_DURATION_MS } from '../../../src-shared/schemas';
import { Field } from '../../components/Field';
import { inputText, numberOrText, optionalText, payloadOf } from './form-input';
import { JobForm, type KindFormProps } from './JobForm';

const FIELDS = ['callback_url', 'duration_ms'] as const;

/** Kind B: run a long task, then POST its result to a callback URL. */
export function CallbackJobForm({ initial }: KindFormProps) {
  // A replay's payload has no signing secret (it is never shown): the form has no input for one.
  const [callbackUrl, setCallbackUrl] = useState(() => inputText(initial?.callback_url));
  const [durationMs, setDurationMs] = useState(() => inputText(initial?.duration_ms, String(CALLBACK_DEFAULT_DURATION_MS)));
  return (
    <JobForm
      kind="callback"
      description="Runs a long task, then POSTs the result to a callback URL."
      fields={FIELDS}
      buildPayload={() =>
        payloadOf({ callback_url: optionalText(callbackUrl), duration_ms: numberOrText(durationMs) })
      }
    >
      {(errorsOf) => (
        <>
          <Field
            label="Callback URL"
            name="callback_url"
            value={callbackUrl}
            onChange={setCallbackUrl}
            errors={errorsOf('callback_url')}
            inputMode="url"
            placeholder="the console's webhook inbox"
            hint="Optional. Where the result is POSTed."
          />
          <Field
            label="Duration (ms)"
            name="duration_ms"
            value={durationMs}
            onChange={setDurationMs}
            errors={errorsOf('duration_ms')}
            inputMode="numeric"
            hint="How long the task runs; at most 15 minutes."
          />
        </>
      )}
    </JobForm>
  );
}
