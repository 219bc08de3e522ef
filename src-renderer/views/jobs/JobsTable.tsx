import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { SortHeader } from '../../components/SortHeader';
import { listKeyTarget } from '../../keyboard/list-focus';
import { useConsole } from '../../store/context';
import { isFiltering } from '../../store/job-filter';
import { NEWEST_FIRST, type JobSort, type JobSortKey } from '../../store/job-sort';
import { selectors } from '../../store/selectors';
import { JobRow, ROW_HEIGHT_PX } from './JobRow';
import { focusRowWhenRendered, JOBS_TABLE_ID, onRevealJob } from './row-focus';

const COLUMNS = ['ID', 'Kind', 'Status', 'Progress', 'Attempts', 'Created', 'Updated'] as const;
/** Fixed widths: the rows in view change as it scrolls, and must not move the columns. */
const COLUMN_WIDTHS: Record<(typeof COLUMNS)[number], string> = {
  ID: '10.5%',
  Kind: '15.5%',
  Status: '17.5%',
  Progress: '17%',
  Attempts: '13%',
  Created: '12%',
  Updated: '12%',
};
/** The checkbox column, before the others: the box alone, no padding. */
const CHECK_WIDTH = '2.5%';
const ALL_COLUMNS = COLUMNS.length + 1;
const OVERSCAN_ROWS = 12;
const SORT_KEY: Record<(typeof COLUMNS)[number], JobSortKey> = {
  ID: 'id',
  Kind: 'kind',
  Status: 'status',
  Progress: 'progress',
  Attempts: 'attempts',
  Created: 'created',
  Updated: 'updated',
};

function EmptyRow({ children }: { children: ReactNode }) {
  return (
    <tr>
      <td colSpan={ALL_COLUMNS} className="empty">
        {children}
      </td>
    </tr>
  );
}

/** A row of the table's height that stands in for the rows not rendered. */
function Spacer({ height }: { height: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={ALL_COLUMNS} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

function emptyText(listStatus: string, filtering: boolean): string {
  if (listStatus === 'loading' || listStatus === 'idle') return 'Loading jobs…';
  if (filtering) return 'No job matches this filter. Clear the search or pick another status or kind.';
  return 'No jobs yet. Open Submit (Alt+2) to send one; it appears here at once.';
}

/** How the rows are ordered, in words (the status line under the heading). */
function orderText(sort: JobSort): string {
  if (sort.key === NEWEST_FIRST.key && sort.direction === NEWEST_FIRST.direction) return 'newest first';
  const column = Object.entries(SORT_KEY).find(([, key]) => key === sort.key)?.[0] ?? sort.key;
  return `by ${column.toLowerCase()}, ${sort.direction}`;
}

function countText(shown: number, total: number, filtering: boolean): string {
  if (filtering) return `${shown.toLocaleString()} of ${total.toLocaleString()} jobs match`;
  return `${total.toLocaleString()} ${total === 1 ? 'job' : 'jobs'}`;
}

function JobsTableHead({ inSight }: { inSight: readonly string[] }) {
  const sort = useConsole((state) => state.jobSort);
  const sortJobsBy = useConsole((state) => state.sortJobsBy);
  return (
    <>
      <colgroup>
        <col style={{ width: CHECK_WIDTH }} />
        {COLUMNS.map((column) => (
          <col key={column} style={{ width: COLUMN_WIDTHS[column] }} />
        ))}
      </colgroup>
      <thead>
        <tr aria-rowindex={1}>
          <th className="check-cell">
            <CheckInSight ids={inSight} />
          </th>
          {COLUMNS.map((column) => (
            <SortHeader
              key={column}
              label={column}
              className={column === 'Attempts' ? 'numeric' : undefined}
              direction={sort.key === SORT_KEY[column] ? sort.direction : null}
              onSort={() => sortJobsBy(SORT_KEY[column])}
            />
          ))}
        </tr>
      </thead>
    </>
  );
}

/** The header's checkbox: ticks or unticks the rows in sight; mixed when some of them are. */
function CheckInSight({ ids }: { ids: readonly string[] }) {
  const checkedCount = useConsole((state) => (state.checkedQuery !== null ? ids.length : ids.filter((id) => state.checkedJobIds.has(id)).length));
  const setChecked = useConsole((state) => state.setChecked);
  const all = ids.length > 0 && checkedCount === ids.length;
  return (
    <input
      type="checkbox"
      aria-label="Select the jobs in sight"
      checked={all}
      ref={(box) => {
        if (box) box.indeterminate = checkedCount > 0 && !all;
      }}
      disabled={ids.length === 0}
      onChange={() => setChecked(ids, !all)}
    />
  );
}

/** X (as in Gmail) ticks the focused row; Enter and Space already open it. */
const isToggleKey = (event: KeyboardEvent) => (event.key === 'x' || event.key === 'X') && !event.ctrlKey && !event.metaKey && !event.altKey;

/** The IDs of the rows in the viewport (not those rendered around it). */
function idsInSight(ids: readonly string[], range: { startIndex: number; endIndex: number } | null): readonly string[] {
  return range ? ids.slice(range.startIndex, range.endIndex + 1) : [];
}

/** Scrolls to the row of a job asked for from elsewhere (the command palette) and focuses it. */
function useRevealJob(ids: readonly string[], virtualizer: Virtualizer<HTMLDivElement, Element>): void {
  const idsRef = useRef(ids);
  idsRef.current = ids;
  useEffect(
    () =>
      onRevealJob((id) => {
        const index = idsRef.current.indexOf(id);
        if (index < 0) return;
        virtualizer.scrollToIndex(index, { align: 'center' });
        focusRowWhenRendered(id);
      }),
    [virtualizer],
  );
}

/** Loads older jobs from the history, or says all are shown. */
function JobsFooter() {
  const listStatus = useConsole(selectors.listStatus);
  const olderCursor = useConsole((state) => state.olderCursor);
  const olderStatus = useConsole((state) => state.olderPage.status);
  const loadOlder = useConsole((state) => state.loadOlder);
  return (
    <footer className="table-footer">
      {olderCursor ? (
        <button type="button" className="secondary" onClick={() => void loadOlder()} aria-disabled={olderStatus === 'loading' || undefined}>
          {olderStatus === 'loading' ? 'Loading older jobs…' : 'Load older jobs from history'}
        </button>
      ) : (
        listStatus === 'loaded' && <span className="muted">All jobs in the history are shown.</span>
      )}
      {olderStatus === 'failed' && (
        <span className="inline-error" role="alert">
          Could not load older jobs. Try again.
        </span>
      )}
    </footer>
  );
}

/**
 * The live jobs table, newest first, virtualized: only the rows in sight (and a few around)
 * are in the page, so 100,000 jobs scroll like 50. Arrow keys move between rows; Home and End
 * jump to the newest and oldest.
 */
export function JobsTable() {
  const ids = useConsole(selectors.visibleJobIds);
  const total = useConsole(selectors.jobCount);
  const filtering = useConsole((state) => isFiltering(state.filter));
  const listStatus = useConsole(selectors.listStatus);
  const sort = useConsole((state) => state.jobSort);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => ids[index]!,
    // Rows before the first measure (and in a server render): a window's worth, not none.
    initialRect: { width: 1200, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  const toggleChecked = useConsole((state) => state.toggleChecked);
  const moveFocus = (event: KeyboardEvent) => {
    const current = (event.target as HTMLElement).dataset.jobId;
    if (!current) return;
    if (isToggleKey(event)) {
      event.preventDefault();
      toggleChecked(current);
      return;
    }
    const target = listKeyTarget(event.key, ids.indexOf(current), ids.length);
    if (target === undefined) return;
    event.preventDefault();
    const id = ids[target];
    if (!id) return;
    virtualizer.scrollToIndex(ids.indexOf(id), { align: 'auto' });
    focusRowWhenRendered(id);
  };
  useRevealJob(ids, virtualizer);

  return (
    <section className="panel jobs-panel" aria-labelledby="jobs-heading">
      <header className="panel-header">
        <h2 id="jobs-heading">Jobs</h2>
        <p className="muted" role="status" aria-label="Jobs shown">
          {countText(ids.length, total, filtering)}, {orderText(sort)}
        </p>
      </header>
      <div className="table-scroll jobs-scroll" ref={scrollRef}>
        {/* Focusable from script only: where focus returns when the selected job's row is gone. */}
        <table
          id={JOBS_TABLE_ID}
          className="data-table jobs-table"
          aria-labelledby="jobs-heading"
          aria-rowcount={ids.length + 1}
          tabIndex={-1}
        >
          <JobsTableHead inSight={idsInSight(ids, virtualizer.range)} />
          <tbody onKeyDown={moveFocus}>
            <Spacer height={before} />
            {items.map((item) => (
              <JobRow key={item.key} id={ids[item.index]!} rowIndex={item.index + 2} />
            ))}
            <Spacer height={after} />
            {ids.length === 0 && <EmptyRow>{emptyText(listStatus, filtering)}</EmptyRow>}
          </tbody>
        </table>
      </div>
      <JobsFooter />
    </section>
  );
}
