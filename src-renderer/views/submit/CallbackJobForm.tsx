import { useState } from 'react';
import { CALLBACK_DEFAULT_DURATION_MS } from '../../../src-shared/schemas';
import { Field } from '../../components/Field';
import { numberOrText, optionalText, payloadOf } from './form-input';
import { JobForm } from './JobForm';

const FIELDS = ['callback_url', 'duration_ms'] as const;

/** Kind B: run a long task, then POST its result to a callback URL. */
export function CallbackJobForm() {
  const [callbackUrl, setCallbackUrl] = useState('');
  const [durationMs, setDurationMs] = useState(String(CALLBACK_DEFAULT_DURATION_MS));
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
