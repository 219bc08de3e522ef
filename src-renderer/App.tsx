import { ConnectionIndicator } from './components/ConnectionIndicator';
import { ErrorBoundary } from './components/ErrorBoundary';
import { useConsole } from './store/context';
import { selectors } from './store/selectors';
import { JobDetail } from './views/jobs/JobDetail';
import { JobsTable } from './views/jobs/JobsTable';
import { SubmitPanel } from './views/submit/SubmitPanel';

export function App() {
  const connection = useConsole(selectors.connection);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Jobdeck</h1>
        <p className="app-tagline">Async jobs console</p>
        <ConnectionIndicator state={connection} />
      </header>
      <main className="app-main">
        <ErrorBoundary>
          <SubmitPanel />
          <JobsTable />
          <JobDetail />
        </ErrorBoundary>
      </main>
    </div>
  );
}
