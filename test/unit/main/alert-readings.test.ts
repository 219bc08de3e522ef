import { describe, expect, it } from 'vitest';
import {
  DepthHistory,
  backlogReading,
  crashLoopReading,
  deadLettersReading,
  dependencyReading,
  drainTimeReading,
  failureRateReading,
  nextStep,
  noConsumersReading,
  webhookFailingReading,
} from '../../../src-main/alerts/alert-readings';
import { alertDefinitionErrors, type AlertDefinition } from '../../../src-shared/alert-schemas';
import type { QueueInfo } from '../../../src-shared/console-records';

const rule = (over: Partial<AlertDefinition>): AlertDefinition => ({ name: 'r', type: 'backlog', kind: null, threshold: 0, window_s: 60, webhook_url: null, enabled: true, ...over });
const queue = (kind: string, ready: number, consumers = 1, dead = 0): QueueInfo => ({ kind, name: `ns.jobs.${kind}`, ready, consumers, retrying: 0, dead, paused: false, paused_at: null, rate_per_s: null, concurrency: null });

describe('nextStep: once per episode', () => {
  it.each([
    [false, true, 'fire'],
    [true, true, 'stay'],
    [true, false, 'resolve'],
    [false, false, 'stay'],
  ] as const)('firing %s, crossed %s → %s', (firing, crossed, step) => {
    expect(nextStep(firing, crossed)).toBe(step);
  });
});

describe('readings', () => {
  it('failure_rate: FAILED over finished, strictly above the threshold; nothing finished never crosses', () => {
    const r = rule({ type: 'failure_rate', kind: 'callback', threshold: 0.5 });
    expect(failureRateReading(r, { failed: 1, finished: 2 })).toMatchObject({ value: 0.5, crossed: false });
    expect(failureRateReading(r, { failed: 2, finished: 3 })).toMatchObject({ crossed: true, message: expect.stringContaining('2 of 3 callback jobs') });
    expect(failureRateReading(r, { failed: 0, finished: 0 })).toMatchObject({ value: 0, crossed: false });
  });

  it('backlog: the rule kind\'s queue, or the largest of all', () => {
    const queues = [queue('log', 5), queue('email', 9)];
    expect(backlogReading(rule({ kind: 'log', threshold: 5 }), queues)).toMatchObject({ value: 5, crossed: false });
    expect(backlogReading(rule({ threshold: 5 }), queues)).toMatchObject({ value: 9, crossed: true });
  });

  it('drain_time: depth over the window\'s completion rate; a queue nothing drains is null and crossed', () => {
    const r = rule({ type: 'drain_time', threshold: 100, window_s: 60 });
    // 120 finished in 60 s → 2/s; 300 waiting → 150 s.
    expect(drainTimeReading(r, [queue('log', 300)], new Map([['log', 120]]))).toMatchObject({ value: 150, crossed: true });
    expect(drainTimeReading(r, [queue('log', 100)], new Map([['log', 120]]))).toMatchObject({ value: 50, crossed: false });
    expect(drainTimeReading(r, [queue('log', 1), queue('email', 3)], new Map([['log', 60]]))).toMatchObject({ value: null, crossed: true });
    expect(drainTimeReading(r, [queue('log', 0)], new Map())).toMatchObject({ value: 0, crossed: false });
  });

  it('no_consumers: jobs above the threshold in a queue without a consumer', () => {
    const r = rule({ type: 'no_consumers', threshold: 0 });
    expect(noConsumersReading(r, [queue('log', 4, 0), queue('email', 7, 1)])).toMatchObject({ value: 4, crossed: true, message: 'no consumer on log (4 waiting)' });
    expect(noConsumersReading(r, [queue('log', 0, 0)])).toMatchObject({ crossed: false });
  });

  it('crash_loop, webhook_failing, dependency_down: the worst one against the threshold', () => {
    expect(crashLoopReading(rule({ type: 'crash_loop', threshold: 2 }), new Map([['c/log-1', 3], ['c/log-2', 1]]))).toMatchObject({ value: 3, crossed: true, message: expect.stringContaining('c/log-1') });
    expect(crashLoopReading(rule({ type: 'crash_loop', threshold: 2 }), new Map())).toMatchObject({ value: 0, crossed: false });
    expect(webhookFailingReading(rule({ type: 'webhook_failing', threshold: 3 }), new Map([['s1', { url: 'http://x', failed: 4 }]]))).toMatchObject({ value: 4, crossed: true });
    const down = dependencyReading(rule({ type: 'dependency_down' }), { redis: { up: true, error: null }, smtp: { up: false, error: 'ECONNREFUSED' } });
    expect(down).toMatchObject({ value: 1, crossed: true, message: 'down: smtp (ECONNREFUSED)' });
  });

  it('dead_letters_growing: the growth over the window of the depths seen', () => {
    const depths = new DepthHistory(60_000);
    depths.record('log', 2, 0);
    depths.record('log', 5, 10_000);
    depths.record('log', 9, 20_000);
    depths.record('email', 4, 20_000);
    const growth = depths.growth(15_000, 20_000);
    expect(growth).toEqual(new Map([['log', 4], ['email', 0]]));
    expect(deadLettersReading(rule({ type: 'dead_letters_growing', threshold: 3 }), growth)).toMatchObject({ value: 4, crossed: true });
    expect(deadLettersReading(rule({ type: 'dead_letters_growing', kind: 'email', threshold: 0 }), growth)).toMatchObject({ value: 0, crossed: false });
  });
});

describe('alertDefinitionErrors', () => {
  it('names the field and the rule of a definition whose fields disagree', () => {
    expect(alertDefinitionErrors(rule({ type: 'failure_rate', threshold: 0.2 }))).toEqual([expect.objectContaining({ field: 'kind', rule: 'required' })]);
    expect(alertDefinitionErrors(rule({ type: 'dependency_down', kind: 'log' }))).toEqual([expect.objectContaining({ field: 'kind', rule: 'unexpected' })]);
    expect(alertDefinitionErrors(rule({ type: 'failure_rate', kind: 'log', threshold: 1.5 }))).toEqual([expect.objectContaining({ field: 'threshold', rule: 'max' })]);
    expect(alertDefinitionErrors(rule({ type: 'backlog', kind: 'log', threshold: 1.5 }))).toEqual([]);
  });
});
