import { useId, useState, type FormEvent } from 'react';
import { InlineCode } from '../../components/InlineCode';
import { HeadersTable } from '../../components/RecordList';
import type { ApiEntry } from '../../store/api-doc-slice';
import { describeError } from '../../store/failures';
import { useAccessGate } from '../../access/access-context';
import { authorizedFetch } from '../../bridge/access-gate';
import { missingParameters, parameterKey, SAFE_METHODS, sendTry, type ParameterValues, type TryAnswer } from './try-request';

/** Methods whose requests carry a body even where the document describes none (the inbox takes any). */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** The detail of a problem answer, for the token dialog. */
function problemDetail(body: string): string {
  try {
    return (JSON.parse(body) as { detail?: string }).detail ?? 'this console needs an API token';
  } catch {
    return 'this console needs an API token';
  }
}

type Attempt = { pending: true } | { pending: false; answer: TryAnswer } | { pending: false; error: string };

function Answer({ label, attempt }: { label: string; attempt: Attempt }) {
  if (attempt.pending) return <p className="muted" role="status">Sending…</p>;
  if ('error' in attempt) {
    return (
      <p className="inline-error" role="alert">
        No answer: {attempt.error}
      </p>
    );
  }
  const { answer } = attempt;
  return (
    <div className="api-answer" role="region" aria-label={label}>
      <p className={`api-answer-status ${answer.status < 400 ? 'ok' : 'job-error'}`} role="status">
        HTTP {answer.status} {answer.statusText} · {answer.ms} ms
      </p>
      <HeadersTable label={`Headers of the ${label.toLowerCase()}`} headers={answer.headers} />
      {answer.body && (
        <pre className="json" role="region" aria-label={`Body of the ${label.toLowerCase()}`} tabIndex={0}>
          {answer.body}
        </pre>
      )}
    </div>
  );
}

function ParameterFields({ entry, values, onChange, idPrefix }: { entry: ApiEntry; values: ParameterValues; onChange: (key: string, value: string) => void; idPrefix: string }) {
  return entry.parameters.map((p) => {
    const key = parameterKey(p);
    const id = `${idPrefix}-${key}`;
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>
          <span className="field-name">
            {p.name} <span className="muted small">({p.in}{p.required ? ', required' : ''})</span>
          </span>
        </label>
        <input id={id} type="text" spellCheck={false} required={p.required} value={values[key] ?? ''} onChange={(e) => onChange(key, e.target.value)} />
        {p.description && (
          <p className="field-hint">
            <InlineCode text={p.description} />
          </p>
        )}
      </div>
    );
  });
}

/**
 * Tries one route against this console: its parameters, a JSON body (the document's example
 * first), and the answer's status, headers and body. A GET or HEAD also goes on Enter; a method
 * that changes something only on a click of Send.
 */
export function ApiTry({ entry }: { entry: ApiEntry }) {
  const [values, setValues] = useState<ParameterValues>({});
  const [body, setBody] = useState(entry.example || (entry.hasBody ? '{}' : ''));
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const access = useAccessGate();
  const ids = useId();
  const name = `${entry.method} ${entry.path}`;
  const safe = SAFE_METHODS.has(entry.method);
  const missing = missingParameters(entry, values);
  const takesBody = entry.hasBody || BODY_METHODS.has(entry.method);

  const send = async () => {
    setAttempt({ pending: true });
    try {
      const first = await sendTry(entry, values, body, authorizedFetch(access));
      if (first.status !== 401 || !access) return setAttempt({ pending: false, answer: first });
      // A 401 asks for a token as every other request of the page does, then goes again with it.
      await access.waitForToken(problemDetail(first.body));
      setAttempt({ pending: false, answer: await sendTry(entry, values, body, authorizedFetch(access)) });
    } catch (error) {
      setAttempt({ pending: false, error: describeError(error) });
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (safe && missing.length === 0) void send();
  };

  return (
    <form className="api-try" aria-label={`Try ${name}`} onSubmit={onSubmit}>
      <ParameterFields entry={entry} values={values} onChange={(key, value) => setValues({ ...values, [key]: value })} idPrefix={ids} />
      {takesBody && (
        <div className="field">
          <label htmlFor={`${ids}-body`}>
            <span className="field-name">Body (JSON)</span>
          </label>
          <textarea id={`${ids}-body`} rows={Math.min(12, Math.max(3, body.split('\n').length))} spellCheck={false} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
      )}
      <div className="form-actions">
        <button type={safe ? 'submit' : 'button'} className="primary" disabled={missing.length > 0 || attempt?.pending} onClick={safe ? undefined : () => void send()}>
          Send {entry.method}
        </button>
        <span className="muted small">
          {missing.length > 0 ? `Fill in ${missing.join(', ')}.` : safe ? `Sent to ${window.location.origin}.` : `Sent to ${window.location.origin}: this changes the console.`}
        </span>
      </div>
      {attempt && <Answer label={`Answer of ${name}`} attempt={attempt} />}
    </form>
  );
}
