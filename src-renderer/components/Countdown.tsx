import { formatDuration } from '../format';
import { Time } from './Time';
import { useNow } from './use-now';

/** How long until `iso`, in words: "in 4 min 12 s", or "due now" once it has come. */
export function countdownText(iso: string, now: number): string {
  const left = Date.parse(iso) - now;
  return left > 0 ? `in ${formatDuration(left + 999)}` : 'due now';
}

/** Only the time left until `iso`, ticking every second (a scheduled job's row shows this). */
export function CountdownLeft({ iso }: { iso: string }) {
  const now = useNow(1_000);
  return (
    <span className="countdown-left" role="timer" aria-live="off">
      {countdownText(iso, now)}
    </span>
  );
}

/** A live countdown to `iso` (ticking every second), with the time itself beside it. */
export function Countdown({ iso }: { iso: string }) {
  return (
    <span className="countdown">
      <CountdownLeft iso={iso} />{' '}
      <span className="muted">
        (<Time iso={iso} milliseconds />)
      </span>
    </span>
  );
}
