import type { Job, Page } from '../../src-shared/job';
import type { JobQuery } from '../../src-shared/job-query';
import type { JobListQuery } from '../history/job-history';

export type ExportFormat = 'csv' | 'ndjson';

/** Rows per query: large enough to keep the round trips few, small enough to stream. */
export const EXPORT_PAGE_ROWS = 1_000;

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

const CSV_COLUMNS = ['id', 'kind', 'status', 'progress', 'attempts', 'max_attempts', 'created_at', 'updated_at', 'error', 'payload', 'result'] as const;

/**
 * What a search matches, newest first, as text chunks of one page each: each page is read with
 * the cursor of the one before (keyset), only when the consumer asks for it, so an export of any
 * size holds one page in memory. The first page is read before this resolves, so a database
 * that is down is an error answer rather than a cut stream.
 */
export async function exportJobs(
  list: (query: JobListQuery) => Promise<Page<Job>>,
  search: JobQuery | undefined,
  format: ExportFormat,
  pageRows = EXPORT_PAGE_ROWS,
): Promise<AsyncIterable<string>> {
  const first = await list({ search, limit: pageRows });
  const line = format === 'csv' ? csvLine : (job: Job) => `${JSON.stringify(job)}\n`;
  async function* chunks(): AsyncGenerator<string> {
    if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
    let page = first;
    for (;;) {
      if (page.items.length) yield page.items.map(line).join('');
      if (!page.next_cursor) return;
      page = await list({ search, limit: pageRows, cursor: page.next_cursor });
    }
  }
  return chunks();
}

function csvLine(job: Job): string {
  return `${CSV_COLUMNS.map((column) => csvCell(job[column])).join(',')}\r\n`;
}

/**
 * RFC 4180 quoting; objects as JSON. Text that a spreadsheet would run as a formula (an error
 * message comes from whatever a job called) gets a leading `'`, as OWASP advises.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `jobs-2026-12-07T13-40-00Z.csv`: a name every file system takes. */
export function exportFilename(format: ExportFormat, now = new Date()): string {
  return `jobs-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.${format}`;
}
