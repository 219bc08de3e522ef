import { useEffect, useId, useMemo, useState } from 'react';
import type { WorkerPlace, WorkerProcessInfo, WorkersReport } from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import { EntityLink } from '../../components/EntityLink';
import { SortHeader } from '../../components/SortHeader';
import { nextSort, sortRows, type ColumnSort } from '../../store/column-sort';
import { usePolling } from '../../components/use-polling';
import { Notice, ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { formatBytes, formatDuration, kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { pausedKindsOf } from '../../store/flow-slice';
import { useChangesBlocked } from '../../access/access-context';

const REFRESH_MS = 2_000;

const STATE_LABEL: Record<WorkerProcessInfo['state'], string> = {
  starting: 'starting',
  ready: 'ready',
  reconnecting: 'reconnecting',
  stopping: 'stopping',
  exited: 'exited',
  'crash-loop': 'crash loop',
  stopped: 'stopped',
};

const PLACE_LABEL: Record<WorkerPlace, string> = {
  'this-console': 'this console',
  'other-console': 'another console',
  standalone: 'by hand',
};

function ScaleControl({ kind, report }: { kind: JobKind; report: WorkersReport }) {
  const scaleWorkers = useConsole((state) => state.scaleWorkers);
  const wanted = report.counts[kind] ?? 0;
  const [count, setCount] = useState(String(wanted));
  const id = useId();
  useEffect(() => setCount(String(wanted)), [wanted]);
  const consuming = report.workers.filter((worker) => worker.kinds.includes(kind));
  const ready = consuming.filter((worker) => worker.runs === 'this-console' && worker.state === 'ready').length;
  const elsewhere = consuming.filter((worker) => worker.runs !== 'this-console').length;
  const blocked = useChangesBlocked();
  const apply = (value: number) => void scaleWorkers(kind, value);
  return (
    <div className="card scale-card">
      <h3>{kindLabel(kind)}</h3>
      <p className="scale-figure">
        <span className="big-number">{ready}</span> <span className="muted">ready of {wanted} wanted</span>
        {elsewhere > 0 && <span className="muted">{` · ${elsewhere} elsewhere`}</span>}
      </p>
      <form
        className="scale-form"
        onSubmit={(event) => {
          event.preventDefault();
          apply(Number(count));
        }}
      >
        <button type="button" className="secondary icon" aria-label={`One fewer ${kind} worker`} disabled={blocked} onClick={() => apply(Math.max(0, wanted - 1))}>
          −
        </button>
        <label htmlFor={`${id}-count`} className="visually-hidden">
          {`${kind} workers`}
        </label>
        <input id={`${id}-count`} type="number" min={0} max={report.max_per_kind} value={count} onChange={(event) => setCount(event.target.value)} />
        <button type="button" className="secondary icon" aria-label={`One more ${kind} worker`} disabled={blocked} onClick={() => apply(wanted + 1)}>
          +
        </button>
        <button type="submit" className="primary" aria-label={`Scale ${kind} workers`} disabled={blocked}>
          Scale
        </button>
      </form>
    </div>
  );
}

/** Where the worker runs: this console's slot, or the host of a worker it does not run. */
function PlaceCell({ worker }: { worker: WorkerProcessInfo }) {
  const detail = worker.slot ?? worker.host;
  return (
    <td className="worker-place">
      {PLACE_LABEL[worker.runs]}
      <br />
      <code className="muted" title={worker.slot ? `slot ${worker.slot} of this console` : `host ${worker.host}`}>
        {detail}
      </code>
    </td>
  );
}

/** Restart and Stop, for this console's own slots only. */
function SlotActions({ worker }: { worker: WorkerProcessInfo }) {
  const restartWorker = useConsole((state) => state.restartWorker);
  const stopWorker = useConsole((state) => state.stopWorker);
  const blocked = useChangesBlocked();
  const slot = worker.slot;
  if (!slot) return <span className="muted">runs elsewhere</span>;
  const down = worker.state === 'stopped' || worker.state === 'stopping' || blocked;
  return (
    <div className="button-row compact">
      <button type="button" className="secondary" aria-label={`Restart worker ${slot}`} disabled={blocked} onClick={() => void restartWorker(slot)}>
        Restart
      </button>
      <button
        type="button"
        className="danger"
        aria-label={`Stop worker ${slot}`}
        aria-disabled={down || undefined}
        onClick={() => {
          if (!down) void stopWorker(slot);
        }}
      >
        Stop
      </button>
    </div>
  );
}

function WorkerRow({ worker, paused }: { worker: WorkerProcessInfo; paused: ReadonlySet<string> }) {
  const running = worker.pid !== null;
  const pausedHere = worker.kinds.filter((kind) => paused.has(kind));
  return (
    <tr data-worker={worker.name ?? worker.slot ?? undefined}>
      <th scope="row" className="worker-name">
        {worker.name ? <code>{worker.name}</code> : <span className="muted">no process</span>}
        <br />
        <span className="muted">{worker.kinds.map(kindLabel).join(', ')}</span>
        {pausedHere.length > 0 && (
          <>
            <br />
            <span className="state-badge flow-paused">Paused: {pausedHere.map(kindLabel).join(', ')}</span>
          </>
        )}
      </th>
      <PlaceCell worker={worker} />
      <td>
        <span className={`state-badge worker-${worker.state}`}>{STATE_LABEL[worker.state]}</span>
      </td>
      <td>{worker.current_job ? <EntityLink entity={{ kind: 'job', id: worker.current_job }} /> : <span className="muted">idle</span>}</td>
      <td className="numeric">{worker.processed}</td>
      <td className="numeric">{worker.failed}</td>
      <td className="numeric">{worker.retried}</td>
      <td className="numeric">{running ? formatDuration(worker.uptime_ms) : '—'}</td>
      <td className="numeric">{running ? formatBytes(worker.memory_rss_bytes) : '—'}</td>
      <td className="numeric">{worker.restarts ?? '—'}</td>
      <td>
        <SlotActions worker={worker} />
      </td>
    </tr>
  );
}

type WorkerValue = (worker: WorkerProcessInfo) => string | number;

/** The columns, each with what it counts (shown on hover and read by screen readers) and, where it sorts, its value. */
const COLUMNS: { header: string; counts?: string; value?: WorkerValue }[] = [
  { header: 'Worker', counts: 'The worker\'s one name, host/pid (the same name the timelines of the jobs it ran show), and the kinds it takes.', value: (w) => w.name ?? '' },
  { header: 'Runs', counts: 'Where it runs: a slot of this console, a worker another console runs, or one started by hand (npm run worker).', value: (w) => w.runs },
  { header: 'State', value: (w) => w.state },
  { header: 'Current job' },
  { header: 'Done', counts: 'Jobs this process finished DONE since it started.', value: (w) => w.processed },
  { header: 'Failed', counts: 'Jobs that ended FAILED in this process since it started: one per job, however many attempts it took.', value: (w) => w.failed },
  { header: 'Retried', counts: 'Failed attempts this process handed to a retry since it started (the job went on).', value: (w) => w.retried },
  { header: 'Uptime', counts: 'Time since this process started.', value: (w) => (w.pid === null ? -1 : w.uptime_ms) },
  { header: 'Memory', counts: 'Resident memory (RSS) of this process, as it last reported it.', value: (w) => (w.pid === null ? -1 : (w.memory_rss_bytes ?? -1)) },
  { header: 'Restarts', counts: "Restarts of this console's slot since it last ran stably; — for workers it does not run.", value: (w) => w.restarts ?? -1 },
  { header: 'Actions' },
];

const valueOf = (worker: WorkerProcessInfo, header: string): string | number => COLUMNS.find((column) => column.header === header)!.value!(worker);

const FLOW_REFRESH_MS = 5_000;

function WorkersTable({ workers }: { workers: WorkerProcessInfo[] }) {
  const [sort, setSort] = useState<ColumnSort<string> | null>(null);
  const flows = useConsole((state) => state.flows.data);
  const loadFlows = useConsole((state) => state.loadFlows);
  usePolling(loadFlows, FLOW_REFRESH_MS);
  const paused = useMemo(() => pausedKindsOf(flows), [flows]);
  return (
    <div className="card table-card">
      <table className="data-table workers-table" aria-label="Worker processes">
        <thead>
          <tr>
            {COLUMNS.map(({ header, counts, value }) =>
              value ? (
                <SortHeader
                  key={header}
                  label={header}
                  title={counts}
                  direction={sort?.key === header ? sort.direction : null}
                  onSort={() => setSort(nextSort(sort, header))}
                />
              ) : (
                <th key={header} scope="col" title={counts}>
                  {header}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {sortRows(workers, sort, valueOf).map((worker) => (
            <WorkerRow key={worker.name ?? worker.slot} worker={worker} paused={paused} />
          ))}
          {workers.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="empty">
                No workers consume this namespace. Use + on a kind above, or start one with npm run worker; jobs wait in the queue until then.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="table-note muted">
        Counts are since each process started. Done and Failed count jobs, once each (a job retried three times and then failed is one Failed);
        Retried counts the failed attempts that went to a retry.
      </p>
    </div>
  );
}

/**
 * Every worker that consumes the namespace: this console's (scale a kind, restart or stop one)
 * and the others, from their heartbeats. Refreshed every 2 s while shown.
 */
export function WorkersView() {
  const { data: report, error } = useConsole((state) => state.workers);
  const action = useConsole((state) => state.workerAction);
  const loadWorkers = useConsole((state) => state.loadWorkers);
  usePolling(loadWorkers, REFRESH_MS);

  return (
    <section className="view workers-view" aria-labelledby="workers-heading">
      <ViewHeader id="workers-heading" title="Workers" description="Every worker consuming this namespace: this console's own (scaling starts or gracefully stops them) and those running elsewhere." />
      <ReadFailed title="Could not read the workers." error={error} next="The figures below may be old; they refresh every 2 seconds." />
      {action?.problem && (
        <Notice title={`${action.target}: ${action.problem.title}`}>
          <p>{action.problem.errors?.map((e) => e.message).join(' ') || action.problem.detail}</p>
        </Notice>
      )}
      <p className="visually-hidden" role="status">
        {action?.pending ? `Asking to change ${action.target}…` : ''}
      </p>
      {!report && !error && <p className="muted">Loading workers…</p>}
      {report && !report.supervised && (
        <Notice title="This console runs no worker processes." tone="info">
          <p>Its workers run elsewhere (started with npm run worker, or by another console); those that write a heartbeat are listed below.</p>
        </Notice>
      )}
      {report?.elsewhere_unknown && (
        <Notice title="Only this console's workers are listed.">
          <p>The other workers' heartbeats could not be read from Redis; they may still be running.</p>
        </Notice>
      )}
      {report?.supervised && (
        <div className="scale-grid">
          {Object.keys(report.counts).map((kind) => (
            <ScaleControl key={kind} kind={kind} report={report} />
          ))}
        </div>
      )}
      {report && <WorkersTable workers={report.workers} />}
    </section>
  );
}
