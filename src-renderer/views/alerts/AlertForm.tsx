import { useId, useState, type FormEvent } from 'react';
import { ALERT_TYPES, DEFAULT_ALERT_WINDOW_S, type AlertRule, type AlertType } from '../../../src-shared/alert-schemas';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { errorsFor } from '../submit/problem-fields';
import { useChangesBlocked } from '../../access/access-context';

/** What each type measures, as the form's hint says it. */
export const TYPE_HINTS: Readonly<Record<AlertType, string>> = {
  failure_rate: 'FAILED / finished jobs of a kind over the window: a fraction 0–1.',
  backlog: 'Jobs waiting in the queue (any kind when none is chosen).',
  drain_time: 'Seconds to drain the queue at the window’s completion rate.',
  no_consumers: 'Jobs waiting (more than the threshold) with no consumer on the queue.',
  crash_loop: 'Restarts of one worker slot within the window.',
  dead_letters_growing: 'Jobs dead-lettered within the window.',
  webhook_failing: 'Failed attempts of one subscription since its last success, within the window.',
  dependency_down: 'Dependencies down (RabbitMQ, Redis, PostgreSQL, SMTP).',
};

interface Draft {
  name: string;
  type: AlertType;
  kind: string;
  threshold: string;
  window: string;
  webhook: string;
}

const draftOf = (rule: AlertRule | null): Draft => ({
  name: rule?.name ?? '',
  type: rule?.type ?? 'failure_rate',
  kind: rule?.kind ?? '',
  threshold: rule ? String(rule.threshold) : '0.5',
  window: String(rule?.window_s ?? DEFAULT_ALERT_WINDOW_S),
  webhook: rule?.webhook_url ?? '',
});

function Field({ id, label, errors, children }: { id: string; label: string; errors: string[]; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="field-name">{label}</span>
      </label>
      {children}
      {errors.length > 0 && <p className="field-error">{errors.join(' ')}</p>}
    </div>
  );
}

/** Creates a rule, or edits `rule`: name, type, kind, threshold, window and webhook URL. */
export function AlertForm({ rule, onDone }: { rule: AlertRule | null; onDone?: () => void }) {
  const create = useConsole((state) => state.createAlert);
  const update = useConsole((state) => state.updateAlert);
  const form = useConsole((state) => ((state.alertForm?.target ?? null) === (rule?.id ?? null) ? state.alertForm : null));
  const blocked = useChangesBlocked();
  const kinds = useConsole(selectors.kindNames);
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule));
  const ids = useId();
  const problem = form?.problem ?? null;
  const change = (part: Partial<Draft>) => setDraft({ ...draft, ...part });
  const others = (problem?.errors ?? []).filter((e) => !['name', 'type', 'kind', 'threshold', 'window_s', 'webhook_url'].includes(e.field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name: draft.name.trim(),
      type: draft.type,
      kind: draft.kind || null,
      threshold: Number(draft.threshold),
      window_s: Number(draft.window),
      webhook_url: draft.webhook.trim() || null,
    };
    void (rule ? update(rule.id, body) : create(body)).then((ok) => {
      if (ok && !rule) setDraft(draftOf(null));
      if (ok) onDone?.();
    });
  };

  return (
    <form className="card job-form stacked-form alert-form" aria-label={rule ? `Edit ${rule.name}` : 'Create an alert rule'} onSubmit={submit}>
      <div className="job-form-header">
        <h3>{rule ? 'Edit rule' : 'New alert rule'}</h3>
        <p className="muted small">{TYPE_HINTS[draft.type]} It fires above the threshold, once per episode.</p>
      </div>
      <Field id={`${ids}-name`} label="Name" errors={errorsFor(problem, 'name')}>
        <input id={`${ids}-name`} type="text" required value={draft.name} onChange={(e) => change({ name: e.target.value })} />
      </Field>
      <Field id={`${ids}-type`} label="Type" errors={errorsFor(problem, 'type')}>
        <select id={`${ids}-type`} value={draft.type} onChange={(e) => change({ type: e.target.value as AlertType })}>
          {ALERT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${ids}-kind`} label="Kind" errors={errorsFor(problem, 'kind')}>
        <select id={`${ids}-kind`} value={draft.kind} onChange={(e) => change({ kind: e.target.value })}>
          <option value="">(every kind)</option>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-row">
        <Field id={`${ids}-threshold`} label="Threshold" errors={errorsFor(problem, 'threshold')}>
          <input id={`${ids}-threshold`} type="number" step="any" min="0" required value={draft.threshold} onChange={(e) => change({ threshold: e.target.value })} />
        </Field>
        <Field id={`${ids}-window`} label="Window (s)" errors={errorsFor(problem, 'window_s')}>
          <input id={`${ids}-window`} type="number" min="1" required value={draft.window} onChange={(e) => change({ window: e.target.value })} />
        </Field>
      </div>
      <Field id={`${ids}-webhook`} label="Webhook URL (optional)" errors={errorsFor(problem, 'webhook_url')}>
        <input id={`${ids}-webhook`} type="text" inputMode="url" placeholder="https://example.com/hooks/alerts" value={draft.webhook} onChange={(e) => change({ webhook: e.target.value })} />
      </Field>
      {problem && (others.length > 0 || !problem.errors?.length) && (
        <p className="inline-error" role="alert">
          {problem.title}: {problem.detail}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form?.pending || blocked}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        {onDone && (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
