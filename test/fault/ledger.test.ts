import { describe, expect, it } from 'vitest';
import { runFaultScenario, type FaultPlan } from '../support/fault-run';

/**
 * The ledger run: jobs of every kind submitted at a steady rate while worker processes are
 * killed, the test's broker connections closed, its Redis clients killed and its network to
 * RabbitMQ and Redis cut. Every accepted job must end DONE with its effect seen exactly once
 * (after the receivers' dedupe by delivery ID), nothing unexpected may appear, and no request
 * may hang while a service is away. Seeded: `FAULT_SEED=<n>` replays another run;
 * `FAULT_LOAD_MS` makes it longer.
 */
const plan: FaultPlan = {
  seed: Number(process.env.FAULT_SEED ?? 4),
  loadMs: Number(process.env.FAULT_LOAD_MS ?? 45_000),
  ratePerSecond: Number(process.env.FAULT_RATE ?? 12),
  faults: ['sigkill-worker', 'broker-close', 'redis-kill', 'cut-rabbitmq', 'cut-redis', 'stall-rabbitmq', 'stall-redis'],
  faultEveryMs: 3_000,
  cutMs: [1_000, 3_000],
  kinds: ['log', 'callback', 'email'],
  drainMs: 120_000,
};
/** Longest any submit may wait for its answer, outages included. */
const LONGEST_WAIT_MS = 6_000;

describe('the fault ledger', () => {
  it('loses, duplicates and invents nothing under crashes, closed connections and network cuts', async () => {
    const report = await runFaultScenario(plan, (line) => process.env.JOBDECK_TEST_LOG && console.log(`[fault] ${line}`));
    const { verdict } = report;
    console.log(
      `[fault] seed ${plan.seed}: ${verdict.jobs} jobs accepted, ${report.refused} refused; faults ${JSON.stringify(report.faults)}; ` +
        `lost ${verdict.lost.length}, duplicated ${verdict.duplicated.length}, unexpected ${verdict.unexpected.length}, ` +
        `repeats dropped by receivers ${JSON.stringify(verdict.repeatsDropped)}; not DONE ${report.notDone.length}; ` +
        `longest wait ${report.longestWaitMs} ms (during outages ${report.longestOutageWaitMs} ms)`,
    );
    for (const job of report.notDone) console.log(`[fault] not DONE: ${job.id} ${job.status}`);
    expect(verdict.jobs).toBeGreaterThan(plan.ratePerSecond * (plan.loadMs / 1000) * 0.3);
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    expect(report.otherAnswers).toEqual([]);
    expect(report.refusedWithoutRetryAfter).toBe(0);
    expect(report.notDone).toEqual([]);
    expect(verdict.lost).toEqual([]);
    expect(verdict.duplicated).toEqual([]);
    expect(verdict.unexpected).toEqual([]);
    expect(report.longestWaitMs).toBeLessThanOrEqual(LONGEST_WAIT_MS);
  });
});
