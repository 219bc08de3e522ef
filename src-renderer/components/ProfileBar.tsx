import { useEffect, useRef, type CSSProperties } from 'react';
import { usePolling } from './use-polling';
import { useConsole } from '../store/context';

const PROFILE_POLL_MS = 10_000;

/** The live connection profile on every view: its name and colour, a PROD badge for production, whether it is read-only (the mode banner says why). */
export function ProfileBar() {
  const mode = useConsole((state) => state.profiles.data?.active ?? null);
  const loadProfiles = useConsole((state) => state.loadProfiles);
  // Another window or an API client may switch the profile: the bar follows within seconds.
  usePolling(loadProfiles, PROFILE_POLL_MS);
  const activeId = mode?.id;
  const shownId = useRef(activeId);
  useEffect(() => {
    // The console moved to another profile: every view reads afresh, nothing of the old namespace stays shown.
    if (shownId.current !== undefined && activeId !== undefined && shownId.current !== activeId) window.location.reload();
    shownId.current = activeId;
  }, [activeId]);
  if (!mode) return null;
  return (
    <div className="profile-bar" role="region" aria-label="Live connection profile" data-environment={mode.environment}>
      <span className="profile-swatch" aria-hidden="true" />
      <span>
        Profile <strong>{mode.name}</strong> · {mode.environment}
      </span>
      {mode.environment === 'production' && (
        <span className="prod-badge" title="A production profile">
          PROD
        </span>
      )}
      {mode.read_only && <span className="profile-reason">read-only</span>}
      <a href="#/settings" className="profile-switch">
        Switch…
      </a>
    </div>
  );
}

/** The live profile's colour as `--profile-color` on the app, for the header bar and the sidebar's edge; none without a colour. */
export function useProfileColor(): CSSProperties | undefined {
  const color = useConsole((state) => state.profiles.data?.active.color ?? null);
  return color ? ({ '--profile-color': color } as CSSProperties) : undefined;
}
