import type { MenuItemConstructorOptions } from 'electron';
import { VIEW_LETTER, VIEW_TITLES, VIEWS, type ViewName } from '../../src-shared/views';

/** What the menu's items do; given by the shell. */
export interface AppMenuActions {
  /** Shows a view in the console window (its hash route `#/<view>`). */
  openView(view: ViewName): void;
}

/** The Go menu item's id for a view, so a test (or the tray) can find it. */
export const viewItemId = (view: ViewName): string => `view-${view}`;

/**
 * A view's item: its title with the page's own keys. Alt+1 … Alt+9 (the first nine views) are
 * real accelerators; an accelerator cannot be a two-key sequence, so `G` then a letter is in the
 * label, and the page itself handles it as in a browser.
 */
export function viewMenuItem(view: ViewName, actions: AppMenuActions): MenuItemConstructorOptions {
  const index = VIEWS.indexOf(view);
  return {
    id: viewItemId(view),
    label: `${VIEW_TITLES[view]}  (G ${VIEW_LETTER[view].toUpperCase()})`,
    ...(index < 9 ? { accelerator: `Alt+${index + 1}` } : {}),
    click: () => actions.openView(view),
  };
}

/**
 * The window's menu bar: the app (macOS), File, Edit (clipboard keys in fields need it on macOS),
 * Go with every view, View (zoom, full screen; no developer tools) and Window.
 */
export function appMenuTemplate(platform: NodeJS.Platform, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = mac ? [{ role: 'appMenu' }] : [];
  return [
    ...appMenu,
    { label: '&File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { id: 'go', label: '&Go', submenu: VIEWS.map((view) => viewMenuItem(view, actions)) },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}
