import { describe, expect, it } from 'vitest';
import { runFaultScenario, type FaultPlan } from '../support/fault-run';

/**
 * Issue 10, item 3: PostgreSQL away for longer than the event stream keeps events. With a
 * stream capped at 200 entries, one 12 s cut of the network to PostgreSQL under load lets the
 * stream trim far past the history recorder's cursor; the recorder must notice and rebuild
 * from the job hashes, so the history still shows every accepted job DONE.
 * `FAULT_OUTAGE_MS` makes the outage longer (`FAULT_LOAD_MS` must then exceed it).
 */
const outageMs = Number(process.env.FAULT_OUTAGE_MS ?? 12_000);
const plan: FaultPlan = {
  seed: Number(process.env.FAULT_SEED ?? 11),
  loadMs: Number(process.env.FAULT_LOAD_MS ?? outageMs + 8_000),
  ratePerSecond: Number(process.env.FAULT_RATE ?? 15),
  faults: ['cut-postgres'],
  faultEveryMs: 4_000,
  cutMs: [outageMs, outageMs],
  kinds: ['log', 'callback', 'email'],
  drainMs: 120_000,
  env: { JOBDECK_EVENT_STREAM_MAX: '200' },
};

describe('the fault ledger with PostgreSQL away longer than the event stream keeps events', () => {
  it('records every accepted job in the history with its final status', async () => {
    const report = await runFaultScenario(plan, (line) => process.env.JOBDECK_TEST_LOG && console.log(`[fault] ${line}`));
    const { verdict } = report;
    console.log(
      `[fault-history] seed ${plan.seed}: ${verdict.jobs} jobs accepted, ${report.refused} refused; faults ${JSON.stringify(report.faults)}; ` +
        `lost ${verdict.lost.length}, duplicated ${verdict.duplicated.length}; not DONE ${report.notDone.length}; ` +
        `history behind ${report.historyBehind}`,
    );
    expect(report.faults['cut-postgres']).toBe(1);
    expect(verdict.jobs).toBeGreaterThan(200);
    expect(report.otherAnswers).toEqual([]);
    expect(report.notDone).toEqual([]);
    expect(verdict.lost).toEqual([]);
    expect(verdict.duplicated).toEqual([]);
    expect(report.historyBehind).toBe(0);
  });
});
