import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { ViewName } from '../../src-shared/views';
import { badgeCount, trayMenuTemplate, trayTooltip, viewOfPageUrl, type TrayActions, type TrayCounts, type TrayState } from './tray-state';

/** 32×32 PNG: the app's mark (a blue square with three bars), kept inline so no file needs packaging. */
const TRAY_ICON_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAUElEQVR42mNgQAKqya//0wMzYAP0shyrI+htOYojBspyuCNGHTDqAHyS1AKjDhhNhKO5YNQBo9lw1AGjiXA0F4w6YNQBg7Z3NHg6pwPZPQcACnei7/o4JZkAAAAASUVORK5CYII=';

export interface ConsoleTrayOptions extends TrayActions {
  state: TrayState;
}

/**
 * The tray icon (and the dock or launcher badge where the platform has one) showing the counts
 * of `state`: in its tooltip, in its menu (each count opens its view), and as the badge's
 * number. Returns the removal.
 */
export function showConsoleTray(options: ConsoleTrayOptions): () => void {
  const tray = new Tray(nativeImage.createFromBuffer(Buffer.from(TRAY_ICON_PNG_BASE64, 'base64')));
  const render = (counts: TrayCounts): void => {
    tray.setToolTip(trayTooltip(counts));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(counts, options)));
    app.setBadgeCount(badgeCount(counts));
  };
  render(options.state.counts);
  const stop = options.state.onChange(render);
  tray.on('click', () => options.show());
  return () => {
    stop();
    tray.destroy();
  };
}

/** Tells `state` where the operator looks: the window's focus and the view its page shows. */
export function followAttention(window: BrowserWindow, state: TrayState): void {
  let view: ViewName | null = null;
  const look = (): void => state.look({ focused: window.isFocused(), view });
  window.on('focus', look);
  window.on('blur', look);
  window.webContents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
    if (!isMainFrame) return;
    view = viewOfPageUrl(url);
    look();
  });
}
