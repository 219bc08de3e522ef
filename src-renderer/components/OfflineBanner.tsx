import { formatTime } from '../format';
import { useNow } from './use-now';
import { useConsole } from '../store/context';
import { selectors } from '../store/selectors';
import { useAccess } from '../access/access-context';

/** How long ago, in words an operator reads at a glance: "just now", "40 s ago", "2 min ago", "1 h 5 min ago". */
export function agoText(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
}

function LastFresh({ lostAt }: { lostAt: number }) {
  const now = useNow(1_000);
  const iso = new Date(lostAt).toISOString();
  return (
    <>
      Figures last updated{' '}
      <time dateTime={iso} title={iso}>
        {formatTime(iso)}
      </time>
      , {agoText(now - lostAt)}.
    </>
  );
}

/**
 * Over every view while the console does not answer: says so, that actions are disabled, and
 * when the figures shown were last fresh. Nothing while the live feed is open.
 */
export function OfflineBanner() {
  const offline = useConsole(selectors.offline);
  const lostAt = useConsole(selectors.lostAt);
  // While the API waits for a token the token dialog says why nothing answers.
  const asking = useAccess().asking;
  if (!offline || asking) return null;
  return (
    <div className="offline-banner" role="alert">
      <p className="offline-banner-title">Connection to the console lost — retrying.</p>
      <p>
        What is shown may be out of date, and every action is disabled until the console answers again.{' '}
        {lostAt !== null && <LastFresh lostAt={lostAt} />}
      </p>
    </div>
  );
}
