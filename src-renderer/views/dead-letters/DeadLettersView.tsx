import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeadLetter, DeadLetterAction, OperationTarget } from '../../../src-shared/bridge';
import { EntityLink } from '../../components/EntityLink';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { useChangesBlockedReason } from '../../access/access-context';
import { selectors } from '../../store/selectors';
import { BulkDialog } from '../jobs/BulkDialog';

const ACTIONS: readonly [DeadLetterAction, string][] = [
  ['requeue', 'Requeue'],
  ['discard', 'Discard'],
];

/** Opens the bulk dialog (its dry run first) for an action over `target`. */
function usePreview(): (action: DeadLetterAction, target: OperationTarget) => void {
  const preview = useConsole((state) => state.previewDeadLetterBulk);
  return (action, target) => void preview(action, target);
}

function SearchBar() {
  const query = useConsole((state) => state.deadLetterQuery);
  const loadDeadLetters = useConsole((state) => state.loadDeadLetters);
  const [text, setText] = useState(query);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void loadDeadLetters(text.trim());
  };
  return (
    <form className="toolbar" role="search" aria-label="Search dead letters" onSubmit={submit}>
      <div className="toolbar-field grow">
        <label htmlFor={`${id}-q`}>Search</label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder="kind:callback error:timeout, id:<job>, finished>2026-12-01, or a word"
          aria-describedby={`${id}-hint`}
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <p id={`${id}-hint`} className="field-hint toolbar-hint">
          The jobs search's language over kind, id (the job's), error, payload.&lt;path&gt;, created, finished (when it died) and free words.
        </p>
      </div>
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}

/** Over the table: what is ticked, and the actions over it or over all that match. */
function ActionBar({ letters, more }: { letters: readonly DeadLetter[]; more: boolean }) {
  const checked = useConsole((state) => state.checkedDeadLetters);
  const query = useConsole((state) => state.deadLetterQuery);
  const preview = usePreview();
  const blockedReason = useChangesBlockedReason();
  const title = blockedReason ?? undefined;
  const ids = [...checked];
  return (
    <div className="bulk-bar" role="region" aria-label="Dead letter actions">
      <span>{ids.length > 0 ? `${ids.length.toLocaleString()} selected.` : `${letters.length.toLocaleString()} shown${more ? ' (more below)' : ''}.`}</span>
      <div className="button-row">
        {ACTIONS.map(([action, label]) => (
          <button key={action} type="button" className="secondary" disabled={ids.length === 0 || blockedReason !== null} title={title} onClick={() => preview(action, { ids })}>
            {label} selected…
          </button>
        ))}
        {ACTIONS.map(([action, label]) => (
          <button key={`all-${action}`} type="button" className="secondary" disabled={letters.length === 0 || blockedReason !== null} title={title} onClick={() => preview(action, { query })}>
            {label} all that match…
          </button>
        ))}
      </div>
    </div>
  );
}

function DeadLetterRow({ letter }: { letter: DeadLetter }) {
  const checked = useConsole((state) => state.checkedDeadLetters.has(letter.id));
  const toggle = useConsole((state) => state.toggleDeadLetter);
  const preview = usePreview();
  const blockedReason = useChangesBlockedReason();
  const label = letter.job_id ?? `message ${letter.id}`;
  return (
    <tr data-dead-letter={letter.id}>
      <td>
        <input type="checkbox" aria-label={`Select dead letter of ${label}`} checked={checked} onChange={() => toggle(letter.id)} />
      </td>
      <td>{letter.job_id ? <EntityLink entity={{ kind: 'job', id: letter.job_id }} /> : <span className="muted">not a job</span>}</td>
      <td>{kindLabel(letter.kind)}</td>
      <td>{letter.job_status ? <StatusBadge status={letter.job_status} /> : <span className="muted">—</span>}</td>
      <td className="dead-letter-error">{letter.error ?? ''}</td>
      <td className="numeric">{letter.attempts ?? '—'}</td>
      <td>
        <Time iso={letter.dead_at} />
      </td>
      <td>
        <div className="button-row compact">
          {ACTIONS.map(([action, text]) => (
            <button key={action} type="button" className="secondary small" aria-label={`${text} ${label}`} disabled={blockedReason !== null} title={blockedReason ?? undefined} onClick={() => preview(action, { ids: [letter.id] })}>
              {text}
            </button>
          ))}
        </div>
      </td>
    </tr>
  );
}

function DeadLettersTable({ letters }: { letters: readonly DeadLetter[] }) {
  const allChecked = useConsole((state) => letters.length > 0 && letters.every((letter) => state.checkedDeadLetters.has(letter.id)));
  const setChecked = useConsole((state) => state.setDeadLettersChecked);
  const status = useConsole((state) => state.deadLetters.status);
  return (
    <div className="card table-card">
      <table className="data-table" aria-label="Dead letters">
        <thead>
          <tr>
            <th scope="col">
              <input type="checkbox" aria-label="Select every dead letter shown" checked={allChecked} onChange={(event) => setChecked(letters.map((l) => l.id), event.target.checked)} />
            </th>
            <th scope="col">Job</th>
            <th scope="col">Kind</th>
            <th scope="col">Job status</th>
            <th scope="col">Error</th>
            <th scope="col" className="numeric">
              Attempts
            </th>
            <th scope="col">Dead at</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((letter) => (
            <DeadLetterRow key={letter.id} letter={letter} />
          ))}
          {letters.length === 0 && (
            <tr>
              <td colSpan={8} className="empty">
                {status === 'loaded' ? 'No dead letters.' : 'Reading the dead letters…'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Every kind's dead letters, drained from RabbitMQ into PostgreSQL: search, requeue, discard. */
export function DeadLettersView() {
  const { data, error } = useConsole((state) => state.deadLetters);
  const loadDeadLetters = useConsole((state) => state.loadDeadLetters);
  const loadMore = useConsole((state) => state.loadMoreDeadLetters);
  const operationEnded = useConsole((state) => (state.bulk?.scope === 'dead-letters' ? (state.bulk.operation?.status ?? null) : null));
  const offline = useConsole(selectors.offline);
  // Read on opening, and again once an operation over them ended (requeued and discarded ones leave the list).
  useEffect(() => {
    if (operationEnded !== 'running') void loadDeadLetters();
  }, [operationEnded, loadDeadLetters]);
  const letters = data?.items ?? [];
  return (
    <section className="view" aria-labelledby="dead-letters-heading">
      <ViewHeader
        id="dead-letters-heading"
        title="Dead letters"
        description="Messages of jobs that failed for good (and messages that are not jobs), drained from each kind's dead-letter queue. Requeue retries the job with a fresh attempt budget; discard deletes the dead letter."
      >
        <button type="button" className="secondary" disabled={offline} onClick={() => void loadDeadLetters()}>
          Refresh
        </button>
      </ViewHeader>
      <SearchBar />
      <ReadFailed title="Could not read the dead letters." error={error} next="A search that names a field dead letters have not is refused; PostgreSQL down is a 503." />
      <ActionBar letters={letters} more={Boolean(data?.next_cursor)} />
      <DeadLettersTable letters={letters} />
      {data?.next_cursor && (
        <button type="button" className="secondary" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
      <BulkDialog />
    </section>
  );
}
