import { useEffect } from 'react';
import type { Job } from '../../../src-shared/job';
import { countedAttemptsOf } from '../../../src-shared/job-attempts';
import { EntityLink } from '../../components/EntityLink';
import { useConsole } from '../../store/context';
import { REPLAYS_SHOWN } from '../../store/replay-slice';
import { compareHref, hashOfRoute } from '../../store/route';

function CompareLink({ left, right, what }: { left: string; right: string; what: string }) {
  return (
    <a className="compare-link" href={compareHref({ type: 'jobs', left, right })} aria-label={`Compare with ${what}`}>
      compare
    </a>
  );
}

/** The replays of `job`, newest first, as the search `replay_of:<id>` finds them; read when the job is shown. */
function Replays({ job }: { job: Job }) {
  const read = useConsole((state) => state.replaysOf[job.id]);
  const loadReplays = useConsole((state) => state.loadReplays);
  // Newest first, as one string so the details re-render only when the order changes.
  const order = useConsole((state) => {
    const created = (id: string): string => state.jobsById[id]?.created_at ?? '';
    return [...(read?.data ?? [])].sort((a, b) => created(b).localeCompare(created(a))).join(' ');
  });
  useEffect(() => void loadReplays(job.id), [job.id, loadReplays]);
  const ids = order ? order.split(' ') : [];
  if (ids.length === 0 && read?.status !== 'failed') return null;
  const search = hashOfRoute({ view: 'jobs', q: `replay_of:${job.id}` });
  return (
    <>
      <dt>Replays</dt>
      <dd>
        {read?.status === 'failed' && <span className="inline-error">Could not search for replays: {read.error} </span>}
        <ul className="replay-list" aria-label="Replays">
          {ids.map((id) => (
            <li key={id}>
              <EntityLink entity={{ kind: 'job', id }} /> <CompareLink left={job.id} right={id} what={`replay ${id.slice(0, 8)}`} />
            </li>
          ))}
        </ul>
        {ids.length >= REPLAYS_SHOWN && (
          <a className="muted" href={search}>
            All replays in Jobs
          </a>
        )}
      </dd>
    </>
  );
}

/** Facts rows (inside the details' `<dl>`): the job this one replays, and this one's replays; each with a link to compare. */
export function ReplayFacts({ job }: { job: Job }) {
  return (
    <>
      {job.replay_of && (
        <>
          <dt>Replay of</dt>
          <dd>
            <EntityLink entity={{ kind: 'job', id: job.replay_of }} /> <CompareLink left={job.replay_of} right={job.id} what="the original" />
          </dd>
        </>
      )}
      <Replays job={job} />
    </>
  );
}

/** "Run again with changes" (the Submit form of the job's kind, filled with its payload) and "Compare attempts". */
export function ReplayActions({ job }: { job: Job }) {
  const startReplay = useConsole((state) => state.startReplay);
  const attempts = countedAttemptsOf(job);
  const [previous, last] = attempts.slice(-2);
  return (
    <div className="button-row replay-actions">
      <button type="button" className="secondary" onClick={() => startReplay(job)}>
        Run again with changes
      </button>
      {previous && last && (
        <a className="secondary button-link" href={compareHref({ type: 'attempts', id: job.id, left: previous.number, right: last.number })}>
          Compare attempts
        </a>
      )}
    </div>
  );
}
