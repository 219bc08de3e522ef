import { useEffect, useState, type FormEvent } from 'react';
import type { KindFlow } from '../../../src-shared/flow';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { useChangesBlocked } from '../../access/access-context';

/** A kind's Paused badge: shown only while it is paused. */
export function PausedBadge({ flow }: { flow: KindFlow | undefined }) {
  if (!flow?.paused) return null;
  return (
    <span className="state-badge flow-paused" title={flow.paused_at ? `paused since ${flow.paused_at}` : undefined}>
      Paused
    </span>
  );
}

const text = (value: number | null): string => (value === null ? '' : String(value));
/** An input's number, or null when it is left empty (no limit); NaN (refused by the API, which names the rule) otherwise. */
const limitOf = (value: string): number | null => (value.trim() === '' ? null : Number(value));

/** One kind's pause button and limits form. */
function KindFlowRow({ flow }: { flow: KindFlow }) {
  const blocked = useChangesBlocked();
  const pauseKind = useConsole((state) => state.pauseKind);
  const setKindLimits = useConsole((state) => state.setKindLimits);
  const [rate, setRate] = useState(text(flow.rate_per_s));
  const [concurrency, setConcurrency] = useState(text(flow.concurrency));
  // What the API holds, once changed (here or elsewhere).
  useEffect(() => setRate(text(flow.rate_per_s)), [flow.rate_per_s]);
  useEffect(() => setConcurrency(text(flow.concurrency)), [flow.concurrency]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void setKindLimits(flow.kind, { rate_per_s: limitOf(rate), concurrency: limitOf(concurrency) });
  };
  const label = kindLabel(flow.kind);
  return (
    <tr data-kind={flow.kind}>
      <th scope="row">
        {label} <PausedBadge flow={flow} />
      </th>
      <td>
        <button type="button" disabled={blocked} aria-label={`${flow.paused ? 'Resume' : 'Pause'} ${flow.kind}`} onClick={() => void pauseKind(flow.kind, !flow.paused)}>
          {flow.paused ? 'Resume' : 'Pause'}
        </button>
      </td>
      <td>
        <form className="limits-form" aria-label={`Limits of ${flow.kind}`} onSubmit={submit} noValidate>
          <label>
            Rate <input type="number" min="0" step="any" inputMode="decimal" placeholder="none" value={rate} onChange={(e) => setRate(e.target.value)} aria-label={`${flow.kind} jobs started per second`} /> /s
          </label>
          <label>
            In flight <input type="number" min="1" step="1" inputMode="numeric" placeholder="none" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} aria-label={`${flow.kind} jobs in flight`} />
          </label>
          <button type="submit" disabled={blocked}>
            Set limits
          </button>
        </form>
      </td>
    </tr>
  );
}

function FlowOutcome() {
  const change = useConsole((state) => state.flowChange);
  if (!change || change.pending) return null;
  const { target: kind, answer, problem } = change;
  if (problem) {
    const detail = problem.errors?.map((error) => error.message).join('; ') || problem.detail;
    return (
      <p className="inline-error" role="alert">
        {kind}: refused: {detail}
      </p>
    );
  }
  if (!answer) return null;
  const { flow } = answer;
  const limits = [flow.rate_per_s !== null ? `${flow.rate_per_s}/s` : null, flow.concurrency !== null ? `${flow.concurrency} in flight` : null].filter(Boolean);
  return (
    <p className="muted" role="status">
      {kind}: {flow.paused ? 'paused' : 'running'}; {limits.length ? `limits ${limits.join(', ')}` : 'no limits'}.
    </p>
  );
}

/** Pause, resume and limits of every kind: what all its workers follow, on any machine. */
export function KindFlowCard({ flows }: { flows: readonly KindFlow[] }) {
  return (
    <section className="card" aria-labelledby="flow-heading">
      <h3 id="flow-heading">Pause and limits</h3>
      <p className="muted small">
        A paused kind's workers take no messages (submits still wait in its queue, and run in order on resume). Rate: jobs started per second, In flight: jobs
        running at once, across all of the kind's workers; empty is no limit.
      </p>
      <FlowOutcome />
      <table className="data-table" aria-label="Pause and limits per kind">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Pause</th>
            <th scope="col">Limits</th>
          </tr>
        </thead>
        <tbody>
          {flows.map((flow) => (
            <KindFlowRow key={flow.kind} flow={flow} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
