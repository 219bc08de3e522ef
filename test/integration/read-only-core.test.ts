/**
 * A console on a read-only profile changes nothing of its namespace: no worker of it takes a job
 * another client submitted, no retention prunes old rows. Unlocked, its core reopens in place
 * and the job runs. The activation and the unlock answer without waiting the restart's drain.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-shared/audit-schemas';
import type { ConnectionProfile, ProfileModeReport } from '../../src-shared/profile-schemas';
import { callConsole, eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';

/** The console under test (workers on), and a writable console without workers on the "production" namespace. */
let app: TestConsole;
let production: TestConsole;

beforeAll(async () => {
  [app, production] = await Promise.all([startTestConsole(), startTestConsole({}, false)]);
}, 90_000);

afterAll(async () => {
  await app?.dispose();
  await production?.dispose();
}, 60_000);

const OLD_VERB = `test.read-only.old.${randomUUID()}`;
const oldAuditRow = (): AuditEntry => ({
  id: randomUUID(),
  at: new Date(Date.now() - 400 * 86_400_000).toISOString(),
  actor: 'local',
  role: 'write',
  verb: OLD_VERB,
  target: null,
  route: 'POST /test',
  params: null,
  result: { status: 200, outcome: 'ok', title: null, detail: null },
});
const oldRowsLeft = async (): Promise<number> => (await production.audit.list([{ type: 'verb', values: [OLD_VERB] }], 5)).items.length;

async function statusOn(console: TestConsole, uuid: string): Promise<string | null> {
  const response = await fetch(`${console.url}/job/status?uuid=${uuid}`);
  return response.status === 200 ? ((await response.json()) as { status: string }).status : null;
}

/** Answers the call and how long it took. */
async function timed<T>(method: string, path: string): Promise<{ status: number; body: T; ms: number }> {
  const started = Date.now();
  const answer = await callConsole<T>(app, method, path);
  return { ...answer, ms: Date.now() - started };
}

describe('a read-only profile', () => {
  let profile: ConnectionProfile;
  let uuid: string;

  it('activates in well under the drain time, and its core runs no workers and no retention', async () => {
    await production.audit.insert([oldAuditRow()]);
    const created = await callConsole<ConnectionProfile>(app, 'POST', '/api/v1/connections', {
      name: 'Production',
      environment: 'production',
      amqp_url: TEST_SERVICES.amqpUrl,
      redis_url: TEST_SERVICES.redisUrl,
      database_url: TEST_SERVICES.databaseUrl,
      namespace: production.namespace,
      workers: { log: 1, callback: 0, email: 0 },
    });
    profile = created.body;
    const activated = await timed<ProfileModeReport>('POST', `/api/v1/connections/${profile.id}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ id: profile.id, read_only: true });
    expect(activated.ms).toBeLessThan(5_000);
    expect(app.supervisor).toBeNull();

    const submitted = await fetch(`${production.url}/job/database?client_time=${Math.floor(Date.now() / 1000)}`);
    uuid = ((await submitted.json()) as { uuid: string }).uuid;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await statusOn(app, uuid)).toBe('QUEUED');
    expect(await oldRowsLeft()).toBe(1);
  }, 60_000);

  it('unlocked, reopens its core in place: its workers run the job and its retention prunes', async () => {
    const unlocked = await timed<ProfileModeReport>('POST', `/api/v1/connections/${profile.id}/unlock`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.read_only).toBe(false);
    expect(unlocked.ms).toBeLessThan(5_000);
    expect(app.supervisor).not.toBeNull();
    await eventually(() => statusOn(app, uuid), (status) => status === 'DONE', 30_000, 'the queued job ran');
    await eventually(oldRowsLeft, (left) => left === 0, 10_000, 'the old audit row pruned');
  }, 60_000);
});
