import { useState } from 'react';
import { Field } from '../../components/Field';
import { nowUnixSeconds } from '../../format';
import { clientTimeAtSubmit, inputText, payloadOf } from './form-input';
import { JobForm, type KindFormProps } from './JobForm';

const FIELDS = ['client_time'] as const;

/** Kind A: write a log record stamped with the client's time. */
export function LogJobForm({ initial }: KindFormProps) {
  // Empty means "now": the time is taken when the job is submitted, not when the page rendered.
  const [clientTime, setClientTime] = useState(() => inputText(initial?.client_time));
  return (
    <JobForm
      kind="log"
      description="Writes a record stamped with the client's time to PostgreSQL."
      fields={FIELDS}
      buildPayload={() => payloadOf({ client_time: clientTimeAtSubmit(clientTime) })}
      onAccepted={() => setClientTime('')}
    >
      {(errorsOf) => (
        <Field
          label="Client time"
          name="client_time"
          value={clientTime}
          onChange={setClientTime}
          errors={errorsOf('client_time')}
          inputMode="numeric"
          placeholder="now (at submit)"
          hint="Unix seconds or an RFC 3339 time; empty sends the time of the submit."
          action={
            <button type="button" className="secondary" aria-label="Set client time to now" onClick={() => setClientTime(nowUnixSeconds())}>
              Now
            </button>
          }
        />
      )}
    </JobForm>
  );
}
