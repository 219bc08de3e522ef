/**
 * The Dead letters view: a page of dead letters (newest first, more on request), the search it
 * was read with, and the rows ticked. Requeue and discard go through the bulk dialog
 * (operations-slice's `previewDeadLetterBulk`).
 */
import type { DeadLetter } from '../../src-shared/bridge';
import type { Page } from '../../src-shared/job';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, loadNextPage, NOT_LOADED, type Loaded } from './loaded';

/** Dead letters read per page. */
export const DEAD_LETTER_PAGE = 100;

export interface DeadLettersSlice {
  /** The dead letters read so far (the pages appended), and the cursor of the next. */
  deadLetters: Loaded<Page<DeadLetter>>;
  /** The search the list was read with (the jobs search's language). */
  deadLetterQuery: string;
  checkedDeadLetters: ReadonlySet<string>;
  /** Reads the first page of `query` (the current one when left out); the ticks are cleared. */
  loadDeadLetters(query?: string): Promise<void>;
  /** Appends the next page. */
  loadMoreDeadLetters(): Promise<void>;
  toggleDeadLetter(id: string): void;
  setDeadLettersChecked(ids: readonly string[], checked: boolean): void;
}

const NONE: ReadonlySet<string> = new Set();

export function createDeadLettersSlice({ bridge, now }: ConsoleDeps): SliceCreator<DeadLettersSlice> {
  return (set, get) => ({
    deadLetters: NOT_LOADED,
    deadLetterQuery: '',
    checkedDeadLetters: NONE,

    async loadDeadLetters(query = get().deadLetterQuery) {
      const restart = query !== get().deadLetterQuery;
      set({ deadLetterQuery: query, checkedDeadLetters: NONE });
      await load(field(get, set, 'deadLetters'), () => bridge.listDeadLetters({ q: query || undefined, limit: DEAD_LETTER_PAGE }), now, { restart });
    },

    async loadMoreDeadLetters() {
      const q = get().deadLetterQuery || undefined;
      await loadNextPage(field(get, set, 'deadLetters'), (cursor) => bridge.listDeadLetters({ q, limit: DEAD_LETTER_PAGE, cursor }), now);
    },

    toggleDeadLetter(id) {
      const next = new Set(get().checkedDeadLetters);
      if (!next.delete(id)) next.add(id);
      set({ checkedDeadLetters: next });
    },

    setDeadLettersChecked(ids, checked) {
      set({ checkedDeadLetters: checked ? new Set(ids) : NONE });
    },
  });
}
