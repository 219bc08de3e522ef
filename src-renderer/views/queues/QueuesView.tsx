import { useEffect, useState } from 'react';
import type { QueueInfo, RemovedKind } from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useTypedConfirm } from '../../components/TypedConfirm';
import { RateChart } from '../../components/RateChart';
import { SortHeader } from '../../components/SortHeader';
import { nextSort, sortRows, type ColumnSort } from '../../store/column-sort';
import { perSecond, THROUGHPUT_SECONDS, type QueueCountKey } from '../../store/throughput';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import type { KindFlow } from '../../../src-shared/flow';
import { KindFlowCard, PausedBadge } from './KindFlowCard';
import { useChangesBlockedReason } from '../../access/access-context';

const REFRESH_MS = 2_000;
const NO_FLOWS: readonly KindFlow[] = [];

/** Asks before a purge, saying how many messages it takes off and what becomes of their jobs. */
function PurgeConfirm({ queue, onDone }: { queue: QueueInfo; onDone: () => void }) {
  const purgeQueue = useConsole((state) => state.purgeQueue);
  const typed = useTypedConfirm({ target: queue.kind, what: "the kind's name" });
  const count = queue.ready;
  const noun = count === 1 ? 'message' : 'messages';
  return (
    <ConfirmDialog
      id={`purge-${queue.kind}`}
      title={`Purge ${count.toLocaleString()} ${noun} from ${queue.name}?`}
      text="Each of their jobs ends CANCELLED and will not run. Jobs already taken by a worker are not touched. This cannot be undone."
      confirmLabel={`Purge ${count.toLocaleString()} ${noun}`}
      cancelLabel="Keep them"
      typed={typed}
      onConfirm={(confirm) => void purgeQueue(queue.kind, confirm)}
      onDone={onDone}
    />
  );
}

function PurgeOutcome() {
  const purge = useConsole((state) => state.purge);
  if (!purge) return null;
  const { target: kind, answer, problem } = purge;
  let text = `Purging ${kind}…`;
  if (answer) text = `Purged ${answer.result.purged} from the ${kind} queue; ${answer.result.cancelled} jobs ended CANCELLED.`;
  else if (problem) text = `Purge of ${kind} refused: ${problem.title}. ${problem.detail}`;
  return (
    <p className={problem ? 'inline-error' : 'muted'} role="status">
      {text}
    </p>
  );
}

const RATE_WINDOW_S = 10;

/** The per-second rate over the last few seconds, one decimal. */
function recentRate(values: readonly number[]): string {
  const recent = values.slice(-RATE_WINDOW_S);
  return (recent.reduce((sum, value) => sum + value, 0) / RATE_WINDOW_S).toFixed(1);
}

/** Jobs accepted, attempts started and jobs finished per second for each kind over 5 minutes, from Jobdeck's events. */
function QueueRates() {
  const rates = useConsole((state) => state.queueRates);
  const kinds = useConsole(selectors.kindNames);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const to = Math.floor(now / 1000);
  const from = to - THROUGHPUT_SECONDS + 1;
  return (
    <div className="rates-grid">
      {kinds.map((kind) => {
        const series = (key: QueueCountKey) => perSecond(rates[kind] ?? [], from, to, key);
        const accepted = series('accepted');
        const started = series('started');
        const finished = series('finished');
        return (
          <section key={kind} className="card" aria-labelledby={`rates-${kind}`}>
            <h3 id={`rates-${kind}`}>{kindLabel(kind)}</h3>
            <p className="muted small">
              last {RATE_WINDOW_S} s: accepted {recentRate(accepted)}/s · started {recentRate(started)}/s · finished {recentRate(finished)}/s
            </p>
            <RateChart
              label={`${kindLabel(kind)}: jobs accepted, attempts started and jobs finished per second`}
              spanLabel="5 min"
              width={420}
              series={[
                { name: 'Accepted', values: accepted, className: 'line-in' },
                { name: 'Started', values: started, className: 'line-delivered' },
                { name: 'Finished', values: finished, className: 'line-done' },
              ]}
            />
          </section>
        );
      })}
    </div>
  );
}

type QueueColumn = 'name' | 'kind' | 'ready' | 'unacked' | 'consumers' | 'retrying' | 'dead';
type QueueSort = ColumnSort<QueueColumn> | null;

const QUEUE_COLUMNS: readonly { key: QueueColumn; label: string; numeric?: true }[] = [
  { key: 'name', label: 'Queue' },
  { key: 'kind', label: 'Kind' },
  { key: 'ready', label: 'Ready', numeric: true },
  { key: 'unacked', label: 'Unacked (in progress)', numeric: true },
  { key: 'consumers', label: 'Consumers', numeric: true },
  { key: 'retrying', label: 'Waiting to retry', numeric: true },
  { key: 'dead', label: 'Dead letters (in queue)', numeric: true },
];

/** A queue's row as the table shows it: the broker's figures and the in-progress count from events. */
interface QueueLine {
  queue: QueueInfo;
  inProgress: number;
}

function queueValue({ queue, inProgress }: QueueLine, key: QueueColumn): string | number {
  return key === 'unacked' ? inProgress : queue[key];
}

function QueuesHead({ sort, onSort }: { sort: QueueSort; onSort: (key: QueueColumn) => void }) {
  return (
    <thead>
      <tr>
        {QUEUE_COLUMNS.map((column) => (
          <SortHeader
            key={column.key}
            label={column.label}
            className={column.numeric ? 'numeric' : undefined}
            direction={sort?.key === column.key ? sort.direction : null}
            onSort={() => onSort(column.key)}
          />
        ))}
        <th scope="col">Actions</th>
      </tr>
    </thead>
  );
}

/** One queue's figures; `inProgress` is what Jobdeck's own events say is being worked on. */
function QueueRow({ queue, inProgress, flow, onPurge }: { queue: QueueInfo; inProgress: number; flow: KindFlow | undefined; onPurge: () => void }) {
  const blockedReason = useChangesBlockedReason();
  return (
    <tr>
      <th scope="row">
        <code>{queue.name}</code>
      </th>
      <td>
        {kindLabel(queue.kind)} <PausedBadge flow={flow ?? queue} />
      </td>
      <td className="numeric">{queue.ready.toLocaleString()}</td>
      <td className="numeric">{inProgress.toLocaleString()}</td>
      <td className="numeric">{queue.consumers}</td>
      <td className="numeric">{queue.retrying.toLocaleString()}</td>
      <td className="numeric">
        <a href="#/dead-letters" title="Not drained yet; the drained ones are in Dead letters">
          {queue.dead.toLocaleString()}
        </a>
      </td>
      <td>
        <button type="button" className="danger" aria-label={`Purge ${queue.kind} queue`} disabled={blockedReason !== null} title={blockedReason ?? undefined} onClick={onPurge}>
          Purge…
        </button>
      </td>
    </tr>
  );
}

const countOf = (messages: number | null): string => (messages === null ? 'gone' : `${messages} message${messages === 1 ? '' : 's'}`);

/** Kinds the namespace ran that the kinds file no longer names: their queues are left as they are. */
function RemovedKinds({ removed }: { removed: readonly RemovedKind[] }) {
  if (removed.length === 0) return null;
  return (
    <div className="card removed-kinds" role="note" aria-label="Kinds removed from the kinds file">
      <h3>Kinds no longer in the kinds file</h3>
      <ul>
        {removed.map(({ kind, name, ready, dead }) => (
          <li key={kind}>
            <strong>{kind}</strong>: its jobs stay readable in Jobs and new submits are refused. Its queue <code>{name}</code> ({countOf(ready)}; dead letters{' '}
            {countOf(dead)}) is left alone: no worker of this console consumes it. Put the kind back in the kinds file to run them, or drop the queues in RabbitMQ.
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every work queue: ready and in progress, consumers, and purge with a confirmation. */
export function QueuesView() {
  const { data: report, error } = useConsole((state) => state.queues);
  const loadQueues = useConsole((state) => state.loadQueues);
  const { byKindStatus } = useConsole(selectors.counts);
  const [confirming, setConfirming] = useState<JobKind | null>(null);
  const [sort, setSort] = useState<QueueSort>(null);
  const flows = useConsole((state) => state.flows.data?.kinds ?? NO_FLOWS);
  const loadFlows = useConsole((state) => state.loadFlows);
  usePolling(loadQueues, REFRESH_MS);
  usePolling(loadFlows, REFRESH_MS);
  const lines = (report?.queues ?? []).map((queue) => ({
    queue,
    inProgress: (byKindStatus[queue.kind]?.STARTED ?? 0) + (byKindStatus[queue.kind]?.['IN PROGRESS'] ?? 0),
  }));

  return (
    <section className="view" aria-labelledby="queues-heading">
      <ViewHeader id="queues-heading" title="Queues" description="The work queue of each kind in RabbitMQ; refreshed every 2 seconds." />
      <ReadFailed title="Could not read the queues." error={error} next="Check that RabbitMQ is up (Overview shows it)." />
      <PurgeOutcome />
      <RemovedKinds removed={report?.removed_kinds ?? []} />
      <div className="card table-card">
        <table className="data-table" aria-label="Work queues">
          <QueuesHead sort={sort} onSort={(key) => setSort(nextSort(sort, key))} />
          <tbody>
            {sortRows(lines, sort, queueValue).map(({ queue, inProgress }) => (
              <QueueRow key={queue.kind} queue={queue} inProgress={inProgress} flow={flows.find((flow) => flow.kind === queue.kind)} onPurge={() => setConfirming(queue.kind)} />
            ))}
            {!report && (
              <tr>
                <td colSpan={6} className="empty">
                  {error ? 'No figures: see the error above.' : 'Reading the queues…'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {confirming && report?.queues.find((queue) => queue.kind === confirming) && (
        <PurgeConfirm queue={report.queues.find((queue) => queue.kind === confirming)!} onDone={() => setConfirming(null)} />
      )}
      <KindFlowCard flows={flows} />
      <QueueRates />
      <p className="muted small">
        Ready and consumers come from the broker (a passive declare; the management plugin is not used). Unacked, and the
        charts, come from Jobdeck's own events since this window opened, per second and in total over the last 5 min.
        Accepted: jobs accepted, from any client, each once. Started: attempts a worker started (a retry is another).
        Finished: jobs that ended DONE, FAILED or CANCELLED.
      </p>
    </section>
  );
}
