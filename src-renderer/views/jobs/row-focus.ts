/**
 * Where focus goes back to when the job details close: the row button of the job that was
 * shown, or the jobs table when that row is gone. JobRow marks its button with `data-job-id`.
 */
export const JOBS_TABLE_ID = 'jobs-table';
/** The job details panel's heading, focused when a job opens. */
export const DETAIL_HEADING_ID = 'detail-heading';

export function rowButtonOf(id: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>(`button[data-job-id="${CSS.escape(id)}"]`);
}

export function returnFocusTarget(id: string, root: Document = document): HTMLElement | null {
  return rowButtonOf(id, root) ?? root.getElementById(JOBS_TABLE_ID);
}
