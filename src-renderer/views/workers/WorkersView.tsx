import { useEffect, useId, useState } from 'react';
import type { WorkerProcessInfo, WorkersReport } from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import { usePolling } from '../../components/use-polling';
import { Notice, ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { formatBytes, formatDuration, kindLabel, shortId } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';

const REFRESH_MS = 2_000;

const STATE_LABEL: Record<WorkerProcessInfo['state'], string> = {
  starting: 'starting',
  ready: 'ready',
  stopping: 'stopping',
  exited: 'exited',
  'crash-loop': 'crash loop',
  stopped: 'stopped',
};

function ScaleControl({ kind, report }: { kind: JobKind; report: WorkersReport }) {
  const scaleWorkers = useConsole((state) => state.scaleWorkers);
  const wanted = report.counts[kind] ?? 0;
  const [count, setCount] = useState(String(wanted));
  const id = useId();
  useEffect(() => setCount(String(wanted)), [wanted]);
  const running = report.workers.filter((worker) => worker.kind === kind);
  const ready = running.filter((worker) => worker.state === 'ready').length;
  const offline = useConsole(selectors.offline);
  const apply = (value: number) => void scaleWorkers(kind, value);
  return (
    <div className="card scale-card">
      <h3>{kindLabel(kind)}</h3>
      <p className="scale-figure">
        <span className="big-number">{ready}</span> <span className="muted">ready of {wanted} wanted</span>
      </p>
      <form
        className="scale-form"
        onSubmit={(event) => {
          event.preventDefault();
          apply(Number(count));
        }}
      >
        <button type="button" className="secondary icon" aria-label={`One fewer ${kind} worker`} disabled={offline} onClick={() => apply(Math.max(0, wanted - 1))}>
          −
        </button>
        <label htmlFor={`${id}-count`} className="visually-hidden">
          {`${kind} workers`}
        </label>
        <input id={`${id}-count`} type="number" min={0} max={report.max_per_kind} value={count} onChange={(event) => setCount(event.target.value)} />
        <button type="button" className="secondary icon" aria-label={`One more ${kind} worker`} disabled={offline} onClick={() => apply(wanted + 1)}>
          +
        </button>
        <button type="submit" className="primary" aria-label={`Scale ${kind} workers`} disabled={offline}>
          Scale
        </button>
      </form>
    </div>
  );
}

function WorkerRow({ worker }: { worker: WorkerProcessInfo }) {
  const restartWorker = useConsole((state) => state.restartWorker);
  const stopWorker = useConsole((state) => state.stopWorker);
  const offline = useConsole(selectors.offline);
  const down = worker.state === 'stopped' || worker.state === 'stopping' || offline;
  return (
    <tr>
      <th scope="row">
        <code>{worker.id}</code>
      </th>
      <td>{kindLabel(worker.kind)}</td>
      <td className="numeric">{worker.pid ?? '—'}</td>
      <td>
        <span className={`state-badge worker-${worker.state}`}>{STATE_LABEL[worker.state]}</span>
      </td>
      <td>{worker.current_job ? <code title={worker.current_job}>{shortId(worker.current_job)}</code> : <span className="muted">idle</span>}</td>
      <td className="numeric">{worker.processed}</td>
      <td className="numeric">{worker.failed}</td>
      <td className="numeric">{worker.pid ? formatDuration(worker.uptime_ms) : '—'}</td>
      <td className="numeric">{formatBytes(worker.memory_rss_bytes)}</td>
      <td className="numeric">{worker.restarts}</td>
      <td>
        <div className="button-row compact">
          <button type="button" className="secondary" aria-label={`Restart worker ${worker.id}`} disabled={offline} onClick={() => void restartWorker(worker.id)}>
            Restart
          </button>
          <button
            type="button"
            className="danger"
            aria-label={`Stop worker ${worker.id}`}
            aria-disabled={down || undefined}
            onClick={() => {
              if (!down) void stopWorker(worker.id);
            }}
          >
            Stop
          </button>
        </div>
      </td>
    </tr>
  );
}

const HEADERS = ['Worker', 'Kind', 'PID', 'State', 'Current job', 'Processed', 'Failed', 'Uptime', 'Memory', 'Restarts', 'Actions'];

/** Every worker process: scale a kind, restart or stop one. Refreshed every 2 s while shown. */
export function WorkersView() {
  const { data: report, error } = useConsole((state) => state.workers);
  const action = useConsole((state) => state.workerAction);
  const loadWorkers = useConsole((state) => state.loadWorkers);
  usePolling(loadWorkers, REFRESH_MS);

  return (
    <section className="view workers-view" aria-labelledby="workers-heading">
      <ViewHeader id="workers-heading" title="Workers" description="The worker processes this console runs, per kind. Scaling starts or gracefully stops processes." />
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
          <p>Its workers run elsewhere (started with `npm run worker`). Start the console with JOBDECK_WORKERS set to run them here.</p>
        </Notice>
      )}
      {report?.supervised && (
        <>
          <div className="scale-grid">
            {Object.keys(report.counts).map((kind) => (
              <ScaleControl key={kind} kind={kind} report={report} />
            ))}
          </div>
          <div className="card table-card">
            <table className="data-table workers-table" aria-label="Worker processes">
              <thead>
                <tr>
                  {HEADERS.map((header) => (
                    <th key={header} scope="col">
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.workers.map((worker) => (
                  <WorkerRow key={worker.id} worker={worker} />
                ))}
                {report.workers.length === 0 && (
                  <tr>
                    <td colSpan={HEADERS.length} className="empty">
                      No worker processes. Use + on a kind above to start one; its jobs wait in the queue until then.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
