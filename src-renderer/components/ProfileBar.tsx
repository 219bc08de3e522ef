import { useEffect, type CSSProperties } from 'react';
import { useConsole } from '../store/context';

/** The live connection profile on every view: its name and colour, a PROD badge for production, and why it is read-only. */
export function ProfileBar() {
  const mode = useConsole((state) => state.profiles.data?.active ?? null);
  const loadProfiles = useConsole((state) => state.loadProfiles);
  useEffect(() => {
    void loadProfiles();
  }, [loadProfiles]);
  if (!mode) return null;
  return (
    <div className="profile-bar" role="status" aria-label="Live connection profile" data-environment={mode.environment}>
      <span className="profile-swatch" aria-hidden="true" />
      <span>
        Profile <strong>{mode.name}</strong> · {mode.environment}
      </span>
      {mode.environment === 'production' && (
        <span className="prod-badge" title="A production profile">
          PROD
        </span>
      )}
      {mode.read_only && <span className="profile-reason">{mode.reason}</span>}
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
