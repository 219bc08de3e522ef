import { describe, expect, it } from 'vitest';
import { agoText } from '../../../src-renderer/components/OfflineBanner';
import { selectors } from '../../../src-renderer/store/selectors';
import { FLASH_MS } from '../../../src-renderer/store/pending';
import { validatePayload } from '../../../src-renderer/store/validate-payload';
import { submittingText } from '../../../src-renderer/views/submit/JobForm';
import { eventOf, makeJob } from './fixtures';
import { renderConsole, settle, setupStore } from './store-fixture';

const accepted = (id: string) => ({ ok: true as const, job: makeJob({ createdSecond: 100, id, kind: 'email', type: 'C' }) });
const inChart = (store: ReturnType<typeof setupStore>['store']) => store.getState().throughput.reduce((sum, point) => sum + point.accepted, 0);

describe('charts count console submits', () => {
  it('counts each submitted copy once, though its answer is merged before its QUEUED event', async () => {
    const { bridge, store } = setupStore();
    let n = 0;
    bridge.submitJob.mockImplementation(async () => accepted(`copy-${n++}`));

    expect(await store.getState().submitJob('email', {}, 20)).toBe(true);
    expect(inChart(store)).toBe(20);
    expect(store.getState().queueRates.email!.reduce((sum, point) => sum + point.accepted, 0)).toBe(20);

    // The QUEUED events arrive after the answers: same jobs, same versions, nothing more counted.
    store.getState().applyEvents(Array.from({ length: 20 }, (_, i) => eventOf(accepted(`copy-${i}`).job)));
    expect(inChart(store)).toBe(20);
  });

  it('counts a QUEUED event for a job a list page brought in first', async () => {
    const job = makeJob({ createdSecond: 1 });
    const { store } = setupStore([job]);
    await store.getState().loadFirstPage();
    store.getState().applyEvents([eventOf(job)]);
    expect(inChart(store)).toBe(1);
  });
});

describe('submit outcome and progress', () => {
  it('says how many copies were answered while submitting, and ends with none', async () => {
    const { bridge, store } = setupStore();
    const answers: (() => void)[] = [];
    let n = 0;
    bridge.submitJob.mockImplementation(() => new Promise((resolve) => answers.push(() => resolve(accepted(`p-${n++}`)))));

    const sent = store.getState().submitJob('email', {}, 200);
    expect(store.getState().submit.email!.progress).toEqual({ done: 0, total: 200 });
    for (let i = 0; i < 37; i++) {
      answers.shift()!();
      await settle();
    }
    expect(store.getState().submit.email!.progress).toEqual({ done: 37, total: 200 });
    expect(submittingText(store.getState().submit.email!.progress)).toMatch(/^Submitting 37\/200/);
    while (answers.length) {
      answers.shift()!();
      await settle();
    }
    expect(await sent).toBe(true);
    expect(store.getState().submit.email).toMatchObject({ progress: null, lastCount: 200 });
  });

  it('forgets the last accepted job when a new submit is refused by the check', async () => {
    const { bridge, store } = setupStore();
    bridge.submitJob.mockResolvedValue(accepted('ok-1'));
    await store.getState().submitJob('log', { client_time: 1_700_000_000 });
    expect(store.getState().submit.log!.lastJobId).toBe('ok-1');

    expect(await store.getState().submitJob('log', { client_time: 'yesterday' })).toBe(false);
    expect(store.getState().submit.log).toMatchObject({ lastJobId: null, lastCount: 0 });
    expect(store.getState().submit.log!.problem?.errors?.[0]?.field).toBe('payload.client_time');
    expect(renderConsole(store)).not.toContain('Accepted job');
  });

  it('says the offset is missing from an RFC 3339 time without one, keeping the field and rule', () => {
    const problem = validatePayload('log', { client_time: '2026-12-07T12:03:10' });
    expect(problem?.errors).toEqual([
      { field: 'payload.client_time', rule: 'format', message: expect.stringContaining('add an offset such as Z or +02:00') },
    ]);
    expect(validatePayload('log', { client_time: 'yesterday' })?.errors?.[0]?.message).not.toContain('offset');
  });
});

describe('flashes', () => {
  it('clears an accepted purge after FLASH_MS, but not a newer one', async () => {
    const { bridge, store, schedule } = setupStore();
    bridge.purgeQueue.mockResolvedValue({ ok: true, result: { kind: 'email', purged: 20, cancelled: 20 } });

    await store.getState().purgeQueue('email');
    expect(store.getState().purge?.answer?.result.purged).toBe(20);
    schedule.advance(FLASH_MS - 1);
    expect(store.getState().purge).not.toBeNull();
    await store.getState().purgeQueue('email');
    schedule.advance(1);
    // The first flash's timer found a newer answer and left it.
    expect(store.getState().purge).not.toBeNull();
    schedule.advance(FLASH_MS);
    expect(store.getState().purge).toBeNull();
  });
});

describe('offline', () => {
  it('marks the console offline when the feed drops, remembering when figures were last fresh', () => {
    let clock = 1_000_000;
    const { setConnection, store } = setupStore([], { now: () => clock });
    store.getState().start();
    setConnection('live');
    expect(selectors.offline(store.getState())).toBe(false);
    clock = 1_060_000;
    setConnection('reconnecting');
    expect(selectors.offline(store.getState())).toBe(true);
    expect(selectors.lostAt(store.getState())).toBe(1_060_000);
    clock = 1_200_000;
    // Still down on the next try: the figures are as old as before.
    setConnection('reconnecting');
    expect(selectors.lostAt(store.getState())).toBe(1_060_000);
    setConnection('live');
    expect(selectors.offline(store.getState())).toBe(false);
    expect(selectors.lostAt(store.getState())).toBeNull();
  });

  it('shows the banner with the last fresh time on every view, and disables the actions', () => {
    const { setConnection, store } = setupStore();
    store.getState().start();
    setConnection('live');
    expect(renderConsole(store)).not.toContain('offline-banner');
    setConnection('reconnecting');
    for (const view of ['overview', 'submit', 'jobs', 'queues', 'workers'] as const) {
      store.getState().navigate(view);
      const html = renderConsole(store);
      expect(html).toContain('Connection to the console lost');
      expect(html).toMatch(/Figures last updated <time dateTime="[^"]+"/);
    }
    store.getState().navigate('submit');
    expect(renderConsole(store)).toMatch(/<button type="submit" class="primary" aria-disabled="true"/);
  });

  it('says how long ago in words', () => {
    expect(agoText(2_000)).toBe('just now');
    expect(agoText(40_000)).toBe('40 s ago');
    expect(agoText(125_000)).toBe('2 min ago');
    expect(agoText(3_900_000)).toBe('1 h 5 min ago');
  });
});
