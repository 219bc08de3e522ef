import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { freePort } from '../support/free-port';
import { TEST_SERVICES } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';

/**
 * A worker started by hand (`node out/main/worker.js`): it says what it waits for, one line per
 * state change, waits and retries what may come back, and exits non-zero with a clear message
 * only for what retrying cannot cure. Ctrl-C lets it finish the jobs in hand.
 */
let app: TestConsole;
const started: StandaloneWorker[] = [];

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' }, false);
});
afterAll(async () => {
  await Promise.all(started.map((worker) => worker.stop('SIGKILL')));
  await app?.dispose();
});

function worker(env: Record<string, string>, kinds = 'callback'): StandaloneWorker {
  const one = new StandaloneWorker(kinds, {
    AMQP_URL: TEST_SERVICES.amqpUrl,
    REDIS_URL: TEST_SERVICES.redisUrl,
    DATABASE_URL: TEST_SERVICES.databaseUrl,
    JOBDECK_NAMESPACE: app.namespace,
    ...env,
  });
  started.push(one);
  return one;
}

describe('a worker started by hand', () => {
  it('says Redis is unreachable, keeps trying, and stops when told', async () => {
    const port = await freePort();
    const one = worker({ REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` });
    const line = await one.line(/Redis at/);
    expect(line).toMatch(new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} unreachable \\(.*ECONNREFUSED.*\\); retrying`));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(one.running).toBe(true);
    // One line for the outage, not one per retry.
    expect(one.lines.filter((l) => /Redis at/.test(l))).toHaveLength(1);
    expect((await one.stop()).code).toBe(0);
  });

  it('says RabbitMQ is unreachable and keeps trying', async () => {
    const port = await freePort();
    const one = worker({ AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}` });
    await one.line(/RabbitMQ unreachable \(.*ECONNREFUSED.*\); retrying with backoff up to 15 s/);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(one.running).toBe(true);
    expect(one.lines.filter((l) => /RabbitMQ unreachable/.test(l))).toHaveLength(1);
    expect((await one.stop()).code).toBe(0);
  });

  it.each([
    ['REDIS_URL', 'http://127.0.0.1:6379', /REDIS_URL=http:\/\/127\.0\.0\.1:6379: must be a URL starting with redis:\/\/ or rediss:\/\//],
    // (A password for a Redis that has none is only warned about; a user it does not know is refused.)
    ['REDIS_URL', 'redis://nobody:wrong-password@127.0.0.1:6379', /Redis at redis:\/\/nobody:\*\*\*@127\.0\.0\.1:6379 refused this worker \(WRONGPASS.*\); check REDIS_URL/],
    ['AMQP_URL', 'amqp://guest:wrong-password@127.0.0.1:5672', /RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:5672 failed \(.*ACCESS.REFUSED.*\); check AMQP_URL/],
    ['AMQP_URL', 'http://127.0.0.1:5672', /AMQP_URL=http:\/\/127\.0\.0\.1:5672: must be a URL starting with amqp:\/\/ or amqps:\/\//],
  ])('exits non-zero with one clear line for what no retry cures: %s=%s', async (name, value, message) => {
    const one = worker({ [name]: value });
    const { code } = await one.exited;
    expect(code).toBe(1);
    expect(one.lines.join('\n')).toMatch(message);
    expect(one.lines.join('\n')).not.toContain('wrong-password');
  });

  it('finishes the job in hand on Ctrl-C (SIGINT), then exits 0', async () => {
    const one = worker({});
    await one.line(/consuming/);
    const submitted = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 1_500 } }),
    });
    const { id } = (await submitted.json()) as Job;
    const jobOf = async () => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
    await eventually(async () => ((await jobOf()).status === 'IN PROGRESS' ? true : undefined), 10_000, 'IN PROGRESS');
    expect((await one.stop('SIGINT')).code).toBe(0);
    expect(one.lines.join('\n')).toMatch(/stopping: finishing 1 job in hand \(up to 8 s\)/);
    expect(await jobOf()).toMatchObject({ status: 'DONE', attempts: 1 });
  });
});
