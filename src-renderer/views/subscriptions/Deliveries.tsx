import { useEffect, useRef } from 'react';
import type { Delivery } from '../../../src-shared/subscription-schemas';
import { EntityLink } from '../../components/EntityLink';
import { Time } from '../../components/Time';
import { shortId } from '../../format';
import { useConsole } from '../../store/context';
import { useChangesBlocked } from '../../access/access-context';

function Attempts({ delivery }: { delivery: Delivery }) {
  if (delivery.attempts.length === 0) return <p className="muted small">No attempt yet.</p>;
  return (
    <table className="data-table attempts-table" aria-label={`Attempts of delivery ${shortId(delivery.id)}`}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Time</th>
          <th scope="col" className="numeric">
            Status code
          </th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {delivery.attempts.map((attempt, index) => (
          <tr key={`${attempt.at}-${index}`}>
            <td>{index + 1}</td>
            <td>
              <Time iso={attempt.at} milliseconds />
            </td>
            <td className="numeric">{attempt.status_code ?? '—'}</td>
            <td className="numeric">{attempt.duration_ms} ms</td>
            <td className={attempt.error ? 'job-error' : 'muted'}>{attempt.error ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeliveryItem({ subscriptionId, delivery, selected }: { subscriptionId: string; delivery: Delivery; selected: boolean }) {
  const redeliver = useConsole((state) => state.redeliver);
  const itemRef = useRef<HTMLLIElement>(null);
  // A delivery a link opened is brought into view when it is first shown.
  useEffect(() => {
    if (selected) itemRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const blocked = useChangesBlocked();
  const action = useConsole((state) => (state.subscriptionAction?.target === delivery.id ? state.subscriptionAction : null));
  return (
    <li ref={itemRef} className="delivery" data-state={delivery.state} aria-current={selected ? 'true' : undefined}>
      <div className="delivery-head">
        <code className="event-type">{delivery.event_type}</code>
        <span className={`delivery-state delivery-${delivery.state}`}>{delivery.state}</span>
        <span className="muted small">
          delivery <EntityLink entity={{ kind: 'delivery', id: delivery.id, subscriptionId }} />
          {delivery.job_id && (
            <>
              {' '}
              · job <EntityLink entity={{ kind: 'job', id: delivery.job_id }} />
            </>
          )}
          {delivery.batch_id && (
            <>
              {' '}
              · batch <EntityLink entity={{ kind: 'batch', id: delivery.batch_id }} />
            </>
          )}{' '}
          · event <code>{delivery.event_id}</code> · created <Time iso={delivery.created_at} />
          {delivery.next_attempt_at && (
            <>
              {' '}
              · next try <Time iso={delivery.next_attempt_at} />
            </>
          )}
        </span>
        <button
          type="button"
          className="secondary"
          disabled={action?.pending || blocked}
          aria-label={`Redeliver ${delivery.event_type} (delivery ${shortId(delivery.id)})`}
          onClick={() => void redeliver(subscriptionId, delivery.id)}
        >
          Redeliver
        </button>
      </div>
      {action?.problem && (
        <p className="inline-error" role="alert">
          Redelivery refused: {action.problem.title}
        </p>
      )}
      <Attempts delivery={delivery} />
    </li>
  );
}

/** A subscription's deliveries, newest first, each with every attempt. */
export function Deliveries({ subscriptionId }: { subscriptionId: string }) {
  const list = useConsole((state) => state.deliveries[subscriptionId]);
  const selectedId = useConsole((state) => state.selectedDeliveryId);
  if (!list || list.status === 'loading') return <p className="muted">Loading deliveries…</p>;
  if (list.status === 'failed') return <p className="inline-error">Could not read the deliveries: {list.error}</p>;
  const items = list.data ?? [];
  if (items.length === 0) return <p className="empty">No deliveries yet: one appears with the next matching event.</p>;
  return (
    <ol className="deliveries" aria-label="Deliveries">
      {items.map((delivery) => (
        <DeliveryItem key={delivery.id} subscriptionId={subscriptionId} delivery={delivery} selected={delivery.id === selectedId} />
      ))}
    </ol>
  );
}
