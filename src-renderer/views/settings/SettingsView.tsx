import { useEffect } from 'react';
import type { ConnectionSettings, DependencyName } from '../../../src-shared/console-records';
import { ENVIRONMENT_PROFILE_ID } from '../../../src-shared/profile-schemas';
import { Time } from '../../components/Time';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { timeZoneLabel } from '../../format';
import { useConsole } from '../../store/context';
import { useAppVersion } from '../../shell/shell-context';
import { ProfilesPanel } from './ProfilesPanel';

const SERVICES: { name: DependencyName; label: string; url: keyof ConnectionSettings; setting: string }[] = [
  { name: 'rabbitmq', label: 'RabbitMQ', url: 'amqp_url', setting: 'AMQP_URL' },
  { name: 'redis', label: 'Redis', url: 'redis_url', setting: 'REDIS_URL' },
  { name: 'postgresql', label: 'PostgreSQL', url: 'database_url', setting: 'DATABASE_URL' },
  { name: 'smtp', label: 'SMTP', url: 'smtp_url', setting: 'SMTP_URL' },
];

/** The connections in use (passwords masked) and a test of each: the health check, asked now. */
export function SettingsView() {
  const { data: settings, error: settingsError } = useConsole((state) => state.settings);
  const { data: health, error: healthError, at: checkedAt } = useConsole((state) => state.health);
  const loadHealth = useConsole((state) => state.loadHealth);
  const loadSettings = useConsole((state) => state.loadSettings);
  const appVersion = useAppVersion();
  const liveProfile = useConsole((state) => state.profiles.data?.active ?? null);
  useEffect(() => {
    void loadSettings();
    void loadHealth();
  }, [loadSettings, loadHealth]);

  return (
    <section className="view" aria-labelledby="settings-heading">
      <ViewHeader id="settings-heading" title="Settings" description="The services this console is connected to, and a test of each connection.">
        <button type="button" className="primary" onClick={() => void loadHealth()}>
          Test connections
        </button>
      </ViewHeader>
      <ReadFailed title="Could not ask the console." error={settingsError ?? healthError} />
      <div className="card table-card">
        <table className="data-table" aria-label="Connections">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">URL (password masked)</th>
              <th scope="col">Set by</th>
              <th scope="col">Test</th>
            </tr>
          </thead>
          <tbody>
            {SERVICES.map((service) => {
              const state = health?.dependencies[service.name];
              return (
                <tr key={service.name}>
                  <th scope="row">{service.label}</th>
                  <td>
                    <code>{settings?.[service.url] ?? '…'}</code>
                  </td>
                  <td>{liveProfile && liveProfile.id !== ENVIRONMENT_PROFILE_ID ? `profile ${liveProfile.name}` : <code>{service.setting}</code>}</td>
                  <td className={state ? (state.up ? 'ok-text' : 'inline-error') : 'muted'}>
                    {state ? (state.up ? 'connected' : `not reachable: ${state.error ?? 'no answer'}`) : 'testing…'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small" role="status">
        {checkedAt ? (
          <>
            Tested at <Time iso={new Date(checkedAt).toISOString()} />.{' '}
          </>
        ) : (
          ''
        )}
        {settings ? `API ${settings.api_url}, namespace ${settings.namespace}. ` : ''}
        {settings ? `Kinds file: ${settings.kinds_file ?? 'none (JOBDECK_KINDS unset: the built-in kinds only)'}. ` : ''}
        These are the active profile&apos;s connections; switch profiles below without a restart (the environment variables make the profile named environment).
      </p>
      <ProfilesPanel />
      <p className="muted small">Times are local to this computer ({timeZoneLabel()}), on a 24-hour clock, with the date when not today; point at a time for its full value.</p>
      {appVersion && <p className="muted small">Jobdeck {appVersion}, desktop window.</p>}
    </section>
  );
}
