import { useState } from 'react';
import type { Job } from '../../../src-shared/job';
import { countedAttemptsOf } from '../../../src-shared/job-attempts';
import { compareAttempts, compareJobs, type CompareRow, type CompareSection } from '../../../src-shared/job-compare';
import { EntityLink } from '../../components/EntityLink';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { ViewHeader } from '../../components/ViewHeader';
import { formatMs, kindLabel } from '../../format';
import type { CompareTarget } from '../../store/compare-slice';
import { useConsole } from '../../store/context';
import { compareHref } from '../../store/route';

const SECTION_TITLES: Record<CompareSection, string> = {
  job: 'Job',
  payload: 'Payload',
  result: 'Result',
  error: 'Error',
  time: 'Time',
  worker: 'Worker',
};

/** Why a side is not shown: still being read, or the API has no such job. */
function useSide(id: string): { job?: Job; missing?: string } {
  const job = useConsole((state) => state.jobsById[id]);
  const read = useConsole((state) => state.compareReads[id]);
  if (job) return { job };
  if (read?.status === 'failed') return { missing: `Could not read job ${id}: ${read.error ?? 'unknown error'}` };
  if (read?.status === 'loaded' && read.data === false) return { missing: `The API has no job ${id}.` };
  return { missing: `Reading job ${id}…` };
}

function NothingCompared() {
  return (
    <div className="card empty-card">
      <p>Nothing to compare yet.</p>
      <p>
        Tick two jobs in Jobs and choose Compare, or open a job&apos;s details to compare it with the job it replays, with one of its replays, or two of its
        attempts.
      </p>
    </div>
  );
}

function Value({ row, side }: { row: CompareRow; side: 'left' | 'right' }) {
  const value = row[side];
  if (value === null) return <span className="muted">—</span>;
  if (row.section !== 'time') return <code className="compare-value">{value}</code>;
  const delta = side === 'right' && row.delta_ms !== undefined && row.delta_ms !== 0 ? row.delta_ms : null;
  return (
    <>
      {formatMs(Number(value))}
      {delta !== null && <span className="compare-delta">{` (${delta > 0 ? '+' : ''}${formatMs(delta)})`}</span>}
    </>
  );
}

/** The rows, grouped by section, those that differ marked in words and colour; "Only differences" hides the rest. */
function CompareTable({ rows, leftLabel, rightLabel }: { rows: CompareRow[]; leftLabel: string; rightLabel: string }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const differing = rows.filter((row) => row.differs).length;
  const shown = onlyDiffering ? rows.filter((row) => row.differs) : rows;
  const sections = [...new Set(shown.map((row) => row.section))];
  return (
    <>
      <div className="compare-summary">
        <p role="status">{differing === 0 ? 'No field differs.' : `${differing} of ${rows.length} fields differ.`}</p>
        <label className="checkbox">
          <input type="checkbox" checked={onlyDiffering} onChange={(event) => setOnlyDiffering(event.target.checked)} /> Only the fields that differ
        </label>
      </div>
      <table className="data-table compare-table" aria-label="Comparison">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">{leftLabel}</th>
            <th scope="col">{rightLabel}</th>
          </tr>
        </thead>
        {sections.map((section) => (
          <tbody key={section}>
            <tr className="compare-section">
              <th scope="colgroup" colSpan={3}>
                {SECTION_TITLES[section]}
              </th>
            </tr>
            {shown
              .filter((row) => row.section === section)
              .map((row) => (
                <tr key={row.field} className={row.differs ? 'differs' : undefined} data-field={row.field}>
                  <th scope="row">
                    {row.field}
                    {row.differs && <span className="differs-mark">differs</span>}
                  </th>
                  <td>
                    <Value row={row} side="left" />
                  </td>
                  <td>
                    <Value row={row} side="right" />
                  </td>
                </tr>
              ))}
          </tbody>
        ))}
      </table>
    </>
  );
}

function JobSide({ job, label, other }: { job: Job; label: string; other: Job }) {
  return (
    <div className="compare-side">
      <p className="compare-side-label">{label}</p>
      <p>
        <EntityLink entity={{ kind: 'job', id: job.id }} full /> <StatusBadge status={job.status} />
      </p>
      <p className="muted">
        {kindLabel(job.kind)} · created <Time iso={job.created_at} milliseconds />
      </p>
      {job.replay_of && <p className="muted">Replay of {job.replay_of === other.id ? `the ${label === 'Left' ? 'right' : 'left'} job` : <EntityLink entity={{ kind: 'job', id: job.replay_of }} />}</p>}
    </div>
  );
}

function JobsComparison({ left, right }: { left: string; right: string }) {
  const [a, b] = [useSide(left), useSide(right)];
  if (!a.job || !b.job) return <p className="muted" role="status">{[a.missing, b.missing].filter(Boolean).join(' ')}</p>;
  return (
    <section className="card compare-card" aria-label="Two jobs compared">
      <div className="compare-sides">
        <JobSide job={a.job} label="Left" other={b.job} />
        <a className="secondary button-link" href={compareHref({ type: 'jobs', left: right, right: left })}>
          Swap
        </a>
        <JobSide job={b.job} label="Right" other={a.job} />
      </div>
      <CompareTable rows={compareJobs(a.job, b.job)} leftLabel={`Job ${left.slice(0, 8)}`} rightLabel={`Job ${right.slice(0, 8)}`} />
    </section>
  );
}

function AttemptPicker({ job, label, value, onPick }: { job: Job; label: string; value: number; onPick: (attempt: number) => void }) {
  const attempts = countedAttemptsOf(job);
  return (
    <label className="compare-side">
      <span className="compare-side-label">{label}</span>
      <select value={value} onChange={(event) => onPick(Number(event.target.value))}>
        {attempts.map((attempt) => (
          <option key={attempt.number} value={attempt.number}>
            Attempt {attempt.number} · {attempt.outcome ?? 'running'} · {attempt.worker}
          </option>
        ))}
      </select>
    </label>
  );
}

function absentAttempts(job: Job, { left, right }: { left: number; right: number }): number[] {
  const numbers = new Set(countedAttemptsOf(job).map((attempt) => attempt.number));
  return [...new Set([left, right])].filter((number) => !numbers.has(number));
}

function AttemptsComparison({ target }: { target: Extract<CompareTarget, { type: 'attempts' }> }) {
  const { job, missing } = useSide(target.id);
  const openRoute = useConsole((state) => state.openRoute);
  if (!job) return <p className="muted" role="status">{missing}</p>;
  const rows = compareAttempts(job, target.left, target.right);
  const pick = (change: Partial<Pick<typeof target, 'left' | 'right'>>) => openRoute({ view: 'compare', compare: { ...target, ...change } });
  return (
    <section className="card compare-card" aria-label="Two attempts compared">
      <p>
        Attempts of job <EntityLink entity={{ kind: 'job', id: job.id }} full /> <StatusBadge status={job.status} />
      </p>
      <div className="compare-sides compare-attempts">
        <AttemptPicker job={job} label="Left" value={target.left} onPick={(left) => pick({ left })} />
        <AttemptPicker job={job} label="Right" value={target.right} onPick={(right) => pick({ right })} />
      </div>
      {rows ? (
        <CompareTable rows={rows} leftLabel={`Attempt ${target.left}`} rightLabel={`Attempt ${target.right}`} />
      ) : (
        <p className="inline-error">
          Job {job.id} has no attempt {absentAttempts(job, target).join(' or ')} in its timeline.
        </p>
      )}
    </section>
  );
}

/** Two jobs, or two attempts of one job, side by side (`#/compare/<a>/<b>`, `#/compare/<id>/attempts/<n>/<m>`). */
export function CompareView() {
  const target = useConsole((state) => state.compare);
  return (
    <div className="view compare-view">
      <ViewHeader
        id="compare-heading"
        title="Compare"
        description="Two jobs, or two attempts of one job, side by side: payload, result, error, where the time went, and the worker. Fields that differ are marked."
      />
      {!target ? <NothingCompared /> : target.type === 'jobs' ? <JobsComparison left={target.left} right={target.right} /> : <AttemptsComparison target={target} />}
    </div>
  );
}
