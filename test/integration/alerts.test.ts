import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent, AlertNotice, AlertRule } from '../../src-shared/alert-schemas';
import { RedisLease } from '../../src-main/alerts/alert-lease';
import { loadConfig } from '../../src-main/config';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { eventually, startTestConsole, testConsoleEnv, type TestConsole } from '../support/console';
import { sseFrames } from '../support/event-clients';
import { freePort } from '../support/free-port';
import { TEST_SERVICES } from '../support/namespace';
import { WebhookReceiver } from '../support/webhook-receiver';

const EVAL = { JOBDECK_ALERT_EVAL_MS: '200' };

let first: TestConsole;
/** A second console on the same namespace, running no workers: the rules must still be evaluated once. */
let second: RunningConsole;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  await receiver.start();
  first = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0', ...EVAL });
  expect(await first.supervisor!.whenReady(30_000)).toBe(true);
  second = await startConsole({ config: loadConfig({ ...testConsoleEnv(first.namespace, 'A=0,B=0,C=0'), ...EVAL }), workerEntry: null });
}, 60_000);
afterAll(async () => {
  await second?.close();
  await first?.dispose();
  await receiver.close();
});

const send = (url: string, method: string, body?: unknown) =>
  fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
const createRule = async (body: unknown): Promise<AlertRule & { webhook_secret: string }> => {
  const response = await send(`${first.url}/api/v1/alerts`, 'POST', body);
  expect(response.status).toBe(201);
  return (await response.json()) as AlertRule & { webhook_secret: string };
};
const ruleOf = async (id: string, on = first.url): Promise<AlertRule> => (await (await fetch(`${on}/api/v1/alerts/${id}`)).json()) as AlertRule;
const eventsOf = async (id: string): Promise<AlertEvent[]> => ((await (await fetch(`${first.url}/api/v1/alerts/${id}/events`)).json()) as { items: AlertEvent[] }).items;
const submit = async (kind: string, payload: Record<string, unknown>, maxAttempts?: number): Promise<void> => {
  const response = await send(`${first.url}/api/v1/jobs`, 'POST', { kind, payload, ...(maxAttempts ? { max_attempts: maxAttempts } : {}) });
  expect(response.status).toBe(202);
};

/** Collects the `alert` events one console streams, until closed. */
function followAlerts(url: string): { notices: AlertNotice[]; close: () => void; opened: Promise<void> } {
  const controller = new AbortController();
  const notices: AlertNotice[] = [];
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    const response = await fetch(`${url}/api/v1/alerts/stream`, { signal: controller.signal });
    opened();
    for await (const frame of sseFrames(response.body!)) if (frame.name === 'alert') notices.push(JSON.parse(frame.data) as AlertNotice);
  })().catch(() => undefined);
  return { notices, close: () => controller.abort(), opened: ready };
}

describe('a failure_rate rule on two consoles of one namespace', () => {
  it('fires once when jobs fail, resolves once when they succeed again; one signed POST each; each page hears both', async () => {
    const streams = [followAlerts(first.url), followAlerts(second.url)];
    await Promise.all(streams.map((s) => s.opened));
    const rule = await createRule({ name: 'Callbacks failing', type: 'failure_rate', kind: 'B', threshold: 0.5, window_s: 3, webhook_url: `${receiver.url}/alert` });
    expect(rule).toMatchObject({ kind: 'callback', state: 'ok', enabled: true, webhook_secret: expect.stringMatching(/^whsec_/) });
    expect(await ruleOf(rule.id)).not.toHaveProperty('webhook_secret');

    const closed = await freePort();
    for (let i = 0; i < 3; i++) await submit('callback', { callback_url: `http://127.0.0.1:${closed}/`, duration_ms: 0 }, 1);
    const firing = await eventually(() => ruleOf(rule.id, second.url), (r) => r.state === 'firing', 20_000, 'the rule firing');
    expect(firing.firing_since).not.toBeNull();

    for (let i = 0; i < 3; i++) await submit('callback', { callback_url: `${receiver.url}/ok`, duration_ms: 0 });
    await eventually(() => ruleOf(rule.id), (r) => r.state === 'ok', 20_000, 'the rule resolved');
    // Both consoles keep evaluating for a while: nothing fires again, nothing is sent twice.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const events = await eventsOf(rule.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ rule_id: rule.id, value: 1, resolved_at: expect.any(String), message: expect.stringMatching(/^\d of \d callback jobs finished FAILED in the last 3 s/) });
    const posts = await eventually(() => receiver.received.filter((r) => r.path === '/alert'), (p) => p.length >= 2, 10_000, 'two webhook POSTs');
    expect(posts).toHaveLength(2);
    const verifier = new Webhook(rule.webhook_secret);
    const bodies = posts.map((post) => verifier.verify(post.body, post.headers as Record<string, string>) as { type: string; data: AlertNotice });
    expect(bodies.map((b) => b.type)).toEqual(['alert.fired', 'alert.resolved']);
    expect(bodies[0]!.data).toMatchObject({ rule: { id: rule.id, name: 'Callbacks failing' }, event: { id: events[0]!.id } });
    for (const stream of streams) {
      expect(stream.notices.filter((n) => n.rule.id === rule.id).map((n) => n.type)).toEqual(['alert.fired', 'alert.resolved']);
      stream.close();
    }
  }, 60_000);
});

describe('a backlog rule with no workers for the kind', () => {
  it('fires while jobs wait past the threshold and resolves when the queue is purged; no_consumers fires alike', async () => {
    const backlog = await createRule({ name: 'Mail piling up', type: 'backlog', kind: 'email', threshold: 2 });
    const stranded = await createRule({ name: 'Mail unconsumed', type: 'no_consumers', kind: 'C', threshold: 0 });
    for (let i = 0; i < 3; i++) await submit('email', { subject: `waiting ${i}` });
    const fired = await eventually(() => ruleOf(backlog.id), (r) => r.state === 'firing', 20_000, 'the backlog rule firing');
    expect(fired.value).toBe(3);
    expect(await eventually(() => ruleOf(stranded.id), (r) => r.state === 'firing', 20_000, 'the no_consumers rule firing')).toMatchObject({ value: 3 });
    expect((await send(`${first.url}/api/v1/queues/email/purge`, 'POST')).status).toBe(200);
    await eventually(() => ruleOf(backlog.id), (r) => r.state === 'ok', 20_000, 'the backlog rule resolved');
    const [episode] = await eventsOf(backlog.id);
    expect(episode).toMatchObject({ value: 3, resolved_at: expect.any(String) });
  }, 60_000);

  it('a disabled rule resolves its open episode and is not evaluated; deleting removes it with its history', async () => {
    const rule = await createRule({ name: 'Any backlog', type: 'backlog', threshold: 0 });
    await submit('email', { subject: 'waits' });
    await eventually(() => ruleOf(rule.id), (r) => r.state === 'firing', 20_000, 'firing');
    const patched = await send(`${first.url}/api/v1/alerts/${rule.id}`, 'PATCH', { enabled: false });
    expect(patched.status).toBe(200);
    await eventually(() => eventsOf(rule.id), (events) => events[0]?.resolved_message === 'the rule was disabled', 20_000, 'resolved by disabling');
    expect((await send(`${first.url}/api/v1/alerts/${rule.id}`, 'DELETE')).status).toBe(204);
    expect((await fetch(`${first.url}/api/v1/alerts/${rule.id}/events`)).status).toBe(404);
    await send(`${first.url}/api/v1/queues/email/purge`, 'POST');
  }, 60_000);
});

describe('bad input', () => {
  it.each([
    [{ type: 'backlog', threshold: 1 }, 'name', 'required'],
    [{ name: 'x', type: 'backlogs', threshold: 1 }, 'type', 'enum'],
    [{ name: 'x', type: 'failure_rate', threshold: 0.5 }, 'kind', 'required'],
    [{ name: 'x', type: 'failure_rate', kind: 'nope', threshold: 0.5 }, 'kind', 'enum'],
    [{ name: 'x', type: 'failure_rate', kind: 'A', threshold: 2 }, 'threshold', 'max'],
    [{ name: 'x', type: 'crash_loop', kind: 'A', threshold: 2 }, 'kind', 'unexpected'],
    [{ name: 'x', type: 'backlog', threshold: -1 }, 'threshold', 'min'],
    [{ name: 'x', type: 'backlog', threshold: 1, webhook_url: 'ftp://x' }, 'webhook_url', 'format'],
    [{ name: 'x', type: 'backlog', threshold: 1, every: 3 }, 'every', 'unknown'],
  ])('POST %j → 400 naming %s (%s), nothing created', async (body, field, rule) => {
    const ids = async () => ((await (await fetch(`${first.url}/api/v1/alerts`)).json()) as { items: AlertRule[] }).items.map((r) => r.id);
    const before = await ids();
    const response = await send(`${first.url}/api/v1/alerts`, 'POST', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await ids()).toEqual(before);
  });

  it('PATCH is checked against the rule it changes, and changes nothing when refused', async () => {
    const rule = await createRule({ name: 'Steady', type: 'backlog', threshold: 100 });
    const response = await send(`${first.url}/api/v1/alerts/${rule.id}`, 'PATCH', { type: 'failure_rate' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string; rule: string }[] }).errors).toContainEqual(expect.objectContaining({ field: 'kind', rule: 'required' }));
    expect(await ruleOf(rule.id)).toMatchObject({ type: 'backlog', threshold: 100 });
    expect((await send(`${first.url}/api/v1/alerts/not-a-rule`, 'PATCH', { enabled: false })).status).toBe(404);
  });
});

describe('the evaluation lease', () => {
  it('has one holder; another takes it once the holder stops renewing, or at once when it releases', async () => {
    const redis = new Redis(TEST_SERVICES.redisUrl);
    const key = `${first.namespace}:test-lease`;
    try {
      const one = new RedisLease(redis, key, 'one', 300);
      const two = new RedisLease(redis, key, 'two', 300);
      expect(await one.hold()).toBe(true);
      expect(await two.hold()).toBe(false);
      expect(await one.hold()).toBe(true);
      // `one` dies: it renews no more, and the key expires.
      expect(await eventually(() => two.hold(), (held) => held, 5_000, 'the takeover')).toBe(true);
      expect(await one.hold()).toBe(false);
      await two.release();
      expect(await one.hold()).toBe(true);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
