import { describe, expect, it, vi } from 'vitest';
import { SHELL_CHANNELS, type ShellNotification } from '../../../src-shared/bridge';
import { notificationOf, shellChannelHandlers, shellVerbs, type ShellEffects } from '../../../src-main/electron/shell-verbs';

function effects(overrides: Partial<ShellEffects> = {}) {
  const shown: ShellNotification[] = [];
  const opened: string[] = [];
  const value: ShellEffects = {
    version: '1.2.3',
    openExternal: vi.fn(async (url: string) => {
      opened.push(url);
    }),
    notificationsSupported: () => true,
    showNotification: (notification) => shown.push(notification),
    launchToken: 'jdk_launch',
    ...overrides,
  };
  return { value, shown, opened };
}

describe('shell verbs', () => {
  it("hands the page this launch's API token", async () => {
    expect(await shellVerbs(effects().value).launchToken()).toBe('jdk_launch');
    expect(await shellVerbs(effects({ launchToken: null }).value).launchToken()).toBeNull();
  });

  it('answers the app version', async () => {
    expect(await shellVerbs(effects().value).appVersion()).toBe('1.2.3');
  });

  it('opens http(s) URLs in the system browser and refuses any other scheme', async () => {
    const fake = effects();
    const verbs = shellVerbs(fake.value);
    expect(await verbs.openExternal('https://example.com/a')).toBe(true);
    expect(await verbs.openExternal('file:///etc/passwd')).toBe(false);
    expect(await verbs.openExternal({ url: 'https://example.com' })).toBe(false);
    expect(fake.opened).toEqual(['https://example.com/a']);
  });

  it('answers false when the system cannot open the URL', async () => {
    const verbs = shellVerbs(effects({ openExternal: async () => Promise.reject(new Error('no handler')) }).value);
    expect(await verbs.openExternal('https://example.com/')).toBe(false);
  });

  it('shows a notification with a title and an optional body, and refuses a malformed one', async () => {
    const fake = effects();
    const verbs = shellVerbs(fake.value);
    expect(await verbs.notify({ title: 'Job FAILED', body: 'log 1234' })).toBe(true);
    expect(await verbs.notify({ title: 'Only a title' })).toBe(true);
    for (const bad of [null, 'text', { title: '' }, { title: 'x'.repeat(121) }, { title: 'x', body: 7 }, { title: 'x', body: 'b'.repeat(501) }]) {
      expect(await verbs.notify(bad), JSON.stringify(bad)?.slice(0, 40)).toBe(false);
    }
    expect(fake.shown).toEqual([{ title: 'Job FAILED', body: 'log 1234' }, { title: 'Only a title' }]);
  });

  it('answers false for a notification where the system has none', async () => {
    const fake = effects({ notificationsSupported: () => false });
    expect(await shellVerbs(fake.value).notify({ title: 'x' })).toBe(false);
    expect(fake.shown).toEqual([]);
  });

  it('keeps only title and body of a notification', () => {
    expect(notificationOf({ title: 't', body: 'b', icon: '/etc/passwd' })).toEqual({ title: 't', body: 'b' });
  });
});

describe('shell channel handlers', () => {
  const caller = { ownWindow: true, isMainFrame: true, url: 'http://127.0.0.1:8000/' };

  it('has one handler per shell channel and passes the arguments on', async () => {
    const fake = effects();
    const handlers = shellChannelHandlers(shellVerbs(fake.value), () => true);
    expect([...handlers.keys()].sort()).toEqual(Object.values(SHELL_CHANNELS).sort());
    expect(await handlers.get(SHELL_CHANNELS.appVersion)!(caller)).toBe('1.2.3');
    expect(await handlers.get(SHELL_CHANNELS.openExternal)!(caller, 'https://example.com/')).toBe(true);
    expect(fake.opened).toEqual(['https://example.com/']);
  });

  it('refuses a caller the guard refuses, without doing anything', async () => {
    const fake = effects();
    const handlers = shellChannelHandlers(shellVerbs(fake.value), (frame) => frame.isMainFrame);
    await expect(handlers.get(SHELL_CHANNELS.openExternal)!({ ...caller, isMainFrame: false }, 'https://example.com/')).rejects.toThrow(
      'refused',
    );
    expect(fake.opened).toEqual([]);
  });
});
