import { afterAll, describe, expect, it } from 'vitest';
import type { HealthSummary } from '../../src-shared/console-records';
import { freePort } from '../support/free-port';
import { startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole | undefined;

afterAll(async () => {
  await app?.dispose();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface HealthAnswer {
  code: number;
  body: HealthSummary;
}

async function askHealth(url: string): Promise<HealthAnswer | null> {
  try {
    const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
    return { code: response.status, body: (await response.json()) as HealthSummary };
  } catch {
    return null; // not listening yet
  }
}

describe('a console starting with workers of its own', () => {
  it('answers health 503 "starting" until its workers are ready, returns from its start only then, and runs a job at once', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let returned = false;
    const starting = startTestConsole({ JOBDECK_PORT: String(port), JOBDECK_WORKERS: 'A=1,B=1,C=0' }).finally(() => (returned = true));
    const whileStarting: HealthAnswer[] = [];
    while (!returned) {
      const answer = await askHealth(url);
      if (answer && !returned) whileStarting.push(answer);
      await sleep(50);
    }
    app = await starting;

    const starts = whileStarting.filter((answer) => answer.code === 503);
    expect(starts.length).toBeGreaterThan(0);
    for (const answer of starts) expect(answer.body).toMatchObject({ ok: false, status: 'starting' });
    // A 200 can only come once every worker is ready (the start's own wait polls a little behind).
    for (const answer of whileStarting.filter((a) => a.code === 200)) {
      expect(answer.body.workers.log!.ready).toBe(1);
      expect(answer.body.workers.callback!.ready).toBe(1);
    }

    const ready = await askHealth(app.url);
    expect(ready).toMatchObject({ code: 200, body: { ok: true, status: 'ok' } });
    expect(ready!.body.workers).toMatchObject({ log: { configured: 1, ready: 1 }, callback: { configured: 1, ready: 1 } });

    const submittedAt = Date.now();
    const submitted = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'log', payload: { client_time: 1_700_000_000 } }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    let status = 'QUEUED';
    while (status === 'QUEUED' && Date.now() - submittedAt < 5_000) {
      status = ((await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as { status: string }).status;
      if (status === 'QUEUED') await sleep(20);
    }
    expect(status).not.toBe('QUEUED');
    // Before, a job sent when the address was printed waited about 1.4 s for a worker to start.
    expect(Date.now() - submittedAt).toBeLessThan(1_000);
  });

  it('answers 200 at once when it runs no workers', async () => {
    const bare = await startTestConsole({}, false);
    try {
      expect(await askHealth(bare.url)).toMatchObject({ code: 200, body: { ok: true, status: 'ok' } });
    } finally {
      await bare.dispose();
    }
  });
});
