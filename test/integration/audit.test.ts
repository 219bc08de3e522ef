import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditTerm } from '../../src-shared/audit-query';
import type { AuditEntry, AuditPage } from '../../src-shared/audit-schemas';
import { AuditRecorder } from '../../src-main/audit/audit-recorder';
import { AuditStore } from '../../src-main/audit/audit-store';
import { migrate } from '../../src-main/database/migrations';
import { bareConsoleForTests, callConsole, eventually } from '../support/console';
import { dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const consoleOfFile = bareConsoleForTests();

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const { status, body: json } = await callConsole(consoleOfFile(), method, path, body);
  return { status, json };
}

const audit = async (q: string, query = ''): Promise<AuditPage> => {
  const answer = await send('GET', `/api/v1/audit?q=${encodeURIComponent(q)}${query}`);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as unknown as AuditPage;
};

/** The newest row of `verb` on `target`, once the recorder has written it. */
const rowOf = (verb: string, target?: string): Promise<AuditEntry> =>
  eventually(async () => (await audit(`verb:${verb}${target ? ` target:${target}` : ''}`)).items[0], 5_000, `the ${verb} row`);

describe('the audit trail of a console', () => {
  it('records each changing verb: who, what, target, parameters without secrets, result', async () => {
    const submitted = await send('POST', '/api/v1/jobs', { kind: 'callback', payload: { callback_url: 'http://ops:pa55@127.0.0.1:9/hook', secret: SECRET } });
    expect(submitted.status).toBe(202);
    const jobId = submitted.json.id as string;
    const submit = await rowOf('jobs.submit', jobId);
    expect(submit).toMatchObject({ actor: 'local', role: 'write', verb: 'jobs.submit', target: jobId, route: 'POST /api/v1/jobs', result: { status: 202, outcome: 'ok', title: null } });
    expect(submit.params).toEqual({ kind: 'callback', payload: { callback_url: 'http://ops:***@127.0.0.1:9/hook', secret: '***' } });
    expect(JSON.stringify(submit)).not.toContain(SECRET);

    const book = await send('GET', '/job/mail?subject=From%20the%20book');
    expect(await rowOf('jobs.submit', book.json.uuid as string)).toMatchObject({ route: 'GET /job/mail', params: { subject: 'From the book' }, result: { status: 200 } });

    expect((await send('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200);
    expect(await rowOf('jobs.cancel', jobId)).toMatchObject({ target: jobId, params: null, result: { status: 200, outcome: 'ok' } });
    expect((await send('POST', `/api/v1/jobs/${jobId}/retry`)).status).toBe(200);
    expect(await rowOf('jobs.retry', jobId)).toMatchObject({ result: { status: 200 } });

    const batch = await send('POST', '/api/v1/batches', { jobs: [{ kind: 'email', payload: { subject: 'child' } }], on_complete: { callback_url: 'http://127.0.0.1:9/done', secret: SECRET } });
    expect(batch.status).toBe(202);
    const batchRow = await rowOf('batches.create', batch.json.id as string);
    expect(JSON.stringify(batchRow.params)).not.toContain(SECRET);

    const subscription = await send('POST', '/api/v1/subscriptions', { url: 'http://127.0.0.1:9/sub', events: { kinds: ['email'] } });
    expect(subscription.status).toBe(201);
    const subscriptionId = subscription.json.id as string;
    expect(await rowOf('subscriptions.create', subscriptionId)).toMatchObject({ params: { url: 'http://127.0.0.1:9/sub' }, result: { status: 201 } });
    expect((await send('DELETE', `/api/v1/subscriptions/${subscriptionId}`)).status).toBe(204);
    expect(await rowOf('subscriptions.delete', subscriptionId)).toMatchObject({ result: { status: 204 } });

    const schedule = await send('POST', '/api/v1/schedules', { kind: 'email', payload: { subject: 'daily' }, cron: '0 0 8 * * *' });
    expect(schedule.status).toBe(201);
    const scheduleId = schedule.json.id as string;
    expect(await rowOf('schedules.create', scheduleId)).toMatchObject({ params: { cron: '0 0 8 * * *' } });
    expect((await send('POST', `/api/v1/schedules/${scheduleId}/pause`)).status).toBe(200);
    expect(await rowOf('schedules.pause', scheduleId)).toMatchObject({ result: { status: 200 } });

    expect((await send('POST', '/api/v1/queues/log/purge')).status).toBe(200);
    expect(await rowOf('queues.purge', 'log')).toMatchObject({ route: 'POST /api/v1/queues/:kind/purge' });

    const operation = await send('POST', '/api/v1/operations', { action: 'cancel', ids: [jobId] });
    expect(operation.status).toBe(202);
    expect(await rowOf('operations.create', operation.json.id as string)).toMatchObject({ params: { action: 'cancel', ids: [jobId] } });

    expect((await send('POST', '/api/v1/kinds/email/pause')).status).toBe(200);
    expect(await rowOf('flow.pause', 'email')).toMatchObject({ result: { status: 200 } });
    expect((await send('PUT', '/api/v1/kinds/email/limits', { rate_per_s: 5, concurrency: null })).status).toBe(200);
    expect(await rowOf('flow.limits', 'email')).toMatchObject({ params: { rate_per_s: 5, concurrency: null } });

    const requeue = await send('POST', '/api/v1/dead-letters/requeue', { ids: [randomUUID()] });
    expect(await rowOf('dead-letters.requeue')).toMatchObject({ result: { status: requeue.status } });
  }, 60_000);

  it('records a refused request with its 4xx and problem, and leaves out dry runs, validations and the inbox', async () => {
    expect((await send('POST', '/api/v1/jobs', { kind: 'nope', payload: {} })).status).toBe(400);
    const refused = await eventually(async () => (await audit('verb:jobs.submit result:refused')).items[0], 5_000);
    expect(refused).toMatchObject({ target: null, params: { kind: 'nope' }, result: { status: 400, outcome: 'refused', title: expect.any(String), detail: expect.stringContaining('kind') } });

    expect((await send('POST', '/api/v1/jobs/validate', { kind: 'email', payload: {} })).status).toBe(200);
    expect((await send('POST', '/api/v1/operations', { action: 'retry', query: 'status:FAILED', dry_run: true })).status).toBe(200);
    expect((await send('POST', '/api/v1/inbox/anything', { hello: 1 })).status).toBe(201);
    const marker = await send('POST', '/api/v1/kinds/log/pause');
    expect(marker.status).toBe(200);
    await rowOf('flow.pause', 'log');
    const all = await audit('', '&limit=500');
    expect(all.items.map((row) => row.route)).not.toEqual(expect.arrayContaining([expect.stringMatching(/validate|inbox/)]));
    expect(all.items.filter((row) => row.verb === 'operations.create')).toHaveLength(1);
  });

  it('searches by actor, verb prefix, target, result, time and words, and pages newest first', async () => {
    const before = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await send('POST', '/api/v1/jobs', { kind: 'email', payload: { subject: `paging ${i}` } })).json.id as string);
    await rowOf('jobs.submit', ids[4]);
    const first = await audit(`actor:local verb:jobs result:ok after:${before} paging`, '&limit=2');
    expect(first.items.map((row) => row.target)).toEqual([ids[4], ids[3]]);
    const second = await audit(`actor:local verb:jobs result:ok after:${before} paging`, `&limit=2&cursor=${first.next_cursor}`);
    const third = await audit(`actor:local verb:jobs result:ok after:${before} paging`, `&limit=2&cursor=${second.next_cursor}`);
    expect([...second.items, ...third.items].map((row) => row.target)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.next_cursor).toBeNull();
    expect((await audit(`target:${ids[0]!.slice(0, 8)}`)).items.map((row) => row.target)).toEqual([ids[0]]);
    expect((await audit(`before:${before} paging`)).items).toEqual([]);
    expect((await audit('actor:window')).items).toEqual([]);
    expect((await audit('verb:flow')).items.every((row) => row.verb.startsWith('flow.'))).toBe(true);
  });

  it('keeps rows with NUL and lone surrogates, replaced by U+FFFD, and the rows after them', async () => {
    expect((await send('DELETE', '/api/v1/subscriptions/a%00b')).status).toBe(404);
    const response = await fetch(`${consoleOfFile().url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"kind":"\\u0000","payload":{"k\\u0000":"\\ud800"}}',
    });
    expect(response.status).toBe(400);
    expect((await send('POST', '/api/v1/kinds/callback/pause')).status).toBe(200);
    await rowOf('flow.pause', 'callback');
    expect(await rowOf('subscriptions.delete')).toMatchObject({ target: 'a\uFFFDb', result: { status: 404 } });
    const submit = await eventually(async () => (await audit('verb:jobs.submit result:refused')).items.find((row) => JSON.stringify(row.params).includes('\uFFFD')), 5_000);
    expect(submit.params).toEqual({ kind: '\uFFFD', payload: { 'k\uFFFD': '\uFFFD' } });
    expect((await audit('target:a\uFFFDb')).items.map((row) => row.verb)).toEqual(['subscriptions.delete']);
  });

  it('answers a query that does not parse with a 400 naming q and the rule', async () => {
    const answer = await send('GET', `/api/v1/audit?q=${encodeURIComponent('result:maybe')}`);
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([{ field: 'q', rule: 'syntax', message: 'q: column 8: expected a result (ok, refused, error)' }]);
    expect((await send('GET', '/api/v1/audit?limit=501')).status).toBe(400);
    expect((await send('GET', '/api/v1/audit?cursor=bogus')).status).toBe(400);
  });
});

describe('the audit recorder across a PostgreSQL hiccup', () => {
  const namespace = uniqueNamespace();
  const proxy = new TcpProxy({ host: '127.0.0.1', port: 5432 });
  let pool: pg.Pool;
  let direct: AuditStore;
  beforeAll(async () => {
    await proxy.listen();
    const config = testDatabaseConfig();
    const admin = new pg.Pool(config);
    await migrate(admin, namespace);
    direct = new AuditStore(admin, namespace);
    pool = new pg.Pool({ ...config, host: '127.0.0.1', port: proxy.port, connectionTimeoutMillis: 1_000, query_timeout: 2_000 });
    pool.on('error', () => undefined);
    Object.assign(direct, { admin });
  });
  afterAll(async () => {
    await pool?.end();
    await (direct as unknown as { admin: pg.Pool }).admin.end();
    await proxy.close();
    await dropNamespace(namespace);
  });

  const entry = (verb: string): AuditEntry => ({
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: 'local',
    role: 'write',
    verb,
    target: null,
    route: 'POST /test',
    params: null,
    result: { status: 200, outcome: 'ok', title: null, detail: null },
  });

  it('keeps the rows while PostgreSQL is away and writes them when it is back; past the bound it says how many it dropped', async () => {
    const lines: string[] = [];
    const recorder = new AuditRecorder({ store: () => new AuditStore(pool, namespace), log: (line) => lines.push(line), flushDelayMs: 10, retryMs: 50, maxBufferedRows: 5 });
    recorder.record(entry('test.before'));
    await eventually(async () => (await direct.list([], 50)).items.length, (count) => count === 1, 5_000);

    proxy.cut();
    for (let i = 0; i < 7; i++) recorder.record(entry(`test.during.${i}`));
    await eventually(async () => lines.find((line) => line.includes('keeping them and retrying')), 5_000);
    expect(recorder.pending).toBe(5);
    expect((await direct.list([], 50)).items).toHaveLength(1);

    proxy.heal();
    const rows = await eventually(async () => (await direct.list([], 50)).items, (items) => items.length === 7, 10_000, 'the rows after healing');
    expect(rows.map((row) => row.verb)).toEqual(expect.arrayContaining(['audit.dropped', 'test.during.2', 'test.during.6']));
    expect(rows.find((row) => row.verb === 'audit.dropped')).toMatchObject({ params: { dropped: 2 }, result: { outcome: 'error' } });
    expect(lines.some((line) => line.includes('dropping the oldest'))).toBe(true);
    await recorder.close();
  }, 30_000);

  it('sets aside a row PostgreSQL refuses, writes the others of its batch, and says so in an audit.dropped row', async () => {
    const since: AuditTerm = { type: 'time', bounds: [{ op: '>=', at: new Date().toISOString() }] };
    const lines: string[] = [];
    const recorder = new AuditRecorder({ store: () => new AuditStore(pool, namespace), log: (line) => lines.push(line), flushDelayMs: 60_000 });
    const bad = [
      { ...entry('test.refused.text'), target: 'a\0b' },
      { ...entry('test.refused.json'), params: { kind: '\0' } },
      { ...entry('test.refused.surrogate'), params: { ['k\ud800']: 1 } },
    ];
    recorder.record(entry('test.good.1'));
    for (const row of bad) recorder.record(row);
    recorder.record(entry('test.good.2'));
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    const written = await direct.list([{ type: 'verb', values: ['test.good', 'test.refused', 'audit.dropped'] }, since], 50);
    expect(written.items.map((row) => row.verb).sort()).toEqual(['audit.dropped', 'test.good.1', 'test.good.2']);
    expect(written.items.find((row) => row.verb === 'audit.dropped')).toMatchObject({ params: { dropped: 3, refused: 3, buffer_full: 0 }, result: { title: expect.stringContaining('3 refused by PostgreSQL') } });
    for (const row of bad) expect(lines.some((line) => line.includes(row.id) && line.includes('set aside'))).toBe(true);
    await recorder.close();
  });

  it('drops anonymous rows first when its buffer is full, never another actor\'s', async () => {
    const since: AuditTerm = { type: 'time', bounds: [{ op: '>=', at: new Date().toISOString() }] };
    const recorder = new AuditRecorder({ store: () => new AuditStore(pool, namespace), log: () => undefined, flushDelayMs: 10, retryMs: 50, maxBufferedRows: 3 });
    const anonymous = (verb: string): AuditEntry => ({ ...entry(verb), actor: 'anonymous', role: 'none' });
    proxy.cut();
    for (const row of [entry('test.full.real.1'), anonymous('test.full.anon.1'), entry('test.full.real.2'), anonymous('test.full.anon.2'), entry('test.full.real.3')]) recorder.record(row);
    expect(recorder.pending).toBe(3);
    proxy.heal();
    const written = await eventually(() => direct.list([{ type: 'verb', values: ['test.full', 'audit.dropped'] }, since], 50), (page) => page.items.length === 4, 10_000);
    expect(written.items.map((row) => row.verb).sort()).toEqual(['audit.dropped', 'test.full.real.1', 'test.full.real.2', 'test.full.real.3']);
    expect(written.items.find((row) => row.verb === 'audit.dropped')).toMatchObject({ params: { dropped: 2, buffer_full: 2 } });
    await recorder.close();
  });

  it('writes what waits when it closes, however long its window', async () => {
    const recorder = new AuditRecorder({ store: () => direct, log: () => undefined, flushDelayMs: 60_000 });
    recorder.record(entry('test.on-close'));
    await recorder.close();
    expect((await direct.list([{ type: 'verb', values: ['test.on-close'] }], 5)).items).toHaveLength(1);
  });

  it('prunes the rows older than the retention', async () => {
    const old = { ...entry('test.old'), at: new Date(Date.now() - 31 * 86_400_000).toISOString() };
    await direct.insert([old, entry('test.young')]);
    expect(await direct.prune(30)).toBe(1);
    const left = await direct.list([{ type: 'verb', values: ['test.old', 'test.young'] }], 5);
    expect(left.items.map((row) => row.verb)).toEqual(['test.young']);
  });
});
