import { usePolling } from '../components/use-polling';
import { useConsole } from '../store/context';
import { readOnlyReason } from '../store/mode-slice';

/** How often the mode is read again besides the live feed's reconnects: an unlock or a switch elsewhere shows within it. */
export const MODE_REFRESH_MS = 10_000;

/**
 * Over every view while the active profile is read-only: says which profile and why, and that
 * the changing buttons are disabled. It keeps the mode read (every {@link MODE_REFRESH_MS}).
 */
export function ModeBanner() {
  const loadMode = useConsole((state) => state.loadMode);
  const mode = useConsole((state) => state.mode.data);
  usePolling(loadMode, MODE_REFRESH_MS);
  const reason = readOnlyReason(mode);
  if (!mode || !reason) return null;
  return (
    <div className="readonly-banner mode-banner" role="status" aria-label="Read-only profile">
      <p>
        {reason} The buttons that change something are disabled. Switch to a writable profile, or unlock this one in Settings, to change things.
      </p>
    </div>
  );
}
