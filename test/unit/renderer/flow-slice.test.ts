import { describe, expect, it } from 'vitest';
import type { FlowReport, KindFlow } from '../../../src-shared/flow';
import { pausedKindsOf } from '../../../src-renderer/store/flow-slice';
import { problem, setupStore } from './store-fixture';

const flow = (kind: string, paused: boolean, rate: number | null = null): KindFlow => ({ kind, paused, paused_at: paused ? '2026-12-07T10:00:00.000Z' : null, rate_per_s: rate, concurrency: null });
const report = (...kinds: KindFlow[]): FlowReport => ({ kinds });

describe('flow slice', () => {
  it('pauses a kind, shows the answer, and reads every kind again', async () => {
    const { bridge, store } = setupStore();
    bridge.pauseKind.mockResolvedValueOnce({ ok: true, flow: flow('email', true) });
    bridge.listFlows.mockResolvedValue(report(flow('log', false), flow('email', true)));
    expect(await store.getState().pauseKind('email', true)).toBe(true);
    expect(bridge.pauseKind).toHaveBeenCalledWith('email', true);
    expect(store.getState().flowChange).toMatchObject({ target: 'email', pending: false, answer: { flow: { paused: true } } });
    expect(pausedKindsOf(store.getState().flows.data)).toEqual(new Set(['email']));
  });

  it('keeps refused limits as their problem', async () => {
    const { bridge, store } = setupStore();
    bridge.setKindLimits.mockResolvedValueOnce({ ok: false, problem: problem(400, 'invalid') });
    expect(await store.getState().setKindLimits('log', { rate_per_s: null, concurrency: 0 })).toBe(false);
    expect(store.getState().flowChange).toMatchObject({ target: 'log', problem: { status: 400 }, answer: null });
  });

  it('knows no paused kind before the flow is read', () => {
    expect(pausedKindsOf(null).size).toBe(0);
  });
});
