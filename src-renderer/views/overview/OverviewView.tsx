import { useEffect, useState } from 'react';
import type { DependencyName } from '../../../src-shared/console-records';
import { JOB_STATUSES } from '../../../src-shared/statuses';
import { RateChart } from '../../components/RateChart';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { kindLabel, statusSlug } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { perSecond, THROUGHPUT_SECONDS } from '../../store/throughput';

/** The kinds to count: the console's (shown at 0 too), then any other kind of the jobs held (one removed from the kinds file). */
const kindsOf = (kinds: readonly string[], byKind: Readonly<Record<string, number>>): string[] => [...new Set([...kinds, ...Object.keys(byKind)])];

const HEALTH_REFRESH_MS = 5_000;
const CHART_TICK_MS = 1_000;

const DEPENDENCY_LABEL: Record<DependencyName, string> = {
  rabbitmq: 'RabbitMQ',
  redis: 'Redis',
  postgresql: 'PostgreSQL',
  smtp: 'SMTP',
};

function StatusCounts() {
  const { byStatus, byKind } = useConsole(selectors.counts);
  const kinds = useConsole(selectors.kindNames);
  const navigate = useConsole((state) => state.navigate);
  const setFilter = useConsole((state) => state.setFilter);
  return (
    <section className="card" aria-labelledby="counts-heading">
      <h3 id="counts-heading">Jobs by status</h3>
      <ul className="stat-grid">
        {JOB_STATUSES.map((status) => (
          <li key={status}>
            <button
              type="button"
              className={`stat status-${statusSlug(status)}`}
              aria-label={`${byStatus[status]} ${status}, show them`}
              onClick={() => {
                setFilter({ status, kind: null, search: '' });
                navigate('jobs');
              }}
            >
              <span className="stat-value">{byStatus[status].toLocaleString()}</span>
              <span className="stat-label">{status}</span>
            </button>
          </li>
        ))}
      </ul>
      <h3>By kind</h3>
      <ul className="kind-counts">
        {kindsOf(kinds, byKind).map((kind) => (
          <li key={kind}>
            <span>{kindLabel(kind)}</span> <strong>{(byKind[kind] ?? 0).toLocaleString()}</strong>
          </li>
        ))}
      </ul>
      <p className="muted small">Of the jobs this window holds (the newest, and older ones loaded from the history).</p>
    </section>
  );
}

function Throughput() {
  const series = useConsole((state) => state.throughput);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CHART_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const to = Math.floor(now / 1000);
  const from = to - THROUGHPUT_SECONDS + 1;
  return (
    <section className="card" aria-labelledby="throughput-heading">
      <h3 id="throughput-heading">Jobs per second</h3>
      <RateChart
        label="Jobs accepted and done per second"
        spanLabel="5 min"
        series={[
          { name: 'In', values: perSecond(series, from, to, 'accepted'), className: 'line-in' },
          { name: 'Done', values: perSecond(series, from, to, 'done'), className: 'line-done' },
        ]}
      />
      <p className="muted small">
        In: jobs accepted, from any client (this console, the API, batches, the book's routes). Done: jobs that reached
        DONE. Each job counts once; per second, and in total over the last 5 min, from the live events since this window
        opened.
      </p>
    </section>
  );
}

function Health() {
  const { data: health, error } = useConsole((state) => state.health);
  const loadHealth = useConsole((state) => state.loadHealth);
  usePolling(loadHealth, HEALTH_REFRESH_MS);
  return (
    <section className="card" aria-labelledby="health-heading">
      <h3 id="health-heading">Health</h3>
      <ReadFailed title="Could not ask the console for its health." error={error} />
      {!health && !error && <p className="muted">Checking…</p>}
      {health && (
        <ul className="health-list" aria-label="Dependencies">
          {(Object.keys(DEPENDENCY_LABEL) as DependencyName[]).map((name) => {
            const state = health.dependencies[name];
            return (
              <li key={name} data-up={state.up}>
                <span className="health-dot" aria-hidden="true" />
                <span className="health-name">{DEPENDENCY_LABEL[name]}</span>
                <span className="health-state">{state.up ? 'up' : `down: ${state.error ?? 'no answer'}`}</span>
              </li>
            );
          })}
          {Object.entries(health.workers).map(([kind, workers]) => {
            const up = workers.ready >= workers.configured && workers.configured > 0;
            return (
              <li key={kind} data-up={workers.configured === 0 ? 'idle' : up}>
                <span className="health-dot" aria-hidden="true" />
                <span className="health-name">Workers {kindLabel(kind)}</span>
                <span className="health-state">
                  {workers.configured === 0 ? 'none here (may run elsewhere)' : `${workers.ready} of ${workers.configured} ready`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const FLOW_REFRESH_MS = 5_000;

/** Kinds an operator paused or limited: their workers hold back, whatever the queues hold. */
function FlowSummary() {
  const flows = useConsole((state) => state.flows.data);
  const loadFlows = useConsole((state) => state.loadFlows);
  const navigate = useConsole((state) => state.navigate);
  usePolling(loadFlows, FLOW_REFRESH_MS);
  const held = (flows?.kinds ?? []).filter((flow) => flow.paused || flow.rate_per_s !== null || flow.concurrency !== null);
  return (
    <section className="card" aria-labelledby="flow-summary-heading">
      <h3 id="flow-summary-heading">Pause and limits</h3>
      {held.length === 0 ? (
        <p className="muted">Every kind runs, without limits.</p>
      ) : (
        <ul className="flow-summary">
          {held.map((flow) => (
            <li key={flow.kind}>
              <strong>{kindLabel(flow.kind)}</strong> {flow.paused && <span className="state-badge flow-paused">Paused</span>}
              {flow.rate_per_s !== null && <span className="muted"> · {flow.rate_per_s}/s</span>}
              {flow.concurrency !== null && <span className="muted"> · {flow.concurrency} in flight</span>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" onClick={() => navigate('queues')}>
        Change in Queues
      </button>
    </section>
  );
}

/** What is happening now: counts, throughput, and whether every dependency is up. */
export function OverviewView() {
  return (
    <section className="view overview-view" aria-labelledby="overview-heading">
      <ViewHeader id="overview-heading" title="Overview" description="Jobs by status and kind, throughput over the last minutes, and the health of every part." />
      <div className="overview-grid">
        <StatusCounts />
        <Health />
        <FlowSummary />
        <Throughput />
      </div>
    </section>
  );
}
