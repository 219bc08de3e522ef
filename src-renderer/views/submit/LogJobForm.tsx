import { useState } from 'react';
import { Field } from '../../components/Field';
import { nowUnixSeconds } from '../../format';
import { numberOrText, payloadOf } from './form-input';
import { JobForm } from './JobForm';

const FIELDS = ['client_time'] as const;

/** Kind A: write a log record stamped with the client's time. */
export function LogJobForm() {
  const [clientTime, setClientTime] = useState(() => nowUnixSeconds());
  return (
    <JobForm
      kind="log"
      description="Writes a record stamped with the client's time to PostgreSQL."
      fields={FIELDS}
      buildPayload={() => payloadOf({ client_time: numberOrText(clientTime) })}
      onAccepted={() => setClientTime(nowUnixSeconds())}
    >
      {(errorsOf) => (
        <Field
          label="Client time"
          name="client_time"
          value={clientTime}
          onChange={setClientTime}
          errors={errorsOf('client_time')}
          inputMode="numeric"
          hint="Unix seconds or an RFC 3339 time."
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
