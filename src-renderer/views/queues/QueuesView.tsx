import { useEffect, useState } from 'react';
import type { QueueInfo } from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RateChart } from '../../components/RateChart';
import { perSecond, THROUGHPUT_SECONDS, type QueueCountKey } from '../../store/throughput';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';

const REFRESH_MS = 2_000;

/** Asks before a purge, saying how many messages it takes off and what becomes of their jobs. */
function PurgeConfirm({ queue, onDone }: { queue: QueueInfo; onDone: () => void }) {
  const purgeQueue = useConsole((state) => state.purgeQueue);
  const count = queue.ready;
  const noun = count === 1 ? 'message' : 'messages';
  return (
    <ConfirmDialog
      id={`purge-${queue.kind}`}
      title={`Purge ${count.toLocaleString()} ${noun} from ${queue.name}?`}
      text="Each of their jobs ends CANCELLED and will not run. Jobs already taken by a worker are not touched. This cannot be undone."
      confirmLabel={`Purge ${count.toLocaleString()} ${noun}`}
      cancelLabel="Keep them"
      onConfirm={() => void purgeQueue(queue.kind)}
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

/** Published, delivered and acked per second for each queue over 5 minutes, from Jobdeck's events. */
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
        const published = series('published');
        const delivered = series('delivered');
        const acked = series('acked');
        return (
          <section key={kind} className="card" aria-labelledby={`rates-${kind}`}>
            <h3 id={`rates-${kind}`}>{kindLabel(kind)}</h3>
            <p className="muted small">
              last {RATE_WINDOW_S} s: published {recentRate(published)}/s · delivered {recentRate(delivered)}/s · acked {recentRate(acked)}/s
            </p>
            <RateChart
              label={`Queue ${kind}: messages per second`}
              spanLabel="5 min"
              width={420}
              series={[
                { name: 'Published', values: published, className: 'line-in' },
                { name: 'Delivered', values: delivered, className: 'line-delivered' },
                { name: 'Acked', values: acked, className: 'line-done' },
              ]}
            />
          </section>
        );
      })}
    </div>
  );
}

function QueuesHead() {
  return (
    <thead>
      <tr>
        <th scope="col">Queue</th>
        <th scope="col">Kind</th>
        <th scope="col" className="numeric">
          Ready
        </th>
        <th scope="col" className="numeric">
          Unacked (in progress)
        </th>
        <th scope="col" className="numeric">
          Consumers
        </th>
        <th scope="col" className="numeric">
          Waiting to retry
        </th>
        <th scope="col" className="numeric">
          Dead letters
        </th>
        <th scope="col">Actions</th>
      </tr>
    </thead>
  );
}

/** One queue's figures; `inProgress` is what Jobdeck's own events say is being worked on. */
function QueueRow({ queue, inProgress, onPurge }: { queue: QueueInfo; inProgress: number; onPurge: () => void }) {
  const offline = useConsole(selectors.offline);
  return (
    <tr>
      <th scope="row">
        <code>{queue.name}</code>
      </th>
      <td>{kindLabel(queue.kind)}</td>
      <td className="numeric">{queue.ready.toLocaleString()}</td>
      <td className="numeric">{inProgress.toLocaleString()}</td>
      <td className="numeric">{queue.consumers}</td>
      <td className="numeric">{queue.retrying.toLocaleString()}</td>
      <td className="numeric">{queue.dead.toLocaleString()}</td>
      <td>
        <button type="button" className="danger" aria-label={`Purge ${queue.kind} queue`} disabled={offline} onClick={onPurge}>
          Purge…
        </button>
      </td>
    </tr>
  );
}

/** Every work queue: ready and in progress, consumers, and purge with a confirmation. */
export function QueuesView() {
  const { data: report, error } = useConsole((state) => state.queues);
  const loadQueues = useConsole((state) => state.loadQueues);
  const { byKindStatus } = useConsole(selectors.counts);
  const [confirming, setConfirming] = useState<JobKind | null>(null);
  usePolling(loadQueues, REFRESH_MS);

  return (
    <section className="view" aria-labelledby="queues-heading">
      <ViewHeader id="queues-heading" title="Queues" description="The work queue of each kind in RabbitMQ; refreshed every 2 seconds." />
      <ReadFailed title="Could not read the queues." error={error} next="Check that RabbitMQ is up (Overview shows it)." />
      <PurgeOutcome />
      <div className="card table-card">
        <table className="data-table" aria-label="Work queues">
          <QueuesHead />
          <tbody>
            {report?.queues.map((queue) => (
              <QueueRow
                key={queue.kind}
                queue={queue}
                inProgress={(byKindStatus[queue.kind]?.STARTED ?? 0) + (byKindStatus[queue.kind]?.['IN PROGRESS'] ?? 0)}
                onPurge={() => setConfirming(queue.kind)}
              />
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
      <QueueRates />
      <p className="muted small">
        Ready and consumers come from the broker (a passive declare; the management plugin is not used). Unacked, and the
        rates (published: a job accepted; delivered: an attempt started; acked: a job finished), come from Jobdeck's own
        events since this window opened.
      </p>
    </section>
  );
}
