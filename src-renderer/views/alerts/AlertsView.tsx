import { useCallback, useState } from 'react';
import type { AlertRule } from '../../../src-shared/alert-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RecordList } from '../../components/RecordList';
import { SecretNotice } from '../../components/SecretNotice';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';
import { AlertForm } from './AlertForm';
import { AllowNotifications } from './AllowNotifications';
import { useChangesBlocked } from '../../access/access-context';

const LIST_REFRESH_MS = 5_000;
const HISTORY_REFRESH_MS = 5_000;

const shownValue = (rule: AlertRule): string => (rule.value === null ? '—' : String(Math.round(rule.value * 1000) / 1000));

function StateBadge({ rule }: { rule: AlertRule }) {
  const state = !rule.enabled ? 'disabled' : rule.state;
  return <span className={`alert-state alert-state-${state}`}>{state}</span>;
}

function CreatedAlertSecret() {
  const created = useConsole((state) => state.createdAlertSecret);
  const dismiss = useConsole((state) => state.dismissAlertSecret);
  if (!created) return null;
  return <SecretNotice title="Webhook signing secret: copy it now, it is not shown again." label="Webhook signing secret" secret={created.secret} onHide={dismiss} />;
}

function History({ ruleId }: { ruleId: string }) {
  const loadEvents = useConsole((state) => state.loadAlertEvents);
  const { data, error } = useConsole((state) => state.alertEvents[ruleId] ?? { data: null, error: null });
  usePolling(useCallback(() => loadEvents(ruleId), [loadEvents, ruleId]), HISTORY_REFRESH_MS);
  if (error) return <p className="inline-error">Could not read the history: {error}</p>;
  if (data?.length === 0) return <p className="empty">It has not fired yet.</p>;
  return (
    <table className="table alert-history" aria-label="Firing history">
      <thead>
        <tr>
          <th scope="col">Fired</th>
          <th scope="col">Resolved</th>
          <th scope="col">Value</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {(data ?? []).map((event) => (
          <tr key={event.id}>
            <td>
              <Time iso={event.fired_at} />
            </td>
            <td>{event.resolved_at ? <Time iso={event.resolved_at} /> : <span className="alert-state alert-state-firing">firing</span>}</td>
            <td>{event.value ?? '—'}</td>
            <td>
              {event.message}
              {event.resolved_message && <span className="muted small"> · resolved: {event.resolved_message}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RuleDetail({ rule }: { rule: AlertRule }) {
  const update = useConsole((state) => state.updateAlert);
  const remove = useConsole((state) => state.deleteAlert);
  const blocked = useChangesBlocked();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  return (
    <article className="card record-detail alert-detail" aria-labelledby="alert-title">
      <header className="batch-header">
        <h3 id="alert-title">
          {rule.name} <StateBadge rule={rule} />
        </h3>
        <div className="alert-actions">
          <button type="button" className="secondary" disabled={blocked} onClick={() => setEditing(!editing)}>
            Edit
          </button>
          <button type="button" className="secondary" disabled={blocked} onClick={() => void update(rule.id, { enabled: !rule.enabled })}>
            {rule.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="danger" disabled={blocked} onClick={() => setConfirming(true)}>
            Delete
          </button>
        </div>
      </header>
      {confirming && (
        <ConfirmDialog
          id="delete-alert"
          title={`Delete the rule ${rule.name}?`}
          text="Its history goes with it. This cannot be undone."
          confirmLabel="Delete rule"
          cancelLabel="Keep it"
          onConfirm={() => void remove(rule.id)}
          onDone={() => setConfirming(false)}
        />
      )}
      {editing && <AlertForm key={rule.updated_at} rule={rule} onDone={() => setEditing(false)} />}
      <dl className="facts">
        <dt>Type</dt>
        <dd>{rule.type}</dd>
        <dt>Kind</dt>
        <dd>{rule.kind ?? 'every kind'}</dd>
        <dt>Fires above</dt>
        <dd>
          {rule.threshold} (window {rule.window_s} s)
        </dd>
        <dt>Value now</dt>
        <dd>{shownValue(rule)}</dd>
        <dt>Firing since</dt>
        <dd>{rule.firing_since ? <Time iso={rule.firing_since} /> : '—'}</dd>
        <dt>Webhook</dt>
        <dd>{rule.webhook_url ? <code>{rule.webhook_url}</code> : 'none'}</dd>
      </dl>
      <h4>History</h4>
      <History ruleId={rule.id} />
    </article>
  );
}

/** Alert rules: create and edit, each one's state and firing history; desktop notifications on fire. */
export function AlertsView() {
  const { status, data, error } = useConsole((state) => state.alertRules);
  const rules = data ?? [];
  const selectedId = useConsole((state) => state.selectedAlertId);
  const select = useConsole((state) => state.selectAlert);
  usePolling(useConsole((state) => state.loadAlerts), LIST_REFRESH_MS);
  const selected = rules.find((r) => r.id === selectedId) ?? rules[0];
  return (
    <section className="view alerts-view" aria-labelledby="alerts-heading">
      <ViewHeader id="alerts-heading" title="Alerts" description="Rules evaluated by one console of the namespace every few seconds; each fires once per episode and says when it resolves." />
      <AllowNotifications />
      <ReadFailed title="Could not read the alert rules." error={error} />
      <CreatedAlertSecret />
      <div className="batches-layout">
        <div className="subscriptions-side">
          <AlertForm rule={null} />
          <RecordList
            label="Alert rules"
            items={rules}
            selectedId={selected?.id ?? null}
            onSelect={select}
            empty={<p className="empty">{status === 'loaded' ? 'No rules yet.' : 'Reading the rules…'}</p>}
            render={(rule) => (
              <>
                <span className="record-title">
                  {rule.name} <StateBadge rule={rule} />
                </span>
                <span className="record-meta">
                  {rule.type}
                  {rule.kind ? ` · ${rule.kind}` : ''} · above {rule.threshold} · now {shownValue(rule)}
                </span>
              </>
            )}
          />
        </div>
        {selected ? <RuleDetail key={selected.id} rule={selected} /> : <p className="empty card">Create a rule to see its state and history here.</p>}
      </div>
    </section>
  );
}
