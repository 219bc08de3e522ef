/**
 * What the command palette offers: every view, the jobs whose ID starts with what was typed,
 * and the actions that make sense now (submit a job of a kind, retry or cancel the open job…).
 * Built from one read of the store when the palette renders; each command runs against the
 * store as it is when chosen.
 */
import type { JobKind } from '../../src-shared/kinds';
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES } from '../../src-shared/statuses';
import { kindLabel, shortId } from '../format';
import type { ConsoleStore } from '../store/console-store';
import { isFiltering, matchesFilter, NO_FILTER } from '../store/job-filter';
import { NEWEST_FIRST } from '../store/job-sort';
import { NO_AUDIT_FILTER } from '../store/audit-slice';
import { VIEWS } from '../store/nav-slice';
import { selectors } from '../store/selectors';
import { revealJob } from '../views/jobs/row-focus';
import { VIEW_TITLES } from '../view-titles';
import { focusWhenRendered } from './focus-later';
import { fuzzyFilter } from './fuzzy';
import { viewKeys } from './shortcuts';

export type CommandGroup = 'View' | 'Job' | 'Action';

export interface Command {
  /** Unique among the commands shown at once. */
  key: string;
  group: CommandGroup;
  label: string;
  /** The shortcut that does the same, if any. */
  keys?: string;
  run(): void;
}

/** What the palette's commands may do beyond the store. */
export interface CommandUi {
  openHelp(): void;
}

/** A job ID in full (the API's UUIDs). */
export const FULL_JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What typing the start of a job ID looks like. */
const ID_PREFIX = /^[0-9a-f][0-9a-f-]*$/i;
const MIN_PREFIX_CHARS = 2;
export const MAX_JOB_MATCHES = 8;

/** Opens the Jobs view on a job: its details open and its row is scrolled to and focused. */
export function goToJob(store: ConsoleStore, id: string): void {
  const state = store.getState();
  const job = state.jobsById[id];
  // A filter that hides the job would leave its row out of the table.
  if (job && !matchesFilter(job, state.filter)) state.setFilter(NO_FILTER);
  state.navigate('jobs');
  state.selectJob(id);
  revealJob(id);
}

export function viewCommands(store: ConsoleStore): Command[] {
  return VIEWS.map((view) => ({
    key: `view:${view}`,
    group: 'View',
    label: `Go to ${VIEW_TITLES[view]}`,
    keys: viewKeys(view).join(' or '),
    run: () => store.getState().navigate(view),
  }));
}

/** Held jobs whose ID starts with the query, newest first; the store may hold 100,000, so it stops at `limit`. */
export function jobIdsStartingWith(ids: readonly string[], query: string, limit = MAX_JOB_MATCHES): string[] {
  const prefix = query.trim().toLowerCase();
  if (prefix.length < MIN_PREFIX_CHARS || !ID_PREFIX.test(prefix)) return [];
  const found: string[] = [];
  for (const id of ids) {
    if (id.startsWith(prefix)) found.push(id);
    if (found.length === limit) break;
  }
  return found;
}

export function jobCommands(store: ConsoleStore, ids: readonly string[]): Command[] {
  const { jobsById } = store.getState();
  return ids.flatMap((id) => {
    const job = jobsById[id];
    if (!job) return [];
    return [{ key: `job:${id}`, group: 'Job' as const, label: `Job ${shortId(id)} · ${kindLabel(job.kind)} · ${job.status}`, run: () => goToJob(store, id) }];
  });
}

function submitCommand(store: ConsoleStore, kind: JobKind): Command {
  return {
    key: `submit:${kind}`,
    group: 'Action',
    label: `Submit a job: ${kindLabel(kind)}`,
    run: () => {
      store.getState().navigate('submit');
      focusWhenRendered(() => document.querySelector<HTMLElement>(`form.job-form[data-kind="${kind}"] :is(input, textarea, select)`));
    },
  };
}

/** Retry or cancel the open job, offered only when its status allows and the console answers. */
function openJobCommands(store: ConsoleStore): Command[] {
  const state = store.getState();
  const job = selectors.selectedJob(state);
  if (!job || selectors.offline(state)) return [];
  // The answer is shown in the job's details, which only Jobs and Submit have.
  const actInDetails = (act: () => Promise<boolean>) => {
    if (store.getState().view !== 'submit') goToJob(store, job.id);
    void act();
  };
  const commands: Command[] = [];
  if (RETRYABLE_STATUSES.includes(job.status)) {
    commands.push({ key: 'retry', group: 'Action', label: `Retry job ${shortId(job.id)}`, run: () => actInDetails(() => store.getState().retryJob(job.id)) });
  }
  if (CANCELLABLE_STATUSES.includes(job.status)) {
    commands.push({ key: 'cancel', group: 'Action', label: `Cancel job ${shortId(job.id)}`, run: () => actInDetails(() => store.getState().cancelJob(job.id)) });
  }
  commands.push({ key: 'close', group: 'Action', label: `Close the details of job ${shortId(job.id)}`, keys: 'Esc', run: () => store.getState().selectJob(null) });
  return commands;
}

/** The Audit view filtered to what the API refused (4xx) or failed (5xx). */
function showRefusedRequests(store: ConsoleStore): void {
  const state = store.getState();
  state.navigate('audit');
  void state.loadAudit({ ...NO_AUDIT_FILTER, text: 'result:refused,error' });
}

export function actionCommands(store: ConsoleStore, ui: CommandUi): Command[] {
  const state = store.getState();
  const commands = [...openJobCommands(store), ...selectors.kindNames(state).map((kind) => submitCommand(store, kind))];
  if (isFiltering(state.filter)) commands.push({ key: 'clear-filters', group: 'Action', label: 'Clear the job filters', run: () => state.setFilter(NO_FILTER) });
  if (state.jobSort !== NEWEST_FIRST) {
    commands.push({ key: 'newest-first', group: 'Action', label: 'Sort jobs newest first', run: state.resetJobSort });
  }
  commands.push({ key: 'audit-refused', group: 'Action', label: 'Audit: show refused and failed requests', run: () => showRefusedRequests(store) });
  commands.push({ key: 'help', group: 'Action', label: 'Show keyboard shortcuts', keys: '?', run: ui.openHelp });
  return commands;
}

/** The palette's list for a query: jobs whose ID starts with it first, then the views and actions it matches. */
export function paletteCommands(store: ConsoleStore, query: string, ui: CommandUi): Command[] {
  const jobs = jobCommands(store, jobIdsStartingWith(store.getState().jobIds, query));
  const others = fuzzyFilter(query, [...viewCommands(store), ...actionCommands(store, ui)], (command) => command.label);
  return [...jobs, ...others];
}
