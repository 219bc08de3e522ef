import { useEffect, type ReactNode } from 'react';
import { AccessLine, ReadOnlyBanner, TokenDialog } from './access/TokenDialog';
import { ModeBanner } from './access/ModeBanner';
import { KeyboardLayer } from './components/KeyboardLayer';
import { ConnectionIndicator } from './components/ConnectionIndicator';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ProfileBar, useProfileColor } from './components/ProfileBar';
import { OfflineBanner } from './components/OfflineBanner';
import { useConsole } from './store/context';
import { viewTooltip } from './keyboard/shortcuts';
import { VIEWS } from './store/nav-slice';
import { selectors } from './store/selectors';
import type { ViewName } from './store/nav-slice';
import { firingCount } from './store/alerts-slice';
import { AlertsView } from './views/alerts/AlertsView';
import { useAlertWatch } from './views/alerts/alert-watch';
import { ApiView } from './views/api/ApiView';
import { AuditView } from './views/audit/AuditView';
import { BatchesView } from './views/batches/BatchesView';
import { CompareView } from './views/compare/CompareView';
import { JobsView } from './views/jobs/JobsView';
import { MailView } from './views/mail/MailView';
import { OverviewView } from './views/overview/OverviewView';
import { QueuesView } from './views/queues/QueuesView';
import { DeadLettersView } from './views/dead-letters/DeadLettersView';
import { SchedulesView } from './views/schedules/SchedulesView';
import { SettingsView } from './views/settings/SettingsView';
import { SubmitView } from './views/submit/SubmitView';
import { SubscriptionsView } from './views/subscriptions/SubscriptionsView';
import { WebhooksView } from './views/webhooks/WebhooksView';
import { WorkersView } from './views/workers/WorkersView';
import { VIEW_TITLES } from './view-titles';

const VIEW_OF: Record<ViewName, () => ReactNode> = {
  overview: () => <OverviewView />,
  submit: () => <SubmitView />,
  jobs: () => <JobsView />,
  queues: () => <QueuesView />,
  workers: () => <WorkersView />,
  batches: () => <BatchesView />,
  schedules: () => <SchedulesView />,
  mail: () => <MailView />,
  webhooks: () => <WebhooksView />,
  subscriptions: () => <SubscriptionsView />,
  'dead-letters': () => <DeadLettersView />,
  alerts: () => <AlertsView />,
  audit: () => <AuditView />,
  api: () => <ApiView />,
  settings: () => <SettingsView />,
  compare: () => <CompareView />,
};

function Navigation({ view }: { view: ViewName }) {
  const firing = useConsole((state) => firingCount(state.alertRules.data));
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((name, index) => (
          <li key={name}>
            <a
              href={`#/${name}`}
              className={`nav-link nav-${name}`}
              aria-current={name === view ? 'page' : undefined}
              aria-keyshortcuts={index < 9 ? `Alt+${index + 1}` : undefined}
              title={viewTooltip(name)}
            >
              <span className="nav-icon" aria-hidden="true" />
              {VIEW_TITLES[name]}
              {name === 'alerts' && firing > 0 && (
                <span className="nav-badge alert-badge" aria-label={`${firing} firing`} title={`${firing} alert rules firing`}>
                  {firing}
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function App() {
  const connection = useConsole(selectors.connection);
  const view = useConsole((state) => state.view);
  const navigate = useConsole((state) => state.navigate);
  const profileColor = useProfileColor();
  useAlertWatch();
  useEffect(() => {
    document.title = `${VIEW_TITLES[view]} · Jobdeck`;
  }, [view]);

  return (
    <div className={profileColor ? 'app has-profile-color' : 'app'} style={profileColor}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            J
          </span>
          <div>
            <h1>Jobdeck</h1>
            <p className="app-tagline">Async jobs console</p>
          </div>
        </div>
        <Navigation view={view} />
        <ConnectionIndicator state={connection} />
        <AccessLine />
      </aside>
      <main className="app-main" id="main" tabIndex={-1} data-view={view}>
        <ProfileBar />
        <OfflineBanner />
        <ReadOnlyBanner />
        <ModeBanner />
        <ErrorBoundary key={view}>{VIEW_OF[view]()}</ErrorBoundary>
      </main>
      <KeyboardLayer navigate={navigate} />
      <TokenDialog />
    </div>
  );
}
