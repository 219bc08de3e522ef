import type { ConnectionState } from '../store/connection-state';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

const DESCRIPTIONS: Record<ConnectionState, string> = {
  connecting: 'Opening the live feed of job events.',
  live: 'Job changes appear as they happen.',
  reconnecting: 'The live feed dropped; retrying. The table may be behind.',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <p className="connection" data-state={state} role="status" title={DESCRIPTIONS[state]}>
      <span className="connection-dot" aria-hidden="true" />
      <span>
        <span className="visually-hidden">Live updates: </span>
        {LABELS[state]}
      </span>
    </p>
  );
}
