import { describe, expect, it } from 'vitest';
import type { AlertNotice } from '../../../src-shared/alert-schemas';
import type { JobEvent } from '../../../src-shared/events';
import { feedTray, type TraySources } from '../../../src-main/electron/tray-feed';
import { badgeCount, trayMenuTemplate, TrayState, trayTooltip, viewOfPageUrl, type TrayCounts } from '../../../src-main/electron/tray-state';

const failed = (job_id: string) => ({ job_id, status: 'FAILED' as const });
const notice = (type: AlertNotice['type'], id: string) => ({ type, rule: { id } }) as AlertNotice;

describe('the tray state', () => {
  it('counts the rules listed as firing, then follows their fires and resolves', () => {
    const state = new TrayState();
    state.setRules([
      { id: 'a', state: 'firing' },
      { id: 'b', state: 'ok' },
    ]);
    expect(state.counts.firingAlerts).toBe(1);
    state.onAlertNotice(notice('alert.fired', 'b'));
    state.onAlertNotice(notice('alert.fired', 'b'));
    expect(state.counts.firingAlerts).toBe(2);
    state.onAlertNotice(notice('alert.resolved', 'a'));
    expect(state.counts.firingAlerts).toBe(1);
  });

  it('counts each failed job once, and nothing else', () => {
    const state = new TrayState();
    state.onJobEvent(failed('j1'));
    state.onJobEvent(failed('j1'));
    state.onJobEvent({ job_id: 'j2', status: 'DONE' });
    state.onJobEvent({ job_id: 'j3', status: 'RETRYING' });
    state.onJobEvent(failed('j4'));
    expect(state.counts.failedJobs).toBe(2);
  });

  it('resets the failures when the window gains focus or the Jobs view opens', () => {
    const state = new TrayState();
    state.onJobEvent(failed('j1'));
    state.look({ focused: true, view: 'overview' });
    expect(state.counts.failedJobs).toBe(0);
    state.onJobEvent(failed('j2'));
    expect(state.counts.failedJobs).toBe(1); // focused, but on another view
    state.look({ focused: true, view: 'jobs' });
    expect(state.counts.failedJobs).toBe(0);
    state.onJobEvent(failed('j3'));
    expect(state.counts.failedJobs).toBe(0); // seen as it happens
    state.look({ focused: false, view: 'jobs' });
    state.onJobEvent(failed('j4'));
    expect(state.counts.failedJobs).toBe(1);
    state.look({ focused: false, view: 'queues' });
    expect(state.counts.failedJobs).toBe(1); // leaving a view is not looking
  });

  it('tells its listeners of each change, and only of changes', () => {
    const state = new TrayState();
    const seen: TrayCounts[] = [];
    const stop = state.onChange((counts) => seen.push(counts));
    state.onJobEvent(failed('j1'));
    state.onJobEvent(failed('j1'));
    state.setRules([]);
    state.onAlertNotice(notice('alert.fired', 'r'));
    stop();
    state.onJobEvent(failed('j2'));
    expect(seen).toEqual([
      { firingAlerts: 0, failedJobs: 1 },
      { firingAlerts: 1, failedJobs: 1 },
    ]);
  });

  it('says the counts in words and badges their sum', () => {
    expect(trayTooltip({ firingAlerts: 1, failedJobs: 3 })).toBe('Jobdeck: 1 alert firing, 3 jobs failed since you last looked');
    expect(trayTooltip({ firingAlerts: 0, failedJobs: 1 })).toBe('Jobdeck: 0 alerts firing, 1 job failed since you last looked');
    expect(badgeCount({ firingAlerts: 2, failedJobs: 3 })).toBe(5);
  });

  it("has a menu whose counts open their views, then Show and Quit", () => {
    const done: string[] = [];
    const items = trayMenuTemplate({ firingAlerts: 2, failedJobs: 1 }, { show: (view) => done.push(`show ${view ?? 'window'}`), quit: () => done.push('quit') });
    expect(items.map((item) => item.label ?? item.type)).toEqual(['2 alerts firing', '1 job failed since you last looked', 'separator', 'Show Jobdeck', 'Quit Jobdeck']);
    for (const item of items) (item.click as (() => void) | undefined)?.();
    expect(done).toEqual(['show alerts', 'show jobs', 'show window', 'quit']);
  });

  it('reads the view from a page URL', () => {
    expect(viewOfPageUrl('http://127.0.0.1:8000/#/jobs')).toBe('jobs');
    expect(viewOfPageUrl('http://127.0.0.1:8000/#/jobs?q=status:FAILED')).toBe('jobs');
    expect(viewOfPageUrl('http://127.0.0.1:8000/#/dead-letters/abc')).toBe('dead-letters');
    expect(viewOfPageUrl('http://127.0.0.1:8000/')).toBeNull();
    expect(viewOfPageUrl('http://127.0.0.1:8000/#/nowhere')).toBeNull();
  });
});

/** Sources held in memory: what the console's alert store, alert feed and relay would hand on. */
function memorySources(rules: { id: string; state: 'ok' | 'firing' }[]) {
  const alertListeners = new Map<(notice: AlertNotice) => void, () => void>();
  const jobListeners = new Set<(event: JobEvent) => void>();
  const sources: TraySources = {
    listRules: async () => rules,
    followAlerts: (listener, closed) => {
      alertListeners.set(listener, closed);
      return () => void alertListeners.delete(listener);
    },
    onJobEvent: (listener) => {
      jobListeners.add(listener);
      return () => void jobListeners.delete(listener);
    },
  };
  return { sources, alertListeners, jobListeners };
}

describe('the tray feed', () => {
  it('lists the rules, follows notices and job events, follows again after the feed closed, and stops', async () => {
    const state = new TrayState();
    const memory = memorySources([{ id: 'a', state: 'firing' }]);
    const stop = feedTray(state, memory.sources, 20);
    await expect.poll(() => state.counts.firingAlerts).toBe(1);
    for (const listener of memory.jobListeners) listener(failed('j1') as JobEvent);
    expect(state.counts.failedJobs).toBe(1);
    // A core restart closes the alert feed: the next refresh follows the new one.
    for (const closed of [...memory.alertListeners.values()]) closed();
    memory.alertListeners.clear();
    await expect.poll(() => memory.alertListeners.size).toBe(1);
    for (const listener of memory.alertListeners.keys()) listener(notice('alert.fired', 'b'));
    expect(state.counts.firingAlerts).toBe(2);
    stop();
    expect(memory.alertListeners.size).toBe(0);
    expect(memory.jobListeners.size).toBe(0);
  });
});

describe('the tray feed while a restart swaps the core', () => {
  it('tries again on the next tick when following or listing fails', async () => {
    const state = new TrayState();
    const memory = memorySources([{ id: 'a', state: 'firing' }]);
    let restarting = true;
    const sources: TraySources = {
      ...memory.sources,
      listRules: () => (restarting ? Promise.reject(new Error('restarting')) : memory.sources.listRules()),
      followAlerts: (listener, closed) => {
        if (restarting) throw new Error('restarting');
        return memory.sources.followAlerts(listener, closed);
      },
    };
    const stop = feedTray(state, sources, 20);
    expect(state.counts.firingAlerts).toBe(0);
    restarting = false;
    await expect.poll(() => state.counts.firingAlerts).toBe(1);
    expect(memory.alertListeners.size).toBe(1);
    stop();
  });
});
