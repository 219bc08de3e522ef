import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import type { HttpHandlerSpec } from '../../src-shared/kind-definition';
import { parseAddress, refusedClassOf } from '../../src-shared/node/address-classes';
import { OutboundClient } from '../../src-shared/node/outbound-fetch';
import { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import type { Delivery } from '../../src-shared/subscription-schemas';
import { loadConfig } from '../../src-main/config';
import { PermanentJobError } from '../../src-worker/handlers/handler';
import { createHandler } from '../../src-worker/handlers/user-handlers';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { recordedContext } from '../support/handler-context';
import { TEST_SERVICES } from '../support/namespace';
import { Receiver } from '../support/receiver';
import { StandaloneWorker } from '../support/standalone-worker';
import { WebhookReceiver } from '../support/webhook-receiver';

// The machine's own name: a name (not known refused at submit) that resolves to loopback.
const OWN_NAME = hostname();
const ownNameIsLoopback = (await lookup(OWN_NAME, { all: true }).catch(() => [])).some((a) => refusedClassOf(parseAddress(a.address)!) === 'loopback');
const REFUSED_LITERALS = [
  'http://127.0.0.1:6379/',
  'http://[::1]:6379/',
  'http://[::ffff:127.0.0.1]:8000/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00:ec2::254]/',
  'http://100.100.100.200/',
  'http://169.254.1.1/',
  'http://[fe80::1]/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://[fc00::1]/',
  'http://0.0.0.0:8000/',
  'http://[::]:8000/',
  'http://localhost:8000/',
];

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface Problem {
  errors: { field: string; rule: string; message: string }[];
}

async function refusedFields(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  const problem = (await response.json()) as Problem;
  return problem.errors.filter((e) => e.rule === 'outbound-policy').map((e) => e.field);
}

/** Submits a kind B job; expects it accepted. */
async function submitCallback(app: TestConsole, payload: Record<string, unknown>, maxAttempts?: number): Promise<Job> {
  const answer = await fetch(`${app.url}/api/v1/jobs`, json({ kind: 'callback', payload: { duration_ms: 0, ...payload }, max_attempts: maxAttempts }));
  expect(answer.status).toBe(202);
  return (await answer.json()) as Job;
}

function ended(app: TestConsole, id: string): Promise<Job> {
  const read = async () => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
  return eventually(read, (job) => job.status === 'DONE' || job.status === 'FAILED', 20_000, `job ${id} to end`);
}

/** Two jobs POSTing to the same URL, one while its port is closed, one while it is open: both must fail alike, once. */
async function refusedOpenAndClosed(app: TestConsole, receiver: Receiver, url: string): Promise<string> {
  const closed = await ended(app, (await submitCallback(app, { callback_url: url })).id);
  await receiver.open();
  const open = await ended(app, (await submitCallback(app, { callback_url: url })).id);
  await receiver.close();
  for (const job of [closed, open]) expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(open.error).toBe(closed.error);
  expect(receiver.requests).toEqual([]);
  return closed.error!;
}

describe('a console under the strict outbound policy (JOBDECK_OUTBOUND_POLICY=strict on loopback)', () => {
  // 127.0.0.2 is loopback too, but the allow list names it: the receiver the policy lets through.
  const target = new WebhookReceiver();
  const allowed = new WebhookReceiver(({ path }) => (path.startsWith('/redirect') ? { status: 302, body: '', headers: { location: `${target.url}/stolen` } } : 200));
  const closable = new Receiver();
  let app: TestConsole;

  beforeAll(async () => {
    await target.start();
    await allowed.start('127.0.0.2');
    await closable.reserve();
    app = await startTestConsole({ JOBDECK_OUTBOUND_POLICY: 'strict', JOBDECK_OUTBOUND_ALLOW: '127.0.0.2', JOBDECK_WORKERS: 'A=0,B=1,C=0' });
    expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await app?.dispose();
    await Promise.all([target.close(), allowed.close(), closable.close()]);
  });

  it('refuses at submit a URL whose host is an address of each refused class, or localhost, naming the field', async () => {
    for (const url of REFUSED_LITERALS) {
      const answer = await fetch(`${app.url}/api/v1/jobs`, json({ kind: 'callback', payload: { callback_url: url } }));
      expect(await refusedFields(answer), url).toEqual(['payload.callback_url']);
    }
    const book = await fetch(`${app.url}/job/callback?callback_url=${encodeURIComponent('http://169.254.169.254/')}`);
    expect(await refusedFields(book)).toEqual(['callback_url']);
    const subscription = await fetch(`${app.url}/api/v1/subscriptions`, json({ url: 'http://[::1]:6379/' }));
    expect(await refusedFields(subscription)).toEqual(['url']);
    const batch = await fetch(
      `${app.url}/api/v1/batches`,
      json({ jobs: [{ kind: 'callback', payload: { callback_url: 'http://10.0.0.1/' } }], on_complete: { callback_url: 'http://192.168.0.1/' } }),
    );
    expect(await refusedFields(batch)).toEqual(['jobs.0.payload.callback_url', 'on_complete.callback_url']);
    const alert = await fetch(`${app.url}/api/v1/alerts`, json({ name: 'backlog', type: 'backlog', kind: 'callback', threshold: 10, webhook_url: 'http://[fe80::1]/' }));
    expect(await refusedFields(alert)).toEqual(['webhook_url']);
    const dryRun = await fetch(`${app.url}/api/v1/jobs/validate`, json({ kind: 'callback', payload: { callback_url: 'http://127.0.0.1:8000/' } }));
    const problem = (await dryRun.json()) as Problem;
    expect(problem.errors[0]!.message).toBe('payload.callback_url is refused by the outbound policy: 127.0.0.1 is a loopback address');
  });

  it.skipIf(!ownNameIsLoopback)('fails for good, in the same words whether its port is open or closed, a callback to a name that resolves to loopback', async () => {
    const url = `http://${OWN_NAME}:${closable.port}/callback`;
    const error = await refusedOpenAndClosed(app, closable, url);
    expect(error).toMatch(new RegExp(`^callback to ${url} was refused by the outbound policy: ${OWN_NAME} resolves to a loopback address$`));
  });

  it('does not follow a redirect from an allowed target to a refused address', async () => {
    const job = await ended(app, (await submitCallback(app, { callback_url: `${allowed.url}/redirect` }, 1)).id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toBe(`callback to ${allowed.url}/redirect answered HTTP 302`);
    expect(allowed.received.map((r) => r.path)).toContain('/redirect');
    expect(target.received).toEqual([]);
  });

  it("lets through a loopback receiver JOBDECK_OUTBOUND_ALLOW names, and the console's own inbox", async () => {
    const toAllowed = await ended(app, (await submitCallback(app, { callback_url: `${allowed.url}/done` })).id);
    expect(toAllowed).toMatchObject({ status: 'DONE', result: { status_code: 200 } });
    const toInbox = await ended(app, (await submitCallback(app, {})).id);
    expect(toInbox).toMatchObject({ status: 'DONE', result: { status_code: 201 } });
    expect(String(toInbox.result!.callback_url)).toBe(`${app.url}/api/v1/inbox/jobs/${toInbox.id}`);
  });

  it.skipIf(!ownNameIsLoopback)('refuses webhook deliveries to a name that resolves to loopback for good, and delivers to allowed targets and the inbox', async () => {
    const events = { kinds: ['callback'], statuses: ['DONE'] };
    const subscribe = async (url: string) => ((await (await fetch(`${app.url}/api/v1/subscriptions`, json({ url, events }))).json()) as { id: string }).id;
    const refused = await subscribe(`http://${OWN_NAME}:${new URL(target.url).port}/hook`);
    const toAllowed = await subscribe(`${allowed.url}/hook`);
    const toInbox = await subscribe(`${app.url}/api/v1/inbox/hooks`);
    await ended(app, (await submitCallback(app, {})).id);
    const deliveries = (id: string) => async () => ((await (await fetch(`${app.url}/api/v1/subscriptions/${id}/deliveries`)).json()) as { items: Delivery[] }).items;
    const settled = (items: Delivery[]) => items.length === 1 && items[0]!.state !== 'pending';
    const [failed] = await eventually(deliveries(refused), settled, 15_000, 'the refused delivery');
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed!.attempts).toHaveLength(1);
    expect(failed!.attempts[0]).toMatchObject({ status_code: null });
    expect(failed!.attempts[0]!.error).toMatch(new RegExp(`^refused by the outbound policy: ${OWN_NAME} resolves to a loopback address$`));
    expect(target.received).toEqual([]);
    for (const id of [toAllowed, toInbox]) expect((await eventually(deliveries(id), settled))[0]).toMatchObject({ state: 'delivered' });
  });
});

describe('a worker started by hand with JOBDECK_OUTBOUND_POLICY=strict, its console on the default (off)', () => {
  const closable = new Receiver();
  let app: TestConsole;
  let worker: StandaloneWorker;

  beforeAll(async () => {
    await closable.reserve();
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' });
    worker = new StandaloneWorker('callback', {
      AMQP_URL: TEST_SERVICES.amqpUrl,
      REDIS_URL: TEST_SERVICES.redisUrl,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: app.namespace,
      JOBDECK_OUTBOUND_POLICY: 'strict',
    });
    await worker.line(/consuming/, 30_000);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await app?.dispose();
    await closable.close();
  });

  it('refuses at send time a localhost callback the console accepted, for good, alike for an open and a closed port', async () => {
    const url = `http://localhost:${closable.port}/callback`;
    const error = await refusedOpenAndClosed(app, closable, url);
    expect(error).toMatch(new RegExp(`^callback to ${url} was refused by the outbound policy: localhost names a loopback address$`));
  });
});

describe('a worker started by hand with no outbound settings, its console strict', () => {
  const closable = new Receiver();
  let app: TestConsole;
  let worker: StandaloneWorker;

  beforeAll(async () => {
    await closable.reserve();
    app = await startTestConsole({ JOBDECK_OUTBOUND_POLICY: 'strict', JOBDECK_WORKERS: 'A=0,B=0,C=0' });
    // As on another machine: its own JOBDECK_HOST (the default, loopback) would leave the policy off.
    worker = new StandaloneWorker('callback', {
      AMQP_URL: TEST_SERVICES.amqpUrl,
      REDIS_URL: TEST_SERVICES.redisUrl,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: app.namespace,
      ...{ JOBDECK_HOST: '', JOBDECK_OUTBOUND_POLICY: '', JOBDECK_OUTBOUND_ALLOW: '', JOBDECK_CONSOLE_URL: '', JOBDECK_INBOX_TOKEN: '' },
    });
    await worker.line(/consuming/, 30_000);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await app?.dispose();
    await closable.close();
  });

  it.skipIf(!ownNameIsLoopback)("obeys the console's strict policy: refuses a name that resolves to loopback, alike for an open and a closed port", async () => {
    const url = `http://${OWN_NAME}:${closable.port}/callback`;
    const error = await refusedOpenAndClosed(app, closable, url);
    expect(error).toBe(`callback to ${url} was refused by the outbound policy: ${OWN_NAME} resolves to a loopback address`);
  });

  it("calls back the console's own inbox, whose address it learnt from the namespace", async () => {
    const toInbox = await ended(app, (await submitCallback(app, {})).id);
    expect(toInbox).toMatchObject({ status: 'DONE', result: { status_code: 201 } });
  });
});

describe('an http kind under the strict policy', () => {
  const definitionOf = (url: string) => {
    const handler: HttpHandlerSpec = { http: { url } };
    return { name: 'thumbnail', description: 'makes thumbnails', payload_schema: {}, handler };
  };

  it('keeps the console from starting when its URL is a refused address, naming the kind and the variable', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jobdeck-outbound-'));
    const kindsFile = join(folder, 'kinds.json');
    writeFileSync(kindsFile, JSON.stringify({ kinds: [definitionOf('http://169.254.169.254/latest/')] }));
    try {
      const env = { JOBDECK_KINDS: kindsFile, JOBDECK_OUTBOUND_POLICY: 'strict' };
      expect(() => loadConfig(env)).toThrow(
        'kind thumbnail: its http URL http://169.254.169.254/latest/ is refused by the outbound policy (169.254.169.254 is a cloud metadata address); allow it with JOBDECK_OUTBOUND_ALLOW',
      );
      expect(loadConfig({ ...env, JOBDECK_OUTBOUND_ALLOW: '169.254.169.254' }).kinds.names).toContain('thumbnail');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.skipIf(!ownNameIsLoopback)('fails a job for good, without an outage, when its URL names a host that resolves to loopback', async () => {
    const receiver = await new WebhookReceiver().start();
    const outbound = new OutboundClient(new OutboundPolicy({ mode: 'strict', allow: [] }));
    const url = `http://${OWN_NAME}:${new URL(receiver.url).port}/thumbnail`;
    try {
      const { handler } = definitionOf(url);
      const failure = await createHandler(handler, definitionOf(url), outbound)
        .run(recordedContext('thumbnail', {}).context)
        .catch((error: Error) => error);
      expect(failure).toBeInstanceOf(PermanentJobError);
      expect((failure as Error).message).toMatch(new RegExp(`^http handler to ${url} was refused by the outbound policy: ${OWN_NAME} resolves to a loopback address$`));
      expect(receiver.received).toEqual([]);
    } finally {
      await outbound.close();
      await receiver.close();
    }
  });
});
