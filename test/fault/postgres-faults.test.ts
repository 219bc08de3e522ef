import { describe, expect, it } from 'vitest';
import { runFaultScenario, type FaultPlan } from '../support/fault-run';

/**
 * PostgreSQL taken away under load: the test's own backends terminated and its network to
 * PostgreSQL cut or stalled, while jobs of every kind flow. Kind A's insert fails while the
 * database is away, so this run needs failed attempts to be retried with backoff (issue 4,
 * item 1): every accepted job must still end DONE with one row.
 */
const plan: FaultPlan = {
  seed: Number(process.env.FAULT_SEED ?? 7),
  loadMs: Number(process.env.FAULT_LOAD_MS ?? 30_000),
  ratePerSecond: Number(process.env.FAULT_RATE ?? 10),
  faults: ['postgres-terminate', 'cut-postgres', 'stall-postgres', 'sigkill-worker'],
  faultEveryMs: 3_000,
  cutMs: [1_000, 3_000],
  kinds: ['log', 'callback', 'email'],
  drainMs: 120_000,
};

describe('the fault ledger with PostgreSQL away', () => {
  it('retries kind A until its row is written, and loses, duplicates and invents nothing', async () => {
    const report = await runFaultScenario(plan, (line) => process.env.JOBDECK_TEST_LOG && console.log(`[fault] ${line}`));
    const { verdict } = report;
    console.log(
      `[fault-pg] seed ${plan.seed}: ${verdict.jobs} jobs accepted, ${report.refused} refused; faults ${JSON.stringify(report.faults)}; ` +
        `lost ${verdict.lost.length}, duplicated ${verdict.duplicated.length}, unexpected ${verdict.unexpected.length}; ` +
        `not DONE ${report.notDone.length}; longest wait ${report.longestWaitMs} ms`,
    );
    for (const job of report.notDone.slice(0, 10)) console.log(`[fault-pg] not DONE: ${job.id} ${job.status}`);
    expect(verdict.jobs).toBeGreaterThan(0);
    expect(report.otherAnswers).toEqual([]);
    expect(report.notDone).toEqual([]);
    expect(verdict.lost).toEqual([]);
    expect(verdict.duplicated).toEqual([]);
    expect(verdict.unexpected).toEqual([]);
    expect(report.longestWaitMs).toBeLessThanOrEqual(6_000);
  });
});
