import { afterEach, describe, expect, it } from 'vitest';
import type { JobKind } from '../../src-shared/kinds';
import { eventually } from '../support/console';
import { ControlledMailReceiver } from '../support/controlled-mail-receiver';
import { CallbackReceiver } from '../support/effect-sinks';
import { seeded } from '../support/fault-run';
import { WorkerScenario, expectKept, lastStarter } from '../support/worker-scenario';

/**
 * Issue 10 #2 and #5: a worker's AMQP connection cut under it (no crash), through a proxy the
 * test owns. Seeded (FAULT_SEED): the jobs' mix and timings, and the cut's length; FAULT_JOBS
 * sets how many jobs each phase submits.
 */
const SEED = Number(process.env.FAULT_SEED ?? 102);
/** Jobs per phase; a longer run: FAULT_JOBS=100. */
const JOBS = Number(process.env.FAULT_JOBS ?? 12);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RETRY_ENV = { JOBDECK_RETRY_BASE_MS: '200', JOBDECK_RETRY_MAX_MS: '800', JOBDECK_MAX_ATTEMPTS: '10' };

let scenario: WorkerScenario | null = null;
const sinks: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await scenario?.close();
  scenario = null;
  for (const sink of sinks.splice(0)) await sink.close();
});

/** IDs of the jobs a worker is running now. */
async function inHand(scenario: WorkerScenario): Promise<Set<string>> {
  const jobs = await Promise.all(scenario.ledger.ids.map((id) => scenario.job(id)));
  return new Set(jobs.filter((job) => job.status === 'STARTED' || job.status === 'IN PROGRESS').map((job) => job.id));
}

describe(`a worker whose AMQP connection is cut during its effects (seed ${SEED})`, () => {
  it('stops its sends and POSTs, never writes a final status for a job it lost, and nothing repeats', async () => {
    const random = seeded(SEED);
    // A slow mail server: a send waits 1.5 s for MAIL FROM, the cut lands in that wait.
    const mail = new ControlledMailReceiver({ beforeMailFrom: () => sleep(1_500) });
    const callbacks = new CallbackReceiver();
    sinks.push(mail, callbacks);
    const smtpUrl = await mail.listen();
    const callbackUrl = await callbacks.listen();
    scenario = await WorkerScenario.start(RETRY_ENV);
    const amqp = await scenario.proxy('amqp');
    const env = { SMTP_URL: smtpUrl, JOBDECK_WORKER_PREFETCH: '8' };
    const cutOff = await scenario.worker('email,callback', env, { amqp });
    const other = await scenario.worker('email,callback', env);

    for (let n = 0; n < JOBS; n++) {
      const kind: JobKind = random() < 0.6 ? 'email' : 'callback';
      const payload = kind === 'email' ? { subject: `cut ${n}` } : { callback_url: callbackUrl, duration_ms: 1_200 + Math.floor(random() * 1_000) };
      await scenario.submit(kind, payload);
    }
    // Cut once the worker behind the proxy is in the middle of some of them.
    const held = await eventually(
      async () => (await Promise.all(scenario!.ledger.ids.map((id) => scenario!.job(id)))).filter((job) => job.status === 'IN PROGRESS' && lastStarter(job) === cutOff.pid),
      (mine) => mine.length >= 2,
      10_000,
      'the worker to hold jobs',
    );
    amqp.cut();
    await sleep(800 + random() * 1_200);
    amqp.heal();

    const report = await scenario.report({ email: mail.messages, callback: callbacks.deliveries });
    expectKept(report);
    // The cut landed while every effect of the jobs in hand waited (a slow server, the long task): none repeats.
    expect(report.verdict.repeatsDropped).toEqual({ log: 0, callback: 0, email: 0 });
    for (const job of report.jobs) {
      // Whoever ended a job holds its last start: the worker cut off wrote no final status after losing it.
      expect(job.transitions.at(-1)!.worker).toBe(job.transitions.filter((t) => t.status === 'STARTED').at(-1)!.worker);
    }
    // The jobs it held were started again after the cut, and ended by their new holder.
    const taken = held.map((job) => report.jobs.find((j) => j.id === job.id)!);
    for (const job of taken) expect(job.transitions.filter((t) => t.status === 'STARTED').length).toBeGreaterThanOrEqual(2);
    expect(taken.some((job) => lastStarter(job) === other.pid)).toBe(true);
    // It stayed up, stopped the jobs it lost, reconnected.
    await cutOff.line(/returning it to the queue/);
    await cutOff.line(/RabbitMQ connected again/);
    expect(cutOff.running).toBe(true);
  });
});

describe(`a worker started by hand across a broker restart (seed ${SEED})`, () => {
  it('reconnects with backoff by itself, one line per state change, and finishes every job', async () => {
    const random = seeded(SEED + 1);
    const mail = new ControlledMailReceiver();
    const callbacks = new CallbackReceiver();
    sinks.push(mail, callbacks);
    const smtpUrl = await mail.listen();
    const callbackUrl = await callbacks.listen();
    scenario = await WorkerScenario.start(RETRY_ENV);
    const amqp = await scenario.proxy('amqp');
    const worker = await scenario.worker('A,B,C', { SMTP_URL: smtpUrl }, { amqp });

    const submitAll = async (count: number): Promise<void> => {
      for (let n = 0; n < count; n++) {
        const pick = random();
        if (pick < 0.4) await scenario!.submit('log', { client_time: 1_569_177_495 + n });
        else if (pick < 0.7) await scenario!.submit('callback', { callback_url: callbackUrl, duration_ms: Math.floor(random() * 800) });
        else await scenario!.submit('email', { subject: `restart ${n}` });
        await sleep(50);
      }
    };
    await submitAll(JOBS);
    // The broker goes away (every connection reset, new ones refused), then comes back.
    const runningAtCut = await inHand(scenario);
    amqp.cut();
    await submitAll(JOBS);
    await sleep(2_000 + random() * 2_000);
    amqp.heal();
    await submitAll(JOBS);

    const report = await scenario.report({ email: mail.messages, callback: callbacks.deliveries });
    expectKept(report);
    // A POST or a mail may repeat (same webhook-id / Message-ID) only if its effect was under way at the cut.
    const repeated = [...callbacks.deliveries, ...mail.messages].filter(([, seen]) => seen > 1);
    expect(repeated.filter(([id, seen]) => !runningAtCut.has(id) || seen > 2)).toEqual([]);
    expect(worker.running).toBe(true);
    const states = worker.lines.filter((line) => /RabbitMQ/.test(line));
    expect(states[0]).toMatch(/RabbitMQ (connection|channel) closed; jobs in hand stopped .*; reconnecting/);
    expect(states.filter((line) => /RabbitMQ unreachable/.test(line))).toHaveLength(1);
    expect(states.at(-1)).toMatch(/RabbitMQ connected again; consuming/);
  });
});
