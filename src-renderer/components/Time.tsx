import { formatTime, fullTime } from '../format';

/** A wire time in the console's one format; the full local time with its zone is in the tooltip. */
export function Time({ iso, milliseconds = false }: { iso: string; milliseconds?: boolean }) {
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {formatTime(iso, { milliseconds })}
    </time>
  );
}
