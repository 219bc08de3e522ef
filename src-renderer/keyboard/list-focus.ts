import { useEffect } from 'react';

/** The index an arrow, Home or End key moves to in a list of `count`, clamped; undefined for any other key. */
export function listKeyTarget(key: string, index: number, count: number): number | undefined {
  let target: number | undefined;
  if (key === 'ArrowDown') target = index + 1;
  else if (key === 'ArrowUp') target = index - 1;
  else if (key === 'Home') target = 0;
  else if (key === 'End') target = count - 1;
  return target === undefined ? undefined : Math.max(0, Math.min(count - 1, target));
}

/** The selectable items of the record lists (Mail, Webhooks, Subscriptions): one button per item. */
const RECORD_ITEM = '.record-list button.record-item';

/**
 * Up and Down (Home, End) move focus between the items of whichever record list holds focus,
 * as they do between the rows of the jobs table; Enter or Space then opens the item.
 */
export function useRecordListArrows(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const item = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>(RECORD_ITEM) : null;
      const list = item?.closest('.record-list');
      if (!item || !list || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const items = [...list.querySelectorAll<HTMLElement>(RECORD_ITEM)];
      const target = listKeyTarget(event.key, items.indexOf(item), items.length);
      if (target === undefined) return;
      event.preventDefault();
      items[target]?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
