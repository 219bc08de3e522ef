import { useCallback, useState } from 'react';
import type { Subscription } from '../../../src-shared/subscription-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useTypedConfirm } from '../../components/TypedConfirm';
import { EntityLink } from '../../components/EntityLink';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { shortId } from '../../format';
import { useConsole } from '../../store/context';
import { CreatedSecret } from './CreatedSecret';
import { Deliveries } from './Deliveries';
import { SubscriptionForm } from './SubscriptionForm';
import { useChangesBlockedReason } from '../../access/access-context';

const DELIVERIES_REFRESH_MS = 2_000;
const LIST_REFRESH_MS = 10_000;

const filterText = (list: readonly string[] | undefined): string => (list?.length ? list.join(', ') : 'all');

function DeleteConfirm({ subscription, onDone }: { subscription: Subscription; onDone: () => void }) {
  const remove = useConsole((state) => state.deleteSubscription);
  const typed = useTypedConfirm({ target: subscription.url, what: "the subscription's URL" });
  return (
    <ConfirmDialog
      id="delete-sub"
      title={`Delete the subscription to ${subscription.url}?`}
      text="No more events are delivered to it; deliveries still pending are dropped. This cannot be undone."
      confirmLabel="Delete subscription"
      cancelLabel="Keep it"
      typed={typed}
      onConfirm={(confirm) => void remove(subscription.id, confirm)}
      onDone={onDone}
    />
  );
}

function SubscriptionDetail({ subscription }: { subscription: Subscription }) {
  const loadDeliveries = useConsole((state) => state.loadDeliveries);
  const action = useConsole((state) => (state.subscriptionAction?.target === subscription.id ? state.subscriptionAction : null));
  const [confirming, setConfirming] = useState(false);
  const blockedReason = useChangesBlockedReason();
  const load = useCallback(() => loadDeliveries(subscription.id), [loadDeliveries, subscription.id]);
  usePolling(load, DELIVERIES_REFRESH_MS);
  return (
    <article className="card record-detail subscription-detail" aria-labelledby="subscription-title">
      <header className="batch-header">
        <h3 id="subscription-title">
          <code>{subscription.url}</code>
        </h3>
        <button
          type="button"
          className="danger"
          disabled={blockedReason !== null}
          title={blockedReason ?? undefined}
          onClick={() => setConfirming(true)}
          aria-label={`Delete subscription to ${subscription.url}`}
        >
          Delete
        </button>
      </header>
      {confirming && <DeleteConfirm subscription={subscription} onDone={() => setConfirming(false)} />}
      {action?.problem && (
        <p className="inline-error" role="alert">
          Delete refused: {action.problem.title}
        </p>
      )}
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <EntityLink entity={{ kind: 'subscription', id: subscription.id }} full />
        </dd>
        <dt>Created</dt>
        <dd>
          <Time iso={subscription.created_at} />
        </dd>
        <dt>Kinds</dt>
        <dd>{filterText(subscription.events.kinds)}</dd>
        <dt>Statuses</dt>
        <dd>{filterText(subscription.events.statuses)}</dd>
      </dl>
      <h4>Deliveries</h4>
      <Deliveries subscriptionId={subscription.id} />
    </article>
  );
}

/** Webhook subscriptions: create (secret shown once), delete, and each one's deliveries. */
export function SubscriptionsView() {
  const { status, data, error } = useConsole((state) => state.subscriptions);
  const subscriptions = data ?? [];
  const selectedId = useConsole((state) => state.selectedSubscriptionId);
  const select = useConsole((state) => state.selectSubscription);
  const load = useConsole((state) => state.loadSubscriptions);
  usePolling(load, LIST_REFRESH_MS);
  const selected = subscriptions.find((s) => s.id === selectedId) ?? subscriptions[0];

  return (
    <section className="view subscriptions-view" aria-labelledby="subscriptions-heading">
      <ViewHeader id="subscriptions-heading" title="Subscriptions" description="Webhook subscriptions: where events are POSTed, and every delivery attempt." />
      <ReadFailed title="Could not read the subscriptions." error={error} />
      <CreatedSecret />
      <div className="batches-layout">
        <div className="subscriptions-side">
          <SubscriptionForm />
          <nav className="card" aria-label="Subscriptions">
            {status === 'loaded' && subscriptions.length === 0 && <p className="empty">No subscriptions yet.</p>}
            <ul className="record-list">
              {subscriptions.map((s) => (
                <li key={s.id}>
                  <button type="button" className="record-item" aria-current={s.id === selected?.id ? 'true' : undefined} onClick={() => select(s.id)}>
                    <span className="record-title" title={s.url}>
                      {s.url}
                    </span>
                    <span className="record-meta">
                      {shortId(s.id)} · kinds {filterText(s.events.kinds)} · statuses {filterText(s.events.statuses)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        {selected ? <SubscriptionDetail key={selected.id} subscription={selected} /> : <p className="empty card">Create a subscription to see its deliveries here.</p>}
      </div>
    </section>
  );
}
