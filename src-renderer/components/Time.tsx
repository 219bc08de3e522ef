import { formatTime } from '../format';

/** A wire time shown as local time; the exact UTC value is in the tooltip. */
export function Time({ iso, milliseconds = false }: { iso: string; milliseconds?: boolean }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, { milliseconds })}
    </time>
  );
}
