/**
 * Connection profiles on a running console: saved in a file of its own (mode 0600, passwords
 * never answered), tested service by service, exported and imported, and activated with jobs in
 * flight — the core restarts in place on another namespace and no accepted job is lost.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionProfile, ProfileExport, ProfileList, ProfileModeReport, ProfileTest } from '../../src-shared/profile-schemas';
import { callConsole, eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from '../support/namespace';

let app: TestConsole;
/** The namespace of the second profile: the same services, another namespace. */
const otherNamespace = uniqueNamespace();
const PASSWORD = new URL(TEST_SERVICES.amqpUrl).password || 'guest';

beforeAll(async () => {
  // JOBDECK_WORKERS names log and email: they win over a profile's; callback's count is the profile's (else the default, 1).
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  await dropNamespace(otherNamespace);
}, 60_000);

const call = <T>(method: string, path: string, body?: unknown) => callConsole<T>(app, method, path, body);

function profileBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Same services, other namespace',
    environment: 'staging',
    color: '#D97706',
    amqp_url: TEST_SERVICES.amqpUrl,
    redis_url: TEST_SERVICES.redisUrl,
    database_url: TEST_SERVICES.databaseUrl,
    namespace: otherNamespace,
    workers: { A: 2, callback: 0, email: 0 },
    ...overrides,
  };
}

async function submitLogJob(): Promise<{ status: number; uuid?: string }> {
  const response = await fetch(`${app.url}/job/database?client_time=${Math.floor(Date.now() / 1000)}`);
  return response.status === 200 ? { status: 200, uuid: ((await response.json()) as { uuid: string }).uuid } : { status: response.status };
}

async function statusOf(uuid: string): Promise<string | null> {
  const response = await fetch(`${app.url}/job/status?uuid=${uuid}`);
  return response.status === 200 ? ((await response.json()) as { status: string }).status : null;
}

let saved: ConnectionProfile;

describe('connection profiles', () => {
  it('lists the environment variables as the active, unsaved profile "environment"', async () => {
    const { status, body } = await call<ProfileList>('GET', '/api/v1/connections');
    expect(status).toBe(200);
    expect(body.items[0]).toMatchObject({ id: 'environment', name: 'environment', namespace: app.namespace, read_only: false });
    expect(body.active).toMatchObject({ id: 'environment', read_only: false, reason: null });
    expect(body.secrets).toMatchObject({ encrypted: false, backend: 'file' });
    expect(body.file).toBe(app.config.profilesFile);
  });

  it('creates a profile, answers it with passwords masked, and keeps it in a file only its user may read', async () => {
    const { status, body } = await call<ConnectionProfile>('POST', '/api/v1/connections', profileBody());
    expect(status).toBe(201);
    saved = body;
    expect(Object.keys(body).sort()).toEqual(['amqp_url', 'color', 'database_url', 'environment', 'id', 'name', 'namespace', 'read_only', 'redis_url', 'smtp_url', 'workers']);
    expect(body).toMatchObject({ color: '#d97706', smtp_url: null, workers: { log: 2, callback: 0, email: 0 } });
    expect(body.amqp_url).toContain(':***@');
    expect(JSON.stringify(await call('GET', `/api/v1/connections/${body.id}`))).not.toContain(`:${PASSWORD}@`);
    expect(statSync(app.config.profilesFile).mode & 0o777).toBe(0o600);
    // Headless: the password is in the file, not encrypted (the README says so), and only there.
    expect(readFileSync(app.config.profilesFile, 'utf8')).toContain(`plain:${PASSWORD}`);
    // The masked password does not follow the URL to another host or user: enter it again.
    for (const amqp_url of [saved.amqp_url.replace('127.0.0.1', 'evil.example').replace('localhost', 'evil.example'), saved.amqp_url.replace(/\/\/[^:]+:/, '//intruder:')]) {
      const moved = await call<{ errors: { field: string; rule: string }[] }>('PATCH', `/api/v1/connections/${saved.id}`, { amqp_url });
      expect(moved.status, amqp_url).toBe(400);
      expect(moved.body.errors).toEqual([expect.objectContaining({ field: 'amqp_url', rule: 'password-required' })]);
    }
  });

  it('refuses a bad field with a 400 naming it and its rule', async () => {
    const { status, body } = await call<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/connections', profileBody({ redis_url: 'http://x' }));
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'redis_url', rule: 'url' })]);
    const kind = await call<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/connections', profileBody({ workers: { nosuch: 1 } }));
    expect(kind.body.errors).toEqual([expect.objectContaining({ field: 'workers.nosuch', rule: 'kind' })]);
    // A password in the query would be answered unmasked: refused, to be put in the user-info.
    for (const redis_url of ['redis://127.0.0.1:6379/0?password=s3cret', 'redis://127.0.0.1:6379/0?pass=s3cret']) {
      const query = await call<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/connections', profileBody({ redis_url }));
      expect(query.status).toBe(400);
      expect(query.body.errors).toEqual([expect.objectContaining({ field: 'redis_url', rule: 'password-in-query' })]);
    }
  });

  it('keeps the stored password when a PATCH sends back the masked URL', async () => {
    const { status, body } = await call<ConnectionProfile>('PATCH', `/api/v1/connections/${saved.id}`, { amqp_url: saved.amqp_url, name: 'Other namespace' });
    expect(status).toBe(200);
    expect(body.name).toBe('Other namespace');
    saved = body;
    expect(readFileSync(app.config.profilesFile, 'utf8')).toContain(`plain:${PASSWORD}`);
    // The masked password does not follow the URL to another host or user: enter it again.
    for (const amqp_url of [saved.amqp_url.replace('127.0.0.1', 'evil.example').replace('localhost', 'evil.example'), saved.amqp_url.replace(/\/\/[^:]+:/, '//intruder:')]) {
      const moved = await call<{ errors: { field: string; rule: string }[] }>('PATCH', `/api/v1/connections/${saved.id}`, { amqp_url });
      expect(moved.status, amqp_url).toBe(400);
      expect(moved.body.errors).toEqual([expect.objectContaining({ field: 'amqp_url', rule: 'password-required' })]);
    }
  });

  it('tests each service by name: all up, and a bad URL names its service and error', async () => {
    const good = await call<ProfileTest>('POST', `/api/v1/connections/${saved.id}/test`);
    expect(good.body).toEqual({ ok: true, services: { rabbitmq: { up: true, error: null }, redis: { up: true, error: null }, postgresql: { up: true, error: null }, smtp: { up: true, error: null } } });
    const bad = await call<ConnectionProfile>('POST', '/api/v1/connections', profileBody({ name: 'Broken', redis_url: 'redis://127.0.0.1:1', amqp_url: 'amqp://guest:secret-pw@127.0.0.1:1' }));
    const tested = await call<ProfileTest>('POST', `/api/v1/connections/${bad.body.id}/test`);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.services.redis).toMatchObject({ up: false, error: expect.stringMatching(/^Redis: .*ECONNREFUSED/) });
    expect(tested.body.services.rabbitmq).toMatchObject({ up: false, error: expect.stringMatching(/^RabbitMQ: .*ECONNREFUSED/) });
    expect(tested.body.services.postgresql.up).toBe(true);
    expect(JSON.stringify(tested.body)).not.toContain('secret-pw');
    // A profile that cannot connect is not activated: the environment stays active.
    const activated = await call<{ detail: string }>('POST', `/api/v1/connections/${bad.body.id}/activate`);
    expect(activated.status).toBe(502);
    expect((await call<ProfileList>('GET', '/api/v1/connections')).body.active.id).toBe('environment');
    expect((await call('DELETE', `/api/v1/connections/${bad.body.id}`)).status).toBe(204);
  }, 60_000);

  it('exports without passwords unless asked; with a passphrase they are encrypted and re-importable; a wrong one is refused', async () => {
    const plain = await call<ProfileExport>('POST', '/api/v1/connections/export', { ids: [saved.id] });
    expect(plain.status).toBe(200);
    expect(plain.body.secrets).toBeNull();
    expect(JSON.stringify(plain.body)).not.toContain(`:${PASSWORD}@`);
    expect(plain.body.profiles[0]!.amqp_url).not.toContain(':***@');

    const noPassphrase = await call<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/connections/export', { secrets: true });
    expect(noPassphrase.body.errors).toEqual([expect.objectContaining({ field: 'passphrase', rule: 'required' })]);

    const sealed = await call<ProfileExport>('POST', '/api/v1/connections/export', { ids: [saved.id], secrets: true, passphrase: 'correct horse battery' });
    expect(sealed.body.secrets).toMatchObject({ kdf: 'scrypt', cipher: 'aes-256-gcm' });
    expect(JSON.stringify(sealed.body)).not.toContain(`:${PASSWORD}@`);

    const wrong = await call<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/connections/import', { document: sealed.body, passphrase: 'not the passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'passphrase', rule: 'decrypt' })]);

    const imported = await call<{ items: ConnectionProfile[] }>('POST', '/api/v1/connections/import', { document: sealed.body, passphrase: 'correct horse battery' });
    expect(imported.status).toBe(201);
    const copy = imported.body.items[0]!;
    expect(copy.id).not.toBe(saved.id);
    expect(copy).toMatchObject({ name: saved.name, namespace: otherNamespace, amqp_url: saved.amqp_url });
    const file = JSON.parse(readFileSync(app.config.profilesFile, 'utf8')) as { profiles: { id: string; secrets: Record<string, string> }[] };
    expect(file.profiles.find((p) => p.id === copy.id)!.secrets.amqp_url).toBe(`plain:${PASSWORD}`);
    expect((await call<ProfileTest>('POST', `/api/v1/connections/${copy.id}/test`)).body.ok).toBe(true);
    expect((await call('DELETE', `/api/v1/connections/${copy.id}`)).status).toBe(204);

    // One document naming an id twice: each profile gets an id of its own.
    const twice = { ...plain.body, profiles: [{ ...plain.body.profiles[0]!, id: 'twice-imported' }, { ...plain.body.profiles[0]!, id: 'twice-imported' }] };
    const both = await call<{ items: ConnectionProfile[] }>('POST', '/api/v1/connections/import', { document: twice });
    expect(new Set(both.body.items.map((p) => p.id)).size).toBe(2);
    for (const profile of both.body.items) expect((await call('DELETE', `/api/v1/connections/${profile.id}`)).status).toBe(204);
  }, 60_000);

  it('activates another profile with jobs in flight: every accepted job reaches DONE on its namespace', async () => {
    const accepted: string[] = [];
    const other: string[] = [];
    let switching = true;
    const submitter = async (): Promise<void> => {
      while (switching) {
        const answer = await submitLogJob();
        if (answer.uuid) accepted.push(answer.uuid);
        else expect(answer.status).toBe(503);
      }
    };
    const submitting = Promise.all([submitter(), submitter(), submitter()]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const activated = await call<ProfileModeReport>('POST', `/api/v1/connections/${saved.id}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ id: saved.id, environment: 'staging', color: '#d97706', read_only: false });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    switching = false;
    await submitting;
    for (let i = 0; i < 5; i++) other.push((await submitLogJob()).uuid!);

    const settings = (await call<{ namespace: string }>('GET', '/api/v1/settings')).body;
    expect(settings.namespace).toBe(otherNamespace);
    // JOBDECK_WORKERS's log=1 wins over the profile's 2; the profile's callback=0 over the default.
    expect(app.supervisor!.report().counts).toMatchObject({ log: 1, callback: 0, email: 0 });
    // On the new profile: every job it knows is DONE (those accepted after the switch among them).
    const onOther = async () => (await Promise.all([...accepted, ...other].map(async (uuid) => ({ uuid, status: await statusOf(uuid) })))).filter((j) => j.status !== null);
    const doneOnOther = await eventually(onOther, (jobs) => jobs.every((j) => j.status === 'DONE') && other.every((uuid) => jobs.some((j) => j.uuid === uuid)), 60_000, 'the new namespace\'s jobs DONE');

    // Back on the environment: the jobs the old workers handed back run there too.
    expect((await call('POST', '/api/v1/connections/environment/activate')).status).toBe(200);
    const known = new Set(doneOnOther.map((j) => j.uuid));
    const left = accepted.filter((uuid) => !known.has(uuid));
    console.log(`${accepted.length} accepted around the switch: ${accepted.length - left.length} done on the new namespace, ${left.length} on the old`);
    expect(left.length).toBeGreaterThan(10);
    await eventually(() => Promise.all(left.map(statusOf)), (statuses) => statuses.every((s) => s === 'DONE'), 60_000, 'the old namespace\'s jobs DONE');
    expect(app.supervisor!.report().counts).toMatchObject({ log: 1, callback: 1, email: 0 });
  }, 180_000);

  it('opens a production profile read-only until it is unlocked for this run; the active profile cannot be deleted', async () => {
    const prod = await call<ConnectionProfile>('POST', '/api/v1/connections', profileBody({ name: 'Production', environment: 'production' }));
    const activated = await call<ProfileModeReport>('POST', `/api/v1/connections/${prod.body.id}/activate`);
    expect(activated.body).toMatchObject({ id: prod.body.id, environment: 'production', read_only: true, reason: expect.stringContaining('unlock') });
    // Managing profiles is the console's own settings, not production data: a locked profile does not refuse it.
    expect((await call('PATCH', `/api/v1/connections/${prod.body.id}`, { color: '#b91c1c' })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/connections/${prod.body.id}`)).status).toBe(409);
    const unlocked = await call<ProfileModeReport>('POST', `/api/v1/connections/${prod.body.id}/unlock`);
    expect(unlocked.body).toMatchObject({ read_only: false, reason: null });
    await call('PATCH', `/api/v1/connections/${prod.body.id}`, { read_only: true });
    expect((await call<ProfileList>('GET', '/api/v1/connections')).body.active).toMatchObject({ read_only: true, reason: expect.stringContaining('read-only') });
    expect((await call('POST', '/api/v1/connections/environment/activate')).status).toBe(200);
    expect((await call('PATCH', '/api/v1/connections/environment', { name: 'x' })).status).toBe(409);
  }, 60_000);
});
