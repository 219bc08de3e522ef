import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, viewItemId } from '../../../src-main/electron/app-menu';
import { VIEW_LETTER, VIEW_TITLES, VIEWS, type ViewName } from '../../../src-shared/views';

function goMenu(platform: NodeJS.Platform, opened: ViewName[] = []): MenuItemConstructorOptions[] {
  const template = appMenuTemplate(platform, { openView: (view) => opened.push(view) });
  const go = template.find((item) => item.id === 'go');
  return (go?.submenu ?? []) as MenuItemConstructorOptions[];
}

describe('the application menu', () => {
  it('has every view in the Go menu, in the navigation order, each with its G-letter keys', () => {
    const items = goMenu('linux');
    expect(items.map((item) => item.id)).toEqual(VIEWS.map(viewItemId));
    for (const [index, view] of VIEWS.entries()) {
      expect(items[index]!.label).toBe(`${VIEW_TITLES[view]}  (G ${VIEW_LETTER[view].toUpperCase()})`);
    }
  });

  it('gives the first nine views the page\'s Alt+digit accelerator, and the rest none (a sequence is no accelerator)', () => {
    const accelerators = goMenu('linux').map((item) => item.accelerator);
    expect(accelerators).toEqual(VIEWS.map((_, index) => (index < 9 ? `Alt+${index + 1}` : undefined)));
  });

  it('opens the view its item names', () => {
    const opened: ViewName[] = [];
    const items = goMenu('linux', opened);
    for (const item of items) (item.click as () => void)();
    expect(opened).toEqual([...VIEWS]);
  });

  it('has the app menu on macOS only, and never developer tools', () => {
    const roles = (platform: NodeJS.Platform) => JSON.stringify(appMenuTemplate(platform, { openView: () => undefined }));
    expect(roles('darwin')).toContain('"appMenu"');
    expect(roles('linux')).not.toContain('"appMenu"');
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(roles(platform)).not.toMatch(/devtools|toggleDevTools/i);
  });
});
