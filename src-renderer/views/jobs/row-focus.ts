import { focusWhenRendered } from '../../keyboard/focus-later';

/**
 * Where focus goes back to when the job details close: the row button of the job that was
 * shown, or the jobs table when that row is gone. JobRow marks its button with `data-job-id`.
 */
export const JOBS_TABLE_ID = 'jobs-table';
/** The job details panel's heading, which names the panel. */
export const DETAIL_HEADING_ID = 'detail-heading';

export function rowButtonOf(id: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>(`button[data-job-id="${CSS.escape(id)}"]`);
}

/** Whether focus is on a row of the jobs table. */
export function isRowFocused(root: Document = document): boolean {
  return root.activeElement?.matches(`#${JOBS_TABLE_ID} button[data-job-id]`) ?? false;
}

export function returnFocusTarget(id: string, root: Document = document): HTMLElement | null {
  return rowButtonOf(id, root) ?? root.getElementById(JOBS_TABLE_ID);
}

const REVEAL_EVENT = 'jobdeck:reveal-job';
/** A job asked to be shown before the jobs table was there to show it (the table mounts after a view change). */
let pendingReveal: string | null = null;

/** Asks the jobs table to scroll to a job's row and focus it, now or once it mounts. */
export function revealJob(id: string): void {
  pendingReveal = id;
  window.dispatchEvent(new Event(REVEAL_EVENT));
}

/** Called by the jobs table: runs `reveal` for the job asked for, now and at each later request. */
export function onRevealJob(reveal: (id: string) => void): () => void {
  const consume = () => {
    const id = pendingReveal;
    pendingReveal = null;
    if (id) reveal(id);
  };
  consume();
  window.addEventListener(REVEAL_EVENT, consume);
  return () => window.removeEventListener(REVEAL_EVENT, consume);
}

/** Focuses a row button as soon as the virtual list has rendered it (a few frames after a scroll). */
export function focusRowWhenRendered(id: string): void {
  focusWhenRendered(() => rowButtonOf(id));
}
