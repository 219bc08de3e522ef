import { useState } from 'react';
import { Field } from '../../components/Field';
import { optionalText, payloadOf } from './form-input';
import { JobForm } from './JobForm';

const FIELDS = ['email_address', 'subject', 'body'] as const;

/** Kind C: send an email over SMTP. */
export function EmailJobForm() {
  const [address, setAddress] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
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
