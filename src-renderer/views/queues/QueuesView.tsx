import { useState } from 'react';
import type { QueueInfo } from '../../../src-shared/console-records';
import type { JobKind } from '../../../src-shared/kinds';
import { usePolling } from '../../components/use-polling';
import { Notice, ViewHeader } from '../../components/ViewHeader';
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
    <div className="confirm" role="alertdialog" aria-labelledby={`purge-${queue.kind}-title`} aria-describedby={`purge-${queue.kind}-text`}>
      <p id={`purge-${queue.kind}-title`} className="notice-title">
        Purge {count.toLocaleString()} {noun} from {queue.name}?
      </p>
      <p id={`purge-${queue.kind}-text`}>
        Each of their jobs ends CANCELLED and will not run. Jobs already taken by a worker are not touched. This cannot be undone.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="danger"
          autoFocus
          onClick={() => {
            onDone();
            void purgeQueue(queue.kind);
          }}
        >
          Purge {count.toLocaleString()} {noun}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Keep them
        </button>
      </div>
    </div>
  );
}

function PurgeOutcome() {
  const purge = useConsole((state) => state.purge);
  if (!purge) return null;
  let text = `Purging ${purge.kind}…`;
  if (purge.answer?.ok) text = `Purged ${purge.answer.result.purged} from the ${purge.kind} queue; ${purge.answer.result.cancelled} jobs ended CANCELLED.`;
  else if (purge.answer) text = `Purge of ${purge.kind} refused: ${purge.answer.problem.title}. ${purge.answer.problem.detail}`;
  return (
    <p className={purge.answer && !purge.answer.ok ? 'inline-error' : 'muted'} role="status">
      {text}
    </p>
  );
}

/** Every work queue: ready and in progress, consumers, and purge with a confirmation. */
export function QueuesView() {
  const report = useConsole((state) => state.queues);
  const error = useConsole((state) => state.queuesError);
  const loadQueues = useConsole((state) => state.loadQueues);
  const { byKindStatus } = useConsole(selectors.counts);
  const [confirming, setConfirming] = useState<JobKind | null>(null);
  usePolling(loadQueues, REFRESH_MS);

  return (
    <section className="view" aria-labelledby="queues-heading">
      <ViewHeader id="queues-heading" title="Queues" description="The work queue of each kind in RabbitMQ; refreshed every 2 seconds." />
      {error && (
        <Notice title="Could not read the queues.">
          <p>{error} Check that RabbitMQ is up (Overview shows it).</p>
        </Notice>
      )}
      <PurgeOutcome />
      <div className="card table-card">
        <table className="data-table" aria-label="Work queues">
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
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {report?.queues.map((queue) => (
              <tr key={queue.kind}>
                <th scope="row">
                  <code>{queue.name}</code>
                </th>
                <td>{kindLabel(queue.kind)}</td>
                <td className="numeric">{queue.ready.toLocaleString()}</td>
                <td className="numeric">{(byKindStatus[queue.kind].STARTED + byKindStatus[queue.kind]['IN PROGRESS']).toLocaleString()}</td>
                <td className="numeric">{queue.consumers}</td>
                <td>
                  <button type="button" className="danger" aria-label={`Purge ${queue.kind} queue`} onClick={() => setConfirming(queue.kind)}>
                    Purge…
                  </button>
                </td>
              </tr>
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
      <p className="muted small">
        Ready and consumers come from the broker (a passive declare; the management plugin is not used). Unacked is the jobs of
        the kind that workers hold now (STARTED or IN PROGRESS), from Jobdeck's own events; jobs per second in and done are on
        the Overview.
      </p>
    </section>
  );
}
