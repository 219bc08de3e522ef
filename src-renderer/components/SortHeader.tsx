import type { SortDirection } from '../store/column-sort';

export interface SortHeaderProps {
  label: string;
  /** The direction this column sorts the table in, or null when another column sorts it. */
  direction: SortDirection | null;
  onSort: () => void;
  className?: string;
  /** What the column counts, shown on hover over the header. */
  title?: string;
}

const ARROW: Record<SortDirection, string> = { ascending: '▲', descending: '▼' };

/**
 * A column header that sorts its table: a button (so Enter and Space work on it) inside the
 * header cell, which says how the table is sorted with `aria-sort`.
 */
export function SortHeader({ label, direction, onSort, className, title }: SortHeaderProps) {
  const next = direction === 'ascending' ? 'descending' : 'ascending';
  return (
    <th scope="col" className={className} aria-sort={direction ?? undefined} title={title}>
      <button type="button" className="sort-button" title={`Sort by ${label.toLowerCase()}, ${next}`} onClick={onSort}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {direction ? ARROW[direction] : '↕'}
        </span>
      </button>
    </th>
  );
}
