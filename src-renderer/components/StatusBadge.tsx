import type { JobStatus } from '../../src-shared/statuses';
import { statusSlug } from '../format';

/** A status in its colour; the word is always shown, so colour is never the only cue. */
export function StatusBadge({ status }: { status: JobStatus }) {
  return <span className={`status-badge status-${statusSlug(status)}`}>{status}</span>;
}
