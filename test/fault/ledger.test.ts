import { describe, expect, it } from 'vitest';
import { runFaultScenario, type FaultPlan, type FaultReport } from '../support/fault-run';

/**
 * Ledger runs: jobs submitted at a steady rate while faults are injected; every accepted job must
 * end DONE with its effect seen exactly once (after the receivers' dedupe by delivery ID), nothing
 * unexpected may appear, the history must catch up, and no request may wait more than 6 s.
 * Seeded: `FAULT_SEED=<n>` replays another run; `FAULT_LOAD_MS` and `FAULT_RATE` make it larger.
 */
const LONGEST_WAIT_MS = 6_000;
const seed = Number(process.env.FAULT_SEED ?? 4);
const loadMs = Number(process.env.FAULT_LOAD_MS ?? 40_000);
const ratePerSecond = Number(process.env.FAULT_RATE ?? 12);
const log = (line: string): void => void (process.env.JOBDECK_TEST_LOG && console.log(`[fault] ${line}`));

function summary(name: string, plan: FaultPlan, report: FaultReport): string {
  const { verdict } = report;
  return (
    `[fault] ${name}, seed ${plan.seed}: ${verdict.jobs} jobs accepted, ${report.refused} refused; ` +
    `faults ${JSON.stringify(report.faults)}; lost ${verdict.lost.length}, duplicated ${verdict.duplicated.length}, ` +
    `unexpected ${verdict.unexpected.length}, repeats dropped by receivers ${JSON.stringify(verdict.repeatsDropped)}; ` +
    `not DONE ${report.notDone.length}, history behind ${report.historyBehind}; ` +
    `longest wait ${report.longestWaitMs} ms (during outages ${report.longestOutageWaitMs} ms)`
  );
}

function expectNothingLost(plan: FaultPlan, report: FaultReport): void {
  for (const job of report.notDone.slice(0, 10)) console.log(`[fault] not DONE: ${job.id} ${job.status}`);
  expect(report.verdict.jobs).toBeGreaterThan(plan.ratePerSecond * (plan.loadMs / 1000) * 0.3);
  for (const fault of plan.faults) expect(report.faults[fault], fault).toBeGreaterThanOrEqual(1);
  expect(report.otherAnswers).toEqual([]);
  expect(report.refusedWithoutRetryAfter).toBe(0);
  expect(report.notDone).toEqual([]);
  expect(report.verdict.lost).toEqual([]);
  expect(report.verdict.duplicated).toEqual([]);
  expect(report.verdict.unexpected).toEqual([]);
  expect(report.historyBehind).toBe(0);
  expect(report.longestWaitMs).toBeLessThanOrEqual(LONGEST_WAIT_MS);
}

describe('the fault ledger', () => {
  it('loses, duplicates and invents nothing under crashes, closed connections, cuts and stalls of RabbitMQ and Redis', async () => {
    const plan: FaultPlan = {
      seed,
      loadMs,
      ratePerSecond,
      faults: ['sigkill-worker', 'broker-close', 'redis-kill', 'cut-rabbitmq', 'cut-redis', 'stall-rabbitmq', 'stall-redis'],
      faultEveryMs: 3_000,
      cutMs: [1_000, 3_000],
      kinds: ['log', 'callback', 'email'],
      drainMs: 120_000,
    };
    const report = await runFaultScenario(plan, log);
    console.log(summary('RabbitMQ and Redis', plan, report));
    expectNothingLost(plan, report);
  });

  // Kind A needs PostgreSQL for its effect and retries to survive it: postgres-faults.test.ts.
  it('keeps taking and finishing jobs while the console loses PostgreSQL, and the history catches up', async () => {
    const plan: FaultPlan = {
      seed: seed + 1,
      loadMs: Math.min(loadMs, 25_000),
      ratePerSecond,
      faults: ['postgres-terminate', 'cut-postgres', 'stall-postgres', 'sigkill-worker'],
      faultEveryMs: 3_000,
      cutMs: [1_000, 3_000],
      kinds: ['callback', 'email'],
      drainMs: 90_000,
    };
    const report = await runFaultScenario(plan, log);
    console.log(summary('PostgreSQL', plan, report));
    expectNothingLost(plan, report);
  });
});
