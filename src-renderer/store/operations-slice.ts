/**
 * Bulk actions of the Jobs view: the rows ticked (a Set of IDs, so 100,000 jobs cost nothing
 * until ticked), or every job a query matches in the whole history; then a preview (the dry
 * run), a start with the preview's count, and the operation's progress until it ends (its event
 * stream, or reading it once a second when the stream fails).
 */
import type {
  DeadLetterAction,
  DeadLetterPreview,
  Operation,
  OperationAction,
  OperationPreview,
  OperationTarget,
  PreviewDeadLettersResult,
  PreviewOperationResult,
} from '../../src-shared/bridge';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleDeps, SliceCreator } from './deps';
import { attempt } from './pending';

/** How often a running operation is read again when its event stream fails. */
export const OPERATION_POLL_MS = 1_000;

/** The bulk dialog, one action from its preview to its end. */
export interface BulkFlow {
  /** What the action is over: jobs (POST /api/v1/operations), or dead letters (POST /api/v1/dead-letters/<action>). */
  scope: 'jobs' | 'dead-letters';
  action: OperationAction;
  target: OperationTarget;
  /** A request is in flight (the preview, the start, a cancel). */
  busy: boolean;
  preview: OperationPreview | DeadLetterPreview | null;
  operation: Operation | null;
  /** The start was refused because the matches moved since the preview: how many match now. */
  drifted: number | null;
  problem: Problem | null;
}

export interface OperationsSlice {
  /** Rows ticked in the Jobs view. */
  checkedJobIds: ReadonlySet<string>;
  /** "Select all that match": the bulk action is over this query in the whole history, not the ticked rows. */
  checkedQuery: string | null;
  /** How many jobs a query matches in the whole history, as last counted. */
  matchCount: { query: string; count: number } | null;
  bulk: BulkFlow | null;
  toggleChecked(id: string): void;
  setChecked(ids: readonly string[], checked: boolean): void;
  /** Counts what `query` matches in the whole history, for "Select all N that match". */
  countMatches(query: string): Promise<void>;
  checkAllMatching(query: string): void;
  clearChecked(): void;
  /** Opens the bulk dialog with the preview of `action` over what is checked. */
  previewBulk(action: OperationAction): Promise<void>;
  /** Opens the bulk dialog with the preview of a dead letters' action over `target`. */
  previewDeadLetterBulk(action: DeadLetterAction, target: OperationTarget): Promise<void>;
  /** Runs the open dialog's preview again (the matches drifted). */
  previewAgain(): Promise<void>;
  /** Starts the previewed action, stating the preview's count. */
  /** Starts the previewed action; `confirm`: the profile's name for a cancel or discard on production. */
  confirmBulk(confirm?: string): Promise<void>;
  cancelBulkOperation(): Promise<void>;
  closeBulk(): void;
}

const EMPTY: ReadonlySet<string> = new Set();

/** What the checks stand for: the query when all that match were chosen, else the ticked IDs. */
function targetOf(checkedQuery: string | null, checked: ReadonlySet<string>): OperationTarget {
  return checkedQuery !== null ? { query: checkedQuery } : { ids: [...checked] };
}

/** The count a 409 says matches now, when it was a drift. */
function driftedCount(problem: Problem): number | null {
  const matched = (problem as Problem & { matched?: unknown }).matched;
  return problem.status === 409 && typeof matched === 'number' ? matched : null;
}

export function createOperationsSlice({ bridge, schedule }: ConsoleDeps): SliceCreator<OperationsSlice> {
  return (set, get) => {
    let stopFollowing: (() => void) | null = null;
    const stop = () => {
      stopFollowing?.();
      stopFollowing = null;
    };
    const patchBulk = (change: Partial<BulkFlow>) => {
      const bulk = get().bulk;
      if (bulk) set({ bulk: { ...bulk, ...change } });
    };
    /** Reads the operation once a second until it ends or the dialog closes. */
    const poll = (operation: Operation) => {
      stop();
      if (operation.status !== 'running') return;
      stopFollowing = schedule(() => {
        void (async () => {
          const next = await bridge.getOperation(operation.id).catch(() => operation);
          if (get().bulk?.operation?.id !== operation.id) return;
          patchBulk({ operation: next ?? operation });
          poll(next ?? operation);
        })();
      }, OPERATION_POLL_MS);
    };
    /** Follows the operation's event stream until it ends or the dialog closes; polls if the stream fails. */
    const follow = (operation: Operation) => {
      stop();
      if (operation.status !== 'running') return;
      let latest = operation;
      const unfollow = bridge.followOperation(
        operation.id,
        (next) => {
          latest = next;
          if (get().bulk?.operation?.id === operation.id) patchBulk({ operation: next });
        },
        () => poll(latest),
      );
      // A stream that failed at once already handed over to polling.
      stopFollowing ??= unfollow;
    };

    /** Opens the dialog on the dry run of `action` over `target`. */
    const previewFlow = async (scope: BulkFlow['scope'], action: OperationAction, target: OperationTarget): Promise<void> => {
      set({ bulk: { scope, action, target, busy: true, preview: null, operation: null, drifted: null, problem: null } });
      const answer = await attempt<PreviewOperationResult | PreviewDeadLettersResult>(() =>
        scope === 'dead-letters' ? bridge.previewDeadLetters(action as DeadLetterAction, target) : bridge.previewOperation({ action, ...target }),
      );
      if (get().bulk?.target !== target) return;
      patchBulk(answer.ok ? { busy: false, preview: answer.preview } : { busy: false, problem: answer.problem });
    };

    return {
      checkedJobIds: EMPTY,
      checkedQuery: null,
      matchCount: null,
      bulk: null,

      toggleChecked(id) {
        const next = new Set(get().checkedJobIds);
        if (!next.delete(id)) next.add(id);
        set({ checkedJobIds: next, checkedQuery: null });
      },

      setChecked(ids, checked) {
        const next = new Set(get().checkedJobIds);
        for (const id of ids) {
          if (checked) next.add(id);
          else next.delete(id);
        }
        set({ checkedJobIds: next, checkedQuery: null });
      },

      async countMatches(query) {
        const answer = await attempt(() => bridge.previewOperation({ action: 'retry', query }));
        if (answer.ok) set({ matchCount: { query, count: answer.preview.matched } });
      },

      checkAllMatching: (query) => set({ checkedQuery: query }),
      clearChecked: () => set({ checkedJobIds: EMPTY, checkedQuery: null, matchCount: null }),

      async previewBulk(action) {
        const { checkedQuery, checkedJobIds } = get();
        await previewFlow('jobs', action, targetOf(checkedQuery, checkedJobIds));
      },

      previewDeadLetterBulk: (action, target) => previewFlow('dead-letters', action, target),

      async previewAgain() {
        const bulk = get().bulk;
        if (bulk) await previewFlow(bulk.scope, bulk.action, bulk.target);
      },

      async confirmBulk(confirm) {
        const bulk = get().bulk;
        if (!bulk?.preview || bulk.busy) return;
        patchBulk({ busy: true, problem: null });
        const target = { ...bulk.target, expected: bulk.preview.matched, ...(confirm === undefined ? {} : { confirm }) };
        const answer = await attempt(() =>
          bulk.scope === 'dead-letters' ? bridge.startDeadLetters(bulk.action as DeadLetterAction, target) : bridge.startOperation({ action: bulk.action, ...target }),
        );
        if (answer.ok) {
          patchBulk({ busy: false, operation: answer.operation });
          follow(answer.operation);
        } else {
          patchBulk({ busy: false, problem: answer.problem, drifted: driftedCount(answer.problem) });
        }
      },

      async cancelBulkOperation() {
        const operation = get().bulk?.operation;
        if (!operation) return;
        patchBulk({ busy: true });
        const answer = await attempt(() => bridge.cancelOperation(operation.id));
        patchBulk(answer.ok ? { busy: false, operation: answer.operation } : { busy: false, problem: answer.problem });
        if (answer.ok) follow(answer.operation);
      },

      closeBulk() {
        stop();
        const finished = get().bulk?.operation;
        set(finished ? { bulk: null, checkedJobIds: EMPTY, checkedQuery: null, matchCount: null } : { bulk: null });
      },
    };
  };
}
