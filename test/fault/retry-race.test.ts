import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/console';
import { ControlledMailReceiver } from '../support/controlled-mail-receiver';
import { seeded } from '../support/fault-run';
import type { StandaloneWorker } from '../support/standalone-worker';
import type { TcpProxy } from '../support/tcp-proxy';
import { WorkerScenario, expectKept, lastStarter } from '../support/worker-scenario';

/**
 * Issue 10 #1, made deterministic: a kind C attempt fails (the mail server defers it) and, the
 * moment it does, its worker's link to Redis stalls (a partition with no reset). The worker's
 * retry message is confirmed and comes back to the other worker while the job still reads
 * IN PROGRESS; the RETRYING write lands only once the link heals, after attempt 2 finished.
 * Attempt 2 must run, the late write must change nothing, and every job must end DONE with one
 * mail. Seeded (FAULT_SEED): how long each stall outlasts attempt 2.
 */
const SEED = Number(process.env.FAULT_SEED ?? 101);
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 3);
const random = seeded(SEED);

let scenario: WorkerScenario;
const held = new Map<number, { worker: StandaloneWorker; redis: TcpProxy }>();
const deferred = new Set<string>();
let stalled: TcpProxy | null = null;
const mail = new ControlledMailReceiver({
  onMessage: async (jobId) => {
    if (deferred.has(jobId)) return 'accept';
    deferred.add(jobId);
    // The first attempt fails, and its worker's Redis link stalls before it can say so.
    const holder = held.get(lastStarter(await scenario.job(jobId)));
    stalled = holder!.redis;
    stalled.stall();
    return 'defer';
  },
});

beforeAll(async () => {
  const smtpUrl = await mail.listen();
  scenario = await WorkerScenario.start({ JOBDECK_RETRY_BASE_MS: '200', JOBDECK_RETRY_MAX_MS: '400', JOBDECK_MAX_ATTEMPTS: '4' });
  for (let i = 0; i < 2; i++) {
    const redis = await scenario.proxy('redis');
    // One job in hand at a time: the retry of the job a worker holds goes to the other one.
    const worker = await scenario.worker('email', { SMTP_URL: smtpUrl, JOBDECK_WORKER_PREFETCH: '1' }, { redis });
    held.set(worker.pid, { worker, redis });
  }
});
afterAll(async () => {
  await scenario?.close();
  await mail.close();
});

describe('a retry that overtakes its RETRYING write (seed ' + SEED + ')', () => {
  it('runs attempt 2 while attempt 1 still reads IN PROGRESS; the late write changes nothing', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await scenario.submit('email', { subject: `retry race ${round}` });
      await eventually(() => scenario.job(id), (job) => job.status === 'DONE', 15_000, `job ${id} DONE during the stall`);
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 700));
      const proxy = stalled!;
      proxy.heal();
      const loser = [...held.values()].find((h) => h.redis === proxy)!.worker;
      await loser.line(new RegExp(`job ${id}: another worker took it over`), 10_000);
    }
    const report = await scenario.report({ email: mail.messages });
    expectKept(report);
    expect(report.verdict.repeatsDropped.email).toBe(0);
    for (const job of report.jobs) {
      expect(job).toMatchObject({ status: 'DONE', attempts: 2, next_attempt_at: null });
      expect(job.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS', 'STARTED', 'IN PROGRESS', 'DONE']);
      expect(job.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: expect.stringContaining('451') }]);
      // DONE by the worker that ran attempt 2, not the one whose write came late.
      expect(job.transitions.at(-1)!.worker).toBe(job.transitions[3]!.worker);
      expect(job.transitions[3]!.worker).not.toBe(job.transitions[1]!.worker);
    }
  });
});
