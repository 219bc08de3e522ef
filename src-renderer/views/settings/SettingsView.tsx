import { usePolling } from '../../components/use-polling';
import { ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';

const REFRESH_MS = 30_000;

/** Connection tests: each dependency pinged now (the health check), with the error if any. */
export function SettingsView() {
  const health = useConsole((state) => state.health);
  const error = useConsole((state) => state.healthError);
  const checkedAt = useConsole((state) => state.healthCheckedAt);
  const loadHealth = useConsole((state) => state.loadHealth);
  usePolling(loadHealth, REFRESH_MS);
  return (
    <section className="view" aria-labelledby="settings-heading">
      <ViewHeader id="settings-heading" title="Settings" description="The services this console uses, and a test of each connection.">
        <button type="button" className="primary" onClick={() => void loadHealth()}>
          Test connections
        </button>
      </ViewHeader>
      <div className="card">
        <table className="data-table" aria-label="Connections">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {health &&
              Object.entries(health.dependencies).map(([name, state]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className={state.up ? 'ok-text' : 'inline-error'}>{state.up ? 'connected' : `not reachable: ${state.error ?? 'no answer'}`}</td>
                </tr>
              ))}
            {!health && (
              <tr>
                <td colSpan={2} className="empty">
                  {error ? `Could not test: ${error}` : 'Testing…'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <p className="muted small" role="status">
          {checkedAt ? `Tested at ${new Date(checkedAt).toLocaleTimeString()}.` : ''} The URLs are set by AMQP_URL, REDIS_URL, DATABASE_URL and the SMTP settings when the console starts (see README).
        </p>
      </div>
    </section>
  );
}
