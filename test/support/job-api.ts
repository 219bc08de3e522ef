import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor, type Names } from '../../src-shared/topology';
import { startTestConsole, type TestConsole } from './console';
import { TEST_SERVICES } from './namespace';
import { WebhookReceiver, type Received } from './webhook-receiver';

/** A console with its workers, a callback receiver and a Redis client, opened and closed around a file's tests. */
export interface ConsoleFixture {
  app: TestConsole;
  redis: Redis;
  names: Names;
  receiver: WebhookReceiver;
  /** Submits a v1 job; expects it accepted (202). */
  submit(kind: string, payload: Record<string, unknown>): Promise<Job>;
  /** The job as `GET /api/v1/jobs/<id>` answers it. */
  jobOf(id: string): Promise<Job>;
}

/** Registers the hooks that open the fixture before the file's tests (console settings `env`) and close it after. */
export function useConsoleFixture(env: Record<string, string>, answer?: (request: Received, index: number) => number): ConsoleFixture {
  const fixture = { receiver: new WebhookReceiver(answer) } as ConsoleFixture;
  fixture.submit = async (kind, payload) => {
    const answer = await fetch(`${fixture.app.url}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, payload }) });
    expect(answer.status).toBe(202);
    return (await answer.json()) as Job;
  };
  fixture.jobOf = async (id) => (await (await fetch(`${fixture.app.url}/api/v1/jobs/${id}`)).json()) as Job;
  beforeAll(async () => {
    await fixture.receiver.start();
    fixture.app = await startTestConsole(env);
    expect(await fixture.app.supervisor!.whenReady(30_000)).toBe(true);
    fixture.redis = new Redis(TEST_SERVICES.redisUrl);
    fixture.names = namesFor(fixture.app.namespace);
  }, 60_000);
  afterAll(async () => {
    fixture.redis?.disconnect();
    await fixture.app?.dispose();
    await fixture.receiver.close();
  });
  return fixture;
}
