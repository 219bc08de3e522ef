import { useState } from 'react';
import { Field } from '../../components/Field';
import { inputText, optionalText, payloadOf } from './form-input';
import { JobForm, type KindFormProps } from './JobForm';

const FIELDS = ['email_address', 'subject', 'body'] as const;

/** Kind C: send an email over SMTP. */
export function EmailJobForm({ initial }: KindFormProps) {
  const [address, setAddress] = useState(() => inputText(initial?.email_address));
  const [subject, setSubject] = useState(() => inputText(initial?.subject));
  const [body, setBody] = useState(() => inputText(initial?.body));
  return (
    <JobForm
      kind="email"
      description="Sends an email over SMTP."
      fields={FIELDS}
      buildPayload={() =>
        payloadOf({ email_address: optionalText(address), subject: optionalText(subject), body: body.trim() ? body : undefined })
      }
    >
      {(errorsOf) => (
        <>
          <Field
            label="Recipient"
            name="email_address"
            value={address}
            onChange={setAddress}
            errors={errorsOf('email_address')}
            inputMode="email"
            placeholder="the console's default recipient"
            hint="Optional."
          />
          <Field label="Subject" name="subject" value={subject} onChange={setSubject} errors={errorsOf('subject')} hint="Optional." />
          <Field label="Body" name="body" value={body} onChange={setBody} errors={errorsOf('body')} hint="Optional." multiline />
        </>
      )}
    </JobForm>
  );
}
