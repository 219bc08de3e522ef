import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertNotice, AlertRule } from '../../../src-shared/alert-schemas';
import type { ShellBridge } from '../../../src-shared/bridge';
import { firingCount } from '../../../src-renderer/store/alerts-slice';
import { notifyFire } from '../../../src-renderer/views/alerts/alert-watch';
import { setupStore } from './store-fixture';

const AT = '2026-12-07T02:00:00.000Z';
const rule = (id: string, over: Partial<AlertRule> = {}): AlertRule => ({
  id, name: `rule ${id}`, type: 'backlog', kind: null, threshold: 1, window_s: 300, webhook_url: null, enabled: true,
  state: 'ok', firing_since: null, value: 0, evaluated_at: AT, created_at: AT, updated_at: AT, ...over,
});
const notice = (type: AlertNotice['type'], id: string): AlertNotice => ({
  type,
  rule: { id, name: `rule ${id}`, type: 'backlog', kind: null, threshold: 1 },
  event: { id: `e-${id}`, rule_id: id, fired_at: AT, resolved_at: type === 'alert.resolved' ? AT : null, value: 5, message: '5 jobs wait', resolved_message: null },
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('alerts slice', () => {
  it('folds each fire and resolve the stream tells into the rules (the badge count) and their loaded history', async () => {
    const { bridge, store } = setupStore();
    bridge.listAlerts.mockResolvedValue({ items: [rule('a'), rule('b')], next_cursor: null });
    await store.getState().loadAlerts();
    await store.getState().loadAlertEvents('a');
    let tell: (notice: AlertNotice) => void = () => undefined;
    bridge.onAlert.mockImplementation((listener) => {
      tell = listener;
      return () => undefined;
    });
    const heard: string[] = [];
    store.getState().followAlerts((n) => heard.push(n.type));

    tell(notice('alert.fired', 'a'));
    expect(firingCount(store.getState().alertRules.data)).toBe(1);
    expect(store.getState().alertRules.data?.[0]).toMatchObject({ state: 'firing', firing_since: AT, value: 5 });
    expect(store.getState().alertEvents.a?.data).toHaveLength(1);
    tell(notice('alert.resolved', 'a'));
    expect(firingCount(store.getState().alertRules.data)).toBe(0);
    expect(store.getState().alertEvents.a?.data).toEqual([expect.objectContaining({ id: 'e-a', resolved_at: AT })]);
    expect(heard).toEqual(['alert.fired', 'alert.resolved']);
  });

  it('keeps the webhook secret of a created rule apart, shown once', async () => {
    const { bridge, store } = setupStore();
    bridge.createAlert.mockResolvedValue({ ok: true, rule: { ...rule('c'), webhook_secret: 'whsec_x' } });
    expect(await store.getState().createAlert({ name: 'c', type: 'backlog', threshold: 1 })).toBe(true);
    expect(store.getState().createdAlertSecret).toEqual({ ruleId: 'c', secret: 'whsec_x' });
    expect(store.getState().alertRules.data?.[0]).not.toHaveProperty('webhook_secret');
  });
});

describe('notifyFire', () => {
  it('asks the shell in the window, the Notification API in a browser that allows it, and nothing on a resolve', () => {
    const notify = vi.fn(async () => true);
    const shell = { notify } as unknown as ShellBridge;
    notifyFire(notice('alert.fired', 'a'), shell);
    notifyFire(notice('alert.resolved', 'a'), shell);
    expect(notify).toHaveBeenCalledExactlyOnceWith({ title: 'Alert: rule a', body: '5 jobs wait' });

    const made: string[] = [];
    const FakeNotification = Object.assign(
      function (this: unknown, title: string) {
        made.push(title);
      },
      { permission: 'granted' },
    );
    vi.stubGlobal('Notification', FakeNotification);
    notifyFire(notice('alert.fired', 'b'), null);
    FakeNotification.permission = 'default';
    notifyFire(notice('alert.fired', 'c'), null);
    expect(made).toEqual(['Alert: rule b']);
  });
});
