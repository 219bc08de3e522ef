import { useEffect, useId, useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, type AuditEntry, type AuditOutcome } from '../../../src-shared/audit-schemas';
import { EntityLink } from '../../components/EntityLink';
import { Time } from '../../components/Time';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { AUDIT_SPANS, NO_AUDIT_FILTER, type AuditFilter, type AuditSpan } from '../../store/audit-slice';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { auditEntityOf } from './audit-target';

const COLUMNS = ['When', 'Who', 'What', 'Target', 'Result', 'Parameters'] as const;
const SPAN_LABELS: Readonly<Record<AuditSpan, string>> = { any: 'Any time', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' };
/** Each outcome in the colour of the job status it resembles. */
const OUTCOME_CLASS: Readonly<Record<AuditOutcome, string>> = { ok: 'status-done', refused: 'status-retrying', error: 'status-failed' };

function TextFilter({ label, value, placeholder, onChange, grow = false }: { label: string; value: string; placeholder: string; onChange: (value: string) => void; grow?: boolean }) {
  const id = useId();
  return (
    <div className={`toolbar-field${grow ? ' grow' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" placeholder={placeholder} value={value} onChange={(event) => onChange(event.target.value)} autoComplete="off" spellCheck={false} />
    </div>
  );
}

function Filters() {
  const current = useConsole((state) => state.auditFilter);
  const loadAudit = useConsole((state) => state.loadAudit);
  const [filter, setFilter] = useState<AuditFilter>(current);
  const id = useId();
  const change = (part: Partial<AuditFilter>) => setFilter((before) => ({ ...before, ...part }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void loadAudit(filter);
  };
  const clear = () => {
    setFilter(NO_AUDIT_FILTER);
    void loadAudit(NO_AUDIT_FILTER);
  };
  return (
    <form className="toolbar audit-filters" role="search" aria-label="Filter the audit trail" onSubmit={submit}>
      <TextFilter label="Actor" value={filter.actor} placeholder="local, window, …" onChange={(actor) => change({ actor })} />
      <TextFilter label="Verb" value={filter.verb} placeholder="jobs, queues.purge" onChange={(verb) => change({ verb })} />
      <div className="toolbar-field">
        <label htmlFor={`${id}-result`}>Result</label>
        <select id={`${id}-result`} value={filter.result} onChange={(event) => change({ result: event.target.value as AuditFilter['result'] })}>
          <option value="">Any</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor={`${id}-span`}>When</label>
        <select id={`${id}-span`} value={filter.span} onChange={(event) => change({ span: event.target.value as AuditSpan })}>
          {Object.keys(AUDIT_SPANS).map((span) => (
            <option key={span} value={span}>
              {SPAN_LABELS[span as AuditSpan]}
            </option>
          ))}
        </select>
      </div>
      <TextFilter label="Search" value={filter.text} placeholder="words, target:<id>, before:2026-12-01" onChange={(text) => change({ text })} grow />
      <div className="button-row">
        <button type="submit" className="primary">
          Filter
        </button>
        <button type="button" className="secondary" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}

function Target({ entry }: { entry: AuditEntry }) {
  const entity = auditEntityOf(entry);
  if (entity) return <EntityLink entity={entity} />;
  return entry.target ? <code>{entry.target}</code> : <span className="muted">—</span>;
}

function Result({ result }: { result: AuditEntry['result'] }) {
  const problem = [result.title, result.detail].filter(Boolean).join(': ');
  return (
    <>
      <span className={`status-badge ${OUTCOME_CLASS[result.outcome]}`}>
        {result.status} {result.outcome}
      </span>
      {problem && <div className="audit-problem">{problem}</div>}
    </>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const params = entry.params === null ? '' : JSON.stringify(entry.params);
  return (
    <tr data-audit={entry.id}>
      <td>
        <Time iso={entry.at} />
      </td>
      <td>
        {entry.actor} <span className="muted">({entry.role === 'none' ? 'no valid token' : entry.role})</span>
      </td>
      <td>
        <code>{entry.verb}</code>
      </td>
      <td>
        <Target entry={entry} />
      </td>
      <td>
        <Result result={entry.result} />
      </td>
      <td className="audit-params" title={params}>
        {params ? <code>{params}</code> : <span className="muted">—</span>}
      </td>
    </tr>
  );
}

function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  const status = useConsole((state) => state.audit.status);
  return (
    <div className="card table-card">
      <table className="data-table" aria-label="Audit trail">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <AuditRow key={entry.id} entry={entry} />
          ))}
          {entries.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="empty">
                {status === 'loaded' ? 'No changes match.' : 'Reading the audit trail…'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Every changing request to the API: who did what to which item, when, and how it ended. */
export function AuditView() {
  const { data, error } = useConsole((state) => state.audit);
  const loadAudit = useConsole((state) => state.loadAudit);
  const loadMore = useConsole((state) => state.loadMoreAudit);
  const offline = useConsole(selectors.offline);
  const filter = useConsole((state) => state.auditFilter);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);
  return (
    <section className="view" aria-labelledby="audit-heading">
      <ViewHeader
        id="audit-heading"
        title="Audit"
        description="Every changing request to the API, newest first: who (the token's name; local for a call on loopback without one), the verb, its target, the parameters (secrets as ***) and the result, refusals included. Kept as long as the job history."
      >
        <button type="button" className="secondary" disabled={offline} onClick={() => void loadAudit()}>
          Refresh
        </button>
      </ViewHeader>
      {/* A filter set elsewhere (the command palette) starts the form afresh. */}
      <Filters key={JSON.stringify(filter)} />
      <ReadFailed title="Could not read the audit trail." error={error} next="A search that does not parse is refused and names the column; PostgreSQL down is a 503." />
      <AuditTable entries={data?.items ?? []} />
      {data?.next_cursor && (
        <button type="button" className="secondary" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}
