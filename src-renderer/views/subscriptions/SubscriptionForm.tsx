import { useId, useState, type FormEvent } from 'react';
import type { FieldError } from '../../../src-shared/problem';
import type { SubscriptionFilter } from '../../../src-shared/subscription-schemas';
import { JOB_STATUSES } from '../../../src-shared/statuses';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { errorsFor } from '../submit/problem-fields';
import { useChangesBlocked } from '../../access/access-context';

const STATUS_CHOICES = [...JOB_STATUSES, 'COMPLETED'] as const;

/** Checkboxes for a filter list; none checked means "all". */
function Choices<T extends string>({ legend, choices, chosen, onChange }: { legend: string; choices: readonly T[]; chosen: readonly T[]; onChange: (next: T[]) => void }) {
  return (
    <fieldset className="choices">
      <legend className="field-name">{legend}</legend>
      {choices.map((choice) => (
        <label key={choice} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(choice)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, choice] : chosen.filter((c) => c !== choice))}
          />{' '}
          {choice}
        </label>
      ))}
      <p className="field-hint">None checked: all.</p>
    </fieldset>
  );
}

/** The subscription's URL, with the errors about it under the input. */
function UrlField({ id, value, onChange, errors }: { id: string; value: string; onChange: (url: string) => void; errors: string[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="field-name">URL</span>
      </label>
      <input id={id} type="text" inputMode="url" required placeholder="https://example.com/hooks/jobdeck" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={errors.length ? true : undefined} aria-describedby={errors.length ? `${id}-error` : undefined} />
      {errors.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

/** The refusal's title and the errors no input of the form shows. */
function SubscriptionProblem({ title, errors }: { title: string; errors: readonly FieldError[] }) {
  return (
    <div className="form-problem" role="alert">
      <p className="form-problem-title">{title}</p>
      <ul>
        {errors.map((e) => (
          <li key={e.field + e.rule}>
            <code>{e.field}</code> {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Creates a webhook subscription: URL, optional filters, optional secret (else generated). */
export function SubscriptionForm() {
  const create = useConsole((state) => state.createSubscription);
  const problem = useConsole((state) => state.subscriptionForm?.problem ?? null);
  const pending = useConsole((state) => state.subscriptionForm?.pending ?? false);
  const blocked = useChangesBlocked();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const kindChoices = [...useConsole(selectors.kindNames), 'batch'];
  const [kinds, setKinds] = useState<string[]>([]);
  const [statuses, setStatuses] = useState<(typeof STATUS_CHOICES)[number][]>([]);
  const ids = useId();
  const urlErrors = errorsFor(problem, 'url');
  const secretErrors = errorsFor(problem, 'secret');
  const otherErrors = (problem?.errors ?? []).filter((e) => e.field !== 'url' && e.field !== 'secret');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const events: SubscriptionFilter = {
      ...(kinds.length ? { kinds } : {}),
      ...(statuses.length ? { statuses } : {}),
    };
    void create({ url: url.trim(), events, ...(secret.trim() ? { secret: secret.trim() } : {}) }).then((ok) => {
      if (ok) {
        setUrl('');
        setSecret('');
        setKinds([]);
        setStatuses([]);
      }
    });
  };

  return (
    <form className="card job-form stacked-form" aria-label="Create a subscription" onSubmit={submit}>
      <div className="job-form-header">
        <h3>New subscription</h3>
        <p className="muted small">Each matching event is POSTed, signed per Standard Webhooks, and retried until a 2xx.</p>
      </div>
      <UrlField id={`${ids}-url`} value={url} onChange={setUrl} errors={urlErrors} />
      <Choices legend="Kinds" choices={kindChoices} chosen={kinds} onChange={setKinds} />
      <Choices legend="Statuses" choices={STATUS_CHOICES} chosen={statuses} onChange={setStatuses} />
      <div className="field">
        <label htmlFor={`${ids}-secret`}>
          <span className="field-name">Secret (optional)</span>
        </label>
        <input id={`${ids}-secret`} type="text" spellCheck={false} placeholder="whsec_… (generated when empty)" value={secret} onChange={(e) => setSecret(e.target.value)} aria-invalid={secretErrors.length ? true : undefined} />
        {secretErrors.length > 0 && <p className="field-error">{secretErrors.join(' ')}</p>}
      </div>
      {problem && (otherErrors.length > 0 || !problem.errors?.length) && <SubscriptionProblem title={problem.title} errors={otherErrors} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || blocked}>
          {pending ? 'Creating…' : 'Create subscription'}
        </button>
      </div>
    </form>
  );
}
