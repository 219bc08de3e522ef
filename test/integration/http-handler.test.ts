import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpHandlerSpec } from '../../src-shared/kind-definition';
import { PermanentJobError, UnavailableError } from '../../src-worker/handlers/handler';
import { createHandler } from '../../src-worker/handlers/user-handlers';
import { SOURCE_WORKER_ENTRY } from '../support/console';
import { freePort } from '../support/free-port';
import { recordedContext } from '../support/handler-context';
import { TEST_SERVICES } from '../support/namespace';
import { WebhookReceiver } from '../support/webhook-receiver';

// A real HTTP receiver on loopback; the path picks its answer: `/<status>/<body kind>`, or /hang.
const BODIES: Record<string, string> = {
  object: '{"thumbnail": "t.png", "bytes": 512}',
  scalar: '7',
  text: 'hello, not JSON',
  problem: '{"title": "payload.width must be positive"}',
  none: '',
};
const receiver = new WebhookReceiver(({ path }) => {
  const [, status, kind] = path.split(/[/?]/);
  return status === 'hang' ? null : { status: Number(status), body: BODIES[kind!] ?? '' };
});
const received = receiver.received;
let base: string;

beforeAll(async () => {
  base = (await receiver.start()).url;
});
afterAll(() => receiver.close());

function handlerOf(path: string, options: Omit<HttpHandlerSpec['http'], 'url'> = {}) {
  const spec: HttpHandlerSpec = { http: { url: `${base}${path}`, ...options } };
  return createHandler(spec, { name: 'thumbnail', description: '', payload_schema: {}, handler: spec });
}
const runAt = (path: string, options?: Omit<HttpHandlerSpec['http'], 'url'>) => handlerOf(path, options).run(recordedContext('thumbnail', { width: 64 }).context);
const failureAt = (path: string, options?: Omit<HttpHandlerSpec['http'], 'url'>) => runAt(path, options).then(() => new Error('it succeeded'), (error: Error) => error);

describe('http handler', () => {
  it('POSTs the job as JSON and takes a 2xx JSON answer as the result', async () => {
    const recorded = recordedContext('thumbnail', { width: 64 }, 2);
    const result = await handlerOf('/200/object').run(recorded.context);
    expect(result).toEqual({ thumbnail: 't.png', bytes: 512 });
    const request = received.find((r) => r.path === '/200/object')!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(recorded.context.job.uuid);
    expect(JSON.parse(request.body)).toEqual({ id: recorded.context.job.uuid, kind: 'thumbnail', payload: { width: 64 }, attempt: 2 });
    expect(recorded.logs[0]).toMatch(/^POST answered 200 in (\d+) ms \[effect_ms=\1\]$/);
  });

  it('wraps a JSON answer that is not an object as {value}, an empty one as {}, and fails on one that is not JSON', async () => {
    await expect(runAt('/201/scalar')).resolves.toEqual({ value: 7 });
    await expect(runAt('/204/none')).resolves.toEqual({});
    const failure = await failureAt('/200/text');
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    expect(failure.message).toBe(`http handler ${base}/200/text answered HTTP 200 with a body that is not JSON: hello, not JSON`);
  });

  it('signs the POST per Standard Webhooks with the secret, or the one an environment variable holds', async () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    await runAt('/200/object?signed', { secret });
    const signed = received.find((r) => r.path === '/200/object?signed')!;
    expect(new Webhook(secret).verify(signed.body, signed.headers as Record<string, string>)).toMatchObject({ kind: 'thumbnail' });
    process.env.JOBDECK_TEST_HANDLER_SECRET = secret;
    try {
      await runAt('/200/object?from-env', { secret_env: 'JOBDECK_TEST_HANDLER_SECRET' });
    } finally {
      delete process.env.JOBDECK_TEST_HANDLER_SECRET;
    }
    const fromEnv = received.find((r) => r.path === '/200/object?from-env')!;
    expect(new Webhook(secret).verify(fromEnv.body, fromEnv.headers as Record<string, string>)).toMatchObject({ kind: 'thumbnail' });
    const other = `whsec_${Buffer.alloc(32, 4).toString('base64')}`;
    expect(() => new Webhook(other).verify(fromEnv.body, fromEnv.headers as Record<string, string>)).toThrow();
    // The kinds file refuses this at start; should the variable go missing all the same, no retry can cure it.
    const unset = await runAt('/200/object', { secret_env: 'JOBDECK_TEST_NO_SUCH_SECRET' }).catch((error: Error) => error);
    expect(unset).toBeInstanceOf(PermanentJobError);
    expect((unset as Error).message).toBe("the environment variable JOBDECK_TEST_NO_SUCH_SECRET that holds the http handler's secret is not set");
  });

  it('fails for good on a 4xx other than 408 and 429, quoting the answer', async () => {
    const failure = await failureAt('/422/problem');
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect(failure.message).toBe(`http handler ${base}/422/problem answered HTTP 422: {"title": "payload.width must be positive"}`);
  });

  it('fails the attempt, to be retried, on 408, 429 and 5xx; a 503 and a refused connection are an outage of the endpoint', async () => {
    for (const path of ['/408/none', '/429/none', '/500/none', '/503/problem']) {
      const failure = await failureAt(path);
      expect(failure, path).not.toBeInstanceOf(PermanentJobError);
      expect(failure instanceof UnavailableError, path).toBe(path === '/503/problem');
      expect(failure.message, path).toContain(`answered HTTP ${path.split('/')[1]}`);
    }
    const nobody = `http://127.0.0.1:${await freePort()}/`;
    const spec: HttpHandlerSpec = { http: { url: nobody } };
    const refused = await createHandler(spec, { name: 'thumbnail', description: '', payload_schema: {}, handler: spec })
      .run(recordedContext('thumbnail', {}).context)
      .catch((error: Error) => error);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ dependency: "kind thumbnail's endpoint" });
    expect((refused as Error).message).toBe(`http handler to ${nobody} failed: connect ECONNREFUSED ${nobody.slice(7, -1)}`);
  });

  it("gives up on a receiver that does not answer within the spec's timeout_ms, or on the worker's abort", async () => {
    await expect(runAt('/hang/1', { timeout_ms: 300 })).rejects.toThrow(`http handler to ${base}/hang/1 failed: no answer within 300 ms`);
    const recorded = recordedContext('thumbnail', {});
    const run = handlerOf('/hang/2').run(recorded.context);
    setTimeout(() => recorded.abort.abort(), 100);
    await expect(run).rejects.toThrow(`http handler to ${base}/hang/2 failed:`);
  });
});

describe('an http kind whose secret_env is not set', () => {
  it('keeps a worker from starting, naming the file, the kind and the field in one line', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'jobdeck-secret-env-'));
    const kindsFile = join(folder, 'kinds.json');
    const handler = { http: { url: 'https://example.com/hook', secret_env: 'JOBDECK_TEST_UNSET_SECRET' } };
    writeFileSync(kindsFile, JSON.stringify({ kinds: [{ name: 'notify', description: 'notifies', payload_schema: {}, handler }] }));
    const env: NodeJS.ProcessEnv = { ...process.env, AMQP_URL: TEST_SERVICES.amqpUrl, REDIS_URL: TEST_SERVICES.redisUrl, DATABASE_URL: TEST_SERVICES.databaseUrl, JOBDECK_KINDS: kindsFile };
    delete env.JOBDECK_TEST_UNSET_SECRET;
    try {
      const ended = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const worker = execFile(process.execPath, [...SOURCE_WORKER_ENTRY.execArgv, SOURCE_WORKER_ENTRY.modulePath], { env, timeout: 30_000 }, (_error, _stdout, stderr) =>
          resolve({ code: worker.exitCode, stderr }),
        );
      });
      expect(ended.code).toBe(1);
      expect(ended.stderr.trim()).toMatch(
        new RegExp(`^\\[worker [^\\]]+\\] JOBDECK_KINDS=${kindsFile}: kind "notify": handler\\.http\\.secret_env names JOBDECK_TEST_UNSET_SECRET, which is not set$`),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
