import type { KindInfo } from '../../../src-shared/kind-records';
import { EntityLink } from '../../components/EntityLink';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import type { ReplayDraft } from '../../store/replay-slice';

/** Fields the kind's schema has that the replayed payload lacks because answers never show them (kind B's `secret`). */
function hiddenFields(kind: KindInfo | undefined, payload: Record<string, unknown>): string[] {
  const properties = (kind?.payload_schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return ['secret'].filter((name) => name in properties && !(name in payload));
}

/**
 * Over the Submit form while it replays a job: which job, that its submits record `replay_of`, what
 * could not be filled in, and a way to drop the replay (the form keeps what was typed).
 */
export function ReplayBanner({ replay, kind }: { replay: ReplayDraft; kind: KindInfo | undefined }) {
  const dropReplay = useConsole((state) => state.dropReplay);
  const hidden = hiddenFields(kind, replay.payload);
  return (
    <div className="replay-banner notice notice-info" role="region" aria-label="Replay">
      <p className="notice-title">
        Replay of <EntityLink entity={{ kind: 'job', id: replay.of }} full />
      </p>
      {kind ? (
        <p>
          The {kindLabel(replay.kind)} form below holds that job&apos;s payload: change what you need and submit; the new job records <code>replay_of</code> and
          links back to it.
        </p>
      ) : (
        <p className="inline-error">Its kind, {replay.kind}, is no longer in the kinds file: put it back to run the job again.</p>
      )}
      {hidden.length > 0 && (
        <p className="muted">
          Its signing <code>{hidden.join(', ')}</code> is never shown, so it is not filled in: the replay is unsigned unless you add one (Edit as raw JSON).
        </p>
      )}
      <button type="button" className="secondary" onClick={dropReplay}>
        Drop replay
      </button>
    </div>
  );
}
