import type { ReactNode } from 'react';
import type { RecordDetail } from '../store/records-slice';
import { Notice } from './ViewHeader';

/** A list of received records (mail, webhooks), newest first; one is selected at a time. */
export function RecordList<T extends { id: string }>({
  label,
  items,
  selectedId,
  onSelect,
  render,
  empty,
}: {
  label: string;
  items: readonly T[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  render: (item: T) => ReactNode;
  empty: ReactNode;
}) {
  if (items.length === 0) return <div className="card empty-card">{empty}</div>;
  return (
    <ul className="record-list card" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          <button type="button" className="record-item" aria-current={item.id === selectedId ? 'true' : undefined} onClick={() => onSelect(item.id)}>
            {render(item)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Headers as a two-column table. */
export function HeadersTable({ label, headers }: { label: string; headers: Record<string, string | string[] | undefined> }) {
  return (
    <table className="data-table headers-table" aria-label={label}>
      <tbody>
        {Object.entries(headers).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{Array.isArray(value) ? value.join(', ') : (value ?? '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The shown item's whole record once read; until then, or when it cannot be, a line that says
 * why (`what` names the item: "message", "request").
 */
export function RecordBody<Whole>({
  detail,
  what,
  gone,
  children,
}: {
  detail: RecordDetail<Whole> | null;
  what: string;
  /** Where an item goes when it is no longer kept. */
  gone: string;
  children: (record: Whole) => ReactNode;
}) {
  if (detail?.status === 'loaded' && detail.data !== null) return <>{children(detail.data)}</>;
  if (detail?.status === 'loaded') return <p className="muted">This {what} is no longer kept: {gone}</p>;
  if (detail?.status === 'failed') {
    return (
      <Notice title={`Could not read this ${what}.`}>
        <p>{detail.error} It is retried every 5 seconds.</p>
      </Notice>
    );
  }
  return (
    <p className="muted" role="status">
      Loading the {what}…
    </p>
  );
}
