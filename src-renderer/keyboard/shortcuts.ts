/**
 * The console's keyboard map, in one place: the key handlers, the command palette, the help
 * overlay and the navigation's tooltips all read it, so what they say is what the keys do.
 * Plain-letter keys never fire while typing in a field; Ctrl+K (Cmd+K) and Alt+digit do.
 */
import { VIEW_LETTER, VIEW_TITLES, VIEWS, type ViewName } from '../../src-shared/views';

export { VIEW_LETTER } from '../../src-shared/views';

/** How long after `G` its second key may come. */
export const SEQUENCE_TIMEOUT_MS = 1_500;

/** The view Alt+digit opens: the first nine, in the navigation's order. */
export function viewOfDigit(key: string): ViewName | undefined {
  return /^[1-9]$/.test(key) ? VIEWS[Number(key) - 1] : undefined;
}

export function viewOfLetter(key: string): ViewName | undefined {
  const lower = key.toLowerCase();
  return VIEWS.find((view) => VIEW_LETTER[view] === lower);
}

/** The keys that open a view, as shown to people: "G J", and "Alt+3" for the first nine. */
export function viewKeys(view: ViewName): string[] {
  const index = VIEWS.indexOf(view);
  const keys = [`G ${VIEW_LETTER[view].toUpperCase()}`];
  if (index < 9) keys.push(`Alt+${index + 1}`);
  return keys;
}

/** The navigation link's tooltip: the view and its keys. */
export function viewTooltip(view: ViewName): string {
  return `${VIEW_TITLES[view]} (${viewKeys(view).join(' or ')})`;
}

/** The palette's key, as this platform spells it. */
export function paletteKey(platform: string = navigator.platform): string {
  return /mac|iphone|ipad/i.test(platform) ? '⌘K' : 'Ctrl+K';
}

export interface ShortcutHelp {
  keys: string;
  does: string;
}

/** Every shortcut but the views', for the help overlay. */
export function generalShortcuts(): ShortcutHelp[] {
  return [
    { keys: paletteKey(), does: 'Command palette: views, jobs by ID, actions' },
    { keys: '/', does: 'Search or filter the current view' },
    { keys: '?', does: 'This list of shortcuts' },
    { keys: '↑ ↓ Home End', does: 'Move between the rows of the jobs table and the items of Mail, Webhooks and Subscriptions' },
    { keys: 'Enter or Space', does: 'Open the focused job (focus stays on its row)' },
    { keys: 'X', does: 'Tick or untick the focused job for a bulk action (Retry, Cancel)' },
    { keys: 'Esc', does: "Close the job's details, or this list" },
    { keys: 'Enter on a column header', does: 'Sort the table by it; again to reverse' },
  ];
}
