/** How a table is ordered by one of its columns; shared by the jobs table and the small tables. */

export type SortDirection = 'ascending' | 'descending';

export interface ColumnSort<K extends string> {
  key: K;
  direction: SortDirection;
}

/** Choosing a column's header: the same column flips its direction, another starts ascending. */
export function nextSort<K extends string>(current: ColumnSort<K> | null, key: K): ColumnSort<K> {
  if (current?.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

/** A few rows (queues, workers) sorted by a column's value; ties keep their order. Null keeps the rows as they are. */
export function sortRows<T, K extends string>(rows: readonly T[], sort: ColumnSort<K> | null, valueOf: (row: T, key: K) => string | number): readonly T[] {
  if (!sort) return rows;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: valueOf(row, sort.key) }))
    .sort((a, b) => (a.value === b.value ? a.index - b.index : (a.value < b.value ? -1 : 1) * sign))
    .map((entry) => entry.row);
}
